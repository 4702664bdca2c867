package reminders_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// TestDrainTelegramFaults drains the outbox while Telegram answers 500s,
// 429s and hangs past the client's timeout: the drainer backs off and
// retries, and in the end every message went out exactly once.
func TestDrainTelegramFaults(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			db, st := be.open(t)
			srv := tgtest.NewServer(tgtest.Options{Scale: 100})
			t.Cleanup(srv.Close)
			// A client that gives up on a hung request quickly.
			client, err := tgbot.New(srv.Token, tgbot.WithServerURL(srv.URL), tgbot.WithSkipGetMe(),
				tgbot.WithHTTPClient(time.Second, &http.Client{Timeout: 300 * time.Millisecond}))
			if err != nil {
				t.Fatal(err)
			}
			start := day(2020, 3, 2).Add(7*time.Hour + 30*time.Minute)
			clk := &clock{now: start}
			const n = 12
			var items []store.OutboxItem
			for i := range n {
				chat := int64(500 + i)
				srv.AddUser(tgtest.User{ID: chat, FirstName: "U"})
				payload, err := json.Marshal(reminders.Message{Text: "Nhắc việc " + strconv.Itoa(i)})
				if err != nil {
					t.Fatal(err)
				}
				items = append(items, store.OutboxItem{Key: "fault:" + strconv.Itoa(i), ChatID: chat, Kind: reminders.KindReminder,
					Payload: string(payload), DueAt: start})
			}
			if _, err := db.Enqueue(ctx, items); err != nil {
				t.Fatal(err)
			}
			srv.InjectFault("sendMessage", tgtest.FaultServerError, 3)
			srv.InjectFault("sendMessage", tgtest.FaultTooManyRequests, 2)
			srv.InjectFault("sendMessage", tgtest.FaultHang, 2)
			srv.InjectFault("sendMessage", tgtest.FaultServerError, 1)

			d := drainer(db, st, bot.TelegramSender{Client: client}, "replica-0", clk.Now, 7)
			d.Backoff = time.Second
			// Sleeping moves the simulated clock on at once.
			d.Sleep = func(ctx context.Context, wait time.Duration) error {
				clk.Set(clk.Now().Add(wait))
				return ctx.Err()
			}
			for pass := 0; pass < 100; pass++ {
				if _, err := d.Drain(ctx); err != nil {
					t.Fatal(err)
				}
				got, err := db.OutboxItems(ctx, "fault:")
				if err != nil {
					t.Fatal(err)
				}
				pending := 0
				for _, it := range got {
					if it.State == store.OutboxPending {
						pending++
					}
				}
				if pending == 0 {
					break
				}
				clk.Set(clk.Now().Add(10 * time.Second))
			}
			got, err := db.OutboxItems(ctx, "fault:")
			if err != nil {
				t.Fatal(err)
			}
			retried := 0
			for _, it := range got {
				if it.State != store.OutboxSent {
					t.Errorf("item %s is %s (%s)", it.Key, it.State, it.LastError)
				}
				if it.Attempts > 0 {
					retried++
				}
				if ms := srv.Messages(it.ChatID); len(ms) != 1 {
					t.Errorf("chat %d got %d messages, want 1", it.ChatID, len(ms))
				}
			}
			if retried == 0 {
				t.Errorf("no item was retried: the faults did not bite")
			}
			if s := srv.Stats(); s.ServerErrors < 4 || s.TooManyRequests < 2 {
				t.Errorf("stats %+v: not every fault was met", s)
			}
		})
	}
}

// flakyLeases is a Leaser whose store is down while down is set.
type flakyLeases struct {
	inner reminders.Leaser
	down  atomic.Bool
}

var errStateDown = errors.New("redis: connection refused")

func (l *flakyLeases) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if l.down.Load() {
		return false, errStateDown
	}
	return l.inner.AcquireLease(ctx, name, holder, ttl)
}

func (l *flakyLeases) ReleaseLease(ctx context.Context, name, holder string) error {
	if l.down.Load() {
		return errStateDown
	}
	return l.inner.ReleaseLease(ctx, name, holder)
}

// TestSchedulerStateDown ticks the scheduler while the shared state that
// holds the job leases is down: the job does not run and writes nothing,
// and a later tick, with the state back, catches up on the missed
// occasion, once.
func TestSchedulerStateDown(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			db, st := be.open(t)
			srv := tgtest.NewServer(tgtest.Options{Scale: 100})
			t.Cleanup(srv.Close)
			setupRoster(t, db, srv)
			leases := &flakyLeases{inner: st}
			s := newScheduler(t, db, leases)
			s.Replica = "replica-0"
			if err := s.Tick(ctx, day(2020, 3, 1).Add(12*time.Hour)); err != nil {
				t.Fatal(err)
			}
			leases.down.Store(true)
			due := day(2020, 3, 2).Add(7*time.Hour + 31*time.Minute)
			if err := s.Tick(ctx, due); err == nil || !errors.Is(err, errStateDown) {
				t.Errorf("tick with the state down: err %v", err)
			}
			if items, err := db.OutboxItems(ctx, ""); err != nil || len(items) != 0 {
				t.Fatalf("outbox %d items (%v) while the state was down", len(items), err)
			}
			leases.down.Store(false)
			if err := s.Tick(ctx, due.Add(3*time.Hour)); err != nil {
				t.Fatal(err)
			}
			items, err := db.OutboxItems(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(items) == 0 {
				t.Fatal("the missed reminders were not caught up")
			}
			// Another tick the same day writes nothing more.
			if err := s.Tick(ctx, due.Add(4*time.Hour)); err != nil {
				t.Fatal(err)
			}
			again, err := db.OutboxItems(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(again) != len(items) {
				t.Errorf("outbox %d items after another tick, was %d", len(again), len(items))
			}
		})
	}
}
