package review

import (
	"fmt"
	"io"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"
	"golang.org/x/text/unicode/norm"
)

// The page of an administrative document (Nghị định 30/2020/NĐ-CP): A4,
// margins of 20 mm top and bottom, 30 mm left, 15 mm right, Times New
// Roman; in twentieths of a point (twips).
const (
	pageWidth    = 11906
	pageHeight   = 16838
	marginTop    = 1134
	marginBottom = 1134
	marginLeft   = 1701
	marginRight  = 850
	textWidth    = pageWidth - marginLeft - marginRight
	font         = "Times New Roman"
	bodySize     = 14 // points
	tableSize    = 10
)

// DOCX writes the document as a Word file (OOXML), through godocx.
func DOCX(w io.Writer, d Document) error {
	doc, err := godocx.NewDocument()
	if err != nil {
		return fmt.Errorf("review: new document: %w", err)
	}
	page(doc)
	header(doc, d)
	title(doc, d)
	for _, s := range d.Sections {
		section(doc, s)
	}
	foot(doc, d)
	if err := doc.Write(w); err != nil {
		return fmt.Errorf("review: write document: %w", err)
	}
	return nil
}

// page sets A4 and the margins.
func page(doc *docx.RootDoc) {
	w, h := uint64(pageWidth), uint64(pageHeight)
	top, bottom, left, right, edge := marginTop, marginBottom, marginLeft, marginRight, 567
	doc.Document.Body.SectPr = &ctypes.SectionProp{
		PageSize:   &ctypes.PageSize{Width: &w, Height: &h, Orient: stypes.PageOrientPortrait},
		PageMargin: &ctypes.PageMargin{Top: &top, Bottom: &bottom, Left: &left, Right: &right, Header: &edge, Footer: &edge},
	}
}

// style is how a run of text is set.
type style struct {
	size                    uint64
	bold, italic, underline bool
}

// text adds a run of s to p in style st.
func text(p *docx.Paragraph, s string, st style) {
	r := p.AddText(norm.NFC.String(s)).Font(font).Size(st.size)
	r.Bold(st.bold)
	if st.italic {
		r.Italic(true)
	}
	if st.underline {
		r.Underline(stypes.UnderlineSingle)
	}
}

// para adds a paragraph aligned jc, spaced before and after (in twips).
func para(doc *docx.RootDoc, s string, st style, jc stypes.Justification, before, after uint64) *docx.Paragraph {
	p := doc.AddEmptyParagraph()
	p.Justification(jc)
	p.Spacing(before, after)
	text(p, s, st)
	return p
}

// cellPara adds a paragraph to a table cell.
func cellPara(c *docx.Cell, s string, st style, jc stypes.Justification) {
	p := c.AddEmptyPara()
	p.Justification(jc)
	p.Spacing(0, 0)
	text(p, s, st)
}

// rule is the short line under the issuer and under the motto.
const rule = "———————"

// header lays the two columns of the document's head out in a table
// without borders.
func header(doc *docx.RootDoc, d Document) {
	t := doc.AddTable()
	t.Width(textWidth, stypes.TableWidthDxa)
	t.Layout(stypes.TableLayoutFixed)
	left, right := textWidth*2/5, textWidth-textWidth*2/5
	t.Grid(uint64(left), uint64(right))
	noBorders(t)
	row := t.AddRow()
	l := row.AddCell().Width(left, stypes.TableWidthDxa)
	cellPara(l, d.Superior, style{size: 13}, stypes.JustificationCenter)
	cellPara(l, d.Issuer, style{size: 13, bold: true}, stypes.JustificationCenter)
	cellPara(l, rule, style{size: 8}, stypes.JustificationCenter)
	cellPara(l, d.Number, style{size: 13}, stypes.JustificationCenter)
	r := row.AddCell().Width(right, stypes.TableWidthDxa)
	cellPara(r, d.Nation, style{size: 12, bold: true}, stypes.JustificationCenter)
	cellPara(r, d.Motto, style{size: 13, bold: true}, stypes.JustificationCenter)
	cellPara(r, rule, style{size: 8}, stypes.JustificationCenter)
	cellPara(r, d.PlaceDate, style{size: 13, italic: true}, stypes.JustificationCenter)
}

func title(doc *docx.RootDoc, d Document) {
	para(doc, d.Kind, style{size: bodySize, bold: true}, stypes.JustificationCenter, 360, 0)
	para(doc, d.Title, style{size: bodySize, bold: true}, stypes.JustificationCenter, 0, 0)
	para(doc, d.Period, style{size: bodySize, italic: true}, stypes.JustificationCenter, 0, 0)
	para(doc, rule, style{size: 8}, stypes.JustificationCenter, 0, 240)
}

