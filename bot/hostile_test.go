package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

// storeSnapshot is what a message must not change unless it is a
// confirmed report: every report, every post, every user, every
// invitation and audit entry.
func storeSnapshot(t *testing.T, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	posts, err := db.Posts(ctx, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	users, err := db.Users(ctx, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	audit, err := db.AuditLog(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("reports %d\nposts %v\nusers %v\naudit %d", reportTotal(t, db), posts, users, len(audit))
}

// TestHostileMessages sends messages meant to break the bot, or to reach
// outside the sender's scope: each gets a clear answer in valid HTML
// (tgtest refuses a message that is not), never the apology for a
// failure, and nothing in the store changes.
func TestHostileMessages(t *testing.T) {
	tests := []struct {
		name string
		user tgtest.User
		text string
		want string // in the answer; empty: any answer but the apology
	}{
		{"văn bản khổng lồ", communeUser, strings.Repeat("xã Tân Lập còn thiếu gì ", 300), "quá dài"},
		{"khổng lồ đúng 4096 byte lệnh", communeUser, "/xa " + strings.Repeat("ă", 2046), "quá dài"},
		{"ký tự điều khiển", communeUser, "xa\x00 tan\x07lap\x1b[31m con \r\nthieu\x7f gi", ""},
		{"chỉ ký tự điều khiển", communeUser, "\x01\x02\x03\x1b", ""},
		{"dấu phải sang trái", communeUser, "\u202exa tan lap\u200f con thieu gi\u200e\u2066", ""},
		{"lệnh có dấu phải sang trái", communeUser, "/xa \u202eThượng Cốc", ""},
		{"SQL", communeUser, "'; DROP TABLE posts; --", ""},
		{"SQL trong lệnh xã", communeUser, "/xa '; DROP TABLE posts; --", ""},
		{"SQL trong lịch sử", districtUser, "/lichsu ' OR 1=1 --", ""},
		{"SQL trong báo cáo", communeUser, "/baocao truong chinh quy '); DELETE FROM reports; -- 15/03/2020", ""},
		{"HTML", communeUser, "<b>xã</b> <script>alert(1)</script> còn thiếu gì", ""},
		{"thẻ HTML không đóng", provinceUser, "/xa <i>Tân Lập</b><a href=\"javascript:x\">", ""},
		{"thực thể HTML", provinceUser, "tien do &amp; &lt;huyen&gt; &#0; &bogus;", ""},
		{"emoji", communeUser, "🚓👮‍♂️ xã Tân Lập 🇻🇳 còn thiếu gì? 🙏🏽", ""},
		{"UTF-8 hỏng", communeUser, "xa \xff\xfe tan \xc3\x28 lap", ""},
		{"UTF-8 hỏng trong lệnh", communeUser, "/xa \xed\xa0\x80", ""},
		{"lệnh lạ", communeUser, "/drop_table", "không có lệnh này"},
		{"lệnh cho bot khác", communeUser, "/xa@other_bot Thượng Cốc", ""},
		// Forged commands for other scopes.
		{"xã xem xã khác", communeUser, "/xa Thượng Cốc", "ngoài phạm vi"},
		{"xã xem xã khác qua tab", communeUser, "/xa\tThượng Cốc", "ngoài phạm vi"},
		{"xã xem lịch sử xã khác", communeUser, "/lichsu Thượng Cốc", "ngoài phạm vi"},
		{"xã báo cáo cho xã khác", communeUser, "/baocao xa Thuong Coc truong chinh quy Lê Văn X", "ngoài phạm vi"},
		{"xã báo cáo cho xã khác có mã", communeUser, "/baocao xa 05350 truong chinh quy Lê Văn X", ""},
		{"xã xem huyện khác", communeUser, "/thieu huyện Kim Bôi", "ngoài phạm vi"},
		{"xã mời người", communeUser, "/moi Kẻ Gian", "không có quyền"},
		{"huyện báo cáo xã huyện khác", districtUser, "/baocao xa Xuân Thủy truong chinh quy Lê Văn X", "ngoài phạm vi"},
		{"huyện xem lịch sử huyện khác", districtUser, "/lichsu Xuân Thủy", "ngoài phạm vi"},
		{"người lạ dùng lệnh", stranger, "/baocao xa Tan Lap truong chinh quy Lê Văn X", "đường dẫn mời"},
		{"người lạ dùng mã bịa", stranger, "/start '; DROP TABLE users; --", "không đúng"},
	}
	forEachBackend(t, func(t *testing.T, be backend) {
		// The clock stands still: a flood limit of 20 a minute would
		// silence the commune user half way through.
		e := newEnv(t, be, false, Options{FloodLimit: 1000})
		apology := e.bot.cat.Printer("vi", e.loc).T("bot.error.temporary")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := storeSnapshot(t, e.db)
				got := e.say(tt.user, tt.text)
				text := strings.TrimSpace(got.PlainText)
				switch {
				case text == "":
					t.Errorf("empty answer")
				case strings.Contains(text, apology):
					t.Errorf("answered with the apology for a failure: %q", text)
				case tt.want != "" && !strings.Contains(shown(got), tt.want):
					t.Errorf("answer %q, want %q in it", shown(got), tt.want)
				}
				if after := storeSnapshot(t, e.db); after != before {
					t.Errorf("the store changed:\nbefore %s\nafter  %s", before, after)
				}
				// A conversation the message started is ended, so that the
				// next case starts clean.
				if len(got.Keyboard) > 0 {
					e.huy(tt.user)
				}
			})
		}
	})
}
