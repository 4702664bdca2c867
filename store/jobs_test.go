package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// TestCountStatuses checks the one aggregate the weekly job reads against
// the per-milestone counts, for the milestones and scopes TestCountPosts
// uses.
func TestCountStatuses(t *testing.T) {
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
			{ID: "vacant", Kind: KindPosts, Posts: []PostKind{Officer}, Target: Vacant},
			{ID: "report", Kind: KindDistrictReport},
		}
		for _, s := range []Scope{{}, {Role: RoleProvince, Code: "17"}, {Role: RoleDistrict, Code: "150"}, {Role: RoleCommune, Code: "04849"}} {
			statuses, err := db.CountStatuses(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range milestones {
				want, err := db.CountPosts(ctx, s, m)
				if err != nil {
					t.Fatal(err)
				}
				if got := statuses.For(m); !reflect.DeepEqual(got, want) {
					t.Errorf("milestone %s, scope %+v: %v, want %v", m.ID, s, got, want)
				}
			}
		}
	})
}

// TestOutboxFiles: a file is stored once whatever the number of times it
// is put, read back by its reference, and an unknown reference is
// ErrNotFound.
func TestOutboxFiles(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		data := bytes.Repeat([]byte("PK\x03\x04 bảng tổng hợp "), 1000)
		ref, err := db.PutOutboxFile(ctx, data, at(0))
		if err != nil {
			t.Fatal(err)
		}
		again, err := db.PutOutboxFile(ctx, data, at(5))
		if err != nil || again != ref {
			t.Fatalf("second put = %q, %v; want %q", again, err, ref)
		}
		got, err := db.OutboxFile(ctx, ref)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("OutboxFile = %d bytes, %v; want the %d stored", len(got), err, len(data))
		}
		var n int
		if err := db.db.GetContext(ctx, &n, "SELECT count(*) FROM outbox_files"); err != nil || n != 1 {
			t.Errorf("%d files stored (%v), want 1", n, err)
		}
		// Several at once, one of them already stored and one given
		// twice: the references in the order given, each content once.
		chart := []byte("\x89PNG biểu đồ")
		refs, err := db.PutOutboxFiles(ctx, [][]byte{chart, data, chart}, at(7))
		if err != nil || len(refs) != 3 || refs[1] != ref || refs[0] != refs[2] || refs[0] == ref {
			t.Fatalf("PutOutboxFiles = %q, %v; want [chart, %q, chart]", refs, err, ref)
		}
		if got, err := db.OutboxFile(ctx, refs[0]); err != nil || !bytes.Equal(got, chart) {
			t.Fatalf("OutboxFile(chart) = %q, %v", got, err)
		}
		if err := db.db.GetContext(ctx, &n, "SELECT count(*) FROM outbox_files"); err != nil || n != 2 {
			t.Errorf("%d files stored after the batch (%v), want 2", n, err)
		}
		if _, err := db.OutboxFile(ctx, "0000"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown file: %v, want ErrNotFound", err)
		}
	})
}

