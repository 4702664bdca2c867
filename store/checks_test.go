package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// TestReportChecks: a commune's report with its decision waits for its
// district; another district cannot see or check it; the district
// confirms it once; a report sent back with a reason waits for the
// reporter, whose correction puts it back in the district's list; every
// step is in the audit trail.
func TestReportChecks(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		signed := time.Date(2020, 3, 10, 0, 0, 0, 0, time.UTC)
		daBac := Scope{Role: RoleDistrict, Code: "150"} // Tân Pheo 04849 and Tiền Phong 04855 are Đà Bắc's
		lacSon := Scope{Role: RoleDistrict, Code: "157"}
		rep, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04849", Deputy, 1}, Status: Regular, Holder: "Hà Văn Dũng",
			Actor: "user:1003", At: at(20), Check: CheckReported,
			Decision:  Decision{Number: " 125/QĐ-CAT-PX01 ", Date: &signed, Issuer: "Giám đốc Công an tỉnh", FileID: "photo-1", FileName: "qd-125.jpg"},
			Standards: Standards{Rank: "trung_uy", Training: "đã qua đào tạo", Qualification: "đại học"}})
		if err != nil {
			t.Fatal(err)
		}
		details, err := db.ReportDetails(ctx, []int64{rep.ID, 1})
		if err != nil {
			t.Fatal(err)
		}
		d, ok := details[rep.ID]
		if !ok || len(details) != 1 {
			t.Fatalf("details = %+v, want the new report's only (the import has none)", details)
		}
		if d.Decision.Number != "125/QĐ-CAT-PX01" || d.Decision.Date.Format(time.DateOnly) != "2020-03-10" || d.Decision.FileID != "photo-1" ||
			d.Standards.Rank != "trung_uy" || d.Check != CheckReported || !d.WaitingSince.Equal(at(20)) {
			t.Errorf("details = %+v", d)
		}
		waiting, err := db.WaitingReports(ctx, daBac, CheckReported)
		if err != nil || len(waiting) != 1 || waiting[0].Report.ID != rep.ID {
			t.Fatalf("Đà Bắc's list = %+v, %v", waiting, err)
		}
		if other, err := db.WaitingReports(ctx, lacSon, CheckReported); err != nil || len(other) != 0 {
			t.Errorf("Lạc Sơn's list = %+v, %v, want nothing", other, err)
		}

		// A forged confirmation from another district changes nothing.
		if _, err := db.CheckReport(ctx, Verdict{ReportID: rep.ID, Scope: lacSon, Verify: true, Actor: "user:2002", At: at(30)}); !errors.Is(err, ErrNotFound) {
			t.Errorf("Lạc Sơn's confirmation: %v, want ErrNotFound", err)
		}
		got, err := db.CheckReport(ctx, Verdict{ReportID: rep.ID, Scope: daBac, Verify: true, Actor: "user:1002", At: at(31)})
		if err != nil {
			t.Fatal(err)
		}
		if got.Details.Check != CheckVerified || got.Details.CheckedBy != "user:1002" || got.Report.NewHolder != "Hà Văn Dũng" {
			t.Errorf("after the confirmation: %+v", got)
		}
		if _, err := db.CheckReport(ctx, Verdict{ReportID: rep.ID, Scope: daBac, Reason: "sai số", Actor: "user:1004", At: at(32)}); !errors.Is(err, ErrChecked) {
			t.Errorf("sending back a confirmed report: %v, want ErrChecked", err)
		}
		if _, err := db.CorrectReport(ctx, Correction{ReportID: rep.ID, Scope: Scope{Role: RoleCommune, Code: "04849"},
			Decision: Decision{Number: "999"}, Actor: "user:1003", At: at(33)}); !errors.Is(err, ErrChecked) {
			t.Errorf("correcting a confirmed report: %v, want ErrChecked", err)
		}

		// Sent back, then corrected.
		rep2, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04855", Chief, 1}, Status: Regular, Holder: "Lò Văn Tâm",
			Actor: "user:1005", At: at(40), Check: CheckReported})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CheckReport(ctx, Verdict{ReportID: rep2.ID, Scope: daBac, Actor: "user:1002", At: at(41)}); err == nil {
			t.Error("sent back without a reason")
		}
		if _, err := db.CheckReport(ctx, Verdict{ReportID: rep2.ID, Scope: daBac, Reason: "  chưa có số quyết định ", Actor: "user:1002", At: at(42)}); err != nil {
			t.Fatal(err)
		}
		if w, _ := db.WaitingReports(ctx, daBac, CheckReported); len(w) != 0 {
			t.Errorf("a report sent back still waits for the district: %+v", w)
		}
		back, err := db.WaitingReports(ctx, Scope{Role: RoleCommune, Code: "04855"}, CheckReturned)
		if err != nil || len(back) != 1 || back[0].Details.Reason != "chưa có số quyết định" {
			t.Fatalf("the commune's reports sent back = %+v, %v", back, err)
		}
		if _, err := db.CorrectReport(ctx, Correction{ReportID: rep2.ID, Scope: Scope{Role: RoleCommune, Code: "04849"},
			Decision: Decision{Number: "130/QĐ-CAT"}, Actor: "user:1003", At: at(43)}); !errors.Is(err, ErrNotFound) {
			t.Errorf("another commune's correction: %v, want ErrNotFound", err)
		}
		fixed, err := db.CorrectReport(ctx, Correction{ReportID: rep2.ID, Scope: Scope{Role: RoleCommune, Code: "04855"},
			Decision: Decision{Number: "130/QĐ-CAT", FileID: "doc-2"}, Actor: "user:1005", At: at(50)})
		if err != nil {
			t.Fatal(err)
		}
		if fixed.Details.Check != CheckReported || !fixed.Details.WaitingSince.Equal(at(50)) || fixed.Details.Decision.FileID != "doc-2" {
			t.Errorf("after the correction: %+v", fixed.Details)
		}
		if w, _ := db.WaitingReports(ctx, daBac, CheckReported); len(w) != 1 || w[0].Report.ID != rep2.ID {
			t.Errorf("after the correction the district's list = %+v", w)
		}

		if err := db.MarkEscalated(ctx, []int64{rep2.ID}, at(60)); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkEscalated(ctx, []int64{rep2.ID}, at(70)); err != nil {
			t.Fatal(err)
		}
		if w, _ := db.WaitingReports(ctx, daBac, CheckReported); len(w) != 1 || w[0].Details.EscalatedAt == nil || !w[0].Details.EscalatedAt.Equal(at(60)) {
			t.Errorf("escalated = %+v, want the first time kept", w)
		}

		log, err := db.AuditLog(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			if strings.Contains(e.Detail, "report=") {
				actions = append(actions, e.Action)
			}
		}
		if want := "correct_report return_report verify_report"; strings.Join(actions, " ") != want {
			t.Errorf("audit actions = %v, want %s", actions, want)
		}

		if err := db.KeepDecisionFile(ctx, DecisionFile{FileID: "doc-2", ReportID: rep2.ID, Name: "qd-130.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.4")}, at(50)); err != nil {
			t.Fatal(err)
		}
		f, err := db.DecisionFileOf(ctx, "doc-2")
		if err != nil || string(f.Data) != "%PDF-1.4" || f.Name != "qd-130.pdf" {
			t.Errorf("DecisionFileOf = %+v, %v", f, err)
		}
		if _, err := db.DecisionFileOf(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("an unknown file: %v", err)
		}
	})
}

