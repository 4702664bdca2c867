package reminders

import (
	"slices"
	"testing"

	"github.com/caxbot/caxbot/store"
)

// deputiesRoadmap is a deputies' milestone with a step at the end of 2020.
func deputiesRoadmap(tb testing.TB) store.Milestone {
	tb.Helper()
	return store.Milestone{
		ID: "deputies-2024", TitleVI: "Phó Trưởng Công an xã chính quy", Kind: store.KindPosts,
		Posts: []store.PostKind{store.Deputy}, Target: store.Regular,
		Start: day(tb, "01/04/2020"), Deadline: day(tb, "31/12/2021"),
		Steps:  []store.Step{{By: day(tb, "31/12/2020"), Goal: store.Goal{Share: 20}}},
		Remind: store.Reminders{BeforeDays: []int{7}, OnDay: true, AfterEvery: 30},
	}
}

// TestOccasionsOfSteps: a step is reminded of before and on its day,
// under keys of its own; only the deadline has reminders after it.
func TestOccasionsOfSteps(t *testing.T) {
	m := deputiesRoadmap(t)
	cal := mustCalendar(t)
	occs := Occasions(m, day(t, "01/12/2020"), day(t, "01/03/2022"), cal, TimeOfDay{Hour: 8})
	var keys []string
	for _, o := range occs {
		keys = append(keys, o.Key()+" "+o.Due.Format("02/01/2006"))
		if got := o.Stage(m); o.Step.IsZero() != (got.Goal == store.Goal{}) || got.Steps != nil {
			t.Errorf("%s: stage %+v", o.Key(), got)
		}
	}
	want := []string{
		"remind:deputies-2024@2020-12-31:before:7 24/12/2020",
		"remind:deputies-2024@2020-12-31:on_day:0 31/12/2020",
		"remind:deputies-2024:before:7 24/12/2021",
		"remind:deputies-2024:on_day:0 31/12/2021",
		"remind:deputies-2024:after:30 07/02/2022", // 30/01 falls in the Tết holiday: the first working day after
	}
	if !slices.Equal(keys, want) {
		t.Errorf("occasions\n%q\nwant\n%q", keys, want)
	}
}

// TestPlanShareGoal: against a share goal, a district that meets it is
// not reminded, nor are its communes, however many posts they lack.
func TestPlanShareGoal(t *testing.T) {
	m := deputiesRoadmap(t).StageAt(day(t, "01/12/2020"))
	districts := []store.District{{Code: "150", Name: "Huyện Đà Bắc"}, {Code: "157", Name: "Huyện Lạc Sơn"}}
	communes := []store.Commune{
		{Code: "04849", Name: "Tân Pheo", Type: store.Xa, DistrictCode: "150"},
		{Code: "04855", Name: "Tân Minh", Type: store.Xa, DistrictCode: "150"},
		{Code: "05089", Name: "Vũ Bình", Type: store.Xa, DistrictCode: "157"},
	}
	R, S := store.Regular, store.Semi
	var posts []store.Post
	for _, p := range []struct {
		code   string
		status []store.Status
	}{{"04849", []store.Status{R, S}}, {"04855", []store.Status{S, S}}, {"05089", []store.Status{S, S}}} {
		for i, st := range p.status {
			posts = append(posts, store.Post{CommuneCode: p.code, Kind: store.Deputy, Slot: i + 1, Status: st})
		}
	}
	pr := store.Evaluate(m, store.Roster{Districts: districts, Communes: communes, Counts: store.CountPosts(m, posts)})
	users := []store.User{
		{TelegramID: 1, Role: store.RoleDistrict, Scope: "150"},
		{TelegramID: 2, Role: store.RoleCommune, Scope: "04855"},
		{TelegramID: 3, Role: store.RoleDistrict, Scope: "157"},
		{TelegramID: 4, Role: store.RoleCommune, Scope: "05089"},
	}
	o := Occasions(deputiesRoadmap(t), day(t, "24/12/2020"), day(t, "25/12/2020"), mustCalendar(t), TimeOfDay{Hour: 8})[0]
	var got []int64
	for _, r := range Plan(o, pr, users, Acks{}, day(t, "24/12/2020")) {
		got = append(got, r.Recipient.ChatID)
	}
	// Đà Bắc: 1 of 4 deputy posts regular, 25% ≥ 20%; Lạc Sơn: 0 of 2.
	if !slices.Equal(got, []int64{3, 4}) {
		t.Errorf("reminded %v, want Lạc Sơn's head and Vũ Bình only", got)
	}
}
