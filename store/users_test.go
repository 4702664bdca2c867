package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestUsers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		users := []User{
			{TelegramID: 1001, Name: "Nguyễn Văn Hùng", Role: RoleProvince, Scope: "17"},
			{TelegramID: 1002, Name: "Bùi Văn An", Role: RoleDistrict, Scope: "150"},
			{TelegramID: 1003, Name: "Đinh Thị Hoa", Role: RoleCommune, Scope: "04849"},
			{TelegramID: 1004, Name: "Quách Thị Lan", Role: RoleCommune, Scope: "05392"},
			{TelegramID: 1005, Name: "Trần Văn Bộ", Role: RoleNational, Scope: "VN"},
		}
		for i, u := range users {
			if err := db.AddUser(ctx, u, "user:1", at(i)); err != nil {
				t.Fatal(err)
			}
		}
		ids := func(us []User) []int64 {
			var out []int64
			for _, u := range us {
				out = append(out, u.TelegramID)
			}
			return out
		}
		tests := []struct {
			name  string
			scope Scope
			want  []int64
		}{
			{"everything", Scope{}, []int64{1001, 1002, 1003, 1004, 1005}},
			{"the whole country", Scope{Role: RoleNational, Code: "VN"}, []int64{1001, 1002, 1003, 1004, 1005}},
			{"province", Scope{Role: RoleProvince, Code: "17"}, []int64{1001, 1002, 1003, 1004}},
			{"district Đà Bắc", Scope{Role: RoleDistrict, Code: "150"}, []int64{1002, 1003}},
			{"district Lạc Thủy", Scope{Role: RoleDistrict, Code: "159"}, []int64{1004}},
			{"commune Tân Pheo", Scope{Role: RoleCommune, Code: "04849"}, []int64{1003}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.Users(ctx, tt.scope)
				if err != nil {
					t.Fatal(err)
				}
				if g := ids(got); !equalIDs(g, tt.want) {
					t.Errorf("Users = %v, want %v", g, tt.want)
				}
			})
		}

		if err := db.SetUserLang(ctx, 1003, "en"); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkUserGone(ctx, 1003, at(10)); err != nil {
			t.Fatal(err)
		}
		u, err := db.User(ctx, 1003)
		if err != nil {
			t.Fatal(err)
		}
		if u.Lang != "en" || !u.Gone || u.Name != "Đinh Thị Hoa" || !u.CreatedAt.Equal(at(2)) {
			t.Errorf("User(1003) = %+v", u)
		}
		if err := db.SetUserLang(ctx, 9999, "vi"); !errors.Is(err, ErrNotFound) {
			t.Errorf("SetUserLang(unknown) error = %v, want ErrNotFound", err)
		}
		if err := db.RemoveUser(ctx, 1004, "user:1001", at(11)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.User(ctx, 1004); !errors.Is(err, ErrNotFound) {
			t.Errorf("User(removed) error = %v, want ErrNotFound", err)
		}
		if err := db.RemoveUser(ctx, 1004, "user:1001", at(12)); !errors.Is(err, ErrNotFound) {
			t.Errorf("RemoveUser twice error = %v, want ErrNotFound", err)
		}

		log, err := db.AuditLog(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 2 || log[0].Action != "remove_user" || log[0].Actor != "user:1001" || !log[0].At.Equal(at(11)) || log[1].Action != "add_user" {
			t.Errorf("AuditLog(2) = %+v", log)
		}
		if err := db.Audit(ctx, AuditEntry{At: at(13), Actor: "user:1001", Action: "send_digest", Detail: "tuần 10/2020"}); err != nil {
			t.Fatal(err)
		}
		if log, _ := db.AuditLog(ctx, 1); len(log) != 1 || log[0].Detail != "tuần 10/2020" {
			t.Errorf("AuditLog(1) = %+v", log)
		}
	})
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestInvitations(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		invite := func(code, name string, expires time.Time) {
			t.Helper()
			inv := Invitation{Code: code, Role: RoleCommune, Scope: "04849", Name: name, CreatedBy: "user:1002",
				CreatedAt: at(0), ExpiresAt: expires}
			if err := db.CreateInvitation(ctx, inv); err != nil {
				t.Fatal(err)
			}
		}
		invite("tanpheo-1", "Bùi Văn An", at(60))
		invite("tanpheo-2", "", at(60))

		u, err := db.RedeemInvitation(ctx, "tanpheo-1", 2001, "An Bùi", at(10))
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "Bùi Văn An" || u.Role != RoleCommune || u.Scope != "04849" || !u.CreatedAt.Equal(at(10)) {
			t.Errorf("redeemed user = %+v", u)
		}
		u, err = db.RedeemInvitation(ctx, "tanpheo-2", 2002, "Hoa Đinh", at(10))
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "Hoa Đinh" {
			t.Errorf("user of a nameless invitation = %q, want the Telegram name", u.Name)
		}
		inv, err := db.Invitation(ctx, "tanpheo-1")
		if err != nil {
			t.Fatal(err)
		}
		if inv.UsedBy == nil || *inv.UsedBy != 2001 || inv.UsedAt == nil || !inv.UsedAt.Equal(at(10)) {
			t.Errorf("invitation after use = %+v", inv)
		}
		national := Invitation{Code: "bo-1", Role: RoleNational, Scope: "VN", CreatedBy: "cli", CreatedAt: at(0), ExpiresAt: at(60)}
		if err := db.CreateInvitation(ctx, national); err != nil {
			t.Fatalf("a national invitation: %v", err)
		}
		if u, err := db.RedeemInvitation(ctx, "bo-1", 2003, "Trần Văn Bộ", at(10)); err != nil || u.Role != RoleNational {
			t.Errorf("redeemed national invitation: %+v, %v", u, err)
		}

		invite("late", "Lò Văn Tâm", at(60))
		tests := []struct {
			name, code string
			when       time.Time
			want       error
		}{
			{"used", "tanpheo-1", at(11), ErrInvitationUsed},
			{"unknown", "khong-co", at(11), ErrInvitationUnknown},
			{"expired at the passed time", "late", at(60), ErrInvitationExpired},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := db.RedeemInvitation(ctx, tt.code, 2003, "Lò Văn Tâm", tt.when); !errors.Is(err, tt.want) {
					t.Errorf("error = %v, want %v", err, tt.want)
				}
			})
		}
		if _, err := db.RedeemInvitation(ctx, "late", 2003, "Lò Văn Tâm", at(59)); err != nil {
			t.Errorf("redeem a minute before expiry: %v", err)
		}

		t.Run("concurrent redeems: exactly one wins", func(t *testing.T) {
			invite("race", "", at(60))
			const n = 8
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					_, errs[i] = db.RedeemInvitation(ctx, "race", int64(3000+i), "Người dùng", at(20))
				})
			}
			wg.Wait()
			won := 0
			for _, err := range errs {
				switch {
				case err == nil:
					won++
				case !errors.Is(err, ErrInvitationUsed):
					t.Errorf("a losing redeem failed with %v, want ErrInvitationUsed", err)
				}
			}
			if won != 1 {
				t.Errorf("%d redeems won, want exactly 1", won)
			}
		})
	})
}
