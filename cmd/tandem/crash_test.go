package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"tandem/internal/store"
)

// TestCrashDuringIngest sends 10,000 messages to `tandem serve` from four
// senders, kills the server with SIGKILL midway, restarts it and sends
// everything again (as a client that retries would). Every message
// acknowledged before the kill must be stored, no message twice, and the
// database must pass PRAGMA integrity_check.
func TestCrashDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "tandem")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "crash.db")
	addr := freeAddr(t)
	base := "http://" + addr

	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--token", "T")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for range 200 {
			if resp, err := http.Get(base + "/v1/health"); err == nil {
				resp.Body.Close()
				return cmd
			}
			time.Sleep(25 * time.Millisecond)
		}
		cmd.Process.Kill()
		t.Fatal("tandem serve did not start")
		return nil
	}
	post := func(method, path, body string) int {
		req, _ := http.NewRequest(method, base+path, bytes.NewBufferString(body))
		req.Header.Set("Authorization", "Bearer T")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0 // the server is gone: not acknowledged
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}

	const total, killAfter = 10000, 3000
	server := start()
	if code := post("PUT", "/v1/conversations/crash", `{"title":"crash test"}`); code != 200 {
		t.Fatalf("create conversation: %d", code)
	}
	acked := make([]atomic.Bool, total)
	var nAcked atomic.Int64
	var next atomic.Int64
	var once sync.Once
	send := func(i int) int {
		return post("POST", "/v1/conversations/crash/messages",
			fmt.Sprintf(`{"role":"customer","text":"message %d","external_id":"m%d"}`, i, i))
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				switch send(i) {
				case 200, 201:
					acked[i].Store(true)
					if nAcked.Add(1) == killAfter {
						once.Do(func() { server.Process.Signal(syscall.SIGKILL) })
					}
				case 0:
					return // killed
				default:
					t.Errorf("message %d: unexpected status", i)
					return
				}
			}
		}()
	}
	wg.Wait()
	server.Wait()
	t.Logf("killed after %d acknowledged messages", nAcked.Load())

	server = start()
	// Before anything is resent: what was acknowledged survived the kill.
	stored := storedIDs(t, base)
	lost := 0
	for i := range total {
		if acked[i].Load() && !stored[fmt.Sprintf("m%d", i)] {
			lost++
		}
	}
	if lost > 0 {
		t.Fatalf("%d acknowledged messages lost in the crash", lost)
	}
	t.Logf("after restart: %d stored, all %d acknowledged among them", len(stored), nAcked.Load())

	for i := range total {
		if code := send(i); code != 200 && code != 201 {
			t.Fatalf("resend %d after restart: status %d", i, code)
		}
	}
	server.Process.Signal(syscall.SIGTERM)
	server.Wait()

	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if res, err := st.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
	c, err := st.ConversationByExternalID(context.Background(), "api", "crash")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := st.Messages(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, m := range msgs {
		seen[m.ExternalID]++
	}
	if len(msgs) != total || len(seen) != total {
		t.Fatalf("%d messages with %d distinct ids stored, want %d", len(msgs), len(seen), total)
	}
	for i := range total {
		if n := seen[fmt.Sprintf("m%d", i)]; n != 1 {
			t.Fatalf("message m%d stored %d times (acknowledged before the kill: %v)", i, n, acked[i].Load())
		}
	}
}

// storedIDs reads the conversation back through the API.
func storedIDs(t *testing.T, base string) map[string]bool {
	req, _ := http.NewRequest("GET", base+"/v1/conversations/crash/messages", nil)
	req.Header.Set("Authorization", "Bearer T")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Messages []struct {
			ExternalID string `json:"external_id"`
		} `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range body.Messages {
		ids[m.ExternalID] = true
	}
	return ids
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
