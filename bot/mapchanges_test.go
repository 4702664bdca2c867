package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// importHoaBinhChanges applies the worked example of README with e's
// clock moved on to the day after, and has the bot read the new map.
func (e *env) importHoaBinhChanges() {
	e.t.Helper()
	now := time.Date(2025, 7, 2, 9, 0, 0, 0, e.loc)
	e.clock.mu.Lock()
	e.clock.t = now
	e.clock.mu.Unlock()
	storetest.ImportHoaBinhChanges(e.t, e.db, now)
	if err := e.bot.Reload(e.ctx); err != nil {
		e.t.Fatal(err)
	}
}

// TestTwoLevelProvince asks the bot, after Hòa Bình's 2025 merges and the
// end of its districts, what officers ask: about the province, whose
// communes it now holds directly; about a merged commune and an ended
// district by their old names, answered with what they became; and, as a
// commune user moved to the merged commune, about their own unit.
func TestTwoLevelProvince(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{})
		ctx := context.Background()
		tanPheo := tgtest.User{ID: 1101, FirstName: "Tân Pheo", LanguageCode: "vi"}
		daBac := tgtest.User{ID: 1102, FirstName: "Đà Bắc", LanguageCode: "vi"}
		for _, u := range []store.User{
			{TelegramID: tanPheo.ID, Name: "Bùi Văn An", Role: store.RoleCommune, Scope: "04849"},
			{TelegramID: daBac.ID, Name: "Đinh Công Sơn", Role: store.RoleDistrict, Scope: "150"},
		} {
			if err := e.db.AddUser(ctx, u, "test", e.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		e.importHoaBinhChanges()

		for _, tt := range []struct {
			from        tgtest.User
			ask         string
			want, lacks []string
		}{
			{provinceUser, "huyện Đà Bắc còn thiếu trưởng công an không",
				[]string{"Huyện Đà Bắc chấm dứt hoạt động từ ngày 01/07/2025; các xã, phường của huyện nay thuộc trực tiếp tỉnh Hòa Bình.", "[Tỉnh Hòa Bình]"}, nil},
			{provinceUser, "xa dong chum co truong cong an chua",
				[]string{"Xã Đồng Chum không còn trên bản đồ hành chính từ ngày 01/07/2025: đã được sắp xếp vào xã Tân Pheo.", "[xã Tân Pheo"}, nil},
			{provinceUser, "/xa Đồng Chum", []string{"đã được sắp xếp vào xã Tân Pheo"}, nil},
			// A name the new unit took over, with the type it had: answered
			// about the new unit, with the change said once.
			{provinceUser, "thị trấn Đà Bắc còn thiếu trưởng công an không",
				[]string{"Thị trấn Đà Bắc đã được sắp xếp vào xã Đà Bắc từ ngày 01/07/2025.\n", "Xã Đà Bắc"}, nil},
			{provinceUser, "tt da bac con thieu gi", []string{"Thị trấn Đà Bắc đã được sắp xếp vào xã Đà Bắc từ ngày 01/07/2025.\n"}, nil},
			{provinceUser, "/xa thị trấn Đà Bắc", []string{"Thị trấn Đà Bắc đã được sắp xếp vào xã Đà Bắc từ ngày 01/07/2025.\n"}, nil},
			{provinceUser, "xã Đà Bắc còn thiếu trưởng công an không", []string{"Xã Đà Bắc"}, []string{"sắp xếp"}},
			// The province holds its communes: no district beside their names,
			// no advice to ask by district.
			{provinceUser, "xã nào chưa có trưởng công an chính quy",
				[]string{"Toàn tỉnh: còn ", "• Xã Yên Mông: Trưởng Công an xã bán chuyên trách", "theo từng xã"}, []string{"(tỉnh Hòa Bình)", "huyện"}},
			{provinceUser, "tiến độ các huyện", []string{"• Tỉnh Hòa Bình: "}, []string{"Huyện"}},
			// Its help gives examples about communes, not districts.
			{provinceUser, "/trogiup", []string{"• so sánh xã Tân Pheo và xã Đà Bắc"}, []string{"huyện nào", "các huyện", "từng huyện"}},
			// The head of Đà Bắc is the province's now.
			{daBac, "còn thiếu gì", []string{"Toàn tỉnh: còn "}, nil},
			{tanPheo, "còn thiếu gì", []string{"Xã Tân Pheo: còn 6 vị trí chưa có Công an chính quy", "Phó Trưởng Công an xã 3: bán chuyên trách — Bùi Văn 04852-D1"}, nil},
			// The history of the merged commune goes on from its communes';
			// carrying their posts changed none of them, and is one line.
			{provinceUser, "/lichsu Tân Pheo", []string{
				"• 01/07/2025 — sáp nhập xã Tân Pheo, xã Đồng Chum, xã Tân Minh thành xã Tân Pheo.\n",
				"— Xã Đồng Chum: Trưởng Công an xã: "}, []string{"tiếp nhận từ", "00:00 ngày 01/07/2025"}},
			// About a moment before the change, the old names are the units
			// as they were then, not a redirect to what they became.
			{provinceUser, "tình hình xã Đồng Chum ngày 31/03/2020",
				[]string{"Tình hình đến hết ngày 31/03/2020", "Xã Đồng Chum (huyện Đà Bắc): 5 vị trí, 2 vị trí chưa có Công an chính quy:", "Trưởng Công an xã: khuyết"}, []string{"không còn trên bản đồ", "Tân Pheo"}},
			{provinceUser, "cuoi quy I/2020 xa dong chum co truong CA chinh quy chua",
				[]string{"31/03/2020", "Xã Đồng Chum (huyện Đà Bắc)"}, []string{"không còn trên bản đồ", "Tân Pheo"}},
			// Today's xã Tân Pheo took over the old one of that name: in
			// 2020 the name is the old one, in its district.
			{provinceUser, "cuối quý I/2020 xã Tân Pheo có trưởng CA chính quy chưa",
				[]string{"31/03/2020", "Xã Tân Pheo (huyện Đà Bắc)"}, nil},
			{provinceUser, "tại thời điểm 31/03/2020 huyện Đà Bắc còn mấy xã chưa có TCAX CQ",
				[]string{"31/03/2020", "Huyện Đà Bắc: còn "}, []string{"chấm dứt hoạt động", "Toàn tỉnh"}},
			{provinceUser, "xã Tân Pheo tuần này có thay đổi gì", []string{"Xã Tân Pheo, từ 30/06/2025 đến 06/07/2025: 0 lượt báo cáo thay đổi"}, []string{"chính quy → chính quy"}},
		} {
			got := shown(e.say(tt.from, tt.ask))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s asks %q:\n%s\nwant %q", tt.from.FirstName, tt.ask, got, w)
				}
			}
			for _, w := range tt.lacks {
				if strings.Contains(got, w) {
					t.Errorf("%s asks %q:\n%s\nwant no %q", tt.from.FirstName, tt.ask, got, w)
				}
			}
		}

		// The button asks the question again about what the commune became.
		m := e.say(provinceUser, "xã Đồng Chum còn thiếu gì")
		var label string
		for _, row := range m.Keyboard {
			if strings.HasPrefix(row[0].Text, "xã Tân Pheo") {
				label = row[0].Text
			}
		}
		e.press(provinceUser, m, label)
		if got := e.message(m.ChatID, m.ID).PlainText; !strings.Contains(got, "Xã Tân Pheo: còn 6 vị trí chưa có Công an chính quy") {
			t.Errorf("after pressing %q:\n%s", label, got)
		}
	})
}

