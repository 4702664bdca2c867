package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

const candidateHeader = "id,name,rank,service_since,home_commune_code,posts,available_from,notes\n"

func parseCandidates(t *testing.T, text string) []CandidateRow {
	t.Helper()
	rows, err := ParseCandidates(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParseCandidates(t *testing.T) {
	rows := parseCandidates(t, candidateHeader+
		"HV-2020-001,Bùi Văn Hùng,Thiếu úy,01/08/2020,4849,,15/08/2020,tiếng Mường\n"+ // a dropped leading zero
		"CA-150-07,Đinh Công Tráng,dai uy,2012-09-01,04855,\"Trưởng, Phó\",2020-04-01,\n"+ // without diacritics
		"CA-150-08,  Hà  Thị Lan ,Thượng uý,2014-09-01,04855,officer; cav,01-04-2020,tiếng Thái\n") // the other tone placement
	since := date("2012-09-01")
	want := Candidate{ID: "CA-150-07", Name: "Đinh Công Tráng", Rank: "dai_uy", ServiceSince: &since, HomeCommune: "04855",
		Posts: []PostKind{Chief, Deputy}, AvailableFrom: date("2020-04-01"), Status: CandidateAvailable}
	got := rows[1].Candidate
	if got.ID != want.ID || got.Name != want.Name || got.Rank != want.Rank || !got.ServiceSince.Equal(*want.ServiceSince) ||
		got.HomeCommune != want.HomeCommune || !slices.Equal(got.Posts, want.Posts) || !got.AvailableFrom.Equal(want.AvailableFrom) {
		t.Errorf("row 3: %+v, want %+v", got, want)
	}
	if c := rows[0].Candidate; c.HomeCommune != "04849" || c.Rank != "thieu_uy" || c.Posts != nil || c.Notes != "tiếng Mường" {
		t.Errorf("row 2: %+v", c)
	}
	if c := rows[2].Candidate; c.Name != "Hà Thị Lan" || c.Rank != "thuong_uy" || !slices.Equal(c.Posts, []PostKind{Officer}) {
		t.Errorf("row 4: %+v", c)
	}

	_, err := ParseCandidates(strings.NewReader(candidateHeader +
		",Bùi Văn Hùng,Thiếu úy,,04849,,15/08/2020,\n" +
		"A1,Bùi Văn Hùng,Đại tướng quân,,04849,,15/08/2020,\n" +
		"A2,/huy,Thiếu úy,,04849,trưởng thôn,15/08/2020,\n" +
		"A3,Lò Văn Tâm,Thiếu úy,31/02/2020,048x9,,,\n" +
		"A3,Lò Văn Tâm,Thiếu úy,,04849,,2020-08-15,\n"))
	wantErrs := ImportErrors{
		{Line: 2, Column: "id", Problem: ProblemEmptyValue},
		{Line: 3, Column: "rank", Problem: ProblemUnknownRank, Value: "Đại tướng quân"},
		{Line: 4, Column: "name", Problem: ProblemHolderCommand, Value: "/huy"},
		{Line: 4, Column: "posts", Problem: ProblemUnknownKind, Value: "trưởng thôn"},
		{Line: 5, Column: "service_since", Problem: ProblemNoSuchDay, Value: "31/02/2020"},
		{Line: 5, Column: "home_commune_code", Problem: ProblemBadCode, Value: "048x9"},
		{Line: 5, Column: "available_from", Problem: ProblemEmptyValue},
		{Line: 6, Column: "id", Problem: ProblemDuplicateCandidate, Value: "A3", FirstLine: 5},
	}
	if got := importErrorsOf(t, err); !slices.Equal(got, wantErrs) {
		t.Errorf("errors\n%+v\nwant\n%+v", got, wantErrs)
	}
}

func TestEligibility(t *testing.T) {
	rule := SeedPlan(time.UTC).Eligibility
	since := func(s string) *time.Time { d := date(s); return &d }
	day := date("2020-04-15")
	tests := []struct {
		name string
		c    Candidate
		want []PostKind
	}{
		{"a new graduate", Candidate{Rank: "thieu_uy", ServiceSince: since("2019-08-01")}, []PostKind{Officer}},
		{"a captain of twelve years", Candidate{Rank: "dai_uy", ServiceSince: since("2008-01-01")}, []PostKind{Chief, Deputy, Officer}},
		{"a captain one day short of five years", Candidate{Rank: "dai_uy", ServiceSince: since("2015-04-16")}, []PostKind{Deputy, Officer}},
		{"five years to the day", Candidate{Rank: "thuong_uy", ServiceSince: since("2015-04-15")}, []PostKind{Chief, Deputy, Officer}},
		{"seniority unknown", Candidate{Rank: "thieu_ta"}, []PostKind{Officer}},
		{"listed for officer only", Candidate{Rank: "dai_uy", ServiceSince: since("2008-01-01"), Posts: []PostKind{Officer}}, []PostKind{Officer}},
		{"a sergeant listed for chief", Candidate{Rank: "trung_si", ServiceSince: since("2000-01-01"), Posts: []PostKind{Chief}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rule.Kinds(tt.c, day); !slices.Equal(got, tt.want) {
				t.Errorf("kinds %v, want %v", got, tt.want)
			}
		})
	}
	// Without a rule, the register's list decides.
	if got := Eligibility(nil).Kinds(Candidate{Rank: "trung_si", Posts: []PostKind{Chief}}, day); !slices.Equal(got, []PostKind{Chief}) {
		t.Errorf("no rule: %v", got)
	}
}

func TestParsePlanEligibility(t *testing.T) {
	plan := func(section string) string {
		return `id: p
title: {vi: "Kế hoạch"}
milestones:
  - {id: m, title: {vi: "Mốc"}, kind: posts, posts: [chief], start: 2020-01-01, deadline: 2020-03-31}
` + section
	}
	p, err := ParsePlan(strings.NewReader(plan("eligibility:\n  chief: {min_rank: Đại uý, min_years: 5}\n")), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Eligibility[Chief]; got != (PostRule{MinRank: "dai_uy", MinYears: 5}) {
		t.Errorf("rule %+v", got)
	}
	_, err = ParsePlan(strings.NewReader(plan("eligibility:\n  truong: {min_rank: dai uy}\n  deputy: {min_rank: đại tá quân, min_years: 70}\n")), time.UTC)
	var pe PlanErrors
	if !asPlanErrors(err, &pe) {
		t.Fatalf("error %v", err)
	}
	want := []Problem{ProblemUnknownRank, ProblemBadYears, ProblemUnknownKind}
	var got []Problem
	for _, e := range pe {
		got = append(got, e.Problem)
		if e.Line == 0 {
			t.Errorf("problem %v has no line", e)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("problems %v, want %v (%v)", got, want, pe)
	}
}

func asPlanErrors(err error, pe *PlanErrors) bool {
	e, ok := err.(PlanErrors)
	*pe = e
	return ok
}

func TestImportCandidatesAndAccept(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if err := db.SavePlan(ctx, SeedPlan(db.Location()), "test", at(0)); err != nil {
			t.Fatal(err)
		}
		plans, err := db.Plans(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if plans[0].Eligibility[Chief].MinRank != "thuong_uy" {
			t.Fatalf("stored rule %+v", plans[0].Eligibility)
		}
		file := candidateHeader +
			"HV-001,Bùi Văn Hùng,Thiếu úy,2019-08-01,04849,,2020-04-01,tiếng Mường\n" +
			"CA-007,Đinh Công Tráng,Đại úy,2010-09-01,04855,,2020-04-01,\n"
		res, err := db.ImportCandidates(ctx, parseCandidates(t, file), "nguon-2020.csv", at(1))
		if err != nil {
			t.Fatal(err)
		}
		if res.Added != 2 {
			t.Fatalf("result %+v", res)
		}
		// The same file again changes nothing; a changed rank is one change.
		if res, err = db.ImportCandidates(ctx, parseCandidates(t, file), "nguon-2020.csv", at(2)); err != nil || res.Unchanged != 2 {
			t.Fatalf("again: %+v, %v", res, err)
		}
		file2 := strings.Replace(file, "Thiếu úy", "Trung úy", 1)
		if res, err = db.ImportCandidates(ctx, parseCandidates(t, file2), "nguon-2020b.csv", at(3)); err != nil || res.Changed != 1 {
			t.Fatalf("changed: %+v, %v", res, err)
		}
		// An unknown home commune fails the whole file.
		_, err = db.ImportCandidates(ctx, parseCandidates(t, candidateHeader+"X-1,Lò Văn Tâm,Thiếu úy,,99999,,2020-04-01,\n"), "x.csv", at(4))
		if got := importErrorsOf(t, err); len(got) != 1 || got[0].Problem != ProblemUnknownCommune || got[0].Line != 2 {
			t.Fatalf("unknown commune: %v", got)
		}

		chief := PostRef{CommuneCode: "04855", Kind: Chief, Slot: 1}
		if _, err := db.ApplyChange(ctx, Change{Ref: chief, Status: Semi, Holder: "Xa Văn Bình", Actor: "test", At: at(5)}); err != nil {
			t.Fatal(err)
		}
		before, err := db.Progress(ctx, "chief-q1-2020", Scope{Role: RoleCommune, Code: "04855"})
		if err != nil {
			t.Fatal(err)
		}
		posting := Posting{Line: 2, CandidateID: "CA-007", Ref: chief, Expect: Post{Status: Semi, Holder: "Xa Văn Bình"}, Day: date("2020-04-15")}
		// A post changed since the proposal is refused, and nothing is written.
		stale := posting
		stale.Expect.Holder = "Người khác"
		_, err = db.AcceptPostings(ctx, []Posting{stale}, "user:1001", "de-xuat.xlsx", at(6))
		if got := importErrorsOf(t, err); len(got) != 1 || got[0].Problem != ProblemPostChanged {
			t.Fatalf("stale: %v", got)
		}
		reports, err := db.AcceptPostings(ctx, []Posting{posting}, "user:1001", "de-xuat.xlsx", at(7))
		if err != nil {
			t.Fatal(err)
		}
		if len(reports) != 1 || reports[0].NewHolder != "Đinh Công Tráng" || reports[0].OldHolder != "Xa Văn Bình" || reports[0].NewStatus != Regular {
			t.Fatalf("reports %+v", reports)
		}
		after, err := db.Progress(ctx, "chief-q1-2020", Scope{Role: RoleCommune, Code: "04855"})
		if err != nil {
			t.Fatal(err)
		}
		if before.Done != 0 || after.Done != 1 {
			t.Errorf("progress %d → %d, want 0 → 1", before.Done, after.Done)
		}
		history, err := db.History(ctx, "04855", 1)
		if err != nil || len(history) != 1 || history[0].Actor != "user:1001" || history[0].Source != "de-xuat.xlsx:2" {
			t.Fatalf("history %+v, %v", history, err)
		}
		// The person is posted: a second acceptance is refused.
		_, err = db.AcceptPostings(ctx, []Posting{{Line: 3, CandidateID: "CA-007", Ref: PostRef{"04849", Chief, 1}, Day: date("2020-04-15")}}, "cli", "b.xlsx", at(8))
		if got := importErrorsOf(t, err); len(got) != 1 || got[0].Problem != ProblemCandidateNotAvailable {
			t.Fatalf("posted twice: %v", got)
		}
		people, err := db.Candidates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var tráng Candidate
		for _, c := range people {
			if c.ID == "CA-007" {
				tráng = c
			}
		}
		if tráng.Status != CandidatePosted || tráng.Posted == nil || *tráng.Posted != chief {
			t.Errorf("register %+v", tráng)
		}
		// A file without a status column leaves the posted person posted.
		if _, err := db.ImportCandidates(ctx, parseCandidates(t, file2), "nguon-2020c.csv", at(9)); err != nil {
			t.Fatal(err)
		}
		events, err := db.CandidateHistory(ctx, "CA-007")
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if !slices.Equal(actions, []string{"added", "posted"}) {
			t.Errorf("history %v", actions)
		}
		events, _ = db.CandidateHistory(ctx, "HV-001")
		if len(events) != 2 || events[1].Detail != "rank: thieu_uy → trung_uy" {
			t.Errorf("history of HV-001 %+v", events)
		}
	})
}
