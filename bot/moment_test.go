package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

// TestStateOnADay: a day named alone in a question about the state
// ("ngày 18/03/2020 … có tcax cq chưa") asks the state at the end of
// that day, not who took a post on that very day.
func TestStateOnADay(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{FloodLimit: 10000})
		since := time.Date(2020, 3, 16, 0, 0, 0, 0, e.loc)
		if _, err := e.db.ApplyChange(context.Background(), store.Change{Ref: store.PostRef{CommuneCode: communeUserScope, Kind: store.Chief, Slot: 1},
			Status: store.Regular, Holder: "Hà Tiến Luân", Since: &since, Actor: "user:1003", At: e.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		e.clock.advance(4 * 24 * time.Hour) // 20/03/2020
		for _, tt := range []struct {
			from     tgtest.User
			question string
			want     string
		}{
			{provinceUser, "ngày 18/03/2020 xã Tân Lập huyện Lạc Sơn có tcax cq chưa", "Tình hình đến hết ngày 18/03/2020, tính từ các báo cáo đã ghi nhận:\nCó."},
			{communeUser, "ngay 19/3/2020 xa minh co truong cong an chinh quy chua", "Tình hình đến hết ngày 19/03/2020, tính từ các báo cáo đã ghi nhận:\nCó."},
			// Before the report, the chief was not regular yet.
			{communeUser, "ngay 15/3/2020 xa minh co truong cong an chinh quy chua", "Tình hình đến hết ngày 15/03/2020, tính từ các báo cáo đã ghi nhận:\nChưa."},
			// Who was placed on a day stays a question about that day.
			{districtUser, "ngày 16/03/2020 huyện mình bố trí thêm được mấy trưởng công an chính quy", "Huyện Lạc Sơn: 1 "},
		} {
			if got := e.say(tt.from, tt.question).PlainText; !strings.HasPrefix(got, tt.want) {
				t.Errorf("%q:\n got  %q\n want %q…", tt.question, got, tt.want)
			}
		}
	})
}
