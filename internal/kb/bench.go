package kb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"tandem/internal/tandem"
)

// Synthetic shop vocabulary for benchmarks: enough distinct words that
// queries are selective the way real ones are, with a long tail.
var (
	benchWordsEN = strings.Fields(`order parcel delivery shipping tracking refund return exchange size colour
		payment card invoice address courier delay damaged missing wrong item warranty repair battery
		charger screen shoes jacket dress shirt trousers bag watch phone laptop cable headphones
		discount coupon voucher gift subscription account password login email phone number cancel
		express standard pickup store stock preorder backorder customs duty tax international label
		package box receipt photo proof complaint quality broken leaking scratched faded torn loose`)
	benchWordsZH = []rune("订单包裹快递物流配送退款退货换货尺码颜色付款发票地址延误损坏丢失错发保修维修电池充电屏幕鞋子外套裙子衬衫裤子手表手机电脑耳机优惠券礼品账户密码邮箱取消加急门店库存预售海关关税标签收据照片投诉质量破损漏液划痕褪色")
)

// benchVocab draws words the way text uses them: Zipf-distributed over a
// vocabulary of size words, the most common being the shop words above,
// the rest made-up words (English) or characters (Chinese). A small
// vocabulary makes every query word common: the worst case for search.
type benchVocab struct {
	r      *rand.Rand
	en, zh *rand.Zipf
}

func newBenchVocab(seed uint64, size int) *benchVocab {
	r := rand.New(rand.NewPCG(seed, 1))
	size = max(size, len(benchWordsEN)+1)
	return &benchVocab{r: r,
		en: rand.NewZipf(r, 1.1, 2, uint64(size-1)),
		zh: rand.NewZipf(r, 1.1, 2, uint64(max(size/4, len(benchWordsZH)+1)-1)),
	}
}

func (v *benchVocab) word(zh bool) string {
	if zh {
		n := 2 + v.r.IntN(2)
		out := make([]rune, n)
		for i := range out {
			k := int(v.zh.Uint64())
			if k < len(benchWordsZH) {
				out[i] = benchWordsZH[k]
			} else {
				out[i] = rune(0x4E00 + k) // CJK Unified Ideographs
			}
		}
		return string(out)
	}
	k := int(v.en.Uint64())
	if k < len(benchWordsEN) {
		return benchWordsEN[k]
	}
	return fmt.Sprintf("w%dx", k) // made-up, but one token to the index
}

func (v *benchVocab) words(k int, zh bool) string {
	ws := make([]string, k)
	for j := range ws {
		ws[j] = v.word(zh)
	}
	if zh {
		return strings.Join(ws, "")
	}
	return strings.Join(ws, " ")
}

// BenchArticles makes n synthetic articles, one in five Chinese.
func BenchArticles(n, vocab int, seed uint64) []tandem.Article {
	v := newBenchVocab(seed, vocab)
	out := make([]tandem.Article, n)
	for i := range out {
		zh := i%5 == 0
		out[i] = tandem.Article{Key: fmt.Sprintf("bench-%d", i), Title: v.words(4, zh), Body: v.words(60, zh) + "。 " + v.words(60, zh)}
	}
	return out
}

// BenchConversations makes n conversation-shaped queries: a greeting, an
// agent turn, and a customer message of 8 to 20 words.
func BenchConversations(n, vocab int, seed uint64) [][]tandem.Message {
	v := newBenchVocab(seed, vocab)
	out := make([][]tandem.Message, n)
	for i := range out {
		out[i] = []tandem.Message{
			{Role: tandem.RoleCustomer, Text: "Hi there, hello!"},
			{Role: tandem.RoleAgent, Text: "Hello, how can I help?"},
			{Role: tandem.RoleCustomer, Text: v.words(8+v.r.IntN(13), i%5 == 0)},
		}
	}
	return out
}

// BenchResult holds what `tandem bench kb` prints.
type BenchResult struct {
	Articles     int     `json:"articles"`
	Vocabulary   int     `json:"vocabulary"`
	ImportPerSec float64 `json:"import_articles_per_s"`
	Queries      int     `json:"queries"`
	P50ms        float64 `json:"p50_ms"`
	P95ms        float64 `json:"p95_ms"`
	P99ms        float64 `json:"p99_ms"`
}

// SyncStore is what the benchmark needs: import and search.
type SyncStore interface {
	Store
	Searcher
}

// Bench imports n synthetic articles over a vocabulary of vocab words into
// st and times queries.
func Bench(ctx context.Context, st SyncStore, n, vocab, queries int, progress func(done, total int)) (BenchResult, error) {
	arts := BenchArticles(n, vocab, 42)
	start := time.Now()
	for i := range arts {
		Prepare(&arts[i])
		arts[i].Hash = fmt.Sprint(i)
	}
	if _, err := st.SyncArticles(ctx, "bench", arts, progress); err != nil {
		return BenchResult{}, err
	}
	res := BenchResult{Articles: n, Vocabulary: vocab, ImportPerSec: float64(n) / time.Since(start).Seconds(), Queries: queries}
	lat := make([]time.Duration, 0, queries)
	for _, convo := range BenchConversations(queries, vocab, 7) {
		t := time.Now()
		if _, err := Search(ctx, st, convo, 10); err != nil {
			return res, err
		}
		lat = append(lat, time.Since(t))
	}
	p := Percentiles(lat)
	res.P50ms, res.P95ms, res.P99ms = p[0], p[1], p[2]
	return res, nil
}

// Percentiles returns the 50th, 95th and 99th percentile of lat, in
// milliseconds, sorting lat in place.
func Percentiles(lat []time.Duration) [3]float64 {
	if len(lat) == 0 {
		return [3]float64{}
	}
	slices.Sort(lat)
	var out [3]float64
	for i, p := range []float64{0.50, 0.95, 0.99} {
		out[i] = float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	return out
}
