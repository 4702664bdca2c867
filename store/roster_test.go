package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

var hoaBinh = Province{Code: "17", Name: "Tỉnh Hòa Bình"}

// importHoaBinh loads the province's districts and communes from testdata.
func importHoaBinh(tb testing.TB, db *DB) {
	tb.Helper()
	f, err := os.Open("testdata/hoabinh_communes_2020.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := ParseCommunes(f)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.ImportCommunes(context.Background(), rows, hoaBinh, "hoabinh_communes_2020.csv", at(0)); err != nil {
		tb.Fatal(err)
	}
}

// importPostsCSV parses and imports a posts file given as text.
func importPostsCSV(tb testing.TB, db *DB, source, text string, when time.Time) (ImportResult, error) {
	tb.Helper()
	rows, err := ParsePosts(strings.NewReader(text))
	if err != nil {
		tb.Fatalf("ParsePosts: %v", err)
	}
	return db.ImportPosts(context.Background(), rows, source, when)
}

// Đà Bắc (150): Tân Pheo, Tân Minh, the town Đà Bắc; Lạc Thủy (159): Chi Nê.
const postsCSV = `commune_code,post,slot,status,holder,since
04849,chief,1,regular,Bùi Văn An,2019-10-01
04849,deputy,1,semi,Đinh Thị Hoa,
04849,officer,1,vacant,,
04855,chief,1,semi,Xa Văn Minh,2015-06-15
04855,officer,1,regular,Lò Văn Tâm,2020-01-02
04855,officer,2,vacant,,
04831,chief,1,regular,Nguyễn Văn Hùng,2019-07-01
05392,chief,1,vacant,,
05392,deputy,1,semi,Quách Thị Lan,
`

func TestImportCommunes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f, err := os.Open("testdata/hoabinh_communes_2020.csv")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := ParseCommunes(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		t.Run("rows without a province and no default fail whole", func(t *testing.T) {
			_, err := db.ImportCommunes(ctx, rows, Province{}, "hb.csv", at(0))
			var ie ImportErrors
			if !errors.As(err, &ie) || len(ie) != len(rows) || ie[0] != (ImportError{Line: 2, Column: "province_code", Problem: ProblemEmptyValue}) {
				t.Fatalf("error = %v, want one empty_value per row", err)
			}
			if cs, err := db.Communes(ctx, Scope{}); err != nil || len(cs) != 0 {
				t.Errorf("after a failed import: %d communes, %v", len(cs), err)
			}
		})
		first, err := db.ImportCommunes(ctx, rows, hoaBinh, "hb.csv", at(0))
		if err != nil {
			t.Fatal(err)
		}
		if want := (ImportResult{Added: 151}); first != want {
			t.Errorf("first import = %+v, want %+v", first, want)
		}
		second, err := db.ImportCommunes(ctx, rows, hoaBinh, "hb.csv", at(1))
		if err != nil {
			t.Fatal(err)
		}
		if want := (ImportResult{Unchanged: 151}); second != want {
			t.Errorf("second import = %+v, want %+v", second, want)
		}

		districts, err := db.Districts(ctx, Scope{Role: RoleProvince, Code: "17"})
		if err != nil {
			t.Fatal(err)
		}
		if len(districts) != 10 || districts[1] != (District{Code: "150", Name: "Huyện Đà Bắc", ProvinceCode: "17"}) {
			t.Errorf("districts = %d, second %+v", len(districts), districts[1])
		}
		c, err := db.Commune(ctx, "04849")
		if err != nil {
			t.Fatal(err)
		}
		if want := (Commune{Code: "04849", Name: "Tân Pheo", Type: Xa, DistrictCode: "150"}); c != want {
			t.Errorf("Commune(04849) = %+v, want %+v", c, want)
		}
		if _, err := db.Commune(ctx, "99999"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Commune(99999) error = %v, want ErrNotFound", err)
		}

		t.Run("rename is updated and audited", func(t *testing.T) {
			renamed := append([]CommuneRow(nil), rows...)
			for i := range renamed {
				if renamed[i].Code == "04849" {
					renamed[i].Name = "Tân Pheo Mới"
				}
				if renamed[i].DistrictCode == "150" {
					renamed[i].DistrictName = "Huyện Đà Bắc Mới"
				}
			}
			res, err := db.ImportCommunes(ctx, renamed, hoaBinh, "hb2.csv", at(2))
			if err != nil {
				t.Fatal(err)
			}
			if want := (ImportResult{Changed: 1, Unchanged: 150}); res != want {
				t.Errorf("rename import = %+v, want %+v", res, want)
			}
			if c, _ := db.Commune(ctx, "04849"); c.Name != "Tân Pheo Mới" {
				t.Errorf("commune name = %q", c.Name)
			}
			if d, _ := db.District(ctx, "150"); d.Name != "Huyện Đà Bắc Mới" {
				t.Errorf("district name = %q", d.Name)
			}
			log, err := db.AuditLog(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			actions := map[string]string{}
			for _, e := range log {
				if e.At.Equal(at(2)) {
					actions[e.Action] = e.Detail
				}
			}
			if actions["rename_commune"] != "04849: Tân Pheo → Tân Pheo Mới" || actions["rename_district"] != "150: Huyện Đà Bắc → Huyện Đà Bắc Mới" {
				t.Errorf("audit of the renames = %v", actions)
			}
		})
	})
}

