package reminders

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders/digest"
	"github.com/caxbot/caxbot/store"
)

func mustPrinter(tb testing.TB, lang string) *locales.Printer {
	tb.Helper()
	cat, err := locales.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return cat.Printer(lang, mustCalendar(tb).Location())
}

// lạcSơn is a district of n communes, the first behind ones behind.
func lacSon(n, behind int) store.DistrictProgress {
	dp := store.DistrictProgress{District: store.District{Code: "157", Name: "Huyện Lạc Sơn", ProvinceCode: "17"}, Total: n, Done: n - behind}
	for i := range behind {
		typ := store.Xa
		if i == 0 {
			typ = store.ThiTran
		}
		dp.Behind = append(dp.Behind, store.CommuneProgress{
			Commune: &store.Commune{Code: fmt.Sprintf("05%03d", i), Name: fmt.Sprintf("Vũ Bình %d", i+1), Type: typ, DistrictCode: "157"},
			Missing: map[store.PostKind]int{store.Chief: 1},
		})
	}
	return dp
}

func TestRenderReminder(t *testing.T) {
	p := mustPrinter(t, "vi")
	loc := mustCalendar(t).Location()
	chief := store.Milestone{ID: "chief-q1-2020", TitleVI: "Bố trí Trưởng Công an xã chính quy", Kind: store.KindPosts,
		Posts: []store.PostKind{store.Chief}, Deadline: day(t, "31/03/2020"), Remind: store.Reminders{EscalateAfter: 14}}
	plans := store.Milestone{ID: "district-plans", TitleVI: "Các huyện, thành phố xây dựng kế hoạch triển khai Đề án",
		Kind: store.KindDistrictReport, Deadline: day(t, "31/01/2020")}
	short, long := lacSon(20, 3), lacSon(40, 18)
	tests := []struct {
		name   string
		r      Reminder
		now    time.Time
		want   []string // lines, in order; "…" stands for any lines between
		absent []string
	}{
		{"district head, before the deadline", Reminder{Milestone: chief, District: &short}, day(t, "27/03/2020"), []string{
			"🔔 Nhắc việc: Bố trí Trưởng Công an xã chính quy",
			"Thời hạn: 31/03/2020 (còn 4 ngày).",
			"Huyện Lạc Sơn: 17/20 xã, thị trấn đã hoàn thành; 3 xã, thị trấn chưa hoàn thành:",
			"• thị trấn Vũ Bình 1: chưa có Trưởng Công an thị trấn chính quy",
			"• xã Vũ Bình 2: chưa có Trưởng Công an xã chính quy",
			"…",
			"Sau thời hạn, hệ thống nhắc lại mốc này hằng tuần; bấm “Đã nhận” để tạm dừng các tin nhắc lại trong 7 ngày.",
		}, []string{"Đề nghị", "«", "bạn"}},
		{"district head, escalated, the list cut to a screen", Reminder{Milestone: chief, District: &long, Escalated: long.Behind}, day(t, "21/04/2020"), []string{
			"🔔 Nhắc việc: Bố trí Trưởng Công an xã chính quy",
			"Thời hạn: 31/03/2020 (đã quá 21 ngày).",
			"Đề nghị đồng chí chỉ đạo, đôn đốc 18 xã, thị trấn chậm từ 14 ngày trở lên sau thời hạn: thị trấn Vũ Bình 1, xã Vũ Bình 2, xã Vũ Bình 3, xã Vũ Bình 4, xã Vũ Bình 5, xã Vũ Bình 6, xã Vũ Bình 7, xã Vũ Bình 8, xã Vũ Bình 9, xã Vũ Bình 10 và 8 xã, thị trấn khác.",
			"Huyện Lạc Sơn: 22/40 xã, thị trấn đã hoàn thành; 18 xã, thị trấn chưa hoàn thành:",
			"…",
			"• xã Vũ Bình 15: chưa có Trưởng Công an xã chính quy",
			"… và 3 xã, thị trấn khác (danh sách đầy đủ: lệnh /baocaotuan).",
			"Sau thời hạn, hệ thống nhắc lại mốc này hằng tuần; bấm “Đã nhận” để tạm dừng các tin nhắc lại trong 7 ngày.",
		}, []string{"Vũ Bình 16:"}},
		{"district head, a report not filed", Reminder{Milestone: plans, District: &store.DistrictProgress{District: short.District, Total: 1}}, day(t, "07/02/2020"), []string{
			"🔔 Nhắc việc: Các huyện, thành phố xây dựng kế hoạch triển khai Đề án",
			"Thời hạn: 31/01/2020 (đã quá 7 ngày).",
			"Huyện Lạc Sơn chưa nộp báo cáo theo yêu cầu của mốc này.",
			"…",
		}, nil},
		{"commune user of a thị trấn", Reminder{Milestone: chief, Commune: &short.Behind[0]}, day(t, "31/03/2020"), []string{
			"🔔 Nhắc việc: Bố trí Trưởng Công an xã chính quy",
			"Thời hạn: hôm nay, 31/03/2020.",
			"Thị trấn Vũ Bình 1 chưa có Trưởng Công an thị trấn chính quy.",
			"Khi có thay đổi, đề nghị đồng chí báo cáo bằng lệnh /baocao.",
		}, []string{"còn thiếu", ": 1"}},
		{"commune user lacking several posts", Reminder{Milestone: chief, Commune: &store.CommuneProgress{
			Commune: &store.Commune{Name: "Tân Lập", Type: store.Xa},
			Missing: map[store.PostKind]int{store.Deputy: 1, store.Officer: 2},
		}}, day(t, "01/01/2020"), []string{
			"…",
			"Thời hạn: 31/03/2020 (còn 90 ngày).",
			"Xã Tân Lập chưa có Phó Trưởng Công an xã chính quy, 2 Công an viên chính quy.",
			"…",
		}, nil},
		{"a deadline years away: thousands with a dot", Reminder{Milestone: chief, Commune: &short.Behind[1]}, day(t, "15/02/2016"), []string{
			"…",
			"Thời hạn: 31/03/2020 (còn 1.506 ngày).",
			"…",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := renderReminder(p, tt.r, tt.now, loc, DefaultAckPause)
			checkLines(t, m.Text, tt.want)
			for _, a := range tt.absent {
				if strings.Contains(m.Text, a) {
					t.Errorf("%q in:\n%s", a, m.Text)
				}
			}
			if (tt.r.District != nil) != (len(m.Buttons) == 1) {
				t.Errorf("buttons %v", m.Buttons)
			}
		})
	}
}

