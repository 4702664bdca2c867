package store

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

// Problems of a plan file, besides those shared with the import files
// (empty_file, too_large, empty_value, bad_text, bad_code, unknown_type,
// unknown_kind, unknown_status, bad_date, no_such_day, date_out_of_range):
//
//	bad_yaml               not YAML; Value is the parser's message (English)
//	unknown_field          a key the format does not have, such as a typo; Value is the key
//	duplicate_key          the same key twice in one mapping; Value is the key
//	wrong_type             a list where a text is expected, a word where a number
//	                       is, ...; Value is the text, or "!!seq" / "!!map" for a
//	                       list / mapping
//	extra_document         more than one YAML document in the file
//	bad_id                 an id or group name that is not lower-case letters,
//	                       digits and hyphens, starting with a letter or digit,
//	                       at most MaxPlanIDLength bytes (after a repeat's year suffix)
//	duplicate_id           two milestones with one id (after repeats are expanded)
//	unknown_milestone_kind not posts or district_report
//	not_applicable         posts or target given for a district_report milestone,
//	                       reporters for a posts one, communes for one asked of
//	                       the units
//	unknown_reporters      reporters not districts or units
//	start_after_deadline   start later than deadline
//	bad_reminder           a reminder offset that is not a whole number of days
//	                       from 1 (0 for after_every and escalate_after) to
//	                       MaxReminderDays, or a before_days offset given twice
//	bad_repeat             repeat.every other than year, repeat.until before
//	                       the start's year or more than MaxRepeats years after
//	                       it, or a 29 February start or deadline in a repeat
//	repeat_title           a repeating milestone's title without {year}: each
//	                       year's milestone must say which year it is
//	too_many_milestones    more than MaxMilestones milestones once repeats are
//	                       expanded; Value is the limit. Checking stops there.
//	unknown_rank           an eligibility rule's min_rank that is not a rank
//	bad_counts             counts that is neither reported nor verified
//	bad_years              an eligibility rule's min_years outside 0 to MaxServiceYears
//	bad_goal               a goal (or a step's) with both share and count, or
//	                       neither, a share outside 1 to 100 or a count
//	                       outside 1 to MaxGoalCount; Value is the number
//	bad_step               a step not after the start, not before the deadline
//	                       or not after the step before it (Value is its day),
//	                       or asking for less than the step before it, more
//	                       than the goal, or by another measure (share,
//	                       count) than the others (Value is its goal), or
//	                       steps with repeat (Value "repeat")
const (
	ProblemBadYAML              Problem = "bad_yaml"
	ProblemUnknownField         Problem = "unknown_field"
	ProblemDuplicateKey         Problem = "duplicate_key"
	ProblemWrongType            Problem = "wrong_type"
	ProblemExtraDocument        Problem = "extra_document"
	ProblemBadID                Problem = "bad_id"
	ProblemDuplicateID          Problem = "duplicate_id"
	ProblemUnknownMilestoneKind Problem = "unknown_milestone_kind"
	ProblemNotApplicable        Problem = "not_applicable"
	ProblemStartAfterDeadline   Problem = "start_after_deadline"
	ProblemBadReminder          Problem = "bad_reminder"
	ProblemBadRepeat            Problem = "bad_repeat"
	ProblemRepeatTitle          Problem = "repeat_title"
	ProblemTooManyMilestones    Problem = "too_many_milestones"
	ProblemUnknownRank          Problem = "unknown_rank"
	ProblemBadCounts            Problem = "bad_counts"
	ProblemBadYears             Problem = "bad_years"
	ProblemBadGoal              Problem = "bad_goal"
	ProblemBadStep              Problem = "bad_step"
	ProblemUnknownReporters     Problem = "unknown_reporters"
)

// selectorEmpty reports whether a selector chooses nothing in particular.
func selectorEmpty(s Selector) bool {
	return len(s.Types) == 0 && len(s.Districts) == 0 && len(s.Codes) == 0 && s.Group == "" && s.ExceptGroup == ""
}

