package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestMenusToQueue: the chats whose last queued menu is not their user's
// role's, or who have none, and those of removed users whose menu is not
// none, by id and up to the limit; a user marked gone is left out; a menu
// queued by another replica first is not recorded over.
func TestMenusToQueue(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		at := time.Date(2020, 3, 16, 2, 0, 0, 0, time.UTC)
		wanted := map[Role]string{RoleCommune: "commune:aa", RoleDistrict: "district:bb", RoleProvince: "province:cc"}
		for _, u := range []User{
			{TelegramID: 11, Name: "Xã", Role: RoleCommune, Scope: "05287"},
			{TelegramID: 12, Name: "Huyện", Role: RoleDistrict, Scope: "157"},
			{TelegramID: 13, Name: "Tỉnh", Role: RoleProvince, Scope: "17"},
			{TelegramID: 14, Name: "Đã chặn", Role: RoleCommune, Scope: "05287", Gone: true},
		} {
			if err := db.AddUser(ctx, u, "test", at); err != nil {
				t.Fatal(err)
			}
		}
		queue := func(chat int64, n int64, w string) int {
			t.Helper()
			got, err := db.EnqueueMenus(ctx, []QueuedMenu{{Wanted: w, N: n, Item: OutboxItem{
				Key: fmt.Sprintf("menu:%d:%d", chat, n), ChatID: chat, Kind: "menu", Payload: "{}", DueAt: at}}}, at)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		todo := func(limit int) []string {
			t.Helper()
			got, err := db.MenusToQueue(ctx, wanted, "none:00", limit)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range got {
				out = append(out, fmt.Sprintf("%d %s %d", m.ChatID, m.Role, m.N))
			}
			return out
		}
		if got, want := todo(10), []string{"11 commune 0", "12 district 0", "13 province 0"}; !slices.Equal(got, want) {
			t.Errorf("with no menu queued: %q, want %q", got, want)
		}
		if got, want := todo(2), []string{"11 commune 0", "12 district 0"}; !slices.Equal(got, want) {
			t.Errorf("limit 2: %q, want %q", got, want)
		}
		queue(11, 1, "commune:aa")
		queue(12, 1, "commune:aa") // the district head was a commune's officer
		queue(13, 1, "province:cc")
		queue(99, 1, "commune:aa") // a user since removed
		queue(98, 3, "none:00")    // removed, and their menu with them
		if got, want := todo(10), []string{"12 district 1", "99  1"}; !slices.Equal(got, want) {
			t.Errorf("after the first menus: %q, want %q", got, want)
		}
		// Two replicas queue chat 12's second menu at once, the second
		// having read the user before a change: one item, and the record
		// is the one queued.
		if n := queue(12, 2, "district:bb"); n != 1 {
			t.Errorf("first replica queued %d", n)
		}
		if n := queue(12, 2, "commune:aa"); n != 0 {
			t.Errorf("second replica queued %d, want 0", n)
		}
		if m, ok, err := db.ChatMenuOf(ctx, 12); err != nil || !ok || m.Wanted != "district:bb" || m.N != 2 || m.State != OutboxPending {
			t.Errorf("chat 12's menu: %+v %v %v", m, ok, err)
		}
		if got, want := todo(10), []string{"99  1"}; !slices.Equal(got, want) {
			t.Errorf("after the second: %q, want %q", got, want)
		}
		if n, err := db.PendingMenus(ctx, 100); err != nil || n != 6 {
			t.Errorf("menus pending: %d %v, want 6", n, err)
		}
		if n, err := db.PendingMenus(ctx, 2); err != nil || n != 2 {
			t.Errorf("menus pending among the newest 2: %d %v, want 2", n, err)
		}
		if _, ok, err := db.ChatMenuOf(ctx, 50); ok || err != nil {
			t.Errorf("a chat never given a menu: %v %v", ok, err)
		}
	})
}
