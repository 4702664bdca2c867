package reminders

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// daBacMaiChau is chief-q1-2020 over two districts of Hòa Bình: Đà Bắc
// has two communes behind, Mai Châu is done.
func daBacMaiChau(tb testing.TB) store.Progress {
	tb.Helper()
	roster := store.Roster{
		Districts: []store.District{
			{Code: "150", Name: "Huyện Đà Bắc", ProvinceCode: "17"},
			{Code: "156", Name: "Huyện Mai Châu", ProvinceCode: "17"},
		},
		Communes: []store.Commune{
			{Code: "04831", Name: "Đà Bắc", Type: store.ThiTran, DistrictCode: "150"},
			{Code: "04834", Name: "Nánh Nghê", Type: store.Xa, DistrictCode: "150"},
			{Code: "04840", Name: "Giáp Đắt", Type: store.Xa, DistrictCode: "150"},
			{Code: "05200", Name: "Mai Châu", Type: store.ThiTran, DistrictCode: "156"},
			{Code: "05206", Name: "Sơn Thủy", Type: store.Xa, DistrictCode: "156"},
		},
	}
	m := chiefQ1(tb)
	roster.Counts = store.CountPosts(m, []store.Post{
		{CommuneCode: "04831", Kind: store.Chief, Slot: 1, Status: store.Regular},
		{CommuneCode: "04834", Kind: store.Chief, Slot: 1, Status: store.Semi},
		// Giáp Đắt has no chief post at all.
		{CommuneCode: "05200", Kind: store.Chief, Slot: 1, Status: store.Regular},
		{CommuneCode: "05206", Kind: store.Chief, Slot: 1, Status: store.Regular},
	})
	return store.Evaluate(m, roster)
}

func TestPlan(t *testing.T) {
	progress := daBacMaiChau(t)
	users := []store.User{
		{TelegramID: 1001, Role: store.RoleDistrict, Scope: "150", Lang: "vi"},
		{TelegramID: 1002, Role: store.RoleDistrict, Scope: "156", Lang: "vi"}, // district done
		{TelegramID: 1003, Role: store.RoleCommune, Scope: "04834", Lang: "en"},
		{TelegramID: 1004, Role: store.RoleCommune, Scope: "04831", Lang: "vi"}, // commune done
		{TelegramID: 1005, Role: store.RoleDistrict, Scope: "150", Gone: true},
		{TelegramID: 1006, Role: store.RoleProvince, Scope: "17"},
		{TelegramID: 1007, Role: store.RoleDistrict, Scope: "150"},  // acknowledged 11/04
		{TelegramID: 1008, Role: store.RoleDistrict, Scope: "150"},  // acknowledged 01/04
		{TelegramID: 1009, Role: store.RoleCommune, Scope: "05206"}, // outside the plan's behind list
	}
	acks := Acks{At: map[AckKey]time.Time{
		{1007, "chief-q1-2020"}: clock(t, "11/04/2020 10:00"),
		{1008, "chief-q1-2020"}: clock(t, "01/04/2020 10:00"),
		{1001, "other"}:         clock(t, "11/04/2020 10:00"),
	}}
	occasion := func(kind OccasionKind, days int, due string) Occasion {
		return Occasion{MilestoneID: "chief-q1-2020", Kind: kind, Days: days, Due: clock(t, due)}
	}
	tests := []struct {
		name      string
		occasion  Occasion
		acks      Acks
		want      []int64
		escalated []string // communes named in 1001's reminder
	}{
		{
			name:     "7 days before: acknowledgements do not silence it",
			occasion: occasion(OccasionBefore, 7, "24/03/2020 08:00"),
			acks:     acks,
			want:     []int64{1001, 1003, 1007, 1008},
		},
		{
			name:     "7 days after: 1008 acknowledged on 01/04, 1007 not yet",
			occasion: occasion(OccasionAfter, 7, "07/04/2020 08:00"),
			acks:     acks,
			want:     []int64{1001, 1003, 1007},
		},
		{
			name:      "14 days after: 1007 paused, 1008's pause over, communes escalated",
			occasion:  occasion(OccasionAfter, 14, "14/04/2020 08:00"),
			acks:      acks,
			want:      []int64{1001, 1003, 1008},
			escalated: []string{"04834", "04840"},
		},
		{
			name:      "a longer pause",
			occasion:  occasion(OccasionAfter, 14, "14/04/2020 08:00"),
			acks:      Acks{At: acks.At, Pause: 14 * 24 * time.Hour},
			want:      []int64{1001, 1003},
			escalated: []string{"04834", "04840"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := Plan(tt.occasion, progress, users, tt.acks, tt.occasion.Due)
			var got []int64
			for _, r := range rs {
				got = append(got, r.Recipient.ChatID)
				if r.Occasion != tt.occasion || r.Milestone.ID != "chief-q1-2020" {
					t.Errorf("%d: occasion %+v, milestone %q", r.Recipient.ChatID, r.Occasion, r.Milestone.ID)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("recipients = %v, want %v", got, tt.want)
			}
			head := rs[0]
			if head.District == nil || head.District.District.Code != "150" || len(head.District.Behind) != 2 || head.Commune != nil {
				t.Errorf("district head's reminder: %+v", head)
			}
			var escalated []string
			for _, c := range head.Escalated {
				escalated = append(escalated, c.Commune.Code)
			}
			if !slices.Equal(escalated, tt.escalated) {
				t.Errorf("escalated = %v, want %v", escalated, tt.escalated)
			}
			commune := rs[1]
			if commune.Commune == nil || commune.Commune.Commune.Name != "Nánh Nghê" ||
				commune.Commune.Missing[store.Chief] != 1 || commune.District != nil || commune.Escalated != nil ||
				commune.Recipient.Lang != "en" {
				t.Errorf("commune user's reminder: %+v", commune)
			}
		})
	}
}

// A district report milestone is the district's to file: its heads are
// reminded until it is filed, commune users never.
func TestPlanDistrictReport(t *testing.T) {
	m := chiefQ1(t)
	m.ID = "plan-report-2020"
	m.Kind = store.KindDistrictReport
	roster := store.Roster{
		Districts: []store.District{{Code: "150", Name: "Huyện Đà Bắc"}, {Code: "156", Name: "Huyện Mai Châu"}},
		Communes: []store.Commune{
			{Code: "04834", Name: "Nánh Nghê", Type: store.Xa, DistrictCode: "150"},
			{Code: "05206", Name: "Sơn Thủy", Type: store.Xa, DistrictCode: "156"},
		},
		Submitted: map[string]bool{"156": true},
	}
	users := []store.User{
		{TelegramID: 1, Role: store.RoleDistrict, Scope: "150"},
		{TelegramID: 2, Role: store.RoleDistrict, Scope: "156"},
		{TelegramID: 3, Role: store.RoleCommune, Scope: "04834"},
	}
	o := Occasion{MilestoneID: m.ID, Kind: OccasionBefore, Days: 3}
	rs := Plan(o, store.Evaluate(m, roster), users, Acks{}, day(t, "28/03/2020"))
	if len(rs) != 1 || rs[0].Recipient.ChatID != 1 || rs[0].District == nil {
		t.Errorf("reminders = %+v, want one to chat 1", rs)
	}
}

func TestEscalations(t *testing.T) {
	progress := daBacMaiChau(t)
	deadline := day(t, "31/03/2020")
	tests := []struct {
		name               string
		now                string
		n                  int
		district, province int
	}{
		{"before the deadline", "24/03/2020 08:00", 14, 0, 0},
		{"a minute short of 14 days", "13/04/2020 23:59", 14, 0, 0},
		{"14 days after", "14/04/2020 00:00", 14, 2, 0},
		{"27 days after", "27/04/2020 08:00", 14, 2, 0},
		{"28 days after", "28/04/2020 08:00", 14, 2, 2},
		{"never", "28/04/2021 08:00", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, p := Escalations(progress, deadline, clock(t, tt.now), tt.n)
			if len(d) != tt.district || len(p) != tt.province {
				t.Errorf("Escalations = %d district, %d province; want %d, %d", len(d), len(p), tt.district, tt.province)
			}
		})
	}
}

