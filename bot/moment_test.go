package bot

import (
	"context"
	"regexp"
	"strconv"
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

// TestMomentBeforeTheFirstReport: a moment before the store's first report
// of a place (the roster was imported on 01/01/2020) is one the reports
// know nothing of; the answer says so and when they start, never "không
// có" as if nothing were staffed then.
func TestMomentBeforeTheFirstReport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{FloodLimit: 10000})
		for _, tt := range []struct {
			from     tgtest.User
			question string
		}{
			{districtUser, "cuoi nam 2019 huyen mik co bao nhieu tcax cq"},
			{provinceUser, "cuối năm 2019 toàn tỉnh có bao nhiêu xã có trưởng công an chính quy"},
			{communeUser, "ngay 15/12/2019 xa minh co tcax cq chua"},
			{provinceUser, "tình hình ngày 31/12/2019"},
		} {
			got := e.say(tt.from, tt.question).PlainText
			if !strings.Contains(got, "chưa có số liệu đến hết ngày") || !strings.Contains(got, "01/01/2020") {
				t.Errorf("%q:\n%s\nwant that the reports start on 01/01/2020", tt.question, got)
			}
			for _, wrong := range []string{"không có", "Chưa.", "0/"} {
				if strings.Contains(got, wrong) {
					t.Errorf("%q:\n%s\nwant no %q", tt.question, got, wrong)
				}
			}
		}
		// From the first report on, the moment is answered as before.
		if got := e.say(districtUser, "ngay 2/1/2020 huyen mik co bao nhieu tcax cq").PlainText; !strings.HasPrefix(got, "Tình hình đến hết ngày 02/01/2020") {
			t.Errorf("after the first report:\n%s", got)
		}
	})
}

// TestOverviewOnADeadlineDay: "tình hình ngày 31/03/2020", asked weeks
// later, is measured against the milestone due that day (the chiefs'), as
// the same question asked on 31/03/2020 is, not against the next one.
func TestOverviewOnADeadlineDay(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 10000})
	chiefs := "Bố trí Trưởng Công an xã chính quy"
	if got := e.say(provinceUser, "tinh hinh").PlainText; !strings.Contains(got, chiefs) {
		t.Fatalf("before the deadline, the overview is not the chiefs':\n%s", got)
	}
	e.clock.advance(35 * 24 * time.Hour)
	for _, q := range []string{"tinh hinh ngay 31/3/2020", "tình hình ngày 31/03/2020 huyện Lạc Sơn"} {
		if got := e.say(provinceUser, q).PlainText; !strings.Contains(got, chiefs) {
			t.Errorf("%q:\n%s\nwant the milestone due that day, %q…", q, got, chiefs)
		}
	}
}

// TestProgressByDistrictInPosts: a milestone whose goal is a share of the
// posts (the deputies' roadmap) is counted in posts on every line, the
// districts' as the province's: their figures add up to the whole's.
func TestProgressByDistrictInPosts(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 10000})
	e.clock.advance(35 * 24 * time.Hour) // past the chiefs' deadline: the deputies' step is next
	for _, q := range []string{"tiến độ toàn tỉnh", "tinh hinh ngay 15/4/2020"} {
		got := e.say(provinceUser, q).PlainText
		whole := regexp.MustCompile(`Toàn tỉnh: (\d+)/(\d+) vị trí`).FindStringSubmatch(got)
		if whole == nil {
			t.Fatalf("%q: no share of posts:\n%s", q, got)
		}
		hit, all := 0, 0
		for _, m := range regexp.MustCompile(`(?m)^• .*: (\d+)/(\d+) \(`).FindAllStringSubmatch(got, -1) {
			h, _ := strconv.Atoi(m[1])
			n, _ := strconv.Atoi(m[2])
			hit, all = hit+h, all+n
		}
		if strconv.Itoa(hit) != whole[1] || strconv.Itoa(all) != whole[2] {
			t.Errorf("%q: the districts add up to %d/%d, the province is %s/%s:\n%s", q, hit, all, whole[1], whole[2], got)
		}
	}
}

// TestMomentAhead: a moment still ahead ("cuối năm 2020", asked in March
// 2020) is answered with the state as it is now, and says so, never as
// the state "đến hết ngày 31/12/2020".
func TestMomentAhead(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 10000})
	for _, q := range []string{"cuoi nam 2020 huyen mik co bao nhieu ptcax cq", "tình hình ngày 31/12/2020"} {
		got := e.say(districtUser, q).PlainText
		if !strings.HasPrefix(got, "Ngày 31/12/2020 chưa đến; tình hình đến nay (16/03/2020):\nHuyện Lạc Sơn") || strings.Contains(got, "đến hết ngày 31/12/2020") {
			t.Errorf("%q:\n%s", q, got)
		}
	}
	// Today is no moment ahead: its state is answered as before.
	if got := e.say(districtUser, "ngày 16/03/2020 huyện mình có bao nhiêu xã có tcax cq").PlainText; strings.Contains(got, "chưa đến") {
		t.Errorf("today:\n%s", got)
	}
}
