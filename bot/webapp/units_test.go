package webapp_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/caxbot/caxbot/bot/webapp"
	"github.com/caxbot/caxbot/store"
)

// TestDepartments: the province's overview shows its departments'
// milestone (who filed, who did not, neither a place to open), a
// district's does not; the province may invite a department's officer,
// as /moi does, and only to one of its departments.
func TestDepartments(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be.open(t), webapp.Options{})
		ctx := t.Context()
		if _, err := e.db.ImportUnits(ctx, []store.UnitRow{
			{Line: 2, Unit: store.ReportingUnit{Code: "SNV", Name: "Sở Nội vụ"}},
			{Line: 3, Unit: store.ReportingUnit{Code: "STC", Name: "Sở Tài chính"}},
		}, "17", "so-nganh.csv", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.RecordUnitSubmission(ctx, "unit-plans", "SNV", "user:7001", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		type milestone struct {
			ID, Summary, UnitLevel string
			Done, Total            int
			Units                  []struct{ Scope, Name, Note string }
			Behind                 []struct{ Scope, Name, Missing string }
		}
		type overview struct{ Milestones []milestone }
		var ov overview
		e.call(e.initData(provinceID), "GET", "overview?scope=province:17", nil, &ov)
		i := slices.IndexFunc(ov.Milestones, func(m milestone) bool { return m.ID == "unit-plans" })
		if i < 0 {
			t.Fatalf("the province's overview has no departments' milestone: %+v", ov.Milestones)
		}
		m := ov.Milestones[i]
		if m.Summary != "1/2 sở, ngành đã nộp" || m.UnitLevel != "unit" || m.Done != 1 || m.Total != 2 {
			t.Errorf("departments' milestone %+v", m)
		}
		if len(m.Units) != 2 || m.Units[0].Name != "Sở Nội vụ" || m.Units[0].Note != "đã nộp" || m.Units[1].Note != "chưa nộp" ||
			m.Units[0].Scope != "" || m.Units[1].Scope != "" {
			t.Errorf("departments' bars %+v", m.Units)
		}
		if len(m.Behind) != 1 || m.Behind[0].Name != "Sở Tài chính" || m.Behind[0].Scope != "" {
			t.Errorf("departments behind %+v", m.Behind)
		}
		var district overview
		e.call(e.initData(districtID), "GET", "overview?scope=district:157", nil, &district)
		for _, m := range district.Milestones {
			if m.ID == "unit-plans" {
				t.Errorf("a district's overview shows the departments' milestone: %+v", m)
			}
		}

		province := e.initData(provinceID)
		var ppl struct {
			Roles []struct{ Code, Name string }
			Units []struct{ Code, Name string }
		}
		e.call(province, "GET", "people", nil, &ppl)
		if !slices.Contains(ppl.Roles, struct{ Code, Name string }{"unit", "Sở, ngành"}) || len(ppl.Units) != 2 || ppl.Units[1].Name != "Sở Tài chính" {
			t.Errorf("the province's invitation form: roles %+v, departments %+v", ppl.Roles, ppl.Units)
		}
		var inv struct{ Code, Scope, Role string }
		if got := e.call(province, "POST", "invitations", map[string]any{"name": "Trần Thị Hoa", "role": "unit", "unit": "STC"}, &inv); got != http.StatusOK {
			t.Fatalf("invite a department's officer: status %d", got)
		}
		if inv.Scope != "Sở Tài chính" || inv.Role != "Sở, ngành" {
			t.Errorf("invitation %+v", inv)
		}
		stored, err := e.db.Invitation(ctx, inv.Code)
		if err != nil || stored.Role != store.RoleUnit || stored.Scope != "STC" {
			t.Errorf("stored invitation %+v, %v", stored, err)
		}
		for _, tt := range []struct {
			name string
			from int64
			body map[string]any
			want int
		}{
			{"no department chosen", provinceID, map[string]any{"name": "Trần Văn Nam", "role": "unit"}, http.StatusUnprocessableEntity},
			{"an unknown department", provinceID, map[string]any{"name": "Trần Văn Nam", "role": "unit", "unit": "SXD"}, http.StatusUnprocessableEntity},
			{"a district head", districtID, map[string]any{"name": "Trần Văn Nam", "role": "unit", "unit": "SNV"}, http.StatusForbidden},
		} {
			if got := e.call(e.initData(tt.from), "POST", "invitations", tt.body, nil); got != tt.want {
				t.Errorf("%s: status %d, want %d", tt.name, got, tt.want)
			}
		}
		if got := e.call(province, "POST", "invitations/revoke", map[string]string{"code": inv.Code}, nil); got != http.StatusOK {
			t.Errorf("the province revokes its department's invitation: status %d", got)
		}
	})
}
