package reminders

import (
	"time"

	"github.com/caxbot/caxbot/store"
)

// DefaultAckPause is how long a district head's acknowledgement of a
// milestone silences its reminders after the deadline.
const DefaultAckPause = 7 * 24 * time.Hour

// Recipient is a chat a reminder goes to.
type Recipient struct {
	ChatID int64
	Role   store.Role
	Scope  string
	Lang   string
}

// Reminder is what one recipient should be told on one occasion; locales
// turn it into text.
type Reminder struct {
	Occasion  Occasion
	Recipient Recipient
	Milestone store.Milestone
	// District is the head's district, with the communes behind and the
	// posts each lacks; nil for a commune user.
	District *store.DistrictProgress
	// Commune is the commune user's commune and the posts it lacks; nil
	// for a district head.
	Commune *store.CommuneProgress
	// Escalated lists the district's communes still behind escalate_after
	// days or more after the deadline, to be named as such.
	Escalated []store.CommuneProgress
}

// AckKey is a (user, milestone) pair.
type AckKey struct {
	ChatID      int64
	MilestoneID string
}

// Acks records when district heads acknowledged a milestone ("Đã nhận").
// An acknowledgement silences the milestone's reminders after the
// deadline for Pause (DefaultAckPause when zero) from the moment it was
// given; reminders before the deadline still go out.
type Acks struct {
	At    map[AckKey]time.Time
	Pause time.Duration
}

// paused reports whether chat's reminders of milestone are silenced at now.
func (a Acks) paused(chat int64, milestone string, now time.Time) bool {
	at, ok := a.At[AckKey{chat, milestone}]
	if !ok || at.After(now) {
		return false
	}
	pause := a.Pause
	if pause == 0 {
		pause = DefaultAckPause
	}
	return now.Sub(at) < pause
}

// Plan returns the reminders of occasion o, one per user to remind, in the
// order of users:
//
//   - a district head (store.RoleDistrict) gets the district's progress
//     while the district does not meet the goal of the stage o reminds
//     of, unless o is after the deadline and the head acknowledged the
//     milestone within the pause;
//   - a reporting unit's user (store.RoleUnit) likewise, for a milestone
//     asked of the units, while the unit has not filed;
//   - a commune user gets the commune's missing posts while the commune is
//     behind and its district does not meet the goal;
//   - users of the province get digests, not reminders; users who blocked
//     the bot get nothing.
//
// progress is the progress of the stage o reminds of (Occasion.Stage)
// over the users' scope, as of now.
// The work grows with the users plus the communes behind: each user's
// district or commune is looked up in maps built once.
func Plan(o Occasion, progress store.Progress, users []store.User, acks Acks, now time.Time) []Reminder {
	m := progress.Milestone
	escalated, _ := Escalations(progress, m.Deadline, now, m.Remind.EscalateAfter)
	districts := make(map[string]*store.DistrictProgress, len(progress.Districts))
	behind := make(map[string]*store.CommuneProgress)
	for i := range progress.Districts {
		d := &progress.Districts[i]
		districts[d.District.Code] = d
		for j := range d.Behind {
			behind[d.Behind[j].Commune.Code] = &d.Behind[j]
		}
	}
	escalatedIn := make(map[string][]store.CommuneProgress)
	for _, c := range escalated {
		escalatedIn[c.Commune.DistrictCode] = append(escalatedIn[c.Commune.DistrictCode], c)
	}
	// Who is reminded is decided first, and the reminders (600 bytes
	// each, most of them the milestone) made once their number is known:
	// a national occasion reminds some 10,000 users, and a slice grown
	// one reminder at a time copied them over and over.
	type pick struct {
		user     int
		district *store.DistrictProgress
		commune  *store.CommuneProgress
	}
	var picks []pick
	for i, u := range users {
		if u.Gone {
			continue
		}
		switch u.Role {
		case store.RoleDistrict, store.RoleUnit:
			// A unit stands in progress.Districts under its own code,
			// which no district has.
			d, ok := districts[u.Scope]
			if !ok || d.Meets(m.Goal) {
				continue
			}
			if o.Kind == OccasionAfter && acks.paused(u.TelegramID, m.ID, now) {
				continue
			}
			picks = append(picks, pick{user: i, district: d})
		case store.RoleCommune:
			// A commune of a district that meets a share goal is not
			// behind: the goal is the district's.
			c, ok := behind[u.Scope]
			if !ok || districts[c.Commune.DistrictCode].Meets(m.Goal) {
				continue
			}
			picks = append(picks, pick{user: i, commune: c})
		}
	}
	if len(picks) == 0 {
		return nil
	}
	out := make([]Reminder, len(picks))
	for i, pk := range picks {
		u := users[pk.user]
		out[i] = Reminder{
			Occasion:  o,
			Recipient: Recipient{ChatID: u.TelegramID, Role: u.Role, Scope: u.Scope, Lang: u.Lang},
			Milestone: m,
			District:  pk.district,
			Commune:   pk.commune,
		}
		if pk.district != nil {
			out[i].Escalated = escalatedIn[u.Scope]
		}
	}
	return out
}

// Escalations returns the communes still behind n days or more after the
// deadline, to be named in their district's reminders, and those behind
// 2n days or more, for the province digest. n <= 0 escalates nothing.
// deadline is midnight starting the last day, so n days after it is
// midnight starting the n-th day after.
func Escalations(p store.Progress, deadline, now time.Time, n int) (district, province []store.CommuneProgress) {
	if n <= 0 {
		return nil, nil
	}
	late := now.Sub(deadline)
	day := 24 * time.Hour // Vietnam keeps no summer time: every day is 24 hours
	if late >= time.Duration(n)*day {
		district = p.Behind()
	}
	if late >= time.Duration(2*n)*day {
		province = p.Behind()
	}
	return district, province
}
