package lang

import (
	"testing"

	"tandem/internal/tandem"
)

func TestDetect(t *testing.T) {
	d := New()
	tests := []struct{ text, want string }{
		{"Where is my parcel? It has not arrived.", "en"},
		{"¿Dónde está mi pedido? Lo compré hace una semana.", "es"},
		{"Je voudrais retourner ces chaussures", "fr"},
		{"Wo ist mein Paket?", "de"},
		{"我的快递到哪了？", "zh-CN"},
		{"好的", "zh-CN"},
		{"我的包裹什麼時候會到？請幫我查一下訂單", "zh-TW"},
		{"注文した商品がまだ届きません", "ja"},
		{"주문한 상품이 아직 안 왔어요", "ko"},
		{"Где моя посылка?", "ru"},
		{"Onde está a minha encomenda?", "pt"},
		{"", ""},
		{"100482", ""},
	}
	for _, tt := range tests {
		if got := d.Detect(tt.text); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestConversation(t *testing.T) {
	d := New()
	msg := func(role tandem.Role, text string) tandem.Message { return tandem.Message{Role: role, Text: text} }
	tests := []struct {
		name string
		msgs []tandem.Message
		want string
	}{
		// "ok" alone tells nothing: the earlier message decides.
		{"short last turn", []tandem.Message{msg(tandem.RoleCustomer, "Hola, mi pedido no ha llegado todavía"), msg(tandem.RoleAgent, "Lo siento"), msg(tandem.RoleCustomer, "ok")}, "es"},
		{"agent turns do not count", []tandem.Message{msg(tandem.RoleAgent, "您好，请问有什么可以帮您？"), msg(tandem.RoleCustomer, "Where is my parcel? It has not arrived.")}, "en"},
		{"the newest language wins", []tandem.Message{msg(tandem.RoleCustomer, "Where is my parcel? It has not arrived."), msg(tandem.RoleCustomer, "我还是用中文吧，包裹到哪了")}, "zh-CN"},
		{"nothing to tell", []tandem.Message{msg(tandem.RoleCustomer, "?")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Conversation(tt.msgs); got != tt.want {
				t.Fatalf("Conversation = %q, want %q", got, tt.want)
			}
		})
	}
}
