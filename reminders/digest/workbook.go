package digest

import (
	"archive/zip"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/store"
)

// maxSheetName is Excel's limit, counted in UTF-16 code units.
const maxSheetName = 31

// milestoneHeaderRow is the row of a milestone sheet's column headers: the
// milestone's title and deadline sit above it.
const milestoneHeaderRow = 4

// Workbook writes the digest as an XLSX workbook: one sheet per milestone
// (a row per district: total, done, rate, change since last week, the
// communes behind, overdue and silent, then a totals row), the full roster,
// and the week's reports. Every sheet prints landscape on A4, fitted to the
// page width, with its header row repeated on each page.
func Workbook(w io.Writer, d Digest) error {
	return new(Renderer).Workbook(w, d)
}

// Workbook is the package's Workbook, zipped with r's compressor.
func (r *Renderer) Workbook(w io.Writer, d Digest) error {
	if d.Location == nil {
		return ErrNoLocation
	}
	f := excelize.NewFile()
	defer f.Close() // removes the stream writers' temporary files
	f.SetZipWriter(r.newZipWriter)

	st, err := newStyles(f)
	if err != nil {
		return err
	}
	// The first sheet, which a new file opens on, is renamed rather than
	// added; SetActiveSheet would re-read every streamed sheet's XML.
	names := sheetNames(d)
	for i, name := range names {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return fmt.Errorf("digest: add sheet %q: %w", name, err)
		}
	}
	units := newUnits(d)
	for i, m := range d.Milestones {
		write := writeMilestone
		if m.Progress.Milestone.Kind == store.KindDistrictReport {
			write = writeReportMilestone
		}
		if err := write(f, st, names[i], d, m, units); err != nil {
			return err
		}
	}
	if err := writeRoster(f, st, names[len(d.Milestones)], d); err != nil {
		return err
	}
	if err := writeReports(f, st, names[len(d.Milestones)+1], d, units); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:   nfc(d.Title),
		Created: d.GeneratedAt.UTC().Format(time.RFC3339),
	}); err != nil {
		return fmt.Errorf("digest: workbook properties: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("digest: write workbook: %w", err)
	}
	return nil
}

// units resolves codes to names for rows that carry only a code.
type units struct {
	districts map[string]string        // district code → name
	communes  map[string]store.Commune // commune code → commune
}

func newUnits(d Digest) units {
	u := units{districts: make(map[string]string), communes: make(map[string]store.Commune)}
	for _, r := range d.Roster {
		u.districts[r.District.Code] = r.District.Name
		u.communes[r.Commune.Code] = r.Commune
	}
	for _, m := range d.Milestones {
		for _, dp := range m.Progress.Districts {
			u.districts[dp.District.Code] = dp.District.Name
		}
	}
	return u
}

func (u units) district(code string) string {
	if name, ok := u.districts[code]; ok {
		return name
	}
	return code
}

