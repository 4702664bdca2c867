package review_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders/review"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestMilestonesOnTimeLateOpen builds a history in three districts around
// a deadline of 31/03/2020 and reviews March and April: Đà Bắc meets it
// on time, Lạc Thủy late, Lạc Sơn not at all; one semi-professional chief
// replaced has an arrangement, the others not; the workbook has the
// document's tables.
func TestMilestonesOnTimeLateOpen(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	loc := db.Location()
	day := func(m time.Month, d int) time.Time { return time.Date(2020, m, d, 0, 0, 0, 0, loc) }
	storetest.ImportHoaBinh(t, db, store.Province{Code: "17", Name: "Hòa Bình"}, day(1, 1))
	plan := store.Plan{ID: "test", TitleVI: "Kế hoạch thử", Milestones: []store.Milestone{{
		ID: "chiefs", TitleVI: "Trưởng Công an xã chính quy", Kind: store.KindPosts,
		Communes: store.Selector{Districts: []string{"150", "157", "159"}}, Posts: []store.PostKind{store.Chief}, Target: store.Regular,
		Start: day(1, 1), Deadline: day(3, 31),
	}}}
	if err := db.SavePlan(ctx, plan, "test", day(1, 1)); err != nil {
		t.Fatal(err)
	}
	byDistrict := make(map[string][]store.Commune)
	var rows []store.PostRow
	for _, d := range []string{"150", "157", "159"} {
		communes, err := db.Communes(ctx, store.Scope{Role: store.RoleDistrict, Code: d})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range communes {
			if !c.InPlan() {
				continue
			}
			byDistrict[d] = append(byDistrict[d], c)
			rows = append(rows, store.PostRow{Line: len(rows) + 2, Post: store.Post{CommuneCode: c.Code, Kind: store.Chief, Slot: 1,
				Status: store.Semi, Holder: "Bán chuyên trách " + c.Name}})
		}
	}
	if _, err := db.ImportPosts(ctx, rows, "chiefs.csv", day(2, 1)); err != nil {
		t.Fatal(err)
	}
	appoint := func(district string, at time.Time) []store.Report {
		var out []store.Report
		for _, c := range byDistrict[district] {
			rep, err := db.ApplyChange(ctx, store.Change{Ref: store.PostRef{CommuneCode: c.Code, Kind: store.Chief, Slot: 1},
				Status: store.Regular, Holder: "Chính quy " + c.Name, Actor: "import:bo-nhiem.csv", At: at})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, rep)
		}
		return out
	}
	daBac := appoint("150", day(3, 20).Add(9*time.Hour))
	appoint("159", day(4, 10).Add(9*time.Hour))
	if err := db.Arrange(ctx, daBac[0].ID, store.Retired, "user:1", day(3, 21)); err != nil {
		t.Fatal(err)
	}

	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := review.Build(ctx, db, cat, review.Request{Kind: review.Period, From: day(3, 1), To: day(4, 30), Lang: "vi",
		Now: time.Date(2020, 5, 5, 10, 0, 0, 0, loc)})
	if err != nil {
		t.Fatal(err)
	}
	table := func(title string) review.Table {
		t.Helper()
		for _, s := range doc.Sections {
			for _, tb := range s.Tables {
				if strings.HasPrefix(tb.Title, title) {
					return tb
				}
			}
		}
		t.Fatalf("no table %q", title)
		return review.Table{}
	}
	milestones := table("Kết quả thực hiện các mốc")
	if len(milestones.Rows) != 1 {
		t.Fatalf("milestone rows %+v", milestones.Rows)
	}
	var got []string
	for _, c := range milestones.Rows[0].Cells {
		got = append(got, c.Text)
	}
	communes := len(byDistrict["150"]) + len(byDistrict["157"]) + len(byDistrict["159"])
	done := len(byDistrict["150"]) + len(byDistrict["159"])
	want := []string{"Trưởng Công an xã chính quy", "31/03/2020", "Đến hạn trong kỳ", "3", "1", "1", "1",
		fmt.Sprintf("%d/%d xã, thị trấn (%s)", done, communes, strings.Replace(fmt.Sprintf("%.1f%%", 100*float64(done)/float64(communes)), ".", ",", 1))}
	if !slices.Equal(got, want) {
		t.Errorf("milestone row %q, want %q", got, want)
	}
	replaced := table("Người bán chuyên trách được thay thế")
	last := replaced.Rows[len(replaced.Rows)-1]
	if last.Cells[0].Text != "Toàn tỉnh" || last.Cells[1].Number != done || last.Cells[2].Number != 1 || last.Cells[5].Number != done-1 {
		t.Errorf("replaced totals %+v: want %d replaced, 1 retired, %d not arranged", last.Cells, done, done-1)
	}
	behind := table("Mốc “Trưởng Công an xã chính quy”")
	if len(behind.Rows) != len(byDistrict["157"]) || behind.Rows[0].Cells[0].Text != "Huyện Lạc Sơn" {
		t.Errorf("behind: %d rows, first %+v; want Lạc Sơn's %d communes", len(behind.Rows), behind.Rows[0].Cells, len(byDistrict["157"]))
	}
	if doc.Issuer != "CÔNG AN TỈNH HÒA BÌNH" || doc.PlaceDate != "Hòa Bình, ngày 05 tháng 5 năm 2020" || doc.Period != "(Từ ngày 01/03/2020 đến ngày 30/04/2020)" {
		t.Errorf("header %q, %q, %q", doc.Issuer, doc.PlaceDate, doc.Period)
	}

	var xlsx, docx bytes.Buffer
	if err := review.Workbook(&xlsx, doc); err != nil {
		t.Fatal(err)
	}
	if err := review.DOCX(&docx, doc); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tables := 0
	for _, s := range doc.Sections {
		tables += len(s.Tables)
	}
	if n := len(f.GetSheetList()); n != tables {
		t.Errorf("%d sheets for %d tables", n, tables)
	}
	if !bytes.Contains(docx.Bytes(), []byte("word/document.xml")) {
		t.Error("the document is not a Word file")
	}
}

func TestPeriods(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	for _, tt := range []struct {
		from, to time.Time
		want     string
	}{
		{first(review.HalfYear(2020, 1, loc)), second(review.HalfYear(2020, 1, loc)), "2020-01-01 2020-06-30"},
		{first(review.HalfYear(2021, 2, loc)), second(review.HalfYear(2021, 2, loc)), "2021-07-01 2021-12-31"},
		{first(review.Year(2024, loc)), second(review.Year(2024, loc)), "2024-01-01 2024-12-31"},
	} {
		if got := tt.from.Format(time.DateOnly) + " " + tt.to.Format(time.DateOnly); got != tt.want {
			t.Errorf("period %s, want %s", got, tt.want)
		}
	}
}

func first(a, _ time.Time) time.Time  { return a }
func second(_, b time.Time) time.Time { return b }
