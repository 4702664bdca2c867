package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"
)

// randomQuestion draws a question over posts as they stand, of any shape
// Question allows: every measure, unit, set of kinds and statuses, match,
// selector, breakdown, order, limit and window, over one or two places
// among those given.
func randomQuestion(rng *rand.Rand, places []Scope, codes []string) Question {
	pick := func(n int) int { return rng.IntN(n) }
	measures := []Measure{MeasureCount, MeasureList, MeasureShare, MeasureRank, MeasureCompare, MeasureHolder, MeasureSince, MeasureYesNo}
	q := Question{Measure: measures[pick(len(measures))], Unit: []Unit{"", UnitCommunes, UnitPosts, UnitPeople}[pick(4)],
		Match: []Match{"", MatchAny, MatchAll, MatchNone}[pick(4)]}
	for _, k := range PostKinds {
		if pick(3) == 0 {
			q.Kinds = append(q.Kinds, k)
		}
	}
	for _, s := range []Status{Regular, Semi, Vacant} {
		if pick(3) == 0 {
			q.Statuses = append(q.Statuses, s)
		}
	}
	for range 1 + pick(2) {
		q.Places = append(q.Places, places[pick(len(places))])
	}
	switch pick(8) {
	case 0:
		q.Select.Types = []CommuneType{Phuong}
	case 1:
		q.Select.Types = []CommuneType{Xa, ThiTran, Phuong}
	case 2:
		q.Select.Districts = []string{"157", "991"}
	case 3:
		q.Select.Codes = []string{codes[pick(len(codes))], codes[pick(len(codes))]}
	case 4:
		q.Select.Group = "nhóm"
	case 5:
		q.Select.ExceptGroup = "nhóm"
	}
	if !q.listed() {
		q.Group = []Level{"", LevelProvince, LevelDistrict, LevelCommune}[pick(4)]
		q.Order = []Order{"", OrderDesc, OrderAsc}[pick(3)]
	} else {
		q.BySince = []Order{"", OrderDesc, OrderAsc}[pick(3)]
		q.Limit = []int{0, 1, 3, 10}[pick(4)]
	}
	if pick(4) == 0 {
		q.AtLeast = 2
	}
	// Bounds at any hour of the plan's zone, whose day is not UTC's in
	// its first seven hours.
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	day := func() time.Time {
		return time.Date(2018+pick(4), time.Month(1+pick(12)), 1+pick(28), pick(24), 0, 0, 0, hcm)
	}
	switch pick(5) {
	case 0:
		q.From = day()
	case 1:
		q.To = day()
	case 2:
		q.From = day()
		q.To = q.From.AddDate(0, 6, 0)
	}
	return q
}

