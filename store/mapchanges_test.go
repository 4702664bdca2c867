package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// importChanges parses a change file and imports it as source at now,
// telling moved users with a plain-text item.
func importChanges(tb testing.TB, db *DB, source, text string, now time.Time) (ChangeResult, error) {
	tb.Helper()
	t, err := ReadSheet(strings.NewReader(text), "")
	if err != nil {
		return ChangeResult{}, err
	}
	rows, _, perr := ParseChangesSheet(t, db.Location())
	if perr != nil {
		bad, err := db.CheckMapChanges(context.Background(), rows, now)
		if err != nil {
			return ChangeResult{}, err
		}
		all := append(perr.(ImportErrors), bad...)
		slices.SortStableFunc(all, func(a, b ImportError) int { return a.Line - b.Line })
		return ChangeResult{}, all
	}
	return db.ImportMapChanges(context.Background(), rows, source, now, func(m MovedUser) (OutboxItem, error) {
		return OutboxItem{Key: fmt.Sprintf("mapchange:%d:%s", m.User.TelegramID, m.Scope), ChatID: m.User.TelegramID, Kind: "notice",
			Payload: fmt.Sprintf(`{"text":"%s → %s"}`, m.From.Name, m.To.Name), DueAt: now}, nil
	})
}

// mapState is what the map-change test compares before and after.
type mapState struct {
	Progress map[string][2]int // scope/milestone → done, total
	Posts    int
	Vacant   int
}

func captureMap(t *testing.T, db *DB, plan Plan) mapState {
	t.Helper()
	ctx := context.Background()
	st := mapState{Progress: make(map[string][2]int)}
	for _, s := range []Scope{{}, {Role: RoleProvince, Code: "17"}, {Role: RoleDistrict, Code: "150"}, {Role: RoleCommune, Code: "04849"}} {
		for _, m := range plan.Milestones {
			pr, err := db.Progress(ctx, m.ID, s)
			if err != nil {
				t.Fatal(err)
			}
			st.Progress[string(s.Role)+s.Code+"/"+m.ID] = [2]int{pr.Done, pr.Total}
		}
	}
	posts, err := db.Posts(ctx, Scope{})
	if err != nil {
		t.Fatal(err)
	}
	st.Posts = len(posts)
	vac, err := db.Vacancies(ctx, Scope{Role: RoleProvince, Code: "17"}, nil, []Status{Vacant})
	if err != nil {
		t.Fatal(err)
	}
	st.Vacant = len(vac)
	return st
}

