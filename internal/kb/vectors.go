package kb

import (
	"container/heap"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// vectorIndex holds unit-length passage vectors of one model in one flat
// slice. An exact scan is fast enough for a shop's knowledge base (100,000
// passages of 768 dimensions in tens of milliseconds on two cores) and needs
// no index structure to keep in step with imports.
type vectorIndex struct {
	model string
	gen   int64
	dim   int
	ids   []int64
	flat  []float32
}

func newVectorIndex(model string, gen int64, ids []int64, vecs [][]float32) (*vectorIndex, error) {
	v := &vectorIndex{model: model, gen: gen, ids: ids}
	if len(vecs) == 0 {
		return v, nil
	}
	v.dim = len(vecs[0])
	v.flat = make([]float32, 0, len(vecs)*v.dim)
	for i, x := range vecs {
		if len(x) != v.dim {
			return nil, fmt.Errorf("embeddings of %s have %d and %d dimensions: re-import the knowledge base to embed it again", model, v.dim, len(x))
		}
		v.flat = append(v.flat, vecs[i]...)
	}
	return v, nil
}

func (v *vectorIndex) len() int { return len(v.ids) }

// nearest returns the ids of the k vectors with the largest dot product with
// q (the cosine, as stored vectors are unit length), best first.
func (v *vectorIndex) nearest(q []float32, k int) ([]int64, error) {
	if len(q) != v.dim {
		return nil, fmt.Errorf("the query embedding has %d dimensions, the knowledge base's %d: was %s changed? Re-import the knowledge base", len(q), v.dim, v.model)
	}
	unit(q)
	n := v.len()
	parts := min(runtime.GOMAXPROCS(0), max(1, n/20000))
	tops := make([]topK, parts)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := topK{k: k}
			for i := p * n / parts; i < (p+1)*n/parts; i++ {
				t.offer(i, dot(q, v.flat[i*v.dim:(i+1)*v.dim]))
			}
			tops[p] = t
		}()
	}
	wg.Wait()
	all := topK{k: k}
	for _, t := range tops {
		for _, s := range t.items {
			all.offer(s.i, s.score)
		}
	}
	best := all.sorted()
	out := make([]int64, len(best))
	for j, s := range best {
		out[j] = v.ids[s.i]
	}
	return out, nil
}

func unit(q []float32) {
	var n float64
	for _, x := range q {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		return
	}
	s := float32(1 / math.Sqrt(n))
	for i := range q {
		q[i] *= s
	}
}

func dot(a, b []float32) float32 {
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

// topK keeps the k best scores seen, in a min-heap.
type topK struct {
	k     int
	items scored
}

type scoredItem struct {
	i     int
	score float32
}

type scored []scoredItem

func (s scored) Len() int           { return len(s) }
func (s scored) Less(i, j int) bool { return s[i].score < s[j].score }
func (s scored) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s *scored) Push(x any)        { *s = append(*s, x.(scoredItem)) }
func (s *scored) Pop() any {
	old := *s
	x := old[len(old)-1]
	*s = old[:len(old)-1]
	return x
}

func (t *topK) offer(i int, score float32) {
	if len(t.items) < t.k {
		heap.Push(&t.items, scoredItem{i, score})
	} else if t.k > 0 && score > t.items[0].score {
		t.items[0] = scoredItem{i, score}
		heap.Fix(&t.items, 0)
	}
}

// sorted empties t and returns its items, best first.
func (t *topK) sorted() []scoredItem {
	out := make([]scoredItem, len(t.items))
	for j := len(out) - 1; j >= 0; j-- {
		out[j] = heap.Pop(&t.items).(scoredItem)
	}
	return out
}