// Limits of a plan file.
const (
	MaxPlanBytes = 1 << 20
	// MaxPlanIDLength keeps ids short enough to travel in Telegram
	// callback data (64 bytes) next to a district code.
	MaxPlanIDLength = 32
	MaxReminderDays = 3660 // ten years
	MaxRepeats      = 50
	MaxPlanErrors   = 100 // reported, then too_many_errors
	// MaxMilestones bounds a plan once its repeats are expanded: every
	// reminders run reads each milestone's progress. A file of under
	// MaxPlanBytes could otherwise expand to hundreds of thousands.
	MaxMilestones = 1000
	// MaxServiceYears bounds an eligibility rule's min_years: a career.
	MaxServiceYears = 40
	// MaxGoalCount bounds a goal's count of posts per commune and kind.
	MaxGoalCount = 100
	// MaxSteps bounds a milestone's roadmap.
	MaxSteps = 50
)

// YearInTitle stands for the year in the titles of a repeating milestone:
// "... tốt nghiệp năm {year}" becomes "... tốt nghiệp năm 2021" in 2021's.
const YearInTitle = "{year}"

// SeedPilotGroup is the commune group the seed plan calls the communes
// that had regular police in 2019 (DB.SetGroup fills it).
const SeedPilotGroup = "pilot-2019"

// PlanError is one problem of a plan file. Milestone is the id of the
// milestone it is about (empty for the plan's own fields, or when the
// milestone has no id); Field is the key path inside it, such as
// "deadline", "communes.types" or "reminders.before_days". Line is the
// line of the file the problem is on, as near as known.
type PlanError struct {
	Line      int
	Milestone string
	Field     string
	Problem   Problem
	Value     string
}

func (e PlanError) Error() string {
	var b strings.Builder
	b.WriteString("store: plan")
	sep := " "
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
		sep = ", "
	}
	if e.Milestone != "" {
		fmt.Fprintf(&b, "%smilestone %s", sep, e.Milestone)
		sep = ", "
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "%sfield %s", sep, e.Field)
	}
	fmt.Fprintf(&b, ": %s", e.Problem)
	if e.Value != "" {
		fmt.Fprintf(&b, " %q", e.Value)
	}
	return b.String()
}

// PlanErrors are all the problems of a plan file, by line.
type PlanErrors []PlanError

func (e PlanErrors) Error() string {
	parts := make([]string, len(e))
	for i, pe := range e {
		parts[i] = pe.Error()
	}
	return strings.Join(parts, "; ")
}

// The file's shape. Pointers tell a key left out from a zero written out,
// so that a milestone's reminders override the defaults key by key.
type planFile struct {
	ID          string              `yaml:"id"`
	Title       titleFile           `yaml:"title"`
	Defaults    defaultsFile        `yaml:"defaults"`
	Milestones  []milestoneFile     `yaml:"milestones"`
	Eligibility map[string]ruleFile `yaml:"eligibility"`
	// Counts is "reported" (the default) or "verified": whether the
	// milestones count changes as reported or once their district
	// verified them.
	Counts string `yaml:"counts"`
}

// ruleFile is one post's eligibility rule.
type ruleFile struct {
	MinRank  string `yaml:"min_rank"`
	MinYears int    `yaml:"min_years"`
}

type titleFile struct {
	VI string `yaml:"vi"`
	EN string `yaml:"en"`
}

type defaultsFile struct {
	Reminders remindersFile `yaml:"reminders"`
}

type remindersFile struct {
	BeforeDays    *[]int `yaml:"before_days"`
	OnDay         *bool  `yaml:"on_day"`
	AfterEvery    *int   `yaml:"after_every"`
	EscalateAfter *int   `yaml:"escalate_after"`
}

type milestoneFile struct {
	ID        string        `yaml:"id"`
	Title     titleFile     `yaml:"title"`
	Kind      string        `yaml:"kind"`
	Reporters string        `yaml:"reporters"`
	Communes  Selector      `yaml:"communes"`
	Posts     []string      `yaml:"posts"`
	Target    string        `yaml:"target"`
	Start     string        `yaml:"start"`
	Deadline  string        `yaml:"deadline"`
	Reminders remindersFile `yaml:"reminders"`
	Repeat    *repeatFile   `yaml:"repeat"`
	Goal      *goalFile     `yaml:"goal"`
	Steps     []stepFile    `yaml:"steps"`
}

