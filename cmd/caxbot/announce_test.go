package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestAnnounceCommandLine sends an announcement from the command line on
// both backends: a wrong scope, role or text is refused, the messages
// wait in the outbox signed by the province with their “Đã đọc” button,
// and announce show names who has not read it.
func TestAnnounceCommandLine(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			env := dataEnv(t)
			if backend == "postgres" {
				env["DATABASE_URL"] = storetest.PostgresURL(t)
			}
			ctx := context.Background()
			mustRun(t, env, "import", "communes", rosterFile)
			mustRun(t, env, "import", "units", writeFile(t, "so-nganh.csv", "unit_code,unit_name\nSNV,Sở Nội vụ\n"))
			for _, u := range [][]string{
				{"100", "province", "17", "Nguyễn Văn Tỉnh"},
				{"201", "district", "150", "Bùi Văn Thắng"},
				{"301", "commune", "04831", "Đinh Văn An"},
				{"302", "commune", "04834", "Hà Thị Mai"},
				{"401", "unit", "SNV", "Bùi Thị Lan"},
			} {
				mustRun(t, env, "users", "add", "--telegram-id", u[0], "--role", u[1], "--scope", u[2], "--name", u[3])
			}

			for _, c := range []struct {
				name string
				args []string
				want string
			}{
				{"a commune's code", []string{"--scope", "04831", "--text", "Họp giao ban"}, "“04831” không phải VN (cả nước), mã tỉnh (2 chữ số) hoặc mã huyện (3 chữ số)."},
				{"a role the district does not reach", []string{"--scope", "150", "--role", "unit", "--text", "Họp giao ban"}, "không gửi cho vai trò “unit”; dùng một trong: commune, district."},
				{"an empty text", []string{"--scope", "17", "--text", "  "}, "Nội dung thông báo không được để trống và tối đa 3.500 ký tự."},
				{"an unknown district", []string{"--scope", "999", "--text", "Họp giao ban"}, "Không có mã “999” cho vai trò Lãnh đạo huyện."},
			} {
				code, _, errOut := run(t, env, append([]string{"announce", "send"}, c.args...)...)
				if code == 0 || !strings.Contains(errOut, c.want) {
					t.Errorf("%s: exit %d\n%s", c.name, code, errOut)
				}
			}

			out := mustRun(t, env, "announce", "send", "--scope", "17", "--role", "commune", "--text", "Đề nghị Công an các xã báo cáo trước ngày 20/03/2020.")
			if !strings.Contains(out, "Đã đưa thông báo số 1 vào hàng gửi tới 2 người; caxbot serve sẽ gửi đi. Xem ai chưa đọc: caxbot announce show 1") {
				t.Errorf("send:\n%s", out)
			}

			db := openStoreOf(t, env)
			items, err := db.Claim(ctx, time.Date(2020, 3, 2, 0, 0, 0, 0, time.UTC), 10, "test", time.Minute)
			if err != nil || len(items) != 2 || items[0].ChatID != 301 || items[1].ChatID != 302 {
				t.Fatalf("outbox %+v, %v", items, err)
			}
			for _, it := range items {
				if it.Kind != store.AnnouncementKind || !strings.Contains(it.Payload, "Thông báo của Công an tỉnh Hòa Bình, 08:00 ngày 01/03/2020") ||
					!strings.Contains(it.Payload, `"data":"rd:1"`) {
					t.Errorf("outbox item %+v", it)
				}
			}
			if _, _, err := db.MarkAnnouncementRead(ctx, 1, 301, time.Now()); err != nil {
				t.Fatal(err)
			}
			out = mustRun(t, env, "announce", "show", "1")
			for _, want := range []string{"Thông báo số 1, gửi 08:00 ngày 01/03/2020 tới 2 người; đã đọc 1/2 (50,0%).",
				"Đề nghị Công an các xã báo cáo trước ngày 20/03/2020.", "Chưa đọc: đơn vị", "Công an xã Nánh Nghê  Hà Thị Mai  302"} {
				if !strings.Contains(out, want) {
					t.Errorf("show lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "Đinh Văn An") {
				t.Errorf("show names who read it:\n%s", out)
			}
			if code, _, errOut := run(t, env, "announce", "show", "7"); code == 0 || !strings.Contains(errOut, "Không có thông báo số 7.") {
				t.Errorf("show of an unknown number: exit %d\n%s", code, errOut)
			}
		})
	}
}

