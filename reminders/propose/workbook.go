package propose

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/sheets"
)

// Columns of the proposal sheet, the first of the workbook. The header
// row carries these codes, as every file caxbot reads back does; the
// guide sheet says what each means. accept is the one a person fills in;
// id, commune_code, post, slot, status, holder and since are what
// acceptance reads back (status and holder as the proposal saw the post,
// so that a post changed since is refused, not overwritten).
var Columns = []string{"accept", "id", "name", "rank", "home", "commune_code", "commune", "district", "post", "post_name",
	"slot", "status", "holder", "since", "reason", "completes", "near", "notes"}

// Workbook writes the proposal as an XLSX workbook: the proposal sheet
// (one row per posting, with the accept column empty), the people left
// unplaced and why, the needs with what the proposal does for each, and
// a guide to the columns and the method.
func Workbook(w io.Writer, p *locales.Printer, prop Proposal) error {
	f := excelize.NewFile()
	defer f.Close()
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return fmt.Errorf("propose: workbook style: %w", err)
	}
	body, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("propose: workbook style: %w", err)
	}
	sheets := []string{p.T("propose.sheet.rows"), p.T("propose.sheet.unplaced"), p.T("propose.sheet.needs"), p.T("propose.sheet.guide")}
	if err := f.SetSheetName(f.GetSheetName(0), sheets[0]); err != nil {
		return fmt.Errorf("propose: workbook: %w", err)
	}
	for _, name := range sheets[1:] {
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("propose: workbook: %w", err)
		}
	}
	write := func(sheet string, rows [][]any, widths []float64) error {
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &row); err != nil {
				return fmt.Errorf("propose: workbook row: %w", err)
			}
		}
		if len(rows) > 0 {
			last, _ := excelize.CoordinatesToCellName(len(rows[0]), 1)
			if err := f.SetCellStyle(sheet, "A1", last, header); err != nil {
				return fmt.Errorf("propose: workbook style: %w", err)
			}
			if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
				return fmt.Errorf("propose: workbook panes: %w", err)
			}
		}
		for i, wd := range widths {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := f.SetColWidth(sheet, col, col, wd); err != nil {
				return fmt.Errorf("propose: workbook width: %w", err)
			}
		}
		// Rows tall enough for their wrapped text, which neither Excel nor
		// LibreOffice measures when it opens a file: a column of width w
		// holds about w characters a line.
		for i, row := range rows {
			lines := 1
			for j, v := range row {
				if text, ok := v.(string); ok && j < len(widths) {
					lines = max(lines, (utf8.RuneCountInString(text)+int(widths[j])-1)/int(widths[j]))
				}
			}
			if lines > 1 {
				if err := f.SetRowHeight(sheet, i+1, float64(min(lines, 25))*15); err != nil {
					return fmt.Errorf("propose: workbook row height: %w", err)
				}
			}
		}
		if len(rows) > 1 {
			last, _ := excelize.CoordinatesToCellName(len(rows[0]), len(rows))
			if err := f.SetCellStyle(sheet, "A2", last, body); err != nil {
				return fmt.Errorf("propose: workbook style: %w", err)
			}
		}
		// Printed landscape on A4, one page wide, the header on every page:
		// the provincial police print what they decide on.
		if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: new(true)}); err != nil {
			return fmt.Errorf("propose: workbook print: %w", err)
		}
		if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: new(9), Orientation: new("landscape"),
			FitToWidth: new(1), FitToHeight: new(0)}); err != nil {
			return fmt.Errorf("propose: workbook print: %w", err)
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
			RefersTo: "'" + sheet + "'!$1:$1"}); err != nil {
			return fmt.Errorf("propose: workbook print: %w", err)
		}
		return nil
	}

	rows := [][]any{toAny(Columns)}
	for _, r := range prop.Rows {
		rows = append(rows, []any{"", r.Person.ID, nfc(r.Person.Name), p.T("rank." + string(r.Person.Rank)), unitName(p, r.Home),
			r.Seat.Commune.Code, unitName(p, r.Seat.Commune), districtName(prop, r.Seat.Commune), string(r.Seat.Kind), p.Post(string(r.Seat.Kind), string(r.Seat.Commune.Type), 0),
			r.Seat.Slot, string(r.Seat.Status), nfc(r.Seat.Holder), p.Date(prop.Day), Reason(p, r.Reason), completesText(p, r.Completes),
			p.T(fmt.Sprintf("propose.near.%d", r.Near)), nfc(r.Person.Notes)})
	}
	if err := write(sheets[0], rows, []float64{8, 12, 22, 11, 20, 9, 20, 18, 8, 20, 5, 9, 20, 11, 60, 40, 12, 20}); err != nil {
		return err
	}

	rows = [][]any{{p.T("propose.col.id"), p.T("propose.col.name"), p.T("propose.col.rank"), p.T("propose.col.home"),
		p.T("propose.col.available"), p.T("propose.col.eligible"), p.T("propose.col.why"), p.T("propose.col.notes")}}
	for _, u := range prop.Unplaced {
		why := p.T("propose.unplaced.no_seat")
		if len(u.Eligible) == 0 {
			why = p.T("propose.unplaced.not_eligible")
		}
		rows = append(rows, []any{u.Person.ID, nfc(u.Person.Name), p.T("rank." + string(u.Person.Rank)), unitName(p, u.Home),
			p.Date(u.Person.AvailableFrom), postsText(p, u.Eligible), why, nfc(u.Person.Notes)})
	}
	if err := write(sheets[1], rows, []float64{12, 22, 11, 22, 11, 40, 50, 24}); err != nil {
		return err
	}

	proposed := make(map[string]int) // by milestone and commune
	met := make(map[string]bool)
	for _, r := range prop.Rows {
		for _, n := range r.Completes {
			met[n.Milestone.ID+"/"+n.Commune.Code] = true
		}
	}
	for _, r := range prop.Rows {
		for _, n := range prop.Needs {
			if n.Commune.Code == r.Seat.Commune.Code && slices.Contains(n.Milestone.Posts, r.Seat.Kind) {
				proposed[n.Milestone.ID+"/"+n.Commune.Code]++
			}
		}
	}
	rows = [][]any{{p.T("propose.col.milestone"), p.T("propose.col.deadline"), p.T("propose.col.district"), p.T("propose.col.commune"),
		p.T("propose.col.gap"), p.T("propose.col.overdue"), p.T("propose.col.escalated"), p.T("propose.col.proposed"), p.T("propose.col.met")}}
	for _, n := range prop.Needs {
		key := n.Milestone.ID + "/" + n.Commune.Code
		done := p.T("propose.met.no")
		if met[key] {
			done = p.T("propose.met.yes")
		}
		rows = append(rows, []any{nfc(n.Milestone.Title(p.Lang())), p.Date(n.Milestone.Deadline), districtName(prop, n.Commune), unitName(p, n.Commune),
			n.Gap, n.Overdue, n.Escalated, proposed[key], done})
	}
	if err := write(sheets[2], rows, []float64{50, 11, 20, 22, 8, 9, 9, 9, 12}); err != nil {
		return err
	}

	rows = [][]any{{p.T("propose.guide.title", p.Date(prop.Day))}}
	for _, line := range strings.Split(p.T("propose.guide.body"), "\n") {
		rows = append(rows, []any{line})
	}
	for _, c := range Columns {
		rows = append(rows, []any{c + ": " + p.T("propose.column."+c)})
	}
	if err := write(sheets[3], rows, []float64{120}); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: p.T("propose.guide.title", p.Date(prop.Day)), Created: prop.Day.UTC().Format(time.RFC3339)}); err != nil {
		return fmt.Errorf("propose: workbook properties: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("propose: write workbook: %w", err)
	}
	return nil
}

