package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// lines is text split into its lines, without blank ones.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestCommandLine(t *testing.T) {
	data := t.TempDir()
	holidays := writeFile(t, "ngay-nghi.txt", "2020-01-01 tết dương lịch\n\n2020-13-01 sai\n")
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		code    int
		stdout  []string // lines that must be printed, in order of appearance
		stderr  []string
		notOut  []string // what must not be printed anywhere
		oneLine bool     // stderr is one line
	}{
		{name: "help of one command, its flags only", args: []string{"help", "import"}, code: 0,
			stdout: []string{"Cách dùng: caxbot import communes", "--sheet GIÁ_TRỊ", "trang tính cần đọc"},
			notOut: []string{"DATABASE_URL", "--webhook-secret"}},
		{name: "-h in English, the language flag after", args: []string{"import", "-h", "--lang", "en"}, code: 0,
			stdout: []string{"Usage: caxbot import communes", "--sheet VALUE", "the sheet of an .xlsx file"},
			notOut: []string{"Cách dùng"}},
		{name: "help of a subcommand's command in English, the language flag first", args: []string{"--lang", "en", "help", "users"}, code: 0,
			stdout: []string{"caxbot users import FILE", "--telegram-id N"}},
		{name: "settings' flags before the command", args: []string{"--data-dir", data, "--lang=en", "status"}, code: 0,
			stdout: []string{"Store: embedded SQLite " + filepath.Join(data, "caxbot.db")}},
		{name: "a missing required flag is named", args: []string{"users", "add", "--telegram-id", "5", "--data-dir", data}, code: 2,
			stderr: []string{"Thiếu tùy chọn --role", "Thiếu tùy chọn --scope", "Thiếu tùy chọn --name", "Xem cách dùng: caxbot help users"}},
		{name: "a flag the command does not have", args: []string{"status", "--csv"}, code: 2,
			stderr: []string{"Lệnh “caxbot status” không có tùy chọn --csv.", "Xem cách dùng: caxbot help status"}},
		{name: "a value of the wrong kind", args: []string{"chat", "--as", "Nguyễn Văn Tỉnh"}, code: 2,
			stderr: []string{"Tùy chọn --as không nhận giá trị “Nguyễn Văn Tỉnh”: cần SỐ."}},
		{name: "a flag without its value", args: []string{"invite", "list", "--scope"}, code: 2,
			stderr: []string{"Tùy chọn --scope cần một giá trị."}},
		{name: "a date that does not exist", args: []string{"progress", "--date", "31/02/2020", "--data-dir", data}, code: 2,
			stderr: []string{"Ngày “31/02/2020” không có trên lịch (kiểm tra lại ngày và tháng)."}, notOut: []string{"không phải một ngày dạng"}},
		{name: "a date that does not exist, written the other way, in English", args: []string{"chat", "--as", "5", "--date", "2021-02-29", "--lang", "en", "--data-dir", data}, code: 2,
			stderr: []string{"Date “2021-02-29” does not exist (check the day and the month)."}},
		{name: "a month that does not exist", args: []string{"reminders", "preview", "--date", "10/13/2020", "--data-dir", data}, code: 2,
			stderr: []string{"Ngày “10/13/2020” không có trên lịch"}},
		{name: "a demo's day that does not exist", args: []string{"demo", "--from", "2020-02-30", "--out", filepath.Join(data, "demo")}, code: 1,
			stderr: []string{"Ngày “2020-02-30” không có trên lịch (kiểm tra lại ngày và tháng)."}},
		{name: "a date written otherwise", args: []string{"progress", "--date", "hôm qua", "--data-dir", data}, code: 2,
			stderr: []string{"Ngày “hôm qua” không phải một ngày dạng YYYY-MM-DD hoặc DD/MM/YYYY."}},
		{name: "every wrong setting, one line each",
			env:  map[string]string{"CAXBOT_CATCH_UP": "3 ngày", "CAXBOT_LOG_LEVEL": "loud", "CAXBOT_HOLIDAYS_FILE": holidays, "CAXBOT_DIGEST_CHAT": "nhóm tỉnh"},
			args: []string{"status", "--send-hours", "7-20"}, code: 1,
			stderr: []string{
				"Thiết lập CAXBOT_LOG_LEVEL sai (loud): cần debug, info, warn hoặc error.",
				"Thiết lập CAXBOT_DIGEST_CHAT sai (nhóm tỉnh)",
				"Thiết lập CAXBOT_HOLIDAYS_FILE sai (" + holidays + "): dòng 3: “2020-13-01” không phải ngày YYYY-MM-DD",
				"Thiết lập CAXBOT_SEND_HOURS sai (7-20): cần khung giờ dạng 07:00-20:00.",
				"Thiết lập CAXBOT_CATCH_UP sai (3 ngày): cần một khoảng thời gian dương, ví dụ 72h.",
			}},
		{name: "Postgres that does not answer: one line, no password",
			env:  map[string]string{"DATABASE_URL": "postgres://caxbot:Mk-Postgres-9@127.0.0.1:1/caxbot?sslmode=disable"},
			args: []string{"status"}, code: 1, oneLine: true,
			stderr: []string{"Không mở hoặc không kết nối được cơ sở dữ liệu postgres://127.0.0.1:1/caxbot"},
			notOut: []string{"Mk-Postgres-9"}},
		{name: "Redis that does not answer: one line, no password",
			env:  map[string]string{"REDIS_URL": "redis://:Mk-Redis-7@127.0.0.1:1/0", "CAXBOT_DATA_DIR": data},
			args: []string{"status"}, code: 1, oneLine: true,
			stderr: []string{"Không kết nối được Redis redis://:xxxxx@127.0.0.1:1/0"},
			notOut: []string{"Mk-Redis-7"}},
		{name: "a data folder that cannot be made", args: []string{"status", "--data-dir", "/proc/caxbot/du-lieu"}, code: 1, oneLine: true,
			stderr: []string{"Không tạo được thư mục dữ liệu /proc/caxbot/du-lieu (CAXBOT_DATA_DIR)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runBin(t, tt.env, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			for _, w := range tt.notOut {
				if strings.Contains(out+errOut, w) {
					t.Errorf("printed %q:\n%s%s", w, out, errOut)
				}
			}
			if tt.oneLine && len(lines(errOut)) != 1 {
				t.Errorf("stderr is %d lines, want one:\n%s", len(lines(errOut)), errOut)
			}
		})
	}
}

