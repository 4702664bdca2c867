package webapp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/webapp"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// nationalCSV is the whole country's roster, kept outside the repository.
const nationalCSV = "../../../shared/data/vietnam_communes_2020.csv"

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkOverviewNational asks the app's API for overviews on the
// national roster (10,643 communes, about 64,000 posts, the seed plan):
// the Ministry's whole country, a province (Thanh Hóa) and a district,
// each request through the handler as the page makes it (initData
// checked, user read, JSON written), in three states: the posts counted
// in full (the counts kept aged out), right after a report (applied to
// the counts kept) and warm (nothing changed since the scope's last
// overview). It reports the median and the 99th percentile of the wall
// time and the CPU time per request (getrusage around each request;
// ns/op also counts the report written before one). The embedded default
// always; Postgres too with CAXBOT_BENCH_POSTGRES=1.
//
//	go test ./bot/webapp -run '^$' -bench OverviewNational -benchtime 200x
func BenchmarkOverviewNational(b *testing.B) {
	f, err := os.Open(nationalCSV)
	if err != nil {
		b.Skipf("the national roster is not beside the repository: %v", err)
	}
	rows, err := store.ParseCommunes(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	bes := []backend{backends[0]}
	if os.Getenv("CAXBOT_BENCH_POSTGRES") == "1" {
		bes = append(bes, backends[1])
	}
	for _, be := range bes {
		b.Run(be.name, func(b *testing.B) {
			ctx := context.Background()
			db := be.open(b)
			loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
			if err != nil {
				b.Fatal(err)
			}
			var shift time.Duration // moved on to let kept counts age out
			now := func() time.Time { return time.Date(2020, 3, 16, 9, 0, 0, 0, loc).Add(shift) }
			if _, err := db.ImportCommunes(ctx, rows, store.Province{}, "vietnam_communes_2020.csv", now()); err != nil {
				b.Fatal(err)
			}
			if _, err := db.ImportPosts(ctx, nationalPosts(rows), "national.csv", now()); err != nil {
				b.Fatal(err)
			}
			if err := db.SavePlan(ctx, store.SeedPlan(loc), "bench", now()); err != nil {
				b.Fatal(err)
			}
			if err := db.AddUser(ctx, store.User{TelegramID: 1, Name: "Bộ", Role: store.RoleNational, Scope: "VN"}, "bench", now()); err != nil {
				b.Fatal(err)
			}
			cat, err := locales.Load()
			if err != nil {
				b.Fatal(err)
			}
			app, err := webapp.New(webapp.Deps{DB: db, Catalog: cat, Loc: loc, Now: now, Logger: storetest.Logger(b), Token: token, BotUsername: "caxbot_bench"})
			if err != nil {
				b.Fatal(err)
			}
			raw, err := webapp.Sign(token, webapp.WebAppUser{ID: 1, FirstName: "Bộ"}, now(), nil)
			if err != nil {
				b.Fatal(err)
			}
			// Full: the scope's posts counted afresh (at the first request
			// of a scope, after an import, or a minute after the last
			// count); after a report: one report written just before each
			// request, applied to the counts kept; warm: nothing changed
			// since the scope's last overview.
			commune := rows[0].Code
			reports := 0
			for _, scope := range []string{"national", "province:38", "district:380"} {
				for _, mode := range []string{"full", "after-report", "warm"} {
					b.Run(scope+"/"+mode, func(b *testing.B) {
						get := func() int {
							req := httptest.NewRequest("GET", "/api/overview?scope="+scope, nil)
							req.Header.Set("Authorization", "tma "+raw)
							rec := httptest.NewRecorder()
							app.ServeHTTP(rec, req)
							if rec.Code != http.StatusOK {
								b.Fatalf("status %d: %s", rec.Code, rec.Body)
							}
							return rec.Body.Len()
						}
						size := get() // the roster is read once, at the first request
						took := make([]time.Duration, 0, b.N)
						var cpu time.Duration
						for range b.N {
							if mode == "full" {
								shift += 2 * time.Minute
							}
							if mode == "after-report" {
								reports++
								ch := store.Change{Ref: store.PostRef{CommuneCode: commune, Kind: store.Chief, Slot: 1}, Status: store.Semi,
									Holder: fmt.Sprint("Nguyễn Văn ", reports), Actor: "bench", At: now()}
								if _, err := db.ApplyChange(ctx, ch); err != nil {
									b.Fatal(err)
								}
							}
							cpu0, t0 := cpuTime(b), time.Now()
							get()
							took = append(took, time.Since(t0))
							cpu += cpuTime(b) - cpu0
						}
						b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
						slices.Sort(took)
						b.ReportMetric(float64(took[len(took)/2])/float64(time.Millisecond), "ms-p50")
						b.ReportMetric(float64(took[len(took)*99/100])/float64(time.Millisecond), "ms-p99")
						b.ReportMetric(float64(size)/1024, "KiB")
					})
				}
			}
		})
	}
}

// nationalPosts staffs every commune with a chief, one or two deputies
// and three or four officers, their statuses mixed by a fixed rule.
func nationalPosts(rows []store.CommuneRow) []store.PostRow {
	statuses := []store.Status{store.Regular, store.Semi, store.Vacant, store.Regular, store.Regular}
	var out []store.PostRow
	for i, c := range rows {
		kinds := []store.PostKind{store.Chief, store.Deputy, store.Officer, store.Officer, store.Officer}
		if i%2 == 0 {
			kinds = append(kinds, store.Deputy, store.Officer)
		}
		slot := map[store.PostKind]int{}
		for j, k := range kinds {
			slot[k]++
			p := store.Post{CommuneCode: c.Code, Kind: k, Slot: slot[k], Status: statuses[(i*7+j*3)%len(statuses)]}
			if p.Status != store.Vacant {
				p.Holder = fmt.Sprintf("Nguyễn Văn %d", j)
			}
			out = append(out, store.PostRow{Line: len(out) + 2, Post: p})
		}
	}
	return out
}
