package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

// The tests' group chat, and a commune user of another district (Phú
// Cường, Tân Lạc).
const testGroup = -100123

var otherCommuneUser = tgtest.User{ID: 1004, FirstName: "Xã Phú Cường", LanguageCode: "vi"}

// groupEnv is a webhook bot with the test's group, and the commune user of
// another district registered.
func groupEnv(t *testing.T, be backend) *env {
	t.Helper()
	e := newEnv(t, be, true, Options{})
	e.srv.AddGroup(testGroup, "Công an huyện Lạc Sơn")
	if err := e.db.AddUser(e.ctx, store.User{TelegramID: otherCommuneUser.ID, Name: "Cán bộ", Role: store.RoleCommune, Scope: "05140"}, "test", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	return e
}

var updateSeq int64 = 960000

// groupUpdate is a text message from a member of the test's group.
func groupUpdate(from tgtest.User, text string) string {
	updateSeq++
	msg, _ := json.Marshal(map[string]any{
		"message_id": updateSeq, "date": 1584324000,
		"from": map[string]any{"id": from.ID, "is_bot": false, "first_name": from.FirstName, "language_code": "vi"},
		"chat": map[string]any{"id": testGroup, "type": "group", "title": "Công an huyện Lạc Sơn"},
		"text": text,
	})
	return fmt.Sprintf(`{"update_id":%d,"message":%s}`, updateSeq, msg)
}

// inGroup has from write text in the test's group and returns what the
// bot wrote there in answer ("" for nothing).
func (e *env) inGroup(from tgtest.User, text string) string {
	e.t.Helper()
	n := len(e.srv.Messages(testGroup))
	if code := e.postWebhook(secret, groupUpdate(from, text)); code != http.StatusOK {
		e.t.Fatalf("%q in the group: status %d", text, code)
	}
	var out []string
	for _, m := range e.srv.Messages(testGroup)[n:] {
		out = append(out, m.PlainText)
	}
	return strings.Join(out, "\n")
}

// TestGroupNotBound: in a group nobody bound, registered users and
// strangers get no data, only a pointer to the private chat, once; talk
// among the members is left alone.
func TestGroupNotBound(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := groupEnv(t, be)
		note := e.bot.cat.Printer("vi", e.loc).T("bot.group.private_only", "https://t.me/caxbot_test")
		for _, step := range []struct {
			name string
			from tgtest.User
			text string
			want string
		}{
			{"a province user's command", provinceUser, "/thieu", note},
			{"the same user again: silence", provinceUser, "/tiendo huyen lac son", ""},
			{"a question naming the bot", districtUser, "@caxbot_test huyện Lạc Sơn còn bao nhiêu xã chưa có trưởng công an chính quy", note},
			{"a stranger", stranger, "/start", note},
			{"talk among the members", communeUser, "họp giao ban lúc 8 giờ sáng mai nhé", ""},
			{"a command to another bot", communeUser, "/thieu@otherbot", ""},
			{"a report", communeUser, "/baocao truong chinh quy Bùi Văn An 15/03/2020", note},
		} {
			if got := e.inGroup(step.from, step.text); got != step.want {
				t.Errorf("%s: answered %q, want %q", step.name, got, step.want)
			}
		}
		if _, ok, err := e.st.GetConversation(e.ctx, convKey(testGroup, communeUser.ID)); err != nil || ok {
			t.Errorf("a report began in a group nobody bound: %v, %v", ok, err)
		}
	})
}

