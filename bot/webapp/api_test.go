package webapp_test

import (
	"context"
	"encoding/json"
	"net/http"

	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/webapp"
	"github.com/caxbot/caxbot/store"
)

// report is the form's body for one commune.
func report(commune string, posts ...map[string]any) map[string]any {
	return map[string]any{"commune": commune, "posts": posts}
}

func seen(status, holder string) map[string]any {
	return map[string]any{"status": status, "holder": holder}
}

// TestRefused: forged, foreign, stale and other-scope initData get 401 or
// 403, and nothing changes, whatever the call.
func TestRefused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be.open(t), webapp.Options{})
		own := e.initData(communeID)
		// A department's officer files reports in the chat; the roster is
		// not theirs to see.
		const unitID = 1006
		if err := e.db.AddUser(context.Background(), store.User{TelegramID: unitID, Name: "Bùi Thị Lan", Role: store.RoleUnit, Scope: "SNV"}, "test", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		tampered := strings.Replace(own, "%22id%22%3A1003", "%22id%22%3A1001", 1)
		if tampered == own {
			t.Fatal("the test's tampering changed nothing")
		}
		foreign, err := webapp.Sign("999999:another-bot", webapp.WebAppUser{ID: provinceID, FirstName: "Tỉnh"}, e.clock.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		stale, err := webapp.Sign(token, webapp.WebAppUser{ID: communeID, FirstName: "Hải"}, e.clock.Now().Add(-13*time.Hour), nil)
		if err != nil {
			t.Fatal(err)
		}
		// Each user reports a post of Tân Lập: only its own staff, its
		// district and its province may.
		tanLapChief := report(tanLap, map[string]any{"kind": "chief", "slot": 1, "status": "regular", "holder": "Kẻ Giả Mạo", "since": "", "seen": seen("semi", "Bùi Văn 05287-c1")})
		before := e.state()
		calls := []struct {
			name   string
			raw    string
			method string
			path   string
			body   any
			want   int
		}{
			{"no initData", "", "GET", "me", nil, http.StatusUnauthorized},
			{"forged: another user's id put in", tampered, "POST", "report", tanLapChief, http.StatusUnauthorized},
			{"signed with another bot's token", foreign, "GET", "overview", nil, http.StatusUnauthorized},
			{"older than 12 hours", stale, "POST", "report", tanLapChief, http.StatusUnauthorized},
			{"garbage", "user=%7B%22id%22%3A1001%7D&auth_date=1584324000&hash=" + strings.Repeat("0", 64), "GET", "people", nil, http.StatusUnauthorized},
			{"a stranger, signed by Telegram", e.initData(strangerID), "GET", "overview", nil, http.StatusForbidden},
			{"a department's officer", e.initData(unitID), "GET", "overview", nil, http.StatusForbidden},
			{"a commune's staff reporting another commune", e.initData(otherCommID), "POST", "report", tanLapChief, http.StatusForbidden},
			{"a commune's staff checking another commune's report", e.initData(otherCommID), "POST", "report/check", tanLapChief, http.StatusForbidden},
			{"another district's head reporting", e.initData(otherDistID), "POST", "report", tanLapChief, http.StatusForbidden},
			{"another district's head reading the commune", e.initData(otherDistID), "GET", "commune?code=" + tanLap, nil, http.StatusForbidden},
			{"a district head reading another district", e.initData(districtID), "GET", "overview?scope=district:150", nil, http.StatusForbidden},
			{"a district head reading the province", e.initData(districtID), "GET", "overview?scope=province:17", nil, http.StatusForbidden},
			{"a commune's staff reading its district", own, "GET", "overview?scope=district:157", nil, http.StatusForbidden},
			{"a commune's staff listing users", own, "GET", "people", nil, http.StatusForbidden},
			{"a commune's staff inviting", own, "POST", "invitations", map[string]any{"name": "Lò Văn Mới", "role": "commune", "commune": tanLap}, http.StatusForbidden},
			{"a district head inviting a district head", e.initData(districtID), "POST", "invitations", map[string]any{"name": "Lò Văn Mới", "role": "district", "district": "157"}, http.StatusForbidden},
			{"a district head inviting into another district", e.initData(districtID), "POST", "invitations", map[string]any{"name": "Lò Văn Mới", "role": "commune", "commune": tanMinh}, http.StatusForbidden},
			{"a district head listing another district's communes", e.initData(districtID), "GET", "communes?district=150", nil, http.StatusForbidden},
		}
		for _, c := range calls {
			t.Run(c.name, func(t *testing.T) {
				var body struct{ Error, Message string }
				if got := e.call(c.raw, c.method, c.path, c.body, &body); got != c.want {
					t.Fatalf("status %d, want %d (%+v)", got, c.want, body)
				}
				if body.Message == "" || strings.HasPrefix(body.Message, "[") {
					t.Errorf("message %q: want a sentence from the catalog", body.Message)
				}
				if after := e.state(); after != before {
					t.Errorf("the store changed:\n%s\n%s", before, after)
				}
			})
		}
	})
}

