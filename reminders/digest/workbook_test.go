package digest

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/caxbot/caxbot/store"
)

func openWorkbook(t *testing.T, d Digest) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := Workbook(&buf, d); err != nil {
		t.Fatalf("Workbook: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("reopen workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// cell is a cell's value as a reader sees it, through its number format.
func cell(t *testing.T, f *excelize.File, sheet string, col, row int, opts ...excelize.Options) string {
	t.Helper()
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.GetCellValue(sheet, name, opts...)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, name, err)
	}
	return v
}

func TestWorkbookSheets(t *testing.T) {
	fx := hoaBinhDigest(t)
	f := openWorkbook(t, fx.digest)
	want := []string{
		"1. 20.03.2020 Bố trí Trưởng",
		"2. 30.06.2020 Bố trí Phó Trưởng",
		"Danh sách chức danh",
		"Báo cáo trong tuần",
	}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sheets = %q, want %q", got, want)
	}
}

func TestWorkbookMilestoneSheet(t *testing.T) {
	fx := hoaBinhDigest(t)
	f := openWorkbook(t, fx.digest)
	sheets := f.GetSheetList()
	for i, m := range fx.digest.Milestones {
		sheet := sheets[i]
		t.Run(sheet, func(t *testing.T) {
			if got := cell(t, f, sheet, 1, 1); got != m.Title {
				t.Errorf("title = %q, want %q", got, m.Title)
			}
			if got, want := cell(t, f, sheet, 1, 2), "Thời hạn: "+m.Deadline.Format("02/01/2006"); got != want {
				t.Errorf("deadline line = %q, want %q", got, want)
			}
			if got := cell(t, f, sheet, 2, milestoneHeaderRow); got != "Tổng" {
				t.Errorf("header B = %q, want Tổng", got)
			}
			prev := make(map[string]int)
			for _, dp := range m.Previous.Districts {
				prev[dp.District.Code] = dp.Done
			}
			row := milestoneHeaderRow + 1
			for _, dp := range m.Progress.Districts {
				if got, want := cell(t, f, sheet, 1, row), norm.NFC.String(dp.District.Name); got != want {
					t.Errorf("row %d district = %q, want %q", row, got, want)
				}
				if got, want := cell(t, f, sheet, 2, row), strconv.Itoa(dp.Total); got != want {
					t.Errorf("%s total = %s, want %s", dp.District.Name, got, want)
				}
				if got, want := cell(t, f, sheet, 3, row), strconv.Itoa(dp.Done); got != want {
					t.Errorf("%s done = %s, want %s", dp.District.Name, got, want)
				}
				if got, want := cell(t, f, sheet, 4, row), fmt.Sprintf("%.1f%%", 100*float64(dp.Done)/float64(dp.Total)); got != want {
					t.Errorf("%s rate = %s, want %s", dp.District.Name, got, want)
				}
				if got, want := change(t, f, sheet, 5, row), strconv.Itoa(dp.Done-prev[dp.District.Code]); got != want {
					t.Errorf("%s change = %s, want %s", dp.District.Name, got, want)
				}
				for _, cp := range dp.Behind {
					if got := cell(t, f, sheet, 6, row); !strings.Contains(got, cp.Commune.Name+" (") {
						t.Errorf("%s behind = %q, lacks %s", dp.District.Name, got, cp.Commune.Name)
					}
				}
				row++
			}
			p := m.Progress
			if got := cell(t, f, sheet, 1, row); got != "Cộng" {
				t.Errorf("totals row label = %q", got)
			}
			if got, want := cell(t, f, sheet, 2, row), strconv.Itoa(p.Total); got != want {
				t.Errorf("grand total = %s, want %s", got, want)
			}
			if got, want := cell(t, f, sheet, 3, row), strconv.Itoa(p.Done); got != want {
				t.Errorf("grand done = %s, want %s", got, want)
			}
			if got, want := change(t, f, sheet, 5, row), strconv.Itoa(p.Done-m.Previous.Done); got != want {
				t.Errorf("grand change = %s, want %s", got, want)
			}
			if got, want := cell(t, f, sheet, 8, row), strconv.Itoa(len(m.Silent)); got != want {
				t.Errorf("silent count = %s, want %s", got, want)
			}
			if p.Done == p.Total || p.Done == m.Previous.Done {
				t.Fatal("fixture: want a milestone that is neither done nor unchanged")
			}
		})
	}
}

