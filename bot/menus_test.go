package bot

import (
	"crypto/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

// refusedAs are what the handlers answer a role that may not use a
// command; a private chat's menu must offer none of those commands.
var refusedAs = []string{
	"Lệnh /thongbao dành cho", "Báo cáo sơ kết, tổng kết dành cho", "Bản tin tổng hợp dành cho",
	"Lệnh /dexuat dành cho", "Các câu hỏi về lực lượng Công an xã dành cho", "Lệnh /nopbaocao dành cho",
	"không có quyền tạo lời mời", "Lệnh này dùng trong nhóm",
}

// shownMenu is the menu chat shows its user, whose Telegram speaks lang.
func (e *env) shownMenu(u tgtest.User, lang string) []string {
	return e.srv.CommandsShown(u.ID, u.ID, lang)
}

// TestMenusByRole: a user's private chat offers what their role may use,
// in both languages, once they registered (an invitation redeemed) or
// were added, when their role changes and when they are removed; a chat
// of nobody's shows what every role may use, and groups the groups'
// menu.
func TestMenusByRole(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{FloodLimit: 1000})
		e.addRecipients()
		e.srv.AddUser(provinceUser)
		if err := e.bot.RegisterCommands(e.ctx, e.tg); err != nil {
			t.Fatal(err)
		}
		// A commune officer registers by an invitation.
		newcomer := tgtest.User{ID: 1020, FirstName: "Lò Văn Mới", LanguageCode: "vi"}
		inv, err := store.NewInvitation(rand.Reader, store.Scope{Role: store.RoleCommune, Code: communeUserScope}, "Lò Văn Mới", "user:1002", e.clock.Now(), 48*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.CreateInvitation(e.ctx, inv); err != nil {
			t.Fatal(err)
		}
		e.say(newcomer, "/start "+inv.Code)
		e.drain()
		communeMenu := "thieu tiendo xa moc lichsu baocao xacnhan botri huy ngonngu trogiup"
		if got := strings.Join(e.shownMenu(newcomer, "vi"), " "); got != communeMenu {
			t.Errorf("the newcomer's menu: %q, want %q", got, communeMenu)
		}
		// The users added otherwise (caxbot users) get theirs too.
		if err := e.bot.SyncMenus(e.ctx); err != nil {
			t.Fatal(err)
		}
		e.drain()
		for _, tt := range []struct {
			user tgtest.User
			want string
		}{
			{communeUser, communeMenu},
			{districtUser, "thieu tiendo xa moc lichsu baocao xacnhan botri baocaotuan thongbao nopbaocao huy moi ngonngu trogiup"},
			{provinceUser, "thieu tiendo xa moc lichsu baocao xacnhan botri baocaotuan soket tongket dexuat thongbao huy moi ngonngu trogiup"},
			{unitUser, "nopbaocao huy ngonngu trogiup"},
		} {
			for _, lang := range []string{"vi", "en"} {
				if got := strings.Join(e.shownMenu(tt.user, lang), " "); got != tt.want {
					t.Errorf("%s (%s): menu %q, want %q", tt.user.FirstName, lang, got, tt.want)
				}
			}
		}
		// The English list is in English.
		for _, c := range e.srv.CallsOf("setMyCommands") {
			if c.Params["language_code"] == "en" && strings.Contains(c.Params["commands"], "Hủy thao tác") {
				t.Errorf("an English menu in Vietnamese: %s", c.Params["commands"])
			}
		}
		everyone := "huy ngonngu trogiup"
		if got := strings.Join(e.shownMenu(stranger, "vi"), " "); got != everyone {
			t.Errorf("a stranger's menu: %q, want %q", got, everyone)
		}
		e.srv.AddGroup(-700, "Nhóm Lạc Sơn")
		if got := e.srv.CommandsShown(-700, districtUser.ID, "vi"); !slices.Contains(got, "gannhom") || slices.Contains(got, "moi") {
			t.Errorf("a group's menu: %q", got)
		}
		// Nothing changed: nothing more to send.
		calls := len(e.srv.CallsOf("setMyCommands"))
		if err := e.bot.SyncMenus(e.ctx); err != nil {
			t.Fatal(err)
		}
		e.drain()
		if n := len(e.srv.CallsOf("setMyCommands")); n != calls {
			t.Errorf("%d menus set again with no user changed", n-calls)
		}
		// The commune officer becomes the district's head, then is removed.
		if err := e.db.AddUser(e.ctx, store.User{TelegramID: newcomer.ID, Name: "Lò Văn Mới", Role: store.RoleDistrict, Scope: "157"}, "test", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := e.bot.SyncMenus(e.ctx); err != nil {
			t.Fatal(err)
		}
		e.drain()
		if got := e.shownMenu(newcomer, "vi"); !slices.Contains(got, "moi") || !slices.Contains(got, "nopbaocao") {
			t.Errorf("the new district head's menu: %q", got)
		}
		if err := e.db.RemoveUser(e.ctx, newcomer.ID, "test", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := e.bot.SyncMenus(e.ctx); err != nil {
			t.Fatal(err)
		}
		e.drain()
		if got := strings.Join(e.shownMenu(newcomer, "vi"), " "); got != everyone {
			t.Errorf("a removed user's menu: %q, want %q", got, everyone)
		}
	})
}

// TestMenusOfferOnlyWhatTheRoleMayUse holds commandRoles to the
// handlers: every command of a role's menu is answered without a refusal
// in its private chat, and every other command of menu refuses it.
func TestMenusOfferOnlyWhatTheRoleMayUse(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 100000})
	e.addRecipients()
	ministry := tgtest.User{ID: 1999, FirstName: "Bộ", LanguageCode: "vi"}
	if err := e.db.AddUser(e.ctx, store.User{TelegramID: ministry.ID, Name: "Nguyễn Văn Bộ", Role: store.RoleNational, Scope: "VN"}, "test", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		user tgtest.User
		role store.Role
	}{
		{communeUser, store.RoleCommune}, {districtUser, store.RoleDistrict}, {provinceUser, store.RoleProvince},
		{unitUser, store.RoleUnit}, {ministry, store.RoleNational},
	} {
		offered := menuOf(tt.role)
		for _, c := range menu {
			got := shown(e.say(tt.user, "/"+c))
			// A digest or a review on demand answers at once and again once
			// built: that comes before the next command's answer.
			e.bot.heavy.wait()
			refused := slices.ContainsFunc(refusedAs, func(r string) bool { return strings.Contains(got, r) })
			switch in := slices.Contains(offered, c); {
			case in && refused:
				t.Errorf("%s: /%s is in the menu but refused: %q", tt.role, c, got)
			case !in && !refused:
				t.Errorf("%s: /%s is left out of the menu but answered: %q", tt.role, c, got)
			}
			e.huy(tt.user)
		}
	}
}

