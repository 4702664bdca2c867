package sheets

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func cells(t *Table) [][]string {
	var out [][]string
	for _, r := range t.Rows {
		out = append(out, r.Cells)
	}
	return out
}

func lines(t *Table) []int {
	var out []int
	for _, r := range t.Rows {
		out = append(out, r.Line)
	}
	return out
}

func TestReadCSVAsExcelSavesIt(t *testing.T) {
	want := [][]string{{"commune_code", "post", "slot"}, {"04828", "chief", "1"}, {"04831", "deputy", "2"}}
	tests := []struct {
		name  string
		input string
		comma rune
		lines []int
	}{
		{"comma", "commune_code,post,slot\n04828,chief,1\n04831,deputy,2\n", ',', []int{1, 2, 3}},
		{"CSV UTF-8 from Excel: BOM, CRLF", "\uFEFFcommune_code,post,slot\r\n04828,chief,1\r\n04831,deputy,2\r\n", ',', []int{1, 2, 3}},
		{"semicolon, Vietnamese list separator", "commune_code;post;slot\r\n04828;chief;1\r\n04831;deputy;2\r\n", ';', []int{1, 2, 3}},
		{"sep= directive", "sep=;\ncommune_code;post;slot\n04828;chief;1\n04831;deputy;2\n", ';', []int{2, 3, 4}},
		{"tab", "commune_code\tpost\tslot\n04828\tchief\t1\n04831\tdeputy\t2\n", '\t', []int{1, 2, 3}},
		{"blank first lines", "\n\ncommune_code;post;slot\n04828;chief;1\n04831;deputy;2\n", ';', []int{3, 4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := Read(strings.NewReader(tt.input), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tab.Format != CSV || tab.Comma != tt.comma {
				t.Errorf("format %s, comma %q; want csv, %q", tab.Format, tab.Comma, tt.comma)
			}
			if !slices.EqualFunc(cells(tab), want, slices.Equal) {
				t.Errorf("cells %q", cells(tab))
			}
			if !slices.Equal(lines(tab), tt.lines) {
				t.Errorf("lines %v, want %v", lines(tab), tt.lines)
			}
		})
	}
}

func TestReadCSVQuotedSemicolonsAndCommas(t *testing.T) {
	// A name with a comma in a semicolon file, and the other way round.
	tab, err := Read(strings.NewReader("holder;note\n\"Bùi Văn An; Đinh Văn Bình\";a, b\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := cells(tab)[1]; !slices.Equal(got, []string{"Bùi Văn An; Đinh Văn Bình", "a, b"}) {
		t.Errorf("cells %q", got)
	}
}

func TestReadCSVBadQuotesReadsOn(t *testing.T) {
	tab, err := Read(strings.NewReader("a,b\n1,x\"y\"\n2,z\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tab.BadQuotes, []int{2}) || !slices.Equal(lines(tab), []int{1, 3}) {
		t.Errorf("bad quotes %v, lines %v", tab.BadQuotes, lines(tab))
	}
}

func TestReadRefusesWhatIsNotUTF8Text(t *testing.T) {
	tests := []struct {
		name  string
		input string
		kind  Kind
		line  int
	}{
		// "Thái Bình" as Windows-1258 saves it: Excel's "CSV (Comma delimited)" on Vietnamese Windows.
		{"Windows-1258", "commune_code,commune_name\n04789,Th\xe1i B\xecnh\n", KindNotUTF8, 2},
		{"UTF-16", "\xff\xfec\x00o\x00", KindUTF16, 0},
		{"old Excel", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", KindOldExcel, 0},
		{"damaged workbook", "PK\x03\x04garbage", KindBadWorkbook, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.input), Options{})
			var e *Error
			if !errors.As(err, &e) || e.Kind != tt.kind || e.Line != tt.line {
				t.Errorf("error %v, want %s at line %d", err, tt.kind, tt.line)
			}
		})
	}
	_, err := Read(strings.NewReader("0123456789"), Options{MaxBytes: 5})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTooLarge || e.Value != "5" {
		t.Errorf("too large: %v", err)
	}
}

// workbook writes an XLSX the way a person fills one in Excel: codes typed
// as numbers (their leading zero lost), dates in the default and in a
// Vietnamese format, a number formatted with separators.
func workbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Danh sách"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Ghi chú"); err != nil {
		t.Fatal(err)
	}
	s := "Danh sách"
	rows := [][]any{
		{"commune_code", "holder", "since", "telegram_id", "amount"},
		{4828, "Bùi Văn An", time.Date(2020, 3, 15, 0, 0, 0, 0, time.UTC), 5123456789, 1234567},
		{"04831", "Đinh Thị Hòa", time.Date(2020, 4, 3, 0, 0, 0, 0, time.UTC), 987654321, 12},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(s, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	vn := "dd/mm/yyyy"
	dateVN, err := f.NewStyle(&excelize.Style{CustomNumFmt: &vn})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(s, "C3", "C3", dateVN); err != nil {
		t.Fatal(err)
	}
	thousands, err := f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(s, "E2", "E2", thousands); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Ghi chú", "A1", &[]any{"ghi chú"}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadXLSX(t *testing.T) {
	data := workbook(t)
	tab, err := Read(bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Format != XLSX || tab.Sheet != "Danh sách" {
		t.Errorf("format %s, sheet %q", tab.Format, tab.Sheet)
	}
	want := [][]string{
		{"commune_code", "holder", "since", "telegram_id", "amount"},
		{"4828", "Bùi Văn An", "2020-03-15", "5123456789", "1,234,567"},
		{"04831", "Đinh Thị Hòa", "2020-04-03", "987654321", "12"},
	}
	if !slices.EqualFunc(cells(tab), want, slices.Equal) {
		t.Errorf("cells\n%q\nwant\n%q", cells(tab), want)
	}
	if !slices.Equal(lines(tab), []int{1, 2, 3}) {
		t.Errorf("lines %v", lines(tab))
	}

	other, err := Read(bytes.NewReader(data), Options{Sheet: "ghi chú"})
	if err != nil || len(other.Rows) != 1 || other.Rows[0].Cells[0] != "ghi chú" {
		t.Errorf("second sheet: %v, %+v", err, other)
	}
	_, err = Read(bytes.NewReader(data), Options{Sheet: "Tổng hợp"})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindUnknownSheet || !slices.Equal(e.Sheets, []string{"Danh sách", "Ghi chú"}) {
		t.Errorf("unknown sheet: %v", err)
	}
}
