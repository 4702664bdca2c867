package digest

import (
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zone files

	"golang.org/x/text/unicode/norm"

	"github.com/caxbot/caxbot/store"
)

func mustLocation(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		tb.Fatalf("load zone: %v", err)
	}
	return loc
}

// viLabels stand in for what the locales package produces.
func viLabels() Labels {
	return Labels{
		SheetMilestone: "Mốc",
		SheetRoster:    "Danh sách chức danh",
		SheetReports:   "Báo cáo trong tuần",
		Deadline:       "Thời hạn",
		GeneratedAt:    "Lập lúc",
		Overdue:        "Quá hạn",
		Silent:         "Không báo cáo trong tuần",
		District:       "Huyện",
		Commune:        "Xã",
		CommuneType:    "Loại",
		Total:          "Tổng",
		Done:           "Đã hoàn thành",
		Rate:           "Tỷ lệ",
		Change:         "Thay đổi so với tuần trước",
		BehindCommunes: "Xã, thị trấn chưa hoàn thành (chưa có chính quy)",
		SubmittedAt:    "Ngày nộp",
		DaysOverdue:    "Số ngày quá hạn",
		Post:           "Chức danh",
		Slot:           "Số thứ tự",
		Status:         "Tình trạng",
		Holder:         "Người đảm nhiệm",
		Since:          "Từ ngày",
		Time:           "Thời gian",
		FromTo:         "Từ → đến",
		Actor:          "Người báo cáo",
		Decision:       "Quyết định",
		Check:          "Xác nhận",
		Checks:         map[store.Check]string{store.CheckReported: "chờ xác nhận", store.CheckVerified: "đã xác nhận", store.CheckReturned: "bị trả lại"},
		AllDistricts:   "Cộng",
		Posts: map[store.CommuneType]map[store.PostKind]string{
			store.Xa:      {store.Chief: "Trưởng Công an xã", store.Deputy: "Phó Trưởng Công an xã", store.Officer: "Công an viên"},
			store.ThiTran: {store.Chief: "Trưởng Công an thị trấn", store.Deputy: "Phó Trưởng Công an thị trấn", store.Officer: "Công an viên"},
			store.Phuong:  {store.Chief: "Trưởng Công an phường", store.Deputy: "Phó Trưởng Công an phường", store.Officer: "Công an viên"},
		},
		Statuses: map[store.Status]string{
			store.Regular: "Chính quy",
			store.Semi:    "Bán chuyên trách",
			store.Vacant:  "Trống",
		},
		CommuneTypes: map[store.CommuneType]string{
			store.Xa:      "xã",
			store.ThiTran: "thị trấn",
			store.Phuong:  "phường",
		},
		ChartAxis:  "Tỷ lệ xã đã xong",
		NotDone:    "Chưa xong",
		ChartWorst: "Các huyện có tỷ lệ thấp nhất",

		Submitted:         "Đã nộp",
		OnTime:            "Nộp đúng hạn",
		Late:              "Nộp muộn",
		NotSubmitted:      "Chưa nộp",
		ChartNotSubmitted: "Các huyện chưa nộp, rồi các huyện nộp muộn nhất",
		ChartReportAxis:   "Từ ngày bắt đầu đến ngày nộp",
	}
}

