package bot

import (
	"net/http"
	"strings"
	"testing"

	"github.com/caxbot/caxbot/bot/webapp"
	"github.com/caxbot/caxbot/store"
)

// TestMiniAppReportAsksDistrict: a commune's report through the Mini
// App's form reaches its district's users at once, through the outbox,
// as a report in the chat does: the report, its decision and standards,
// with Xác nhận, whose press confirms it. A district user's own report
// through the form asks nobody.
func TestMiniAppReportAsksDistrict(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newCheckEnv(t, be)
		app := miniApp(t, e, webapp.Options{Checks: e.bot})
		submit := func(who int64, holder string) {
			t.Helper()
			posts, err := e.db.CommunePosts(e.ctx, communeUserScope)
			if err != nil {
				t.Fatal(err)
			}
			chief := posts[0]
			body := map[string]any{"commune": communeUserScope, "posts": []map[string]any{{
				"kind": "chief", "slot": 1, "status": "regular", "holder": holder, "since": "15/03/2020",
				"decision_no": "125/QĐ-CAT", "decision_date": "10/03/2020", "rank": "đại úy", "training": "da qua dao tao",
				"seen": map[string]any{"status": chief.Status, "holder": chief.Holder}}}}
			if rec := callApp(t, e, app, who, http.MethodPost, "report", body); rec.Code != http.StatusOK {
				t.Fatalf("submit: %d %s", rec.Code, rec.Body.String())
			}
		}
		dn := len(e.srv.Messages(districtUser.ID))
		submit(communeUser.ID, "Hà Văn Dũng")
		e.drain()
		msgs := e.srv.Messages(districtUser.ID)
		if len(msgs) != dn+1 {
			t.Fatalf("the district got %d messages, want 1", len(msgs)-dn)
		}
		ask := msgs[dn]
		for _, want := range []string{"Báo cáo chờ xác nhận", "Xã Tân Lập", "Hà Văn Dũng", "số 125/QĐ-CAT ngày 10/03/2020", "Đại úy; đã qua đào tạo"} {
			if !strings.Contains(ask.PlainText, want) {
				t.Errorf("the district's message lacks %q:\n%s", want, ask.PlainText)
			}
		}
		if got := e.srv.Messages(daBacUser.ID); len(got) != 0 {
			t.Errorf("another district was asked: %+v", got)
		}
		e.press(districtUser, ask, "Xác nhận")
		h, err := e.db.History(e.ctx, communeUserScope, 1)
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.db.CheckedReport(e.ctx, store.Scope{}, h[0].ID)
		if err != nil || c.Details.Check != store.CheckVerified || c.Details.CheckedBy != "user:1002" {
			t.Errorf("after the press: %+v, %v", c.Details, err)
		}

		// The district's own report is its own check: nobody is asked.
		dn = len(e.srv.Messages(districtUser.ID))
		submit(districtUser.ID, "Lò Văn Tâm")
		e.drain()
		if n := len(e.srv.Messages(districtUser.ID)) - dn; n != 0 {
			t.Errorf("the district's own report sent %d messages", n)
		}
	})
}
