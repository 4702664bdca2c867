package propose

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// TestWorkbookReadBack writes a proposal, marks rows as a person would in
// Excel ("x", "Có", "đồng ý", a blank), and reads the accepted ones back.
func TestWorkbookReadBack(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	in := randomInputWithPeople(t)
	prop := Make(in)
	if len(prop.Rows) < 3 {
		t.Fatalf("only %d rows", len(prop.Rows))
	}
	for _, lang := range []string{"vi", "en"} {
		var buf bytes.Buffer
		if err := Workbook(&buf, cat.Printer(lang, ict), prop); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetName(0)
		marks := []string{"x", "", "Đồng ý"}
		for i, mark := range marks {
			if err := f.SetCellValue(sheet, cellName(1, i+2), mark); err != nil {
				t.Fatal(err)
			}
		}
		var edited bytes.Buffer
		if err := f.Write(&edited); err != nil {
			t.Fatal(err)
		}
		table, err := store.ReadSheet(bytes.NewReader(edited.Bytes()), "")
		if err != nil {
			t.Fatal(err)
		}
		postings, err := Accepted(table, ict)
		if err != nil {
			t.Fatal(err)
		}
		var lines []int
		for _, p := range postings {
			lines = append(lines, p.Line)
		}
		if !slices.Equal(lines, []int{2, 4}) {
			t.Fatalf("%s: accepted lines %v, want 2 and 4", lang, lines)
		}
		for i, p := range postings {
			r := prop.Rows[p.Line-2]
			want := store.PostRef{CommuneCode: r.Seat.Commune.Code, Kind: r.Seat.Kind, Slot: r.Seat.Slot}
			if p.CandidateID != r.Person.ID || p.Ref != want || p.Expect.Status != r.Seat.Status || p.Expect.Holder != r.Seat.Holder ||
				!p.Day.Equal(in.Day) {
				t.Errorf("%s: posting %d %+v, row %+v", lang, i, p, r)
			}
		}

		// An unclear mark is named by its line and column, nothing accepted.
		if err := f.SetCellValue(sheet, cellName(1, 3), "chắc là được"); err != nil {
			t.Fatal(err)
		}
		edited.Reset()
		if err := f.Write(&edited); err != nil {
			t.Fatal(err)
		}
		table, _ = store.ReadSheet(bytes.NewReader(edited.Bytes()), "")
		_, err = Accepted(table, ict)
		ie, ok := err.(store.ImportErrors)
		if !ok || len(ie) != 1 || ie[0].Line != 3 || ie[0].Column != "accept" || ie[0].Problem != ProblemBadAccept {
			t.Errorf("%s: unclear mark: %v", lang, err)
		}
	}
}

func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// randomInputWithPeople is a small roster with enough people placed.
func randomInputWithPeople(t *testing.T) Input {
	t.Helper()
	in := randomInput(randPCG(3))
	since := day(2008, 9, 1)
	for i, c := range in.Communes[:4] {
		in.People = append(in.People, store.Candidate{ID: "T" + string(rune('A'+i)), Name: "Bùi Văn " + string(rune('A'+i)), Rank: "dai_uy",
			ServiceSince: &since, HomeCommune: c.Code, AvailableFrom: time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC), Status: store.CandidateAvailable,
			Notes: "tiếng Mường"})
	}
	return in
}
