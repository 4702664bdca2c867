package reminders_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

func TestWorkingDaysSince(t *testing.T) {
	cal, err := reminders.DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h int) time.Time { return day(y, m, d).Add(time.Duration(h) * time.Hour) }
	tests := []struct {
		name       string
		since, now time.Time
		want       int
	}{
		{"the same day", at(2020, 3, 13, 9), at(2020, 3, 13, 17), 0},
		{"Friday to Monday", at(2020, 3, 13, 16), at(2020, 3, 16, 7), 1},
		{"Friday to Thursday", at(2020, 3, 13, 16), at(2020, 3, 19, 7), 4},
		{"over Giỗ Tổ Hùng Vương (02/04/2020) and the weekend", at(2020, 4, 1, 10), at(2020, 4, 6, 8), 2},
		{"over Tết Canh Tý", at(2020, 1, 22, 10), at(2020, 1, 30, 8), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.WorkingDaysSince(tt.since, tt.now); got != tt.want {
				t.Errorf("WorkingDaysSince = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestChecksJob: the district's head gets the daily list of reports
// waiting for the district, another district's head nothing; once a
// report has waited more than CheckDays working days the province is
// told, and the report is marked escalated; a verified report is listed
// no more.
func TestChecksJob(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			db, st := be.open(t)
			srv := tgtest.NewServer(tgtest.Options{Scale: 100})
			t.Cleanup(srv.Close)
			ro := setupRoster(t, db, srv)
			// Tân Lập (Lạc Sơn) reports its chief on Friday 13/03/2020.
			rep, err := db.ApplyChange(ctx, store.Change{Ref: store.PostRef{CommuneCode: "05287", Kind: store.Chief, Slot: 1},
				Status: store.Regular, Holder: "Bùi Văn An", Actor: "user:7001", At: day(2020, 3, 13).Add(16 * time.Hour),
				Check: store.CheckReported, Decision: store.Decision{Number: "125/QĐ-CAT"}})
			if err != nil {
				t.Fatal(err)
			}
			s := newScheduler(t, db, st)
			s.CheckDays = 3
			tick := func(now time.Time) {
				t.Helper()
				if err := s.Tick(ctx, now); err != nil {
					t.Fatal(err)
				}
			}
			tick(day(2020, 3, 13).Add(17 * time.Hour)) // the first run only records itself
			head, other := ro.heads["157"], ro.heads["150"]
			texts := func(prefix string) map[int64]string {
				t.Helper()
				items, err := db.OutboxItems(ctx, prefix)
				if err != nil {
					t.Fatal(err)
				}
				out := make(map[int64]string)
				for _, it := range items {
					var m reminders.Message
					if err := json.Unmarshal([]byte(it.Payload), &m); err != nil {
						t.Fatal(err)
					}
					out[it.ChatID] = m.Text
				}
				return out
			}

			tick(day(2020, 3, 14).Add(7*time.Hour + 31*time.Minute)) // Saturday
			if sat := texts("checks:"); len(sat) != 0 {
				t.Errorf("lists on a Saturday: %v", sat)
			}
			tick(day(2020, 3, 16).Add(7*time.Hour + 31*time.Minute))
			monday := texts("checks:2020-03-16:")
			if got := monday[head]; !strings.Contains(got, "1 báo cáo chờ") || !strings.Contains(got, "Xã Tân Lập: Trưởng Công an xã Bùi Văn An, đã chờ 1 ngày làm việc") {
				t.Errorf("Lạc Sơn's head on Monday: %q", got)
			}
			if _, ok := monday[other]; ok || len(monday) != 1 {
				t.Errorf("Monday's lists went to %v, want Lạc Sơn's head only", monday)
			}
			if late := texts("checks-late:"); len(late) != 0 {
				t.Errorf("escalated on Monday: %v", late)
			}

			tick(day(2020, 3, 19).Add(7*time.Hour + 31*time.Minute))
			late := texts("checks-late:2020-03-19:")
			if got := late[provinceChat]; !strings.Contains(got, "quá 3 ngày làm việc") || !strings.Contains(got, "đã chờ 4 ngày làm việc") {
				t.Errorf("the province on Thursday: %q (all %v)", got, late)
			}
			c, err := db.CheckedReport(ctx, store.Scope{}, rep.ID)
			if err != nil || c.Details.EscalatedAt == nil {
				t.Errorf("escalated at = %v, %v", c.Details.EscalatedAt, err)
			}
			// The lists go out through the outbox, as Telegram takes them.
			d := drainer(db, st, bot.TelegramSender{Client: newClient(t, srv)}, "replica-0", func() time.Time { return day(2020, 3, 19).Add(8 * time.Hour) }, 1)
			for {
				n, err := d.Drain(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					break
				}
			}
			got := func(chat int64, want string) {
				t.Helper()
				for _, m := range srv.Messages(chat) {
					if strings.Contains(m.PlainText, want) {
						return
					}
				}
				t.Errorf("chat %d has no message with %q", chat, want)
			}
			got(head, "Xã Tân Lập: Trưởng Công an xã Bùi Văn An, đã chờ 4 ngày làm việc")
			got(provinceChat, "quá 3 ngày làm việc")

			if _, err := db.CheckReport(ctx, store.Verdict{ReportID: rep.ID, Scope: store.Scope{Role: store.RoleDistrict, Code: "157"},
				Verify: true, Actor: "user:" + strconv.FormatInt(head, 10), At: day(2020, 3, 19).Add(9 * time.Hour)}); err != nil {
				t.Fatal(err)
			}
			tick(day(2020, 3, 20).Add(7*time.Hour + 31*time.Minute))
			if friday := texts("checks:2020-03-20:"); len(friday) != 0 {
				t.Errorf("a verified report still listed: %v", friday)
			}

			// A report of Monday morning, before the list: not "0 days".
			if _, err := db.ApplyChange(ctx, store.Change{Ref: store.PostRef{CommuneCode: "05287", Kind: store.Deputy, Slot: 1},
				Status: store.Regular, Holder: "Quách Văn Bình", Actor: "user:7001", At: day(2020, 3, 23).Add(7 * time.Hour),
				Check: store.CheckReported}); err != nil {
				t.Fatal(err)
			}
			tick(day(2020, 3, 23).Add(7*time.Hour + 31*time.Minute))
			if got := texts("checks:2020-03-23:")[head]; !strings.Contains(got, "Phó Trưởng Công an xã Quách Văn Bình, mới báo cáo (chưa hết một ngày làm việc)") || strings.Contains(got, "0 ngày") {
				t.Errorf("Lạc Sơn's head on the next Monday: %q", got)
			}
		})
	}
}
