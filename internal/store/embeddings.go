package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
)

// PassageText is a passage waiting for its embedding.
type PassageText struct {
	ID    int64
	Title string
	Text  string
}

// PassagesWithoutEmbedding returns up to limit passages that have no
// embedding for model yet, in id order, and how many there are in all.
func (s *Store) PassagesWithoutEmbedding(ctx context.Context, model string, limit int) ([]PassageText, int, error) {
	var total int
	const missing = `FROM kb_passages p JOIN kb_articles a ON a.id = p.article_id
		WHERE NOT EXISTS (SELECT 1 FROM kb_embeddings e WHERE e.model = ? AND e.passage_id = p.id)`
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) `+missing, model).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count passages to embed with %s: %w", model, err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT p.id, a.title, p.text `+missing+` ORDER BY p.id LIMIT ?`, model, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("find passages to embed with %s: %w", model, err)
	}
	defer rows.Close()
	var out []PassageText
	for rows.Next() {
		var p PassageText
		if err := rows.Scan(&p.ID, &p.Title, &p.Text); err != nil {
			return nil, 0, fmt.Errorf("find passages to embed with %s: %w", model, err)
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// SaveEmbeddings stores one vector per passage id for model, normalised to
// unit length. A passage deleted meanwhile (its article re-imported) is
// skipped: its replacement is embedded on the next run.
func (s *Store) SaveEmbeddings(ctx context.Context, model string, ids []int64, vecs [][]float32) error {
	if len(ids) != len(vecs) {
		return fmt.Errorf("save embeddings: %d ids for %d vectors", len(ids), len(vecs))
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i, id := range ids {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO kb_embeddings (model, passage_id, vector)
				SELECT ?, id, ? FROM kb_passages WHERE id = ?
				ON CONFLICT DO UPDATE SET vector = excluded.vector`,
				model, encodeVector(vecs[i]), id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save embeddings for %s: %w", model, err)
	}
	return nil
}

// EmbeddingsGeneration changes whenever any embedding is added or removed.
func (s *Store) EmbeddingsGeneration(ctx context.Context) (int64, error) {
	var g int64
	err := s.r.QueryRowContext(ctx, `SELECT value FROM kb_state WHERE key = 'embeddings_generation'`).Scan(&g)
	if err != nil {
		return 0, fmt.Errorf("read embeddings generation: %w", err)
	}
	return g, nil
}

// Embeddings returns every passage vector for model, with the generation
// they were read at (one read transaction, so the two agree).
func (s *Store) Embeddings(ctx context.Context, model string) (gen int64, ids []int64, vecs [][]float32, err error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, nil, nil, fmt.Errorf("read embeddings for %s: %w", model, err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT value FROM kb_state WHERE key = 'embeddings_generation'`).Scan(&gen); err != nil {
		return 0, nil, nil, fmt.Errorf("read embeddings for %s: %w", model, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT passage_id, vector FROM kb_embeddings WHERE model = ? ORDER BY passage_id`, model)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("read embeddings for %s: %w", model, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var blob []byte
		if err := rows.Scan(&id, &blob); err != nil {
			return 0, nil, nil, fmt.Errorf("read embeddings for %s: %w", model, err)
		}
		ids = append(ids, id)
		vecs = append(vecs, decodeVector(blob))
	}
	return gen, ids, vecs, rows.Err()
}

// encodeVector normalises v to unit length and packs it as little-endian float32.
func encodeVector(v []float32) []byte {
	var norm float64
	for _, x := range v {
		norm += float64(x) * float64(x)
	}
	scale := float32(1)
	if norm > 0 {
		scale = float32(1 / math.Sqrt(norm))
	}
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x*scale))
	}
	return b
}

func decodeVector(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}