// TestGroupBound: a district head binds the group to the district. Each
// user then sees there what their scope and the district share: the
// province user the district, the commune user their commune, a commune
// user of another district nothing. Invitations stay private; only a user
// whose scope covers the binding changes it.
func TestGroupBound(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := groupEnv(t, be)
		steps := []struct {
			name      string
			from      tgtest.User
			text      string
			want, not string
		}{
			{"a commune user may not bind", communeUser, "/gannhom", "Chỉ lãnh đạo huyện và Công an tỉnh", ""},
			{"the district head binds", districtUser, "/gannhom", "Đã gắn nhóm này với huyện Lạc Sơn", ""},
			{"the district head asks", districtUser, "/thieu", "Lạc Sơn", ""},
			{"the province user asks: the district", provinceUser, "/tiendo", "Lạc Sơn", "Tân Lạc"},
			{"the province user asks about the province", provinceUser, "/tiendo toan tinh", "nằm ngoài phạm vi", "Tân Lạc"},
			{"the province user asks about another district", provinceUser, "/thieu huyện Tân Lạc", "nằm ngoài phạm vi", "Phú Cường"},
			{"the commune user sees their commune", communeUser, "/xa", "Tân Lập", ""},
			{"a commune user of another district", otherCommuneUser, "/xa", "nằm ngoài", "Phú Cường"},
			{"no invitation in a group", districtUser, "/moi", "chỉ dùng trong tin nhắn riêng", "Mã:"},
			{"a commune user may not unbind", communeUser, "/gonhom", "không có quyền bỏ gắn", ""},
			{"the province user rebinds to the province", provinceUser, "/gannhom", "Đã gắn nhóm này với tỉnh Hòa Bình", ""},
			{"the district head may not bind it back", districtUser, "/gannhom", "không có quyền gắn lại", ""},
			{"the province user unbinds", provinceUser, "/gonhom", "Đã bỏ gắn", ""},
			{"no data any more", districtUser, "/thieu", "nhắn riêng cho hệ thống", "còn"},
		}
		for _, s := range steps {
			got := e.inGroup(s.from, s.text)
			if !strings.Contains(got, s.want) || (s.not != "" && strings.Contains(got, s.not)) {
				t.Errorf("%s: answered %q, want %q in it and not %q", s.name, got, s.want, s.not)
			}
		}
		if got := e.say(districtUser, "/gannhom"); !strings.Contains(got.PlainText, "dùng trong nhóm") {
			t.Errorf("/gannhom in a private chat: %q", got.PlainText)
		}
		log, err := e.db.AuditLog(e.ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		binds := 0
		for _, a := range log {
			if a.Action == "bind_group" || a.Action == "unbind_group" {
				binds++
			}
		}
		if binds != 3 {
			t.Errorf("%d bind and unbind entries in the audit, want 3", binds)
		}
	})
}

// TestGroupConversationsPerUser: in a bound group every member has their
// own conversation: another member's /huy or /ngonngu leaves a report
// under way alone, and only its starter's presses move it.
func TestGroupConversationsPerUser(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := groupEnv(t, be)
		e.inGroup(districtUser, "/gannhom")
		if got := e.inGroup(districtUser, "/baocao"); !strings.Contains(got, "Chọn xã") {
			t.Fatalf("/baocao in the group: %q", got)
		}
		ms := e.srv.Messages(testGroup)
		report := ms[len(ms)-1]
		if got := e.inGroup(provinceUser, "/huy"); !strings.Contains(got, "Không có") {
			t.Errorf("another member's /huy: %q", got)
		}
		e.inGroup(provinceUser, "/ngonngu")
		// The province user presses the district head's button: stale.
		press := func(from tgtest.User, label string) int {
			t.Helper()
			body := fmt.Sprintf(`{"update_id":%d,"callback_query":{"id":"cb%d","from":{"id":%d,"is_bot":false,"first_name":"X"},`+
				`"message":{"message_id":%d,"date":1584324000,"chat":{"id":%d,"type":"group","title":"G"}},"chat_instance":"1","data":%q}}`,
				updateSeq+1, updateSeq+1, from.ID, report.ID, testGroup, buttonData(t, report, label))
			updateSeq++
			return e.postWebhook(secret, body)
		}
		if code := press(provinceUser, "Tân Lập"); code != http.StatusOK {
			t.Fatalf("press: status %d", code)
		}
		if got := e.message(testGroup, report.ID); got.PlainText != report.PlainText {
			t.Errorf("another member's press moved the report to %q", got.PlainText)
		}
		if code := press(districtUser, "Tân Lập"); code != http.StatusOK {
			t.Fatalf("press: status %d", code)
		}
		if got := e.message(testGroup, report.ID); !strings.Contains(got.PlainText, "Tân Lập") || got.PlainText == report.PlainText {
			t.Errorf("the starter's press after the others' /huy and /ngonngu: %q", got.PlainText)
		}
	})
}

// TestGroupRemovedBot: a group that removes the bot loses its binding, so
// that no reminder waits for it.
func TestGroupRemovedBot(t *testing.T) {
	e := groupEnv(t, backends[0])
	e.inGroup(districtUser, "/gannhom")
	if _, err := e.db.GroupChat(e.ctx, testGroup); err != nil {
		t.Fatal(err)
	}
	updateSeq++
	body := fmt.Sprintf(`{"update_id":%d,"my_chat_member":{"chat":{"id":%d,"type":"group","title":"G"},"from":{"id":%d,"is_bot":false,"first_name":"X"},"date":1584324000,`+
		`"old_chat_member":{"status":"member","user":{"id":1,"is_bot":true,"first_name":"caxbot"}},"new_chat_member":{"status":"kicked","user":{"id":1,"is_bot":true,"first_name":"caxbot"},"until_date":0}}}`,
		updateSeq, testGroup, districtUser.ID)
	if code := e.postWebhook(secret, body); code != http.StatusOK {
		t.Fatalf("my_chat_member: status %d", code)
	}
	if _, err := e.db.GroupChat(e.ctx, testGroup); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the group that removed the bot is still bound: %v", err)
	}
}
