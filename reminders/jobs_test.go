package reminders_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestDigestJobSharesFiles runs the Monday digest for three province
// users, two reading Vietnamese and one English: one digest is built per
// scope and language, its chart and workbook are stored once and named by
// each recipient's item, and every recipient receives them whole.
func TestDigestJobSharesFiles(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			db, st := be.open(t)
			srv := tgtest.NewServer(tgtest.Options{Scale: 100})
			t.Cleanup(srv.Close)
			setupRoster(t, db, srv)
			for _, u := range []store.User{
				{TelegramID: 900002, Name: "Trưởng phòng Tham mưu", Role: store.RoleProvince, Scope: "17", Lang: "vi"},
				{TelegramID: 900003, Name: "Liaison officer", Role: store.RoleProvince, Scope: "17", Lang: "en"},
			} {
				if err := db.AddUser(ctx, u, "test", day(2020, 1, 1)); err != nil {
					t.Fatal(err)
				}
				srv.AddUser(tgtest.User{ID: u.TelegramID, FirstName: u.Name, LanguageCode: u.Lang})
			}
			s := newScheduler(t, db, st)
			for _, now := range []time.Time{day(2020, 3, 1).Add(12 * time.Hour), day(2020, 3, 2).Add(7*time.Hour + 30*time.Minute)} {
				if err := s.Tick(ctx, now); err != nil {
					t.Fatal(err)
				}
			}
			items, err := db.OutboxItems(ctx, "digest:2020-03-02:")
			if err != nil {
				t.Fatal(err)
			}
			type part struct{ payload, ref string }
			parts := map[string]part{} // "<chat>:<part>"
			for _, it := range items {
				k := strings.TrimPrefix(it.Key, "digest:2020-03-02:")
				var m reminders.Message
				if err := json.Unmarshal([]byte(it.Payload), &m); err != nil {
					t.Fatal(err)
				}
				for _, f := range []*reminders.File{m.Photo, m.Document} {
					if f != nil && (len(f.Data) > 0 || f.Ref == "") {
						t.Errorf("%s: the payload carries %d bytes of %s (ref %q), want only its reference", it.Key, len(f.Data), f.Name, f.Ref)
					}
				}
				parts[k] = part{it.Payload, it.FileRef}
			}
			if len(parts) != 9 {
				t.Fatalf("%d digest items, want text, chart and workbook for 3 users: %v", len(parts), parts)
			}
			vi1, vi2, en := strconv.Itoa(provinceChat), "900002", "900003"
			for _, name := range []string{"chart", "workbook"} {
				a, b, c := parts[vi1+":"+name], parts[vi2+":"+name], parts[en+":"+name]
				if a.ref == "" || a.ref != b.ref || a.payload != b.payload {
					t.Errorf("%s: the two Vietnamese readers' items name %q and %q, want one file", name, a.ref, b.ref)
				}
				if c.ref == "" || c.ref == a.ref {
					t.Errorf("%s: the English reader's file %q, want one of its own", name, c.ref)
				}
				data, err := db.OutboxFile(ctx, a.ref)
				if err != nil || len(data) < 1000 {
					t.Errorf("%s: stored file of %d bytes, %v", name, len(data), err)
				}
			}

			d := drainer(db, st, bot.TelegramSender{Client: newClient(t, srv)}, "replica-0", func() time.Time { return day(2020, 3, 2).Add(8 * time.Hour) }, 1)
			for {
				n, err := d.Drain(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					break
				}
			}
			var sizes []int
			for _, chat := range []int64{provinceChat, 900002, 900003} {
				var photo, doc *tgtest.File
				for _, m := range srv.Messages(chat) {
					if m.Photo != nil {
						photo = m.Photo
					}
					if m.Document != nil {
						doc = m.Document
					}
				}
				if photo == nil || doc == nil || !bytes.HasPrefix(doc.Content, []byte("PK")) {
					t.Fatalf("chat %d got chart %v and workbook %v", chat, photo != nil, doc != nil)
				}
				sizes = append(sizes, len(doc.Content))
			}
			if sizes[0] != sizes[1] {
				t.Errorf("the Vietnamese readers got workbooks of %d and %d bytes, want the same file", sizes[0], sizes[1])
			}
		})
	}
}