func TestImportPosts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		res, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10))
		if err != nil {
			t.Fatal(err)
		}
		if want := (ImportResult{Added: 9}); res != want {
			t.Errorf("first import = %+v, want %+v", res, want)
		}
		res, err = importPostsCSV(t, db, "posts.csv", postsCSV, at(11))
		if err != nil {
			t.Fatal(err)
		}
		if want := (ImportResult{Unchanged: 9}); res != want {
			t.Errorf("second import = %+v, want %+v", res, want)
		}

		posts, err := db.CommunePosts(ctx, "04849")
		if err != nil {
			t.Fatal(err)
		}
		since := time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC)
		want := []Post{
			{CommuneCode: "04849", Kind: Chief, Slot: 1, Status: Regular, Holder: "Bùi Văn An", Since: &since},
			{CommuneCode: "04849", Kind: Deputy, Slot: 1, Status: Semi, Holder: "Đinh Thị Hoa"},
			{CommuneCode: "04849", Kind: Officer, Slot: 1, Status: Vacant},
		}
		if !reflect.DeepEqual(posts, want) {
			t.Errorf("CommunePosts(04849) =\n%+v\nwant\n%+v", posts, want)
		}

		history, err := db.History(ctx, "04849", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != 3 {
			t.Fatalf("history has %d reports, want 3", len(history))
		}
		for _, r := range history {
			if r.Actor != "import:posts.csv" || !strings.HasPrefix(r.Source, "posts.csv:") || r.OldStatus != "" || !r.At.Equal(at(10)) {
				t.Errorf("report %+v: want actor import:posts.csv, source posts.csv:<line>, no old status, at %v", r, at(10))
			}
		}

		t.Run("a changed line writes one report", func(t *testing.T) {
			changed := strings.Replace(postsCSV, "04849,deputy,1,semi,Đinh Thị Hoa,", "04849,deputy,1,regular,Hà Văn Dũng,2020-03-01", 1)
			res, err := importPostsCSV(t, db, "posts-2.csv", changed, at(20))
			if err != nil {
				t.Fatal(err)
			}
			if want := (ImportResult{Changed: 1, Unchanged: 8}); res != want {
				t.Errorf("import = %+v, want %+v", res, want)
			}
			h, err := db.History(ctx, "04849", 1)
			if err != nil {
				t.Fatal(err)
			}
			r := h[0]
			if r.Source != "posts-2.csv:3" || r.OldStatus != Semi || r.NewStatus != Regular || r.OldHolder != "Đinh Thị Hoa" || r.NewHolder != "Hà Văn Dũng" {
				t.Errorf("report = %+v", r)
			}
		})

		t.Run("unknown communes fail the whole file", func(t *testing.T) {
			bad := "commune_code,post,slot,status,holder,since\n" +
				"04849,officer,2,regular,Bùi Thị Mai,\n" +
				"99998,chief,1,vacant,,\n" +
				"99999,chief,1,vacant,,\n"
			_, err := importPostsCSV(t, db, "bad.csv", bad, at(30))
			var ie ImportErrors
			if !errors.As(err, &ie) {
				t.Fatalf("error = %v, want ImportErrors", err)
			}
			want := ImportErrors{
				{Line: 3, Column: "commune_code", Problem: ProblemUnknownCommune, Value: "99998"},
				{Line: 4, Column: "commune_code", Problem: ProblemUnknownCommune, Value: "99999"},
			}
			if !reflect.DeepEqual(ie, want) {
				t.Errorf("errors = %+v, want %+v", ie, want)
			}
			posts, _ := db.CommunePosts(ctx, "04849")
			if len(posts) != 3 {
				t.Errorf("04849 has %d posts after a failed import, want 3", len(posts))
			}
		})
	})
}

