package reminders

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders/digest"
	"github.com/caxbot/caxbot/store"
)

// week is seven days.
const week = 7 * 24 * time.Hour

// WeekOf names the digest week of t: the date of the Monday starting it in
// loc, YYYY-MM-DD. The digest of a week covers the seven days before that
// Monday.
func WeekOf(t time.Time, loc *time.Location) string {
	return weekStart(t, loc).Format(time.DateOnly)
}

func weekStart(t time.Time, loc *time.Location) time.Time {
	d := dateOf(t.In(loc))
	back := (int(d.weekday()) + 6) % 7 // days since Monday
	return d.add(-back).midnight(loc)
}

// BuildDigest gathers the digest of scope as of now, in lang: for each
// milestone started by now with something to do in scope, the progress,
// last week's (from the snapshots the weekly job saved), the communes
// overdue and those behind that reported nothing in the seven days before
// now, with the roster and the week's reports for the workbook. The bot's
// /baocaotuan and `caxbot digest` call it, then DigestMessages or
// digest.Chart and digest.Workbook.
func BuildDigest(ctx context.Context, db *store.DB, cat *locales.Catalog, lang string, scope store.Scope, now time.Time) (digest.Digest, error) {
	loc := db.Location()
	p := cat.Printer(cat.Match(lang), loc)
	weekFrom := now.Add(-week)
	d := digest.Digest{
		Title:       p.T("digest.title", p.Date(weekFrom), p.Date(now.Add(-time.Nanosecond))),
		GeneratedAt: now,
		Location:    loc,
		ActorNames:  make(map[string]string),
		Labels:      Labels(p),
	}
	plans, err := db.Plans(ctx)
	if err != nil {
		return d, err
	}
	reports, err := db.ReportsBetween(ctx, scope, weekFrom, now)
	if err != nil {
		return d, err
	}
	d.Reports = reports
	reported := make(map[string]bool)
	for _, r := range reports {
		reported[r.CommuneCode] = true
	}
	_, snaps, err := db.PreviousSnapshots(ctx, WeekOf(now, loc))
	if err != nil {
		return d, err
	}
	previous := make(map[string][]store.Snapshot)
	for _, s := range snaps {
		previous[s.MilestoneID] = append(previous[s.MilestoneID], s)
	}

	for _, pl := range plans {
		for _, m := range pl.Milestones {
			if m.Start.After(now) {
				continue
			}
			progress, err := db.Progress(ctx, m.ID, scope)
			if err != nil {
				return d, err
			}
			if progress.Total == 0 {
				continue
			}
			md := digest.MilestoneDigest{
				Progress: progress,
				Title:    m.Title(p.Lang()),
				Deadline: m.Deadline,
				Previous: previousProgress(m, progress, previous[m.ID]),
			}
			if now.After(m.Deadline.AddDate(0, 0, 1)) {
				md.Overdue = progress.Behind()
			}
			for _, c := range progress.Behind() {
				if !reported[c.Commune.Code] {
					md.Silent = append(md.Silent, c.Commune)
				}
			}
			d.Milestones = append(d.Milestones, md)
		}
	}

	districts, err := db.Districts(ctx, scope)
	if err != nil {
		return d, err
	}
	communes, err := db.Communes(ctx, scope)
	if err != nil {
		return d, err
	}
	posts, err := db.Posts(ctx, scope)
	if err != nil {
		return d, err
	}
	districtByCode := make(map[string]store.District, len(districts))
	for _, x := range districts {
		districtByCode[x.Code] = x
	}
	communeByCode := make(map[string]store.Commune, len(communes))
	for _, c := range communes {
		communeByCode[c.Code] = c
	}
	for _, post := range posts {
		c := communeByCode[post.CommuneCode]
		d.Roster = append(d.Roster, digest.RosterRow{District: districtByCode[c.DistrictCode], Commune: c, Post: post})
	}
	users, err := db.Users(ctx, store.Scope{})
	if err != nil {
		return d, err
	}
	for _, u := range users {
		d.ActorNames["user:"+strconv.FormatInt(u.TelegramID, 10)] = u.Name
	}
	return d, nil
}

// previousProgress rebuilds last week's figures of a milestone from its
// snapshots, over the districts it has now; nil when there are none.
func previousProgress(m store.Milestone, now store.Progress, snaps []store.Snapshot) *store.Progress {
	if len(snaps) == 0 {
		return nil
	}
	byDistrict := make(map[string]store.Snapshot, len(snaps))
	for _, s := range snaps {
		byDistrict[s.DistrictCode] = s
	}
	prev := &store.Progress{Milestone: m}
	for _, dp := range now.Districts {
		s, ok := byDistrict[dp.District.Code]
		if !ok {
			continue
		}
		prev.Districts = append(prev.Districts, store.DistrictProgress{District: dp.District, Total: s.Total, Done: s.Done})
		prev.Total += s.Total
		prev.Done += s.Done
	}
	return prev
}