func TestOverview(t *testing.T) {
	e := newEnv(t, backends[0].open(t), webapp.Options{})
	type overview struct {
		Name, UnitLevel, Parent string
		Current                 int
		Milestones              []struct {
			ID, Title, Deadline, When, Percent string
			Done, Total, BehindCount           int
			Units                              []struct {
				Scope, Name, Note string
				Done, Total       int
			}
			Behind []struct{ Scope, Name, District, Missing string }
		}
	}
	var prov overview
	if got := e.call(e.initData(provinceID), "GET", "overview", nil, &prov); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if prov.Name != "Toàn tỉnh Hòa Bình" || prov.UnitLevel != "district" || len(prov.Milestones) == 0 {
		t.Fatalf("overview = %+v", prov)
	}
	chief := prov.Milestones[prov.Current]
	if chief.ID != "chief-q1-2020" || chief.Deadline != "31/03/2020" || chief.When != "còn 15 ngày" {
		t.Errorf("the current milestone = %s %s %q, want chief-q1-2020, 31/03/2020, còn 15 ngày", chief.ID, chief.Deadline, chief.When)
	}
	sum, behind := 0, 0
	for _, u := range chief.Units {
		sum += u.Total
		behind += u.Total - u.Done
	}
	if sum != chief.Total || behind != chief.BehindCount || len(chief.Behind) != behind {
		t.Errorf("units add up to %d (%d behind), milestone %d (%d behind, %d listed)", sum, behind, chief.Total, chief.BehindCount, len(chief.Behind))
	}
	if b := chief.Behind[0]; !strings.HasPrefix(b.Missing, "chưa có Trưởng Công an") || !strings.HasSuffix(b.Missing, "chính quy") {
		t.Errorf("behind = %+v", b)
	}

	// The district head drills down from the province's figures: the
	// district's own overview, with its communes, adds up the same.
	var lacSon overview
	if got := e.call(e.initData(districtID), "GET", "overview", nil, &lacSon); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	var fromProvince overview
	if got := e.call(e.initData(provinceID), "GET", "overview?scope=district:157", nil, &fromProvince); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if lacSon.Name != "Huyện Lạc Sơn" || lacSon.UnitLevel != "commune" || lacSon.Parent != "" || fromProvince.Parent != "province:17" {
		t.Errorf("district overview: %q %q parent %q, from the province parent %q", lacSon.Name, lacSon.UnitLevel, lacSon.Parent, fromProvince.Parent)
	}
	var inProvince int
	for _, u := range chief.Units {
		if u.Scope == "district:157" {
			inProvince = u.Total - u.Done
		}
	}
	for _, m := range lacSon.Milestones {
		if m.ID == "chief-q1-2020" && (m.BehindCount != inProvince || len(m.Units) != m.Total) {
			t.Errorf("Lạc Sơn: %d behind and %d units of %d, the province says %d behind", m.BehindCount, len(m.Units), m.Total, inProvince)
		}
	}
}