func TestVacancies(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		type key struct {
			code       string
			kind       PostKind
			slot       int
			unreported bool
		}
		keys := func(vs []Vacancy) []key {
			var out []key
			for _, v := range vs {
				out = append(out, key{v.CommuneCode, v.Kind, v.Slot, v.Unreported})
			}
			return out
		}
		// Đà Bắc's xã and thị trấn without a chief on record: every one but
		// the three of the fixture (04831, 04849, 04855).
		daBac, err := db.Communes(ctx, Scope{Role: RoleDistrict, Code: "150"})
		if err != nil {
			t.Fatal(err)
		}
		var daBacChiefs []key
		for _, c := range daBac {
			switch {
			case c.Code == "04855":
				daBacChiefs = append(daBacChiefs, key{c.Code, Chief, 1, false})
			case c.InPlan() && c.Code != "04831" && c.Code != "04849":
				daBacChiefs = append(daBacChiefs, key{c.Code, Chief, 1, true})
			}
		}
		if len(daBacChiefs) < 10 {
			t.Fatalf("Đà Bắc has %d communes without a regular chief in the fixture, want many", len(daBacChiefs))
		}
		tests := []struct {
			name     string
			scope    Scope
			kinds    []PostKind
			statuses []Status
			want     []key
		}{
			{"commune Tân Minh: its deputy is not on record", Scope{Role: RoleCommune, Code: "04855"}, nil, nil,
				[]key{{"04855", Chief, 1, false}, {"04855", Deputy, 1, true}, {"04855", Officer, 2, false}}},
			{"commune Chi Nê, officers: none on record", Scope{Role: RoleCommune, Code: "05392"}, []PostKind{Officer}, nil,
				[]key{{"05392", Officer, 1, true}}},
			{"province, semi only: no unreported posts", Scope{Role: RoleProvince, Code: "17"}, nil, []Status{Semi},
				[]key{{"04849", Deputy, 1, false}, {"04855", Chief, 1, false}, {"05392", Deputy, 1, false}}},
			{"district Đà Bắc, chiefs", Scope{Role: RoleDistrict, Code: "150"}, []PostKind{Chief}, nil, daBacChiefs},
			{"commune 04849, vacant only", Scope{Role: RoleCommune, Code: "04849"}, nil, []Status{Vacant},
				[]key{{"04849", Officer, 1, false}}},
			{"a ward is not in the plan", Scope{Role: RoleCommune, Code: "04789"}, nil, nil, nil},
			{"another province", Scope{Role: RoleProvince, Code: "01"}, nil, nil, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				vs, err := db.Vacancies(ctx, tt.scope, tt.kinds, tt.statuses)
				if err != nil {
					t.Fatal(err)
				}
				if got := keys(vs); !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Vacancies = %v, want %v", got, tt.want)
				}
			})
		}

		t.Run("unreported posts", func(t *testing.T) {
			vs, err := db.Vacancies(ctx, Scope{Role: RoleCommune, Code: "04855"}, []PostKind{Deputy}, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := Vacancy{
				Post:        Post{CommuneCode: "04855", Kind: Deputy, Slot: 1, Status: Vacant},
				Unreported:  true,
				CommuneName: "Tân Minh", CommuneType: Xa, DistrictCode: "150", DistrictName: "Huyện Đà Bắc",
			}
			if len(vs) != 1 || !reflect.DeepEqual(vs[0], want) {
				t.Errorf("Vacancies = %+v, want [%+v]", vs, want)
			}
		})

		t.Run("names for display", func(t *testing.T) {
			vs, err := db.Vacancies(ctx, Scope{Role: RoleCommune, Code: "05392"}, []PostKind{Deputy}, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := Vacancy{
				Post:        Post{CommuneCode: "05392", Kind: Deputy, Slot: 1, Status: Semi, Holder: "Quách Thị Lan"},
				CommuneName: "Chi Nê", CommuneType: ThiTran, DistrictCode: "159", DistrictName: "Huyện Lạc Thủy",
			}
			if len(vs) != 1 || !reflect.DeepEqual(vs[0], want) {
				t.Errorf("Vacancies = %+v, want [%+v]", vs, want)
			}
		})
	})
}

