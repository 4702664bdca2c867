package store

import (
	"context"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

// TestCountStatusesSince checks the past counts a weekly digest forecasts
// from against the store as of each moment (AsOf), which orders every
// report: on a roster with posts changed once and several times, a post
// first reported after some moments, a commune whose only post is new,
// and reports recorded out of the order of their time; read from the
// store, and from the posts and reports kept in memory.
func TestCountStatusesSince(t *testing.T) {
	t.Run("read", func(t *testing.T) { testCountStatusesSince(t, false) })
	t.Run("kept", func(t *testing.T) { testCountStatusesSince(t, true) })
}

func testCountStatusesSince(t *testing.T, keep bool) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		if keep {
			if err := db.KeepPostsInMemory(ctx); err != nil {
				t.Fatal(err)
			}
		}
		changes := []Change{
			{Ref: PostRef{"04855", Chief, 1}, Status: Regular, Holder: "Hà Văn Dũng", At: at(20)},
			{Ref: PostRef{"04849", Deputy, 1}, Status: Vacant, At: at(30)},
			{Ref: PostRef{"04849", Officer, 2}, Status: Semi, Holder: "Bùi Thị Mai", At: at(30)}, // a new post
			{Ref: PostRef{"04834", Chief, 1}, Status: Semi, Holder: "Đinh Công Sơn", At: at(35)}, // a commune's first post
			{Ref: PostRef{"04849", Deputy, 1}, Status: Regular, Holder: "Đinh Văn Toàn", At: at(40)},
			{Ref: PostRef{"04849", Deputy, 1}, Status: Semi, Holder: "Đinh Văn Toàn", At: at(50)},
			// Recorded after the reports above, timed before some of them.
			{Ref: PostRef{"04849", Deputy, 1}, Status: Vacant, At: at(45)},
			{Ref: PostRef{"05392", Chief, 1}, Status: Regular, Holder: "Quách Văn Bình", At: at(15)},
			{Ref: PostRef{"04855", Chief, 1}, Status: Vacant, At: at(18)},
		}
		for _, ch := range changes {
			ch.Actor = "user:1"
			if _, err := db.ApplyChange(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		var times []time.Time
		for _, m := range []int{5, 10, 11, 16, 19, 20, 25, 30, 31, 36, 42, 45, 46, 55} {
			times = append(times, at(m))
		}
		scopes := []Scope{{}, {Role: RoleProvince, Code: "17"}, {Role: RoleDistrict, Code: "150"}, {Role: RoleCommune, Code: "04849"}}
		for _, s := range scopes {
			now, past, err := db.CountStatusesSince(ctx, s, times)
			if err != nil {
				t.Fatal(err)
			}
			if want, err := db.CountStatuses(ctx, s); err != nil {
				t.Fatal(err)
			} else if !reflect.DeepEqual(now, want) {
				t.Errorf("%+v now: got %v, want %v", s, counts(now), counts(want))
			}
			if len(past) != len(times) {
				t.Errorf("%+v: %d past counts, want %d", s, len(past), len(times))
			}
			for i, when := range times {
				want, err := db.AsOf(when).CountStatuses(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				if got := past[i]; !reflect.DeepEqual(got, want) {
					t.Errorf("%+v as of %s, with the others: got %v, want %v", s, when.Format(time.TimeOnly), counts(got), counts(want))
				}
				// Alone, the moment is the earliest: fewer posts were
				// reported on since.
				_, alone, err := db.CountStatusesSince(ctx, s, []time.Time{when})
				if err != nil {
					t.Fatal(err)
				}
				if got := alone[0]; !reflect.DeepEqual(got, want) {
					t.Errorf("%+v as of %s: got %v, want %v", s, when.Format(time.TimeOnly), counts(got), counts(want))
				}
			}
		}
		// The counts now are shared, not changed, by the past ones.
		now, _, err := db.CountStatusesSince(ctx, Scope{}, times)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := db.CountStatuses(ctx, Scope{}); !reflect.DeepEqual(now, want) {
			t.Errorf("now changed by the past counts: got %v, want %v", counts(now), counts(want))
		}
	})
}

// counts shows status counts by value, for a failure's message.
func counts(sc StatusCounts) map[string][3][3]int {
	out := make(map[string][3][3]int, len(sc))
	for c, n := range sc {
		out[c] = *n
	}
	return out
}

// TestFirstReport checks where a scope's record starts: its own communes'
// first report, not the country's, and none in a view before it; read
// from the store, and from the reports kept in memory.
func TestFirstReport(t *testing.T) {
	t.Run("read", func(t *testing.T) { testFirstReport(t, false) })
	t.Run("kept", func(t *testing.T) { testFirstReport(t, true) })
}

func testFirstReport(t *testing.T, keep bool) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		if keep {
			if err := db.KeepPostsInMemory(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for _, ch := range []Change{
			{Ref: PostRef{"04834", Chief, 1}, Status: Semi, Holder: "Đinh Công Sơn", At: at(35)},
			{Ref: PostRef{"04834", Deputy, 1}, Status: Vacant, At: at(30)}, // recorded later, timed earlier
		} {
			ch.Actor = "user:1"
			if _, err := db.ApplyChange(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name   string
			view   *DB
			scope  Scope
			want   time.Time
			wantOK bool
		}{
			{"the store", db, Scope{}, at(10), true},
			{"the province", db, Scope{Role: RoleProvince, Code: "17"}, at(10), true},
			{"a district", db, Scope{Role: RoleDistrict, Code: "150"}, at(10), true},
			{"a commune first reported later", db, Scope{Role: RoleCommune, Code: "04834"}, at(30), true},
			{"a commune never reported", db, Scope{Role: RoleCommune, Code: "04840"}, time.Time{}, false},
			{"a commune in a view before its reports", db.AsOf(at(20)), Scope{Role: RoleCommune, Code: "04834"}, time.Time{}, false},
			{"a commune in a view between them", db.AsOf(at(32)), Scope{Role: RoleCommune, Code: "04834"}, at(30), true},
			{"a district in a view before anything", db.AsOf(at(5)), Scope{Role: RoleDistrict, Code: "150"}, time.Time{}, false},
		}
		for _, tt := range tests {
			got, ok, err := tt.view.FirstReport(ctx, tt.scope)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.wantOK || !got.Equal(tt.want) {
				t.Errorf("%s: got %s, %v; want %s, %v", tt.name, got, ok, tt.want, tt.wantOK)
			}
		}
	})
}

// TestCountStatusesSinceBesideAWriter checks that the snapshot the counts
// are read in does not wait for the embedded store's writer: a progress
// answer's forecast must not queue behind reports, nor fail when they
// hold the write lock long.
func TestCountStatusesSinceBesideAWriter(t *testing.T) {
	db := openSQLite(t)
	ctx := context.Background()
	importHoaBinh(t, db)
	if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
		t.Fatal(err)
	}
	holding, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- db.inTx(ctx, func(tx *sqlx.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	read, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_, past, err := db.CountStatusesSince(read, Scope{}, []time.Time{at(5)})
	close(release)
	if err != nil {
		t.Fatalf("beside a writer: %v", err)
	}
	if len(past[0]) != 0 {
		t.Errorf("as of before the import: %v, want nothing", counts(past[0]))
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestCountStatusesSinceConcurrent runs more forecasts' counts at once
// than the embedded store has connections, each statement on its first
// use: a transaction that held its connection while preparing a
// statement on another would wait for the others' until the deadline.
func TestCountStatusesSinceConcurrent(t *testing.T) {
	db := openSQLite(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	importHoaBinh(t, db)
	if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
		t.Fatal(err)
	}
	start := make(chan struct{})
	errs := make(chan error, 16)
	for range 16 {
		go func() {
			<-start
			_, _, err := db.CountStatusesSince(ctx, Scope{Role: RoleDistrict, Code: "150"}, []time.Time{at(5)})
			errs <- err
		}()
	}
	close(start)
	for range 16 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestPastCountsThroughMapChanges: after Hòa Bình's 2025 reform the
// merged communes are off the map, and their reports still count in the
// past of the province and of the districts they were in: the memory's
// past counts and first reports are SQL's, for the ended units, the new
// ones and the province.
func TestPastCountsThroughMapChanges(t *testing.T) {
	changes, err := os.ReadFile("testdata/hoabinh_changes_2025.csv")
	if err != nil {
		t.Fatal(err)
	}
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		if err := db.KeepPostsInMemory(ctx); err != nil {
			t.Fatal(err)
		}
		for _, ch := range []Change{
			{Ref: PostRef{"04852", Chief, 1}, Status: Regular, Holder: "Xa Văn Thắng", Actor: "user:1", At: at(20)},
			{Ref: PostRef{"04849", Officer, 1}, Status: Regular, Holder: "Đinh Văn Khánh", Actor: "user:1", At: at(30)},
			{Ref: PostRef{"04849", Officer, 1}, Status: Semi, Holder: "Đinh Văn Khánh", Actor: "user:1", At: at(25)}, // timed earlier
		} {
			if _, err := db.ApplyChange(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Date(2025, 7, 2, 9, 0, 0, 0, db.Location())
		if _, err := importChanges(t, db, "hoabinh_changes_2025.csv", string(changes), now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ApplyChange(ctx, Change{Ref: PostRef{"90001", Chief, 1}, Status: Semi, Holder: "Hà Văn Dũng", Actor: "user:1",
			At: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		places := []Scope{{}, {Role: RoleProvince, Code: "17"}, {Role: RoleDistrict, Code: "150"}, {Role: RoleCommune, Code: "04849"},
			{Role: RoleCommune, Code: "90001"}, {Role: RoleCommune, Code: "90004"}}
		firstReportsBoth(ctx, t, db, places)
		statusesSinceBoth(ctx, t, db, places, at(22), at(28), now, now.Add(2*time.Hour))
	})
}