func countRows(t *testing.T, db *DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.db.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestHoaBinhThroughMapChanges is the worked example of README: Hòa Bình's
// 2020 roster, posts reported in 2020, then the 2025 reform (communes
// merged, the district level abolished on 01/07/2025). Every post and
// report is still there and reachable from the new units; the state on a
// date before the change is what it was before the import; users of the
// ended units are moved and told.
func TestHoaBinhThroughMapChanges(t *testing.T) {
	changes, err := os.ReadFile("testdata/hoabinh_changes_2025.csv")
	if err != nil {
		t.Fatal(err)
	}
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		plan := SeedPlan(db.Location())
		if err := db.SavePlan(ctx, plan, "test", at(0)); err != nil {
			t.Fatal(err)
		}
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		for _, ch := range []Change{
			{Ref: PostRef{"04852", Chief, 1}, Status: Regular, Holder: "Xa Văn Thắng", Actor: "user:1", At: at(20)},
			{Ref: PostRef{"04852", Officer, 1}, Status: Semi, Holder: "Lò Thị Hiền", Actor: "user:1", At: at(20)},
			{Ref: PostRef{"04849", Officer, 1}, Status: Regular, Holder: "Đinh Văn Khánh", Actor: "user:1", At: at(30)},
		} {
			if _, err := db.ApplyChange(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range []User{
			{TelegramID: 501, Name: "Bùi Văn An", Role: RoleCommune, Scope: "04849", Lang: "vi"},
			{TelegramID: 502, Name: "Xa Văn Thắng", Role: RoleCommune, Scope: "04852", Lang: "vi"},
			{TelegramID: 503, Name: "Đinh Công Sơn", Role: RoleDistrict, Scope: "150", Lang: "vi"},
			{TelegramID: 504, Name: "Hà Thị Thu", Role: RoleCommune, Scope: "05392", Lang: "vi"},
		} {
			if err := db.AddUser(ctx, u, "test", at(0)); err != nil {
				t.Fatal(err)
			}
		}
		// Every district filed its plan; Lạc Thủy (159) never filed the
		// report on the 2020 graduates. The province's own unit, once the
		// districts end, has filed the first and not the second.
		for _, d := range []string{"148", "150", "152", "153", "154", "155", "156", "157", "158", "159"} {
			for _, m := range []string{"district-plans", "graduates-2020"} {
				if m == "graduates-2020" && d == "159" {
					continue
				}
				if err := db.RecordSubmission(ctx, m, d, "cli", at(40)); err != nil {
					t.Fatal(err)
				}
			}
		}
		before := at(60 * 24 * 30) // a month later, still 2020
		wantThen := captureMap(t, db.AsOf(before), plan)
		postsBefore := countRows(t, db, "SELECT count(*) FROM posts")
		reportsBefore := countRows(t, db, "SELECT count(*) FROM reports")
		oldPosts := countRows(t, db, "SELECT count(*) FROM posts WHERE commune_code IN ('04849', '04852', '04855')")

		now := time.Date(2025, 7, 2, 9, 0, 0, 0, db.Location())
		res, err := importChanges(t, db, "hoabinh_changes_2025.csv", string(changes), now)
		if err != nil {
			t.Fatal(err)
		}
		want := ChangeResult{Lines: 5, Created: 4, Ended: 12, Moved: 143, DistrictsEnded: 10, PostsCarried: oldPosts + 1, UsersMoved: 3}
		if res != want {
			t.Errorf("result %+v, want %+v", res, want)
		}

		// No post lost, no report lost: the carried posts have one
		// report each more, and the new unit reaches them all.
		if n := countRows(t, db, "SELECT count(*) FROM posts"); n != postsBefore {
			t.Errorf("%d posts after, %d before", n, postsBefore)
		}
		if n := countRows(t, db, "SELECT count(*) FROM reports"); n != reportsBefore+res.PostsCarried {
			t.Errorf("%d reports after, %d before and %d carried", n, reportsBefore, res.PostsCarried)
		}
		posts, err := db.CommunePosts(ctx, "90001")
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, p := range posts {
			refs = append(refs, fmt.Sprintf("%s/%d %s %s", p.Kind, p.Slot, p.Status, p.Holder))
		}
		wantRefs := []string{
			"chief/1 regular Bùi Văn An",       // 04849's chief heads the new commune
			"deputy/1 semi Đinh Thị Hoa",       // 04849's deputy
			"deputy/2 regular Xa Văn Thắng",    // 04852's chief
			"deputy/3 semi Xa Văn Minh",        // 04855's chief
			"officer/1 regular Đinh Văn Khánh", // 04849
			"officer/2 semi Lò Thị Hiền",       // 04852
			"officer/3 regular Lò Văn Tâm",     // 04855
			"officer/4 vacant ",                // 04855
		}
		if !slices.Equal(refs, wantRefs) {
			t.Errorf("posts of 90001:\n got %q\nwant %q", refs, wantRefs)
		}
		hist, err := db.History(ctx, "90001", 0)
		if err != nil {
			t.Fatal(err)
		}
		oldReports := countRows(t, db, "SELECT count(*) FROM reports WHERE commune_code IN ('04849', '04852', '04855')")
		if len(hist) != oldReports+len(posts) {
			t.Errorf("history of 90001 has %d reports, want the %d of its communes and %d carried", len(hist), oldReports, len(posts))
		}

		// The state on a date before the change is what it was.
		if got := captureMap(t, db.AsOf(before), plan); !reflect.DeepEqual(got, wantThen) {
			t.Errorf("as of %s after the import:\n got %+v\nwant %+v", before.Format(time.DateOnly), got, wantThen)
		}

		// Today: the province holds its communes directly.
		ds, err := db.Districts(ctx, Scope{Role: RoleProvince, Code: "17"})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].Code != "17" {
			t.Errorf("districts of the province today: %+v", ds)
		}
		cs, err := db.Communes(ctx, Scope{Role: RoleProvince, Code: "17"})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 151-12+4 {
			t.Errorf("%d communes today, want %d", len(cs), 151-12+4)
		}
		if gone, err := db.Communes(ctx, Scope{Role: RoleDistrict, Code: "150"}); err != nil || len(gone) != 0 {
			t.Errorf("district 150 today: %d communes, %v", len(gone), err)
		}
		for m, want := range map[string]int{"district-plans": 1, "graduates-2020": 0} {
			pr, err := db.Progress(ctx, m, Scope{Role: RoleProvince, Code: "17"})
			if err != nil {
				t.Fatal(err)
			}
			if pr.Done != want || pr.Total != 1 {
				t.Errorf("%s today: %d/%d, want %d/1", m, pr.Done, pr.Total, want)
			}
		}
		now2 := captureMap(t, db, plan)
		if now2.Posts != postsBefore {
			t.Errorf("today's view shows %d posts, want %d", now2.Posts, postsBefore)
		}

		// Users: moved to the successor and told, the one of a commune
		// that did not change left alone.
		for id, want := range map[int64]Scope{501: {RoleCommune, "90001"}, 502: {RoleCommune, "90001"}, 503: {RoleProvince, "17"}, 504: {RoleCommune, "05392"}} {
			u, err := db.User(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if ScopeOf(u) != want {
				t.Errorf("user %d is %+v, want %+v", id, ScopeOf(u), want)
			}
		}
		items, err := db.OutboxItems(ctx, "mapchange:")
		if err != nil {
			t.Fatal(err)
		}
		var told []int64
		for _, it := range items {
			told = append(told, it.ChatID)
		}
		slices.Sort(told)
		if !slices.Equal(told, []int64{501, 502, 503}) {
			t.Errorf("told %v, want 501 502 503", told)
		}
		log, err := db.AuditLog(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(log, func(e AuditEntry) bool { return e.Action == "import_changes" }) ||
			!slices.ContainsFunc(log, func(e AuditEntry) bool { return e.Action == "map_abolish_district" }) {
			t.Error("the import is not in the audit")
		}

		counts, err := db.Counts(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if counts.Districts != 0 || counts.Communes[Xa]+counts.Communes[ThiTran]+counts.Communes[Phuong] != 143 {
			t.Errorf("status counts %d districts and %v communes, want none and 143", counts.Districts, counts.Communes)
		}

		// A users file may not give anyone an ended unit, nor the
		// province's own unit as a district.
		bad, err := db.CheckUserRows(ctx, []UserRow{
			{Line: 2, User: User{TelegramID: 801, Role: RoleCommune, Scope: "04852"}},
			{Line: 3, User: User{TelegramID: 802, Role: RoleDistrict, Scope: "150"}},
			{Line: 4, User: User{TelegramID: 803, Role: RoleDistrict, Scope: "17"}},
			{Line: 5, User: User{TelegramID: 804, Role: RoleCommune, Scope: "90001"}},
		})
		if err != nil || len(bad) != 3 || bad[2].Line != 4 {
			t.Errorf("users of ended units: %+v %v, want lines 2 to 4", bad, err)
		}

		// The 2020 list again does not bring back what the changes ended.
		f, err := os.Open("testdata/hoabinh_communes_2020.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := ParseCommunes(f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ImportCommunes(ctx, rows, Province{Code: "17", Name: "Hòa Bình"}, "hoabinh.csv", now)
		var gone ImportErrors
		if !errors.As(err, &gone) || len(gone) != 151 || gone[0].Problem != ProblemUnitGone {
			t.Errorf("the 2020 list again: %v", err)
		}

		// The same file again changes nothing (TestMapChangeReimport).
		again, err := importChanges(t, db, "again.csv", string(changes), now)
		if err != nil || again.ImportedAt.IsZero() || again.Created != 0 {
			t.Fatalf("second import: %+v %v", again, err)
		}
	})
}

// TestMapChangeFileProblems: a file with any bad line changes nothing,
// and every bad line is named with its column.
func TestMapChangeFileProblems(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2025, 7, 2, 9, 0, 0, 0, db.Location())
		text := `effective,kind,old_codes,new_code,new_name,district_code
2025-07-01,merge,04849|04852,90001,Tân Pheo,
2025-07-01,merge,04849|04858,90002,Đoàn Kết,
2025-07-01,merge,04861|04867,04870,Tú Lý,
2025-07-01,rename,04873,,Yên Hòa Mới,150
2025-07-01,move,04876,,,999
2026-01-01,rename,04879,,Toàn Sơn Mới,
2025-07-01,sáp nhập,04888|04891,90003,Tiền Phong,
2025-07-01,merge,04888,90004,Tiền Phong,
2025-07-01,merge,04858|05392,90005,Hai huyện,
2025-07-01,merge,04888|04891,90001,Tân Pheo,
`
		_, err := importChanges(t, db, "bad.csv", text, now)
		var ie ImportErrors
		if !errors.As(err, &ie) {
			t.Fatalf("want ImportErrors, got %v", err)
		}
		var got []string
		for _, e := range ie {
			got = append(got, fmt.Sprintf("%d %s %s %s", e.Line, e.Column, e.Problem, e.Value))
		}
		want := []string{
			"3 old_codes unit_gone 04849",          // merged on line 2
			"4 new_code code_reused 04870",         // a commune's code
			"5 district_code not_for_change 150",   // a rename keeps its district
			"6 district_code unknown_district 999", // no such district
			"7 effective future_date 01/01/2026",
			"8 kind unknown_change sáp nhập",
			"9 old_codes too_few_codes 04888",
			"10 district_code mixed_districts ",
			"11 new_code code_made 90001", // named on line 2
		}
		if !slices.Equal(got, want) {
			t.Errorf("problems:\n got %q\nwant %q", got, want)
		}
		if last := ie[len(ie)-1]; last.Problem == ProblemCodeMade && last.FirstLine != 2 {
			t.Errorf("a new code reused names line %d, want 2, the line that made it", last.FirstLine)
		}
		if n := countRows(t, db, "SELECT count(*) FROM communes WHERE valid_to IS NOT NULL OR valid_from IS NOT NULL"); n != 0 {
			t.Errorf("%d communes changed by a rejected file", n)
		}
		if n := countRows(t, db, "SELECT count(*) FROM map_changes"); n != 0 {
			t.Errorf("%d changes recorded from a rejected file", n)
		}
	})
}

// TestMapChangeKinds applies one line of each kind and reads the map
// today and as of the day before.
func TestMapChangeKinds(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		// Kỳ Sơn as it was before Resolution 830/NQ-UBTVQH14 moved it into
		// the city of Hòa Bình (one commune of it is enough here).
		if _, err := db.ImportCommunes(ctx, []CommuneRow{{Line: 2, DistrictCode: "151", DistrictName: "Huyện Kỳ Sơn", Code: "04900", Name: "Dân Hạ", Type: Xa}},
			Province{Code: "17", Name: "Hòa Bình"}, "ky-son.csv", at(0)); err != nil {
			t.Fatal(err)
		}
		for _, u := range []User{
			{TelegramID: 601, Name: "Hà Văn Dũng", Role: RoleCommune, Scope: "05392", Lang: "vi"},
			{TelegramID: 602, Name: "Đinh Văn Hải", Role: RoleDistrict, Scope: "151", Lang: "vi"},
		} {
			if err := db.AddUser(ctx, u, "test", at(0)); err != nil {
				t.Fatal(err)
			}
		}
		// Reported on the old commune after the split took effect, before
		// the split was imported.
		lateChief := time.Date(2021, 1, 3, 10, 0, 0, 0, db.Location())
		if _, err := db.ApplyChange(ctx, Change{Ref: PostRef{"05392", Chief, 1}, Status: Regular, Holder: "Lò Văn Hải", Actor: "user:601", At: lateChief}); err != nil {
			t.Fatal(err)
		}
		if err := db.BindGroupChat(ctx, GroupChat{ChatID: -1001, Role: RoleDistrict, Scope: "151", Title: "Công an huyện Kỳ Sơn", BoundBy: 602, BoundAt: at(0)}); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2021, 1, 5, 9, 0, 0, 0, db.Location())
		text := `effective,kind,old_codes,new_code,new_name,district_code
2020-02-01,move,04900,,,148
2021-01-01,split,05392,90011,Lũng Vân,
2021-01-01,split,05392,90012,Lũng Vân Hạ,
2021-01-01,rename,04873,,Thị trấn Yên Hòa,
2021-01-01,move,04834|04840,,,148
`
		res, err := importChanges(t, db, "kinds.csv", text, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := (ChangeResult{Lines: 5, Created: 2, Ended: 1, Renamed: 1, Moved: 3, DistrictsEnded: 1, PostsCarried: 2, UsersMoved: 3}); res != want {
			t.Errorf("result %+v, want %+v", res, want)
		}
		c, err := db.Commune(ctx, "04873")
		if err != nil || c.Name != "Yên Hòa" || c.Type != ThiTran {
			t.Errorf("renamed: %+v %v", c, err)
		}
		dayBefore := time.Date(2020, 12, 31, 12, 0, 0, 0, db.Location())
		// The end of the day before, as --date 2020-12-31 asks for it, is
		// the change's own moment: a view shows the state just before its
		// moment, the map as well as the posts.
		dayEnd := time.Date(2021, 1, 1, 0, 0, 0, 0, db.Location())
		for _, tt := range []struct {
			db       *DB
			scope    Scope
			contains string
			lacks    string
		}{
			{db, Scope{Role: RoleDistrict, Code: "148"}, "04834", ""},
			{db, Scope{Role: RoleDistrict, Code: "150"}, "04873", "04834"},
			{db.AsOf(dayBefore), Scope{Role: RoleDistrict, Code: "150"}, "04834", ""},
			{db.AsOf(dayBefore), Scope{Role: RoleDistrict, Code: "148"}, "04789", "04834"},
			{db, Scope{}, "90011", "05392"},
			{db.AsOf(dayBefore), Scope{}, "05392", "90011"},
			{db.AsOf(dayEnd), Scope{Role: RoleDistrict, Code: "150"}, "04834", ""},
			{db.AsOf(dayEnd), Scope{}, "05392", "90011"},
		} {
			cs, err := tt.db.Communes(ctx, tt.scope)
			if err != nil {
				t.Fatal(err)
			}
			has := func(code string) bool {
				return slices.ContainsFunc(cs, func(c Commune) bool { return c.Code == code })
			}
			if !has(tt.contains) || tt.lacks != "" && has(tt.lacks) {
				t.Errorf("as of %v, %+v: want %s and not %q", tt.db.AsOfTime(), tt.scope, tt.contains, tt.lacks)
			}
		}
		for _, at := range []time.Time{dayBefore, dayEnd} {
			then, err := db.AsOf(at).Communes(ctx, Scope{Role: RoleCommune, Code: "04873"})
			if err != nil || len(then) != 1 || then[0].Name != "Yên Hòa" || then[0].Type != Xa {
				t.Errorf("04873 as of %s: %+v %v", at, then, err)
			}
		}
		posts, err := db.CommunePosts(ctx, "90011")
		if err != nil || len(posts) != 2 {
			t.Errorf("the first part of the split has %d posts (%v), want the 2 of 05392", len(posts), err)
		}
		// The chief of the new commune on each date: vacant from the split,
		// then the officer reported on the old commune two days later.
		for _, tt := range []struct {
			at     time.Time
			status Status
			holder string
		}{
			{time.Date(2021, 1, 2, 12, 0, 0, 0, db.Location()), Vacant, ""},
			{lateChief.Add(time.Hour), Regular, "Lò Văn Hải"},
		} {
			ps, err := db.AsOf(tt.at).CommunePosts(ctx, "90011")
			if err != nil || len(ps) == 0 || ps[0].Kind != Chief || ps[0].Status != tt.status || ps[0].Holder != tt.holder {
				t.Errorf("chief of 90011 as of %s: %+v %v, want %s %q", tt.at, ps, err, tt.status, tt.holder)
			}
		}
		// Its history shows the split that made it as one line.
		if o, err := db.CommuneOrigins(ctx, "90011"); err != nil || len(o) != 1 || o[0].Kind != ChangeSplit ||
			len(o[0].Ended) != 1 || o[0].Ended[0].Name != "Chi Nê" || o[0].Made.Name != "Lũng Vân" || !o[0].Effective.Equal(time.Date(2021, 1, 1, 0, 0, 0, 0, db.Location())) {
			t.Errorf("origins of 90011: %+v %v", o, err)
		}
		if o, err := db.CommuneOrigins(ctx, "04873"); err != nil || len(o) != 0 {
			t.Errorf("origins of a renamed commune: %+v %v", o, err)
		}
		if u, err := db.User(ctx, 601); err != nil || u.Scope != "90011" {
			t.Errorf("user of the split commune: %+v %v", u, err)
		}
		// A change dated before those already imported would rewrite the
		// past they were applied to.
		_, err = importChanges(t, db, "late.csv", "effective,kind,old_codes,new_code,new_name,district_code\n2020-06-01,rename,04879,,Toàn Sơn Mới,\n", now)
		var late ImportErrors
		if !errors.As(err, &late) || len(late) != 1 || late[0].Problem != ProblemBeforeLastChange || late[0].Line != 2 {
			t.Errorf("a change before the last one: %v", err)
		}

		// Kỳ Sơn, left with no commune, ended into the city, its head with it.
		if u, err := db.User(ctx, 602); err != nil || ScopeOf(u) != (Scope{RoleDistrict, "148"}) {
			t.Errorf("head of Kỳ Sơn: %+v %v", u, err)
		}
		if g, err := db.GroupChat(ctx, -1001); err != nil || g.ScopeOf() != (Scope{RoleDistrict, "148"}) {
			t.Errorf("group chat of Kỳ Sơn: %+v %v", g, err)
		}
		items, err := db.OutboxItems(ctx, "mapchange:")
		if err != nil || len(items) != 3 {
			t.Errorf("%d messages telling of the changes (%v), want 3: two users and a group chat", len(items), err)
		}
		if ds, err := db.Districts(ctx, Scope{}); err != nil || slices.ContainsFunc(ds, func(d District) bool { return d.Code == "151" }) {
			t.Errorf("Kỳ Sơn is still a district today (%v)", err)
		}
		for _, at := range []time.Time{time.Date(2020, 1, 31, 12, 0, 0, 0, db.Location()), time.Date(2020, 2, 1, 0, 0, 0, 0, db.Location())} {
			if ds, err := db.AsOf(at).Districts(ctx, Scope{}); err != nil || !slices.ContainsFunc(ds, func(d District) bool { return d.Code == "151" }) {
				t.Errorf("Kỳ Sơn is not a district as of %s (%v)", at, err)
			}
		}
		former, err := db.FormerUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range former {
			names = append(names, fmt.Sprintf("%s %s %s→%s", f.Role, f.Name, f.Code, f.Successor))
		}
		wantFormer := []string{"commune Yên Hòa 04873→04873", "commune Chi Nê 05392→90011", "district Huyện Kỳ Sơn 151→148"}
		if !slices.Equal(names, wantFormer) {
			t.Errorf("former units %q, want %q", names, wantFormer)
		}
	})
}