func writeMilestone(f *excelize.File, st styles, name string, d Digest, m MilestoneDigest, u units) error {
	l := d.Labels
	s, err := openSheet(f, name, d, milestoneHeaderRow, []float64{24, 9, 11, 9, 13, 48, 34, 30})
	if err != nil {
		return err
	}
	if err := s.add(excelize.Cell{StyleID: st.title, Value: nfc(m.Title)}); err != nil {
		return err
	}
	if err := s.add(nfc(l.Deadline) + ": " + m.Deadline.In(d.Location).Format(dateLayout)); err != nil {
		return err
	}
	// The line before the table: the supply beside the demand, or blank.
	if m.Supply != "" {
		if err := s.add(nfc(m.Supply)); err != nil {
			return err
		}
	} else {
		s.row++
	}
	if err := s.header(st, l.District, l.Total, l.Done, l.Rate, l.Change, l.BehindCommunes, l.Overdue, l.Silent); err != nil {
		return err
	}

	previous := make(map[string]int)
	if m.Previous != nil {
		for _, dp := range m.Previous.Districts {
			previous[dp.District.Code] = dp.Done
		}
	}
	overdue := make(map[string][]string)
	for _, cp := range m.Overdue {
		overdue[cp.Commune.DistrictCode] = append(overdue[cp.Commune.DistrictCode], behindText(l, cp))
	}
	silent := make(map[string][]string)
	for _, c := range m.Silent {
		silent[c.DistrictCode] = append(silent[c.DistrictCode], nfc(c.Name))
	}
	// Communes are listed under their district's row; a district with
	// nothing to do this milestone still gets a row when one of its
	// communes is overdue or silent, so that no commune is dropped.
	var extra []string
	shown := make(map[string]bool)
	for _, dp := range m.Progress.Districts {
		shown[dp.District.Code] = true
	}
	for _, codes := range []map[string][]string{overdue, silent} {
		for code := range codes {
			if !shown[code] {
				shown[code] = true
				extra = append(extra, code)
			}
		}
	}
	slices.Sort(extra)

	for _, dp := range m.Progress.Districts {
		behind := make([]string, len(dp.Behind))
		for i, cp := range dp.Behind {
			behind[i] = behindText(l, cp)
		}
		var change any
		if m.Previous != nil {
			change = excelize.Cell{StyleID: st.change, Value: dp.Done - previous[dp.District.Code]}
		} else {
			change = excelize.Cell{StyleID: st.text}
		}
		code := dp.District.Code
		if err := s.add(
			excelize.Cell{StyleID: st.text, Value: nfc(dp.District.Name)},
			excelize.Cell{StyleID: st.integer, Value: dp.Total},
			excelize.Cell{StyleID: st.integer, Value: dp.Done},
			excelize.Cell{StyleID: st.percent, Value: rate(dp.Done, dp.Total)},
			change,
			excelize.Cell{StyleID: st.text, Value: strings.Join(behind, "; ")},
			excelize.Cell{StyleID: st.text, Value: strings.Join(overdue[code], "; ")},
			excelize.Cell{StyleID: st.text, Value: strings.Join(silent[code], "; ")},
		); err != nil {
			return err
		}
	}
	for _, code := range extra {
		if err := s.add(
			excelize.Cell{StyleID: st.text, Value: nfc(u.district(code))},
			excelize.Cell{StyleID: st.integer}, excelize.Cell{StyleID: st.integer},
			excelize.Cell{StyleID: st.percent}, excelize.Cell{StyleID: st.text},
			excelize.Cell{StyleID: st.text},
			excelize.Cell{StyleID: st.text, Value: strings.Join(overdue[code], "; ")},
			excelize.Cell{StyleID: st.text, Value: strings.Join(silent[code], "; ")},
		); err != nil {
			return err
		}
	}

	p := m.Progress
	var change any = excelize.Cell{StyleID: st.totalText}
	if m.Previous != nil {
		change = excelize.Cell{StyleID: st.totalChange, Value: p.Done - m.Previous.Done}
	}
	if err := s.add(
		excelize.Cell{StyleID: st.totalText, Value: nfc(l.AllDistricts)},
		excelize.Cell{StyleID: st.totalInteger, Value: p.Total},
		excelize.Cell{StyleID: st.totalInteger, Value: p.Done},
		excelize.Cell{StyleID: st.totalPercent, Value: rate(p.Done, p.Total)},
		change,
		excelize.Cell{StyleID: st.totalInteger, Value: len(p.Behind())},
		excelize.Cell{StyleID: st.totalInteger, Value: len(m.Overdue)},
		excelize.Cell{StyleID: st.totalInteger, Value: len(m.Silent)},
	); err != nil {
		return err
	}
	return s.close()
}

// behindText is a commune and what it lacks at the target status: "Tú Lý
// (Trưởng Công an xã)", "Tân Lập (Phó Trưởng Công an xã, 2 Công an viên)".
func behindText(l Labels, cp store.CommuneProgress) string {
	name := nfc(cp.Commune.Name)
	if missing := missingText(l, cp.Commune.Type, cp.Missing); missing != "" {
		return name + " (" + nfc(missing) + ")"
	}
	return name
}

