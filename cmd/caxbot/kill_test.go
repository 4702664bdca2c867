package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// slowAPI passes every call to tgtest, sendMessage after a pause: a drain
// then lasts long enough to be killed in the middle.
func slowAPI(t *testing.T, srv *tgtest.Server, pause time.Duration) string {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // calls of a killed replica end mid-way
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/sendMessage") {
			time.Sleep(pause)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s.URL
}

// killSenders is the replica's --senders in TestKillDuringDrain: the most
// messages that can be in flight at once, hence sent twice after a kill.
const killSenders = 2

// TestKillDuringDrain kills `caxbot serve` with SIGKILL while it drains
// the outbox, on the embedded default and on Postgres + Redis. Sends are
// recorded as they happen, so once a second replica has sent the rest,
// every message went out, and at most the ones in flight at the kill (no
// more than the number of senders) went out twice.
func TestKillDuringDrain(t *testing.T) {
	for _, be := range []string{"sqlite", "postgres+redis"} {
		t.Run(be, func(t *testing.T) {
			srv := tgtest.NewServer(tgtest.Options{BotUsername: "caxbot_bot", Scale: 1000})
			defer srv.Close()
			var env map[string]string
			var dbURL string
			if be == "sqlite" {
				env = map[string]string{"CAXBOT_DATA_DIR": t.TempDir(), "TELEGRAM_BOT_TOKEN": srv.Token, "CAXBOT_LOG_LEVEL": "info"}
				dbURL = "sqlite:" + filepath.Join(env["CAXBOT_DATA_DIR"], "caxbot.db")
			} else {
				env = sharedEnv(t, srv)
				dbURL = env["DATABASE_URL"]
			}
			env["CAXBOT_TELEGRAM_API"] = slowAPI(t, srv, 20*time.Millisecond)
			bin := buildCaxbot(t)
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()

			const items = 80
			const firstChat = 9001
			db, err := store.Open(ctx, dbURL, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var outbox []store.OutboxItem
			for i := range items {
				chat := int64(firstChat + i)
				srv.AddUser(tgtest.User{ID: chat, FirstName: "Đồn " + strconv.Itoa(i)})
				payload, err := reminders.MessagePayload(reminders.Message{Text: fmt.Sprintf("kill item %d", chat)})
				if err != nil {
					t.Fatal(err)
				}
				outbox = append(outbox, store.OutboxItem{Key: fmt.Sprintf("kill:%d", chat), ChatID: chat, Kind: "reminder",
					Payload: payload, DueAt: time.Now().Add(-time.Minute)})
			}
			if n, err := db.Enqueue(ctx, outbox); err != nil || n != items {
				t.Fatalf("enqueue: %d, %v", n, err)
			}
			sent := func() int {
				n := 0
				for i := range items {
					if len(srv.Messages(int64(firstChat+i))) > 0 {
						n++
					}
				}
				return n
			}

			a := startServeWith(t, bin, env, killSenders)
			if err := poll(ctx, func() bool { return sent() >= items/4 }); err != nil {
				t.Fatalf("the drain did not start: %v\n%s", err, a.stderr.String())
			}
			a.cmd.Process.Signal(syscall.SIGKILL)
			<-a.exited
			before := sent()
			if before == items {
				t.Fatalf("the replica sent everything before it was killed")
			}

			// The dead replica's leases run out (here at once, rather than
			// in two minutes), and a second replica sends the rest.
			raw, err := sql.Open(map[bool]string{true: "sqlite", false: "postgres"}[be == "sqlite"], strings.TrimPrefix(dbURL, "sqlite:"))
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.ExecContext(ctx, "UPDATE outbox SET lease_owner = '', lease_until = NULL WHERE state = 'pending'"); err != nil {
				t.Fatalf("end the dead replica's leases: %v", err)
			}
			b := startServeWith(t, bin, env, killSenders)
			err = poll(ctx, func() bool {
				got, err := db.OutboxItems(ctx, "kill:")
				if err != nil {
					return false
				}
				for _, it := range got {
					if it.State != store.OutboxSent {
						return false
					}
				}
				return true
			})
			if err != nil {
				t.Fatalf("the second replica did not send the rest: %v\n%s", err, b.stderr.String())
			}
			b.cmd.Process.Signal(syscall.SIGTERM)
			waitExit(t, b)

			twice := 0
			for i := range items {
				chat := int64(firstChat + i)
				switch n := len(srv.Messages(chat)); {
				case n == 0:
					t.Errorf("chat %d never got its message", chat)
				case n == 2:
					twice++
				case n > 2:
					t.Errorf("chat %d got its message %d times", chat, n)
				}
			}
			if twice > killSenders {
				t.Errorf("%d messages went out twice after the kill, want at most %d (the senders' sends in flight)", twice, killSenders)
			}
			t.Logf("killed after %d of %d messages; %d went out twice", before, items, twice)
		})
	}
}
