package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

// run runs the command line in a fresh Main whose environment is env, and
// returns the exit code and what it printed.
func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runIn(t, env, "", args...)
}

// runIn is run with stdin as standard input.
func runIn(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return time.Date(2020, 3, 1, 1, 0, 0, 0, time.UTC) },
	}
	code = m.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

// dataEnv is an environment with its own embedded store.
func dataEnv(t testing.TB) map[string]string {
	return map[string]string{"CAXBOT_DATA_DIR": t.TempDir()}
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustRun(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	code, out, errOut := run(t, env, args...)
	if code != 0 {
		t.Fatalf("caxbot %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

const rosterFile = "demodata/hoabinh_communes_2020.csv"

// openStore opens the embedded store of env to look at what commands did.
func openStore(t *testing.T, env map[string]string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(env["CAXBOT_DATA_DIR"], "caxbot.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestImportPostsRejectsBrokenFiles(t *testing.T) {
	const header = "commune_code,post,slot,status,holder,since\n"
	tests := []struct {
		name string
		file string
		want []string // lines of the Vietnamese answer
	}{
		{"sai tiêu đề", "ma_xa,chuc_danh,so,tinh_trang,nguoi,ngay\n04849,chief,1,regular,Bùi Văn An,\n",
			[]string{"Dòng 1, cột commune_code: tiêu đề không đúng (tệp ghi “ma_xa”)"}},
		{"xã không có", header + "04849,chief,1,regular,Bùi Văn An,\n09999,deputy,1,semi,Đinh Văn Bình,\n",
			[]string{"Dòng 3, cột commune_code: không có xã mã “09999” trong danh sách"}},
		{"tình trạng sai", header + "04849,chief,1,chinh quy,Bùi Văn An,\n",
			[]string{"Dòng 2, cột status: tình trạng “chinh quy” không có"}},
		{"ngày sai", header + "04849,chief,1,regular,Bùi Văn An,15/13/2020\n",
			[]string{"Dòng 2, cột since: ngày “15/13/2020” không có trên lịch (kiểm tra lại ngày và tháng)"}},
		{"trùng vị trí", header + "04849,deputy,1,semi,Đinh Văn Bình,\n04849,deputy,1,regular,Bùi Văn An,\n",
			[]string{"Dòng 3, cột slot: trùng vị trí 04849/deputy/1 với một dòng trước (dòng 2)"}},
		{"thừa cột", header + "04849,chief,1,regular,Bùi Văn An,2020-03-15,ghi chú\n",
			[]string{"Dòng 2: thừa cột (dòng có 7 cột)"}},
		{"tệp trống", "", []string{"tệp trống"}},
		{"nhiều lỗi cùng lúc", header + "04849,truong,1,regular,Bùi Văn An,\n04855,officer,x,semi,Lò Văn Tâm,\n04831,officer,1,vacant,Hà Văn Công,\n",
			[]string{"Dòng 2, cột post", "Dòng 3, cột slot", "Dòng 4, cột holder"}},
	}
	env := dataEnv(t)
	mustRun(t, env, "import", "communes", rosterFile)
	mustRun(t, env, "import", "posts", writeFile(t, "good.csv", header+"04849,chief,1,semi,Xa Văn Minh,2015-06-15\n"))
	db := openStore(t, env)
	before, err := db.Posts(context.Background(), store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, env, "import", "posts", writeFile(t, "bad.csv", tt.file))
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(errOut, "chưa nhập gì") {
				t.Errorf("answer does not say nothing was imported:\n%s", errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("answer lacks %q:\n%s", w, errOut)
				}
			}
			after, err := db.Posts(context.Background(), store.Scope{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(after, before) {
				t.Errorf("posts changed: %v, was %v", after, before)
			}
			history, err := db.History(context.Background(), "04849", 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(history) != 1 {
				t.Errorf("04849 has %d reports, want the 1 of the good import", len(history))
			}
		})
	}
}

func TestImportAcceptsBOMAndCRLFAndIsIdempotent(t *testing.T) {
	env := dataEnv(t)
	mustRun(t, env, "import", "communes", rosterFile)
	file := writeFile(t, "posts.csv", "\uFEFFcommune_code,post,slot,status,holder,since\r\n04849,chief,1,regular,Bùi Văn An,2020-03-15\r\n04849,deputy,1,semi,Đinh Văn Bình,\r\n")
	if out := mustRun(t, env, "import", "posts", file); !strings.Contains(out, "thêm 2, đổi 0, giữ nguyên 0") {
		t.Errorf("first import: %s", out)
	}
	if out := mustRun(t, env, "import", "posts", file); !strings.Contains(out, "thêm 0, đổi 0, giữ nguyên 2") {
		t.Errorf("second import: %s", out)
	}
	if out := mustRun(t, env, "import", "communes", rosterFile); !strings.Contains(out, "thêm 0, đổi 0, giữ nguyên 151") {
		t.Errorf("second communes import: %s", out)
	}
	history, err := openStore(t, env).History(context.Background(), "04849", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 2 || history[0].Actor != "import:posts.csv" {
		t.Errorf("history %+v, want two reports by import:posts.csv", history)
	}
}

func TestUsersAndInvitations(t *testing.T) {
	env := dataEnv(t)
	env["CAXBOT_BOT_USERNAME"] = "caxbot_bot"
	mustRun(t, env, "import", "communes", rosterFile)
	out := mustRun(t, env, "users", "add", "--telegram-id", "1001", "--role", "district", "--scope", "157", "--name", "Bùi Văn Thắng")
	if !strings.Contains(out, "Đã thêm Bùi Văn Thắng (Telegram 1001), vai trò Lãnh đạo huyện, phạm vi 157.") {
		t.Errorf("users add: %s", out)
	}
	if out := mustRun(t, env, "users", "list"); !strings.Contains(out, "Bùi Văn Thắng") {
		t.Errorf("users list: %s", out)
	}
	if code, _, errOut := run(t, env, "users", "add", "--telegram-id", "1002", "--role", "commune", "--scope", "09999", "--name", "Lò Văn Tâm"); code != 1 || !strings.Contains(errOut, "Không có mã “09999” cho vai trò Công an xã.") {
		t.Errorf("unknown scope: exit %d, %s", code, errOut)
	}
	out = mustRun(t, env, "invite", "--role", "commune", "--scope", "04849", "--name", "Trưởng Công an xã Tân Pheo")
	link := regexp.MustCompile(`https://t\.me/caxbot_bot\?start=([A-Za-z0-9_-]{20})`).FindStringSubmatch(out)
	if link == nil {
		t.Fatalf("invite printed no deep link:\n%s", out)
	}
	if !strings.Contains(out, "Hết hạn: 04/03/2020 08:00") {
		t.Errorf("invite expiry, 72h after 01/03/2020 08:00 Vietnam time:\n%s", out)
	}
	inv, err := openStore(t, env).Invitation(context.Background(), link[1])
	if err != nil || inv.Scope != "04849" || inv.Role != store.RoleCommune {
		t.Errorf("stored invitation %+v, %v", inv, err)
	}
	if out := mustRun(t, env, "users", "remove", "--telegram-id", "1001"); !strings.Contains(out, "Đã xóa") {
		t.Errorf("users remove: %s", out)
	}
	if code, _, errOut := run(t, env, "users", "remove", "--telegram-id", "1001"); code != 1 || !strings.Contains(errOut, "Không có người dùng Telegram 1001.") {
		t.Errorf("remove twice: exit %d, %s", code, errOut)
	}
	log, err := openStore(t, env).AuditLog(context.Background(), 0)
	if err != nil || len(log) < 3 {
		t.Errorf("audit log %v, %v: want the add, the invitation and the removal", log, err)
	}
}

func TestWrongSettingStopsWithOneLine(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"database", map[string]string{"DATABASE_URL": "mysql://root:secret@db/caxbot"}, "Thiết lập DATABASE_URL sai (mysql://root:xxxxx@db/caxbot): cần một địa chỉ postgres://…."},
		{"redis", map[string]string{"REDIS_URL": "localhost:6379"}, "Thiết lập REDIS_URL sai"},
		{"province", map[string]string{"CAXBOT_PROVINCE_CODE": "HB"}, "Thiết lập CAXBOT_PROVINCE_CODE sai (HB): cần mã tỉnh hai chữ số, ví dụ 17."},
		{"log level", map[string]string{"CAXBOT_LOG_LEVEL": "loud"}, "Thiết lập CAXBOT_LOG_LEVEL sai (loud)"},
		{"invite ttl", map[string]string{"CAXBOT_INVITE_TTL": "3 ngày"}, "Thiết lập CAXBOT_INVITE_TTL sai"},
		{"webhook", map[string]string{"CAXBOT_WEBHOOK_URL": "http://bot.example.vn/hook"}, "Thiết lập CAXBOT_WEBHOOK_URL sai"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["CAXBOT_DATA_DIR"] = t.TempDir()
			code, _, errOut := run(t, tt.env, "migrate")
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, tt.want) {
				t.Errorf("want one line with %q, got:\n%s", tt.want, errOut)
			}
		})
	}
}

func TestEveryImportProblemHasAMessage(t *testing.T) {
	m := &Main{Getenv: func(string) string { return "" }, Stderr: os.Stderr}
	if err := m.setup(nil); err != nil {
		t.Fatal(err)
	}
	problems := []store.Problem{
		store.ProblemEmptyFile, store.ProblemTooLarge, store.ProblemNoRows, store.ProblemTooManyErrors,
		store.ProblemBadHeader, store.ProblemTooManyColumns, store.ProblemTooFewColumns, store.ProblemLineTooLong,
		store.ProblemTooManyRows, store.ProblemBadQuotes, store.ProblemBadUTF8, store.ProblemEmptyValue,
		store.ProblemBadText, store.ProblemBadCode, store.ProblemUnknownType, store.ProblemUnknownKind,
		store.ProblemBadSlot, store.ProblemUnknownStatus, store.ProblemBadDate, store.ProblemHolderForVacant,
		store.ProblemSinceForVacant, store.ProblemDuplicateSlot, store.ProblemDuplicateCommune,
		store.ProblemConflictingNames, store.ProblemConflictingProvince, store.ProblemUnknownCommune,
		store.ProblemBadYAML, store.ProblemUnknownField, store.ProblemDuplicateKey, store.ProblemWrongType,
		store.ProblemExtraDocument, store.ProblemBadID, store.ProblemDuplicateID, store.ProblemUnknownMilestoneKind,
		store.ProblemNotApplicable, store.ProblemStartAfterDeadline, store.ProblemBadReminder, store.ProblemBadRepeat,
		store.ProblemNotUTF8, store.ProblemOldExcel, store.ProblemBadWorkbook, store.ProblemUnknownSheet,
		store.ProblemNameMismatch, store.ProblemBadTelegramID, store.ProblemDuplicateUser, store.ProblemUnknownRole,
		store.ProblemUnknownScope, store.ProblemOutsideScope, store.ProblemUnknownGroup, store.ProblemNoCommunes,
		store.ProblemHolderTooLong, store.ProblemHolderBadChars, store.ProblemHolderCommand, store.ProblemHolderNoLetter,
		store.ProblemTooManyMilestones, store.ProblemBadGoal, store.ProblemBadStep,
		store.ProblemUnknownChange, store.ProblemCodeTwice, store.ProblemTooFewCodes, store.ProblemTooManyCodes,
		store.ProblemNotForChange, store.ProblemCodeReused, store.ProblemUnknownDistrict, store.ProblemUnitGone,
		store.ProblemFutureDate, store.ProblemBeforeLastChange, store.ProblemMixedDistricts,
	}
	for _, lang := range m.Catalog.Langs() {
		p := m.Catalog.Printer(lang, m.Loc)
		for _, pr := range problems {
			key := "import.problem." + string(pr)
			if !p.Has(key) {
				t.Errorf("%s lacks %s", lang, key)
				continue
			}
			if got := p.T(key, "x"); strings.Contains(got, "%!") {
				t.Errorf("%s %s formats badly: %s", lang, key, got)
			}
		}
	}
}

func TestPlanCheckNamesTheBadField(t *testing.T) {
	file := writeFile(t, "plan.yaml", `id: thu-nghiem
title: {vi: "Kế hoạch thử"}
milestones:
  - id: truong-q1
    title: {vi: "Trưởng Công an xã chính quy"}
    kind: posts
    posts: [chief]
    target: regular
    start: 2020-01-01
    deadline: 2020-13-31
`)
	code, _, errOut := run(t, dataEnv(t), "plan", "check", file)
	if code != 1 || !strings.Contains(errOut, "Dòng 10, mốc truong-q1, trường deadline: ngày “2020-13-31” không có trên lịch (kiểm tra lại ngày và tháng)") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
}