// Labels returns the digest's words in the printer's language.
func Labels(p *locales.Printer) digest.Labels {
	l := digest.Labels{
		SheetMilestone: p.T("digest.label.sheet_milestone"),
		SheetRoster:    p.T("digest.label.sheet_roster"),
		SheetReports:   p.T("digest.label.sheet_reports"),
		Deadline:       p.T("digest.label.deadline"),
		GeneratedAt:    p.T("digest.label.generated_at"),
		Overdue:        p.T("digest.label.overdue"),
		Silent:         p.T("digest.label.silent"),
		District:       p.T("digest.label.district"),
		Commune:        p.T("digest.label.commune"),
		CommuneType:    p.T("digest.label.commune_type"),
		Total:          p.T("digest.label.total"),
		Done:           p.T("digest.label.done"),
		Rate:           p.T("digest.label.rate"),
		Change:         p.T("digest.label.change"),
		BehindCommunes: p.T("digest.label.behind_communes"),
		Post:           p.T("digest.label.post"),
		Slot:           p.T("digest.label.slot"),
		Status:         p.T("digest.label.status"),
		Holder:         p.T("digest.label.holder"),
		Since:          p.T("digest.label.since"),
		Time:           p.T("digest.label.time"),
		FromTo:         p.T("digest.label.from_to"),
		Actor:          p.T("digest.label.actor"),
		AllDistricts:   p.T("digest.label.all_districts"),
		ChartAxis:      p.T("digest.label.chart_axis"),
		NotDone:        p.T("digest.label.not_done"),
		ChartWorst:     p.T("digest.label.chart_worst"),
		Posts:          make(map[store.PostKind]string),
		Statuses:       make(map[store.Status]string),
		CommuneTypes:   make(map[store.CommuneType]string),
	}
	for _, k := range store.PostKinds {
		l.Posts[k] = p.T("post." + string(k))
	}
	for _, s := range []store.Status{store.Regular, store.Semi, store.Vacant} {
		l.Statuses[s] = p.T("status." + string(s))
	}
	for _, t := range []store.CommuneType{store.Xa, store.ThiTran, store.Phuong} {
		l.CommuneTypes[t] = p.T("commune_type." + string(t))
	}
	return l
}

// DigestText is the digest as text: per milestone, the totals and each
// district with the change since last week, the overdue communes, those
// escalated to the province and those silent this week. Split it with
// SplitText (the Drainer does) to send it.
func DigestText(p *locales.Printer, d digest.Digest) string {
	var b strings.Builder
	b.WriteString(d.Title)
	if len(d.Milestones) == 0 {
		b.WriteString("\n\n" + p.T("digest.nothing"))
	}
	for _, m := range d.Milestones {
		prev := make(map[string]int)
		if m.Previous != nil {
			for _, dp := range m.Previous.Districts {
				prev[dp.District.Code] = dp.Done
			}
		}
		change := func(now, before int) string {
			if m.Previous == nil {
				return ""
			}
			return p.T("digest.change", now-before)
		}
		pr := m.Progress
		b.WriteString("\n\n" + p.T("digest.milestone", m.Title, p.Date(m.Deadline)))
		b.WriteString("\n" + p.T("digest.total", pr.Done, pr.Total, p.Percent(pr.Done, pr.Total)))
		if m.Previous != nil {
			b.WriteString(change(pr.Done, m.Previous.Done))
		}
		for _, dp := range pr.Districts {
			b.WriteString("\n" + p.T("digest.district", dp.District.Name, dp.Done, dp.Total, p.Percent(dp.Done, dp.Total)))
			b.WriteString(change(dp.Done, prev[dp.District.Code]))
		}
		if len(m.Overdue) > 0 {
			b.WriteString("\n" + p.T("digest.overdue", len(m.Overdue), communeList(p, m.Overdue)))
		}
		if n := pr.Milestone.Remind.EscalateAfter; n > 0 {
			if _, province := Escalations(pr, m.Deadline, d.GeneratedAt, n); len(province) > 0 {
				b.WriteString("\n" + p.T("digest.escalated", 2*n, communeList(p, province)))
			}
		}
		if len(m.Silent) > 0 {
			names := make([]string, len(m.Silent))
			for i, c := range m.Silent {
				names[i] = communeName(p, c)
			}
			b.WriteString("\n" + p.T("digest.silent", len(m.Silent), strings.Join(names, ", ")))
		}
	}
	b.WriteString("\n\n" + p.T("digest.reports", len(d.Reports)))
	return b.String()
}

func communeList(p *locales.Printer, cs []store.CommuneProgress) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = communeName(p, c.Commune)
	}
	return strings.Join(names, ", ")
}

// DigestPart is one message of a digest, with a name unique within the
// digest ("text", "chart:<milestone id>", "workbook").
type DigestPart struct {
	Name    string
	Message Message
}