// TestPrune: settled items older than the cut-off leave the outbox, with
// their deliveries, for a compact record in the archive; pending items and
// recent ones stay; files go once no item names them; old snapshots go.
func TestPrune(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		day := 24 * 60 // minutes
		oldFile, err := db.PutOutboxFile(ctx, []byte("old chart"), at(0))
		if err != nil {
			t.Fatal(err)
		}
		sharedFile, err := db.PutOutboxFile(ctx, []byte("chart sent again"), at(0))
		if err != nil {
			t.Fatal(err)
		}
		items := []OutboxItem{
			outboxItem("remind:chief-q1-2020:before:7:100", 100, at(0)),
			outboxItem("remind:chief-q1-2020:before:7:101", 101, at(0)), // never sent: stays
			outboxItem("digest:2020-03-02:100:chart", 100, at(0)),
			outboxItem("digest:2020-03-02:101:chart", 101, at(0)),
			outboxItem("remind:chief-q1-2020:after:7:100", 100, at(100*day)), // recent
			outboxItem("digest:2020-06-08:100:chart", 100, at(98*day)),       // recent, names the shared file
		}
		items[2].FileRef, items[3].FileRef, items[5].FileRef = oldFile, sharedFile, sharedFile
		if _, err := db.Enqueue(ctx, items); err != nil {
			t.Fatal(err)
		}
		byKey := map[string]int64{}
		all, err := db.OutboxItems(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range all {
			byKey[it.Key] = it.ID
		}
		// The old reminder to 100 failed once, then went.
		if err := db.Retry(ctx, byKey[items[0].Key], at(1), "timeout"); err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{0, 2, 3} {
			if err := db.MarkSent(ctx, byKey[items[i].Key], at(2)); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.MarkSent(ctx, byKey[items[4].Key], at(100*day+1)); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveSnapshots(ctx, "2020-03-02", []Snapshot{{MilestoneID: "m", DistrictCode: "150", Done: 1, Total: 2, TakenAt: at(0)}}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveSnapshots(ctx, "2020-06-08", []Snapshot{{MilestoneID: "m", DistrictCode: "150", Done: 2, Total: 2, TakenAt: at(98 * day)}}); err != nil {
			t.Fatal(err)
		}

		cutoff := at(90 * day) // 31/05/2020
		got, err := db.Prune(ctx, cutoff)
		if err != nil {
			t.Fatal(err)
		}
		if want := (Pruned{Items: 3, Files: 1, Snapshots: 1}); got != want {
			t.Errorf("Prune = %+v, want %+v", got, want)
		}
		left, err := db.OutboxItems(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if keys := fmt.Sprint(claimedKeys(left)); keys != "[remind:chief-q1-2020:before:7:101 remind:chief-q1-2020:after:7:100 digest:2020-06-08:100:chart]" {
			t.Errorf("left in the outbox: %s", keys)
		}
		if d, err := db.Deliveries(ctx, byKey[items[0].Key]); err != nil || len(d) != 0 {
			t.Errorf("deliveries of a pruned item: %v, %v", d, err)
		}
		archived, err := db.ArchivedItems(ctx, "remind:chief-q1-2020:")
		if err != nil {
			t.Fatal(err)
		}
		if len(archived) != 1 || archived[0].ChatID != 100 || archived[0].State != OutboxSent || archived[0].Attempts != 2 ||
			archived[0].SentAt == nil || !archived[0].SentAt.Equal(at(2)) || !archived[0].DueAt.Equal(at(0)) {
			t.Errorf("archived reminders = %+v, want the one sent to 100 at %v after two attempts", archived, at(2))
		}
		if d, err := db.ArchivedItems(ctx, "digest:2020-03-02:"); err != nil || len(d) != 2 {
			t.Errorf("archived digest parts = %+v, %v; want both recipients'", d, err)
		}
		if _, err := db.OutboxFile(ctx, oldFile); !errors.Is(err, ErrNotFound) {
			t.Errorf("the file only pruned items named: %v, want it gone", err)
		}
		if _, err := db.OutboxFile(ctx, sharedFile); err != nil {
			t.Errorf("a file a recent item names: %v", err)
		}
		if week, _, err := db.PreviousSnapshots(ctx, "2020-06-15"); err != nil || week != "2020-06-08" {
			t.Errorf("latest snapshots = %q, %v", week, err)
		}
		if week, _, err := db.PreviousSnapshots(ctx, "2020-06-08"); err != nil || week != "" {
			t.Errorf("snapshots before the cut-off = %q, %v; want none", week, err)
		}
		// A second run finds nothing more.
		if again, err := db.Prune(ctx, cutoff); err != nil || again != (Pruned{}) {
			t.Errorf("second Prune = %+v, %v", again, err)
		}
	})
}

// TestBulkRecordsInOneStatement writes a country's escalations and
// snapshots (thousands of rows, past SQLite's and lib/pq's parameter
// limits for multi-row VALUES) with one statement each.
func TestBulkRecordsInOneStatement(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if err := db.SavePlan(ctx, SeedPlan(db.Location()), "test", at(0)); err != nil {
			t.Fatal(err)
		}
		communes, err := db.Communes(ctx, Scope{})
		if err != nil {
			t.Fatal(err)
		}
		var keys []EscalationKey
		for _, m := range []string{"chief-q1-2020", "deputies-2024", "keep-2019"} {
			for _, c := range communes {
				keys = append(keys, EscalationKey{MilestoneID: m, CommuneCode: c.Code})
			}
		}
		n, err := db.RecordEscalations(ctx, EscalatedToDistrict, at(1), keys)
		if err != nil || n != len(keys) {
			t.Fatalf("RecordEscalations = %d, %v; want %d", n, err, len(keys))
		}
		if n, err := db.RecordEscalations(ctx, EscalatedToDistrict, at(2), keys[:10]); err != nil || n != 0 {
			t.Errorf("again = %d, %v; want 0 new", n, err)
		}
		esc, err := db.Escalations(ctx, "chief-q1-2020")
		if err != nil || len(esc) != len(communes) || !esc[0].At.Equal(at(1)) || esc[0].Level != EscalatedToDistrict {
			t.Errorf("escalations = %d (%v), first %+v", len(esc), err, esc[0])
		}

		var snaps []Snapshot
		for i := range 6000 {
			snaps = append(snaps, Snapshot{MilestoneID: fmt.Sprintf("m%d", i/700), DistrictCode: fmt.Sprintf("%03d", i%700), Done: i % 7, Total: 7, TakenAt: at(3)})
		}
		if err := db.SaveSnapshots(ctx, "2020-03-02", snaps); err != nil {
			t.Fatal(err)
		}
		week, got, err := db.PreviousSnapshots(ctx, "2020-03-09")
		if err != nil || week != "2020-03-02" || len(got) != len(snaps) {
			t.Fatalf("PreviousSnapshots = %q, %d, %v", week, len(got), err)
		}
		if got[1] != (Snapshot{Week: "2020-03-02", MilestoneID: "m0", DistrictCode: "001", Done: 1, Total: 7, TakenAt: got[1].TakenAt}) || !got[1].TakenAt.Equal(at(3)) {
			t.Errorf("snapshot = %+v", got[1])
		}
	})
}

