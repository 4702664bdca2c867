package reminders

import (
	"context"
	"strconv"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// JobChecks is the daily list of reports waiting for their district's
// check, and the escalation of those waiting too long.
const JobChecks = "job:checks"

// KindChecks is the outbox kind of those lists.
const KindChecks = "checks"

// DefaultCheckDays is how many working days a report may wait for its
// district before the province is told.
const DefaultCheckDays = 3

// maxListed is how many reports a list names; the rest are counted.
const maxListed = 15

// WorkingDaysSince counts the working days after the day of since, up to
// and including the day of now: a report made on Friday has waited one
// working day on Monday.
func (c *Calendar) WorkingDaysSince(since, now time.Time) int {
	n := 0
	day := dateOf(since.In(c.loc)).add(1)
	end := dateOf(now.In(c.loc))
	for !end.before(day) {
		if c.IsWorkingDay(day.midnight(c.loc)) {
			n++
		}
		day = day.add(1)
	}
	return n
}

// runChecks writes into the outbox, once per day and recipient, the list
// of reports waiting for each district's check to its leaders (and the
// groups bound to the district), and to the province's users those that
// waited more than CheckDays working days; the latter are marked
// escalated. Nothing is listed on a day off.
func (s *Scheduler) runChecks(ctx context.Context, _, _, now time.Time) error {
	if !s.Calendar.IsWorkingDay(now) {
		// The next working day's list says it all: one list, not one per
		// day off, waiting for the same morning.
		return nil
	}
	waiting, err := s.DB.WaitingReports(ctx, store.Scope{}, store.CheckReported)
	if err != nil {
		return err
	}
	if len(waiting) == 0 {
		return nil
	}
	districts, err := s.DB.Districts(ctx, store.Scope{})
	if err != nil {
		return err
	}
	communes, err := s.DB.Communes(ctx, store.Scope{})
	if err != nil {
		return err
	}
	users, err := s.DB.Users(ctx, store.Scope{})
	if err != nil {
		return err
	}
	groups, err := s.DB.GroupChats(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		users = append(users, store.User{TelegramID: g.ChatID, Role: g.Role, Scope: g.Scope, Lang: g.Lang})
	}
	byCode := make(map[string]store.Commune, len(communes))
	for _, c := range communes {
		byCode[c.Code] = c
	}
	provinceOf := make(map[string]string, len(districts))
	for _, d := range districts {
		provinceOf[d.Code] = d.ProvinceCode
	}
	limit := s.CheckDays
	if limit <= 0 {
		limit = DefaultCheckDays
	}
	inDistrict := make(map[string][]store.Checked)
	late := make(map[string][]store.Checked) // by province
	var escalated []int64
	for _, w := range waiting {
		d := byCode[w.Report.CommuneCode].DistrictCode
		inDistrict[d] = append(inDistrict[d], w)
		if s.Calendar.WorkingDaysSince(w.Details.WaitingSince, now) > limit {
			late[provinceOf[d]] = append(late[provinceOf[d]], w)
			escalated = append(escalated, w.Report.ID)
		}
	}
	loc := s.Calendar.Location()
	day := now.In(loc).Format(time.DateOnly)
	due := s.Calendar.NextSendTime(now)
	var items []store.OutboxItem
	add := func(u store.User, key string, msg Message) error {
		payload, err := MessagePayload(msg)
		if err != nil {
			return err
		}
		items = append(items, store.OutboxItem{Key: key + ":" + day + ":" + strconv.FormatInt(u.TelegramID, 10),
			ChatID: u.TelegramID, Kind: KindChecks, Payload: payload, DueAt: due})
		return nil
	}
	for _, u := range users {
		if u.Gone {
			continue
		}
		p := s.Catalog.Printer(s.Catalog.Match(u.Lang), loc)
		switch {
		case u.Role == store.RoleDistrict && len(inDistrict[u.Scope]) > 0:
			list := inDistrict[u.Scope]
			text := p.T("reminders.checks.district", p.Num(len(list))) + "\n" + s.checkLines(p, list, byCode, now) + "\n\n" + p.T("reminders.checks.how")
			if err := add(u, "checks", Message{Text: text}); err != nil {
				return err
			}
		case u.Role == store.RoleProvince && len(late[u.Scope]) > 0:
			list := late[u.Scope]
			text := p.T("reminders.checks.province", p.Num(len(list)), p.Num(limit)) + "\n" + s.checkLines(p, list, byCode, now)
			if err := add(u, "checks-late", Message{Text: text}); err != nil {
				return err
			}
		}
	}
	n, err := s.DB.Enqueue(ctx, items)
	if err != nil {
		return err
	}
	s.log().Info("checks listed", "waiting", len(waiting), "late", len(escalated), "items", len(items), "new", n)
	return s.DB.MarkEscalated(ctx, escalated, now)
}

// checkLines names the reports, the longest waiting first, with the
// working days each has waited.
func (s *Scheduler) checkLines(p *locales.Printer, list []store.Checked, communes map[string]store.Commune, now time.Time) string {
	text := ""
	for i, w := range list {
		if i == maxListed {
			text += "\n" + p.T("reminders.checks.more", p.Num(len(list)-maxListed))
			break
		}
		c := communes[w.Report.CommuneCode]
		if i > 0 {
			text += "\n"
		}
		days := s.Calendar.WorkingDaysSince(w.Details.WaitingSince, now)
		if days == 0 {
			// Reported since the last working day ended: not "0 days".
			text += p.T("reminders.checks.item_new", capital(communeName(p, c)), p.Post(string(w.Report.Kind), string(c.Type), 0), w.Report.NewHolder)
			continue
		}
		text += p.T("reminders.checks.item", capital(communeName(p, c)), p.Post(string(w.Report.Kind), string(c.Type), 0),
			w.Report.NewHolder, p.Num(days))
	}
	return text
}