// TestFormerNameEndsWhenRenamed: a commune moved (its district abolished)
// and then renamed keeps one past row per change; its old name left the
// map with the rename, not with the move, which kept the name.
func TestFormerNameEndsWhenRenamed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		importHoaBinh(t, db)
		day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, db.Location()) }
		for _, f := range []struct{ name, text string }{
			{"reform.csv", "effective,kind,old_codes,new_code,new_name,district_code\n01/07/2025,rename,04873,,Thị trấn Yên Hòa,\n01/07/2025,abolish-district,,,,\n"},
			{"rename.csv", "effective,kind,old_codes,new_code,new_name,district_code\n01/08/2025,rename,04879,,Xã Toàn Sơn Mới,\n"},
		} {
			if _, err := importChanges(t, db, f.name, f.text, day(time.September, 1)); err != nil {
				t.Fatalf("%s: %v", f.name, err)
			}
		}
		former, err := db.FormerUnits(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range former {
			if f.Role == RoleCommune {
				got = append(got, fmt.Sprintf("%s %s %s→%s", f.Name, f.Type, f.Ended.In(db.Location()).Format("02/01/2006"), f.Successor))
			}
		}
		want := []string{"Yên Hòa xã 01/07/2025→04873", "Toàn Sơn xã 01/08/2025→04879"}
		if !slices.Equal(got, want) {
			t.Errorf("former communes %q, want %q", got, want)
		}
	})
}