func TestGroupsAndProgress(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		if err := db.SetGroup(ctx, "pilot-2019", []string{"04849", "04831", "99998"}, "user:1", at(11)); !errors.Is(err, ErrNotFound) {
			t.Fatalf("SetGroup with an unknown code: error = %v, want ErrNotFound", err)
		}
		if err := db.SetGroup(ctx, "pilot-2019", []string{"04849", "04831"}, "user:1", at(12)); err != nil {
			t.Fatal(err)
		}
		groups, err := db.Groups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]map[string]bool{"pilot-2019": {"04849": true, "04831": true}}; !reflect.DeepEqual(groups, want) {
			t.Errorf("Groups = %v, want %v", groups, want)
		}

		hcm := db.Location()
		plan := Plan{ID: "de-an-2020", TitleVI: "Đề án công an chính quy về xã", Milestones: []Milestone{
			{ID: "pilot-chiefs", Seq: 1, TitleVI: "Trưởng Công an xã thí điểm", Kind: KindPosts,
				Communes: Selector{Group: "pilot-2019"}, Posts: []PostKind{Chief}, Target: Regular,
				Start: time.Date(2020, 1, 1, 0, 0, 0, 0, hcm), Deadline: time.Date(2020, 3, 31, 0, 0, 0, 0, hcm)},
			{ID: "district-plans", Seq: 2, TitleVI: "Kế hoạch của huyện", Kind: KindDistrictReport,
				Communes: Selector{Districts: []string{"150", "159"}},
				Start:    time.Date(2020, 1, 1, 0, 0, 0, 0, hcm), Deadline: time.Date(2020, 1, 31, 0, 0, 0, 0, hcm)},
		}}
		if err := db.SavePlan(ctx, plan, "user:1", at(13)); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordSubmission(ctx, "district-plans", "159", "user:2", at(14)); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordSubmission(ctx, "district-plans", "159", "user:3", at(15)); err != nil {
			t.Fatalf("second submission: %v", err)
		}

		tests := []struct {
			name, milestone string
			scope           Scope
			total, done     int
			behind          []string
		}{
			{"pilot chiefs, province", "pilot-chiefs", Scope{Role: RoleProvince, Code: "17"}, 2, 2, nil},
			{"pilot chiefs, district Lạc Thủy", "pilot-chiefs", Scope{Role: RoleDistrict, Code: "159"}, 0, 0, nil},
			{"district plans, province", "district-plans", Scope{}, 2, 1, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := db.Progress(ctx, tt.milestone, tt.scope)
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != tt.total || p.Done != tt.done {
					t.Errorf("Progress = %d/%d, want %d/%d", p.Done, p.Total, tt.done, tt.total)
				}
			})
		}

		t.Run("a regular chief for Tân Minh", func(t *testing.T) {
			m := plan.Milestones[0]
			m.Communes = Selector{Districts: []string{"150"}}
			r, err := db.Roster(ctx, Scope{Role: RoleDistrict, Code: "150"}, m)
			if err != nil {
				t.Fatal(err)
			}
			p := Evaluate(m, r)
			// 17 xã and thị trấn in Đà Bắc, two of them with a regular chief.
			if p.Total != 17 || p.Done != 2 {
				t.Errorf("Evaluate = %d/%d, want 2/17", p.Done, p.Total)
			}
			if _, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04855", Chief, 1}, Status: Regular, Holder: "Bùi Văn An",
				Actor: "user:7", Source: "message:12", At: at(30)}); err != nil {
				t.Fatal(err)
			}
			r, err = db.Roster(ctx, Scope{Role: RoleDistrict, Code: "150"}, m)
			if err != nil {
				t.Fatal(err)
			}
			if p := Evaluate(m, r); p.Done != 3 {
				t.Errorf("after the change Evaluate done = %d, want 3", p.Done)
			}
		})

		if _, err := db.Progress(ctx, "no-such-milestone", Scope{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("Progress of an unknown milestone: error = %v, want ErrNotFound", err)
		}
	})
}

// TestRosterGeneration checks that the generation moves with each change
// replicas keep in memory (communes, plans, groups), inside the change's
// transaction, and not with posts, reports or users, which they read
// every time; read from the store, and as the posts kept in memory saw
// it (LookedRosterGeneration).
func TestRosterGeneration(t *testing.T) {
	t.Run("read", func(t *testing.T) { testRosterGeneration(t, false) })
	t.Run("kept", func(t *testing.T) { testRosterGeneration(t, true) })
}