// Reason says why a seat is proposed: the milestone, its deadline, how
// late and how long escalated, and how many posts the commune lacks.
func Reason(p *locales.Printer, n Need) string {
	parts := []string{p.T("propose.reason.milestone", nfc(n.Milestone.Title(p.Lang())), p.Date(n.Milestone.Deadline))}
	if n.Overdue > 0 {
		parts = append(parts, p.N("propose.reason.overdue", n.Overdue))
	}
	if n.Escalated > 0 {
		parts = append(parts, p.N("propose.reason.escalated", n.Escalated))
	}
	parts = append(parts, p.N("propose.reason.gap", n.Gap, unitName(p, n.Commune)))
	return strings.Join(parts, "; ")
}

func completesText(p *locales.Printer, needs []Need) string {
	var out []string
	for _, n := range needs {
		out = append(out, nfc(n.Milestone.Title(p.Lang())))
	}
	return strings.Join(out, "; ")
}

func postsText(p *locales.Printer, kinds []store.PostKind) string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = p.Post(string(k), "", 0)
	}
	return strings.Join(out, ", ")
}

func unitName(p *locales.Printer, c store.Commune) string {
	if c.Code == "" {
		return ""
	}
	return p.T("propose.unit", p.T("commune_type."+string(c.Type)), nfc(c.Name))
}