// TestSecretsAreNeverPrinted runs every way a person asks for help or gets
// a flag wrong with the secrets set, and looks for them in what is printed.
func TestSecretsAreNeverPrinted(t *testing.T) {
	const (
		token    = "7123456789:AAH-Bot-Token-Secret-xyz"
		secret   = "Webhook_Secret_0123456789"
		dbPass   = "Mat-Khau-Postgres-1"
		redisPwd = "Mat-Khau-Redis-2"
	)
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN":    token,
		"CAXBOT_WEBHOOK_SECRET": secret,
		"CAXBOT_WEBHOOK_URL":    "https://caxbot.congan.hoabinh.gov.vn/telegram",
		"DATABASE_URL":          "postgres://caxbot:" + dbPass + "@127.0.0.1:1/caxbot?sslmode=disable",
		"REDIS_URL":             "redis://:" + redisPwd + "@127.0.0.1:1/0",
		// Telegram that does not answer: getMe's error names the URL with the token in it.
		"CAXBOT_TELEGRAM_API": "http://127.0.0.1:1",
	}
	cases := [][]string{
		{"help"}, {"-h"}, {"help", "serve"}, {"serve", "-h"}, {"serve", "--senders", "many"},
		{"serve", "--no-such-flag"}, {"serve", "--webhook-secret", "short"}, {"status", "--database-url", "mysql://root:" + dbPass + "@db/x"},
		{"serve", "--database-url", "postgres://caxbot:" + dbPass + "@127.0.0.1:1/caxbot", "--redis-url", "redis://:" + redisPwd + "@127.0.0.1:1/0"},
		{"status"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, out, errOut := runBin(t, env, "", args...)
			for _, s := range []string{token, secret, dbPass, redisPwd, "AAH-Bot-Token"} {
				if strings.Contains(out+errOut, s) {
					t.Errorf("printed a secret %q:\n%s%s", s, out, errOut)
				}
			}
		})
	}
	// serve gets as far as asking Telegram for its name, whose error
	// carries the token in the URL.
	env["DATABASE_URL"], env["REDIS_URL"], env["CAXBOT_DATA_DIR"] = "", "", t.TempDir()
	code, out, errOut := runBin(t, env, "", "serve", "--listen", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errOut, "Không hỏi được Telegram tên của bot (getMe)") || strings.Contains(out+errOut, token) {
		t.Errorf("serve with a Telegram that does not answer: exit %d\n%s%s", code, out, errOut)
	}
}

