package store

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// parseUnits reads a units file given as CSV text.
func parseUnits(t *testing.T, text string) ([]UnitRow, error) {
	t.Helper()
	tab, err := ReadSheet(strings.NewReader(text), "")
	if err != nil {
		return nil, err
	}
	rows, _, err := ParseUnitsSheet(tab)
	return rows, err
}

func TestParseUnits(t *testing.T) {
	// As Excel saves a CSV in Vietnam: a byte-order mark, CRLF, a blank
	// line, spaces around a cell, a code in lower case.
	rows, err := parseUnits(t, "\ufeffunit_code,unit_name\r\nSNV,Sở Nội vụ\r\n\r\n stc , Sở Tài chính \r\nPTCCB,Phòng Tổ chức cán bộ Công an tỉnh\r\n")
	if err != nil {
		t.Fatal(err)
	}
	var got []ReportingUnit
	for _, r := range rows {
		got = append(got, r.Unit)
	}
	want := []ReportingUnit{{Code: "SNV", Name: "Sở Nội vụ"}, {Code: "STC", Name: "Sở Tài chính"}, {Code: "PTCCB", Name: "Phòng Tổ chức cán bộ Công an tỉnh"}}
	if !slices.Equal(got, want) {
		t.Errorf("units\n%+v\nwant\n%+v", got, want)
	}

	_, err = parseUnits(t, "unit_code,unit_name\n"+
		"148,Huyện Cao Phong\n"+ // a district's code: digits
		"SNV,\n"+
		",Sở Tư pháp\n"+
		"SNV,Sở Nội vụ\n"+
		"snv,Sở Nội vụ\n"+
		"SỞ-NV,Sở Nội vụ\n")
	wantErrs := ImportErrors{
		{Line: 2, Column: "unit_code", Problem: ProblemBadUnitCode, Value: "148"},
		{Line: 3, Column: "unit_name", Problem: ProblemEmptyValue},
		{Line: 4, Column: "unit_code", Problem: ProblemEmptyValue},
		{Line: 5, Column: "unit_code", Problem: ProblemDuplicateUnit, Value: "SNV", FirstLine: 3},
		{Line: 6, Column: "unit_code", Problem: ProblemDuplicateUnit, Value: "snv", FirstLine: 3},
		{Line: 7, Column: "unit_code", Problem: ProblemBadUnitCode, Value: "SỞ-NV"},
	}
	if got := importErrorsOf(t, err); !slices.Equal(got, wantErrs) {
		t.Errorf("errors\n%+v\nwant\n%+v", got, wantErrs)
	}
}

