package reminders_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestDigestOfUnits: the province's weekly digest reports the seed plan's
// milestone asked of the departments, from the store, naming those that
// have not filed; a district's digest does not.
func TestDigestOfUnits(t *testing.T) {
	for _, be := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.SQLite}, {"postgres", storetest.Postgres}} {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			db := be.open(t)
			start := day(2020, 1, 1)
			storetest.ImportHoaBinh(t, db, store.Province{Code: "17", Name: "Hòa Bình"}, start)
			if err := db.SavePlan(ctx, store.SeedPlan(hanoi), "test", start); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ImportUnits(ctx, []store.UnitRow{
				{Line: 2, Unit: store.ReportingUnit{Code: "SNV", Name: "Sở Nội vụ"}},
				{Line: 3, Unit: store.ReportingUnit{Code: "STC", Name: "Sở Tài chính"}},
				{Line: 4, Unit: store.ReportingUnit{Code: "PTCCB", Name: "Phòng Tổ chức cán bộ Công an tỉnh"}},
			}, "17", "so-nganh.csv", start); err != nil {
				t.Fatal(err)
			}
			if _, err := db.RecordUnitSubmission(ctx, "unit-plans", "SNV", "user:7001", day(2020, 1, 20)); err != nil {
				t.Fatal(err)
			}
			cat, err := locales.Load()
			if err != nil {
				t.Fatal(err)
			}
			now := day(2020, 2, 10).Add(7*time.Hour + 30*time.Minute)
			d, err := reminders.BuildDigest(ctx, db, cat, "vi", store.Scope{Role: store.RoleProvince, Code: "17"}, now)
			if err != nil {
				t.Fatal(err)
			}
			text := reminders.DigestText(cat.Printer("vi", hanoi), d)
			for _, want := range []string{"Các sở, ngành xây dựng kế hoạch triển khai Đề án", "Toàn tỉnh: 1/3 sở, ngành đã nộp.",
				"Chưa nộp (2): Phòng Tổ chức cán bộ Công an tỉnh, Sở Tài chính."} {
				if !strings.Contains(text, want) {
					t.Errorf("province digest lacks %q:\n%s", want, text)
				}
			}
			d, err = reminders.BuildDigest(ctx, db, cat, "vi", store.Scope{Role: store.RoleDistrict, Code: "148"}, now)
			if err != nil {
				t.Fatal(err)
			}
			if text := reminders.DigestText(cat.Printer("vi", hanoi), d); strings.Contains(text, "sở, ngành") {
				t.Errorf("a district's digest speaks of the departments:\n%s", text)
			}
		})
	}
}
