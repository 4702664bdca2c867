package bot

import (
	"strings"
	"testing"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

// TestUnitFilesThroughTheBot: a department's user files the seed plan's
// implementation plan with /nopbaocao; forged presses for milestones that
// are not theirs change nothing; a district head files the district's.
func TestUnitFilesThroughTheBot(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, true, Options{})
		e.addRecipients()
		province := store.Scope{Role: store.RoleProvince, Code: "17"}
		done := func(milestone string) int {
			t.Helper()
			pr, err := e.db.Progress(e.ctx, milestone, province)
			if err != nil {
				t.Fatal(err)
			}
			return pr.Done
		}

		// A department's officer joins by an invitation the province makes
		// in the chat, as for the other roles.
		pick := e.say(provinceUser, "/moi Đinh Thị Hoa")
		e.press(provinceUser, pick, "Sở, ngành")
		units := e.message(provinceUser.ID, pick.ID)
		if !strings.Contains(shown(units), "Chọn sở, ngành của người được mời:\n[Sở Nội vụ]\n[Sở Tài chính]") {
			t.Fatalf("units to invite to: %s", shown(units))
		}
		e.press(provinceUser, units, "Sở Tài chính")
		if made := e.message(provinceUser.ID, pick.ID); !strings.Contains(made.PlainText, "Sở Tài chính") {
			t.Errorf("invitation made: %s", made.PlainText)
		}
		pending, err := e.db.PendingInvitations(e.ctx, province, e.clock.Now())
		if err != nil || len(pending) != 1 || pending[0].Role != store.RoleUnit || pending[0].Scope != "STC" || pending[0].Name != "Đinh Thị Hoa" {
			t.Fatalf("the province's pending invitations: %+v, %v", pending, err)
		}
		inv := pending[0]
		newcomer := tgtest.User{ID: 1010, FirstName: "Hoa", LanguageCode: "vi"}
		if welcome := e.say(newcomer, "/start "+inv.Code); !strings.Contains(welcome.PlainText, "Sở Tài chính") || !strings.Contains(welcome.PlainText, "/nopbaocao") {
			t.Errorf("welcome of a department's officer: %s", welcome.PlainText)
		}
		if u, err := e.db.User(e.ctx, newcomer.ID); err != nil || u.Role != store.RoleUnit || u.Scope != "STC" {
			t.Errorf("redeemed: %+v, %v", u, err)
		}
		if pending, err := e.db.PendingInvitations(e.ctx, province, e.clock.Now()); err != nil || len(pending) != 0 {
			t.Errorf("pending invitations of the province after redemption: %+v, %v", pending, err)
		}

		if help := e.say(unitUser, "/trogiup"); !strings.Contains(help.PlainText, "/nopbaocao – báo cáo đơn vị đã nộp") || strings.Contains(help.PlainText, "/thieu") {
			t.Errorf("a unit's help: %s", help.PlainText)
		}
		if ans := e.say(unitUser, "xa nao chua co truong cong an chinh quy?"); !strings.Contains(ans.PlainText, "dành cho Công an xã, lãnh đạo huyện và Công an tỉnh") {
			t.Errorf("a unit asks about the roster: %s", ans.PlainText)
		}
		for _, cmd := range []string{"/baocao", "/baocaotuan", "/botri", "/xa Tân Lập", "/moi", "/soket 1/2020"} {
			if ans := e.say(unitUser, cmd); !strings.Contains(ans.PlainText, "dành cho Công an xã, lãnh đạo huyện và Công an tỉnh") {
				t.Errorf("a unit's %s: %s", cmd, ans.PlainText)
			}
		}
		choose := e.say(unitUser, "/nopbaocao")
		if !strings.Contains(shown(choose), "Chọn mốc mà Sở Nội vụ đã nộp báo cáo:\n[Các sở, ngành xây dựng kế hoạch triển khai Đề án]") {
			t.Fatalf("/nopbaocao: %s", shown(choose))
		}

		for i, c := range []struct {
			name string
			from int64
			data string
		}{
			{"a commune user", communeUser.ID, "file:unit-plans"},
			{"a district head, for the units' milestone", districtUser.ID, "file:unit-plans"},
			{"the unit, for a milestone of posts", unitUser.ID, "file:chief-q1-2020"},
			{"the unit, for the districts' milestone", unitUser.ID, "file:district-plans"},
			{"the unit, for a milestone not started", unitUser.ID, "file:graduates-2020"},
			{"an unknown milestone", unitUser.ID, "file:khong-co"},
		} {
			u := unitUser
			switch c.from {
			case communeUser.ID:
				u = communeUser
			case districtUser.ID:
				u = districtUser
			}
			if code := e.postWebhook(secret, callbackUpdate(int64(910001+i), u, u.ID, choose.ID, c.data)); code != 200 {
				t.Errorf("%s: status %d", c.name, code)
			}
		}
		stale := 0
		for _, c := range e.srv.CallsOf("answerCallbackQuery") {
			if strings.Contains(c.Params["text"], "không còn hiệu lực") {
				stale++
			}
		}
		if stale != 6 || done("unit-plans") != 0 || done("district-plans") != 0 {
			t.Errorf("forged presses: %d stale of 6, unit plans filed %d, district plans %d", stale, done("unit-plans"), done("district-plans"))
		}

		e.press(unitUser, choose, "Các sở, ngành xây dựng kế hoạch triển khai Đề án")
		if got := e.lastMessage(unitUser.ID); got.PlainText != "Hệ thống đã ghi nhận Sở Nội vụ đã nộp: Các sở, ngành xây dựng kế hoạch triển khai Đề án (ngày 16/03/2020). Cảm ơn đồng chí." {
			t.Errorf("filed: %s", got.PlainText)
		}
		if n := done("unit-plans"); n != 1 {
			t.Errorf("unit plans filed: %d, want 1", n)
		}
		if ans := e.say(unitUser, "/nopbaocao"); ans.PlainText != "Sở Nội vụ không còn mốc nào đang chờ nộp báo cáo." {
			t.Errorf("nothing left: %s", ans.PlainText)
		}

		// The district head files the district's plan the same way.
		choose = e.say(districtUser, "/nopbaocao")
		if !strings.Contains(shown(choose), "Chọn mốc mà huyện Lạc Sơn đã nộp báo cáo:\n[Các huyện, thành phố xây dựng kế hoạch triển khai Đề án]") || strings.Contains(shown(choose), "sở, ngành") {
			t.Fatalf("a district's /nopbaocao: %s", shown(choose))
		}
		e.press(districtUser, choose, "Các huyện, thành phố xây dựng kế hoạch triển khai Đề án")
		if n := done("district-plans"); n != 1 {
			t.Errorf("district plans filed: %d, want 1", n)
		}
		if got := e.lastMessage(districtUser.ID); !strings.HasPrefix(got.PlainText, "Hệ thống đã ghi nhận huyện Lạc Sơn đã nộp:") {
			t.Errorf("a district's filing, as told: %s", got.PlainText)
		}
		if ans := e.say(communeUser, "/nopbaocao"); !strings.Contains(ans.PlainText, "dành cho lãnh đạo huyện và các sở, ngành") {
			t.Errorf("a commune's /nopbaocao: %s", ans.PlainText)
		}
	})
}
