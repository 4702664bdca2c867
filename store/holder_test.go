package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestCleanHolder(t *testing.T) {
	long := strings.Repeat("Nguyễnvănbình", 24) // 312 characters in one word
	tests := []struct {
		name, in, want string
		problem        Problem
	}{
		{"a name", "Bùi Văn An", "Bùi Văn An", ""},
		{"spaces around and inside", "  Bùi   Văn\u00a0 An ", "Bùi Văn An", ""},
		{"decomposed diacritics (NFD)", norm.NFD.String("Nguyễn Thị Hồng"), "Nguyễn Thị Hồng", ""},
		{"a note in brackets", "Đinh Thị Thủy (tạm thời)", "Đinh Thị Thủy (tạm thời)", ""},
		{"an initial", "Nguyễn Văn B.", "Nguyễn Văn B.", ""},
		{"a name with a code, as imports write them", "Bùi Văn 05287-C1", "Bùi Văn 05287-C1", ""},
		{"empty", "   ", "", ""},
		{"311 characters and more", long, "", ProblemHolderTooLong},
		{"NUL", "Bùi\x00Văn An", "", ProblemHolderBadChars},
		{"a line break", "Bùi Văn\nAn", "", ProblemHolderBadChars},
		{"a tab", "Bùi\tVăn An", "", ProblemHolderBadChars},
		{"a zero-width space", "Bùi\u200bVăn An", "", ProblemHolderBadChars},
		{"a right-to-left override", "\u202eBùi Văn An", "", ProblemHolderBadChars},
		{"not UTF-8", "B\xf9i V\xe3n An", "", ProblemHolderBadChars},
		{"a command", "/huy", "", ProblemHolderCommand},
		{"digits only", "0912 345 678", "", ProblemHolderNoLetter},
		{"punctuation only", "...", "", ProblemHolderNoLetter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CleanHolder(tt.in)
			var he *HolderError
			switch {
			case tt.problem == "" && err != nil:
				t.Fatalf("CleanHolder(%q): %v", tt.in, err)
			case tt.problem != "" && (!errors.As(err, &he) || he.Problem != tt.problem):
				t.Fatalf("CleanHolder(%q) = %q, %v; want %s", tt.in, got, err, tt.problem)
			case got != tt.want:
				t.Errorf("CleanHolder(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if he != nil && strings.ContainsAny(he.Value, "\x00\n\t\u200b\u202e") {
				t.Errorf("the refused name is quoted back with what made it refused: %q", he.Value)
			}
		})
	}
}

// TestHolderRefusedByEveryImport: a posts file, the import of rows made
// otherwise (the demo, the bench) and a single change all refuse the same
// names, and store nothing of the import or the change.
func TestHolderRefusedByEveryImport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		at := time.Date(2020, 3, 16, 2, 0, 0, 0, time.UTC)
		importHoaBinh(t, db)
		file := "commune_code,post,slot,status,holder,since\n" +
			"04828,chief,1,regular,Bùi Văn An,2020-03-15\n" +
			"04828,deputy,1,semi,/huy,\n" +
			"04828,officer,1,semi,0912345678,\n" +
			"04828,officer,2,semi,\"" + strings.Repeat("Nguyễnvănbình", 24) + "\",\n"
		_, err := ParsePosts(strings.NewReader(file))
		var ie ImportErrors
		if !errors.As(err, &ie) || len(ie) != 3 {
			t.Fatalf("posts file: %v, want 3 problems", err)
		}
		for i, want := range []Problem{ProblemHolderCommand, ProblemHolderNoLetter, ProblemHolderTooLong} {
			if ie[i].Line != i+3 || ie[i].Column != "holder" || ie[i].Problem != want {
				t.Errorf("problem %d: %+v, want line %d holder %s", i, ie[i], i+3, want)
			}
		}
		rows := []PostRow{
			{Line: 2, Post: Post{CommuneCode: "04828", Kind: Chief, Slot: 1, Status: Regular, Holder: "Bùi  Văn An"}},
			{Line: 3, Post: Post{CommuneCode: "04828", Kind: Deputy, Slot: 1, Status: Semi, Holder: "Bùi\x00Văn"}},
		}
		if _, err := db.ImportPosts(ctx, rows, "rows", at); !errors.As(err, &ie) || len(ie) != 1 || ie[0].Problem != ProblemHolderBadChars {
			t.Fatalf("import of rows: %v, want the NUL refused", err)
		}
		_, err = db.ApplyChange(ctx, Change{Ref: PostRef{CommuneCode: "04828", Kind: Chief, Slot: 1}, Status: Regular,
			Holder: "Bùi\x00Văn", Actor: "test", At: at})
		var he *HolderError
		if !errors.As(err, &he) || he.Problem != ProblemHolderBadChars {
			t.Fatalf("change: %v, want the NUL refused", err)
		}
		if posts, err := db.CommunePosts(ctx, "04828"); err != nil || len(posts) != 0 {
			t.Errorf("posts stored: %+v, %v", posts, err)
		}
		// A clean import stores the name as CleanHolder gives it.
		if _, err := db.ImportPosts(ctx, rows[:1], "rows", at); err != nil {
			t.Fatal(err)
		}
		if posts, err := db.CommunePosts(ctx, "04828"); err != nil || len(posts) != 1 || posts[0].Holder != "Bùi Văn An" {
			t.Errorf("posts stored: %+v, %v", posts, err)
		}
	})
}
