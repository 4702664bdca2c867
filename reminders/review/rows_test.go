package review_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders/review"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestReviewNamesItsRows reviews Hòa Bình with its departments, before and
// after the district level ends: the milestones' count column says what it
// counts (districts, departments, or the communes under the province as
// one unit), and a province without districts reads no "huyện" in what
// the review itself writes (headers, intros, recipients), and has no
// district column or district rows.
func TestReviewNamesItsRows(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *store.DB{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := open(t)
			loc := db.Location()
			day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
			storetest.ImportHoaBinh(t, db, store.Province{Code: "17", Name: "Hòa Bình"}, day(2020, 1, 1))
			if err := db.SavePlan(ctx, store.SeedPlan(loc), "test", day(2020, 1, 1)); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ImportUnits(ctx, []store.UnitRow{
				{Line: 2, Unit: store.ReportingUnit{Code: "SNV", Name: "Sở Nội vụ"}},
				{Line: 3, Unit: store.ReportingUnit{Code: "STC", Name: "Sở Tài chính"}},
			}, "17", "so-nganh.csv", day(2020, 1, 1)); err != nil {
				t.Fatal(err)
			}
			if _, err := db.RecordUnitSubmission(ctx, "unit-plans", "SNV", "user:7001", day(2020, 1, 20)); err != nil {
				t.Fatal(err)
			}
			cat, err := locales.Load()
			if err != nil {
				t.Fatal(err)
			}
			build := func(from, to, now time.Time) review.Document {
				t.Helper()
				doc, err := review.Build(ctx, db, cat, review.Request{Kind: review.Period, From: from, To: to, Lang: "vi", Now: now})
				if err != nil {
					t.Fatal(err)
				}
				return doc
			}
			milestones := func(doc review.Document) map[string]review.Table {
				out := make(map[string]review.Table)
				for _, tb := range doc.Sections[2].Tables {
					out[tb.Title] = tb
				}
				return out
			}

			q1 := milestones(build(day(2020, 1, 1), day(2020, 3, 31), day(2020, 4, 2)))
			districts, units := q1["Kết quả thực hiện các mốc theo huyện, thành phố"], q1["Kết quả thực hiện các mốc của các sở, ngành"]
			if got := districts.Header[0][3].Text; got != "Số huyện, thành phố" {
				t.Errorf("districts' count column %q", got)
			}
			if got := units.Header[0][3].Text; got != "Số sở, ngành" {
				t.Errorf("departments' count column %q", got)
			}
			if len(units.Rows) != 1 || units.Rows[0].Cells[3].Number != 2 || units.Rows[0].Cells[4].Number != 1 || units.Rows[0].Cells[6].Number != 1 {
				t.Errorf("departments' rows %+v, want one: 2 departments, 1 on time, 1 not", units.Rows)
			}
			for _, r := range districts.Rows {
				if r.Cells[0].Text == units.Rows[0].Cells[0].Text {
					t.Errorf("the departments' milestone %q among the districts' rows", r.Cells[0].Text)
				}
			}

			now := time.Date(2025, 7, 2, 9, 0, 0, 0, loc)
			storetest.ImportHoaBinhChanges(t, db, now)
			doc := build(day(2025, 7, 1), day(2025, 12, 31), now)
			for _, line := range doc.Recipients {
				if strings.Contains(line, "huyện") {
					t.Errorf("recipient %q in a province without districts", line)
				}
			}
			for _, s := range doc.Sections {
				for _, par := range s.Paragraphs {
					if strings.Contains(par, "huyện") {
						t.Errorf("%s: %q", s.Heading, par)
					}
				}
				for _, tb := range s.Tables {
					if strings.Contains(tb.Title, "huyện") {
						t.Errorf("table %q", tb.Title)
					}
					for _, row := range tb.Header {
						for _, c := range row {
							if strings.Contains(c.Text, "huyện") || strings.Contains(c.Text, "Huyện") {
								t.Errorf("table %q: header %q", tb.Title, c.Text)
							}
						}
					}
					for _, row := range tb.Rows {
						if c := row.Cells[0].Text; strings.HasPrefix(c, "Huyện") || c == "Tỉnh Hòa Bình" {
							t.Errorf("table %q: row of %q", tb.Title, c)
						}
					}
				}
			}
			after := milestones(doc)
			direct, ok := after["Kết quả thực hiện các mốc của các xã, phường trực thuộc tỉnh"]
			if !ok || direct.Header[0][3].Text != "Số đơn vị" {
				t.Errorf("no milestones of the communes under the province, or its count column is not “Số đơn vị”: %v", after)
			}
			for _, r := range direct.Rows {
				if r.Cells[3].Number != 1 {
					t.Errorf("milestone %q counts %d units, want the province's one", r.Cells[0].Text, r.Cells[3].Number)
				}
				if strings.Contains(r.Cells[7].Text, "huyện") {
					t.Errorf("milestone %q: result %q", r.Cells[0].Text, r.Cells[7].Text)
				}
			}
			if _, ok := after["Kết quả thực hiện các mốc của các sở, ngành"]; !ok {
				t.Errorf("the departments' milestones are gone without the districts: %v", after)
			}
		})
	}
}