// TestUsersOfRoleAndNames reads the users of one role, and names by id.
func TestUsersOfRoleAndNames(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		for _, u := range []User{
			{TelegramID: 3, Name: "Phòng Tham mưu", Role: RoleProvince, Scope: "17"},
			{TelegramID: 1, Name: "Bùi Văn Thắng", Role: RoleDistrict, Scope: "157"},
			{TelegramID: 2, Name: "Xa Văn Minh", Role: RoleCommune, Scope: "04831"},
			{TelegramID: 4, Name: "Nguyễn Văn Tỉnh", Role: RoleProvince, Scope: "17"},
		} {
			if err := db.AddUser(ctx, u, "test", at(0)); err != nil {
				t.Fatal(err)
			}
		}
		province, err := db.UsersOfRole(ctx, RoleProvince)
		if err != nil || len(province) != 2 || province[0].TelegramID != 3 || province[1].Name != "Nguyễn Văn Tỉnh" {
			t.Errorf("province users = %+v, %v", province, err)
		}
		byID, err := db.UsersByID(ctx, []int64{2, 4, 99})
		if err != nil || !reflect.DeepEqual(byID, map[int64]User{
			2: {TelegramID: 2, Name: "Xa Văn Minh", Role: RoleCommune, Scope: "04831"},
			4: {TelegramID: 4, Name: "Nguyễn Văn Tỉnh", Role: RoleProvince, Scope: "17"},
		}) {
			t.Errorf("UsersByID = %+v, %v", byID, err)
		}
		if err := db.SavePlan(ctx, SeedPlan(db.Location()), "test", at(0)); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordSubmission(ctx, "district-plans", "157", "user:1", at(30).Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		subs, err := db.AllSubmissions(ctx)
		if err != nil || len(subs) != 1 || subs[0].DistrictCode != "157" || !subs[0].At.Equal(at(30).Add(time.Second)) {
			t.Errorf("AllSubmissions = %+v, %v", subs, err)
		}
	})
}

// TestUsersGeneration: every way users change moves the generation, and
// reading them does not.
func TestUsersGeneration(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		gen := func() int64 {
			t.Helper()
			n, err := db.UsersGeneration(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		last := gen()
		for _, step := range []struct {
			name   string
			change func() error
		}{
			{"add", func() error {
				return db.AddUser(ctx, User{TelegramID: 7, Name: "Bùi Văn Thắng", Role: RoleDistrict, Scope: "157"}, "test", at(0))
			}},
			{"new role", func() error {
				return db.AddUser(ctx, User{TelegramID: 7, Name: "Bùi Văn Thắng", Role: RoleProvince, Scope: "17"}, "test", at(1))
			}},
			{"language", func() error { return db.SetUserLang(ctx, 7, "en") }},
			{"blocked the bot", func() error { return db.MarkUserGone(ctx, 7, at(2)) }},
			{"remove", func() error { return db.RemoveUser(ctx, 7, "test", at(3)) }},
		} {
			if err := step.change(); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			if now := gen(); now <= last {
				t.Errorf("%s: generation %d, was %d", step.name, now, last)
			} else {
				last = now
			}
		}
		if _, err := db.Users(ctx, Scope{}); err != nil {
			t.Fatal(err)
		}
		if now := gen(); now != last {
			t.Errorf("reading users moved the generation: %d, was %d", now, last)
		}
	})
}
