package review

import (
	"fmt"
	"io"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// maxSheetName is Excel's limit, in UTF-16 code units.
const maxSheetName = 31

// Workbook writes the document's tables as an XLSX workbook, a sheet per
// table with every row (the document may show only the first ones): the
// table's title, the document's title and period above it, the header
// (cells spanning their columns), the rows with numbers as numbers, totals
// in bold. Sheets print landscape on A4, fitted to the page's width.
func Workbook(w io.Writer, d Document) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := workbookStyles(f)
	if err != nil {
		return err
	}
	used := make(map[string]bool)
	first := true
	for _, s := range d.Sections {
		for _, t := range s.Tables {
			name := sheetName(t.Sheet, used)
			if first {
				err = f.SetSheetName(f.GetSheetName(0), name)
				first = false
			} else {
				_, err = f.NewSheet(name)
			}
			if err != nil {
				return fmt.Errorf("review: sheet %q: %w", name, err)
			}
			if err := writeSheet(f, st, name, d, t); err != nil {
				return err
			}
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: nfc(d.Title), Created: d.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z")}); err != nil {
		return fmt.Errorf("review: workbook properties: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("review: write workbook: %w", err)
	}
	return nil
}

type sheetStyles struct {
	title, subtitle, header, text, number, totalText, totalNumber, note int
}

func workbookStyles(f *excelize.File) (sheetStyles, error) {
	thin := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	fontOf := func(bold, italic bool, size float64) *excelize.Font {
		return &excelize.Font{Family: font, Size: size, Bold: bold, Italic: italic}
	}
	var st sheetStyles
	for _, s := range []struct {
		dst   *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: fontOf(true, false, 13)}},
		{&st.subtitle, excelize.Style{Font: fontOf(false, true, 11)}},
		{&st.header, excelize.Style{Font: fontOf(true, false, 11), Border: thin,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}}},
		{&st.text, excelize.Style{Font: fontOf(false, false, 11), Border: thin, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&st.number, excelize.Style{Font: fontOf(false, false, 11), Border: thin, NumFmt: 3, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&st.totalText, excelize.Style{Font: fontOf(true, false, 11), Border: thin, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&st.totalNumber, excelize.Style{Font: fontOf(true, false, 11), Border: thin, NumFmt: 3, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&st.note, excelize.Style{Font: fontOf(false, true, 11)}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, fmt.Errorf("review: workbook style: %w", err)
		}
		*s.dst = id
	}
	return st, nil
}

// headerRow is the row of a sheet's first header row: the table's title,
// the document's title and period, and a blank row are above it.
const headerRow = 5

func writeSheet(f *excelize.File, st sheetStyles, name string, d Document, t Table) error {
	set := func(col, row int, v any, style int) error {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		if s, ok := v.(string); ok {
			v = nfc(s)
		}
		if err := f.SetCellValue(name, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(name, cell, cell, style)
	}
	for i, line := range []struct {
		text  string
		style int
	}{{t.Title, st.title}, {d.Title, st.subtitle}, {d.Period, st.subtitle}} {
		if err := set(1, i+1, line.text, line.style); err != nil {
			return fmt.Errorf("review: sheet %q: %w", name, err)
		}
	}
	row := headerRow
	for _, hr := range t.Header {
		col := 1
		for _, hc := range hr {
			span := max(hc.Span, 1)
			for c := col; c < col+span; c++ {
				if err := set(c, row, "", st.header); err != nil {
					return err
				}
			}
			if err := set(col, row, hc.Text, st.header); err != nil {
				return err
			}
			if span > 1 {
				from, _ := excelize.CoordinatesToCellName(col, row)
				to, _ := excelize.CoordinatesToCellName(col+span-1, row)
				if err := f.MergeCell(name, from, to); err != nil {
					return fmt.Errorf("review: sheet %q: merge: %w", name, err)
				}
			}
			col += span
		}
		row++
	}
	for _, r := range t.Rows {
		for i, c := range r.Cells {
			text, number := st.text, st.number
			if r.Total {
				text, number = st.totalText, st.totalNumber
			}
			var err error
			if c.IsNumber {
				err = set(i+1, row, c.Number, number)
			} else {
				err = set(i+1, row, c.Text, text)
			}
			if err != nil {
				return fmt.Errorf("review: sheet %q: %w", name, err)
			}
		}
		row++
	}
	if t.Note != "" && t.DocumentRows == 0 {
		if err := set(1, row+1, t.Note, st.note); err != nil {
			return err
		}
	}
	for i, w := range t.Widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, float64(max(w, 1))*1.6); err != nil {
			return fmt.Errorf("review: sheet %q: width: %w", name, err)
		}
	}
	if len(t.Header) > 0 {
		if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: headerRow + len(t.Header) - 1,
			TopLeftCell: fmt.Sprintf("A%d", headerRow+len(t.Header)), ActivePane: "bottomLeft"}); err != nil {
			return fmt.Errorf("review: sheet %q: panes: %w", name, err)
		}
	}
	landscape, fit, wide, tall := "landscape", true, 1, 0
	size := 9 // A4
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: &landscape, Size: &size, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return fmt.Errorf("review: sheet %q: page: %w", name, err)
	}
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("review: sheet %q: fit: %w", name, err)
	}
	if err := f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddFooter: "&L" + nfc(d.Footer) + "&R&P/&N"}); err != nil {
		return fmt.Errorf("review: sheet %q: footer: %w", name, err)
	}
	return nil
}

// sheetName makes a sheet's name valid and unique: Excel's forbidden
// characters dropped, at most 31 UTF-16 units, a number added to a name
// taken already.
func sheetName(name string, used map[string]bool) string {
	name = nfc(name)
	clean := make([]rune, 0, len(name))
	for _, r := range name {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			continue
		}
		clean = append(clean, r)
	}
	base := cut(string(clean), maxSheetName-3)
	out := base
	for n := 2; used[out] || out == ""; n++ {
		out = fmt.Sprintf("%s %d", base, n)
	}
	used[out] = true
	return out
}

// cut shortens s to at most n UTF-16 units.
func cut(s string, n int) string {
	units := 0
	for i, r := range s {
		units += len(utf16.Encode([]rune{r}))
		if units > n {
			return s[:i]
		}
	}
	return s
}

func nfc(s string) string { return norm.NFC.String(s) }
