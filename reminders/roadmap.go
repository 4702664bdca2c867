package reminders

import (
	"strconv"
	"strings"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// kindsText names a milestone's posts in general, for a whole district or
// province: "Phó Trưởng Công an xã", "Phó Trưởng Công an xã, Công an viên".
func kindsText(p *locales.Printer, kinds []store.PostKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = postName(p, store.Xa, k)
	}
	return strings.Join(names, ", ")
}

// GoalLine says what a stage of a milestone asks for (step: one of its
// roadmap's steps), when that is not plainly every post of every commune:
// "Mục tiêu theo lộ trình đến 31/12/2021: 50% số vị trí Phó Trưởng Công an
// xã là chính quy." Empty otherwise.
func GoalLine(p *locales.Printer, stage store.Milestone, step bool) string {
	g := stage.Goal
	if g.IsZero() && !step {
		return ""
	}
	key := "roadmap.goal.final"
	if step {
		key = "roadmap.goal.step"
	}
	kinds, status := kindsText(p, stage.Posts), p.T("status."+string(stage.Target))
	what := p.T("roadmap.goal.all", kinds, status)
	switch {
	case g.Share > 0:
		what = p.T("roadmap.goal.share", p.Num(g.Share), kinds, status)
	case g.Count > 0:
		what = p.T("roadmap.goal.count", p.Num(g.Count), kinds, status)
	}
	return p.T(key, p.Date(stage.Deadline), what)
}

// MonthText is "tháng 9/2023": when a forecast says a goal is reached.
// t is a day as store.ForecastOf gives it, midnight in the plan's zone.
// The year goes as text: a year is not a quantity, and an int would be
// written with its thousands grouped ("2.023").
func MonthText(p *locales.Printer, t time.Time) string {
	return p.T("roadmap.month", strconv.Itoa(int(t.Month())), strconv.Itoa(t.Year()), t.Month().String())
}

// ForecastText says what a forecast found, for the stage whose deadline
// is deadline: "theo tốc độ 8 tuần qua, dự kiến đạt vào tháng 9/2023 (sau
// thời hạn 31/12/2021)", "chưa có tiến triển trong 8 tuần qua", or ""
// when the goal is met already. It starts in lower case, to follow a
// name or a colon.
func ForecastText(p *locales.Printer, f store.Forecast, deadline time.Time) string {
	switch f.State {
	case store.ForecastExpected:
		s := p.T("roadmap.forecast.expected", p.Num(f.Weeks()), MonthText(p, f.Expected))
		if f.Late(deadline) {
			s += p.T("roadmap.forecast.late", p.Date(deadline))
		}
		return s
	case store.ForecastStalled:
		return p.T("roadmap.forecast.stalled", p.Num(f.Weeks()))
	case store.ForecastTooEarly:
		return p.T("roadmap.forecast.too_early", p.Num(store.MinForecastDays/7))
	}
	return ""
}

// CommuneName names a commune inside a sentence: "xã Tân Hòa", "thị trấn
// Vụ Bản" (for the reviews, which write as the reminders do).
func CommuneName(p *locales.Printer, c store.Commune) string { return communeName(p, c) }

// MissingText lists what a commune lacks at the target status, as "chưa
// có ..." completes it: "Phó Trưởng Công an xã chính quy, 2 Công an viên
// chính quy".
func MissingText(p *locales.Printer, t store.CommuneType, target store.Status, missing map[store.PostKind]int) string {
	return missingText(p, t, target, missing)
}
