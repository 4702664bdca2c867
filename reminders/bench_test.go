package reminders_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
	"github.com/caxbot/caxbot/store/storetest"
)

// BenchmarkSendThroughTgtest drains an outbox of messages to distinct
// chats through tgtest and the real client, with several Drainers sharing
// one token bucket, and reports the rate achieved against tgtest's limit,
// the 429s, duplicates and losses:
//
//	go test ./reminders -run '^$' -bench SendThroughTgtest -benchtime 1x
func BenchmarkSendThroughTgtest(b *testing.B) {
	for _, bc := range []struct {
		name     string
		scale    float64
		messages int
		senders  int
	}{
		{"scaled-x100-10000", 100, 10000, 24},
		{"real-limits-300", 1, 300, 4},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for range b.N {
				benchmarkSend(b, bc.scale, bc.messages, bc.senders)
			}
		})
	}
}

func benchmarkSend(b *testing.B, scale float64, messages, senders int) {
	b.StopTimer()
	ctx := context.Background()
	db := benchDB(b)
	srv := tgtest.NewServer(tgtest.Options{Scale: scale})
	defer srv.Close()
	limit := 30 * scale
	now := time.Now()
	items := make([]store.OutboxItem, messages)
	for i := range items {
		chat := int64(100000 + i)
		srv.AddUser(tgtest.User{ID: chat, FirstName: "U"})
		payload, err := reminders.MessagePayload(reminders.Message{Text: "Nhắc việc số " + strconv.Itoa(i)})
		if err != nil {
			b.Fatal(err)
		}
		items[i] = store.OutboxItem{Key: "bench:" + strconv.Itoa(i), ChatID: chat, Kind: reminders.KindReminder, Payload: payload, DueAt: now}
	}
	if _, err := db.Enqueue(ctx, items); err != nil {
		b.Fatal(err)
	}
	limiter := state.NewMemory(time.Now)
	sender := bot.TelegramSender{Client: newClient(b, srv)}

	b.StartTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, senders)
	for i := range senders {
		d := &reminders.Drainer{
			Outbox: db, Sender: sender, Limiter: limiter, Now: time.Now,
			Sleep: reminders.SleepContext, Rand: nil, Owner: fmt.Sprintf("bench-%d", i), Batch: 25,
			// Exactly Telegram's limits: tgtest's buckets start full too,
			// so a smaller burst here keeps every send within them.
			Global: reminders.Rate{PerSecond: limit, Burst: max(1, int(limit/100))},
			Chat:   reminders.Rate{PerSecond: scale, Burst: 1},
		}
		d.Rand = drainer(db, limiter, sender, "", time.Now, uint64(i+1)).Rand
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := d.Drain(ctx)
				if err != nil {
					errs <- err
					return
				}
				if n == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}

	perChat := map[int64]int{}
	for _, c := range srv.CallsOf("sendMessage") {
		if c.StatusCode == 200 {
			chat, _ := strconv.ParseInt(c.Params["chat_id"], 10, 64)
			perChat[chat]++
		}
	}
	dups, lost := 0, 0
	for _, it := range items {
		switch n := perChat[it.ChatID]; {
		case n == 0:
			lost++
		case n > 1:
			dups += n - 1
		}
	}
	rate := float64(messages) / elapsed.Seconds()
	b.ReportMetric(rate, "msgs/s")
	b.ReportMetric(100*rate/limit, "%limit")
	b.ReportMetric(float64(srv.Stats().TooManyRequests), "429s")
	b.ReportMetric(float64(dups), "dups")
	b.ReportMetric(float64(lost), "lost")
	b.Logf("%d messages in %v: %.0f msgs/s, %.1f%% of %.0f/s; 429: %d, duplicates: %d, lost: %d",
		messages, elapsed.Round(time.Millisecond), rate, 100*rate/limit, limit, srv.Stats().TooManyRequests, dups, lost)
}

// benchDB is Postgres when CAXBOT_BENCH_POSTGRES=1, else SQLite.
func benchDB(b *testing.B) *store.DB {
	if os.Getenv("CAXBOT_BENCH_POSTGRES") == "1" {
		return storetest.Postgres(b)
	}
	return storetest.SQLite(b)
}
