package store

import (
	"context"
	"errors"
	"testing"
)

func TestReplacedPeople(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		change := func(ref PostRef, st Status, holder string, when int) Report {
			t.Helper()
			rep, err := db.ApplyChange(ctx, Change{Ref: ref, Status: st, Holder: holder, Actor: "user:1", At: at(when)})
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		// Replaced: Xa Văn Minh (chief of Tân Minh, semi) and Đinh Thị Hoa
		// (deputy of Tân Pheo, semi). Not replaced: a vacant post filled, a
		// semi-professional who became regular himself, a post emptied.
		chief := change(PostRef{"04855", Chief, 1}, Regular, "Hà Văn Dũng", 20)
		change(PostRef{"04849", Officer, 1}, Regular, "Lò Văn Tâm", 21)
		change(PostRef{"05392", Deputy, 1}, Regular, "Quách Thị Lan", 22)
		deputy := change(PostRef{"04849", Deputy, 1}, Regular, "Bùi Văn Nam", 23)
		if !chief.Replaces() || !deputy.Replaces() {
			t.Fatalf("Replaces() false for %+v or %+v", chief, deputy)
		}

		people, err := db.ReplacedPeople(ctx, Scope{Role: RoleProvince, Code: "17"}, at(0), at(60))
		if err != nil {
			t.Fatal(err)
		}
		if len(people) != 2 || people[0].Report.OldHolder != "Xa Văn Minh" || people[1].Report.OldHolder != "Đinh Thị Hoa" ||
			people[0].Arrangement != Unassigned || people[0].Arranged() || people[0].At != nil {
			t.Fatalf("people = %+v", people)
		}

		if err := db.Arrange(ctx, chief.ID, Unassigned, "user:1", at(24)); err != nil {
			t.Fatal(err)
		}
		if err := db.Arrange(ctx, chief.ID, Retired, "user:2", at(30)); err != nil {
			t.Fatal(err)
		}
		got, err := db.ReplacedPerson(ctx, chief.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Arrangement != Retired || got.By != "user:2" || got.At == nil || !got.At.Equal(at(30)) || !got.Arranged() {
			t.Errorf("after two answers: %+v", got)
		}
		// As of before the second answer, the first stands.
		if got, err := db.AsOf(at(25)).ReplacedPerson(ctx, chief.ID); err != nil || got.Arrangement != Unassigned || got.By != "user:1" {
			t.Errorf("as of the first answer: %+v, %v", got, err)
		}
		// As of before the report, nobody was replaced.
		if _, err := db.AsOf(at(19)).ReplacedPerson(ctx, chief.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("as of before the report: %v", err)
		}
		if people, err := db.ReplacedPeople(ctx, Scope{Role: RoleDistrict, Code: "159"}, at(0), at(60)); err != nil || len(people) != 0 {
			t.Errorf("Lạc Thủy's people = %+v, %v", people, err)
		}
		if err := db.Arrange(ctx, chief.ID-1, Retired, "user:1", at(31)); !errors.Is(err, ErrNotFound) {
			t.Errorf("arranging a report that replaced nobody: %v", err)
		}
		if err := db.Arrange(ctx, chief.ID, "nghỉ", "user:1", at(31)); err == nil {
			t.Error("an unknown arrangement was recorded")
		}
	})
}