// checkLines checks that text has the wanted lines in order, "…" standing
// for any lines.
func checkLines(t *testing.T, text string, want []string) {
	t.Helper()
	got := strings.Split(text, "\n")
	i := 0
	for j, w := range want {
		if w == "…" {
			continue
		}
		found := false
		for ; i < len(got); i++ {
			if got[i] == w {
				found = true
				i++
				break
			}
			if j > 0 && want[j-1] != "…" {
				break
			}
		}
		if !found {
			t.Errorf("line %q not where expected in:\n%s", w, text)
			return
		}
	}
}

func TestDigestText(t *testing.T) {
	p := mustPrinter(t, "vi")
	loc := mustCalendar(t).Location()
	now := time.Date(2020, 4, 20, 7, 30, 0, 0, loc)
	chief := store.Milestone{ID: "chief-q1-2020", Kind: store.KindPosts, Posts: []store.PostKind{store.Chief},
		Deadline: day(t, "31/03/2020"), Remind: store.Reminders{EscalateAfter: 7}}
	deputies := store.Milestone{ID: "deputies-2024", Kind: store.KindPosts, Posts: []store.PostKind{store.Deputy}, Deadline: day(t, "31/12/2024")}
	keep := store.Milestone{ID: "keep-2019", Kind: store.KindPosts, Posts: []store.PostKind{store.Chief}, Deadline: day(t, "01/01/2020")}
	plans := store.Milestone{ID: "district-plans", Kind: store.KindDistrictReport, Deadline: day(t, "31/01/2020")}
	kimBoi := store.DistrictProgress{District: store.District{Code: "153", Name: "Huyện Kim Bôi"}, Total: 15, Done: 10}
	daBac := store.DistrictProgress{District: store.District{Code: "150", Name: "Huyện Đà Bắc"}, Total: 13, Done: 13}
	ls := lacSon(20, 3)
	province := func(m store.Milestone, ds ...store.DistrictProgress) store.Progress {
		pr := store.Progress{Milestone: m, Districts: ds}
		for _, d := range ds {
			pr.Total += d.Total
			pr.Done += d.Done
		}
		return pr
	}
	chiefNow := province(chief, kimBoi, daBac, ls)
	chiefBefore := chiefNow
	chiefBefore.Done -= 4
	deputiesNow := province(deputies, kimBoi, daBac)
	deputiesBefore := deputiesNow
	reports := []store.Report{
		{CommuneCode: "05000", Actor: "user:7"}, {CommuneCode: "05001", Actor: "user:8"},
		{CommuneCode: "05002", Actor: "import:bo-nhiem.csv"}, {CommuneCode: "05003", Actor: "import:bo-nhiem.csv"}, {CommuneCode: "05004", Actor: "import:dot-2.xlsx"},
	}
	d := digest.Digest{
		Title: "Bản tin tổng hợp tuần 13/04/2020 – 19/04/2020", ScopeName: "Toàn tỉnh", GeneratedAt: now, Location: loc, Reports: reports,
		Milestones: []digest.MilestoneDigest{
			{Title: "Duy trì Công an chính quy tại 28 xã", Deadline: keep.Deadline, Progress: province(keep, daBac)},
			{Title: "Các huyện, thành phố xây dựng kế hoạch", Deadline: plans.Deadline, Progress: province(plans,
				store.DistrictProgress{District: kimBoi.District, Total: 1}, store.DistrictProgress{District: daBac.District, Total: 1, Done: 1})},
			{Title: "Bố trí Phó Trưởng Công an xã chính quy", Deadline: deputies.Deadline, Progress: deputiesNow, Previous: &deputiesBefore},
			{Title: "Bố trí Trưởng Công an xã chính quy", Deadline: chief.Deadline, Progress: chiefNow, Previous: &chiefBefore,
				Overdue: chiefNow.Behind(), Silent: []store.Commune{*ls.Behind[0].Commune, *ls.Behind[1].Commune}},
		},
	}
	urgentFirst(d.Milestones, now)
	text := DigestText(p, d)
	checkLines(t, text, []string{
		"📊 Bản tin tổng hợp tuần 13/04/2020 – 19/04/2020",
		"…",
		"📌 Bố trí Trưởng Công an xã chính quy",
		"Thời hạn: 31/03/2020 (đã quá 20 ngày).",
		"Đề nghị đồng chí chỉ đạo, đôn đốc 3 xã, thị trấn chậm từ 14 ngày trở lên sau thời hạn: thị trấn Vũ Bình 1, xã Vũ Bình 2, xã Vũ Bình 3.",
		"Toàn tỉnh: 40/48 xã, thị trấn đã hoàn thành (83,3%), tăng 4 so với tuần trước.",
		"Huyện, thành phố chưa hoàn thành: 2/3; thấp nhất: huyện Kim Bôi 10/15, huyện Lạc Sơn 17/20.",
		"Quá hạn: 3 xã, thị trấn chưa hoàn thành; trong đó 2 không báo cáo trong tuần.",
		"…",
		"📌 Các huyện, thành phố xây dựng kế hoạch",
		"Thời hạn: 31/01/2020 (đã quá 80 ngày).",
		"Toàn tỉnh: 1/2 huyện, thành phố đã nộp.",
		"Chưa nộp (1): huyện Kim Bôi.",
		"…",
		"📌 Bố trí Phó Trưởng Công an xã chính quy",
		"Thời hạn: 31/12/2024 (còn 1.716 ngày).",
		"Toàn tỉnh: 23/28 xã, thị trấn đã hoàn thành (82,1%).",
		"…",
		"✅ Đã hoàn thành: Duy trì Công an chính quy tại 28 xã.",
		"…",
		"Trong tuần: 2 lượt báo cáo qua hệ thống; 3 chức danh cập nhật từ 2 tệp nhập.",
		"Danh sách đầy đủ trong bảng tổng hợp kèm theo.",
	})
	for _, no := range []string{"+0", "tăng 0", "giảm 0", "Không báo cáo trong tuần (", "Số báo cáo"} {
		if strings.Contains(text, no) {
			t.Errorf("%q in:\n%s", no, text)
		}
	}
	if strings.Count(text, "Vũ Bình 1") != 1 {
		t.Errorf("a commune named more than once:\n%s", text)
	}

	// A district's own digest: its name on its figures, its communes named.
	one := d
	one.ScopeName = "Huyện Lạc Sơn"
	one.Milestones = []digest.MilestoneDigest{{Title: "Bố trí Trưởng Công an xã chính quy", Deadline: chief.Deadline,
		Progress: province(chief, ls), Overdue: ls.Behind, Silent: []store.Commune{*ls.Behind[2].Commune}}}
	one.Reports = nil
	checkLines(t, DigestText(p, one), []string{
		"…",
		"Huyện Lạc Sơn: 17/20 xã, thị trấn đã hoàn thành (85,0%).",
		"Quá hạn, chưa hoàn thành (3): xã Vũ Bình 3, thị trấn Vũ Bình 1, xã Vũ Bình 2; 1 không báo cáo trong tuần.",
		"",
		"Trong tuần không có báo cáo mới.",
		"…",
	})
}