func TestReportDetailsRefused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		tests := []struct {
			name string
			ch   Change
		}{
			{"unknown rank", Change{Standards: Standards{Rank: "tuong_quan"}}},
			{"a number of 201 characters", Change{Decision: Decision{Number: strings.Repeat("1", 201)}}},
			{"a control character", Change{Standards: Standards{Training: "đã qua\x00đào tạo"}}},
			{"born returned", Change{Check: CheckReturned}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ch := tt.ch
				ch.Ref, ch.Status, ch.Holder, ch.Actor, ch.At = PostRef{"04849", Chief, 1}, Regular, "Bùi Văn An", "user:1", at(1)
				if _, err := db.ApplyChange(ctx, ch); err == nil {
					t.Error("accepted")
				}
			})
		}
	})
}

// TestCountVerified: a post reported regular and waiting for its check
// counts while the plan counts reported changes, not once it counts
// verified changes (nor, then, in a view of the past or a question), and
// does once the district confirms it; the progress says how many wait
// either way.
func TestCountVerified(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		daBac := Scope{Role: RoleDistrict, Code: "150"}
		rep, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04855", Chief, 1}, Status: Regular, Holder: "Lò Văn Tâm",
			Actor: "user:1005", At: at(20), Check: CheckReported})
		if err != nil {
			t.Fatal(err)
		}
		reported := Milestone{ID: "m", Kind: KindPosts, Posts: []PostKind{Chief}, Target: Regular}
		verified := reported
		verified.CountVerified = true
		counts := func(on bool) {
			t.Helper()
			p := SeedPlan(db.Location())
			p.CountVerified = on
			if err := db.SavePlan(ctx, p, "test", at(21)); err != nil {
				t.Fatal(err)
			}
		}
		// Whether commune 04855 is listed among those without a regular chief,
		// as the grammar asks it.
		lacks := func(view *DB) bool {
			t.Helper()
			res, err := view.Ask(ctx, Question{Measure: MeasureList, Kinds: []PostKind{Chief}, Statuses: []Status{Regular},
				Match: MatchNone, Places: []Scope{daBac}})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res[0].Rows {
				if r.CommuneCode == "04855" && r.Hit {
					return true
				}
			}
			return false
		}
		done := func(m Milestone) (bool, Progress) {
			t.Helper()
			r, err := db.Roster(ctx, daBac, m)
			if err != nil {
				t.Fatal(err)
			}
			p := Evaluate(m, r)
			for _, d := range p.Districts {
				for _, c := range d.Behind {
					if c.Commune.Code == "04855" {
						return false, p
					}
				}
			}
			return true, p
		}
		okR, pR := done(reported)
		if !okR || pR.Unverified != 1 || lacks(db) {
			t.Errorf("counting reported: done %v, unverified %d, listed without a regular chief %v; want done, 1 waiting",
				okR, pR.Unverified, lacks(db))
		}
		counts(true)
		okV, pV := done(verified)
		if okV || pV.Unverified != 1 || pV.AtTarget != pR.AtTarget-1 || !lacks(db) || !lacks(db.AsOf(at(25))) {
			t.Errorf("counting verified: done %v, at target %d of reported %d, unverified %d, listed %v, then %v",
				okV, pV.AtTarget, pR.AtTarget, pV.Unverified, lacks(db), lacks(db.AsOf(at(25))))
		}
		if _, err := db.CheckReport(ctx, Verdict{ReportID: rep.ID, Scope: daBac, Verify: true, Actor: "user:1002", At: at(30)}); err != nil {
			t.Fatal(err)
		}
		if ok, p := done(verified); !ok || p.Unverified != 0 || lacks(db) {
			t.Errorf("after the check, counting verified: done %v, unverified %d, listed %v", ok, p.Unverified, lacks(db))
		}
		// A view of a moment before the check counts as the check stood then.
		if !lacks(db.AsOf(at(25))) || lacks(db.AsOf(at(31))) {
			t.Errorf("before the check listed %v (want true), after %v (want false)", lacks(db.AsOf(at(25))), lacks(db.AsOf(at(31))))
		}
		// A later report of the post (a corrected start day) waits again;
		// an import of the post after it is the province's own word.
		since := time.Date(2020, 3, 5, 0, 0, 0, 0, time.UTC)
		rep2, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04855", Chief, 1}, Status: Regular, Holder: "Lò Văn Tâm", Since: &since,
			Actor: "user:1005", At: at(40), Check: CheckReported})
		if err != nil {
			t.Fatal(err)
		}
		if _, p := done(verified); p.Unverified != 1 {
			t.Errorf("a new report waiting: unverified %d", p.Unverified)
		}
		if _, err := importPostsCSV(t, db, "posts.csv", "commune_code,post,slot,status,holder,since\n04855,chief,1,regular,Lò Văn Tâm,2020-03-01\n", at(50)); err != nil {
			t.Fatal(err)
		}
		if _, p := done(verified); p.Unverified != 0 {
			t.Errorf("after an import of the post (report %d superseded): unverified %d", rep2.ID, p.Unverified)
		}
		if w, err := db.WaitingReports(ctx, daBac, CheckReported); err != nil || len(w) != 0 {
			t.Errorf("a superseded report still waits: %+v, %v", w, err)
		}
		// The district reports the post vacant (its own check); the commune
		// reports a regular chief, then again with the day corrected: the
		// post counts vacant until the district checks, the first report
		// vouching for nothing once superseded.
		for i, ch := range []Change{
			{Status: Vacant, Actor: "user:1002", At: at(60), Check: CheckVerified},
			{Status: Regular, Holder: "Đinh Văn Hùng", Actor: "user:1005", At: at(70), Check: CheckReported},
			{Status: Regular, Holder: "Đinh Văn Hùng", Since: &since, Actor: "user:1005", At: at(80), Check: CheckReported},
		} {
			ch.Ref = PostRef{"04855", Chief, 1}
			if _, err := db.ApplyChange(ctx, ch); err != nil {
				t.Fatalf("change %d: %v", i, err)
			}
		}
		if ok, _ := done(verified); ok || !lacks(db) {
			t.Errorf("two waiting reports after a vacancy: done %v, listed without a regular chief %v; want not done, listed", ok, lacks(db))
		}
	})
}

