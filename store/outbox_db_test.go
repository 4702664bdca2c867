package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store/scrub"
)

func outboxItem(key string, chat int64, due time.Time) OutboxItem {
	return OutboxItem{Key: key, ChatID: chat, Kind: "reminder", Payload: `{"text":"x"}`, DueAt: due}
}

func claimedKeys(items []OutboxItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Key)
	}
	return out
}

func TestOutboxClaim(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		n, err := db.Enqueue(ctx, []OutboxItem{
			outboxItem("a", 1, at(0)),
			outboxItem("b", 2, at(1)),
			outboxItem("later", 3, at(60)),
		})
		if err != nil || n != 3 {
			t.Fatalf("Enqueue = %d, %v", n, err)
		}

		got, err := db.Claim(ctx, at(5), 10, "one", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(claimedKeys(got)) != "[a b]" {
			t.Fatalf("first claim = %v, want [a b]", claimedKeys(got))
		}
		if got[0].ChatID != 1 || got[0].Payload != `{"text":"x"}` || !got[0].DueAt.Equal(at(0)) {
			t.Errorf("claimed item = %+v", got[0])
		}

		// The lease holds: nobody else gets them.
		if again, err := db.Claim(ctx, at(5).Add(59*time.Second), 10, "two", time.Minute); err != nil || len(again) != 0 {
			t.Fatalf("claim during the lease = %v, %v; want none", claimedKeys(again), err)
		}
		// "a" is sent; "b"'s holder dies and its lease runs out.
		if err := db.MarkSent(ctx, got[0].ID, at(6)); err != nil {
			t.Fatal(err)
		}
		again, err := db.Claim(ctx, at(7), 10, "two", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(claimedKeys(again)) != "[b]" {
			t.Fatalf("claim after the lease = %v, want [b]", claimedKeys(again))
		}

		// Retry puts it back for later, counting the attempt.
		if err := db.Retry(ctx, again[0].ID, at(30), "boom"); err != nil {
			t.Fatal(err)
		}
		if early, _ := db.Claim(ctx, at(29), 10, "two", time.Minute); len(early) != 0 {
			t.Fatalf("claim before next attempt = %v", claimedKeys(early))
		}
		late, err := db.Claim(ctx, at(30), 10, "two", time.Minute)
		if err != nil || len(late) != 1 || late[0].Attempts != 1 || late[0].LastError != "boom" {
			t.Fatalf("claim at next attempt = %+v, %v", late, err)
		}
		if err := db.Fail(ctx, late[0].ID, "rejected"); err != nil {
			t.Fatal(err)
		}
		if none, _ := db.Claim(ctx, at(100), 10, "two", time.Minute); fmt.Sprint(claimedKeys(none)) != "[later]" {
			t.Fatalf("claim at the end = %v, want [later]", claimedKeys(none))
		}

		items, err := db.OutboxItems(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]OutboxState{}
		for _, it := range items {
			states[it.Key] = it.State
		}
		if states["a"] != OutboxSent || states["b"] != OutboxFailed || states["later"] != OutboxPending {
			t.Errorf("states = %v", states)
		}
		ds, err := db.Deliveries(ctx, got[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 2 || ds[0].Outcome != DeliveryRetry || ds[1].Outcome != DeliveryFailed || ds[1].Error != "rejected" {
			t.Errorf("deliveries of b = %+v", ds)
		}
		if err := db.MarkSent(ctx, 999999, at(0)); !errors.Is(err, ErrNotFound) {
			t.Errorf("MarkSent(unknown) = %v, want ErrNotFound", err)
		}
	})
}

func TestOutboxMarkGone(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if err := db.AddUser(ctx, User{TelegramID: 42, Name: "Nguyễn Văn A", Role: RoleProvince, Scope: "17"}, "test", at(0)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Enqueue(ctx, []OutboxItem{outboxItem("g", 42, at(0))}); err != nil {
			t.Fatal(err)
		}
		items, err := db.Claim(ctx, at(1), 10, "one", time.Minute)
		if err != nil || len(items) != 1 {
			t.Fatalf("claim = %v, %v", items, err)
		}
		if err := db.MarkGone(ctx, items[0].ID, 42, at(2)); err != nil {
			t.Fatal(err)
		}
		u, err := db.User(ctx, 42)
		if err != nil {
			t.Fatal(err)
		}
		if !u.Gone {
			t.Error("user not marked gone")
		}
		all, _ := db.OutboxItems(ctx, "g")
		if len(all) != 1 || all[0].State != OutboxGone {
			t.Errorf("item = %+v, want gone", all)
		}
	})
}

// TestOutboxConcurrentClaims has several claimers race for the same items:
// each item goes to exactly one of them.
func TestOutboxConcurrentClaims(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		var items []OutboxItem
		for i := range 300 {
			items = append(items, outboxItem(fmt.Sprintf("k%03d", i), int64(i), at(0)))
		}
		if _, err := db.Enqueue(ctx, items); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		seen := map[string]string{}
		var wg sync.WaitGroup
		errs := make(chan error, 6)
		for w := range 6 {
			owner := fmt.Sprintf("w%d", w)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					got, err := db.Claim(ctx, at(1), 7, owner, time.Hour)
					if err != nil {
						errs <- err
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, it := range got {
						if prev, dup := seen[it.Key]; dup {
							errs <- fmt.Errorf("%s claimed by %s and %s", it.Key, prev, owner)
						}
						seen[it.Key] = owner
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(seen) != 300 {
			t.Errorf("claimed %d items, want 300", len(seen))
		}
	})
}

func TestAcksEscalationsRuns(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		loc := db.Location()
		if _, err := db.ImportCommunes(ctx, []CommuneRow{
			{Line: 2, DistrictCode: "148", DistrictName: "Thành phố Hòa Bình", Code: "04816", Name: "Hòa Bình", Type: Xa},
			{Line: 3, DistrictCode: "148", DistrictName: "Thành phố Hòa Bình", Code: "04819", Name: "Thống Nhất", Type: Xa},
		}, Province{Code: "17", Name: "Hòa Bình"}, "test.csv", at(0)); err != nil {
			t.Fatal(err)
		}
		if err := db.SavePlan(ctx, SeedPlan(loc), "test", at(0)); err != nil {
			t.Fatal(err)
		}

		for _, a := range []struct {
			chat int64
			m    string
			at   time.Time
		}{{7, "chief-q1-2020", at(0)}, {7, "chief-q1-2020", at(60)}, {7, "chief-q1-2020", at(60)}, {8, "district-plans", at(5)}} {
			if err := db.RecordAck(ctx, a.chat, a.m, a.at); err != nil {
				t.Fatal(err)
			}
		}
		acks, err := db.Acks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(acks) != 2 || acks[0].ChatID != 7 || !acks[0].At.Equal(at(60)) || acks[1].MilestoneID != "district-plans" {
			t.Errorf("Acks = %+v, want the latest per user and milestone", acks)
		}

		for _, step := range []struct {
			codes []string
			level EscalationLevel
			want  int
		}{
			{[]string{"04816"}, EscalatedToDistrict, 1},
			{[]string{"04816", "04819"}, EscalatedToDistrict, 1},
			{[]string{"04816"}, EscalatedToProvince, 1},
		} {
			var keys []EscalationKey
			for _, c := range step.codes {
				keys = append(keys, EscalationKey{MilestoneID: "chief-q1-2020", CommuneCode: c})
			}
			n, err := db.RecordEscalations(ctx, step.level, at(step.want*10+len(step.codes)), keys)
			if err != nil || n != step.want {
				t.Fatalf("RecordEscalations(%v, %s) = %d, %v; want %d", step.codes, step.level, n, err, step.want)
			}
		}
		esc, err := db.Escalations(ctx, "chief-q1-2020")
		if err != nil {
			t.Fatal(err)
		}
		if len(esc) != 3 || esc[0].CommuneCode != "04816" || !esc[0].At.Equal(at(11)) {
			t.Errorf("Escalations = %+v", esc)
		}

		if _, ok, err := db.LastRun(ctx, "job:reminders"); ok || err != nil {
			t.Fatalf("LastRun before any = %v, %v", ok, err)
		}
		for _, r := range []time.Time{at(10), at(5), at(20)} {
			if err := db.RecordRun(ctx, "job:reminders", r); err != nil {
				t.Fatal(err)
			}
		}
		last, ok, err := db.LastRun(ctx, "job:reminders")
		if err != nil || !ok || !last.Equal(at(20)) {
			t.Errorf("LastRun = %v, %v, %v; want %v", last, ok, err, at(20))
		}
	})
}