func TestReportForm(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be.open(t), webapp.Options{})
		raw := e.initData(communeID)
		var c struct {
			Posts []struct {
				Kind          string
				Slot          int
				Name          string
				Status        string
				Holder, Since string
			}
		}
		if got := e.call(raw, "GET", "commune?code="+tanLap, nil, &c); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
		if len(c.Posts) != 4 || c.Posts[0].Name != "Trưởng Công an xã" || c.Posts[2].Name != "Công an viên 1" {
			t.Fatalf("posts = %+v", c.Posts)
		}
		chief := c.Posts[0]
		form := report(tanLap,
			map[string]any{"kind": "chief", "slot": 1, "status": "regular", "holder": "  Hà   Văn Dũng ", "since": "15/03/2020", "seen": seen(chief.Status, chief.Holder),
				"decision_no": " 125/QĐ-CAT ", "decision_date": "10/3/2020", "rank": "dai_uy", "training": "da qua dao tao", "qualification": "dai hoc  an ninh"},
			map[string]any{"kind": "officer", "slot": 3, "status": "semi", "holder": "Lò Thị Xuân", "since": "", "seen": nil},
		)
		before := e.state()
		bad := []struct {
			name  string
			body  any
			field string
		}{
			{"a name that starts with /", report(tanLap, map[string]any{"kind": "chief", "slot": 1, "status": "regular", "holder": "/huy", "since": "", "seen": seen(chief.Status, chief.Holder)}), "holder"},
			{"a day after today", report(tanLap, map[string]any{"kind": "chief", "slot": 1, "status": "regular", "holder": "Hà Văn Dũng", "since": "17/03/2020", "seen": seen(chief.Status, chief.Holder)}), "since"},
			{"31 February", report(tanLap, map[string]any{"kind": "chief", "slot": 1, "status": "regular", "holder": "Hà Văn Dũng", "since": "31/02/2020", "seen": seen(chief.Status, chief.Holder)}), "since"},
			{"held but nobody named", report(tanLap, map[string]any{"kind": "chief", "slot": 1, "status": "semi", "holder": " ", "since": "", "seen": seen(chief.Status, chief.Holder)}), "holder"},
			{"a slot that skips one", report(tanLap, map[string]any{"kind": "officer", "slot": 5, "status": "semi", "holder": "Lò Thị Xuân", "since": "", "seen": nil}), "post"},
			{"a second chief", report(tanLap, map[string]any{"kind": "chief", "slot": 2, "status": "semi", "holder": "Lò Thị Xuân", "since": "", "seen": nil}), "post"},
			{"a decision after today", report(tanLap, map[string]any{"kind": "chief", "slot": 1, "status": "regular", "holder": "Hà Văn Dũng", "since": "",
				"seen": seen(chief.Status, chief.Holder), "decision_no": "125/QĐ-CAT", "decision_date": "20/03/2020"}), "decision_date"},
			{"a rank nobody has", report(tanLap, map[string]any{"kind": "chief", "slot": 1, "status": "regular", "holder": "Hà Văn Dũng", "since": "",
				"seen": seen(chief.Status, chief.Holder), "rank": "đại tá trưởng"}), "standards"},
			{"a qualification too long", report(tanLap, map[string]any{"kind": "chief", "slot": 1, "status": "regular", "holder": "Hà Văn Dũng", "since": "",
				"seen": seen(chief.Status, chief.Holder), "qualification": strings.Repeat("đại học ", 40)}), "standards"},
		}
		for _, b := range bad {
			t.Run(b.name, func(t *testing.T) {
				for _, path := range []string{"report/check", "report"} {
					var body struct {
						Error  string
						Fields []struct {
							Row            int
							Field, Message string
						}
					}
					if got := e.call(raw, "POST", path, b.body, &body); got != http.StatusUnprocessableEntity || len(body.Fields) != 1 || body.Fields[0].Field != b.field {
						t.Errorf("%s: status %d %+v, want 422 on %s", path, got, body, b.field)
					}
				}
				if e.state() != before {
					t.Error("the store changed")
				}
			})
		}

		var check struct {
			Changes []struct{ Post, From, To, Since, Decision, Standards string }
		}
		if got := e.call(raw, "POST", "report/check", form, &check); got != http.StatusOK {
			t.Fatalf("check: status %d", got)
		}
		if e.state() != before {
			t.Fatal("the confirmation step wrote something")
		}
		want := []string{"Trưởng Công an xã: chính quy (Bùi Văn 05287-c1) → chính quy (Hà Văn Dũng) 15/03/2020",
			"Công an viên 3: – → bán chuyên trách (Lò Thị Xuân) 16/03/2020"}
		if len(check.Changes) != 2 {
			t.Fatalf("changes = %+v", check.Changes)
		}
		for i, ch := range check.Changes {
			if got := ch.Post + ": " + ch.From + " → " + ch.To + " " + ch.Since; got != want[i] {
				t.Errorf("change %d = %q, want %q", i, got, want[i])
			}
		}
		if check.Changes[0].Decision != "số 125/QĐ-CAT ngày 10/03/2020" || check.Changes[1].Decision != "" {
			t.Errorf("decisions shown: %q, %q", check.Changes[0].Decision, check.Changes[1].Decision)
		}
		if check.Changes[0].Standards != "Đại úy; đã qua đào tạo; trình độ đại học an ninh" || check.Changes[1].Standards != "" {
			t.Errorf("standards shown: %q, %q", check.Changes[0].Standards, check.Changes[1].Standards)
		}
		var saved struct {
			Saved   int
			Message string
		}
		if got := e.call(raw, "POST", "report", form, &saved); got != http.StatusOK || saved.Saved != 2 || !strings.Contains(saved.Message, "ghi nhận 2 thay đổi") {
			t.Fatalf("submit: status %d %+v", got, saved)
		}
		h, err := e.db.History(t.Context(), tanLap, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 2 || h[0].Actor != "user:1003" || h[0].Source != "webapp" || h[1].NewHolder != "Hà Văn Dũng" {
			t.Errorf("reports = %+v", h)
		}
		// The commune's reports wait for the district's check, the chief's
		// with its decision.
		details, err := e.db.ReportDetails(t.Context(), []int64{h[0].ID, h[1].ID})
		if err != nil {
			t.Fatal(err)
		}
		if d := details[h[1].ID]; d.Check != store.CheckReported || d.Decision.Number != "125/QĐ-CAT" || d.Decision.Date.Format("02/01/2006") != "10/03/2020" ||
			d.Standards != (store.Standards{Rank: "dai_uy", Training: "đã qua đào tạo", Qualification: "đại học an ninh"}) {
			t.Errorf("the chief's details = %+v", d)
		}
		if d := details[h[0].ID]; d.Check != store.CheckReported || !d.Decision.Empty() || !d.Standards.Empty() {
			t.Errorf("the officer's details = %+v", d)
		}
		// The same form again: the chief is no longer as it was seen, and the
		// new officer post is there.
		after := e.state()
		var stale struct{ Error string }
		if got := e.call(raw, "POST", "report", form, &stale); got != http.StatusConflict || stale.Error != "stale" {
			t.Errorf("resubmitted: status %d %+v, want 409 stale", got, stale)
		}
		if e.state() != after {
			t.Error("the stale submission changed the store")
		}
		// The district head sees the report in the commune's history,
		// naming who made it.
		var page struct {
			History []struct{ Post, Change, By, Decision, Check, Standards string }
		}
		e.call(e.initData(districtID), "GET", "commune?code="+tanLap, nil, &page)
		if len(page.History) < 2 || page.History[0].By != "Quách Văn Hải (Xã Tân Lập)" {
			t.Fatalf("history = %+v", page.History)
		}
		// With what stands behind each report: the chief's decision, and
		// both waiting for the district.
		if h := page.History[1]; h.Decision != "số 125/QĐ-CAT ngày 10/03/2020" || h.Check != "chờ xác nhận" || page.History[0].Decision != "" ||
			h.Standards != "Đại úy; đã qua đào tạo; trình độ đại học an ninh" || page.History[0].Standards != "" {
			t.Errorf("history's details = %+v", page.History)
		}
	})
}