// goalFile is a goal as written: {share: 50} or {count: 2}.
type goalFile struct {
	Share *int `yaml:"share"`
	Count *int `yaml:"count"`
}

// stepFile is a step of a roadmap: {by: 2021-12-31, share: 50}.
type stepFile struct {
	By    string `yaml:"by"`
	Share *int   `yaml:"share"`
	Count *int   `yaml:"count"`
}

type repeatFile struct {
	Every string `yaml:"every"`
	Until int    `yaml:"until"`
}

//go:embed seedplan.yaml
var seedPlanYAML []byte

// SeedPlan returns the plan embedded in the binary: Hòa Bình's milestones
// from 2020. It panics only if the embedded file is broken, which a test
// rules out.
func SeedPlan(loc *time.Location) Plan {
	p, err := ParsePlan(bytes.NewReader(seedPlanYAML), loc)
	if err != nil {
		panic(fmt.Sprintf("store: embedded seed plan: %v", err))
	}
	return p
}

// ParsePlan reads and checks a plan file; seedplan.yaml documents the
// format. Dates become midnight in loc. A repeating milestone becomes one
// milestone per year, its id suffixed with the year. Seq numbers the
// milestones from 1 in file order.
//
// Every problem of the file is reported, as PlanErrors; other errors are
// the reader's.
func ParsePlan(r io.Reader, loc *time.Location) (Plan, error) {
	if loc == nil {
		return Plan{}, errors.New("store: parse plan: nil location")
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxPlanBytes+1))
	if err != nil {
		return Plan{}, fmt.Errorf("store: read plan file: %w", err)
	}
	if len(data) > MaxPlanBytes {
		return Plan{}, PlanErrors{{Problem: ProblemTooLarge, Value: strconv.Itoa(MaxPlanBytes)}}
	}

	// The node tree gives the line of each problem found after decoding;
	// decoding it also finds syntax errors before the strict decoder does.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		e, _ := yamlProblem(strings.TrimPrefix(err.Error(), "yaml: "))
		return Plan{}, PlanErrors{e}
	}
	if len(root.Content) == 0 {
		return Plan{}, PlanErrors{{Problem: ProblemEmptyFile}}
	}
	var pf planFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&pf); err != nil {
		return Plan{}, decodeErrors(err, root.Content[0])
	}
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		return Plan{}, PlanErrors{{Line: root.Content[0].Line, Problem: ProblemExtraDocument}}
	}

	c := &planChecker{root: root.Content[0], loc: loc}
	p := c.plan(pf)
	if c.dropped {
		c.errs = append(c.errs, PlanError{Problem: ProblemTooManyErrors, Value: strconv.Itoa(MaxPlanErrors)})
	}
	if len(c.errs) > 0 {
		sort.SliceStable(c.errs, func(i, j int) bool { return c.errs[i].Line < c.errs[j].Line })
		return Plan{}, c.errs
	}
	return p, nil
}

// decodeErrors turns the strict decoder's complaints into problems, each
// placed in its milestone and field when the tree shows where it is.
func decodeErrors(err error, root *yaml.Node) PlanErrors {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		e, _ := yamlProblem(strings.TrimPrefix(err.Error(), "yaml: "))
		return PlanErrors{e}
	}
	var out PlanErrors
	msgs := te.Errors
	if len(msgs) > MaxPlanErrors {
		msgs = msgs[:MaxPlanErrors]
		out = append(out, PlanError{Problem: ProblemTooManyErrors, Value: strconv.Itoa(MaxPlanErrors)})
	}
	for _, msg := range msgs {
		e, text := yamlProblem(msg)
		if path, n := find(root, e.Line, text, nil); n != nil {
			e.Milestone, e.Field = milestoneField(root, path)
			e.Value = quoteBack(n.Value)
		}
		out = append(out, e)
	}
	return out
}

// find returns the first key or scalar on line that reads text, and the
// key path to it.
func find(n *yaml.Node, line int, text string, path []string) ([]string, *yaml.Node) {
	if reads(n, line, text) {
		return path, n
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := append(slices.Clone(path), k.Value)
			if reads(k, line, text) {
				return p, k
			}
			if found, m := find(v, line, text, p); m != nil {
				return found, m
			}
		}
	case yaml.SequenceNode:
		for i, v := range n.Content {
			if found, m := find(v, line, text, append(slices.Clone(path), strconv.Itoa(i))); m != nil {
				return found, m
			}
		}
	}
	return nil, nil
}

