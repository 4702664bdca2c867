package reminders

import (
	"fmt"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// BenchmarkPlan plans and renders one occasion's reminders for a country
// of 703 districts and 10,545 communes, half of them behind, with 1,000,
// 10,000 and 100,000 users (70% commune staff, 24% district heads, 6%
// province): the work the reminders job and the preview do per occasion
// once the store has been read. It grows with the users plus the
// communes; the ns/user figure stays flat.
//
//	go test ./reminders -run '^$' -bench Plan -benchtime 5x
func BenchmarkPlan(b *testing.B) {
	cat, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	cal, err := DefaultCalendar()
	if err != nil {
		b.Fatal(err)
	}
	loc := cal.Location()
	m := store.Milestone{ID: "deputies-officers-2024", TitleVI: "Bố trí Phó Trưởng Công an xã và công an viên chính quy",
		Kind: store.KindPosts, Posts: []store.PostKind{store.Deputy, store.Officer},
		Deadline: time.Date(2024, 12, 31, 0, 0, 0, 0, loc), Remind: store.Reminders{EscalateAfter: 14}}
	progress := nationalProgress(m, 703, 15)
	now := time.Date(2024, 7, 4, 7, 30, 0, 0, loc)
	o := Occasion{MilestoneID: m.ID, Kind: OccasionBefore, Days: 180, Nominal: now, Due: now}
	p := cat.Printer("vi", loc)
	for _, n := range []int{1_000, 10_000, 100_000} {
		users := nationalUsers(progress, n)
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			reminded := 0
			for b.Loop() {
				rs := Plan(o, progress, users, Acks{}, now)
				for _, r := range rs {
					if _, err := MessagePayload(renderReminder(p, r, now, loc, DefaultAckPause)); err != nil {
						b.Fatal(err)
					}
				}
				reminded = len(rs)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/user")
			b.ReportMetric(float64(reminded), "reminders")
		})
	}
}

// nationalProgress is a milestone's progress over districts×perDistrict
// communes, every other one behind, missing one deputy and two officers.
func nationalProgress(m store.Milestone, districts, perDistrict int) store.Progress {
	p := store.Progress{Milestone: m}
	for i := range districts {
		dp := store.DistrictProgress{District: store.District{Code: fmt.Sprintf("%03d", i+1), Name: fmt.Sprintf("Huyện Đồng Xuân %d", i+1)}}
		for j := range perDistrict {
			c := store.Commune{Code: fmt.Sprintf("%05d", i*perDistrict+j+1), Name: fmt.Sprintf("Nghĩa Hưng %d", j+1), Type: store.Xa, DistrictCode: dp.District.Code}
			dp.Total++
			if j%2 == 0 {
				dp.Behind = append(dp.Behind, store.CommuneProgress{Commune: &c, Missing: map[store.PostKind]int{store.Deputy: 1, store.Officer: 2}})
			} else {
				dp.Done++
			}
		}
		p.Districts = append(p.Districts, dp)
		p.Total += dp.Total
		p.Done += dp.Done
	}
	return p
}

// nationalUsers spreads n users over the progress's districts and
// communes: 70% commune staff, 24% district heads, 6% province users.
func nationalUsers(p store.Progress, n int) []store.User {
	users := make([]store.User, n)
	for i := range users {
		u := store.User{TelegramID: int64(1_000_000 + i), Name: fmt.Sprintf("Cán bộ %d", i), Lang: "vi"}
		switch k := i % 50; {
		case k < 35:
			u.Role, u.Scope = store.RoleCommune, fmt.Sprintf("%05d", (i*7919)%p.Total+1)
		case k < 47:
			u.Role, u.Scope = store.RoleDistrict, p.Districts[(i*31)%len(p.Districts)].District.Code
		default:
			u.Role, u.Scope = store.RoleProvince, "17"
		}
		users[i] = u
	}
	return users
}