// newestMigration is the number of the newest embedded migration, without
// its leading zeros.
func newestMigration(t *testing.T) string {
	t.Helper()
	files, err := filepath.Glob("../../store/migrations/sqlite/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v, %d files", err, len(files))
	}
	slices.Sort(files)
	n, _, _ := strings.Cut(filepath.Base(files[len(files)-1]), "_")
	return strings.TrimLeft(n, "0")
}

func TestStatus(t *testing.T) {
	t.Run("empty store", func(t *testing.T) {
		env := dataEnv(t)
		out := mustBin(t, env, "status")
		for _, w := range []string{
			"Cơ sở dữ liệu: SQLite nhúng " + filepath.Join(env["CAXBOT_DATA_DIR"], "caxbot.db") + ", lược đồ phiên bản " + newestMigration(t) + " (mới nhất)",
			"Trạng thái dùng chung: trong tiến trình",
			"Danh sách xã: chưa nhập (caxbot import communes TỆP)",
			"Lời mời đang chờ: 0",
			"phiên bản 1, 11 mốc",
			"Lần nhập gần nhất: chưa có",
		} {
			if !strings.Contains(out, w) {
				t.Errorf("status lacks %q:\n%s", w, out)
			}
		}
		var st status
		if err := json.Unmarshal([]byte(mustBin(t, env, "status", "--json")), &st); err != nil {
			t.Fatal(err)
		}
		if st.Store.Dialect != "sqlite" || !st.Store.SchemaCurrent || st.Counts.Districts != 0 || st.SharedState.Kind != "memory" {
			t.Errorf("status --json %+v", st)
		}
	})
	t.Run("the demo's store on 20/03/2020", func(t *testing.T) {
		env := copyStore(t)
		out := mustBin(t, env, "status", "--date", "2020-03-20")
		for _, w := range []string{
			"caxbot — tình trạng lúc 08:00 ngày 20/03/2020 (giờ Việt Nam)",
			"Danh sách: 10 huyện, 151 đơn vị cấp xã (131 xã, 10 thị trấn, 10 phường)",
			"Trưởng Công an xã: 151 (chính quy",
			"Người dùng: 4 (Công an xã 2, Lãnh đạo huyện 1, Công an tỉnh 1)",
			"Thời hạn tới: Bố trí Trưởng Công an xã chính quy tại 113 xã, thị trấn còn lại — 31/03/2020;",
			"Lần nhập gần nhất: chức danh từ tệp",
		} {
			if !strings.Contains(out, w) {
				t.Errorf("status lacks %q:\n%s", w, out)
			}
		}
		var st status
		if err := json.Unmarshal([]byte(mustBin(t, env, "status", "--json", "--date", "2020-03-20")), &st); err != nil {
			t.Fatal(err)
		}
		d := st.NextDeadline
		if d == nil || d.Milestone != "chief-q1-2020" || d.Of != 113 || d.Behind <= 0 || d.Behind >= 113 {
			t.Errorf("next deadline %+v", d)
		}
		if st.Counts.Posts["chief"]["regular"] == 0 || st.Outbox.Pending != 0 {
			t.Errorf("counts %+v, outbox %+v", st.Counts, st.Outbox)
		}
		// The same count as progress of that day.
		progress := mustBin(t, env, "progress", "--milestone", "chief-q1-2020", "--date", "2020-03-20")
		if !strings.Contains(progress, "Toàn tỉnh") {
			t.Fatalf("progress:\n%s", progress)
		}
	})
}