// reads reports whether n is a scalar on line that reads text; yaml
// shortens long values in its messages to 7 bytes and "...".
func reads(n *yaml.Node, line int, text string) bool {
	if n.Line != line || n.Kind != yaml.ScalarNode {
		return false
	}
	if short, ok := strings.CutSuffix(text, "..."); ok && len(short) == 7 {
		return strings.HasPrefix(n.Value, short)
	}
	return n.Value == text
}

// milestoneField splits a key path into the milestone's id and the dotted
// field inside it, list indexes left out.
func milestoneField(root *yaml.Node, path []string) (milestone, field string) {
	var keys []string
	for _, step := range path {
		if !allDigits(step) {
			keys = append(keys, step)
		}
	}
	if len(path) >= 2 && path[0] == "milestones" && allDigits(path[1]) {
		if id := nodeAt(root, []string{"milestones", path[1], "id"}); id != nil && id.Kind == yaml.ScalarNode {
			milestone = quoteBack(id.Value)
		}
		keys = keys[1:]
	}
	return milestone, strings.Join(keys, ".")
}

var (
	yamlLine         = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlUnknownField = regexp.MustCompile(`^field (.+) not found in type `)
	yamlDuplicateKey = regexp.MustCompile(`^mapping key "(.*)" already defined`)
	yamlWrongType    = regexp.MustCompile("^cannot unmarshal (\\S+)(?: `(.*)`)? into ")
)

// yamlProblem reads one of yaml's messages, "line 3: field titel not found
// in type store.milestoneFile" and the like; text is the key or value the
// message names, as yaml wrote it.
func yamlProblem(msg string) (e PlanError, text string) {
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if m := yamlUnknownField.FindStringSubmatch(msg); m != nil {
		e.Problem, e.Value = ProblemUnknownField, m[1]
	} else if m := yamlDuplicateKey.FindStringSubmatch(msg); m != nil {
		e.Problem, e.Value = ProblemDuplicateKey, m[1]
	} else if m := yamlWrongType.FindStringSubmatch(msg); m != nil {
		e.Problem, e.Value = ProblemWrongType, m[2]
		if e.Value == "" {
			e.Value = m[1]
		}
	} else {
		e.Problem, e.Value = ProblemBadYAML, msg
	}
	text = e.Value
	e.Value = quoteBack(e.Value)
	return e, text
}

var planID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// planChecker checks a decoded plan file, collecting its problems.
type planChecker struct {
	root    *yaml.Node // the document's top mapping
	loc     *time.Location
	errs    PlanErrors
	dropped bool // more than MaxPlanErrors
	// where the problem being reported is: the milestone's index in the
	// file (-1: the plan itself) and id
	index int
	id    string
}

func (c *planChecker) plan(pf planFile) Plan {
	c.index = -1
	p := Plan{ID: pf.ID}
	c.checkID("id", pf.ID)
	p.TitleVI, p.TitleEN = c.title(pf.Title)
	defaults := c.reminders("defaults.reminders", pf.Defaults.Reminders, Reminders{})
	if len(pf.Milestones) == 0 {
		c.fail("milestones", -1, ProblemEmptyValue, "")
	}
	ids := make(map[string]bool)
	expanded := 0
	for i, mf := range pf.Milestones {
		c.index, c.id = i, mf.ID
		// Counted before anything is expanded, so that a file that would
		// expand past the bound costs no more than the bound.
		if expanded += repeats(mf); expanded > MaxMilestones {
			c.index = -1
			c.fail("milestones", -1, ProblemTooManyMilestones, strconv.Itoa(MaxMilestones))
			break
		}
		ms, ok := c.milestone(mf, defaults)
		for _, m := range ms {
			if m.ID != "" && ids[m.ID] {
				c.fail("id", -1, ProblemDuplicateID, m.ID)
				continue
			}
			ids[m.ID] = true
			if !ok {
				continue
			}
			m.PlanID = p.ID
			m.Seq = len(p.Milestones) + 1
			p.Milestones = append(p.Milestones, m)
		}
	}
	c.index = -1
	p.Eligibility = c.eligibility(pf.Eligibility)
	switch pf.Counts {
	case "", countsReported:
	case countsVerified:
		p.CountVerified = true
	default:
		c.fail("counts", -1, ProblemBadCounts, pf.Counts)
	}
	return p
}