// TestDigestTextUnits: a milestone asked of the reporting units is said
// in departments, not districts, and names those that have not filed.
func TestDigestTextUnits(t *testing.T) {
	p := mustPrinter(t, "vi")
	loc := mustCalendar(t).Location()
	m := store.Milestone{ID: "unit-plans", Kind: store.KindDistrictReport, Reporters: store.ReportersUnits, Deadline: day(t, "31/01/2020")}
	pr := store.Evaluate(m, store.Roster{
		Units:     []store.ReportingUnit{{Code: "SNV", Name: "Sở Nội vụ"}, {Code: "STC", Name: "Sở Tài chính"}, {Code: "SYT", Name: "Sở Y tế"}},
		Submitted: map[string]bool{"SNV": true},
	})
	d := digest.Digest{Title: "Bản tin tổng hợp tuần 03/02/2020 – 09/02/2020", ScopeName: "Toàn tỉnh", GeneratedAt: time.Date(2020, 2, 10, 7, 30, 0, 0, loc), Location: loc,
		Milestones: []digest.MilestoneDigest{{Title: "Các sở, ngành xây dựng kế hoạch triển khai Đề án", Deadline: m.Deadline, Progress: pr}}}
	text := DigestText(p, d)
	for _, want := range []string{"Toàn tỉnh: 1/3 sở, ngành đã nộp.", "Chưa nộp (2): Sở Tài chính, Sở Y tế."} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "huyện") {
		t.Errorf("departments called districts:\n%s", text)
	}
}