// writeReportMilestone writes a district_report milestone's sheet: a row
// per district with whether it filed, when, and by how many days it is
// (or was) late, then a totals row.
func writeReportMilestone(f *excelize.File, st styles, name string, d Digest, m MilestoneDigest, _ units) error {
	l := d.Labels
	s, err := openSheet(f, name, d, milestoneHeaderRow, []float64{28, 14, 14, 14, 13})
	if err != nil {
		return err
	}
	if err := s.add(excelize.Cell{StyleID: st.title, Value: nfc(m.Title)}); err != nil {
		return err
	}
	if err := s.add(nfc(l.Deadline) + ": " + m.Deadline.In(d.Location).Format(dateLayout)); err != nil {
		return err
	}
	s.row++
	who := l.District
	if m.Progress.Milestone.ForUnits() {
		who = l.Unit
	}
	if err := s.header(st, who, l.Status, l.SubmittedAt, l.DaysOverdue, l.Change); err != nil {
		return err
	}
	previous := make(map[string]int)
	if m.Previous != nil {
		for _, dp := range m.Previous.Districts {
			previous[dp.District.Code] = dp.Done
		}
	}
	// The deadline is a day: filing on it is on time.
	dueEnd := m.Deadline.AddDate(0, 0, 1)
	daysLate := func(t time.Time) int { return int(t.Sub(dueEnd).Hours()/24) + 1 }
	submitted, late := 0, 0
	for _, dp := range m.Progress.Districts {
		status, at, overdue := l.NotSubmitted, excelize.Cell{StyleID: st.date}, excelize.Cell{StyleID: st.integer}
		if t, ok := m.Submitted[dp.District.Code]; ok {
			submitted++
			status, at.Value = l.Submitted, t.In(d.Location)
			if !t.Before(dueEnd) {
				overdue.Value = daysLate(t)
			}
		} else if d.GeneratedAt.After(dueEnd) {
			late++
			overdue.Value = daysLate(d.GeneratedAt)
		}
		change := excelize.Cell{StyleID: st.text}
		if m.Previous != nil {
			change = excelize.Cell{StyleID: st.change, Value: dp.Done - previous[dp.District.Code]}
		}
		if err := s.add(
			excelize.Cell{StyleID: st.text, Value: nfc(dp.District.Name)},
			excelize.Cell{StyleID: st.text, Value: nfc(status)},
			at, overdue, change,
		); err != nil {
			return err
		}
	}
	var change any = excelize.Cell{StyleID: st.totalText}
	if m.Previous != nil {
		change = excelize.Cell{StyleID: st.totalChange, Value: m.Progress.Done - m.Previous.Done}
	}
	if err := s.add(
		excelize.Cell{StyleID: st.totalText, Value: nfc(l.AllDistricts)},
		excelize.Cell{StyleID: st.totalText, Value: fmt.Sprintf("%s: %d/%d", nfc(l.Submitted), submitted, len(m.Progress.Districts))},
		excelize.Cell{StyleID: st.totalText},
		excelize.Cell{StyleID: st.totalText, Value: fmt.Sprintf("%s: %d", nfc(l.Overdue), late)},
		change,
	); err != nil {
		return err
	}
	return s.close()
}

func writeRoster(f *excelize.File, st styles, name string, d Digest) error {
	l := d.Labels
	s, err := openSheet(f, name, d, 1, []float64{22, 22, 10, 26, 9, 18, 28, 12})
	if err != nil {
		return err
	}
	if err := s.header(st, l.District, l.Commune, l.CommuneType, l.Post, l.Slot, l.Status, l.Holder, l.Since); err != nil {
		return err
	}
	if err := s.filter(8, len(d.Roster)); err != nil {
		return err
	}
	for _, r := range d.Roster {
		since := excelize.Cell{StyleID: st.date}
		if r.Post.Since != nil {
			since.Value = r.Post.Since.In(d.Location)
		}
		if err := s.add(
			excelize.Cell{StyleID: st.text, Value: nfc(r.District.Name)},
			excelize.Cell{StyleID: st.text, Value: nfc(r.Commune.Name)},
			excelize.Cell{StyleID: st.text, Value: nfc(communeTypeName(l, r.Commune.Type))},
			excelize.Cell{StyleID: st.text, Value: nfc(postName(l, r.Commune.Type, r.Post.Kind))},
			excelize.Cell{StyleID: st.integer, Value: r.Post.Slot},
			excelize.Cell{StyleID: st.text, Value: nfc(statusName(l, r.Post.Status))},
			excelize.Cell{StyleID: st.text, Value: nfc(r.Post.Holder)},
			since,
		); err != nil {
			return err
		}
	}
	return s.close()
}