func TestImportUnitsAndTheirMilestone(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		rows, err := parseUnits(t, "unit_code,unit_name\nSNV,Sở Nội vụ\nSTC,Sở Tài chính\n")
		if err != nil {
			t.Fatal(err)
		}
		// Before the province is known, nothing is written.
		if _, err := db.ImportUnits(ctx, rows, "17", "so-nganh.csv", at(0)); err == nil {
			t.Fatal("units imported into an unknown province")
		}
		importHoaBinh(t, db)
		gen, err := db.RosterGeneration(ctx)
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.ImportUnits(ctx, rows, "17", "so-nganh.csv", at(1))
		if err != nil {
			t.Fatal(err)
		}
		if res != (ImportResult{Added: 2}) {
			t.Errorf("first import: %+v", res)
		}
		if next, _ := db.RosterGeneration(ctx); next == gen {
			t.Error("an import of units left the roster generation where it was")
		}
		rows, err = parseUnits(t, "unit_code,unit_name\nSNV,Sở Nội vụ tỉnh Hòa Bình\nSTC,Sở Tài chính\nPTCCB,Phòng Tổ chức cán bộ Công an tỉnh\n")
		if err != nil {
			t.Fatal(err)
		}
		if res, err = db.ImportUnits(ctx, rows, "17", "so-nganh.csv", at(2)); err != nil {
			t.Fatal(err)
		}
		if res != (ImportResult{Added: 1, Changed: 1, Unchanged: 1}) {
			t.Errorf("second import: %+v", res)
		}
		units, err := db.ReportingUnits(ctx, Scope{Role: RoleProvince, Code: "17"})
		if err != nil {
			t.Fatal(err)
		}
		if len(units) != 3 || units[1].Code != "SNV" || units[1].Name != "Sở Nội vụ tỉnh Hòa Bình" {
			t.Errorf("units %+v", units)
		}
		if ds, _ := db.ReportingUnits(ctx, Scope{Role: RoleDistrict, Code: "148"}); len(ds) != 0 {
			t.Errorf("a district sees units %+v", ds)
		}

		// A unit's users: in the province's scope, and in no district's.
		for _, u := range []User{
			{TelegramID: 7001, Name: "Đinh Văn Hùng", Role: RoleUnit, Scope: "SNV"},
			{TelegramID: 7002, Name: "Bùi Thị Lan", Role: RoleDistrict, Scope: "148"},
		} {
			if err := db.AddUser(ctx, u, "cli", at(3)); err != nil {
				t.Fatal(err)
			}
		}
		inProvince, err := db.Users(ctx, Scope{Role: RoleProvince, Code: "17"})
		if err != nil {
			t.Fatal(err)
		}
		if len(inProvince) != 2 {
			t.Errorf("province users %+v", inProvince)
		}
		inUnit, err := db.Users(ctx, Scope{Role: RoleUnit, Code: "SNV"})
		if err != nil || len(inUnit) != 1 || inUnit[0].TelegramID != 7001 {
			t.Errorf("unit users %+v, %v", inUnit, err)
		}
		bad, err := db.CheckUserRows(ctx, []UserRow{{Line: 2, User: User{TelegramID: 7003, Role: RoleUnit, Scope: "SYT", Name: "Lò Văn Tâm"}}})
		if err != nil || len(bad) != 1 || bad[0].Problem != ProblemUnknownScope {
			t.Errorf("unknown unit in a users file: %+v, %v", bad, err)
		}

		// The seed plan asks the units for their implementation plan.
		if err := db.SavePlan(ctx, SeedPlan(hcm(t)), "cli", at(4)); err != nil {
			t.Fatal(err)
		}
		first, err := db.RecordUnitSubmission(ctx, "unit-plans", "SNV", "user:7001", at(5))
		if err != nil || !first {
			t.Fatalf("first filing: %v, %v", first, err)
		}
		if again, err := db.RecordUnitSubmission(ctx, "unit-plans", "SNV", "user:7001", at(6)); err != nil || again {
			t.Errorf("second filing: %v, %v", again, err)
		}
		pr, err := db.Progress(ctx, "unit-plans", Scope{Role: RoleProvince, Code: "17"})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Total != 3 || pr.Done != 1 || len(pr.Districts) != 3 || pr.Districts[1].District.Name != "Sở Nội vụ tỉnh Hòa Bình" || pr.Districts[1].Done != 1 {
			t.Errorf("progress %+v", pr)
		}
		if pr, err := db.Progress(ctx, "unit-plans", Scope{Role: RoleDistrict, Code: "148"}); err != nil || pr.Total != 0 {
			t.Errorf("a district's progress on the units' milestone: %+v, %v", pr, err)
		}
		// Before the filing, as the store was then.
		if pr, err := db.AsOf(at(5)).Progress(ctx, "unit-plans", Scope{Role: RoleProvince, Code: "17"}); err != nil || pr.Done != 0 {
			t.Errorf("progress before the filing: %+v, %v", pr, err)
		}
		subs, err := db.AllSubmissions(ctx)
		if err != nil || !slices.ContainsFunc(subs, func(s Submission) bool { return s.MilestoneID == "unit-plans" && s.DistrictCode == "SNV" }) {
			t.Errorf("all submissions %+v, %v", subs, err)
		}
		// The districts' milestone is untouched.
		if pr, err := db.Progress(ctx, "district-plans", Scope{Role: RoleProvince, Code: "17"}); err != nil || pr.Total != 10 || pr.Done != 0 {
			t.Errorf("district plans: %d/%d, %v", pr.Done, pr.Total, err)
		}
	})
}
