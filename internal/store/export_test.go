package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pressly/goose/v3"
)

// Pragmas reports the pragmas in force on a writer and a reader connection.
func (s *Store) Pragmas(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	for _, db := range []struct {
		name string
		db   *sql.DB
	}{{"writer", s.w}, {"reader", s.r}} {
		for _, p := range []string{"journal_mode", "foreign_keys", "busy_timeout", "synchronous", "query_only"} {
			var v string
			if err := db.db.QueryRowContext(ctx, "PRAGMA "+p).Scan(&v); err != nil {
				return nil, fmt.Errorf("pragma %s: %w", p, err)
			}
			out[db.name+" "+p] = v
		}
	}
	return out, nil
}

// MigrateStepwise creates a database at path and migrates it one version at a
// time, calling fill after each version so that later migrations meet data.
func MigrateStepwise(ctx context.Context, path string, fill func(version int64, s *Store) error) error {
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return err
	}
	defer w.Close()
	w.SetMaxOpenConns(1)
	s := &Store{path: path, w: w, r: w, now: time.Now}
	p, err := s.migrator()
	if err != nil {
		return err
	}
	for {
		res, err := p.UpByOne(ctx)
		if errors.Is(err, goose.ErrNoNextVersion) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fill(res.Source.Version, s); err != nil {
			return fmt.Errorf("fill at version %d: %w", res.Source.Version, err)
		}
	}
}

// CommonTerms returns kb_common_terms, and whether TermDocs trusts it.
func (s *Store) CommonTerms(ctx context.Context) (map[string]int, bool, error) {
	_, _, trusted, err := s.kbStatsCommon(ctx)
	if err != nil {
		return nil, false, err
	}
	out := map[string]int{}
	rows, err := s.r.QueryContext(ctx, `SELECT term, docs FROM kb_common_terms`)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, false, err
		}
		out[t] = n
	}
	return out, trusted, rows.Err()
}
