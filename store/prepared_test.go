package store

import (
	"context"
	"database/sql"
	"reflect"
	"testing"
)

// TestPreparedStatements checks that the queries run through the cache
// answer the same whether prepared, run unprepared once the cache is full,
// or prepared again after the server dropped the connection they were
// prepared on.
func TestPreparedStatements(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		want, err := db.CommunePosts(ctx, "04849")
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			t.Fatal("the fixture gives commune 04849 no posts")
		}
		check := func(t *testing.T) {
			t.Helper()
			got, err := db.CommunePosts(ctx, "04849")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("CommunePosts = %+v, want %+v", got, want)
			}
		}

		t.Run("prepared once", func(t *testing.T) {
			check(t)
			before := preparedCount(db)
			check(t)
			if n := preparedCount(db); n != before {
				t.Errorf("statements prepared = %d, want %d: the same text was prepared again", n, before)
			}
		})

		t.Run("cache full", func(t *testing.T) {
			n := preparedCount(db)
			db.stmts.mu.Lock()
			saved := db.stmts.limit
			db.stmts.limit = n
			db.stmts.mu.Unlock()
			defer func() {
				db.stmts.mu.Lock()
				db.stmts.limit = saved
				db.stmts.mu.Unlock()
			}()
			// A query never run before cannot be prepared now, and runs as is.
			hist, err := db.History(ctx, "04849", 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(hist) != 1 {
				t.Errorf("History = %+v, want one report", hist)
			}
			if _, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04849", Officer, 9}, Status: Semi, Holder: "Bùi Văn Tám",
				Actor: "user:1", At: at(30)}); err != nil {
				t.Fatal(err)
			}
			want = append(want, Post{CommuneCode: "04849", Kind: Officer, Slot: 9, Status: Semi, Holder: "Bùi Văn Tám"})
			check(t)
		})

		if db.dialect != DialectPostgres {
			return
		}
		t.Run("connection dropped by the server", func(t *testing.T) {
			// One connection, so the one the statement lives on is the one cut.
			db.db.SetMaxOpenConns(1)
			defer db.db.SetMaxOpenConns(20)
			check(t)
			var pid int
			if err := db.db.GetContext(ctx, &pid, "SELECT pg_backend_pid()"); err != nil {
				t.Fatal(err)
			}
			admin, err := sql.Open("postgres", postgresURL(t))
			if err != nil {
				t.Fatal(err)
			}
			defer admin.Close()
			if _, err := admin.ExecContext(ctx, "SELECT pg_terminate_backend($1)", pid); err != nil {
				t.Fatal(err)
			}
			// The first call may meet the dead connection and fail (the bot
			// then asks the user to try again); the next takes a new
			// connection and prepares the statement there.
			if _, err := db.CommunePosts(ctx, "04849"); err != nil {
				t.Logf("first call after the cut: %v", err)
			}
			check(t)
		})
	})
}

// preparedCount is how many statements db's cache holds, once the
// preparations under way in the background (prepareSoon) have ended.
func preparedCount(db *DB) int {
	db.stmts.work.Wait()
	db.stmts.mu.RLock()
	defer db.stmts.mu.RUnlock()
	return len(db.stmts.stmts)
}
