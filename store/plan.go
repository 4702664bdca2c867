package store

import "time"

// MilestoneKind says what "done" means for a milestone.
type MilestoneKind string

const (
	// KindPosts is done for a commune when every post of the listed kinds
	// holds the target status (and at least one post of each kind exists).
	KindPosts MilestoneKind = "posts"
	// KindDistrictReport is done for a district once it has filed the
	// report the milestone asks for (an implementation plan, the year's
	// graduates posted), recorded with DB.RecordSubmission.
	KindDistrictReport MilestoneKind = "district_report"
)

// Reporters says who files what a KindDistrictReport milestone asks.
type Reporters string

const (
	// ReportersDistricts: every district with a chosen commune (the
	// default).
	ReportersDistricts Reporters = "districts"
	// ReportersUnits: every reporting unit (Unit) of the province.
	ReportersUnits Reporters = "units"
)

// Selector chooses the communes a milestone is about. Empty fields do not
// restrict; Types defaults to xã and thị trấn.
type Selector struct {
	Types     []CommuneType `yaml:"types" json:"types,omitempty"`
	Districts []string      `yaml:"districts" json:"districts,omitempty"`
	Codes     []string      `yaml:"codes" json:"codes,omitempty"`
	// Group keeps only the communes of a named group (DB.SetGroup), such
	// as the communes that had regular police in 2019.
	Group string `yaml:"group" json:"group,omitempty"`
	// ExceptGroup drops the communes of a named group.
	ExceptGroup string `yaml:"except_group" json:"except_group,omitempty"`
}

// Reminders says when a milestone's reminders go out.
type Reminders struct {
	BeforeDays []int `yaml:"before_days" json:"before_days"` // days before the deadline
	OnDay      bool  `yaml:"on_day" json:"on_day"`           // on the deadline itself
	AfterEvery int   `yaml:"after_every" json:"after_every"` // every N days after it while behind; 0: never
	// EscalateAfter names a commune still behind this many days after the
	// deadline in its district's reminder, and twice that in the province
	// digest; 0: never.
	EscalateAfter int `yaml:"escalate_after" json:"escalate_after"`
}

// Goal is how much of its posts a posts milestone asks for. The zero Goal
// asks for all of them: every listed post of every chosen commune at the
// target status. At most one of Share and Count is set.
type Goal struct {
	// Share, a percentage from 1 to 100, asks that share of the listed
	// posts of each district's chosen communes to hold the target status
	// (a kind a commune has no post of counts as one post short): it is
	// met, or not, by a district as a whole.
	Share int `json:"share,omitempty"`
	// Count asks each chosen commune for that many posts of each listed
	// kind at the target status, or all of them where it has fewer.
	Count int `json:"count,omitempty"`
}

// IsZero reports whether the goal asks for every post.
func (g Goal) IsZero() bool { return g == Goal{} }

// Step is a stage of a milestone's roadmap: its goal by the end of the
// day By, before the milestone's own deadline.
type Step struct {
	By   time.Time `json:"by"` // midnight, Asia/Ho_Chi_Minh
	Goal Goal      `json:"goal"`
}

// Milestone is what must be true by when, for which communes.
type Milestone struct {
	ID      string        `db:"id"`
	PlanID  string        `db:"plan_id"`
	Seq     int           `db:"seq"` // order within the plan
	TitleVI string        `db:"title_vi"`
	TitleEN string        `db:"title_en"`
	Kind    MilestoneKind `db:"kind"`
	// Reporters of a KindDistrictReport milestone: the districts (empty)
	// or the reporting units.
	Reporters Reporters  `db:"reporters"`
	Communes  Selector   `db:"-"`
	Posts     []PostKind `db:"-"`
	Target    Status     `db:"target"`
	Start     time.Time  `db:"start_date"` // midnight, Asia/Ho_Chi_Minh
	Deadline  time.Time  `db:"deadline"`   // the last day, midnight, Asia/Ho_Chi_Minh
	Remind    Reminders  `db:"-"`
	// Goal is what the milestone asks for by its deadline (kind posts).
	Goal Goal `db:"-"`
	// Steps are its roadmap's earlier stages, by day, each asking for no
	// less than the one before and no more than Goal.
	Steps []Step `db:"-"`
	// CountVerified is its plan's: a post at the target status whose last
	// report waits for its district's check does not count.
	CountVerified bool `db:"-"`
}

// StageAt returns the milestone as it is measured at t: while a step of
// its roadmap is ahead (t before the end of the step's day), the first
// such step, as the milestone with the step's day as its deadline and the
// step's goal; after the last step, the milestone itself. The stage has no
// steps of its own, so it can be evaluated and reminded of as any
// milestone.
func (m Milestone) StageAt(t time.Time) Milestone {
	stage := m
	stage.Steps = nil
	for _, s := range m.Steps {
		if t.Before(s.By.AddDate(0, 0, 1)) {
			stage.Deadline, stage.Goal = s.By, s.Goal
			break
		}
	}
	return stage
}

// Stages returns every stage of the milestone's roadmap, its steps then
// the milestone itself, each as StageAt gives it.
func (m Milestone) Stages() []Milestone {
	out := make([]Milestone, 0, len(m.Steps)+1)
	for _, s := range m.Steps {
		out = append(out, m.StageAt(s.By))
	}
	final := m
	final.Steps = nil
	return append(out, final)
}

// IsStep reports whether stage, from StageAt or Stages, is one of m's
// steps rather than its final deadline.
func (m Milestone) IsStep(stage Milestone) bool { return stage.Deadline.Before(m.Deadline) }

// ForUnits reports whether the milestone asks its report of the
// reporting units rather than of the districts.
func (m Milestone) ForUnits() bool {
	return m.Kind == KindDistrictReport && m.Reporters == ReportersUnits
}

// Title returns the milestone's title in lang, Vietnamese by default.
func (m Milestone) Title(lang string) string {
	if lang == "en" && m.TitleEN != "" {
		return m.TitleEN
	}
	return m.TitleVI
}

// Plan is a named set of milestones (đề án, kế hoạch).
type Plan struct {
	ID         string `db:"id"`
	TitleVI    string `db:"title_vi"`
	TitleEN    string `db:"title_en"`
	Milestones []Milestone
	// Eligibility is who may be proposed for which post; nil: no rule.
	Eligibility Eligibility `db:"-"`
	// CountVerified says the plan's milestones count only the changes
	// their district verified (the plan file's "counts: verified"); by
	// default they count every change reported.
	CountVerified bool `db:"-"`
}