// TestPlanUnitReport: a milestone asked of the reporting units reminds
// the users of the units that have not filed, with the button that files
// it, and nobody else: not the districts, whose codes it does not hold.
func TestPlanUnitReport(t *testing.T) {
	m := chiefQ1(t)
	m.ID, m.Kind, m.Reporters, m.TitleVI = "unit-plans", store.KindDistrictReport, store.ReportersUnits, "Các sở, ngành xây dựng kế hoạch triển khai Đề án"
	roster := store.Roster{
		Districts: []store.District{{Code: "150", Name: "Huyện Đà Bắc"}},
		Units:     []store.ReportingUnit{{Code: "SNV", Name: "Sở Nội vụ"}, {Code: "STC", Name: "Sở Tài chính"}},
		Communes:  []store.Commune{{Code: "04834", Name: "Nánh Nghê", Type: store.Xa, DistrictCode: "150"}},
		Submitted: map[string]bool{"STC": true},
	}
	users := []store.User{
		{TelegramID: 1, Role: store.RoleUnit, Scope: "SNV"},
		{TelegramID: 2, Role: store.RoleUnit, Scope: "STC"},
		{TelegramID: 3, Role: store.RoleDistrict, Scope: "150"},
		{TelegramID: 4, Role: store.RoleCommune, Scope: "04834"},
		{TelegramID: 5, Role: store.RoleUnit, Scope: "SNV", Gone: true},
	}
	progress := store.Evaluate(m, roster)
	if progress.Total != 2 || progress.Done != 1 {
		t.Fatalf("progress %d/%d, want 1/2", progress.Done, progress.Total)
	}
	o := Occasion{MilestoneID: m.ID, Kind: OccasionBefore, Days: 3}
	rs := Plan(o, progress, users, Acks{}, day(t, "28/03/2020"))
	if len(rs) != 1 || rs[0].Recipient.ChatID != 1 || rs[0].District == nil || rs[0].District.District.Name != "Sở Nội vụ" {
		t.Fatalf("reminders = %+v, want one to chat 1", rs)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	msg := renderReminder(cat.Printer("vi", loc), rs[0], day(t, "28/03/2020"), loc, 7*24*time.Hour)
	if !strings.Contains(msg.Text, "Sở Nội vụ chưa nộp báo cáo theo yêu cầu của mốc này.") || strings.Contains(msg.Text, "huyện") {
		t.Errorf("text:\n%s", msg.Text)
	}
	if len(msg.Buttons) != 2 || msg.Buttons[0][0].Data != "file:unit-plans" || msg.Buttons[0][0].Text != "Đã nộp báo cáo" || msg.Buttons[1][0].Data != "ack:unit-plans" {
		t.Errorf("buttons %+v", msg.Buttons)
	}
	if id, ok := ParseFileCallback(msg.Buttons[0][0].Data); !ok || id != "unit-plans" {
		t.Errorf("ParseFileCallback = %q, %v", id, ok)
	}
}
