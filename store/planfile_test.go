package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"
	"unicode/utf8"
)

func hcm(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func parsePlanFile(t *testing.T, name string) (Plan, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata/plans", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ParsePlan(f, hcm(t))
}

func TestParsePlanGood(t *testing.T) {
	loc := hcm(t)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	defaults := Reminders{BeforeDays: []int{30, 7, 1}, OnDay: true, AfterEvery: 7, EscalateAfter: 14}
	yearly := func(seq, year int) Milestone {
		return Milestone{
			ID: fmt.Sprintf("yearly-%d", year), PlanID: "lac-son-2021", Seq: seq, TitleVI: fmt.Sprintf("Báo cáo năm %d", year),
			Kind: KindDistrictReport, Communes: Selector{Districts: []string{"157"}},
			Start: day(year, time.November, 1), Deadline: day(year+1, time.January, 15),
			Remind: Reminders{OnDay: true, AfterEvery: 7, EscalateAfter: 14},
		}
	}
	tests := []struct {
		file string
		want Plan
	}{
		{
			file: "good_minimal.yaml",
			want: Plan{ID: "test-min", TitleVI: "Kế hoạch thử", Milestones: []Milestone{{
				ID: "chiefs", PlanID: "test-min", Seq: 1, TitleVI: "Trưởng Công an xã chính quy",
				Kind: KindPosts, Posts: []PostKind{Chief}, Target: Regular,
				Start: day(2020, time.January, 1), Deadline: day(2020, time.March, 31),
			}}},
		},
		{
			file: "good_full.yaml",
			want: Plan{ID: "lac-son-2021", TitleVI: "Kế hoạch huyện Lạc Sơn", TitleEN: "Lạc Sơn district plan", Milestones: []Milestone{
				{
					ID: "deputies-lac-son", PlanID: "lac-son-2021", Seq: 1, TitleVI: "Phó Trưởng Công an xã", TitleEN: "Deputies",
					Kind: KindPosts,
					Communes: Selector{
						Types: []CommuneType{Xa, ThiTran}, Districts: []string{"157"},
						Codes: []string{"05089", "05092"}, ExceptGroup: "pilot-2019",
					},
					Posts: []PostKind{Deputy, Officer}, Target: Semi,
					Start: day(2021, time.February, 1), Deadline: day(2021, time.June, 30),
					Remind: Reminders{BeforeDays: defaults.BeforeDays, OnDay: false, AfterEvery: 0, EscalateAfter: 14},
				},
				yearly(2, 2021), yearly(3, 2022), yearly(4, 2023),
			}},
		},
		{
			file: "good_roadmap.yaml",
			want: Plan{ID: "lac-son-roadmap", TitleVI: "Lộ trình huyện Lạc Sơn", Milestones: []Milestone{
				{
					ID: "deputies", PlanID: "lac-son-roadmap", Seq: 1, TitleVI: "Phó Trưởng Công an xã chính quy",
					Kind: KindPosts, Posts: []PostKind{Deputy}, Target: Regular,
					Start: day(2020, time.April, 1), Deadline: day(2022, time.December, 31),
					Goal:  Goal{Share: 80},
					Steps: []Step{{day(2020, time.December, 31), Goal{Share: 20}}, {day(2021, time.December, 31), Goal{Share: 50}}},
				},
				{
					ID: "officers", PlanID: "lac-son-roadmap", Seq: 2, TitleVI: "Công an viên chính quy",
					Kind: KindPosts, Posts: []PostKind{Officer}, Target: Regular,
					Start: day(2020, time.April, 1), Deadline: day(2022, time.December, 31),
					Steps: []Step{{day(2021, time.June, 30), Goal{Count: 1}}, {day(2021, time.December, 31), Goal{Count: 3}}},
				},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parsePlanFile(t, tt.file)
			if err != nil {
				t.Fatalf("ParsePlan: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("plan\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParsePlanProblems(t *testing.T) {
	tests := []struct {
		file string
		want PlanErrors
	}{
		{"bad_empty.yaml", PlanErrors{{Problem: ProblemEmptyFile}}},
		{"bad_yaml.yaml", PlanErrors{{Line: 1, Problem: ProblemBadYAML, Value: "did not find expected ',' or '}'"}}},
		{"bad_two_documents.yaml", PlanErrors{{Line: 1, Problem: ProblemExtraDocument}}},
		{"bad_not_a_mapping.yaml", PlanErrors{{Line: 1, Problem: ProblemWrongType, Value: "just a sentence"}}},
		{"bad_unknown_field.yaml", PlanErrors{
			{Line: 5, Milestone: "chiefs", Field: "titel", Problem: ProblemUnknownField, Value: "titel"},
			{Line: 10, Milestone: "chiefs", Field: "reminders.before_day", Problem: ProblemUnknownField, Value: "before_day"},
		}},
		{"bad_types.yaml", PlanErrors{
			{Line: 4, Field: "defaults.reminders.before_days", Problem: ProblemWrongType, Value: "tuần"},
			{Line: 4, Field: "defaults.reminders.on_day", Problem: ProblemWrongType, Value: "có"},
			{Line: 9, Milestone: "chiefs", Field: "posts", Problem: ProblemWrongType, Value: "chief"},
			{Line: 14, Milestone: "deputies", Field: "title", Problem: ProblemDuplicateKey, Value: "title"},
		}},
		{"bad_no_milestones.yaml", PlanErrors{
			{Line: 1, Field: "id", Problem: ProblemEmptyValue},
			{Line: 1, Field: "title.vi", Problem: ProblemEmptyValue},
			{Line: 1, Field: "milestones", Problem: ProblemEmptyValue},
		}},
		{"bad_fields.yaml", PlanErrors{
			{Line: 1, Field: "id", Problem: ProblemBadID, Value: "Test_Plan"},
			{Line: 2, Field: "title.vi", Problem: ProblemEmptyValue},
			{Line: 4, Field: "defaults.reminders.before_days", Problem: ProblemBadReminder, Value: "0"},
			{Line: 4, Field: "defaults.reminders.before_days", Problem: ProblemBadReminder, Value: "30"},
			{Line: 4, Field: "defaults.reminders.after_every", Problem: ProblemBadReminder, Value: "-7"},
			{Line: 8, Milestone: "chiefs", Field: "kind", Problem: ProblemUnknownMilestoneKind, Value: "post"},
			{Line: 14, Milestone: "deputies", Field: "communes.types", Problem: ProblemUnknownType, Value: "huyện"},
			{Line: 14, Milestone: "deputies", Field: "communes.districts", Problem: ProblemBadCode, Value: "15"},
			{Line: 14, Milestone: "deputies", Field: "communes.codes", Problem: ProblemBadCode, Value: "4789"},
			{Line: 14, Milestone: "deputies", Field: "communes.group", Problem: ProblemBadID, Value: "Thí điểm"},
			{Line: 15, Milestone: "deputies", Field: "posts", Problem: ProblemUnknownKind, Value: "trưởng"},
			{Line: 16, Milestone: "deputies", Field: "target", Problem: ProblemUnknownStatus, Value: "chinh quy"},
			{Line: 17, Milestone: "deputies", Field: "start", Problem: ProblemStartAfterDeadline, Value: "2020-04-01"},
			{Line: 19, Milestone: "deputies", Field: "reminders.before_days", Problem: ProblemBadReminder, Value: "5000"},
			{Line: 19, Milestone: "deputies", Field: "reminders.escalate_after", Problem: ProblemBadReminder, Value: "-1"},
			{Line: 23, Milestone: "reports", Field: "posts", Problem: ProblemNotApplicable},
			{Line: 24, Milestone: "reports", Field: "target", Problem: ProblemNotApplicable, Value: "regular"},
			{Line: 25, Milestone: "reports", Field: "start", Problem: ProblemNoSuchDay, Value: "2020-02-30"},
			{Line: 26, Milestone: "reports", Field: "deadline", Problem: ProblemNoSuchDay, Value: "31/13/2020"},
			{Line: 27, Field: "id", Problem: ProblemEmptyValue},
			{Line: 27, Field: "deadline", Problem: ProblemEmptyValue},
			// the second "chiefs": reported although the first has problems
			{Line: 31, Milestone: "chiefs", Field: "id", Problem: ProblemDuplicateID, Value: "chiefs"},
		}},
		{"bad_repeat.yaml", PlanErrors{
			{Line: 9, Milestone: "monthly", Field: "repeat.every", Problem: ProblemBadRepeat, Value: "month"},
			{Line: 15, Milestone: "backwards", Field: "repeat.until", Problem: ProblemBadRepeat, Value: "2019"},
			{Line: 21, Milestone: "forever", Field: "repeat.until", Problem: ProblemBadRepeat, Value: "2100"},
			{Line: 25, Milestone: "leap", Field: "start", Problem: ProblemBadRepeat, Value: "2020-02-29"},
			{Line: 34, Milestone: "graduates-2021", Field: "id", Problem: ProblemDuplicateID, Value: "graduates-2021"},
			{Line: 39, Milestone: "a-very-long-milestone-id-of-30b", Field: "id", Problem: ProblemBadID, Value: "a-very-long-milestone-id-of-30b"},
			{Line: 46, Milestone: "no-year", Field: "title.vi", Problem: ProblemRepeatTitle, Value: "Báo cáo hằng năm"},
			{Line: 46, Milestone: "no-year", Field: "title.en", Problem: ProblemRepeatTitle, Value: "Yearly report"},
		}},
		{"bad_roadmap.yaml", PlanErrors{
			{Line: 10, Milestone: "goals", Field: "goal", Problem: ProblemBadGoal, Value: "120"},
			{Line: 17, Milestone: "both", Field: "goal", Problem: ProblemBadGoal},
			{Line: 26, Milestone: "steps", Field: "steps", Problem: ProblemBadStep, Value: "2020-03-31"},
			{Line: 28, Milestone: "steps", Field: "steps", Problem: ProblemBadStep, Value: "2020-12-31"},
			{Line: 29, Milestone: "steps", Field: "steps", Problem: ProblemBadStep, Value: "share 20"},
			{Line: 30, Milestone: "steps", Field: "steps", Problem: ProblemBadStep, Value: "count 2"},
			{Line: 31, Milestone: "steps", Field: "steps", Problem: ProblemBadStep, Value: "share 70"},
			{Line: 32, Milestone: "steps", Field: "steps", Problem: ProblemBadStep, Value: "2023-01-31"},
			{Line: 33, Milestone: "steps", Field: "steps", Problem: ProblemNoSuchDay, Value: "31/13/2021"},
			{Line: 39, Milestone: "report", Field: "goal", Problem: ProblemNotApplicable},
			{Line: 47, Milestone: "yearly", Field: "steps", Problem: ProblemBadStep, Value: "repeat"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parsePlanFile(t, tt.file)
			if got.ID != "" || got.Milestones != nil {
				t.Errorf("got a plan along with the error: %+v", got)
			}
			var pe PlanErrors
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not PlanErrors", err, err)
			}
			if !slices.Equal(pe, tt.want) {
				t.Errorf("errors\n%s\nwant\n%s", listPlanErrors(pe), listPlanErrors(tt.want))
			}
		})
	}
}

func listPlanErrors(errs PlanErrors) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "  %#v\n", e)
	}
	return b.String()
}

func TestParsePlanLimitsAndMisuse(t *testing.T) {
	loc := hcm(t)
	t.Run("too large", func(t *testing.T) {
		r := io.MultiReader(strings.NewReader("id: x\n#"), io.LimitReader(repeatReader('a'), MaxPlanBytes))
		_, err := ParsePlan(r, loc)
		var pe PlanErrors
		if !errors.As(err, &pe) || len(pe) != 1 || pe[0].Problem != ProblemTooLarge {
			t.Errorf("error %v, want too_large", err)
		}
	})
	t.Run("too many errors", func(t *testing.T) {
		for name, list := range map[string]string{
			"found by the decoder": strings.Repeat("x, ", 3*MaxPlanErrors),
			"found by the checks":  strings.Repeat("0, ", 3*MaxPlanErrors),
		} {
			input := "id: x\ntitle: {vi: x}\ndefaults: {reminders: {before_days: [" + list + "]}}\n"
			_, err := ParsePlan(strings.NewReader(input), loc)
			var pe PlanErrors
			if !errors.As(err, &pe) {
				t.Fatalf("%s: error %v", name, err)
			}
			if len(pe) != MaxPlanErrors+1 || pe[0].Problem != ProblemTooManyErrors {
				t.Errorf("%s: %d errors, the first %+v; want %d, the first too_many_errors", name, len(pe), pe[0], MaxPlanErrors+1)
			}
		}
	})
	t.Run("read failure", func(t *testing.T) {
		_, err := ParsePlan(failingReader{}, loc)
		if !errors.Is(err, errDisk) {
			t.Errorf("error %v does not wrap the reader's", err)
		}
	})
	t.Run("no location", func(t *testing.T) {
		if _, err := ParsePlan(bytes.NewReader(seedPlanYAML), nil); err == nil {
			t.Error("no error without a location")
		}
	})
}

func TestPlanErrorText(t *testing.T) {
	errs := PlanErrors{
		{Problem: ProblemEmptyFile},
		{Line: 4, Field: "defaults.reminders.after_every", Problem: ProblemBadReminder, Value: "-7"},
		{Line: 17, Milestone: "chief-q1-2020", Field: "deadline", Problem: ProblemBadDate, Value: "2020-13-01"},
	}
	want := `store: plan: empty_file; ` +
		`store: plan line 4, field defaults.reminders.after_every: bad_reminder "-7"; ` +
		`store: plan line 17, milestone chief-q1-2020, field deadline: bad_date "2020-13-01"`
	if got := errs.Error(); got != want {
		t.Errorf("text\n%s\nwant\n%s", got, want)
	}
}

func TestSeedPlan(t *testing.T) {
	loc := hcm(t)
	p := SeedPlan(loc)
	if p.ID != "hoabinh-2020" || p.TitleVI == "" || p.TitleEN == "" {
		t.Errorf("plan %q %q %q", p.ID, p.TitleVI, p.TitleEN)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	type want struct {
		kind            MilestoneKind
		reporters       Reporters
		communes        Selector
		posts           []PostKind
		start, deadline time.Time
		beforeDays      []int
		afterEvery      int
		steps           []Step
	}
	defaultBefore := []int{30, 14, 7, 3, 1}
	wants := map[string]want{
		"keep-2019":      {KindPosts, "", Selector{Group: SeedPilotGroup}, []PostKind{Chief}, day(2020, 1, 1), day(2020, 1, 1), nil, 7, nil},
		"district-plans": {KindDistrictReport, "", Selector{}, nil, day(2020, 1, 1), day(2020, 1, 31), defaultBefore, 7, nil},
		"unit-plans":     {KindDistrictReport, ReportersUnits, Selector{}, nil, day(2020, 1, 1), day(2020, 1, 31), defaultBefore, 7, nil},
		"chief-q1-2020":  {KindPosts, "", Selector{ExceptGroup: SeedPilotGroup}, []PostKind{Chief}, day(2020, 1, 1), day(2020, 3, 31), defaultBefore, 7, nil},
		"deputies-2024": {KindPosts, "", Selector{}, []PostKind{Deputy}, day(2020, 4, 1), day(2024, 12, 31), []int{180, 90, 30, 14, 7}, 30,
			[]Step{{day(2020, 12, 31), Goal{Share: 20}}, {day(2021, 12, 31), Goal{Share: 50}}, {day(2022, 12, 31), Goal{Share: 70}}, {day(2023, 12, 31), Goal{Share: 90}}}},
		"officers-2024": {KindPosts, "", Selector{}, []PostKind{Officer}, day(2020, 4, 1), day(2024, 12, 31), []int{180, 90, 30, 14, 7}, 30,
			[]Step{{day(2020, 12, 31), Goal{Share: 10}}, {day(2021, 12, 31), Goal{Share: 30}}, {day(2022, 12, 31), Goal{Share: 50}}, {day(2023, 12, 31), Goal{Share: 75}}}},
	}
	for y := 2020; y <= 2024; y++ {
		wants[fmt.Sprintf("graduates-%d", y)] = want{KindDistrictReport, "", Selector{}, nil, day(y, 9, 1), day(y, 12, 15), defaultBefore, 7, nil}
	}
	if len(p.Milestones) != len(wants) {
		t.Errorf("%d milestones, want %d", len(p.Milestones), len(wants))
	}
	for i, m := range p.Milestones {
		w, ok := wants[m.ID]
		if !ok {
			t.Errorf("unexpected milestone %q", m.ID)
			continue
		}
		got := want{m.Kind, m.Reporters, m.Communes, m.Posts, m.Start, m.Deadline, m.Remind.BeforeDays, m.Remind.AfterEvery, m.Steps}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s:\n%+v\nwant\n%+v", m.ID, got, w)
		}
		if m.Seq != i+1 || m.PlanID != p.ID || m.TitleVI == "" || m.TitleEN == "" {
			t.Errorf("%s: seq %d, plan %q, titles %q %q", m.ID, m.Seq, m.PlanID, m.TitleVI, m.TitleEN)
		}
		if m.Kind == KindPosts && m.Target != Regular {
			t.Errorf("%s: target %q", m.ID, m.Target)
		}
	}
}

// TestSeedPlanParsesAnywhere guards the panic in SeedPlan: the embedded
// file must parse in any location, not only Vietnam's.
func TestSeedPlanParsesAnywhere(t *testing.T) {
	for _, loc := range []*time.Location{time.UTC, hcm(t)} {
		if _, err := ParsePlan(bytes.NewReader(seedPlanYAML), loc); err != nil {
			t.Errorf("%s: %v", loc, err)
		}
	}
}

func FuzzParsePlan(f *testing.F) {
	f.Add(seedPlanYAML)
	files, err := filepath.Glob("testdata/plans/*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	loc := hcm(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePlan(bytes.NewReader(data), loc)
		if err != nil {
			var pe PlanErrors
			if !errors.As(err, &pe) || len(pe) == 0 {
				t.Fatalf("error %v (%T) is not PlanErrors", err, err)
			}
			if p.ID != "" || p.Milestones != nil {
				t.Fatalf("a plan and an error")
			}
			for _, e := range pe {
				if e.Problem == "" || !utf8.ValidString(e.Value) || !utf8.ValidString(e.Milestone) {
					t.Fatalf("problem not fit to show: %#v", e)
				}
			}
			return
		}
		if p.ID == "" || p.TitleVI == "" || len(p.Milestones) == 0 {
			t.Fatalf("incomplete plan accepted: %+v", p)
		}
		ids := map[string]bool{}
		for _, m := range p.Milestones {
			if ids[m.ID] || len(m.ID) > MaxPlanIDLength || m.Start.After(m.Deadline) || m.Start.Location() != loc {
				t.Fatalf("invalid milestone accepted: %+v", m)
			}
			ids[m.ID] = true
			if m.Kind == KindPosts && (len(m.Posts) == 0 || !m.Target.Valid()) {
				t.Fatalf("posts milestone without posts: %+v", m)
			}
			for _, d := range m.Remind.BeforeDays {
				if d < 1 {
					t.Fatalf("reminder offset %d accepted", d)
				}
			}
		}
	})
}

// planOf writes a plan of n milestones, each repeated yearly from 2020
// until until.
func planOf(n, until int) string {
	var b strings.Builder
	b.WriteString("id: nhieu-moc\ntitle: {vi: \"Kế hoạch nhiều mốc\"}\nmilestones:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: m%d, title: {vi: \"Mốc %d năm {year}\"}, kind: posts, posts: [chief], start: 2020-01-01, deadline: 2020-03-31, repeat: {every: year, until: %d}}\n", i, i, until)
	}
	return b.String()
}

// TestParsePlanMilestoneBound: a plan is bounded once its repeats are
// expanded. A file well under MaxPlanBytes that would expand to about
// 280,000 milestones is refused, as cheaply as one of MaxMilestones + 1;
// one of exactly MaxMilestones is taken.
func TestParsePlanMilestoneBound(t *testing.T) {
	loc := hcm(t)
	bomb := planOf(5600, 2069)
	if len(bomb) >= MaxPlanBytes {
		t.Fatalf("the test's file is %d bytes, over the size limit", len(bomb))
	}
	for _, tt := range []struct {
		name string
		file string
		ok   bool
	}{
		{"5,600 milestones × 50 years", bomb, false},
		{"MaxMilestones + 1", planOf(MaxMilestones/50, 2069) +
			"  - {id: them, title: {vi: \"Thêm\"}, kind: posts, posts: [chief], start: 2020-01-01, deadline: 2020-03-31}\n", false},
		{"MaxMilestones", planOf(MaxMilestones/50, 2069), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePlan(strings.NewReader(tt.file), loc)
			if tt.ok {
				if err != nil || len(p.Milestones) != MaxMilestones {
					t.Fatalf("%d milestones, %v; want %d", len(p.Milestones), err, MaxMilestones)
				}
				return
			}
			var pe PlanErrors
			if !errors.As(err, &pe) || len(pe) != 1 || pe[0].Problem != ProblemTooManyMilestones || pe[0].Value != fmt.Sprint(MaxMilestones) {
				t.Fatalf("ParsePlan: %v, want one too_many_milestones", err)
			}
		})
	}
}