func TestPlanCounts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := SeedPlan(db.Location())
		p.CountVerified = true
		if err := db.SavePlan(ctx, p, "test", at(1)); err != nil {
			t.Fatal(err)
		}
		plans, err := db.Plans(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !plans[0].CountVerified || !plans[0].Milestones[0].CountVerified {
			t.Errorf("plan read back counts verified %v, its first milestone %v", plans[0].CountVerified, plans[0].Milestones[0].CountVerified)
		}
		m, err := db.Milestone(ctx, plans[0].Milestones[0].ID)
		if err != nil || !m.CountVerified {
			t.Errorf("Milestone: %v, %v", m.CountVerified, err)
		}
	})
}

func TestParsePlanCounts(t *testing.T) {
	minimal, err := os.ReadFile("testdata/plans/good_minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line     string
		verified bool
		problem  Problem
	}{
		{"", false, ""},
		{"counts: reported\n", false, ""},
		{"counts: verified\n", true, ""},
		{"counts: đã xác nhận\n", false, ProblemBadCounts},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			p, err := ParsePlan(strings.NewReader(tt.line+string(minimal)), time.UTC)
			var pe PlanErrors
			switch {
			case tt.problem == "" && err != nil:
				t.Fatal(err)
			case tt.problem != "" && (!errors.As(err, &pe) || pe[0].Problem != tt.problem):
				t.Fatalf("error %v, want %s", err, tt.problem)
			case tt.problem == "" && p.CountVerified != tt.verified:
				t.Errorf("CountVerified = %v", p.CountVerified)
			}
		})
	}
}