// hoaBinh is a small Hòa Bình: its ten districts with four communes each
// (names and codes from the statistics office's 2020 list). "Lạc Thủy" is
// written decomposed (NFD), as some phones type it.
var hoaBinh = []struct {
	code, name string
	communes   [][3]string // code, name, type
}{
	{"148", "Thành phố Hòa Bình", [][3]string{{"04789", "Thái Bình", "phường"}, {"04813", "Yên Mông", "xã"}, {"04816", "Sủ Ngòi", "xã"}, {"04825", "Hòa Bình", "xã"}, {"04897", "Thịnh Minh", "xã"}}},
	{"150", "Đà Bắc", [][3]string{{"04831", "Đà Bắc", "thị trấn"}, {"04834", "Nánh Nghê", "xã"}, {"04840", "Giáp Đắt", "xã"}, {"04846", "Mường Chiềng", "xã"}}},
	{"152", "Lương Sơn", [][3]string{{"04924", "Lương Sơn", "thị trấn"}, {"04942", "Lâm Sơn", "xã"}, {"04945", "Hòa Sơn", "xã"}, {"04951", "Tân Vinh", "xã"}}},
	{"153", "Kim Bôi", [][3]string{{"04978", "Bo", "thị trấn"}, {"04984", "Đú Sáng", "xã"}, {"04987", "Hùng Sơn", "xã"}, {"04990", "Bình Sơn", "xã"}}},
	{"154", "Cao Phong", [][3]string{{"05089", "Cao Phong", "thị trấn"}, {"05092", "Bình Thanh", "xã"}, {"05095", "Thung Nai", "xã"}, {"05098", "Bắc Phong", "xã"}}},
	{"155", "Tân Lạc", [][3]string{{"05128", "Mãn Đức", "thị trấn"}, {"05134", "Suối Hoa", "xã"}, {"05137", "Phú Vinh", "xã"}, {"05140", "Phú Cường", "xã"}}},
	{"156", "Mai Châu", [][3]string{{"04882", "Tân Thành", "xã"}, {"05200", "Mai Châu", "thị trấn"}, {"05206", "Sơn Thủy", "xã"}, {"05209", "Pà Cò", "xã"}}},
	{"157", "Lạc Sơn", [][3]string{{"05266", "Vụ Bản", "thị trấn"}, {"05269", "Quý Hòa", "xã"}, {"05272", "Miền Đồi", "xã"}, {"05275", "Mỹ Thành", "xã"}}},
	{"158", "Yên Thủy", [][3]string{{"05353", "Hàng Trạm", "thị trấn"}, {"05356", "Lạc Sỹ", "xã"}, {"05362", "Lạc Lương", "xã"}, {"05365", "Bảo Hiệu", "xã"}}},
	{"159", norm.NFD.String("Lạc Thủy"), [][3]string{{"04981", "Ba Hàng Đồi", "thị trấn"}, {"05392", "Chi Nê", "thị trấn"}, {"05395", "Phú Nghĩa", "xã"}, {"05398", "Phú Thành", "xã"}}},
}

// fixture is a digest with what it was built from, for the assertions.
type fixture struct {
	digest    Digest
	weekStart time.Time
}

// hoaBinhDigest builds the digest of the week 23/03/2020 – 29/03/2020:
// the roster, its progress on two milestones computed by store.Evaluate,
// last week's progress from the same roster with the week's changes undone,
// and the week's reports.
func hoaBinhDigest(tb testing.TB) fixture {
	tb.Helper()
	loc := mustLocation(tb)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	weekStart := day(2020, 3, 23)

	var districts []store.District
	var communes []store.Commune
	for _, d := range hoaBinh {
		districts = append(districts, store.District{Code: d.code, Name: d.name, ProvinceCode: "17"})
		for _, c := range d.communes {
			communes = append(communes, store.Commune{Code: c[0], Name: c[1], Type: store.CommuneType(c[2]), DistrictCode: d.code})
		}
	}
	return buildDigest(tb, districts, communes, weekStart)
}