// TestMapChangeReimport: importing a change file again changes nothing and
// says when it was imported; a file that mixes applied lines with new
// ones names the applied ones and writes nothing.
func TestMapChangeReimport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		first := time.Date(2025, 7, 2, 9, 0, 0, 0, db.Location())
		text := "effective,kind,old_codes,new_code,new_name,district_code\n" +
			"01/07/2025,merge,04849|04852|04855,90001,Xã Tân Pheo,\n" +
			"01/07/2025,rename,04873,,Thị trấn Yên Hòa,\n" +
			"01/07/2025,abolish-district,,,,\n"
		if _, err := importChanges(t, db, "reform.csv", text, first); err != nil {
			t.Fatal(err)
		}
		reports := countRows(t, db, "SELECT count(*) FROM reports")
		lines := countRows(t, db, "SELECT count(*) FROM map_changes")
		res, err := importChanges(t, db, "reform (1).csv", text, first.AddDate(0, 0, 3))
		if err != nil {
			t.Fatalf("importing the same file again: %v", err)
		}
		if !res.ImportedAt.Equal(first) || res.ImportedFrom != "reform.csv" || res.Lines != 3 || res.Created != 0 || res.PostsCarried != 0 {
			t.Errorf("importing the same file again: %+v, want it imported from reform.csv at %s", res, first)
		}
		if n := countRows(t, db, "SELECT count(*) FROM reports"); n != reports {
			t.Errorf("%d reports after the second import, %d before", n, reports)
		}
		if n := countRows(t, db, "SELECT count(*) FROM map_changes"); n != lines {
			t.Errorf("%d changes recorded after the second import, %d before", n, lines)
		}
		mixed := "effective,kind,old_codes,new_code,new_name,district_code\n" +
			"01/07/2025,rename,04873,,Thị trấn Yên Hòa,\n" +
			"01/08/2025,rename,04879,,Xã Toàn Sơn Mới,\n"
		_, err = importChanges(t, db, "mixed.csv", mixed, first.AddDate(0, 2, 0))
		var ie ImportErrors
		if !errors.As(err, &ie) || len(ie) != 1 || ie[0].Line != 2 || ie[0].Problem != ProblemAlreadyImported || ie[0].Value != "02/07/2025" {
			t.Errorf("a file with an applied line and a new one: %v", err)
		}
		if c, err := db.Commune(context.Background(), "04879"); err != nil || c.Name != "Toàn Sơn" {
			t.Errorf("04879 after a rejected file: %+v %v", c, err)
		}
	})
}
