// Package handout writes the printable sheets of a batch of invitations,
// to hand out at a meeting: a workbook listing them (to keep and to mail
// merge) and a PDF with a card per invitation, whose QR code opens the bot
// with the invitation's deep link. The text comes in written in the
// reader's language; this package only lays it out.
package handout

import (
	"fmt"
	"io"

	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansregular"
	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"
	"github.com/xuri/excelize/v2"
)

// Card is one invitation as printed.
type Card struct {
	District string // the district the unit is in; empty for a district or province
	Unit     string // "Xã Tân Pheo", "Huyện Đà Bắc"
	Role     string
	Name     string // who it is meant for, if known
	Code     string
	Link     string
	Expires  string
}

// Labels are the fixed texts of the sheets, in the reader's language.
type Labels struct {
	Title        string // over every PDF page and the sheet's name
	Instructions string // under the title: how to use a card
	Page         string // "Trang %d/%d"
	Code         string // "Mã mời:", over the code
	Expires      string // "Hết hạn: %s"
	// Columns of the workbook: number, district, unit, role, name, code,
	// link, expiry.
	Columns [8]string
}

// Workbook writes the invitations as one sheet, a row each, with a header.
func Workbook(w io.Writer, l Labels, cards []Card) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := sheetName(l.Title)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("handout: workbook: %w", err)
	}
	header := make([]any, len(l.Columns))
	for i, c := range l.Columns {
		header[i] = c
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return fmt.Errorf("handout: workbook: %w", err)
	}
	for i, c := range cards {
		row := []any{i + 1, c.District, c.Unit, c.Role, c.Name, c.Code, c.Link, c.Expires}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return fmt.Errorf("handout: workbook: %w", err)
		}
		link, _ := excelize.CoordinatesToCellName(7, i+2)
		if err := f.SetCellHyperLink(sheet, link, c.Link, "External"); err != nil {
			return fmt.Errorf("handout: workbook: %w", err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("handout: workbook: %w", err)
	}
	if err := f.SetRowStyle(sheet, 1, 1, bold); err != nil {
		return fmt.Errorf("handout: workbook: %w", err)
	}
	for col, width := range map[string]float64{"A": 6, "B": 22, "C": 26, "D": 18, "E": 24, "F": 24, "G": 52, "H": 18} {
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return fmt.Errorf("handout: workbook: %w", err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("handout: workbook: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("handout: workbook: %w", err)
	}
	return nil
}

// sheetName fits a title to Excel's rules for sheet names: at most 31
// characters, none of : \ / ? * [ ].
func sheetName(title string) string {
	var out []rune
	for _, r := range title {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			continue
		}
		if len(out) == 31 {
			break
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return "Sheet1"
	}
	return string(out)
}

// The PDF's layout on A4 portrait, in millimetres: two columns of four
// cards, each with its QR code on the left and its text on the right.
const (
	pageW, pageH   = 210.0, 297.0
	margin         = 10.0
	headerH        = 16.0
	cols, rows     = 2, 4
	cardW          = (pageW - 2*margin) / cols
	cardH          = (pageH - 2*margin - headerH) / rows
	qrSize         = 44.0
	pad            = 4.0
	cardsPerPage   = cols * rows
	fontFamily     = "LiberationSans"
	textColumnLeft = pad + qrSize + pad
)

// PDF writes a card per invitation, eight to an A4 page, with dashed
// lines to cut along. The font is Liberation Sans, embedded, which has
// every Vietnamese letter.
func PDF(w io.Writer, l Labels, cards []Card) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", liberationsansregular.TTF)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", liberationsansbold.TTF)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetTitle(l.Title, true)
	pdf.SetCreator("caxbot", true)
	pages := Pages(len(cards))
	for i, c := range cards {
		if i%cardsPerPage == 0 {
			pdf.AddPage()
			header(pdf, l, i/cardsPerPage+1, pages)
		}
		k := i % cardsPerPage
		x := margin + float64(k%cols)*cardW
		y := margin + headerH + float64(k/cols)*cardH
		if err := card(pdf, l, c, x, y); err != nil {
			return err
		}
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("handout: PDF: %w", err)
	}
	return nil
}

func header(pdf *fpdf.Fpdf, l Labels, page, pages int) {
	pdf.SetXY(margin, margin)
	pdf.SetFont(fontFamily, "B", 12)
	pdf.CellFormat(pageW-2*margin-30, 6, l.Title, "", 0, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", 9)
	pdf.CellFormat(30, 6, fmt.Sprintf(l.Page, page, pages), "", 1, "R", false, 0, "")
	pdf.SetX(margin)
	pdf.MultiCell(pageW-2*margin, 4, l.Instructions, "", "L", false)
}

func card(pdf *fpdf.Fpdf, l Labels, c Card, x, y float64) error {
	pdf.SetDrawColor(150, 150, 150)
	pdf.SetLineWidth(0.2)
	pdf.SetDashPattern([]float64{2, 2}, 0)
	pdf.Rect(x, y, cardW, cardH, "D")
	pdf.SetDashPattern(nil, 0)

	if err := qr(pdf, c.Link, x+pad, y+pad, qrSize); err != nil {
		return err
	}
	textW := cardW - textColumnLeft - pad
	pdf.SetXY(x+textColumnLeft, y+pad)
	pdf.SetFont(fontFamily, "B", 11)
	pdf.MultiCell(textW, 5, c.Unit, "", "L", false)
	pdf.SetFont(fontFamily, "", 9)
	for _, line := range []string{c.District, c.Role, c.Name} {
		if line == "" {
			continue
		}
		pdf.SetX(x + textColumnLeft)
		pdf.MultiCell(textW, 4.2, line, "", "L", false)
	}
	pdf.SetX(x + textColumnLeft)
	pdf.MultiCell(textW, 4.2, l.Code, "", "L", false)
	// The code on one line, as large as fits: it may have to be typed.
	size := 10.0
	for pdf.SetFont(fontFamily, "B", size); pdf.GetStringWidth(c.Code) > textW && size > 6; size -= 0.5 {
		pdf.SetFont(fontFamily, "B", size-0.5)
	}
	pdf.SetX(x + textColumnLeft)
	pdf.CellFormat(textW, 5, c.Code, "", 2, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", 9)
	pdf.SetX(x + textColumnLeft)
	pdf.MultiCell(textW, 4.2, fmt.Sprintf(l.Expires, c.Expires), "", "L", false)

	// The link in full under the code, for a phone that cannot scan.
	pdf.SetFont(fontFamily, "", 7.5)
	pdf.SetXY(x+pad, y+pad+qrSize+2)
	pdf.CellFormat(cardW-2*pad, 4, c.Link, "", 0, "L", false, 0, c.Link)
	return nil
}

// qr draws the link's QR code as squares, its quiet zone included, so
// that it prints sharp at any size.
func qr(pdf *fpdf.Fpdf, link string, x, y, size float64) error {
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("handout: QR code of %q: %w", link, err)
	}
	bits := q.Bitmap()
	module := size / float64(len(bits))
	pdf.SetFillColor(0, 0, 0)
	for r, row := range bits {
		// One rectangle per run of dark modules keeps the file small.
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			pdf.Rect(x+float64(start)*module, y+float64(r)*module, float64(c-start)*module, module, "F")
		}
	}
	return nil
}

// Pages is how many PDF pages n cards take.
func Pages(n int) int { return (n + cardsPerPage - 1) / cardsPerPage }
