package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/store"
)

// TestReviewOfTheDemo writes the review of the demo's period, reopens its
// workbook, has LibreOffice turn its document into PDF and reads the PDF
// back: the totals of the posts' tables and of the summary are the
// store's own, at the start and the end of the period.
func TestReviewOfTheDemo(t *testing.T) {
	dir, _ := sharedDemo(t)
	out := t.TempDir()
	doc := filepath.Join(out, "so-ket.docx")
	mustBin(t, map[string]string{"CAXBOT_DATA_DIR": dir}, "review", "--from", "2020-03-01", "--to", "30/04/2020", "--out", doc)

	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "caxbot.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc := db.Location()
	start, end := time.Date(2020, 3, 1, 0, 0, 0, 0, loc), time.Date(2020, 5, 1, 0, 0, 0, 0, loc)
	communes, err := db.Communes(ctx, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	// The store's totals for the communes of the plan (xã, thị trấn): per
	// kind, regular at the start and end, the change, semi at the start
	// and end, vacant at the start and end.
	totals := func(at time.Time) [3][3]int {
		sc, err := db.AsOf(at).CountStatuses(ctx, store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		var all [3][3]int
		for _, c := range communes {
			if n := sc[c.Code]; n != nil && c.InPlan() {
				for k := range 3 {
					for s := range 3 {
						all[k][s] += n[k][s]
					}
				}
			}
		}
		return all
	}
	was, now := totals(start), totals(end)
	var want [3][]int
	regular := 0
	for k := range 3 {
		want[k] = []int{was[k][0], now[k][0], now[k][0] - was[k][0], was[k][1], now[k][1], was[k][2], now[k][2]}
		regular += now[k][0]
	}
	if now[0][0] == was[0][0] {
		t.Fatalf("no chief became regular in the demo's period: %v → %v", was, now)
	}

	// The workbook: the first sheet is the chiefs' table, its last row
	// the province's totals.
	f, err := excelize.OpenFile(filepath.Join(out, "so-ket.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) < 8 {
		t.Errorf("sheets %q: want the three posts' tables, milestones, changes, behind, replaced, forecasts", sheets)
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	if last[0] != "Toàn tỉnh" || numbers(t, strings.Join(last[1:], " ")) != ints(want[0]) {
		t.Errorf("workbook totals %q, want Toàn tỉnh %v", last, want[0])
	}

	// The document, as LibreOffice prints it.
	if _, err := exec.LookPath("lowriter"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("LibreOffice Writer (Debian's libreoffice-writer) is needed; .ci/run installs it")
		}
		t.Skip("LibreOffice Writer (Debian's libreoffice-writer) is not installed: the document is not printed")
	}
	profile := "file://" + filepath.Join(t.TempDir(), "lo-profile")
	cmd := exec.Command("soffice", "-env:UserInstallation="+profile, "--headless", "--convert-to", "pdf", "--outdir", out, doc)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	pdf := filepath.Join(out, "so-ket.pdf")
	text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	page := string(text)
	for _, s := range []string{"CÔNG AN TỈNH HÒA BÌNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO",
		"(Từ ngày 01/03/2020 đến ngày 30/04/2020)", "Nơi nhận:", "GIÁM ĐỐC", "DỰ BÁO", "PHƯƠNG ÁN BỐ TRÍ"} {
		if !strings.Contains(page, s) {
			t.Errorf("the PDF lacks %q", s)
		}
	}
	var got []string
	for _, line := range strings.Split(page, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "Toàn tỉnh "); ok {
			got = append(got, numbers(t, rest))
		}
	}
	if len(got) < 3 {
		t.Fatalf("the PDF has %d totals rows, want at least the three posts' tables:\n%s", len(got), page)
	}
	for k := range 3 {
		if w := ints(want[k]); got[k] != w {
			t.Errorf("PDF totals of %s: %s, want %s", store.PostKinds[k], got[k], w)
		}
	}
	summary := regexp.MustCompile(`(\d[\d.]*)\s+vị trí do Công an chính quy`).FindStringSubmatch(strings.Join(strings.Fields(page), " "))
	if summary == nil || strings.ReplaceAll(summary[1], ".", "") != strconv.Itoa(regular) {
		t.Errorf("summary's regular posts %v, want %d", summary, regular)
	}
	if os.Getenv("CAXBOT_REVIEW_PAGES") != "" {
		// To look at the pages: CAXBOT_REVIEW_PAGES=/tmp/pages go test -run TestReviewOfTheDemo ./cmd/caxbot
		if b, err := exec.Command("pdftoppm", "-png", "-r", "70", pdf, filepath.Join(os.Getenv("CAXBOT_REVIEW_PAGES"), "review")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, b)
		}
	}
}

// numbers keeps the numbers of a line, thousands' separators removed, one
// space apart.
func numbers(t *testing.T, line string) string {
	t.Helper()
	var out []string
	for _, f := range strings.Fields(line) {
		f = strings.NewReplacer(".", "", ",", "").Replace(f)
		if _, err := strconv.Atoi(f); err == nil {
			out = append(out, f)
		}
	}
	return strings.Join(out, " ")
}

func ints(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, " ")
}