func TestInvitations(t *testing.T) {
	e := newEnv(t, backends[0].open(t), webapp.Options{})
	raw := e.initData(districtID)
	var inv struct{ Code, Link, Scope, Role string }
	if got := e.call(raw, "POST", "invitations", map[string]any{"name": "Lò Văn Mới", "role": "commune", "commune": tanLap}, &inv); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if inv.Scope != "Xã Tân Lập" || inv.Link != "https://t.me/caxbot_test?start="+inv.Code {
		t.Errorf("invitation = %+v", inv)
	}
	var ppl struct {
		Users       []struct{ Name string }
		Invitations []struct{ Code string }
	}
	e.call(raw, "GET", "people", nil, &ppl)
	if len(ppl.Invitations) != 1 || ppl.Invitations[0].Code != inv.Code || len(ppl.Users) != 2 {
		t.Errorf("people of Lạc Sơn = %+v", ppl)
	}
	// Đà Bắc's head may not cancel it; Lạc Sơn's may, once.
	if got := e.call(e.initData(otherDistID), "POST", "invitations/revoke", map[string]string{"code": inv.Code}, nil); got != http.StatusForbidden {
		t.Errorf("another district's revoke: status %d", got)
	}
	if got := e.call(raw, "POST", "invitations/revoke", map[string]string{"code": inv.Code}, nil); got != http.StatusOK {
		t.Errorf("revoke: status %d", got)
	}
	if got := e.call(raw, "POST", "invitations/revoke", map[string]string{"code": inv.Code}, nil); got != http.StatusConflict {
		t.Errorf("revoke twice: status %d", got)
	}
	entries, err := e.db.AuditLog(t.Context(), 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 2 || entries[0].Action != "revoke_invitations" || entries[0].Actor != "user:1002" {
		t.Errorf("audit = %+v", entries)
	}

}

// TestOverviewAfterReports: an overview asked again after reports (which
// the app applies to the counts it keeps) is the overview a fresh server
// counts from the store.
func TestOverviewAfterReports(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be.open(t), webapp.Options{})
		raw := e.initData(provinceID)
		for _, scope := range []string{"province:17", "district:157", "commune:" + tanLap} {
			e.call(raw, "GET", "overview?scope="+scope, nil, nil) // kept
		}
		changes := []store.Change{
			{Ref: store.PostRef{CommuneCode: tanLap, Kind: store.Chief, Slot: 1}, Status: store.Vacant},
			{Ref: store.PostRef{CommuneCode: tanLap, Kind: store.Deputy, Slot: 2}, Status: store.Regular, Holder: "Lò Văn Hùng"},
			{Ref: store.PostRef{CommuneCode: tanMinh, Kind: store.Chief, Slot: 1}, Status: store.Regular, Holder: "Đinh Công Tráng"},
			{Ref: store.PostRef{CommuneCode: tanLap, Kind: store.Chief, Slot: 1}, Status: store.Regular, Holder: "Hà Văn Dũng"},
		}
		for _, ch := range changes {
			ch.Actor, ch.At = "user:1001", e.clock.Now()
			if _, err := e.db.ApplyChange(t.Context(), ch); err != nil {
				t.Fatal(err)
			}
		}
		fresh := newEnvOver(t, e)
		for _, scope := range []string{"province:17", "district:157", "commune:" + tanLap} {
			var kept, counted json.RawMessage
			e.call(raw, "GET", "overview?scope="+scope, nil, &kept)
			fresh.call(raw, "GET", "overview?scope="+scope, nil, &counted)
			if string(kept) != string(counted) {
				t.Errorf("%s after reports:\n%s\ncounted afresh:\n%s", scope, kept, counted)
			}
		}
	})
}