func writeReports(f *excelize.File, st styles, name string, d Digest, u units) error {
	l := d.Labels
	s, err := openSheet(f, name, d, 1, []float64{17, 20, 20, 26, 9, 34, 34, 22, 34, 16})
	if err != nil {
		return err
	}
	if err := s.header(st, l.Time, l.District, l.Commune, l.Post, l.Slot, l.FromTo, l.Holder, l.Actor, l.Decision, l.Check); err != nil {
		return err
	}
	if err := s.filter(10, len(d.Reports)); err != nil {
		return err
	}
	for _, r := range d.Reports {
		c, ok := u.communes[r.CommuneCode]
		communeName, districtName := r.CommuneCode, ""
		if ok {
			communeName, districtName = c.Name, u.district(c.DistrictCode)
		} else {
			c.Type = store.Xa
		}
		from := ""
		if r.OldStatus != "" {
			from = statusName(l, r.OldStatus) + " "
		}
		holder := r.NewHolder
		if r.OldHolder != "" && r.OldHolder != r.NewHolder {
			holder = r.OldHolder + " → " + r.NewHolder
		}
		actor := r.Actor
		if n, ok := d.ActorNames[r.Actor]; ok {
			actor = n
		}
		decision, check := "", ""
		if det, ok := d.Details[r.ID]; ok {
			decision, check = det.Decision.Cell(), l.Checks[det.Check]
		}
		if err := s.add(
			excelize.Cell{StyleID: st.dateTime, Value: r.At.In(d.Location)},
			excelize.Cell{StyleID: st.text, Value: nfc(districtName)},
			excelize.Cell{StyleID: st.text, Value: nfc(communeName)},
			excelize.Cell{StyleID: st.text, Value: nfc(postName(l, c.Type, r.Kind))},
			excelize.Cell{StyleID: st.integer, Value: r.Slot},
			excelize.Cell{StyleID: st.text, Value: nfc(from + "→ " + statusName(l, r.NewStatus))},
			excelize.Cell{StyleID: st.text, Value: nfc(holder)},
			excelize.Cell{StyleID: st.text, Value: nfc(actor)},
			excelize.Cell{StyleID: st.text, Value: nfc(decision)},
			excelize.Cell{StyleID: st.text, Value: nfc(check)},
		); err != nil {
			return err
		}
	}
	return s.close()
}

// sheet streams rows into one worksheet: the stream writer keeps a
// national roster (about 85,000 posts) out of excelize's cell maps.
type sheet struct {
	name      string
	f         *excelize.File
	sw        *excelize.StreamWriter
	row       int // the last row written
	headerRow int
	widths    []float64
}

// openSheet sets up printing and the column widths, freezes the rows down
// to headerRow and returns the sheet ready for its first row. Page setup
// must come before the stream writer, which copies the sheet's properties
// when it starts.
func openSheet(f *excelize.File, name string, d Digest, headerRow int, widths []float64) (*sheet, error) {
	wrap := func(err error) error { return fmt.Errorf("digest: set up sheet %q: %w", name, err) }
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: new(true)}); err != nil {
		return nil, wrap(err)
	}
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{
		Size:        new(9), // A4
		Orientation: new("landscape"),
		FitToWidth:  new(1),
		FitToHeight: new(0), // as many pages down as it takes
	}); err != nil {
		return nil, wrap(err)
	}
	if err := f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{
		Left: new(0.4), Right: new(0.4), Top: new(0.6), Bottom: new(0.6), Header: new(0.3), Footer: new(0.3),
	}); err != nil {
		return nil, wrap(err)
	}
	generated := nfc(d.Labels.GeneratedAt) + ": " + d.GeneratedAt.In(d.Location).Format(dateTimeLayout)
	if err := f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{
		OddHeader: "&C" + headerFooterText(nfc(d.Title)),
		OddFooter: "&L" + headerFooterText(generated) + "&R&P/&N",
	}); err != nil {
		return nil, wrap(err)
	}
	ref := fmt.Sprintf("'%s'!$%d:$%d", name, headerRow, headerRow)
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: ref, Scope: name}); err != nil {
		return nil, wrap(err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, wrap(err)
	}
	for i, width := range widths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return nil, wrap(err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze:      true,
		YSplit:      headerRow,
		TopLeftCell: "A" + strconv.Itoa(headerRow+1),
		ActivePane:  "bottomLeft",
	}); err != nil {
		return nil, wrap(err)
	}
	return &sheet{name: name, f: f, sw: sw, headerRow: headerRow, widths: widths}, nil
}

