package reminders_test

import (
	"context"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// TestBoundGroupsGetTheirScopesMessages: a group bound to a district gets
// the district's reminders as its head does, one bound to the province
// the weekly digest; an unbound group gets nothing.
func TestBoundGroupsGetTheirScopesMessages(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			db, st := be.open(t)
			srv := tgtest.NewServer(tgtest.Options{Scale: 100})
			t.Cleanup(srv.Close)
			r := setupRoster(t, db, srv)
			district := r.districts[0].Code
			if district == r.fastDistrict {
				district = r.districts[1].Code
			}
			const districtGroup, provinceGroup = -1001, -1002
			for _, g := range []store.GroupChat{
				{ChatID: districtGroup, Role: store.RoleDistrict, Scope: district, Lang: "vi", BoundBy: r.heads[district], BoundAt: day(2020, 2, 1)},
				{ChatID: provinceGroup, Role: store.RoleProvince, Scope: "17", Lang: "vi", BoundBy: r.province, BoundAt: day(2020, 2, 1)},
			} {
				if err := db.BindGroupChat(ctx, g); err != nil {
					t.Fatal(err)
				}
			}
			s := newScheduler(t, db, st)
			s.Replica = "replica-0"
			// First run, then Friday 28/02/2020 after 07:30 (the reminder of
			// the month before 31/03, brought forward from Sunday 01/03),
			// then Monday 02/03/2020 after 07:30: the weekly digest.
			for _, now := range []time.Time{day(2020, 2, 27).Add(12 * time.Hour), day(2020, 2, 28).Add(7*time.Hour + 31*time.Minute), day(2020, 3, 2).Add(7*time.Hour + 31*time.Minute)} {
				if err := s.Tick(ctx, now); err != nil {
					t.Fatal(err)
				}
			}
			items, err := db.OutboxItems(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[int64]map[string]int{}
			for _, it := range items {
				if kinds[it.ChatID] == nil {
					kinds[it.ChatID] = map[string]int{}
				}
				kinds[it.ChatID][it.Kind]++
			}
			head := kinds[r.heads[district]]
			if head[reminders.KindReminder] == 0 {
				t.Fatalf("the district head got no reminder: the test's day is wrong (%v)", head)
			}
			if got := kinds[districtGroup][reminders.KindReminder]; got != head[reminders.KindReminder] {
				t.Errorf("district group: %d reminders, its head %d", got, head[reminders.KindReminder])
			}
			if kinds[districtGroup][reminders.KindDigest] != 0 {
				t.Errorf("district group got the province's digest")
			}
			if got, want := kinds[provinceGroup][reminders.KindDigest], kinds[r.province][reminders.KindDigest]; got == 0 || got != want {
				t.Errorf("province group: %d digest parts, the province user %d", got, want)
			}
		})
	}
}