func districtName(prop Proposal, c store.Commune) string {
	return nfc(prop.districtNames[c.DistrictCode])
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func nfc(s string) string { return norm.NFC.String(s) }

// Problems of an accepted workbook, besides the shared ones:
//
//	bad_accept     an accept cell that is neither yes (x, có, đồng ý, ...) nor no (empty, không)
const ProblemBadAccept store.Problem = "bad_accept"

var yes = map[string]bool{"x": true, "co": true, "yes": true, "y": true, "1": true, "dong y": true, "chap nhan": true, "ok": true, "v": true}
var no = map[string]bool{"": true, "khong": true, "no": true, "n": true, "0": true, "-": true}

// Accepted reads a proposal workbook back (its first sheet, as a person
// saved it) and returns the rows marked accepted as postings. Every
// problem of the sheet is returned at once, by line and column.
func Accepted(t *sheets.Table, loc *time.Location) ([]store.Posting, error) {
	var problems store.ImportErrors
	fail := func(line int, col string, p store.Problem, v string) {
		problems = append(problems, store.ImportError{Line: line, Column: col, Problem: p, Value: v})
	}
	var index map[string]int
	var out []store.Posting
	for _, row := range t.Rows {
		cells := row.Cells
		if blank(cells) {
			continue
		}
		if index == nil {
			index = make(map[string]int)
			for i, c := range cells {
				index[strings.ToLower(strings.TrimSpace(c))] = i
			}
			for _, c := range []string{"accept", "id", "commune_code", "post", "slot", "status", "holder", "since"} {
				if _, ok := index[c]; !ok {
					fail(row.Line, c, store.ProblemBadHeader, "")
				}
			}
			if len(problems) > 0 {
				return nil, problems
			}
			continue
		}
		cell := func(col string) string {
			if i := index[col]; i < len(cells) {
				return norm.NFC.String(strings.TrimSpace(cells[i]))
			}
			return ""
		}
		a := fold(cell("accept"))
		switch {
		case no[a]:
			continue
		case !yes[a]:
			fail(row.Line, "accept", ProblemBadAccept, cell("accept"))
			continue
		}
		ps := store.Posting{Line: row.Line, CandidateID: cell("id")}
		ps.Ref.CommuneCode = cell("commune_code")
		ps.Ref.Kind = store.PostKind(cell("post"))
		if !ps.Ref.Kind.Valid() {
			fail(row.Line, "post", store.ProblemUnknownKind, cell("post"))
		}
		slot, err := strconv.Atoi(cell("slot"))
		if err != nil || slot < 1 {
			fail(row.Line, "slot", store.ProblemBadSlot, cell("slot"))
		}
		ps.Ref.Slot = slot
		ps.Expect = store.Post{Status: store.Status(cell("status")), Holder: cell("holder")}
		if ps.Expect.Status != "" && !ps.Expect.Status.Valid() {
			fail(row.Line, "status", store.ProblemUnknownStatus, cell("status"))
		}
		d, ok := parseDay(cell("since"), loc)
		if !ok {
			fail(row.Line, "since", store.ProblemBadDate, cell("since"))
		}
		ps.Day = d
		if ps.CandidateID == "" {
			fail(row.Line, "id", store.ProblemEmptyValue, "")
		}
		out = append(out, ps)
	}
	if index == nil {
		problems = append(problems, store.ImportError{Problem: store.ProblemEmptyFile})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return out, nil
}

func parseDay(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{"02/01/2006", "2/1/2006", time.DateOnly} {
		if d, err := time.ParseInLocation(layout, s, loc); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// fold lowers s and drops its diacritics: "Đồng ý" reads "dong y".
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r >= 0x300 && r <= 0x36f:
		case r == 'đ':
			b.WriteRune('d')
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
