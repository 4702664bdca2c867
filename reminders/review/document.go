// Package review builds the plan's periodic reviews (sơ kết for six
// months, tổng kết for a year, or any period): a document laid out as a
// Vietnamese administrative report (DOCX) and a workbook with the same
// tables (XLSX).
//
// Build computes the review from the store as of the period's start and
// end (store.DB.AsOf) into a Document: a header, a title, and sections of
// paragraphs and tables, every word translated. DOCX and Workbook only lay
// out what they are given, so a new part of the review (the supply of
// candidate officers against the posts, say) is one more Section, shown by
// both without touching them.
package review

import (
	"strconv"
	"time"
)

// Document is a report as a Vietnamese administrative document lays it
// out (Nghị định 30/2020/NĐ-CP): in a header of two columns, the issuing
// body and the document's number on the left, the nation's name, motto,
// place and date on the right; then the kind of document, its title and
// period, the body in numbered sections, and at the foot the recipients
// on the left and the signer on the right.
type Document struct {
	Superior  string // "BỘ CÔNG AN": the body above the issuer
	Issuer    string // "CÔNG AN TỈNH HÒA BÌNH"
	Number    string // "Số:      /BC-CAT", the number left for the clerk
	Nation    string // "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	Motto     string // "Độc lập - Tự do - Hạnh phúc"
	PlaceDate string // "Hòa Bình, ngày 30 tháng 4 năm 2020"
	Kind      string // "BÁO CÁO"
	Title     string // "Sơ kết 6 tháng đầu năm 2020 thực hiện Đề án “…”"
	Period    string // "(Từ ngày 01/01/2020 đến ngày 30/06/2020)"
	Sections  []Section
	// RecipientsLabel heads the recipients ("Nơi nhận:"), listed one a
	// line; Signer is the signer's title ("GIÁM ĐỐC"), SignerNote what
	// goes under it before the signature.
	RecipientsLabel string
	Recipients      []string
	Signer          string
	SignerNote      string
	// GeneratedAt is when the review was made, and Location the zone its
	// days are shown in; the workbook's sheets name both in their footer.
	GeneratedAt time.Time
	Location    *time.Location
	// Footer is the workbook's page footer ("Lập lúc 30/04/2020 17:00").
	Footer string
}

// Section is a numbered part of the body: its heading ("II. TÌNH HÌNH
// BỐ TRÍ CÁC CHỨC DANH"), paragraphs, then tables.
type Section struct {
	Heading    string
	Paragraphs []string
	Tables     []Table
}

// Table is a table of the review, shown in the document under its title
// and as a sheet of the workbook. Header rows come first; a header cell
// spans Span columns (1 when zero). DocumentRows, when not zero, is how
// many rows the document shows (Note then says where the rest are); the
// workbook shows them all.
type Table struct {
	Title        string
	Sheet        string // the sheet's name, at most 31 characters
	Header       [][]HeaderCell
	Rows         []Row
	Widths       []int // the columns' relative widths
	DocumentRows int
	Note         string
	// WorkbookOnly keeps a table (a full list) out of the document.
	WorkbookOnly bool
}

// HeaderCell is a cell of a table's header.
type HeaderCell struct {
	Text string
	Span int
}

// Row is a row of a table; a total row is shown in bold.
type Row struct {
	Cells []Cell
	Total bool
}

// Cell is a text or, when IsNumber, a whole number, which the document
// writes with its thousands separated and the workbook keeps as a number.
type Cell struct {
	Text     string
	Number   int
	IsNumber bool
}

// Text is a cell of text.
func Text(s string) Cell { return Cell{Text: s} }

// Number is a cell of a whole number; sep separates its thousands in the
// document ("." in Vietnamese).
func Number(n int, sep string) Cell { return Cell{Text: group(n, sep), Number: n, IsNumber: true} }

// group writes n with its thousands separated by sep.
func group(n int, sep string) string {
	neg := n < 0
	if neg {
		n = -n
	}
	digits := []byte(strconv.Itoa(n))
	var out []byte
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, sep...)
		}
		out = append(out, d)
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
