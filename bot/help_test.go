package bot

import (
	"strings"
	"testing"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

// TestHelpExamples checks that /trogiup shows each role its own examples
// and that the bot understands every one of them, asked by that role.
func TestHelpExamples(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	nationalUser := tgtest.User{ID: 1004, FirstName: "Bộ", LanguageCode: "vi"}
	if err := e.db.AddUser(e.ctx, store.User{TelegramID: nationalUser.ID, Name: "Cán bộ Bộ", Role: store.RoleNational, Scope: "VN"}, "test", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	p := e.bot.cat.Printer("vi", e.loc)
	for _, c := range []struct {
		role store.Role
		user tgtest.User
	}{
		{store.RoleCommune, communeUser}, {store.RoleDistrict, districtUser},
		{store.RoleProvince, provinceUser}, {store.RoleNational, nationalUser},
	} {
		help := p.T("ask.help." + string(c.role))
		shown := e.say(c.user, "/trogiup").Text
		var examples []string
		for _, l := range strings.Split(help, "\n") {
			if ex, ok := strings.CutPrefix(l, "• "); ok {
				examples = append(examples, ex)
			}
		}
		if len(examples) < 4 || !strings.Contains(shown, examples[0]) {
			t.Errorf("%s: /trogiup shows %q, want the role's examples (%d)", c.role, shown, len(examples))
		}
		for _, ex := range examples {
			got := e.say(c.user, ex).Text
			if strings.Contains(got, "chưa hiểu") || strings.Contains(got, "lỗi") {
				t.Errorf("%s: %q answered %q", c.role, ex, got)
			}
		}
	}
}