// change reads a change cell. Its format "+0;-0;0" shows zero as "0" in
// Excel and LibreOffice, but excelize's own formatter ignores the zero
// section, so the test checks the number and the format apart.
func change(t *testing.T, f *excelize.File, sheet string, col, row int) string {
	t.Helper()
	name, _ := excelize.CoordinatesToCellName(col, row)
	id, err := f.GetCellStyle(sheet, name)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if style.CustomNumFmt == nil || *style.CustomNumFmt != "+0;-0;0" {
		t.Errorf("%s!%s format = %v, want +0;-0;0", sheet, name, style.CustomNumFmt)
	}
	return cell(t, f, sheet, col, row, excelize.Options{RawCellValue: true})
}

var (
	dateRE     = regexp.MustCompile(`^\d{2}/\d{2}/\d{4}$`)
	dateTimeRE = regexp.MustCompile(`^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$`)
)

func TestWorkbookRosterSheet(t *testing.T) {
	fx := hoaBinhDigest(t)
	f := openWorkbook(t, fx.digest)
	rows, err := f.GetRows("Danh sách chức danh")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(fx.digest.Roster)+1 {
		t.Fatalf("roster sheet has %d rows, want header + %d", len(rows), len(fx.digest.Roster))
	}
	if got := strings.Join(rows[0], "|"); got != "Huyện|Xã|Loại|Chức danh|Số thứ tự|Tình trạng|Người đảm nhiệm|Từ ngày" {
		t.Errorf("header = %s", got)
	}
	dates := 0
	for i, r := range fx.digest.Roster {
		got := rows[i+1]
		if got[0] != norm.NFC.String(r.District.Name) || got[1] != r.Commune.Name || got[4] != strconv.Itoa(r.Post.Slot) {
			t.Errorf("row %d = %q, want %s/%s/%d", i+2, got, r.District.Name, r.Commune.Name, r.Post.Slot)
		}
		if r.Post.Since == nil {
			if len(got) > 7 && got[7] != "" {
				t.Errorf("row %d since = %q, want empty", i+2, got[7])
			}
			continue
		}
		dates++
		want := r.Post.Since.In(fx.digest.Location).Format("02/01/2006")
		if len(got) < 8 || got[7] != want || !dateRE.MatchString(got[7]) {
			t.Errorf("row %d since = %q, want %s", i+2, got[7:], want)
		}
	}
	if dates == 0 {
		t.Fatal("fixture: no post with a date")
	}
}

func TestWorkbookReportsSheet(t *testing.T) {
	fx := hoaBinhDigest(t)
	// The first report rests on a decision the district confirmed; the
	// others have no details (imported, or made before decisions were
	// asked), and their two last cells stay empty.
	signed := time.Date(2020, 3, 10, 0, 0, 0, 0, time.UTC)
	first := fx.digest.Reports[0].ID
	fx.digest.Details = map[int64]store.Details{first: {ReportID: first, Check: store.CheckVerified,
		Decision: store.Decision{Number: "125/QĐ-CAT", Date: &signed, Issuer: "Giám đốc Công an tỉnh", FileID: "f1", FileName: "qd-125.pdf"}}}
	f := openWorkbook(t, fx.digest)
	rows, err := f.GetRows("Báo cáo trong tuần")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(fx.digest.Reports)+1 {
		t.Fatalf("reports sheet has %d rows, want header + %d", len(rows), len(fx.digest.Reports))
	}
	named := false
	for i, r := range fx.digest.Reports {
		got := rows[i+1]
		want := r.At.In(fx.digest.Location).Format("02/01/2006 15:04")
		if got[0] != want || !dateTimeRE.MatchString(got[0]) {
			t.Errorf("row %d time = %q, want %s", i+2, got[0], want)
		}
		if i == 0 {
			if len(got) != 10 || got[8] != "125/QĐ-CAT, 10/03/2020, Giám đốc Công an tỉnh, qd-125.pdf" || got[9] != "đã xác nhận" {
				t.Errorf("row 2 decision and check = %q", got[8:])
			}
		} else if len(got) > 8 {
			t.Errorf("row %d without details has %q", i+2, got[8:])
		}
		if got[5] != "Bán chuyên trách → Chính quy" {
			t.Errorf("row %d from→to = %q", i+2, got[5])
		}
		if !strings.HasSuffix(got[6], "→ "+r.NewHolder) {
			t.Errorf("row %d holder = %q, want … → %s", i+2, got[6], r.NewHolder)
		}
		if r.Actor == "user:1002" {
			named = true
			if got[7] != "Trần Quốc Toản" {
				t.Errorf("row %d actor = %q, want the actor's name", i+2, got[7])
			}
		}
	}
	if !named {
		t.Fatal("fixture: no report by the named actor")
	}
}

