package reminders_test

import (
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// TestForecastText checks a forecast's sentence word for word: the month
// as a Vietnamese staff officer writes it ("tháng 5/2020", the year never
// grouped like a quantity), the deadline after a late forecast, and the
// states without a date.
func TestForecastText(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Date(2020, 12, 31, 0, 0, 0, 0, hanoi)
	expected := func(y int, m time.Month) store.Forecast {
		return store.Forecast{State: store.ForecastExpected, Days: 28, Expected: time.Date(y, m, 14, 0, 0, 0, 0, hanoi)}
	}
	for _, tt := range []struct {
		name, lang string
		f          store.Forecast
		want       string
	}{
		{"before the deadline", "vi", expected(2020, time.May), "theo tốc độ 4 tuần qua, dự kiến đạt mục tiêu vào tháng 5/2020"},
		{"a two-digit month", "vi", expected(2020, time.October), "theo tốc độ 4 tuần qua, dự kiến đạt mục tiêu vào tháng 10/2020"},
		{"after the deadline", "vi", expected(2023, time.September),
			"theo tốc độ 4 tuần qua, dự kiến đạt mục tiêu vào tháng 9/2023 (sau thời hạn 31/12/2020)"},
		{"stalled", "vi", store.Forecast{State: store.ForecastStalled, Days: 56}, "chưa có tiến triển trong 8 tuần qua"},
		{"too early", "vi", store.Forecast{State: store.ForecastTooEarly}, "chưa đủ 2 tuần số liệu để dự báo"},
		{"English month", "en", expected(2021, time.January), "at the pace of the last 4 weeks, the goal is expected to be reached in January 2021 (after the deadline, 31/12/2020)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := cat.Printer(tt.lang, hanoi)
			if got := reminders.ForecastText(p, tt.f, deadline); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