// TestCountingLearntFromPlans: how the plans count is read with the plans
// (a replica reading them after another loaded a plan learns it) and
// set by SavePlan; until then a store counts as it last read.
func TestCountingLearntFromPlans(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04855", Chief, 1}, Status: Regular, Holder: "Lò Văn Tâm",
			Actor: "user:1005", At: at(20), Check: CheckReported}); err != nil {
			t.Fatal(err)
		}
		if err := db.SavePlan(ctx, SeedPlan(db.Location()), "test", at(21)); err != nil {
			t.Fatal(err)
		}
		regular := func() int {
			t.Helper()
			sc, err := db.CountStatuses(ctx, Scope{Role: RoleCommune, Code: "04855"})
			if err != nil {
				t.Fatal(err)
			}
			return sc["04855"][kindIndex(Chief)][statusIndex(Regular)]
		}
		if n := regular(); n != 1 {
			t.Fatalf("counted reported: %d regular chiefs, want 1", n)
		}
		// Another replica loads a plan that counts verified changes.
		if _, err := db.db.ExecContext(ctx, "UPDATE plans SET counts = 'verified'"); err != nil {
			t.Fatal(err)
		}
		if n := regular(); n != 1 {
			t.Errorf("before the plans are read again: %d regular chiefs, want 1 (as last read)", n)
		}
		if _, err := db.Plans(ctx); err != nil {
			t.Fatal(err)
		}
		if n := regular(); n != 0 {
			t.Errorf("after the plans are read: %d regular chiefs, want 0 (the report waits for its check)", n)
		}
	})
}