// TestPruneJob: the nightly job moves the messages settled longer ago
// than the retention out of the outbox, into the archive.
func TestPruneJob(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			db, st := be.open(t)
			sent := day(2020, 3, 2).Add(7*time.Hour + 30*time.Minute)
			payload, err := reminders.MessagePayload(reminders.Message{Text: "🔔 Nhắc việc"})
			if err != nil {
				t.Fatal(err)
			}
			items := []store.OutboxItem{
				{Key: "remind:chief-q1-2020:before:30:700001", ChatID: 700001, Kind: reminders.KindReminder, Payload: payload, DueAt: sent},
				{Key: "remind:chief-q1-2020:before:14:700001", ChatID: 700001, Kind: reminders.KindReminder, Payload: payload, DueAt: sent.AddDate(0, 0, 15)},
			}
			if _, err := db.Enqueue(ctx, items); err != nil {
				t.Fatal(err)
			}
			claimed, err := db.Claim(ctx, sent.AddDate(0, 0, 15), 10, "test", time.Minute)
			if err != nil || len(claimed) != 2 {
				t.Fatalf("claimed %d, %v", len(claimed), err)
			}
			for _, it := range claimed {
				if err := db.MarkSent(ctx, it.ID, it.DueAt); err != nil {
					t.Fatal(err)
				}
			}
			s := newScheduler(t, db, st)
			s.Retention = 20 * 24 * time.Hour
			for _, now := range []time.Time{day(2020, 3, 2), day(2020, 3, 25).Add(3 * time.Hour)} {
				if err := s.Tick(ctx, now); err != nil {
					t.Fatal(err)
				}
			}
			left, err := db.OutboxItems(ctx, "remind:")
			if err != nil || len(left) != 1 || left[0].Key != items[1].Key {
				t.Fatalf("left in the outbox: %+v, %v; want the recent reminder", left, err)
			}
			archived, err := db.ArchivedItems(ctx, "remind:chief-q1-2020:before:30:")
			if err != nil || len(archived) != 1 || archived[0].ChatID != 700001 || !archived[0].SentAt.Equal(sent) {
				t.Errorf("archive = %+v, %v; want who was reminded and when", archived, err)
			}
		})
	}
}

// TestDrainFileGone: an item whose stored file is gone (pruned under it)
// cannot be sent; it fails at once instead of being retried.
func TestDrainFileGone(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			db, st := be.open(t)
			srv := tgtest.NewServer(tgtest.Options{Scale: 100})
			t.Cleanup(srv.Close)
			srv.AddUser(tgtest.User{ID: provinceChat, FirstName: "Phòng Tham mưu"})
			now := day(2020, 3, 2).Add(8 * time.Hour)
			payload, err := reminders.MessagePayload(reminders.Message{Text: "Bảng tổng hợp tuần",
				Document: &reminders.File{Name: "tong-hop-tuan-2020-03-02.xlsx", Ref: "e3b0c44298fc1c149afbf4c8996fb924"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Enqueue(ctx, []store.OutboxItem{{Key: "digest:2020-03-02:900001:workbook", ChatID: provinceChat,
				Kind: reminders.KindDigest, Payload: payload, FileRef: "e3b0c44298fc1c149afbf4c8996fb924", DueAt: now}}); err != nil {
				t.Fatal(err)
			}
			d := drainer(db, st, bot.TelegramSender{Client: newClient(t, srv)}, "replica-0", func() time.Time { return now }, 1)
			if _, err := d.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			items, err := db.OutboxItems(ctx, "digest:")
			if err != nil || len(items) != 1 || items[0].State != store.OutboxFailed {
				t.Fatalf("item = %+v, %v; want it failed", items, err)
			}
			if n := len(srv.Messages(provinceChat)); n != 0 {
				t.Errorf("%d messages sent without their file", n)
			}
		})
	}
}

