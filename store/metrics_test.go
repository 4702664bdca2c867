package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestOutboxStats(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if s, err := db.OutboxStats(ctx, at(0)); err != nil || s != (OutboxStats{}) {
			t.Fatalf("empty outbox: OutboxStats = %+v, %v", s, err)
		}
		if _, err := db.Enqueue(ctx, []OutboxItem{
			outboxItem("a", 1, at(0)),
			outboxItem("b", 2, at(3)),
			outboxItem("later", 3, at(60)),
		}); err != nil {
			t.Fatal(err)
		}
		s, err := db.OutboxStats(ctx, at(10))
		if err != nil {
			t.Fatal(err)
		}
		if want := (OutboxStats{Pending: 3, Due: 2, Oldest: 10 * time.Minute}); s != want {
			t.Fatalf("OutboxStats = %+v, want %+v", s, want)
		}
		// Sending the oldest ages the backlog by the next one.
		got, err := db.Claim(ctx, at(10), 1, "one", time.Minute)
		if err != nil || len(got) != 1 {
			t.Fatalf("Claim = %v, %v", claimedKeys(got), err)
		}
		if err := db.MarkSent(ctx, got[0].ID, at(10)); err != nil {
			t.Fatal(err)
		}
		s, err = db.OutboxStats(ctx, at(10))
		if want := (OutboxStats{Pending: 2, Due: 1, Oldest: 7 * time.Minute}); err != nil || s != want {
			t.Fatalf("after a send: OutboxStats = %+v, %v; want %+v", s, err, want)
		}
	})
}

func TestReleaseClaims(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if _, err := db.Enqueue(ctx, []OutboxItem{outboxItem("a", 1, at(0)), outboxItem("b", 2, at(0))}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Claim(ctx, at(1), 10, "one", time.Hour)
		if err != nil || len(got) != 2 {
			t.Fatalf("Claim = %v, %v", claimedKeys(got), err)
		}
		// Another owner's release changes nothing; the holder's frees the items.
		if err := db.ReleaseClaims(ctx, []int64{got[0].ID, got[1].ID}, "two"); err != nil {
			t.Fatal(err)
		}
		if again, err := db.Claim(ctx, at(2), 10, "two", time.Hour); err != nil || len(again) != 0 {
			t.Fatalf("claim after a stranger's release = %v, %v; want none", claimedKeys(again), err)
		}
		if err := db.ReleaseClaims(ctx, []int64{got[1].ID}, "one"); err != nil {
			t.Fatal(err)
		}
		again, err := db.Claim(ctx, at(2), 10, "two", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(claimedKeys(again)) != "[b]" || again[0].Attempts != 0 {
			t.Fatalf("claim after the release = %+v, want b with no attempt counted", again)
		}
	})
}
