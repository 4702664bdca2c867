package understand

import (
	"testing"
	"time"
)

// TestAsOf: words that ask the roster's state at a moment, as officers
// type them, set the moment and no window; words that name a window or a
// period keep it.
func TestAsOf(t *testing.T) {
	g := mustHoaBinh(t)
	loc := questionDay.Location()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	tests := []struct {
		text   string
		asOf   time.Time
		window bool // a window is read instead
		place  string
		to     time.Time // the window's end, when one is read and it matters
	}{
		{"đầu năm 2021 Lạc Sơn có mấy xã có trưởng CA chính quy", day(2021, 1, 1), false, "157", time.Time{}},
		{"dau nam 2021 lac son co may xa co truong ca chinh quy", day(2021, 1, 1), false, "157", time.Time{}},
		{"tình hình ngày 31/03/2020", day(2020, 4, 1), false, "", time.Time{}},
		{"tinh hinh toan tinh ngay 31/3/2020", day(2020, 4, 1), false, "", time.Time{}},
		{"cuối năm 2020 huyện Kim Bôi còn bao nhiêu xã chưa có TCAX CQ", day(2021, 1, 1), false, "153", time.Time{}},
		{"tại thời điểm 15/03/2020 Lạc Sơn còn mấy vị trí trống", day(2020, 3, 16), false, "157", time.Time{}},
		{"cuối quý I/2020 có bao nhiêu xã có trưởng công an chính quy", day(2020, 4, 1), false, "", time.Time{}},
		{"tình hình đến hết quý I/2020", day(2020, 4, 1), false, "", time.Time{}},
		// A day named alone, of the state, is a moment too.
		{"ngày 31/03/2020 thị trấn Vụ Bản có tcax cq chưa", day(2020, 4, 1), false, "05266", time.Time{}},
		{"ngay 31/3/2020 xa tan lap huyen lac son co tcax cq chua", day(2020, 4, 1), false, "05287", time.Time{}},
		{"Den cuoi nam 2020 kim boi co bao nhieu ptcax cq", day(2021, 1, 1), false, "153", time.Time{}},
		{"hom qua xa tan lap huyen lac son co tcax cq chua", day(2020, 7, 15), false, "05287", time.Time{}},
		{"hôm nay xã Tân Lập huyện Lạc Sơn có trưởng công an chính quy chưa", time.Time{}, false, "05287", time.Time{}},
		// Placements up to a moment are counted by the holders' days.
		{"Den cuoi nam 2020 kim boi da bo tri duoc bao nhieu ptcax cq", time.Time{}, true, "153", day(2021, 1, 1)},
		{"đến cuối quý I/2020 Lạc Sơn đã bổ nhiệm được mấy trưởng CA chính quy", time.Time{}, true, "157", day(2020, 4, 1)},
		{"tình hình bố trí trưởng công an xã chính quy huyện Lạc Sơn cuối quý I/2020", day(2020, 4, 1), false, "157", time.Time{}},
		// The changes of a day stay a window.
		{"ngày 31/03/2020 có xã nào báo cáo không", time.Time{}, true, "", day(2020, 4, 1)},
		{"ngày 15/3/2020 lac son bo tri them may tcax cq", time.Time{}, true, "157", day(2020, 3, 16)},
		// Windows and periods, not moments.
		{"từ đầu năm bố trí được mấy trưởng công an chính quy", time.Time{}, true, "", time.Time{}},
		{"6 tháng cuối năm 2020 bố trí thêm mấy phó trưởng chính quy", time.Time{}, true, "", time.Time{}},
		{"quý II/2020 huyện Yên Thủy bố trí thêm được mấy phó trưởng chính quy", time.Time{}, true, "158", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			m := Read(tt.text, g, questionDay)
			if len(m.Parts) == 0 {
				t.Fatal("not read")
			}
			q := m.Parts[0]
			if !q.AsOf.Equal(tt.asOf) || q.Window.IsZero() == tt.window {
				t.Errorf("as of %v, window %+v; want as of %v, window %v", q.AsOf, q.Window, tt.asOf, tt.window)
			}
			if !tt.to.IsZero() && !q.Window.To.Equal(tt.to) {
				t.Errorf("window %+v, want it to end at %v", q.Window, tt.to)
			}
			if tt.place != "" {
				if len(q.Places) == 0 || len(q.Places[0].Candidates) == 0 || q.Places[0].Candidates[0].Code != tt.place {
					t.Errorf("places %+v, want %s", q.Places, tt.place)
				}
			}
			if q.Topic == TopicUnknown {
				t.Errorf("topic unknown: %+v", q)
			}
		})
	}
}