func TestDigestSnapshots(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if week, snaps, err := db.PreviousSnapshots(ctx, "2020-03-02"); err != nil || week != "" || snaps != nil {
			t.Fatalf("PreviousSnapshots on empty = %q, %v, %v", week, snaps, err)
		}
		save := func(week string, done int) {
			t.Helper()
			if err := db.SaveSnapshots(ctx, week, []Snapshot{
				{MilestoneID: "chief-q1-2020", DistrictCode: "148", Done: done, Total: 10, TakenAt: at(done)},
				{MilestoneID: "chief-q1-2020", DistrictCode: "150", Done: 1, Total: 9, TakenAt: at(done)},
			}); err != nil {
				t.Fatal(err)
			}
		}
		save("2020-02-24", 2)
		save("2020-03-02", 3)
		save("2020-03-02", 4) // the week's digest ran again
		week, snaps, err := db.PreviousSnapshots(ctx, "2020-03-09")
		if err != nil {
			t.Fatal(err)
		}
		if week != "2020-03-02" || len(snaps) != 2 || snaps[0].Done != 4 || snaps[0].DistrictCode != "148" || !snaps[0].TakenAt.Equal(at(4)) {
			t.Errorf("PreviousSnapshots(2020-03-09) = %q, %+v", week, snaps)
		}
		if week, _, _ := db.PreviousSnapshots(ctx, "2020-03-02"); week != "2020-02-24" {
			t.Errorf("PreviousSnapshots(2020-03-02) week = %q, want 2020-02-24", week)
		}
	})
}

