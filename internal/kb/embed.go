package kb

import (
	"context"
	"fmt"

	"tandem/internal/store"
)

// EmbedStore is what computing embeddings needs of the database.
type EmbedStore interface {
	PassagesWithoutEmbedding(ctx context.Context, model string, limit int) ([]store.PassageText, int, error)
	SaveEmbeddings(ctx context.Context, model string, ids []int64, vecs [][]float32) error
}

// EmbedBatch is how many passages go to Ollama in one request: large enough
// to keep the model busy, small enough that progress moves and a cancel is quick.
const EmbedBatch = 32

// EmbedPassages computes the embeddings that model lacks, in batches,
// calling progress after each, and returns how many it made. Every batch is
// committed, so a cancelled or failed run resumes where it stopped.
func EmbedPassages(ctx context.Context, st EmbedStore, emb Embedder, model string, progress func(done, total int)) (int, error) {
	done, total := 0, -1
	for {
		batch, left, err := st.PassagesWithoutEmbedding(ctx, model, EmbedBatch)
		if err != nil {
			return done, err
		}
		if total < 0 {
			total = left
		}
		if len(batch) == 0 {
			return done, nil
		}
		texts := make([]string, len(batch))
		ids := make([]int64, len(batch))
		for i, p := range batch {
			texts[i], ids[i] = p.Title+"\n\n"+p.Text, p.ID
		}
		vecs, err := emb.Embed(ctx, model, texts)
		if err != nil {
			return done, fmt.Errorf("embed passages with %s: %w", model, err)
		}
		if err := st.SaveEmbeddings(ctx, model, ids, vecs); err != nil {
			return done, err
		}
		done += len(batch)
		if progress != nil {
			progress(done, max(total, done))
		}
	}
}