// TestTwoLevelRankings asks, after Hòa Bình's districts ended, what the
// province asked of its districts: a ranking of districts is answered by
// commune, or for the province when counted in communes, and says why;
// "thành phố Hòa Bình", the city that ended, is not the province of that
// name.
func TestTwoLevelRankings(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{FloodLimit: 10000})
		e.importHoaBinhChanges()
		for _, tt := range []struct {
			ask         string
			want, lacks []string
		}{
			{"huyện nào có tỉ lệ trưởng công an chính quy thấp nhất",
				[]string{"Tỉnh Hòa Bình không còn cấp huyện: các xã, phường thuộc trực tiếp tỉnh, nên xin trả lời theo từng xã.\n", "xã có tỷ lệ vị trí Trưởng Công an xã chính quy thấp nhất là xã "},
				[]string{"là Tỉnh Hòa Bình"}},
			{"top 3 huyện có tỉ lệ cav cq cao nhất", []string{"nên xin trả lời theo từng xã.\n", "1. Xã "}, []string{"Tỉnh Hòa Bình:"}},
			{"huyện nào còn nhiều xã chưa có trưởng công an chính quy nhất",
				[]string{"nên xin trả lời cho toàn tỉnh.\nToàn tỉnh: còn 87 xã chưa có Trưởng Công an xã chính quy."}, []string{"là Tỉnh Hòa Bình"}},
			// Before the change, the districts were there.
			{"cuối quý I/2020 huyện nào có tỉ lệ tcax cq thấp nhất", []string{"huyện có tỷ lệ vị trí Trưởng Công an xã chính quy thấp nhất là "}, []string{"không còn cấp huyện"}},
			{"tp hoa binh con may xa chua co tcax cq",
				[]string{"Thành phố Hòa Bình chấm dứt hoạt động từ ngày 01/07/2025", "[Tỉnh Hòa Bình]"}, []string{"Toàn tỉnh: còn"}},
			{"cuối quý I/2020 tp hoa binh con may xa chua co tcax cq", []string{"Thành phố Hòa Bình: còn "}, []string{"chấm dứt"}},
		} {
			got := shown(e.say(provinceUser, tt.ask))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q:\n%s\nwant %q", tt.ask, got, w)
				}
			}
			for _, w := range tt.lacks {
				if strings.Contains(got, w) {
					t.Errorf("%q:\n%s\nwant no %q", tt.ask, got, w)
				}
			}
		}
	})
}
