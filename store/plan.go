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

// Milestone is what must be true by when, for which communes.
type Milestone struct {
	ID       string        `db:"id"`
	PlanID   string        `db:"plan_id"`
	Seq      int           `db:"seq"` // order within the plan
	TitleVI  string        `db:"title_vi"`
	TitleEN  string        `db:"title_en"`
	Kind     MilestoneKind `db:"kind"`
	Communes Selector      `db:"-"`
	Posts    []PostKind    `db:"-"`
	Target   Status        `db:"target"`
	Start    time.Time     `db:"start_date"` // midnight, Asia/Ho_Chi_Minh
	Deadline time.Time     `db:"deadline"`   // the last day, midnight, Asia/Ho_Chi_Minh
	Remind   Reminders     `db:"-"`
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
}