// filter puts an autofilter on the header row over the rows to come; like
// the page setup it lives outside the sheet data, so it may be set before
// the rows are streamed.
func (s *sheet) filter(columns, rows int) error {
	last, err := excelize.CoordinatesToCellName(columns, s.headerRow+max(rows, 1))
	if err != nil {
		return fmt.Errorf("digest: filter sheet %q: %w", s.name, err)
	}
	if err := s.f.AutoFilter(s.name, "A"+strconv.Itoa(s.headerRow)+":"+last, nil); err != nil {
		return fmt.Errorf("digest: filter sheet %q: %w", s.name, err)
	}
	return nil
}

func (s *sheet) header(st styles, titles ...string) error {
	cells := make([]any, len(titles))
	for i, t := range titles {
		cells[i] = excelize.Cell{StyleID: st.header, Value: nfc(t)}
	}
	s.row = s.headerRow - 1
	return s.add(cells...)
}

// add writes the next row, as tall as its longest wrapped text needs: a
// streamed row keeps the height it is written with, which Excel and
// LibreOffice do not grow to fit wrapped text, so lines would overlap.
func (s *sheet) add(values ...any) error {
	s.row++
	var opts []excelize.RowOpts
	if lines := s.lines(values); lines > 1 {
		opts = append(opts, excelize.RowOpts{Height: min(rowPoints*float64(lines), excelize.MaxRowHeight)})
	}
	if err := s.sw.SetRow("A"+strconv.Itoa(s.row), values, opts...); err != nil {
		return fmt.Errorf("digest: sheet %q row %d: %w", s.name, s.row, err)
	}
	return nil
}

// rowPoints is the height of one line of the workbook's text; a row is at
// most excelize.MaxRowHeight (409 points, Excel's limit) tall, and a
// longer cell shows its first lines.
const rowPoints = 15

// lines estimates how many lines the row's texts wrap to in their
// columns: a column width counts characters of the default font, and
// Vietnamese text runs a little narrower than the digits it is measured
// by.
func (s *sheet) lines(values []any) int {
	most := 1
	for i, v := range values {
		if i >= len(s.widths) {
			break
		}
		c, ok := v.(excelize.Cell)
		if !ok {
			continue
		}
		text, ok := c.Value.(string)
		if !ok || text == "" {
			continue
		}
		perLine := max(1, int(s.widths[i]*1.15))
		most = max(most, (utf8.RuneCountInString(text)+perLine-1)/perLine)
	}
	return most
}

func (s *sheet) close() error {
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("digest: flush sheet %q: %w", s.name, err)
	}
	return nil
}

// headerFooterText escapes the page header's code character and keeps the
// text under Excel's 255-character limit for the whole field (codes
// included).
func headerFooterText(s string) string {
	s = strings.ReplaceAll(s, "&", "&&")
	return truncateUTF16(s, 200)
}

// sheetNames returns a unique, valid sheet name for every milestone, then
// the roster and the reports. A milestone's sheet is named by its number
// in the digest, its deadline and the first words of its title that fit
// Excel's 31 characters, cut between words: "3. 31.03.2020 Bố trí Trưởng",
// readable, and unique even for a milestone repeated yearly.
func sheetNames(d Digest) []string {
	used := make(map[string]bool) // lower case: Excel compares names without case
	var names []string
	add := func(candidates ...string) {
		base := ""
		for _, c := range candidates {
			if base = sanitizeSheetName(c); base != "" {
				break
			}
		}
		if base == "" {
			base = strconv.Itoa(len(names) + 1)
		}
		name := base
		for n := 2; used[strings.ToLower(name)]; n++ {
			suffix := " (" + strconv.Itoa(n) + ")"
			name = strings.TrimSpace(truncateUTF16(base, maxSheetName-len(suffix))) + suffix
		}
		used[strings.ToLower(name)] = true
		names = append(names, name)
	}
	for i, m := range d.Milestones {
		prefix := strconv.Itoa(i+1) + ". "
		if !m.Deadline.IsZero() {
			prefix += m.Deadline.In(d.Location).Format("02.01.2006") + " "
		}
		title := sanitizeSheetName(m.Title)
		if title == "" {
			title = sanitizeSheetName(d.Labels.SheetMilestone)
		}
		add(prefix + wordsWithin(title, maxSheetName-utf16Len(prefix)))
	}
	add(d.Labels.SheetRoster)
	add(d.Labels.SheetReports)
	return names
}

