package review_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders/review"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestReviewShowsSupply reviews March and April 2020 with Lạc Sơn's chiefs
// all semi-professional and a plan whose chiefs must be at least captains:
// the review weighs the register against the chiefs missing, in the
// document and in the workbook. A captain available before the deadline
// counts; a graduate (too junior to be chief) and a major available only
// after the deadline do not; so one of the chiefs can be filled on paper.
func TestReviewShowsSupply(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	loc := db.Location()
	day := func(m time.Month, d int) time.Time { return time.Date(2020, m, d, 0, 0, 0, 0, loc) }
	storetest.ImportHoaBinh(t, db, store.Province{Code: "17", Name: "Hòa Bình"}, day(1, 1))
	captain, ok := store.ParseRank("Đại úy")
	if !ok {
		t.Fatal("Đại úy is not a rank")
	}
	plan := store.Plan{ID: "test", TitleVI: "Kế hoạch thử", Eligibility: store.Eligibility{store.Chief: {MinRank: captain}},
		Milestones: []store.Milestone{{
			ID: "chiefs", TitleVI: "Trưởng Công an xã chính quy", Kind: store.KindPosts,
			Communes: store.Selector{Districts: []string{"157"}}, Posts: []store.PostKind{store.Chief}, Target: store.Regular,
			Start: day(1, 1), Deadline: day(3, 31),
		}}}
	if err := db.SavePlan(ctx, plan, "test", day(1, 1)); err != nil {
		t.Fatal(err)
	}
	communes, err := db.Communes(ctx, store.Scope{Role: store.RoleDistrict, Code: "157"})
	if err != nil {
		t.Fatal(err)
	}
	var rows []store.PostRow
	for _, c := range communes {
		if c.InPlan() {
			rows = append(rows, store.PostRow{Line: len(rows) + 2, Post: store.Post{CommuneCode: c.Code, Kind: store.Chief, Slot: 1,
				Status: store.Semi, Holder: "Bán chuyên trách " + c.Name}})
		}
	}
	if _, err := db.ImportPosts(ctx, rows, "chiefs.csv", day(2, 1)); err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	build := func() review.Document {
		t.Helper()
		doc, err := review.Build(ctx, db, cat, review.Request{Kind: review.Period, From: day(3, 1), To: day(4, 30), Lang: "vi",
			Now: time.Date(2020, 5, 5, 10, 0, 0, 0, loc)})
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	supply := func(doc review.Document) review.Section {
		t.Helper()
		for _, s := range doc.Sections {
			if strings.HasSuffix(s.Heading, ". NGUỒN CÁN BỘ CHÍNH QUY") {
				return s
			}
		}
		t.Fatalf("no supply section among %d", len(doc.Sections))
		return review.Section{}
	}
	if s := supply(build()); len(s.Tables) != 0 || !slices.Equal(s.Paragraphs,
		[]string{"Danh sách nguồn cán bộ chưa có người nào, chưa đối chiếu được với các vị trí chưa có Công an chính quy."}) {
		t.Errorf("with an empty register: %q, %d tables", s.Paragraphs, len(s.Tables))
	}

	home := communes[0].Code
	people, err := store.ParseCandidates(strings.NewReader("id,name,rank,service_since,home_commune_code,posts,available_from,notes\n" +
		"CA-1,Đinh Công Tráng,Đại úy,2010-09-01," + home + ",,01/03/2020,\n" +
		"HV-1,Bùi Văn Hùng,Thiếu úy,2019-08-01," + home + ",,01/03/2020,tiếng Mường\n" +
		"CA-2,Hà Văn Sơn,Thiếu tá,2008-09-01," + home + ",,01/05/2020,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportCandidates(ctx, people, "nguon.csv", day(2, 1)); err != nil {
		t.Fatal(err)
	}
	doc := build()
	s := supply(doc)
	if len(s.Tables) != 1 || len(s.Tables[0].Rows) != 1 {
		t.Fatalf("supply section %+v", s)
	}
	gap := strconv.Itoa(len(rows))
	want := []string{"Trưởng Công an xã chính quy", "31/03/2020", gap, "1", "1", "Chưa đủ"}
	var got []string
	for _, c := range s.Tables[0].Rows[0].Cells {
		got = append(got, c.Text)
	}
	if !slices.Equal(got, want) {
		t.Errorf("supply row %q, want %q", got, want)
	}
	if intro := "với danh sách nguồn cán bộ (3 người chưa được bố trí,"; len(s.Paragraphs) != 1 || !strings.Contains(s.Paragraphs[0], intro) {
		t.Errorf("supply intro %q lacks %q", s.Paragraphs, intro)
	}

	// The workbook: a sheet with the row, numbers as numbers.
	var xlsx bytes.Buffer
	if err := review.Workbook(&xlsx, doc); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells, err := f.GetRows("Nguồn cán bộ")
	if err != nil {
		t.Fatalf("no sheet “Nguồn cán bộ” among %q: %v", f.GetSheetList(), err)
	}
	if len(cells) < 6 || !slices.Equal(cells[5], want) {
		t.Errorf("workbook rows %q, want row 6 %q", cells, want)
	}
	if typ, err := f.GetCellType("Nguồn cán bộ", "C6"); err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("the gap is not a number in the workbook: type %v, %v", typ, err)
	}

	// The document: the heading, the table's title and the verdict.
	var docx bytes.Buffer
	if err := review.DOCX(&docx, doc); err != nil {
		t.Fatal(err)
	}
	body := documentXML(t, docx.Bytes())
	for _, w := range []string{s.Heading, "Nguồn cán bộ so với các vị trí chưa có chính quy", "Người sẵn sàng trước thời hạn", "Chưa đủ"} {
		if !strings.Contains(body, norm.NFC.String(w)) {
			t.Errorf("the document lacks %q", w)
		}
	}
}

// documentXML is the body of a Word file.
func documentXML(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name != "word/document.xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(body)
	}
	t.Fatal("no word/document.xml")
	return ""
}
