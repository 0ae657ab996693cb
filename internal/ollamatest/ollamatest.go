// Package ollamatest runs a real Ollama server for integration tests: on a
// free loopback port of its own, with a temporary model folder, loaded with
// the tiny random-weights model from ../shared/models.
//
// The server binary is $TANDEM_OLLAMA_BIN, else ollama on PATH, else
// $(go env GOPATH)/bin/ollama. Without one, tests skip, unless
// TANDEM_REQUIRE_OLLAMA=1 (set by scripts/test.sh), where they fail.
package ollamatest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Model is the name the tiny chat model is created under.
const Model = "tiny"

// Server is a running Ollama server.
type Server struct {
	Host   string // 127.0.0.1:PORT
	bin    string
	models string
	log    *os.File
	cmd    *exec.Cmd
	exited chan struct{}
}

// Start starts a server with the tiny model created in it, and stops it when
// the test ends. Only TestMain-free tests should use it; see StartMain.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := StartMain()
	if errors.Is(err, ErrNoBinary) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// ErrNoBinary is returned when no ollama binary is found and none is required.
var ErrNoBinary = errors.New("no ollama binary: set TANDEM_OLLAMA_BIN or run scripts/test.sh")

// StartMain is Start for TestMain: the caller must Close the server.
func StartMain() (*Server, error) {
	bin, err := findBinary()
	if err != nil {
		if os.Getenv("TANDEM_REQUIRE_OLLAMA") == "1" {
			return nil, fmt.Errorf("TANDEM_REQUIRE_OLLAMA=1: %w", err)
		}
		return nil, ErrNoBinary
	}
	models, err := os.MkdirTemp("", "tandem-ollama-models-")
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	log, err := os.CreateTemp("", "tandem-ollama-*.log")
	if err != nil {
		return nil, err
	}
	s := &Server{Host: "127.0.0.1:" + strconv.Itoa(port), bin: bin, models: models, log: log}
	if err := s.Restart(); err != nil {
		s.Close()
		return nil, err
	}
	modelfile, err := SharedModelfile()
	if err != nil {
		s.Close()
		return nil, err
	}
	if err := s.CreateModel(Model, modelfile); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Restart starts the server again on the same port after Stop.
func (s *Server) Restart() error {
	cmd := exec.Command(s.bin, "serve")
	cmd.Env = append(os.Environ(),
		"OLLAMA_HOST="+s.Host,
		"OLLAMA_MODELS="+s.models,
		"OLLAMA_NOPRUNE=1",
		"OLLAMA_KEEP_ALIVE=10m",
	)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	// Its own process group, so that Stop also ends the model runners it starts.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s serve: %w", s.bin, err)
	}
	s.cmd, s.exited = cmd, make(chan struct{})
	go func(done chan struct{}) { cmd.Wait(); close(done) }(s.exited)

	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("ollama serve exited at start; log:\n%s", s.Log())
		default:
		}
		resp, err := http.Get("http://" + s.Host + "/api/version")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("ollama serve did not answer on %s within 30s; log:\n%s", s.Host, s.Log())
}

// Stop kills the server, as a crash or a closed laptop lid would.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.exited
	s.cmd = nil
}

// Close stops the server and removes its model folder and log.
func (s *Server) Close() {
	s.Stop()
	os.RemoveAll(s.models)
	s.log.Close()
	os.Remove(s.log.Name())
}

// Log returns what the server has printed so far, for failure messages.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.log.Name())
	if len(b) > 8000 {
		b = b[len(b)-8000:]
	}
	return string(b)
}

// CreateModel runs `ollama create name -f modelfile` against the server.
func (s *Server) CreateModel(name, modelfile string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.bin, "create", name, "-f", modelfile)
	cmd.Env = append(os.Environ(), "OLLAMA_HOST="+s.Host)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("ollama create %s: %w\n%s", name, err, out)
	}
	return nil
}

// SharedModelfile finds Modelfile.tiny-chat in $TANDEM_SHARED_MODELS, else
// in ../shared/models beside the repository.
func SharedModelfile() (string, error) {
	dir := os.Getenv("TANDEM_SHARED_MODELS")
	if dir == "" {
		root, err := repoRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, "..", "shared", "models")
	}
	p := filepath.Join(dir, "Modelfile.tiny-chat")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("tiny test model: %w (set TANDEM_SHARED_MODELS)", err)
	}
	return p, nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

func findBinary() (string, error) {
	if b := os.Getenv("TANDEM_OLLAMA_BIN"); b != "" {
		if _, err := os.Stat(b); err != nil {
			return "", fmt.Errorf("TANDEM_OLLAMA_BIN: %w", err)
		}
		return b, nil
	}
	if b, err := exec.LookPath("ollama"); err == nil {
		return b, nil
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err == nil {
		b := filepath.Join(strings.TrimSpace(string(out)), "bin", "ollama")
		if _, err := os.Stat(b); err == nil {
			return b, nil
		}
	}
	return "", errors.New("ollama not found")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
