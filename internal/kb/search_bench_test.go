package kb

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"tandem/internal/store"
)

// BenchmarkSearch times one conversation query over synthetic knowledge
// bases (see BenchArticles); `tandem bench kb` gives percentiles at larger
// sizes. The target (p95 at most 15 ms at 100,000 articles) is checked there.
func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			ctx := context.Background()
			st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			arts := BenchArticles(n, 20000, 42)
			for i := range arts {
				Prepare(&arts[i])
			}
			if _, err := st.SyncArticles(ctx, "bench", arts, nil); err != nil {
				b.Fatal(err)
			}
			convos := BenchConversations(500, 20000, 7)
			i := 0
			for b.Loop() {
				if _, err := Search(ctx, st, convos[i%len(convos)], 10); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
