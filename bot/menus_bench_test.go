package bot

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
	"github.com/caxbot/caxbot/store/storetest"
)

// menuBenchUsers is a national deployment's users: a commune's staff,
// district heads and the provinces, in the order of magnitude issue 14
// names.
const menuBenchUsers = 100_000

// BenchmarkSyncMenus measures one menus sync (syncMenus: the users'
// generation, the roles' menus, the store's comparison and the queueing)
// at 100,000 users, on both backends: "queue" with more chats to set than
// a sync may queue (a national deployment's first syncs: Options
// MenusPerSync menus each), "nochange" with every chat's menu queued
// already (a sync after a change of the users that touched no menu). It
// reports the CPU time of the process per sync besides the wall-clock
// time and the memory allocated.
//
//	go test ./bot -run '^$' -bench SyncMenus -benchtime 10x
func BenchmarkSyncMenus(b *testing.B) {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		b.Fatal(err)
	}
	now := func() time.Time { return time.Date(2020, 3, 16, 9, 0, 0, 0, loc) }
	cat, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	parent := b
	for _, be := range []struct {
		name string
		open func(testing.TB) (*store.DB, state.State)
	}{
		{"sqlite", func(tb testing.TB) (*store.DB, state.State) { return storetest.SQLite(tb), state.NewMemory(now) }},
		{"postgres", func(tb testing.TB) (*store.DB, state.State) { return storetest.Postgres(tb), storetest.Redis(tb) }},
	} {
		var bot *Bot // built once per backend: importing the users takes a while
		var db *store.DB
		var st state.State
		newBot := func(b *testing.B, opt Options) *Bot {
			bt, err := New(ctx, Deps{DB: db, State: st, Catalog: cat, Loc: loc, Now: now, Logger: storetest.Logger(parent), BotUsername: "caxbot_bench", Options: opt})
			if err != nil {
				b.Fatal(err)
			}
			return bt
		}
		// measure runs b.N syncs, each expected to queue want menus for
		// chats that had none.
		// measure runs b.N syncs, each expected to queue want menus for
		// chats that had none; the menus are marked sent between syncs
		// (outside the figures), as the Drainer sends them.
		measure := func(b *testing.B, want int) {
			before := countMenus(b, db)
			b.ReportAllocs()
			var cpu time.Duration
			b.ResetTimer()
			for range b.N {
				cpu0 := cpuTime(b)
				if _, _, err := bot.syncMenus(ctx); err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime(b) - cpu0
				b.StopTimer()
				sendMenus(b, db)
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			if got := countMenus(b, db) - before; got != want*b.N {
				b.Fatalf("%d syncs queued %d menus, want %d each (out of users to queue: a smaller -benchtime)", b.N, got, want)
			}
		}
		b.Run(be.name+"/queue", func(b *testing.B) {
			if bot == nil {
				db, st = be.open(parent)
				seedRoster(parent, db, loc)
				importBenchUsers(parent, db, now())
				bot = newBot(b, Options{})
			}
			measure(b, bot.opt.MenusPerSync)
		})
		b.Run(be.name+"/nochange", func(b *testing.B) {
			if bot == nil {
				b.Skip("needs the queue run before it")
			}
			// Every chat's menu queued, ten thousand a sync.
			fill := newBot(b, Options{MenusPerSync: 10_000})
			for {
				_, more, err := fill.syncMenus(ctx)
				if err != nil {
					b.Fatal(err)
				}
				sendMenus(b, db)
				if !more {
					break
				}
			}
			measure(b, 0)
		})
	}
}

// countMenus counts the chats given a menu, as the store records them.
func countMenus(b *testing.B, db *store.DB) int {
	n, err := db.ChatMenusCount(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// sendMenus marks every menu waiting in the outbox sent.
func sendMenus(b *testing.B, db *store.DB) {
	ctx := context.Background()
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for {
		items, err := db.Claim(ctx, at, 1000, "bench", time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if len(items) == 0 {
			return
		}
		for _, it := range items {
			if err := db.MarkSent(ctx, it.ID, at); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// importBenchUsers adds menuBenchUsers users of every role but the
// Ministry's over seedRoster's communes, districts and units.
func importBenchUsers(b testing.TB, db *store.DB, at time.Time) {
	ctx := context.Background()
	communes, err := db.Communes(ctx, store.Scope{})
	if err != nil {
		b.Fatal(err)
	}
	var rows []store.UserRow
	flush := func() {
		if _, err := db.ImportUsers(ctx, rows, "bench.csv", at); err != nil {
			b.Fatal(err)
		}
		rows = rows[:0]
	}
	for i := range menuBenchUsers {
		u := store.User{TelegramID: int64(5_000_000 + i), Name: fmt.Sprintf("Cán bộ %d", i), Role: store.RoleCommune}
		c := communes[i%len(communes)]
		switch {
		case i%100 == 0:
			u.Role, u.Scope = store.RoleDistrict, c.DistrictCode
		case i%1000 == 1:
			u.Role, u.Scope = store.RoleProvince, "17"
		default:
			u.Scope = c.Code
		}
		rows = append(rows, store.UserRow{Line: len(rows) + 2, User: u})
		if len(rows) == 10_000 {
			flush()
		}
	}
	if len(rows) > 0 {
		flush()
	}
}