func section(doc *docx.RootDoc, s Section) {
	para(doc, s.Heading, style{size: bodySize, bold: true}, stypes.JustificationBoth, 180, 60)
	indent := 567 // the first line of a paragraph, 1 cm
	for _, text := range s.Paragraphs {
		p := para(doc, text, style{size: bodySize}, stypes.JustificationBoth, 0, 60)
		p.Indent(&ctypes.Indent{FirstLine: ptr(uint64(indent))})
	}
	for _, t := range s.Tables {
		if !t.WorkbookOnly {
			table(doc, t)
		}
	}
}

// table writes a table of the review: its title, the header in bold, the
// rows (numbers to the right, totals in bold), and the note, if any.
func table(doc *docx.RootDoc, tb Table) {
	para(doc, tb.Title, style{size: 13, bold: true, italic: true}, stypes.JustificationLeft, 120, 60)
	widths := twips(tb.Widths)
	t := doc.AddTable()
	t.Width(textWidth, stypes.TableWidthDxa)
	t.Layout(stypes.TableLayoutFixed)
	cols := make([]uint64, len(widths))
	for i, w := range widths {
		cols[i] = uint64(w)
	}
	t.Grid(cols...)
	borders(t)
	for _, hr := range tb.Header {
		row := t.AddRow()
		col := 0
		for _, hc := range hr {
			span := max(hc.Span, 1)
			w := 0
			for i := col; i < col+span && i < len(widths); i++ {
				w += widths[i]
			}
			c := row.AddCell().Width(w, stypes.TableWidthDxa).VerticalAlign("center")
			if span > 1 {
				c.ColSpan(span)
			}
			cellPara(c, hc.Text, style{size: tableSize, bold: true}, stypes.JustificationCenter)
			col += span
		}
	}
	rows := tb.Rows
	if tb.DocumentRows > 0 && len(rows) > tb.DocumentRows {
		rows = rows[:tb.DocumentRows]
	}
	for _, r := range rows {
		row := t.AddRow()
		for i, cell := range r.Cells {
			w := 0
			if i < len(widths) {
				w = widths[i]
			}
			c := row.AddCell().Width(w, stypes.TableWidthDxa).VerticalAlign("center")
			jc := stypes.JustificationLeft
			if cell.IsNumber {
				jc = stypes.JustificationRight
			}
			cellPara(c, cell.Text, style{size: tableSize, bold: r.Total}, jc)
		}
	}
	if tb.Note != "" {
		para(doc, tb.Note, style{size: 12, italic: true}, stypes.JustificationLeft, 60, 60)
	}
}

// foot lays out the recipients (left) and the signer (right).
func foot(doc *docx.RootDoc, d Document) {
	para(doc, "", style{size: bodySize}, stypes.JustificationLeft, 120, 0)
	t := doc.AddTable()
	t.Width(textWidth, stypes.TableWidthDxa)
	t.Layout(stypes.TableLayoutFixed)
	left, right := textWidth/2, textWidth-textWidth/2
	t.Grid(uint64(left), uint64(right))
	noBorders(t)
	row := t.AddRow()
	l := row.AddCell().Width(left, stypes.TableWidthDxa)
	cellPara(l, d.RecipientsLabel, style{size: 12, bold: true, italic: true}, stypes.JustificationLeft)
	for _, r := range d.Recipients {
		cellPara(l, r, style{size: 11}, stypes.JustificationLeft)
	}
	r := row.AddCell().Width(right, stypes.TableWidthDxa)
	cellPara(r, d.Signer, style{size: bodySize, bold: true}, stypes.JustificationCenter)
	cellPara(r, d.SignerNote, style{size: 13, italic: true}, stypes.JustificationCenter)
}

// twips turns relative widths into twips that fill the text's width.
func twips(rel []int) []int {
	sum := 0
	for _, w := range rel {
		sum += max(w, 1)
	}
	out := make([]int, len(rel))
	left := textWidth
	for i, w := range rel {
		out[i] = textWidth * max(w, 1) / sum
		left -= out[i]
	}
	if len(out) > 0 {
		out[len(out)-1] += left
	}
	return out
}

func borders(t *docx.Table) {
	line := func() *ctypes.Border {
		return &ctypes.Border{Val: stypes.BorderStyleSingle, Size: ptr(4), Color: ptr("000000")}
	}
	t.GetCT().TableProp.Borders = &ctypes.TableBorders{Top: line(), Left: line(), Bottom: line(), Right: line(), InsideH: line(), InsideV: line()}
}

func noBorders(t *docx.Table) {
	none := func() *ctypes.Border { return &ctypes.Border{Val: stypes.BorderStyleNone} }
	t.GetCT().TableProp.Borders = &ctypes.TableBorders{Top: none(), Left: none(), Bottom: none(), Right: none(), InsideH: none(), InsideV: none()}
}

func ptr[T any](v T) *T { return &v }
