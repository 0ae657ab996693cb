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

func benchWord(r *rand.Rand, zh bool) string {
	if zh {
		n := 2 + r.IntN(2)
		var b strings.Builder
		for range n {
			b.WriteRune(benchWordsZH[r.IntN(len(benchWordsZH))])
		}
		return b.String()
	}
	// Zipf-like: a few words very common, most rare; suffix numbers make a long tail.
	i := int(float64(len(benchWordsEN)) * r.Float64() * r.Float64())
	if r.IntN(4) == 0 {
		return fmt.Sprintf("%s%d", benchWordsEN[i], r.IntN(500))
	}
	return benchWordsEN[i]
}

// BenchArticles makes n synthetic articles, one in five Chinese.
func BenchArticles(n int, seed uint64) []tandem.Article {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]tandem.Article, n)
	for i := range out {
		zh := i%5 == 0
		sep := " "
		if zh {
			sep = ""
		}
		words := func(k int) string {
			ws := make([]string, k)
			for j := range ws {
				ws[j] = benchWord(r, zh)
			}
			return strings.Join(ws, sep)
		}
		out[i] = tandem.Article{Key: fmt.Sprintf("bench-%d", i), Title: words(4), Body: words(60) + "。 " + words(60)}
	}
	return out
}

// BenchConversations makes n conversation-shaped queries: a greeting, an
// agent turn, and a customer message of 8 to 20 words.
func BenchConversations(n int, seed uint64) [][]tandem.Message {
	r := rand.New(rand.NewPCG(seed, 2))
	out := make([][]tandem.Message, n)
	for i := range out {
		zh := i%5 == 0
		ws := make([]string, 8+r.IntN(13))
		for j := range ws {
			ws[j] = benchWord(r, zh)
		}
		sep := " "
		if zh {
			sep = ""
		}
		out[i] = []tandem.Message{
			{Role: tandem.RoleCustomer, Text: "Hi there, hello!"},
			{Role: tandem.RoleAgent, Text: "Hello, how can I help?"},
			{Role: tandem.RoleCustomer, Text: strings.Join(ws, sep)},
		}
	}
	return out
}

// BenchResult holds what `tandem bench kb` prints.
type BenchResult struct {
	Articles     int     `json:"articles"`
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

// Bench imports n synthetic articles into st and times queries.
func Bench(ctx context.Context, st SyncStore, n, queries int, progress func(done, total int)) (BenchResult, error) {
	arts := BenchArticles(n, 42)
	start := time.Now()
	for i := range arts {
		Prepare(&arts[i])
		arts[i].Hash = fmt.Sprint(i)
	}
	if _, err := st.SyncArticles(ctx, "bench", arts, progress); err != nil {
		return BenchResult{}, err
	}
	res := BenchResult{Articles: n, ImportPerSec: float64(n) / time.Since(start).Seconds(), Queries: queries}
	lat := make([]time.Duration, 0, queries)
	for _, convo := range BenchConversations(queries, 7) {
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
