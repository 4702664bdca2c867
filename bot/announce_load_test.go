package bot

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestAnnouncementTo10000 sends one announcement of the province to
// 10,000 commune users through the bot, then drains it with several
// Drainers sharing one rate limiter against a tgtest server that enforces
// Telegram's limits scaled thirtyfold (900 messages a second, 30 a second
// to one chat: what this machine can send, so that the limit and not the
// machine sets the pace): every recipient gets it exactly once, and no
// send is refused for going too fast. It logs the rate reached against
// the limit. It runs on the embedded store; CAXBOT_BENCH_POSTGRES=1 runs
// it on Postgres and Redis as well. Under the race detector it sends
// 1,000 messages:
//
//	go test ./bot -run TestAnnouncementTo10000 -v
func TestAnnouncementTo10000(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 messages: not in -short")
	}
	bes := backends[:1]
	if os.Getenv("CAXBOT_BENCH_POSTGRES") == "1" {
		bes = backends
	}
	for _, be := range bes {
		t.Run(be.name, func(t *testing.T) { announceTo10000(t, be) })
	}
}

func announceTo10000(t *testing.T, be backend) {
	const scale, drainers = 30.0, 16
	recipients := 10000
	if raceDetector {
		// The race detector runs the embedded SQLite's code several times
		// slower: writing 10,000 outbox items then outlasts the update's
		// deadline. A tenth of them go through the same senders at once.
		recipients = 1000
	}
	ctx, cancel := context.WithCancel(context.Background())
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2020, 3, 16, 9, 0, 0, 0, loc)}
	db, st := be.open(t, clk.Now)
	seedRoster(t, db, loc)
	communes, err := db.Communes(ctx, store.Scope{Role: store.RoleProvince, Code: "17"})
	if err != nil {
		t.Fatal(err)
	}
	// The limits run on the real clock: the bot's frozen one would
	// never refill tgtest's buckets.
	srv := tgtest.NewServer(tgtest.Options{BotUsername: "caxbot_test", Scale: scale})
	rows := []store.UserRow{{Line: 2, User: store.User{TelegramID: provinceUser.ID, Name: "Quách Văn Lâm", Role: store.RoleProvince, Scope: "17"}}}
	for i := range recipients {
		id := int64(5_000_000 + i)
		c := communes[i%len(communes)]
		rows = append(rows, store.UserRow{Line: i + 3, User: store.User{TelegramID: id, Name: fmt.Sprintf("Cán bộ %d", i), Role: store.RoleCommune, Scope: c.Code}})
		srv.AddUser(tgtest.User{ID: id, FirstName: "Cán bộ", LanguageCode: "vi"})
	}
	if _, err := db.ImportUsers(ctx, rows, "can-bo.xlsx", clk.Now()); err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(ctx, Deps{DB: db, State: st, Catalog: cat, Loc: loc, Now: clk.Now, Logger: storetest.Logger(t), BotUsername: "caxbot_test"})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := b.NewClient(srv.Token, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := b.Run(ctx, tg); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() { cancel(); wg.Wait(); srv.Close() })
	// Queuing the messages takes its seconds under the race detector.
	e := &env{t: t, ctx: ctx, srv: srv, db: db, st: st, bot: b, tg: tg, clock: clk, loc: loc, wait: 2 * time.Minute}

	roles := e.say(provinceUser, "/thongbao Đề nghị Công an các xã, thị trấn rà soát và báo cáo danh sách Công an viên bán chuyên trách trước ngày 31/03/2020.")
	people := cat.Printer(locales.Default, loc).Num(recipients) + " người"
	e.press(provinceUser, roles, "Công an xã ("+people+")")
	e.press(provinceUser, e.message(provinceUser.ID, roles.ID), "Gửi ("+people+")")
	if m := e.message(provinceUser.ID, roles.ID); !strings.Contains(m.PlainText, "tới "+people) {
		t.Fatalf("queued: %s", m.PlainText)
	}

	limiter := state.NewMemory(time.Now)
	cpuBefore := cpuTime(t)
	start := time.Now()
	var dwg sync.WaitGroup
	errs := make(chan error, drainers)
	for i := range drainers {
		d := &reminders.Drainer{Outbox: db, Sender: TelegramSender{Client: tg}, Limiter: limiter, Now: time.Now,
			Sleep: reminders.SleepContext, Rand: rand.New(rand.NewPCG(uint64(i), 1)), Owner: "drainer-" + strconv.Itoa(i), Batch: 50,
			// Telegram's limits, scaled as tgtest's; tgtest's buckets
			// start full, so a small burst keeps within them.
			Global: reminders.Rate{PerSecond: 30 * scale, Burst: 30},
			Chat:   reminders.Rate{PerSecond: scale, Burst: 1}}
		dwg.Add(1)
		go func() {
			defer dwg.Done()
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
	dwg.Wait()
	elapsed := time.Since(start)
	cpu := cpuTime(t) - cpuBefore
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	perChat := make(map[int64]int)
	for _, c := range srv.CallsOf("sendMessage") {
		chat, _ := strconv.ParseInt(c.Params["chat_id"], 10, 64)
		if c.StatusCode == 200 && chat >= 5_000_000 {
			perChat[chat]++
		}
	}
	lost, doubled := 0, 0
	for i := range recipients {
		switch n := perChat[int64(5_000_000+i)]; {
		case n == 0:
			lost++
		case n > 1:
			doubled += n - 1
		}
	}
	throttled := srv.Stats().TooManyRequests
	if lost > 0 || doubled > 0 || throttled > 0 {
		t.Errorf("lost %d, doubled %d, refused for going too fast %d", lost, doubled, throttled)
	}
	readers, err := db.AnnouncementReaders(ctx, 1)
	if err != nil || len(readers) != recipients {
		t.Errorf("recipients recorded: %d, %v", len(readers), err)
	}
	// Who has not read it: too many to name, each commune with its count,
	// in a few messages within Telegram's limit (which tgtest enforces).
	before := len(srv.Messages(provinceUser.ID))
	srv.SendText(provinceUser, provinceUser.ID, "/thongbao_1")
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	defer wcancel()
	if err := srv.WaitFor(wctx, func() bool {
		ms := srv.Messages(provinceUser.ID)
		return len(ms) > before+1 && strings.Contains(ms[len(ms)-1].PlainText, communes[len(communes)-1].Name)
	}); err != nil {
		t.Fatalf("no full answer to /thongbao_1: %v", err)
	}
	status := srv.Messages(provinceUser.ID)[before+1:]
	if len(status) > 3 || !strings.Contains(status[0].PlainText, "Chưa đọc ("+people+"), số người theo đơn vị:") {
		t.Errorf("/thongbao_1 in %d messages, first:\n%s", len(status), status[0].PlainText)
	}
	t.Logf("/thongbao_1 answered in %d messages", len(status))
	rate := float64(recipients) / elapsed.Seconds()
	t.Logf("%d messages in %v: %.0f msgs/s, %.1f%% of the scaled limit of %.0f/s; CPU of this process (bot, Drainers and tgtest) %.2f ms a message; 429: %d, lost: %d, doubled: %d",
		recipients, elapsed.Round(time.Millisecond), rate, 100*rate/(30*scale), 30*scale, float64(cpu.Microseconds())/1000/float64(recipients), throttled, lost, doubled)
}
