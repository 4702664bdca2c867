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
	}{
		{"đầu năm 2021 Lạc Sơn có mấy xã có trưởng CA chính quy", day(2021, 1, 1), false, "157"},
		{"dau nam 2021 lac son co may xa co truong ca chinh quy", day(2021, 1, 1), false, "157"},
		{"tình hình ngày 31/03/2020", day(2020, 4, 1), false, ""},
		{"tinh hinh toan tinh ngay 31/3/2020", day(2020, 4, 1), false, ""},
		{"cuối năm 2020 huyện Kim Bôi còn bao nhiêu xã chưa có TCAX CQ", day(2021, 1, 1), false, "153"},
		{"tại thời điểm 15/03/2020 Lạc Sơn còn mấy vị trí trống", day(2020, 3, 16), false, "157"},
		{"cuối quý I/2020 có bao nhiêu xã có trưởng công an chính quy", day(2020, 4, 1), false, ""},
		{"tình hình đến hết quý I/2020", day(2020, 4, 1), false, ""},
		// Windows and periods, not moments.
		{"từ đầu năm bố trí được mấy trưởng công an chính quy", time.Time{}, true, ""},
		{"6 tháng cuối năm 2020 bố trí thêm mấy phó trưởng chính quy", time.Time{}, true, ""},
		{"quý II/2020 huyện Yên Thủy bố trí thêm được mấy phó trưởng chính quy", time.Time{}, true, "158"},
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