// TestApplyChangeAndTell: the messages a report's teller makes are
// written with the report, from the report as CheckedReport reads it; a
// teller that fails leaves neither the report nor any message.
func TestApplyChangeAndTell(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		outbox := func() []string {
			t.Helper()
			var keys []string
			if err := db.db.SelectContext(ctx, &keys, "SELECT key FROM outbox ORDER BY key"); err != nil {
				t.Fatal(err)
			}
			return keys
		}
		ch := Change{Ref: PostRef{"04849", Deputy, 1}, Status: Semi, Holder: "Hà Văn Dũng", Actor: "user:1003", At: at(20), Check: CheckReported}

		failed := errors.New("no checker to ask")
		if _, err := db.ApplyChangeAndTell(ctx, ch, func(context.Context, Checked) ([]OutboxItem, error) { return nil, failed }); !errors.Is(err, failed) {
			t.Fatalf("a failing teller: %v, want its error", err)
		}
		if waiting, err := db.WaitingReports(ctx, Scope{Role: RoleDistrict, Code: "150"}, CheckReported); err != nil || len(waiting) != 0 {
			t.Errorf("after a failing teller, Đà Bắc's list = %+v, %v, want nothing", waiting, err)
		}
		if keys := outbox(); len(keys) != 0 {
			t.Errorf("after a failing teller, outbox = %v, want nothing", keys)
		}

		var told Checked
		rep, err := db.ApplyChangeAndTell(ctx, ch, func(_ context.Context, c Checked) ([]OutboxItem, error) {
			told = c
			return []OutboxItem{{Key: "check:" + c.Report.NewHolder, ChatID: 1002, Kind: "checks", Payload: "{}", DueAt: c.Details.WaitingSince}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if told.Report.ID != rep.ID || told.Details.Check != CheckReported || !told.Details.WaitingSince.Equal(at(20)) {
			t.Errorf("the teller was given %+v, want report %d waiting since %v", told, rep.ID, at(20))
		}
		if keys := outbox(); len(keys) != 1 || keys[0] != "check:Hà Văn Dũng" {
			t.Errorf("outbox = %v, want the teller's one message", keys)
		}

		// Several changes at once (the Mini App's form): a teller failing
		// on the second leaves neither report nor message of the first.
		chs := []Change{
			{Ref: PostRef{"04849", Officer, 1}, Status: Semi, Holder: "Lò Văn Một", Actor: "user:1003", At: at(30), Check: CheckReported},
			{Ref: PostRef{"04849", Chief, 1}, Status: Semi, Holder: "Lò Văn Hai", Actor: "user:1003", At: at(30), Check: CheckReported},
		}
		byHolder := func(fail string) Teller {
			return func(_ context.Context, c Checked) ([]OutboxItem, error) {
				if c.Report.NewHolder == fail {
					return nil, failed
				}
				return []OutboxItem{{Key: "check:" + c.Report.NewHolder, ChatID: 1002, Kind: "checks", Payload: "{}", DueAt: c.Details.WaitingSince}}, nil
			}
		}
		if _, err := db.ApplyChangesAndTell(ctx, chs, byHolder("Lò Văn Hai")); !errors.Is(err, failed) {
			t.Fatalf("a teller failing on the second report: %v, want its error", err)
		}
		if keys := outbox(); len(keys) != 1 {
			t.Errorf("after a failing teller, outbox = %v, want the first test's message only", keys)
		}
		if h, err := db.History(ctx, "04849", 1); err != nil || len(h) != 1 || h[0].NewHolder != "Hà Văn Dũng" {
			t.Errorf("after a failing teller, the latest report is %+v, %v, want Hà Văn Dũng's", h, err)
		}
		reps, err := db.ApplyChangesAndTell(ctx, chs, byHolder(""))
		if err != nil || len(reps) != 2 {
			t.Fatalf("ApplyChangesAndTell = %+v, %v", reps, err)
		}
		if keys := outbox(); len(keys) != 3 {
			t.Errorf("outbox = %v, want a message for each report besides the first test's", keys)
		}
	})
}