// buildDigest gives every commune a chief, two deputies and three officers
// whose status follows the commune's position, so that the districts end
// up at different rates, from none to all; posts that became regular in
// the digest's week have a report.
func buildDigest(tb testing.TB, districts []store.District, communes []store.Commune, weekStart time.Time) fixture {
	tb.Helper()
	loc := weekStart.Location()
	var posts, before []store.Post
	var reports []store.Report
	var roster []RosterRow
	districtOf := make(map[string]store.District)
	districtIndex := make(map[string]int)
	for k, d := range districts {
		districtOf[d.Code] = d
		districtIndex[d.Code] = k
	}
	seen := make(map[string]int) // communes so far, per district
	for i, c := range communes {
		k, j := districtIndex[c.DistrictCode], seen[c.DistrictCode]
		seen[c.DistrictCode]++
		finished := k%5 == 4 // every fifth district is done
		for _, p := range []struct {
			kind store.PostKind
			slot int
		}{{store.Chief, 1}, {store.Deputy, 1}, {store.Deputy, 2}, {store.Officer, 1}, {store.Officer, 2}, {store.Officer, 3}} {
			post := store.Post{CommuneCode: c.Code, Kind: p.kind, Slot: p.slot, Status: store.Semi, Holder: fmt.Sprintf("Nguyễn Văn %s %d", p.kind, i)}
			var regular bool
			switch p.kind {
			case store.Chief:
				// The first k%3 communes of a district lag behind.
				regular = finished || (i%3 != 0 && j >= k%3)
			case store.Deputy:
				regular = finished || i%2 == 0
			case store.Officer:
				regular = i%5 == 0
			}
			if i%7 == 6 && p.kind == store.Officer {
				post.Status, post.Holder = store.Vacant, ""
			}
			old := post
			if regular {
				// Every fourth commune's regular posts arrived this week.
				since := weekStart.AddDate(0, 0, -20+i%10)
				if i%4 == 2 {
					since = weekStart.AddDate(0, 0, i%7).Add(9*time.Hour + 30*time.Minute)
				}
				post.Status, post.Holder, post.Since = store.Regular, fmt.Sprintf("Đại úy Lê Thị Hồng %d", i), &since
				if since.Before(weekStart) {
					old = post
				} else {
					reports = append(reports, store.Report{
						ID: int64(len(reports) + 1), CommuneCode: c.Code, Kind: p.kind, Slot: p.slot,
						OldStatus: old.Status, NewStatus: post.Status, OldHolder: old.Holder, NewHolder: post.Holder,
						Since: &since, Actor: fmt.Sprintf("user:%d", 1000+i), At: since,
					})
				}
			}
			posts = append(posts, post)
			before = append(before, old)
			roster = append(roster, RosterRow{District: districtOf[c.DistrictCode], Commune: c, Post: post})
		}
	}

	milestones := []struct {
		m     store.Milestone
		title string
	}{
		{store.Milestone{ID: "m1", Kind: store.KindPosts, Posts: []store.PostKind{store.Chief}, Target: store.Regular, Deadline: time.Date(2020, 3, 20, 0, 0, 0, 0, loc)},
			"Bố trí Trưởng Công an xã chính quy"},
		{store.Milestone{ID: "m2", Kind: store.KindPosts, Posts: []store.PostKind{store.Chief, store.Deputy}, Target: store.Regular, Deadline: time.Date(2020, 6, 30, 0, 0, 0, 0, loc)},
			"Bố trí Phó Trưởng Công an xã: đủ [2] người/xã"},
	}
	reported := make(map[string]bool)
	for _, r := range reports {
		reported[r.CommuneCode] = true
	}
	d := Digest{
		Title:       "Bản tin tổng hợp tuần 23/03/2020 – 29/03/2020",
		GeneratedAt: weekStart.AddDate(0, 0, 6).Add(17 * time.Hour),
		Location:    loc,
		Roster:      roster,
		Reports:     reports,
		ActorNames:  map[string]string{"user:1002": "Trần Quốc Toản"},
		Labels:      viLabels(),
	}
	for _, ms := range milestones {
		now := store.Evaluate(ms.m, store.Roster{Districts: districts, Communes: communes, Counts: store.CountPosts(ms.m, posts)})
		prev := store.Evaluate(ms.m, store.Roster{Districts: districts, Communes: communes, Counts: store.CountPosts(ms.m, before)})
		md := MilestoneDigest{Progress: now, Previous: &prev, Title: ms.title, Deadline: ms.m.Deadline}
		if ms.m.Deadline.Before(d.GeneratedAt) {
			md.Overdue = now.Behind()
		}
		for _, c := range communes {
			if ms.m.Communes.Match(c, nil) && !reported[c.Code] {
				md.Silent = append(md.Silent, c)
			}
		}
		d.Milestones = append(d.Milestones, md)
	}
	return fixture{digest: d, weekStart: weekStart}
}

// nationalDigest is a country before 2025: 63 provinces, 700 districts,
// 15 communes each (10,500), 63,000 posts.
func nationalDigest(tb testing.TB) fixture {
	tb.Helper()
	var districts []store.District
	var communes []store.Commune
	for i := range 700 {
		d := store.District{Code: fmt.Sprintf("%03d", i+1), Name: fmt.Sprintf("Huyện Đồng Xuân Thượng %d", i+1), ProvinceCode: fmt.Sprintf("%02d", i%63+1)}
		districts = append(districts, d)
		for j := range 15 {
			typ := store.Xa
			if j == 0 {
				typ = store.ThiTran
			}
			communes = append(communes, store.Commune{Code: fmt.Sprintf("%05d", i*15+j+1), Name: fmt.Sprintf("Xã Nghĩa Hưng %d", j+1), Type: typ, DistrictCode: d.Code})
		}
	}
	return buildDigest(tb, districts, communes, time.Date(2020, 3, 23, 0, 0, 0, 0, mustLocation(tb)))
}