// TestPreviewIsTheRemindersJob previews Tuesday 14/04/2020, fourteen days
// after the Q1/2020 chief deadline with no commune reported (the weekly
// repeat names every commune behind as escalated), then runs the day's
// reminders job: the job writes exactly the messages the preview showed,
// same keys, chats, due times and texts, and records every commune named
// as escalated to its district, once.
func TestPreviewIsTheRemindersJob(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			db, st := be.open(t)
			srv := tgtest.NewServer(tgtest.Options{Scale: 100})
			t.Cleanup(srv.Close)
			r := setupRoster(t, db, srv)
			s := newScheduler(t, db, st)
			now := day(2020, 4, 14).Add(7*time.Hour + 30*time.Minute)
			lines, err := s.Preview(ctx, day(2020, 4, 14))
			if err != nil {
				t.Fatal(err)
			}
			// Only the reminders job is due: it last ran the day before.
			for _, job := range []string{reminders.JobReminders, reminders.JobDigest, reminders.JobPrune, reminders.JobChecks} {
				last := now
				if job == reminders.JobReminders {
					last = now.AddDate(0, 0, -1)
				}
				if err := db.RecordRun(ctx, job, last); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Tick(ctx, now); err != nil {
				t.Fatal(err)
			}
			items, err := db.OutboxItems(ctx, "remind:")
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) < len(r.heads) || len(items) != len(lines) {
				t.Fatalf("%d preview lines and %d items written, want the same number, at least one per district head (%d)", len(lines), len(items), len(r.heads))
			}
			byKey := make(map[string]store.OutboxItem, len(items))
			for _, it := range items {
				byKey[it.Key] = it
			}
			for _, l := range lines {
				it, ok := byKey[l.Key]
				if !ok {
					t.Errorf("%s: previewed, not written", l.Key)
					continue
				}
				var m reminders.Message
				if err := json.Unmarshal([]byte(it.Payload), &m); err != nil {
					t.Fatal(err)
				}
				if it.ChatID != l.ChatID || !it.DueAt.Equal(l.DueAt) || m.Text != l.Text {
					t.Errorf("%s: written to %d due %v:\n%s\npreviewed to %d due %v:\n%s", l.Key, it.ChatID, it.DueAt, m.Text, l.ChatID, l.DueAt, l.Text)
				}
			}
			escalations, err := db.Escalations(ctx, "chief-q1-2020")
			if err != nil {
				t.Fatal(err)
			}
			got := make(map[string]int)
			for _, e := range escalations {
				if e.Level == store.EscalatedToDistrict {
					got[e.CommuneCode]++
				}
			}
			// No commune reported: every one outside the pilot is behind.
			if len(got) != len(r.communeUser) {
				t.Errorf("%d communes escalated to their district, want %d", len(got), len(r.communeUser))
			}
			for code := range r.communeUser {
				if got[code] != 1 {
					t.Errorf("commune %s escalated %d times, want once", code, got[code])
				}
			}
		})
	}
}

// TestDigestJobStoreCut cuts Postgres as the weekly job stores its first
// digest's files, while the next digest is read and rendered: the job
// fails without hanging, writes no digest into the outbox and leaves its
// run unrecorded; with Postgres back, the next tick writes each digest
// once.
func TestDigestJobStoreCut(t *testing.T) {
	ctx := context.Background()
	db, pg := storetest.PostgresBehind(t)
	srv := tgtest.NewServer(tgtest.Options{Scale: 100})
	t.Cleanup(srv.Close)
	setupRoster(t, db, srv)
	// A second digest: the province's, in English.
	if err := db.AddUser(ctx, store.User{TelegramID: 900003, Name: "Liaison officer", Role: store.RoleProvince, Scope: "17", Lang: "en"}, "test", day(2020, 1, 1)); err != nil {
		t.Fatal(err)
	}
	s := newScheduler(t, db, state.NewMemory(time.Now))
	if err := s.Tick(ctx, day(2020, 3, 1).Add(12*time.Hour)); err != nil {
		t.Fatal(err)
	}
	monday := day(2020, 3, 2).Add(7*time.Hour + 30*time.Minute)
	pg.OnSend(func(b []byte) {
		if bytes.Contains(b, []byte("INSERT INTO outbox_files")) {
			pg.Down()
		}
	})
	if err := s.Tick(ctx, monday); err == nil {
		t.Fatal("the digest job with Postgres cut: no error")
	}
	pg.OnSend(nil)
	pg.Up()
	items, err := db.OutboxItems(ctx, "digest:2020-03-02:")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 0 {
		t.Errorf("%d digest items written by the job that failed, want none", len(items))
	}
	if err := s.Tick(ctx, monday.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if items, err = db.OutboxItems(ctx, "digest:2020-03-02:"); err != nil {
		t.Fatal(err)
	}
	if len(items) != 6 {
		t.Errorf("%d digest items after Postgres came back, want text, chart and workbook for 2 readers", len(items))
	}
}