func testRosterGeneration(t *testing.T, keep bool) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		read := db.RosterGeneration
		if keep {
			if err := db.KeepPostsInMemory(ctx); err != nil {
				t.Fatal(err)
			}
			read = db.LookedRosterGeneration
		}
		last, err := read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		step := func(name string, moves bool, change func() error) {
			t.Helper()
			if err := change(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			gen, err := read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if moved := gen != last; moved != moves {
				t.Errorf("%s: generation %d -> %d, want moved = %v", name, last, gen, moves)
			}
			last = gen
		}
		step("import communes", true, func() error { importHoaBinh(t, db); return nil })
		step("import posts", false, func() error {
			_, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10))
			return err
		})
		step("report", false, func() error {
			_, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04849", Chief, 1}, Status: Vacant, Actor: "user:1", At: at(11)})
			return err
		})
		step("add user", false, func() error {
			return db.AddUser(ctx, User{TelegramID: 1001, Name: "Nguyễn Văn Hùng", Role: RoleProvince, Scope: "17"}, "user:1", at(12))
		})
		step("save plan", true, func() error { return db.SavePlan(ctx, SeedPlan(db.Location()), "user:1", at(13)) })
		step("set group", true, func() error { return db.SetGroup(ctx, "pilot-2019", []string{"04849"}, "user:1", at(14)) })
		step("import group", true, func() error {
			_, err := db.ImportGroup(ctx, "pilot-2019", []GroupRow{{Line: 2, Code: "04849"}, {Line: 3, Code: "05392"}}, "import:pilot.csv", at(15))
			return err
		})
		step("refused group", false, func() error {
			if err := db.SetGroup(ctx, "pilot-2019", []string{"99999"}, "user:1", at(16)); !errors.Is(err, ErrNotFound) {
				return fmt.Errorf("unknown commune: error %v, want ErrNotFound", err)
			}
			return nil
		})
	})
}

// TestCountPosts checks the store's counting in SQL against CountPosts
// over the same posts, for milestones of one and two kinds and targets
// other than regular, in every kind of scope.
func TestCountPosts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		milestones := []Milestone{
			{ID: "chief", Kind: KindPosts, Posts: []PostKind{Chief}},
			{ID: "deputies-officers", Kind: KindPosts, Posts: []PostKind{Deputy, Officer}, Target: Regular},
			{ID: "semi", Kind: KindPosts, Posts: []PostKind{Chief, Deputy, Officer}, Target: Semi},
			{ID: "report", Kind: KindDistrictReport},
		}
		scopes := []Scope{{}, {Role: RoleProvince, Code: "17"}, {Role: RoleDistrict, Code: "150"}, {Role: RoleCommune, Code: "04849"}}
		for _, m := range milestones {
			for _, s := range scopes {
				posts, err := db.Posts(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				got, err := db.CountPosts(ctx, s, m)
				if err != nil {
					t.Fatal(err)
				}
				if want := CountPosts(m, posts); !reflect.DeepEqual(got, want) {
					t.Errorf("milestone %s, scope %+v: store counts %v, want %v", m.ID, s, got, want)
				}
			}
		}
		// The fixture's commune 04849: a regular chief, a semi deputy, a vacant officer.
		got, err := db.CountPosts(ctx, Scope{Role: RoleCommune, Code: "04849"}, milestones[1])
		if err != nil {
			t.Fatal(err)
		}
		want := PostCounts{"04849": {Deputy: {Posts: 1}, Officer: {Posts: 1}}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("deputies and officers of 04849 = %v, want %v", got, want)
		}
	})
}

// migration that adds it, for stores that already have posts.
func TestPostKinds(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04855", Deputy, 1}, Status: Semi, Holder: "Hà Thị Mai",
			Actor: "user:1", At: at(11)}); err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"04849": 1 | 2 | 4, "04855": 1 | 2 | 4, "04831": 1, "05392": 1 | 2, "04834": 0}
		check := func(t *testing.T) {
			t.Helper()
			for code, bits := range want {
				var got int
				if err := db.db.GetContext(ctx, &got, "SELECT post_kinds FROM communes WHERE code = $1", code); err != nil {
					t.Fatal(err)
				}
				if got != bits {
					t.Errorf("post_kinds of %s = %b, want %b", code, got, bits)
				}
			}
		}
		t.Run("kept by imports and reports", check)
		t.Run("filled by the migration", func(t *testing.T) {
			p, err := db.provider()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.DownTo(ctx, 3); err != nil {
				t.Fatal(err)
			}
			if _, err := p.Up(ctx); err != nil {
				t.Fatal(err)
			}
			check(t)
		})
		// The deputy reported above replaces Tân Minh's unreported one.
		vs, err := db.Vacancies(ctx, Scope{Role: RoleCommune, Code: "04855"}, []PostKind{Deputy}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 1 || vs[0].Unreported || vs[0].Holder != "Hà Thị Mai" {
			t.Errorf("Tân Minh's deputies = %+v, want the one reported", vs)
		}
	})
}