// TestDateExploresTheDemo looks at the demo's world on days of its own
// after it ended: progress then, reminders due then, the digest then, and
// the bot's answers as on that day.
func TestDateExploresTheDemo(t *testing.T) {
	env := copyStore(t)
	early := mustBin(t, env, "progress", "--milestone", "chief-q1-2020", "--date", "01/03/2020")
	late := mustBin(t, env, "progress", "--milestone", "chief-q1-2020", "--date", "2020-04-30")
	now := mustBin(t, env, "progress", "--milestone", "chief-q1-2020")
	total := func(s string) string {
		for _, l := range lines(s) {
			if strings.HasPrefix(l, "Toàn tỉnh") {
				return strings.Join(strings.Fields(l), " ")
			}
		}
		return ""
	}
	if total(early) == total(late) || total(late) != total(now) {
		t.Errorf("progress on 01/03 %q, on 30/04 %q, now %q: want more done by 30/04, and 30/04 as now", total(early), total(late), total(now))
	}
	if out := mustBin(t, env, "reminders", "preview", "--date", "2020-03-24"); !strings.Contains(out, "24/03/2020") || !strings.Contains(out, "→ 2001 (Lãnh đạo huyện 157)") {
		t.Errorf("reminders preview of 24/03/2020:\n%s", out)
	}
	book := filepath.Join(t.TempDir(), "ban-tin.xlsx")
	if out := mustBin(t, env, "digest", "--out", book, "--date", "2020-03-30"); !strings.Contains(out, book) {
		t.Errorf("digest: %s", out)
	}
	if _, err := os.Stat(book); err != nil {
		t.Error(err)
	}
	code, out, errOut := runBin(t, env, "/moc\n", "chat", "--as", "1001", "--date", "2020-03-20")
	if code != 0 || !strings.Contains(out, "Mốc gần nhất: Bố trí Trưởng Công an xã chính quy tại 113 xã, thị trấn còn lại\n") ||
		!strings.Contains(out, "Thời hạn: 31/03/2020 (quý I/2020), còn 11 ngày.") {
		t.Errorf("chat on 20/03/2020: exit %d\n%s%s", code, out, errOut)
	}
}

func TestDemoOutAgain(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "chay-thu")
	first := mustBin(t, nil, "demo", "--out", dir, "--to", "2020-03-02")
	second := mustBin(t, nil, "demo", "--out", dir, "--to", "2020-03-02")
	if !strings.Contains(second, "Thư mục "+dir+" có bản chạy thử trước: đã xóa để chạy lại từ đầu.") {
		t.Errorf("second run:\n%s", second)
	}
	if strings.TrimPrefix(second, lines(second)[0]+"\n") != first {
		t.Errorf("the second run into the folder differs from the first")
	}
	// A folder with a real store is left alone.
	real := dataEnv(t)
	mustBin(t, real, "import", "communes", rosterFile)
	before, err := os.ReadFile(filepath.Join(real["CAXBOT_DATA_DIR"], "caxbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runBin(t, nil, "", "demo", "--out", real["CAXBOT_DATA_DIR"])
	if code != 1 || !strings.Contains(errOut, "đã có dữ liệu không phải của bản chạy thử") {
		t.Errorf("demo into a real store's folder: exit %d\n%s", code, errOut)
	}
	after, err := os.ReadFile(filepath.Join(real["CAXBOT_DATA_DIR"], "caxbot.db"))
	if err != nil || string(after) != string(before) {
		t.Errorf("the real store changed: %v", err)
	}
}
