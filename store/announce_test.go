package store

import (
	"context"
	"strconv"
	"testing"
)

func TestAnnouncement(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		province := Scope{Role: RoleProvince, Code: "17"}
		users := []User{
			{TelegramID: 9001, Name: "Quách Văn Lâm", Role: RoleProvince, Scope: "17"},
			{TelegramID: 9002, Name: "Bùi Văn Thắng", Role: RoleDistrict, Scope: "148"},
			{TelegramID: 9003, Name: "Đinh Văn An", Role: RoleCommune, Scope: "04849"},
			{TelegramID: 9004, Name: "Hà Thị Mai", Role: RoleCommune, Scope: "04849", Gone: true},
		}
		for _, u := range users {
			if err := db.AddUser(ctx, u, "cli", at(0)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.AnnouncementRecipients(ctx, province, []Role{RoleCommune, RoleDistrict, RoleProvince}, 9001)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].TelegramID != 9002 || got[1].TelegramID != 9003 {
			t.Errorf("recipients %+v: want the district head and the commune officer, not the sender nor who blocked the bot", got)
		}
		onlyCommunes, err := db.AnnouncementRecipients(ctx, province, []Role{RoleCommune}, 9001)
		if err != nil || len(onlyCommunes) != 1 {
			t.Errorf("commune recipients %+v, %v", onlyCommunes, err)
		}
		a := Announcement{SenderID: 9001, Scope: province, Roles: []Role{RoleCommune, RoleDistrict}, Text: "Đề nghị các đồng chí hoàn thành báo cáo trước ngày 15/03/2020.", CreatedAt: at(1)}
		id, err := db.CreateAnnouncement(ctx, a, []int64{9002, 9003}, func(id, _ int64) (string, error) {
			return `{"text":"` + strconv.FormatInt(id, 10) + `"}`, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		back, err := db.Announcement(ctx, id)
		if err != nil || back.Text != a.Text || len(back.Roles) != 2 || back.Scope != province || !back.CreatedAt.Equal(at(1)) {
			t.Errorf("announcement %+v, %v", back, err)
		}
		items, err := db.Claim(ctx, at(2), 10, "test", 60e9)
		if err != nil || len(items) != 2 || items[0].Key != AnnouncementKey(id, 9002) || items[0].Kind != AnnouncementKind {
			t.Fatalf("outbox %+v, %v", items, err)
		}
		for _, c := range []struct {
			name             string
			user             int64
			recipient, first bool
		}{
			{"a recipient's first press", 9003, true, true},
			{"the same press again", 9003, true, false},
			{"someone it was not sent to", 9004, false, false},
			{"its sender", 9001, false, false},
		} {
			recipient, first, err := db.MarkAnnouncementRead(ctx, id, c.user, at(3))
			if err != nil || recipient != c.recipient || first != c.first {
				t.Errorf("%s: recipient %v, first %v, %v", c.name, recipient, first, err)
			}
		}
		readers, err := db.AnnouncementReaders(ctx, id)
		if err != nil || len(readers) != 2 || readers[0].ReadAt != nil || readers[1].ReadAt == nil || readers[0].User.Name != "Bùi Văn Thắng" {
			t.Errorf("readers %+v, %v", readers, err)
		}
	})
}