// askBoth answers q from the posts kept in memory and in SQL, and fails
// the test where they differ.
func askBoth(ctx context.Context, t *testing.T, db *DB, q Question) {
	t.Helper()
	live, err := db.Ask(ctx, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if db.live.view.Load() == nil {
		t.Fatal("the posts are not kept in memory")
	}
	q = q.normal()
	for i, s := range q.Places {
		var want Result
		if s.Role == RoleCommune {
			want, err = askCommune(ctx, sqlCounter{db}, q, s)
		} else {
			want, err = askArea(ctx, sqlCounter{db}, q, s)
		}
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		want.Place = s
		if !reflect.DeepEqual(live[i], want) {
			t.Fatalf("%s at %s:%s:\nin memory %+v\nin SQL    %+v", q, s.Role, s.Code, live[i], want)
		}
	}
}

var livePlaces = []Scope{{}, {Role: RoleNational}, {Role: RoleProvince, Code: "17"}, {Role: RoleProvince, Code: "99"},
	{Role: RoleProvince, Code: "01"}, {Role: RoleDistrict, Code: "157"}, {Role: RoleDistrict, Code: "991"},
	{Role: RoleDistrict, Code: "992"}, {Role: RoleCommune, Code: "05287"}, {Role: RoleCommune, Code: "99103"},
	{Role: RoleCommune, Code: "04789"}, {Role: RoleCommune, Code: "00000"}, {Role: RoleUnit, Code: "17"}}

// TestLiveCounterMatchesSQL asks questions of every shape, counts
// milestones' posts, finds first reports and posts waiting for their
// check, and counts posts by status now and before, from memory and in
// SQL, on
// both backends, as the store is written
// between them: changes by people, reports that wait for their check and
// their checks, a plan that counts only verified changes, a group.
func TestLiveCounterMatchesSQL(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newAskWorld(t, db)
		if err := db.KeepPostsInMemory(ctx); err != nil {
			t.Fatal(err)
		}
		codes := make([]string, len(w.communes))
		for i, c := range w.communes {
			codes[i] = c.Code
		}
		if err := db.SetGroup(ctx, "nhóm", codes[:len(codes)/3], "test", at(1)); err != nil {
			t.Fatal(err)
		}
		firstReportsBoth(ctx, t, db, livePlaces)
		rng := rand.New(rand.NewPCG(21, 2024))
		questions, perWrite := 250, 5
		if raceDetector {
			questions, perWrite = 40, 1
		}
		for range questions {
			askBoth(ctx, t, db, randomQuestion(rng, livePlaces, codes))
			countPostsBoth(ctx, t, db, rng)
		}
		// Writes, each followed by questions: the memory must follow.
		statuses := []Status{Regular, Semi, Vacant}
		var waiting []int64
		for i := range 60 {
			switch {
			case i == 20:
				p := SeedPlan(db.Location())
				p.CountVerified = true
				if err := db.SavePlan(ctx, p, "test", at(500)); err != nil {
					t.Fatal(err)
				}
			case i == 30:
				// The ward with no post gets its first, recorded as of a
				// time before the import: its province's first report,
				// and the country's, move back.
				if _, err := db.ApplyChange(ctx, Change{Ref: PostRef{CommuneCode: "99103", Kind: Officer, Slot: 1}, Status: Semi,
					Holder: "Người phường", Actor: "user:1", At: at(-1000)}); err != nil {
					t.Fatal(err)
				}
			case i == 40:
				// Two posts of one kind waiting at one status.
				for slot := 1; slot <= 2; slot++ {
					rep, err := db.ApplyChange(ctx, Change{Ref: PostRef{CommuneCode: codes[0], Kind: Deputy, Slot: slot}, Status: Regular,
						Holder: fmt.Sprintf("Phó %d", slot), Actor: "user:1", At: at(600 + i), Check: CheckReported})
					if err != nil {
						t.Fatal(err)
					}
					waiting = append(waiting, rep.ID)
				}
			case i%7 == 3 && len(waiting) > 0:
				id := waiting[0]
				waiting = waiting[1:]
				if _, err := db.CheckReport(ctx, Verdict{ReportID: id, Actor: "user:9", Scope: Scope{}, Verify: i%2 == 0,
					Reason: "thiếu quyết định", At: at(600 + i)}); err != nil {
					t.Fatal(err)
				}
			default:
				ch := Change{Ref: PostRef{CommuneCode: codes[rng.IntN(len(codes))], Kind: PostKinds[rng.IntN(3)], Slot: 1 + rng.IntN(2)},
					Status: statuses[rng.IntN(3)], Actor: "user:1", At: at(600 + i)}
				if ch.Status != Vacant {
					ch.Holder = fmt.Sprintf("Người mới %d", i)
					d := time.Date(2019+rng.IntN(3), 5, 1+i%28, 0, 0, 0, 0, time.UTC)
					ch.Since = &d
				}
				if i%2 == 0 {
					ch.Check = CheckReported
				}
				rep, err := db.ApplyChange(ctx, ch)
				if err != nil && !isNoChange(err) {
					t.Fatal(err)
				}
				if err == nil && ch.Check == CheckReported {
					waiting = append(waiting, rep.ID)
				}
			}
			for range perWrite {
				askBoth(ctx, t, db, randomQuestion(rng, livePlaces, codes))
			}
			countPostsBoth(ctx, t, db, rng)
			// A few places after each write (the race detector's run
			// pays for every query tenfold), every place at the end.
			some := make([]Scope, 3)
			for k := range some {
				some[k] = livePlaces[rng.IntN(len(livePlaces))]
			}
			firstReportsBoth(ctx, t, db, some)
			unverifiedBoth(ctx, t, db, some)
			postsBoth(ctx, t, db, codes[i%len(codes)], codes[0], "99103")
			if i%3 == 0 {
				statusesSinceBoth(ctx, t, db, some)
			}
		}
		firstReportsBoth(ctx, t, db, livePlaces)
		unverifiedBoth(ctx, t, db, livePlaces)
		statusesSinceBoth(ctx, t, db, livePlaces)
		postsBoth(ctx, t, db, append(codes, "99103", "00000")...)
		if len(waiting) == 0 {
			t.Fatal("no report waits for its check: the memory's waiting posts went untested")
		}
	})
}