// TestOutboxErrorsScrubbed: the error text of a failed send, which may
// quote a proxy's page with the bot's token in a URL, is stored without
// the secrets the store was told of and without anything shaped like a
// token or a URL's password, in the item and in its deliveries.
func TestOutboxErrorsScrubbed(t *testing.T) {
	const token = "7312459876:AAGk3vQm2xR8sLp0Wn5yTz7bHc4dEf6gJ1k"
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		db.SetScrubber(scrub.New(token, "webhook-secret-0123456789"))
		if _, err := db.Enqueue(ctx, []OutboxItem{outboxItem("a", 1, at(0)), outboxItem("b", 2, at(0))}); err != nil {
			t.Fatal(err)
		}
		items, err := db.Claim(ctx, at(1), 10, "one", time.Minute)
		if err != nil || len(items) != 2 {
			t.Fatalf("claim = %v, %v", items, err)
		}
		page := `error decode response body for method sendMessage, <html><h1>502 Bad Gateway</h1>POST /bot` + token +
			`/sendMessage via http://proxy:hunter22@10.0.0.1:3128 (secret webhook-secret-0123456789)</html>`
		if err := db.Retry(ctx, items[0].ID, at(2), page); err != nil {
			t.Fatal(err)
		}
		if err := db.Fail(ctx, items[1].ID, page); err != nil {
			t.Fatal(err)
		}
		got, err := db.OutboxItems(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, it := range got {
			texts = append(texts, it.LastError)
			ds, err := db.Deliveries(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				texts = append(texts, d.Error)
			}
		}
		if len(texts) != 4 {
			t.Fatalf("%d error texts stored, want 4", len(texts))
		}
		for _, s := range texts {
			for _, secret := range []string{"AAGk3vQm2xR8sLp0Wn5yTz7bHc4dEf6gJ1k", "hunter22", "webhook-secret-0123456789"} {
				if strings.Contains(s, secret) {
					t.Errorf("stored %q keeps %q", s, secret)
				}
			}
			if !strings.Contains(s, "502 Bad Gateway") {
				t.Errorf("stored %q lost what happened", s)
			}
		}
	})
}
