package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

// TestEitherStatus: "là chính quy hay bán chuyên trách" about one post
// asks which of the two holds; the answer names it first, with the
// holder, in Vietnamese and in English, never as a verdict ("Có.").
func TestEitherStatus(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{FloodLimit: 10000})
		english := tgtest.User{ID: 1201, FirstName: "Tân Lập", LanguageCode: "vi"}
		if err := e.db.AddUser(context.Background(), store.User{TelegramID: english.ID, Name: "Bùi Văn Anh", Role: store.RoleCommune, Scope: communeUserScope}, "test", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		e.press(english, e.say(english, "/ngonngu"), "English")
		chief := store.PostRef{CommuneCode: communeUserScope, Kind: store.Chief, Slot: 1}
		set := func(st store.Status, holder string, since time.Time) {
			t.Helper()
			c := store.Change{Ref: chief, Status: st, Holder: holder, Actor: "user:1003", At: e.clock.Now()}
			if !since.IsZero() {
				c.Since = &since
			}
			if _, err := e.db.ApplyChange(context.Background(), c); err != nil {
				t.Fatal(err)
			}
		}
		ask := func(u tgtest.User, question string, want ...string) {
			t.Helper()
			got := e.say(u, question).PlainText
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("%q: %q lacks %q", question, got, w)
				}
			}
			for _, verdict := range []string{"Có.", "Chưa.", "Yes.", "Not yet."} {
				if strings.HasPrefix(got, verdict) {
					t.Errorf("%q: %q answers with a verdict", question, got)
				}
			}
		}
		set(store.Regular, "Hà Tiến Luân", time.Date(2020, 3, 10, 0, 0, 0, 0, e.loc))
		ask(communeUser, "tcax mik la cq hay bct",
			"Chính quy. Xã Tân Lập: Trưởng Công an xã là chính quy (Hà Tiến Luân, từ 10/03/2020).")
		ask(provinceUser, "truong cong an xa Tan Lap huyen Lac Son la chinh quy hay ban chuyen trach",
			"Chính quy. Xã Tân Lập (huyện Lạc Sơn): Trưởng Công an xã là chính quy (Hà Tiến Luân, từ 10/03/2020).")
		ask(english, "tcax mik la cq hay bct", "Regular.", "is regular (Hà Tiến Luân, since 10/03/2020).")

		set(store.Semi, "Đinh Văn Bình", time.Time{})
		ask(communeUser, "tcax xã tôi dc cq chưa hay vẫn bct",
			"Bán chuyên trách. Xã Tân Lập: Trưởng Công an xã là bán chuyên trách (Đinh Văn Bình).")
		ask(english, "truong cong an xa minh la chinh quy hay ban chuyen trach", "Semi-professional.", "is semi-professional (Đinh Văn Bình).")

		set(store.Vacant, "", time.Time{})
		ask(communeUser, "tcax mik la cq hay bct", "Đang khuyết. Xã Tân Lập: Trưởng Công an xã đang khuyết")

		// About a district: how many communes have the first status, then
		// those that do not, by name, with no verdict.
		ask(districtUser, "huyen lac son tcax cq hay bct",
			"xã đã có Trưởng Công an xã chính quy (", "chưa có Trưởng Công an xã chính quy nào:\n• ", "\n• Xã Tân Lập: Trưởng Công an xã khuyết")
		ask(provinceUser, "tcax huyen Lac Son cq hay bct", "Huyện Lạc Sơn: ", "\n• Xã Tân Lập: Trưởng Công an xã khuyết")
	})
}
