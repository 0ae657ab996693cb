package suggest

import (
	"regexp"
	"strings"

	"tandem/internal/tandem"
)

// Fact is a kind of detail the customer may already have given.
type Fact string

const (
	FactOrder   Fact = "order number"
	FactEmail   Fact = "email"
	FactPhone   Fact = "phone"
	FactAddress Fact = "address"
	FactPhotos  Fact = "photos"
	FactProduct Fact = "product"
)

// Facts lists every kind of fact, as the schema's "given" enum does.
var Facts = []Fact{FactOrder, FactEmail, FactPhone, FactAddress, FactPhotos, FactProduct}

// Known maps each fact given in a conversation to its value as written
// (for photos, the words that said so).
type Known map[Fact]string

// Patterns that find a fact in a message, English and Chinese. They err on
// the side of finding: a fact wrongly seen as given costs a question the
// agent can still ask; one missed costs asking the customer twice.
var factPatterns = []struct {
	fact Fact
	re   *regexp.Regexp
}{
	{FactOrder, regexp.MustCompile(`(?i)(?:order|ord|purchase|invoice)\s*(?:number|no\.?|num|id|#|code)?\s*(?:is|was|:|#|=)?\s*#?\s*([A-Z]{0,4}[-]?\d[\dA-Z-]{3,})`)},
	{FactOrder, regexp.MustCompile(`(?:订单|单号|订单号|订单编号)[^0-9A-Za-z]{0,6}([A-Za-z]{0,4}\d[\dA-Za-z-]{3,})`)},
	{FactOrder, regexp.MustCompile(`#\s?(\d{4,}[\d-]*)`)},
	{FactEmail, regexp.MustCompile(`(?i)([a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,})`)},
	{FactPhone, regexp.MustCompile(`(?i)(?:phone|mobile|cell|tel|number|call me|whatsapp|电话|手机|联系方式)[^0-9+]{0,12}(\+?\d[\d\s-]{6,}\d)`)},
	{FactPhone, regexp.MustCompile(`(\+\d{1,3}[\s-]?\d[\d\s-]{6,}\d)`)},
	{FactPhone, regexp.MustCompile(`(?:^|\D)(1[3-9]\d{9})(?:\D|$)`)}, // a mainland Chinese mobile number
	{FactAddress, regexp.MustCompile(`(?i)((?:my |the |delivery |shipping |new )?address(?: is|:)\s*\S.{4,})`)},
	{FactAddress, regexp.MustCompile(`(?i)(\d{1,5}\s+\w+(?:\s\w+)?\s+(?:street|st\.?|road|rd\.?|avenue|ave\.?|lane|ln\.?|drive|dr\.?|boulevard|blvd\.?|way|court|ct\.?|place|pl\.?)\b)`)},
	{FactAddress, regexp.MustCompile(`((?:地址|收货地址)[是为：:\s]*\S{4,}|[\p{Han}]{2,}(?:省|市)[\p{Han}\d]{2,}(?:区|县|路|街|号)[\p{Han}\d]*)`)},
	{FactPhotos, regexp.MustCompile(`(?i)((?:i(?:'ve| have)? )?(?:attached|sent|uploaded|sending|attaching|here(?: is|'s| are))(?: you)? (?:a |the |some )?(?:photo|picture|pic|image|screenshot|video)s?|\[(?:image|photo|attachment)\])`)},
	{FactPhotos, regexp.MustCompile(`((?:已|发了|上传了?|附上|发给你了?|拍了)[^。！？]{0,6}(?:照片|图片|截图|视频))`)},
	{FactProduct, regexp.MustCompile(`(?i)(?:i (?:ordered|bought|purchased|got)|the item is|product is)\s+(?:a |an |the |some |two |2 )?([a-z][\w\s-]{2,40}?)(?:\s+(?:from|on|last|ten|\d|and|but|which|that)\b|[.,!?]|$)`)},
	{FactProduct, regexp.MustCompile(`(?:买的|买了|购买的|购买了|订的|下单的)(?:一[双件个台条])?([\p{Han}A-Za-z0-9]{2,12}?)(?:[，。！？,]|还|但|已|到|$)`)},
}

// ExtractFacts finds the facts given anywhere in the conversation, by the
// customer or by the agent (an agent who read the order number back has it).
func ExtractFacts(msgs []tandem.Message) Known {
	out := Known{}
	for _, m := range msgs {
		for _, p := range factPatterns {
			if _, done := out[p.fact]; done {
				continue
			}
			if sub := p.re.FindStringSubmatch(m.Text); sub != nil {
				out[p.fact] = strings.TrimSpace(sub[1])
			}
		}
	}
	return out
}

// What a question asks for, English and Chinese.
var askPatterns = []struct {
	fact Fact
	re   *regexp.Regexp
}{
	{FactOrder, regexp.MustCompile(`(?i)order\s*(?:number|no\b|num|id|#|code|details|reference)|which order|what order|订单号|订单编号|单号|哪个订单|哪笔订单`)},
	{FactEmail, regexp.MustCompile(`(?i)e-?mail|邮箱|电子邮件`)},
	{FactPhone, regexp.MustCompile(`(?i)phone|mobile|contact number|telephone|电话|手机|联系方式`)},
	{FactAddress, regexp.MustCompile(`(?i)address|where (?:should|do|can|would) we (?:send|deliver|ship)|地址|收货地|寄到哪`)},
	{FactPhotos, regexp.MustCompile(`(?i)photo|picture|pic\b|image|screenshot|video|照片|图片|截图|拍一?下|视频`)},
	{FactProduct, regexp.MustCompile(`(?i)which (?:product|item|model)|what (?:product|item|model)|product name|model number|item name|哪款|哪个商品|什么商品|哪件商品|型号|商品名称`)},
}

// AsksFor lists the facts a question asks the customer for.
func AsksFor(question string) []Fact {
	var out []Fact
	for _, p := range askPatterns {
		if p.re.MatchString(question) {
			out = append(out, p.fact)
		}
	}
	return out
}

// FilterFollowups drops every question that asks for a fact already given,
// and says which it dropped. However the model words its list, a customer
// is never asked again for what they gave.
func FilterFollowups(questions []string, known Known) (kept, dropped []string) {
	kept = []string{}
outer:
	for _, q := range questions {
		for _, f := range AsksFor(q) {
			if _, given := known[f]; given {
				dropped = append(dropped, q)
				continue outer
			}
		}
		kept = append(kept, q)
	}
	return kept, dropped
}