// TestLivePostsSeeConcurrentWrites writes from several goroutines while
// questions are asked, then asks every commune's posts: whatever the
// order the writers' transactions ran and committed in, against the
// looks of the reader, the memory ends as the store does.
func TestLivePostsSeeConcurrentWrites(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newAskWorld(t, db)
		if err := db.KeepPostsInMemory(ctx); err != nil {
			t.Fatal(err)
		}
		statuses := []Status{Regular, Semi, Vacant}
		var wg sync.WaitGroup
		done := make(chan struct{})
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(g), 7))
				for i := range 40 {
					c := w.communes[rng.IntN(len(w.communes))]
					ch := Change{Ref: PostRef{CommuneCode: c.Code, Kind: PostKinds[rng.IntN(3)], Slot: 1}, Status: statuses[rng.IntN(3)],
						Actor: "user:1", At: at(1000 + 100*g + i)}
					if ch.Status != Vacant {
						ch.Holder = fmt.Sprintf("Người %d-%d", g, i)
					}
					if _, err := db.ApplyChange(ctx, ch); err != nil && !isNoChange(err) {
						t.Error(err)
						return
					}
				}
			}()
		}
		go func() { wg.Wait(); close(done) }()
		all := Question{Measure: MeasureList, Unit: UnitPosts, Limit: 100000}
	asking:
		for {
			select {
			case <-done:
				break asking
			default:
			}
			if _, err := db.Ask(ctx, all); err != nil {
				t.Fatal(err)
			}
		}
		askBoth(ctx, t, db, Question{Measure: MeasureList, Unit: UnitPosts, Limit: 100000, Places: []Scope{{}},
			Select: Selector{Types: []CommuneType{Xa, ThiTran, Phuong}}})
		askBoth(ctx, t, db, Question{Measure: MeasureCount, Unit: UnitPosts, Statuses: []Status{Regular}, Group: LevelCommune, Places: []Scope{{}}})
	})
}

// countPostsBoth counts a milestone's posts from memory and in SQL, and
// fails the test where they differ.
func countPostsBoth(ctx context.Context, t *testing.T, db *DB, rng *rand.Rand) {
	t.Helper()
	m := Milestone{ID: "m", Kind: KindPosts, Target: []Status{"", Regular, Semi}[rng.IntN(3)]}
	for _, k := range PostKinds {
		if rng.IntN(2) == 0 {
			m.Posts = append(m.Posts, k)
		}
	}
	s := livePlaces[rng.IntN(len(livePlaces))]
	live, err := db.CountPosts(ctx, s, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Posts) == 0 {
		if len(live) != 0 {
			t.Fatalf("no kinds at %+v: %v", s, live)
		}
		return
	}
	want, err := db.countPostsSQL(ctx, s, m)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(live, want) {
		t.Fatalf("posts of %v at %s, %+v:\nin memory %v\nin SQL    %v", m.Posts, m.Target, s, live, want)
	}
}