// TestDigestDecisions: the week's reports of regular holders are counted
// with their decisions and checks, and a milestone with posts waiting for
// their check shows the verified share beside its figures.
func TestDigestDecisions(t *testing.T) {
	p := mustPrinter(t, "vi")
	loc := mustCalendar(t).Location()
	now := time.Date(2020, 3, 23, 7, 30, 0, 0, loc)
	chief := store.Milestone{ID: "chief-q1-2020", Kind: store.KindPosts, Posts: []store.PostKind{store.Chief}, Deadline: day(t, "31/03/2020")}
	ls := lacSon(20, 3)
	pr := store.Progress{Milestone: chief, Districts: []store.DistrictProgress{ls}, Total: ls.Total, Done: ls.Done, AtTarget: 17, Posts: 20, Unverified: 2}
	signed := time.Date(2020, 3, 10, 0, 0, 0, 0, time.UTC)
	d := digest.Digest{
		Title: "Bản tin tổng hợp tuần 16/03/2020 – 22/03/2020", ScopeName: "Huyện Lạc Sơn", GeneratedAt: now, Location: loc,
		Reports: []store.Report{
			{ID: 1, CommuneCode: "05000", NewStatus: store.Regular, Actor: "user:7"},
			{ID: 2, CommuneCode: "05001", NewStatus: store.Regular, Actor: "user:8"},
			{ID: 3, CommuneCode: "05002", NewStatus: store.Semi, Actor: "user:9"},
			{ID: 4, CommuneCode: "05003", NewStatus: store.Regular, Actor: "import:bo-nhiem.csv"},
		},
		Details: map[int64]store.Details{
			1: {ReportID: 1, Check: store.CheckVerified, Decision: store.Decision{Number: "125/QĐ-CAT", Date: &signed}},
			2: {ReportID: 2, Check: store.CheckReported},
			3: {ReportID: 3, Check: store.CheckReported},
		},
		Milestones: []digest.MilestoneDigest{{Title: "Bố trí Trưởng Công an xã chính quy", Deadline: chief.Deadline, Progress: pr}},
	}
	text := DigestText(p, d)
	for _, want := range []string{
		"Đã được lãnh đạo huyện xác nhận: 15/17 vị trí đã báo cáo đạt yêu cầu (88,2%); 2 vị trí chờ xác nhận.",
		"Trong 2 báo cáo bố trí người chính quy: 1 báo cáo có quyết định kèm theo, 1 báo cáo đã được xác nhận.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	d.Details, d.Milestones[0].Progress.Unverified = nil, 0
	if text := DigestText(p, d); strings.Contains(text, "xác nhận") {
		t.Errorf("nothing to check, yet:\n%s", text)
	}
}