// wordsWithin returns the words of s that fit n UTF-16 code units, cut
// between words; the first word cut short if even it does not fit.
func wordsWithin(s string, n int) string {
	if utf16Len(s) <= n {
		return s
	}
	out := ""
	for _, w := range strings.Fields(s) {
		next := strings.TrimSpace(out + " " + w)
		if utf16Len(next) > n {
			break
		}
		out = next
	}
	if out == "" {
		out = truncateUTF16(s, n)
	}
	return strings.TrimRight(out, " ,;.–-")
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// sanitizeSheetName makes s a valid sheet name: none of : \ / ? * [ ],
// no apostrophe (it quotes names in formulas; a typographic one reads the
// same), at most 31 UTF-16 code units.
func sanitizeSheetName(s string) string {
	s = strings.NewReplacer(
		":", " ", "\\", "-", "/", "-", "?", "", "*", "", "[", "(", "]", ")", "'", "’",
	).Replace(nfc(s))
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimSpace(truncateUTF16(s, maxSheetName))
}

// truncateUTF16 cuts s to at most n UTF-16 code units, on a rune boundary.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > n {
			return s[:i]
		}
	}
	return s
}

// styles are the cell formats of the workbook, created once per file.
type styles struct {
	title, header                                      int
	text, integer, percent, change, date, dateTime     int
	totalText, totalInteger, totalPercent, totalChange int
}

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "A6A6A6", Style: 1},
		{Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1},
		{Type: "bottom", Color: "A6A6A6", Style: 1},
	}
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	bold := &excelize.Font{Bold: true}
	totalFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}
	var st styles
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.header, excelize.Style{
			Font: bold, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
		{&st.text, excelize.Style{Border: border, Alignment: top}},
		{&st.integer, excelize.Style{Border: border, Alignment: top, NumFmt: 1}},
		{&st.percent, excelize.Style{Border: border, Alignment: top, CustomNumFmt: new("0.0%")}},
		{&st.change, excelize.Style{Border: border, Alignment: top, CustomNumFmt: new("+0;-0;0")}},
		{&st.date, excelize.Style{Border: border, Alignment: top, CustomNumFmt: new("dd/mm/yyyy")}},
		{&st.dateTime, excelize.Style{Border: border, Alignment: top, CustomNumFmt: new("dd/mm/yyyy hh:mm")}},
		{&st.totalText, excelize.Style{Font: bold, Border: border, Fill: totalFill, Alignment: top}},
		{&st.totalInteger, excelize.Style{Font: bold, Border: border, Fill: totalFill, Alignment: top, NumFmt: 1}},
		{&st.totalPercent, excelize.Style{Font: bold, Border: border, Fill: totalFill, Alignment: top, CustomNumFmt: new("0.0%")}},
		{&st.totalChange, excelize.Style{Font: bold, Border: border, Fill: totalFill, Alignment: top, CustomNumFmt: new("+0;-0;0")}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return styles{}, fmt.Errorf("digest: workbook style: %w", err)
		}
		*s.id = id
	}
	return st, nil
}

// newZipWriter zips a workbook at deflate's fastest level, which makes it
// a few per cent larger in a fraction of the time (the weekly job writes
// one workbook per province), with r's one compressor for every part, in
// turn (zip.Writer closes a part before it starts the next): a workbook
// has a dozen parts, and a compressor is half a megabyte to allocate and
// clear, more than most parts cost to compress. The compressor is
// klauspost/compress's: at that level it holds less than half of what
// the standard library's does (0.5 against 1.2 MB) and is faster.
func (r *Renderer) newZipWriter(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		if r.zip == nil {
			fw, err := flate.NewWriter(out, flate.BestSpeed)
			if err != nil {
				return nil, err
			}
			r.zip = fw
			return fw, nil
		}
		r.zip.Reset(out)
		return r.zip, nil
	})
	return zw
}
