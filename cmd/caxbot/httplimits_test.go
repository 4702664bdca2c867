package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
)

// hangLimit is how long a test waits for the server to close a
// connection: far beyond the limits the tests set, so that only a server
// without the limit reaches it.
const hangLimit = 15 * time.Second

// closedByServer reports whether the server closed c (the read ends in EOF
// or a reset) before hangLimit; what it had sent first is read past.
func closedByServer(t *testing.T, c net.Conn) bool {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(hangLimit))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	return true
}

// TestHTTPServerLimits gives the HTTP server short limits and breaks each
// on a real socket: a client that never finishes its headers, one that
// never finishes its body, an idle keep-alive connection, a header over
// the size limit, and an answer that takes longer than the write timeout.
func TestHTTPServerLimits(t *testing.T) {
	l := httpLimits{readHeader: 200 * time.Millisecond, read: 400 * time.Millisecond, write: 400 * time.Millisecond,
		idle: 200 * time.Millisecond, maxHeaderBytes: 4 << 10}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("POST /body", func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			return // cut off: nothing to answer
		}
		fmt.Fprintln(w, "read")
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(3 * l.write)
		fmt.Fprintln(w, "late")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(mux, l, slog.New(slog.DiscardHandler))
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	dial := func(t *testing.T) net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	t.Run("headers never finished", func(t *testing.T) {
		c := dial(t)
		fmt.Fprint(c, "GET /ok HTTP/1.1\r\nHost: caxbot\r\n")
		if !closedByServer(t, c) {
			t.Error("a connection with half its headers stays open")
		}
	})
	t.Run("body never finished", func(t *testing.T) {
		c := dial(t)
		fmt.Fprint(c, "POST /body HTTP/1.1\r\nHost: caxbot\r\nContent-Length: 1000\r\n\r\nmột phần")
		c.SetReadDeadline(time.Now().Add(hangLimit))
		got, _ := io.ReadAll(c)
		if strings.Contains(string(got), "read") {
			t.Errorf("the body was read whole: %q", got)
		}
		if !closedByServer(t, c) {
			t.Error("a connection with half its body stays open")
		}
	})
	t.Run("idle keep-alive", func(t *testing.T) {
		c := dial(t)
		fmt.Fprint(c, "GET /ok HTTP/1.1\r\nHost: caxbot\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("first request: %v, %v", resp, err)
		}
		if !closedByServer(t, c) {
			t.Error("an idle keep-alive connection stays open")
		}
	})
	t.Run("header too large", func(t *testing.T) {
		c := dial(t)
		fmt.Fprintf(c, "GET /ok HTTP/1.1\r\nHost: caxbot\r\nX-Pad: %s\r\n\r\n", strings.Repeat("x", 16<<10))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("a 16 KiB header: %v, %v; want 431", resp, err)
		}
	})
	t.Run("answer past the write timeout", func(t *testing.T) {
		c := dial(t)
		fmt.Fprint(c, "GET /slow HTTP/1.1\r\nHost: caxbot\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(hangLimit))
		got, _ := io.ReadAll(c)
		if bytes.Contains(got, []byte("late")) {
			t.Errorf("an answer written past the write timeout went out: %q", got)
		}
	})
}

// TestServeHTTPLimits runs `caxbot serve` with /metrics on an address of
// its own and a short idle timeout: the metrics are there and not on the
// main address, an idle keep-alive connection is closed, and a request
// with oversized headers is refused.
func TestServeHTTPLimits(t *testing.T) {
	srv := tgtest.NewServer(tgtest.Options{BotUsername: "caxbot_bot", Scale: 1000})
	defer srv.Close()
	listen, metrics := freeAddr(t), freeAddr(t)
	env := map[string]string{
		"CAXBOT_DATA_DIR":          t.TempDir(),
		"TELEGRAM_BOT_TOKEN":       srv.Token,
		"CAXBOT_TELEGRAM_API":      srv.URL,
		"CAXBOT_LISTEN":            listen,
		"CAXBOT_METRICS_LISTEN":    metrics,
		"CAXBOT_HTTP_IDLE_TIMEOUT": "300ms",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }, Now: time.Now}
	done := make(chan int)
	go func() { done <- m.Run(ctx, []string{"serve"}) }()
	defer func() { cancel(); <-done }()
	wait, stop := context.WithTimeout(ctx, 30*time.Second)
	defer stop()
	status := func(url string) int {
		resp, err := http.Get(url)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if err := srv.WaitFor(wait, func() bool { return status("http://"+listen+"/readyz") == http.StatusOK }); err != nil {
		t.Fatalf("not ready: %v\n%s", err, stderr.String())
	}
	if got := status("http://" + metrics + "/metrics"); got != http.StatusOK {
		t.Errorf("/metrics on CAXBOT_METRICS_LISTEN: %d", got)
	}
	if got := status("http://" + listen + "/metrics"); got != http.StatusNotFound {
		t.Errorf("/metrics on CAXBOT_LISTEN too: %d, want 404", got)
	}
	for _, addr := range []string{listen, metrics} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprint(c, "GET /healthz HTTP/1.1\r\nHost: caxbot\r\n\r\n")
		if _, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
			t.Fatal(err)
		}
		if !closedByServer(t, c) {
			t.Errorf("%s: an idle keep-alive connection stays open", addr)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+listen+"/healthz", nil)
	req.Header.Set("X-Pad", strings.Repeat("x", 32<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 32 KiB header: %d, want 431", resp.StatusCode)
	}
}
