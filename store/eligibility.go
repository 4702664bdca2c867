package store

import (
	"slices"
	"strings"
	"time"
)

// Rank is a People's Police rank (cấp bậc hàm), as a code: thieu_uy,
// dai_uy, ... The locales name it ("rank.<code>").
type Rank string

// Ranks lists the ranks from the lowest up: a rule's min_rank is met by
// its own rank and every one after it.
var Ranks = []Rank{
	"binh_nhi", "binh_nhat",
	"ha_si", "trung_si", "thuong_si",
	"thieu_uy", "trung_uy", "thuong_uy", "dai_uy",
	"thieu_ta", "trung_ta", "thuong_ta", "dai_ta",
	"thieu_tuong", "trung_tuong", "thuong_tuong", "dai_tuong",
}

// Level is the rank's place in Ranks, from 0; -1 for an unknown rank.
func (r Rank) Level() int { return slices.Index(Ranks, r) }

// ParseRank reads a rank as people write it: "Đại úy", "đại uý" (either
// tone placement), "dai uy", "Đại_úy" or the code itself.
func ParseRank(s string) (Rank, bool) {
	f := strings.ReplaceAll(foldName(strings.ReplaceAll(s, "_", " ")), " ", "_")
	r := Rank(f)
	return r, r.Level() >= 0
}

// PostRule is who may be proposed for a post: at least MinRank (empty:
// any rank) and at least MinYears full years of service on the day of
// the posting (0: no minimum; a person whose first day of service is not
// known meets no minimum above 0).
type PostRule struct {
	MinRank  Rank `json:"min_rank,omitempty"`
	MinYears int  `json:"min_years,omitempty"`
}

// Eligibility is a plan's rule of who may hold which post, by post kind
// (the plan file's optional eligibility section). A kind it does not
// name, or a nil Eligibility, is open to anyone the register lists for it.
type Eligibility map[PostKind]PostRule

// Allows reports whether the rule lets c hold a post of kind on day.
func (e Eligibility) Allows(c Candidate, kind PostKind, day time.Time) bool {
	if len(c.Posts) > 0 && !slices.Contains(c.Posts, kind) {
		return false
	}
	rule, ok := e[kind]
	if !ok {
		return true
	}
	if rule.MinRank != "" && c.Rank.Level() < rule.MinRank.Level() {
		return false
	}
	if rule.MinYears > 0 && (c.ServiceSince == nil || YearsOfService(*c.ServiceSince, day) < rule.MinYears) {
		return false
	}
	return true
}

// Kinds returns the post kinds c may hold on day, in PostKinds order.
func (e Eligibility) Kinds(c Candidate, day time.Time) []PostKind {
	var out []PostKind
	for _, k := range PostKinds {
		if e.Allows(c, k, day) {
			out = append(out, k)
		}
	}
	return out
}

// YearsOfService counts the full years from since to day, calendar dates
// compared as written.
func YearsOfService(since, day time.Time) int {
	y := day.Year() - since.Year()
	if day.Month() < since.Month() || (day.Month() == since.Month() && day.Day() < since.Day()) {
		y--
	}
	return max(y, 0)
}