// menuItems are the menu items the outbox holds, by id.
func (e *env) menuItems() []store.OutboxItem {
	e.t.Helper()
	items, err := e.db.OutboxItems(e.ctx, "menu:")
	if err != nil {
		e.t.Fatal(err)
	}
	return items
}

// TestMenusCapped: a sync queues at most Options.MenusPerSync menus, and
// none while those wait in the outbox; once they went, the next check
// queues the rest though no user changed, and the one after nothing.
func TestMenusCapped(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{FloodLimit: 1000, MenusPerSync: 5})
		e.addRecipients() // seven users in all
		if err := e.bot.SyncMenus(e.ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(e.menuItems()); n != 5 {
			t.Fatalf("the first sync queued %d menus, want 5", n)
		}
		e.bot.checkMenus(e.ctx)
		if n := len(e.menuItems()); n != 5 {
			t.Fatalf("a check with five menus waiting queued %d more", n-5)
		}
		e.drain()
		e.bot.checkMenus(e.ctx)
		items := e.menuItems()
		chats := make(map[int64]bool)
		for _, it := range items {
			chats[it.ChatID] = true
		}
		if len(items) != 7 || len(chats) != 7 {
			t.Fatalf("after the next check: %d menus for %d chats, want 7 for 7", len(items), len(chats))
		}
		e.bot.checkMenus(e.ctx)
		if n := len(e.menuItems()); n != 7 {
			t.Errorf("a check with nothing left queued %d more", n-7)
		}
		e.drain()
		if got := e.shownMenu(unitUser, "vi"); strings.Join(got, " ") != "nopbaocao huy ngonngu trogiup" {
			t.Errorf("the department's menu: %q", got)
		}
	})
}

// TestMenuRetriedOnStart: a user added before they ever wrote to the bot
// has no chat, so their menu fails; their /start queues it again, and a
// second /start does not.
func TestMenuRetriedOnStart(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{FloodLimit: 1000})
		late := tgtest.User{ID: 1030, FirstName: "Hà Văn Muộn", LanguageCode: "vi"}
		if err := e.db.AddUser(e.ctx, store.User{TelegramID: late.ID, Name: "Hà Văn Muộn", Role: store.RoleDistrict, Scope: "157"}, "test", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := e.bot.SyncMenus(e.ctx); err != nil {
			t.Fatal(err)
		}
		e.drain()
		if m, ok, err := e.db.ChatMenuOf(e.ctx, late.ID); err != nil || !ok || m.State != store.OutboxFailed {
			t.Fatalf("the menu of a chat that does not exist: %+v %v %v, want failed", m, ok, err)
		}
		// Another sync leaves it failed: the chat is still not there.
		if err := e.bot.SyncMenus(e.ctx); err != nil {
			t.Fatal(err)
		}
		before := len(e.menuItems())
		e.say(late, "/start")
		e.drain()
		if got := e.shownMenu(late, "vi"); !slices.Contains(got, "moi") || !slices.Contains(got, "baocaotuan") {
			t.Errorf("the district head's menu after /start: %q", got)
		}
		if n := len(e.menuItems()); n != before+1 {
			t.Errorf("/start queued %d menus, want 1", n-before)
		}
		e.say(late, "/start")
		if n := len(e.menuItems()); n != before+1 {
			t.Errorf("a second /start queued %d more menus", n-before-1)
		}
	})
}

// TestMenusNotRequeuedAfterPrune: the retention job prunes sent menus
// from the outbox; neither a sync nor a /start queues them again.
func TestMenusNotRequeuedAfterPrune(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{FloodLimit: 1000})
		e.addRecipients()
		if err := e.bot.SyncMenus(e.ctx); err != nil {
			t.Fatal(err)
		}
		e.drain()
		calls := len(e.srv.CallsOf("setMyCommands"))
		e.clock.advance(100 * 24 * time.Hour)
		pruned, err := e.db.Prune(e.ctx, e.clock.Now().Add(-90*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if pruned.Items == 0 || len(e.menuItems()) != 0 {
			t.Fatalf("pruned %d items, %d menus left: the test prunes nothing", pruned.Items, len(e.menuItems()))
		}
		if err := e.bot.SyncMenus(e.ctx); err != nil {
			t.Fatal(err)
		}
		e.say(communeUser, "/start")
		e.drain()
		if n := len(e.menuItems()); n != 0 {
			t.Errorf("%d menus queued again after the outbox was pruned", n)
		}
		if n := len(e.srv.CallsOf("setMyCommands")); n != calls {
			t.Errorf("%d menus set again after the outbox was pruned", n-calls)
		}
	})
}