// firstReportsBoth compares each place's first report from memory with
// SQL's.
func firstReportsBoth(ctx context.Context, t *testing.T, db *DB, places []Scope) {
	t.Helper()
	for _, s := range places {
		at, ok, err := db.FirstReport(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		var a args
		where, err := scopeWhere(s, &a)
		if err != nil {
			t.Fatal(err)
		}
		wantAt, wantOK, err := db.firstReportSQL(ctx, s, where, a)
		if err != nil {
			t.Fatal(err)
		}
		if ok != wantOK || !at.Equal(wantAt) {
			t.Fatalf("first report at %+v: %v %v in memory, %v %v in SQL", s, at, ok, wantAt, wantOK)
		}
	}
}

// postsBoth compares each commune's posts from memory with SQL's.
func postsBoth(ctx context.Context, t *testing.T, db *DB, codes ...string) {
	t.Helper()
	for _, code := range codes {
		s := Scope{Role: RoleCommune, Code: code}
		got, err := db.Posts(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		var a args
		where, err := scopeWhere(s, &a)
		if err != nil {
			t.Fatal(err)
		}
		want, err := db.postsSQL(ctx, s, where, a)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("posts of %s:\nin memory %+v\nin SQL    %+v", code, got, want)
		}
	}
}

// unverifiedBoth compares each place's posts waiting for their check
// from memory with SQL's.
func unverifiedBoth(ctx context.Context, t *testing.T, db *DB, places []Scope) {
	t.Helper()
	for _, s := range places {
		live, err := db.UnverifiedCounts(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		want, err := db.unverifiedSQL(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(live, want) {
			t.Fatalf("waiting posts at %+v:\nin memory %v\nin SQL    %v", s, live, want)
		}
	}
}

// statusesSinceBoth compares each place's posts by status now and at
// moments before, after and among the writes (and at times, too), from
// memory and in SQL.
func statusesSinceBoth(ctx context.Context, t *testing.T, db *DB, places []Scope, times ...time.Time) {
	t.Helper()
	times = append([]time.Time{at(-2000), at(0), at(610), at(640), at(5000)}, times...)
	for _, s := range places {
		now, past, err := db.CountStatusesSince(ctx, s, times)
		if err != nil {
			t.Fatal(err)
		}
		wantNow, wantPast, err := db.countStatusesSinceSQL(ctx, s, times)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(now, wantNow) || !reflect.DeepEqual(past, wantPast) {
			t.Fatalf("posts by status at %+v:\nin memory %v %v\nin SQL    %v %v", s, now, past, wantNow, wantPast)
		}
	}
}

// TestLookSkipsRestoredRevs: rows of commune_revs stamped with transaction
// ids beyond the server's own (a dump restored from a server whose ids
// ran ahead) are not read at every look, and the commune's next change is
// still seen.
func TestLookSkipsRestoredRevs(t *testing.T) {
	ctx := context.Background()
	db := openPostgres(t)
	importHoaBinh(t, db)
	if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
		t.Fatal(err)
	}
	if err := db.KeepPostsInMemory(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, "UPDATE commune_revs SET rev = 9000000000000 WHERE commune_code = '04855'"); err != nil {
		t.Fatal(err)
	}
	_, moved, _, err := db.lookAtRevs(ctx, db.live.mark)
	if err != nil {
		t.Fatal(err)
	}
	if len(moved) != 0 {
		t.Errorf("a look read %v, want nothing: no writer has written since", moved)
	}
	if _, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04855", Chief, 1}, Status: Regular, Holder: "Lò Văn Tâm", Actor: "user:1", At: at(20)}); err != nil {
		t.Fatal(err)
	}
	res, err := db.Ask(ctx, Question{Measure: MeasureHolder, Kinds: []PostKind{Chief}, Places: []Scope{{Role: RoleCommune, Code: "04855"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res[0].Rows) != 1 || res[0].Rows[0].Holder != "Lò Văn Tâm" {
		t.Errorf("after the change: %+v, want Lò Văn Tâm as chief", res[0].Rows)
	}
}

// TestOneLook: under OneLook's context the reads of one answer share a
// look, so a change committed between them is not half seen; a read
// outside it sees the change.
func TestOneLook(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		if err := db.KeepPostsInMemory(ctx); err != nil {
			t.Fatal(err)
		}
		q := Question{Measure: MeasureHolder, Kinds: []PostKind{Chief}, Places: []Scope{{Role: RoleCommune, Code: "04855"}}}
		chief := func(ctx context.Context) string {
			t.Helper()
			res, err := db.Ask(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return res[0].Rows[0].Holder
		}
		answer := db.OneLook(ctx)
		before := chief(answer)
		if _, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04855", Chief, 1}, Status: Regular, Holder: "Lò Văn Tâm", Actor: "user:1", At: at(20)}); err != nil {
			t.Fatal(err)
		}
		if got := chief(answer); got != before {
			t.Errorf("within one look: %q, then %q", before, got)
		}
		if got := chief(ctx); got != "Lò Văn Tâm" {
			t.Errorf("after the change, outside the look: %q, want Lò Văn Tâm", got)
		}
	})
}

// TestRevsMoveWithChecks: a report's details move its commune's rev when
// their check state changes (a report waits, is sent back, is corrected
// to wait again, is verified) and not for a decision or a note added,
// which no post counts by.
func TestRevsMoveWithChecks(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		rev := func() int64 {
			t.Helper()
			var n int64
			if err := db.db.GetContext(ctx, &n, "SELECT coalesce((SELECT rev FROM commune_revs WHERE commune_code = '04849'), -1)"); err != nil {
				t.Fatal(err)
			}
			return n
		}
		commune := Scope{Role: RoleCommune, Code: "04849"}
		step := func(name string, moves bool, write func() error) {
			t.Helper()
			before := rev()
			if err := write(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if moved := rev() != before; moved != moves {
				t.Errorf("%s: rev moved = %v, want %v", name, moved, moves)
			}
		}
		var rep Report
		step("report waiting for its check", true, func() (err error) {
			rep, err = db.ApplyChange(ctx, Change{Ref: PostRef{"04849", Chief, 1}, Status: Regular, Holder: "Hà Văn Minh",
				Actor: "user:1", At: at(20), Check: CheckReported})
			return err
		})
		step("decision added", false, func() error {
			_, err := db.CorrectReport(ctx, Correction{ReportID: rep.ID, Scope: commune, Decision: Decision{Number: "12/QĐ-CAT"},
				Actor: "user:1", At: at(21)})
			return err
		})
		step("sent back", true, func() error {
			_, err := db.CheckReport(ctx, Verdict{ReportID: rep.ID, Actor: "user:9", Scope: Scope{}, Reason: "thiếu quyết định", At: at(22)})
			return err
		})
		step("corrected, waits again", true, func() error {
			_, err := db.CorrectReport(ctx, Correction{ReportID: rep.ID, Scope: commune, Note: "đã bổ sung", Actor: "user:1", At: at(23)})
			return err
		})
		step("note added", false, func() error {
			_, err := db.CorrectReport(ctx, Correction{ReportID: rep.ID, Scope: commune, Note: "bản gốc", Actor: "user:1", At: at(24)})
			return err
		})
		step("verified", true, func() error {
			_, err := db.CheckReport(ctx, Verdict{ReportID: rep.ID, Actor: "user:9", Scope: Scope{}, Verify: true, At: at(25)})
			return err
		})
	})
}

// TestLookSeesOtherProcesses: on SQLite, a commit by another process on
// the same file (here another handle, with its own connections) or by
// this one is in the posts kept in memory at the next question.
func TestLookSeesOtherProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "caxbot.db")
	db := openSQLiteAt(t, t, path)
	w := newAskWorld(t, db)
	if err := db.KeepPostsInMemory(ctx); err != nil {
		t.Fatal(err)
	}
	code := w.communes[0].Code
	postsBoth(ctx, t, db, code)

	other := openSQLiteAt(t, t, path)
	for i, by := range []*DB{other, db, other} {
		ch := Change{Ref: PostRef{CommuneCode: code, Kind: Chief, Slot: 1}, Status: Regular, Holder: fmt.Sprintf("Người %d", i),
			Actor: "user:1", At: at(2000 + i)}
		if _, err := by.ApplyChange(ctx, ch); err != nil {
			t.Fatal(err)
		}
		got, err := db.Posts(ctx, Scope{Role: RoleCommune, Code: code})
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(got, func(p Post) bool { return p.Kind == Chief }); i < 0 || got[i].Holder != ch.Holder {
			t.Fatalf("after write %d, the chief is %+v, want %q", i, got, ch.Holder)
		}
		postsBoth(ctx, t, db, code)
	}
}