// TestAnnounceCommandLineNational: as /thongbao lets the Ministry, the
// command line announces to the whole country (--scope VN), to every role
// or one, signed by the Ministry in each recipient's language.
func TestAnnounceCommandLineNational(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			env := dataEnv(t)
			if backend == "postgres" {
				env["DATABASE_URL"] = storetest.PostgresURL(t)
			}
			ctx := context.Background()
			mustRun(t, env, "import", "communes", rosterFile)
			mustRun(t, env, "import", "units", writeFile(t, "so-nganh.csv", "unit_code,unit_name\nSNV,Sở Nội vụ\n"))
			for _, u := range [][]string{
				{"100", "province", "17", "Nguyễn Văn Tỉnh", "vi"},
				{"201", "district", "150", "Bùi Văn Thắng", "vi"},
				{"301", "commune", "04831", "Đinh Văn An", "en"},
				{"401", "unit", "SNV", "Bùi Thị Lan", "vi"},
				{"900", "national", "VN", "Nguyễn Văn Bộ", "vi"},
			} {
				mustRun(t, env, "users", "add", "--telegram-id", u[0], "--role", u[1], "--scope", u[2], "--name", u[3], "--user-lang", u[4])
			}
			if code, _, errOut := run(t, env, "announce", "send", "--scope", "VN", "--role", "ward", "--text", "Họp"); code == 0 ||
				!strings.Contains(errOut, "không gửi cho vai trò “ward”; dùng một trong: commune, district, unit, province, national.") {
				t.Errorf("a role nobody has: exit %d\n%s", code, errOut)
			}
			out := mustRun(t, env, "announce", "send", "--scope", "vn", "--text", "Bộ Công an đề nghị các địa phương báo cáo tiến độ trước ngày 20/03/2020.")
			if !strings.Contains(out, "Đã đưa thông báo số 1 vào hàng gửi tới 5 người") {
				t.Errorf("send to the whole country:\n%s", out)
			}
			out = mustRun(t, env, "announce", "send", "--scope", "VN", "--role", "province", "--text", "Họp trực tuyến 14:00.")
			if !strings.Contains(out, "Đã đưa thông báo số 2 vào hàng gửi tới 1 người") {
				t.Errorf("send to the provinces:\n%s", out)
			}
			db := openStoreOf(t, env)
			items, err := db.Claim(ctx, time.Date(2020, 3, 2, 0, 0, 0, 0, time.UTC), 10, "test", time.Minute)
			if err != nil || len(items) != 6 {
				t.Fatalf("outbox %+v, %v", items, err)
			}
			for _, it := range items {
				want := "Thông báo của Bộ Công an, 08:00 ngày 01/03/2020"
				if it.ChatID == 301 {
					want = "Announcement from Ministry of Public Security, 08:00 on 01/03/2020"
				}
				if it.Kind != store.AnnouncementKind || !strings.Contains(it.Payload, want) {
					t.Errorf("outbox item to %d, want %q: %s", it.ChatID, want, it.Payload)
				}
			}
			a, err := db.Announcement(ctx, 1)
			if err != nil || !a.Scope.All() {
				t.Errorf("announcement 1: %+v, %v", a, err)
			}
		})
	}
}

// openStoreOf opens the store an env's commands use, embedded or Postgres.
func openStoreOf(t *testing.T, env map[string]string) *store.DB {
	t.Helper()
	if env["DATABASE_URL"] == "" {
		return openStore(t, env)
	}
	db, err := store.Open(context.Background(), env["DATABASE_URL"], nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