// eligibility checks the plan's rule of who may hold which post.
func (c *planChecker) eligibility(rf map[string]ruleFile) Eligibility {
	if len(rf) == 0 {
		return nil
	}
	keys := make([]string, 0, len(rf))
	for k := range rf {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make(Eligibility, len(rf))
	for _, k := range keys {
		r := rf[k]
		kind := PostKind(k)
		if !kind.Valid() {
			c.fail("eligibility."+k, -1, ProblemUnknownKind, k)
			continue
		}
		rule := PostRule{MinYears: r.MinYears}
		if r.MinRank != "" {
			rank, ok := ParseRank(r.MinRank)
			if !ok {
				c.fail("eligibility."+k+".min_rank", -1, ProblemUnknownRank, r.MinRank)
			}
			rule.MinRank = rank
		}
		if r.MinYears < 0 || r.MinYears > MaxServiceYears {
			c.fail("eligibility."+k+".min_years", -1, ProblemBadYears, strconv.Itoa(r.MinYears))
		}
		out[kind] = rule
	}
	return out
}

// milestone checks one milestone of the file and returns it, expanded
// when it repeats, and whether it is free of problems (its ids are still
// worth checking for duplicates when it is not).
func (c *planChecker) milestone(mf milestoneFile, defaults Reminders) ([]Milestone, bool) {
	before := len(c.errs)
	m := Milestone{ID: mf.ID, Kind: MilestoneKind(mf.Kind), Target: Status(mf.Target)}
	suffix := 0
	if mf.Repeat != nil {
		suffix = len("-2020")
	}
	if c.checkID("id", mf.ID) && len(mf.ID)+suffix > MaxPlanIDLength {
		c.fail("id", -1, ProblemBadID, mf.ID)
	}
	m.TitleVI, m.TitleEN = c.title(mf.Title)

	switch m.Kind {
	case "":
		c.fail("kind", -1, ProblemEmptyValue, "")
	case KindPosts:
		if len(mf.Posts) == 0 {
			c.fail("posts", -1, ProblemEmptyValue, "")
		}
		for i, s := range mf.Posts {
			k := PostKind(strings.ToLower(strings.TrimSpace(s)))
			if !k.Valid() {
				c.fail("posts", i, ProblemUnknownKind, s)
			}
			m.Posts = append(m.Posts, k)
		}
		if m.Target == "" {
			m.Target = Regular
		} else if !m.Target.Valid() {
			c.fail("target", -1, ProblemUnknownStatus, mf.Target)
		}
		if mf.Reporters != "" {
			c.fail("reporters", -1, ProblemNotApplicable, mf.Reporters)
		}
	case KindDistrictReport:
		if len(mf.Posts) > 0 {
			c.fail("posts", -1, ProblemNotApplicable, "")
		}
		if mf.Target != "" {
			c.fail("target", -1, ProblemNotApplicable, mf.Target)
		}
		switch Reporters(strings.ToLower(strings.TrimSpace(mf.Reporters))) {
		case "", ReportersDistricts:
		case ReportersUnits:
			m.Reporters = ReportersUnits
			if !selectorEmpty(mf.Communes) {
				c.fail("communes", -1, ProblemNotApplicable, "")
			}
		default:
			c.fail("reporters", -1, ProblemUnknownReporters, mf.Reporters)
		}
	default:
		c.fail("kind", -1, ProblemUnknownMilestoneKind, mf.Kind)
	}

	m.Communes = c.selector(mf.Communes)
	m.Start, _ = c.date("start", mf.Start)
	m.Deadline, _ = c.date("deadline", mf.Deadline)
	if !m.Start.IsZero() && !m.Deadline.IsZero() && m.Start.After(m.Deadline) {
		c.fail("start", -1, ProblemStartAfterDeadline, mf.Start)
	}
	m.Remind = c.reminders("reminders", mf.Reminders, defaults)
	m.Goal, m.Steps = c.roadmap(mf, m)

	if mf.Repeat == nil {
		return []Milestone{m}, len(c.errs) == before
	}
	ms := c.repeat(m, *mf.Repeat)
	return ms, len(ms) > 0 && len(c.errs) == before
}

// roadmap checks a posts milestone's goal and steps: steps between its
// start and its deadline, in order, each asking for at least what the one
// before asked and at most the goal, all by one measure.
func (c *planChecker) roadmap(mf milestoneFile, m Milestone) (Goal, []Step) {
	if mf.Goal == nil && len(mf.Steps) == 0 {
		return Goal{}, nil
	}
	if m.Kind != KindPosts {
		if mf.Goal != nil {
			c.fail("goal", -1, ProblemNotApplicable, "")
		}
		if len(mf.Steps) > 0 {
			c.fail("steps", -1, ProblemNotApplicable, "")
		}
		return Goal{}, nil
	}
	var goal Goal
	if mf.Goal != nil {
		goal, _ = c.goal("goal", -1, mf.Goal.Share, mf.Goal.Count)
	}
	if len(mf.Steps) == 0 {
		return goal, nil
	}
	if mf.Repeat != nil {
		c.fail("steps", -1, ProblemBadStep, "repeat")
		return goal, nil
	}
	if len(mf.Steps) > MaxSteps {
		c.fail("steps", -1, ProblemBadStep, strconv.Itoa(len(mf.Steps)))
		return goal, nil
	}
	var steps []Step
	for i, sf := range mf.Steps {
		g, ok := c.goal("steps", i, sf.Share, sf.Count)
		by, okDay := parseDate(sf.By, c.loc)
		switch {
		case sf.By == "":
			c.fail("steps", i, ProblemEmptyValue, "")
		case !okDay:
			c.fail("steps", i, dateProblem(sf.By), sf.By)
		}
		if !ok || !okDay || m.Start.IsZero() || m.Deadline.IsZero() {
			continue
		}
		switch {
		case !by.After(m.Start), !by.Before(m.Deadline), len(steps) > 0 && !by.After(steps[len(steps)-1].By):
			c.fail("steps", i, ProblemBadStep, sf.By)
			continue
		case !sameMeasure(g, goal), len(steps) > 0 && !sameMeasure(g, steps[len(steps)-1].Goal):
			c.fail("steps", i, ProblemBadStep, goalText(g))
			continue
		case len(steps) > 0 && below(g, steps[len(steps)-1].Goal), above(g, goal):
			c.fail("steps", i, ProblemBadStep, goalText(g))
			continue
		}
		steps = append(steps, Step{By: by, Goal: g})
	}
	return goal, steps
}

// goal checks one goal: exactly one of share (1 to 100) and count (1 to
// MaxGoalCount).
func (c *planChecker) goal(field string, elem int, share, count *int) (Goal, bool) {
	switch {
	case share != nil && count != nil, share == nil && count == nil:
		c.fail(field, elem, ProblemBadGoal, "")
	case share != nil && (*share < 1 || *share > 100):
		c.fail(field, elem, ProblemBadGoal, strconv.Itoa(*share))
	case count != nil && (*count < 1 || *count > MaxGoalCount):
		c.fail(field, elem, ProblemBadGoal, strconv.Itoa(*count))
	case share != nil:
		return Goal{Share: *share}, true
	default:
		return Goal{Count: *count}, true
	}
	return Goal{}, false
}

// sameMeasure reports whether a step's goal g may stand before goal: both
// by share or both by count; every goal may stand before the zero goal,
// which asks for everything.
func sameMeasure(g, goal Goal) bool {
	return goal.IsZero() || (g.Share > 0) == (goal.Share > 0)
}

// below reports whether g asks for less than h, by the same measure.
func below(g, h Goal) bool { return g.Share < h.Share || g.Count < h.Count }

// above reports whether a step's goal g asks for more than goal.
func above(g, goal Goal) bool {
	return !goal.IsZero() && (g.Share > goal.Share || g.Count > goal.Count)
}

// goalText writes a goal as the file does: "share 50", "count 2".
func goalText(g Goal) string {
	if g.Share > 0 {
		return "share " + strconv.Itoa(g.Share)
	}
	return "count " + strconv.Itoa(g.Count)
}

// repeats is how many milestones mf becomes: one, or one a year for a
// repeat whose years can be read (a wrong repeat is reported by repeat).
func repeats(mf milestoneFile) int {
	if mf.Repeat == nil {
		return 1
	}
	year, err := strconv.Atoi(strings.SplitN(strings.TrimSpace(mf.Start), "-", 2)[0])
	if err != nil || mf.Repeat.Until < year || mf.Repeat.Until-year >= MaxRepeats {
		return 1
	}
	return mf.Repeat.Until - year + 1
}

// repeat expands a yearly milestone, nothing when the repeat is wrong.
func (c *planChecker) repeat(m Milestone, rf repeatFile) []Milestone {
	if rf.Every != "year" {
		c.fail("repeat.every", -1, ProblemBadRepeat, rf.Every)
		return nil
	}
	if m.Start.IsZero() || m.Deadline.IsZero() {
		return nil // already reported
	}
	from := m.Start.Year()
	if rf.Until < from || rf.Until-from >= MaxRepeats {
		c.fail("repeat.until", -1, ProblemBadRepeat, strconv.Itoa(rf.Until))
		return nil
	}
	// A 29 February has no twin in most years.
	leap := false
	for _, f := range []struct {
		field string
		date  time.Time
	}{{"start", m.Start}, {"deadline", m.Deadline}} {
		if f.date.Month() == time.February && f.date.Day() == 29 {
			c.fail(f.field, -1, ProblemBadRepeat, f.date.Format(time.DateOnly))
			leap = true
		}
	}
	if leap {
		return nil
	}
	untitled := false
	for _, t := range []struct{ field, title string }{{"title.vi", m.TitleVI}, {"title.en", m.TitleEN}} {
		if t.title != "" && !strings.Contains(t.title, YearInTitle) {
			c.fail(t.field, -1, ProblemRepeatTitle, t.title)
			untitled = true
		}
	}
	if untitled {
		return nil
	}
	var out []Milestone
	for year := from; year <= rf.Until; year++ {
		o := m
		o.ID = fmt.Sprintf("%s-%d", m.ID, year)
		o.TitleVI = strings.ReplaceAll(m.TitleVI, YearInTitle, strconv.Itoa(year))
		o.TitleEN = strings.ReplaceAll(m.TitleEN, YearInTitle, strconv.Itoa(year))
		o.Posts = slices.Clone(m.Posts)
		o.Remind.BeforeDays = slices.Clone(m.Remind.BeforeDays)
		o.Start = m.Start.AddDate(year-from, 0, 0)
		o.Deadline = m.Deadline.AddDate(year-from, 0, 0)
		out = append(out, o)
	}
	return out
}

// title checks and normalises a title: Vietnamese required, English
// optional (Milestone.Title falls back to Vietnamese).
func (c *planChecker) title(t titleFile) (vi, en string) {
	vi, en = c.text("title.vi", t.VI), c.text("title.en", t.EN)
	if vi == "" {
		c.fail("title.vi", -1, ProblemEmptyValue, "")
	}
	return vi, en
}

func (c *planChecker) text(field, s string) string {
	s = norm.NFC.String(strings.TrimSpace(s))
	if hasControl(s) {
		c.fail(field, -1, ProblemBadText, s)
	}
	return s
}

// checkID reports an id that is missing or badly formed.
func (c *planChecker) checkID(field, id string) bool {
	switch {
	case id == "":
		c.fail(field, -1, ProblemEmptyValue, "")
	case !planID.MatchString(id) || len(id) > MaxPlanIDLength:
		c.fail(field, -1, ProblemBadID, id)
	default:
		return true
	}
	return false
}

func (c *planChecker) selector(s Selector) Selector {
	out := Selector{Group: s.Group, ExceptGroup: s.ExceptGroup}
	for i, t := range s.Types {
		ct := CommuneType(strings.ToLower(norm.NFC.String(strings.TrimSpace(string(t)))))
		if !ct.Valid() {
			c.fail("communes.types", i, ProblemUnknownType, string(t))
		}
		out.Types = append(out.Types, ct)
	}
	for i, d := range s.Districts {
		if len(d) != 3 || !allDigits(d) {
			c.fail("communes.districts", i, ProblemBadCode, d)
		}
		out.Districts = append(out.Districts, d)
	}
	for i, code := range s.Codes {
		if len(code) != 5 || !allDigits(code) {
			c.fail("communes.codes", i, ProblemBadCode, code)
		}
		out.Codes = append(out.Codes, code)
	}
	if s.Group != "" && !planID.MatchString(s.Group) {
		c.fail("communes.group", -1, ProblemBadID, s.Group)
	}
	if s.ExceptGroup != "" && !planID.MatchString(s.ExceptGroup) {
		c.fail("communes.except_group", -1, ProblemBadID, s.ExceptGroup)
	}
	return out
}

func (c *planChecker) date(field, s string) (time.Time, bool) {
	if s == "" {
		c.fail(field, -1, ProblemEmptyValue, "")
		return time.Time{}, false
	}
	t, ok := parseDate(s, c.loc)
	if !ok {
		c.fail(field, -1, dateProblem(s), s)
	}
	return t, ok
}

// reminders checks the keys rf gives and applies them over base, so that
// a milestone overrides the plan's defaults key by key.
func (c *planChecker) reminders(field string, rf remindersFile, base Reminders) Reminders {
	out := base
	fail := func(key string, elem int, v int) {
		c.fail(field+"."+key, elem, ProblemBadReminder, strconv.Itoa(v))
	}
	if rf.BeforeDays != nil {
		out.BeforeDays = nil
		seen := make(map[int]bool)
		for i, d := range *rf.BeforeDays {
			if d < 1 || d > MaxReminderDays || seen[d] {
				fail("before_days", i, d)
				continue
			}
			seen[d] = true
			out.BeforeDays = append(out.BeforeDays, d)
		}
		// Farthest first: the order they go out in.
		slices.SortFunc(out.BeforeDays, func(a, b int) int { return b - a })
	} else {
		out.BeforeDays = slices.Clone(base.BeforeDays)
	}
	if rf.OnDay != nil {
		out.OnDay = *rf.OnDay
	}
	if rf.AfterEvery != nil {
		if out.AfterEvery = *rf.AfterEvery; out.AfterEvery < 0 || out.AfterEvery > MaxReminderDays {
			fail("after_every", -1, out.AfterEvery)
		}
	}
	if rf.EscalateAfter != nil {
		if out.EscalateAfter = *rf.EscalateAfter; out.EscalateAfter < 0 || out.EscalateAfter > MaxReminderDays {
			fail("escalate_after", -1, out.EscalateAfter)
		}
	}
	return out
}

// fail records a problem of the current milestone (or of the plan), at the
// line of field (a dotted key path) and, when elem ≥ 0, of its elem-th
// list item.
func (c *planChecker) fail(field string, elem int, p Problem, v string) {
	if len(c.errs) >= MaxPlanErrors {
		c.dropped = true
		return
	}
	path := strings.Split(field, ".")
	if c.index >= 0 {
		path = append([]string{"milestones", strconv.Itoa(c.index)}, path...)
	}
	if elem >= 0 {
		path = append(path, strconv.Itoa(elem))
	}
	id := ""
	if c.index >= 0 {
		id = c.id
	}
	c.errs = append(c.errs, PlanError{Line: lineOf(c.root, path), Milestone: quoteBack(id), Field: field, Problem: p, Value: quoteBack(v)})
}

// lineOf returns the line of the deepest node on path that the tree has.
func lineOf(n *yaml.Node, path []string) int {
	line := n.Line
	for i := 1; i <= len(path); i++ {
		m := nodeAt(n, path[:i])
		if m == nil {
			break
		}
		line = m.Line
	}
	return line
}

// nodeAt follows path (mapping keys and sequence indexes) from n.
func nodeAt(n *yaml.Node, path []string) *yaml.Node {
	for _, step := range path {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == step {
					next = n.Content[i+1]
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(step); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}