func TestWorkbookIsPrintable(t *testing.T) {
	fx := hoaBinhDigest(t)
	f := openWorkbook(t, fx.digest)
	headerRows := map[string]int{"Danh sách chức danh": 1, "Báo cáo trong tuần": 1}
	for _, sheet := range f.GetSheetList() {
		t.Run(sheet, func(t *testing.T) {
			header, ok := headerRows[sheet]
			if !ok {
				header = milestoneHeaderRow
			}
			layout, err := f.GetPageLayout(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
				t.Errorf("page layout = %+v, want landscape fitted to one page wide", layout)
			}
			props, err := f.GetSheetProps(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if props.FitToPage == nil || !*props.FitToPage {
				t.Error("fit to page is off")
			}
			panes, err := f.GetPanes(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != header {
				t.Errorf("panes = %+v, want frozen below row %d", panes, header)
			}
			styleID, err := f.GetCellStyle(sheet, "A"+strconv.Itoa(header))
			if err != nil {
				t.Fatal(err)
			}
			style, err := f.GetStyle(styleID)
			if err != nil {
				t.Fatal(err)
			}
			if style.Font == nil || !style.Font.Bold {
				t.Error("header row is not bold")
			}
			width, err := f.GetColWidth(sheet, "A")
			if err != nil {
				t.Fatal(err)
			}
			if width < 15 {
				t.Errorf("column A width = %v, too narrow for district names", width)
			}
			found := false
			for _, dn := range f.GetDefinedName() {
				if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet {
					found = strings.HasSuffix(dn.RefersTo, fmt.Sprintf("!$%d:$%d", header, header))
				}
			}
			if !found {
				t.Error("header row is not repeated on printed pages")
			}
		})
	}
}

func TestWorkbookNeedsLocation(t *testing.T) {
	fx := hoaBinhDigest(t)
	d := fx.digest
	d.Location = nil
	if err := Workbook(&bytes.Buffer{}, d); !errors.Is(err, ErrNoLocation) {
		t.Errorf("Workbook = %v, want ErrNoLocation", err)
	}
}

// A commune that reported nothing in a district with nothing to do for the
// milestone still appears, under a row of its own.
func TestWorkbookSilentCommuneOutsideProgress(t *testing.T) {
	fx := hoaBinhDigest(t)
	d := fx.digest
	ward := store.Commune{Code: "04789", Name: "Thái Bình", Type: store.Phuong, DistrictCode: "999"}
	d.Roster = append(d.Roster, RosterRow{District: store.District{Code: "999", Name: "Huyện Mới"}, Commune: ward, Post: store.Post{CommuneCode: ward.Code, Kind: store.Chief, Slot: 1, Status: store.Regular}})
	d.Milestones = d.Milestones[:1]
	d.Milestones[0].Silent = append(d.Milestones[0].Silent, ward)
	f := openWorkbook(t, d)
	sheet := f.GetSheetList()[0]
	row := milestoneHeaderRow + 1 + len(d.Milestones[0].Progress.Districts)
	if got := cell(t, f, sheet, 1, row); got != "Huyện Mới" {
		t.Errorf("extra row district = %q, want Huyện Mới", got)
	}
	if got := cell(t, f, sheet, 8, row); got != "Thái Bình" {
		t.Errorf("extra row silent = %q, want Thái Bình", got)
	}
	if got := cell(t, f, sheet, 1, row+1); got != "Cộng" {
		t.Errorf("row after the extra one = %q, want the totals", got)
	}
}

func TestSheetNames(t *testing.T) {
	loc := mustLocation(t)
	long := "Bố trí Công an chính quy về đảm nhiệm các chức danh Công an xã"
	graduates := "Tiếp nhận và bố trí học viên tốt nghiệp các trường Công an nhân dân"
	due := func(y int) time.Time { return time.Date(y, 12, 15, 0, 0, 0, 0, loc) }
	type ms struct {
		title    string
		deadline time.Time
	}
	tests := []struct {
		name       string
		milestones []ms
		want       []string
	}{
		{"plain", []ms{{"Mốc 1", time.Time{}}}, []string{"1. Mốc 1", "Danh sách", "Báo cáo"}},
		{"forbidden characters", []ms{{"Mốc 1: [Trưởng]/Phó? *x* \\y 'z'", time.Time{}}}, []string{"1. Mốc 1 (Trưởng)-Phó x -y ’z’", "Danh sách", "Báo cáo"}},
		{"too long: cut between words", []ms{{long, due(2024)}}, []string{"1. 15.12.2024 Bố trí Công an", "Danh sách", "Báo cáo"}},
		{"decomposed counts composed", []ms{{norm.NFD.String(long), due(2024)}}, []string{"1. 15.12.2024 Bố trí Công an", "Danh sách", "Báo cáo"}},
		{"a yearly milestone: told apart by year", []ms{{graduates, due(2020)}, {graduates, due(2021)}, {graduates, due(2022)}},
			[]string{"1. 15.12.2020 Tiếp nhận và bố", "2. 15.12.2021 Tiếp nhận và bố", "3. 15.12.2022 Tiếp nhận và bố", "Danh sách", "Báo cáo"}},
		{"empty title", []ms{{"", time.Time{}}, {"?*", due(2020)}}, []string{"1. Mốc", "2. 15.12.2020 Mốc", "Danh sách", "Báo cáo"}},
		{"a first word too long to fit", []ms{{strings.Repeat("Đ", 40), due(2020)}}, []string{"1. 15.12.2020 " + strings.Repeat("Đ", 17), "Danh sách", "Báo cáo"}},
		{"the roster's name kept", []ms{{"danh sách", time.Time{}}}, []string{"1. danh sách", "Danh sách", "Báo cáo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Digest{Location: loc, Labels: Labels{SheetMilestone: "Mốc", SheetRoster: "Danh sách", SheetReports: "Báo cáo"}}
			for _, m := range tt.milestones {
				d.Milestones = append(d.Milestones, MilestoneDigest{Title: m.title, Deadline: m.deadline})
			}
			got := sheetNames(d)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("sheetNames = %q, want %q", got, tt.want)
			}
			seen := map[string]bool{}
			for _, name := range got {
				if n := len(utf16.Encode([]rune(name))); n > maxSheetName {
					t.Errorf("%q is %d units long", name, n)
				}
				if seen[strings.ToLower(name)] {
					t.Errorf("%q twice", name)
				}
				seen[strings.ToLower(name)] = true
			}
		})
	}
}

// TestWorkbookReportSheet: a district_report milestone's sheet says for
// each district whether it filed, when, and how many days late, the
// "Quá hạn" count filled for those that have not filed past the deadline.
func TestWorkbookReportSheet(t *testing.T) {
	d, filed := reportDigest(t)
	f := openWorkbook(t, d)
	sheet := f.GetSheetList()[0]
	if !strings.HasPrefix(sheet, "1. 31.01.2020 Các huyện") {
		t.Errorf("sheet name %q", sheet)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[milestoneHeaderRow-1], "|"); got != "Huyện|Tình trạng|Ngày nộp|Số ngày quá hạn|Thay đổi so với tuần trước" {
		t.Errorf("header %q", got)
	}
	// The digest is of 29/03/2020 17:00; the deadline 31/01/2020.
	want := map[string][]string{
		"Thành phố Hòa Bình": {"Đã nộp", "20/01/2020", ""},
		"Kim Bôi":            {"Đã nộp", "10/02/2020", "10"},
		"Tân Lạc":            {"Đã nộp", "01/03/2020", "30"},
		"Mai Châu":           {"Chưa nộp", "", "58"},
	}
	seen := 0
	for _, row := range rows[milestoneHeaderRow:] {
		if len(row) == 0 {
			continue
		}
		w, ok := want[row[0]]
		if !ok {
			continue
		}
		seen++
		for len(row) < 4 {
			row = append(row, "")
		}
		if got := row[1:4]; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("%s: %q, want %q", row[0], got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d districts checked", seen, len(want))
	}
	last := rows[len(rows)-1]
	if last[0] != "Cộng" || last[1] != fmt.Sprintf("Đã nộp: %d/10", len(filed)) || last[3] != "Quá hạn: 4" {
		t.Errorf("totals row %q, want %d/10 filed and 4 districts overdue", last, len(filed))
	}
}

// TestWorkbookLongListsFitARow: a district with many communes behind,
// each lacking several posts, makes a row taller than Excel allows; the
// row is as tall as allowed and the workbook is written.
func TestWorkbookLongListsFitARow(t *testing.T) {
	fx := hoaBinhDigest(t)
	d := fx.digest
	m := d.Milestones[1]
	dp := m.Progress.Districts[0]
	for i := range 60 {
		dp.Behind = append(dp.Behind, store.CommuneProgress{
			Commune: &store.Commune{Code: fmt.Sprintf("9%04d", i), Name: fmt.Sprintf("Nghĩa Hưng Thượng %d", i), Type: store.Xa, DistrictCode: dp.District.Code},
			Missing: map[store.PostKind]int{store.Deputy: 2, store.Officer: 5},
		})
	}
	m.Progress.Districts = append([]store.DistrictProgress{dp}, m.Progress.Districts[1:]...)
	d.Milestones = []MilestoneDigest{m}
	f := openWorkbook(t, d)
	sheet := f.GetSheetList()[0]
	h, err := f.GetRowHeight(sheet, milestoneHeaderRow+1)
	if err != nil {
		t.Fatal(err)
	}
	if h != excelize.MaxRowHeight {
		t.Errorf("row height %v, want Excel's most, %d", h, excelize.MaxRowHeight)
	}
}
