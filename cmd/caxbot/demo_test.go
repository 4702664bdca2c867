package main

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/store"
)

// runDemoIn runs the demo into dir and returns its transcript with the
// folder's path taken out, the only thing that may differ between runs.
func runDemoIn(t *testing.T, dir string, env map[string]string, args ...string) string {
	t.Helper()
	out := mustRun(t, env, append([]string{"demo", "--out", dir}, args...)...)
	return strings.ReplaceAll(out, dir, "DIR")
}

// TestDemo plays the README's first command and checks its key facts
// against the store it leaves: who got which reminder on which day, the
// digests on Mondays, the escalation after the deadline, and the digest's
// totals against the store's own.
func TestDemo(t *testing.T) {
	dir, out := sharedDemo(t)
	out = strings.ReplaceAll(out, dir, "DIR")
	for _, want := range []string{
		"MINH HỌA",
		"bấm nút: [Xác nhận]",
		"nhập: /baocao pho 1 chinh quy Hà Văn Long 01/03/2020",
		"nhập: huyen lac son con nhung xa nao chua co truong cong an chinh quy",
		"Hệ thống đã ghi nhận báo cáo. Cảm ơn đồng chí.",
		"Kết thúc ngày 30/04/2020.",
		"Dữ liệu chạy thử nằm trong thư mục: DIR",
		// A replaced chief's arrangement recorded, and the review of the
		// window at its end.
		"bấm nút: [Chuyển công tác khác]",
		"Hệ thống đã ghi nhận phương án bố trí đối với đồng chí",
		"nhập: /soket 01/03/2020 30/04/2020",
		"[tệp: bao-cao-2020-03-01-2020-04-30.docx]",
		"[tệp: bao-cao-2020-03-01-2020-04-30.xlsx]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	written, err := os.ReadFile(filepath.Join(dir, "transcript.txt"))
	if err != nil || !strings.Contains(string(written), "bấm nút: [Đã nhận]") {
		t.Errorf("transcript file: %v", err)
	}

	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "caxbot.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc := db.Location()
	days := func(prefix string, chat int64) []string {
		t.Helper()
		items, err := db.OutboxItems(ctx, prefix)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range items {
			if it.ChatID != chat {
				continue
			}
			if it.State != store.OutboxSent || it.SentAt == nil {
				t.Errorf("%s: %s, not sent", it.Key, it.State)
				continue
			}
			day := it.SentAt.In(loc).Format("02/01")
			if len(out) == 0 || out[len(out)-1] != day {
				out = append(out, day)
			}
		}
		return out
	}
	// Before the deadline: 30 days (Sunday 01/03, so Friday 28/02, before
	// the demo starts), 14, 7, 3 (Saturday 28/03, so Friday 27/03), 1 and
	// the day itself; after it every 7 days. The district head
	// acknowledged on 31/03, which skips 07/04.
	tests := []struct {
		name string
		chat int64
		want []string
	}{
		{"lãnh đạo huyện Lạc Sơn", demoDistrictID, []string{"17/03", "24/03", "27/03", "30/03", "31/03", "14/04", "21/04", "28/04"}},
		{"trưởng CA xã còn chậm", demoChiefBID, []string{"17/03", "24/03", "27/03", "30/03", "31/03", "07/04", "14/04", "21/04", "28/04"}},
		{"trưởng CA xã đã báo cáo xong ngày 01/03", demoChiefAID, nil},
		{"Công an tỉnh nhận bản tin, không nhận nhắc việc", demoProvinceID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := days("remind:chief-q1-2020:", tt.chat); !slices.Equal(got, tt.want) {
				t.Errorf("reminders on %v, want %v", got, tt.want)
			}
		})
	}
	mondays := []string{"02/03", "09/03", "16/03", "23/03", "30/03", "06/04", "13/04", "20/04", "27/04"}
	if got := days("digest:", demoProvinceID); !slices.Equal(got, mondays) {
		t.Errorf("digests on %v, want every Monday %v", got, mondays)
	}
	if got := days("digest:", demoDistrictID); got != nil {
		t.Errorf("the district head got digests on %v", got)
	}
	if !strings.Contains(out, "Đề nghị đồng chí chỉ đạo, đôn đốc 3 xã, thị trấn chậm từ 14 ngày trở lên sau thời hạn:") {
		t.Errorf("no escalation in the district's reminder")
	}
	escalations, err := db.Escalations(ctx, "chief-q1-2020")
	if err != nil || len(escalations) == 0 {
		t.Errorf("escalations %v, %v", escalations, err)
	}

	// The last Monday's workbook and the final one against the store: no
	// roster change happens after 27/04.
	last, err := filepath.Glob(filepath.Join(dir, "2020-04-27-*.xlsx"))
	if err != nil || len(last) != 1 {
		t.Fatalf("the 27/04 workbook: %v %v", last, err)
	}
	for _, path := range []string{last[0], filepath.Join(dir, "digest-final.xlsx")} {
		checkWorkbookTotals(t, db, path)
	}
	if !testing.Short() {
		// The same seed gives the same transcript, invitation codes included.
		if again := runDemoIn(t, t.TempDir(), map[string]string{}); again != out {
			a, b := strings.Split(out, "\n"), strings.Split(again, "\n")
			for i := range min(len(a), len(b)) {
				if a[i] != b[i] {
					t.Fatalf("a second run differs at line %d:\n%s\n%s", i+1, a[i], b[i])
				}
			}
			t.Fatalf("a second run differs: %d and %d lines", len(a), len(b))
		}
	}
	f, err := os.Open(filepath.Join(dir, "chart-final.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil || img.Bounds().Dx() < 600 {
		t.Errorf("final chart: %v", err)
	}
}

// checkWorkbookTotals compares each milestone sheet's totals row with the
// store's progress.
func checkWorkbookTotals(t *testing.T, db *store.DB, path string) {
	t.Helper()
	ctx := context.Background()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("reopen %s: %v", path, err)
	}
	defer f.Close()
	plans, err := db.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A milestone's sheet starts with its title; the sheets come most
	// urgent first.
	byTitle := map[string]store.Milestone{}
	for _, m := range plans[0].Milestones {
		byTitle[m.TitleVI] = m
	}
	checked := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 || len(rows[0]) == 0 {
			continue
		}
		m, ok := byTitle[rows[0][0]]
		if !ok {
			continue
		}
		want, err := db.Progress(ctx, m.ID, store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			if len(row) < 2 || row[0] != "Cộng" {
				continue
			}
			checked++
			ok := len(row) >= 3 && row[1] == strconv.Itoa(want.Total) && row[2] == strconv.Itoa(want.Done)
			if m.Kind == store.KindDistrictReport {
				ok = row[1] == fmt.Sprintf("Đã nộp: %d/%d", want.Done, want.Total)
			}
			if !ok {
				t.Errorf("%s %s: totals %v, store says %d done of %d", filepath.Base(path), sheet, row, want.Done, want.Total)
			}
		}
	}
	if checked == 0 {
		t.Errorf("%s: no totals checked", path)
	}
}

// TestDemoSeed: another seed makes another illustrative state.
func TestDemoSeed(t *testing.T) {
	one := runDemoIn(t, t.TempDir(), map[string]string{}, "--to", "2020-03-02")
	two := runDemoIn(t, t.TempDir(), map[string]string{}, "--seed", "2", "--to", "2020-03-02")
	if one == two {
		t.Errorf("seeds 1 and 2 gave the same transcript")
	}
}

func TestDemoInEnglish(t *testing.T) {
	out := runDemoIn(t, t.TempDir(), map[string]string{"CAXBOT_LANG": "en"}, "--to", "2020-03-17")
	for _, want := range []string{"ILLUSTRATIVE", "presses: [Confirm]", "Reminder", "The trial run's data is in: DIR"} {
		if !strings.Contains(out, want) {
			t.Errorf("English transcript lacks %q", want)
		}
	}
	if regexp.MustCompile(`nhập:|bấm nút:`).MatchString(out) {
		t.Errorf("Vietnamese transcript labels in the English run")
	}
	checkGolden(t, "en", out, []string{"start", "01/03/2020", "02/03/2020", "end"})
}
