package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestSecretsNeverPrinted runs `caxbot serve` behind a proxy that answers
// getUpdates and sendMessage with an HTML error page quoting the request's
// path, bot token included, as misconfigured proxies do: nothing the
// process prints, and nothing it stores about the failed sends, holds the
// token or the database password.
func TestSecretsNeverPrinted(t *testing.T) {
	const (
		token    = "7312459876:AAGk3vQm2xR8sLp0Wn5yTz7bHc4dEf6gJ1k"
		secret   = "AAGk3vQm2xR8sLp0Wn5yTz7bHc4dEf6gJ1k"
		password = "Pw-S3cret-2020"
	)
	srv := tgtest.NewServer(tgtest.Options{BotUsername: "caxbot_bot", Scale: 1000, Token: token})
	defer srv.Close()
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/getUpdates") || strings.HasSuffix(r.URL.Path, "/sendMessage") {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "<html><body><h1>502 Bad Gateway</h1><p>upstream failed for %s %s</p></body></html>", r.Method, r.URL.Path)
			return
		}
		srv.ServeHTTP(w, r)
	}))
	defer echo.Close()
	u, err := url.Parse(storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), password) // the test server trusts, and ignores it
	env := map[string]string{
		"DATABASE_URL":        u.String(),
		"TELEGRAM_BOT_TOKEN":  token,
		"CAXBOT_TELEGRAM_API": echo.URL,
		"CAXBOT_LISTEN":       freeAddr(t),
		"CAXBOT_LOG_LEVEL":    "debug",
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	db, err := store.Open(ctx, env["DATABASE_URL"], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	payload, err := reminders.MessagePayload(reminders.Message{Text: "Nhắc việc"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Enqueue(ctx, []store.OutboxItem{{Key: "secret:1", ChatID: 4242, Kind: "reminder", Payload: payload, DueAt: time.Now().Add(-time.Minute)}}); err != nil {
		t.Fatal(err)
	}

	var stderr syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }, Now: time.Now}
	run, stop := context.WithCancel(ctx)
	done := make(chan int)
	go func() { done <- m.Run(run, []string{"serve"}) }()
	err = poll(ctx, func() bool {
		items, err := db.OutboxItems(ctx, "secret:")
		return err == nil && len(items) == 1 && items[0].LastError != "" &&
			strings.Contains(stderr.String(), "getUpdates")
	})
	stop()
	<-done
	if err != nil {
		t.Fatalf("no failed send or poll seen: %v\n%s", err, stderr.String())
	}

	out := stderr.String()
	for _, s := range []string{secret, password} {
		if strings.Contains(out, s) {
			t.Errorf("standard error holds %q:\n%s", s, out)
		}
	}
	items, err := db.OutboxItems(ctx, "secret:")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := db.Deliveries(ctx, items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	stored := []string{items[0].LastError}
	for _, d := range ds {
		stored = append(stored, d.Error)
	}
	for _, s := range stored {
		if strings.Contains(s, secret) || strings.Contains(s, password) {
			t.Errorf("stored error %q holds a secret", s)
		}
		if !strings.Contains(s, "502 Bad Gateway") {
			t.Errorf("stored error %q lost what happened", s)
		}
	}
}