// forecaster says the deputies have not moved in 8 weeks, and every other
// milestone will be met on 10/04/2020.
type forecaster struct{}

func (forecaster) Forecast(_ context.Context, m store.Milestone, _ store.Scope) (webapp.Forecast, bool, error) {
	if m.ID == "deputies-2024" {
		return webapp.Forecast{StalledWeeks: 8}, true, nil
	}
	day := time.Date(2020, 4, 10, 0, 0, 0, 0, time.UTC)
	return webapp.Forecast{Date: day, OnTime: !day.After(m.Deadline)}, m.Kind == store.KindPosts, nil
}

// TestForecast: a forecast given through Options.Forecast shows beside
// its milestone's deadline.
func TestForecast(t *testing.T) {
	e := newEnv(t, backends[0].open(t), webapp.Options{Forecast: forecaster{}})
	var ov struct {
		Milestones []struct {
			ID       string
			Forecast *struct {
				Text   string
				OnTime bool
			}
		}
	}
	e.call(e.initData(provinceID), "GET", "overview", nil, &ov)
	for _, m := range ov.Milestones {
		switch {
		case m.ID == "chief-q1-2020" && (m.Forecast == nil || m.Forecast.OnTime || m.Forecast.Text != "Dự báo hoàn thành ngày 10/04/2020, chậm so với hạn"):
			t.Errorf("%s: forecast %+v", m.ID, m.Forecast)
		case m.ID == "deputies-2024" && (m.Forecast == nil || m.Forecast.Text != "Chưa có tiến triển trong 8 tuần qua"):
			t.Errorf("%s: forecast %+v, want no progress in 8 weeks", m.ID, m.Forecast)
		case m.ID == "district-plans" && m.Forecast != nil:
			t.Errorf("%s: forecast %+v, want none", m.ID, m.Forecast)
		}
	}
	seen := false
	for _, m := range ov.Milestones {
		seen = seen || m.ID == "deputies-2024"
	}
	if !seen {
		t.Error("the overview lists no deputies-2024 milestone")
	}
}