// DigestMessages renders the digest as the messages a chat receives: the
// text (long texts are split when sent), a chart per milestone not yet
// done everywhere, and the workbook.
func DigestMessages(p *locales.Printer, d digest.Digest) ([]DigestPart, error) {
	out := []DigestPart{{Name: "text", Message: Message{Text: DigestText(p, d)}}}
	day := d.GeneratedAt.In(d.Location).Format(time.DateOnly)
	for i, m := range d.Milestones {
		if m.Progress.Done >= m.Progress.Total {
			continue
		}
		var png bytes.Buffer
		if err := digest.Chart(&png, d, i); err != nil {
			return nil, fmt.Errorf("reminders: chart of %s: %w", m.Progress.Milestone.ID, err)
		}
		caption := p.T("digest.chart_caption", m.Title, p.Date(d.GeneratedAt))
		if textLen(caption) > MaxCaptionLen {
			caption = SplitText(caption, MaxCaptionLen)[0]
		}
		out = append(out, DigestPart{Name: "chart:" + m.Progress.Milestone.ID, Message: Message{
			Text:  caption,
			Photo: &File{Name: p.T("digest.chart_file", i+1, day), Data: png.Bytes()},
		}})
	}
	var xlsx bytes.Buffer
	if err := digest.Workbook(&xlsx, d); err != nil {
		return nil, fmt.Errorf("reminders: digest workbook: %w", err)
	}
	out = append(out, DigestPart{Name: "workbook", Message: Message{
		Text:     p.T("digest.workbook_caption", p.Date(d.GeneratedAt.Add(-week)), p.Date(d.GeneratedAt.Add(-time.Nanosecond))),
		Document: &File{Name: p.T("digest.workbook_file", day), Data: xlsx.Bytes()},
	}})
	return out, nil
}

// digestRecipient is a chat that gets the weekly digest of a scope.
type digestRecipient struct {
	chatID int64
	lang   string
	scope  store.Scope
}

// runDigest writes the week's digest for every province user (and the
// digest chat) into the outbox, names the communes escalated to the
// province, and saves the week's figures for next week's change. The
// digest of the firing due is built as of now, which differs only after
// a downtime.
func (s *Scheduler) runDigest(ctx context.Context, _, due, now time.Time) error {
	loc := s.Calendar.Location()
	weekKey := WeekOf(due, loc)
	users, err := s.DB.Users(ctx, store.Scope{})
	if err != nil {
		return err
	}
	var recipients []digestRecipient
	for _, u := range users {
		if u.Role == store.RoleProvince && !u.Gone {
			recipients = append(recipients, digestRecipient{u.TelegramID, u.Lang, store.ScopeOf(u)})
		}
	}
	if s.DigestChat != 0 {
		recipients = append(recipients, digestRecipient{s.DigestChat, s.DigestLang, store.Scope{}})
	}
	// A group bound to the province gets its digest, as its users do.
	groups, err := s.DB.GroupChats(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if g.Role == store.RoleProvince {
			recipients = append(recipients, digestRecipient{g.ChatID, g.Lang, g.ScopeOf()})
		}
	}
	dueAt := s.Calendar.NextSendTime(now)
	var items []store.OutboxItem
	for _, r := range recipients {
		d, err := BuildDigest(ctx, s.DB, s.Catalog, r.lang, r.scope, now)
		if err != nil {
			return err
		}
		msgs, err := DigestMessages(s.Catalog.Printer(s.Catalog.Match(r.lang), loc), d)
		if err != nil {
			return err
		}
		for _, part := range msgs {
			payload, err := MessagePayload(part.Message)
			if err != nil {
				return err
			}
			items = append(items, store.OutboxItem{
				Key:     fmt.Sprintf("digest:%s:%d:%s", weekKey, r.chatID, part.Name),
				ChatID:  r.chatID,
				Kind:    KindDigest,
				Payload: payload,
				DueAt:   dueAt,
			})
		}
	}
	n, err := s.DB.Enqueue(ctx, items)
	if err != nil {
		return err
	}
	s.log().Info("digest planned", "week", weekKey, "items", len(items), "new", n)

	// The province's figures and escalations, once for the whole store.
	whole, err := BuildDigest(ctx, s.DB, s.Catalog, "", store.Scope{}, now)
	if err != nil {
		return err
	}
	var snaps []store.Snapshot
	for _, m := range whole.Milestones {
		pr := m.Progress
		for _, dp := range pr.Districts {
			snaps = append(snaps, store.Snapshot{MilestoneID: pr.Milestone.ID, DistrictCode: dp.District.Code, Done: dp.Done, Total: dp.Total, TakenAt: now})
		}
		if _, province := Escalations(pr, m.Deadline, now, pr.Milestone.Remind.EscalateAfter); len(province) > 0 {
			codes := make([]string, len(province))
			for i, c := range province {
				codes[i] = c.Commune.Code
			}
			if _, err := s.DB.RecordEscalations(ctx, pr.Milestone.ID, codes, store.EscalatedToProvince, now); err != nil {
				return err
			}
		}
	}
	return s.DB.SaveSnapshots(ctx, weekKey, snaps)
}
