package reminders

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders/digest"
	"github.com/caxbot/caxbot/store"
)

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
		Unit:           p.T("role.unit"),
		Commune:        p.T("digest.label.commune"),
		CommuneType:    p.T("digest.label.commune_type"),
		Total:          p.T("digest.label.total"),
		Done:           p.T("digest.label.done"),
		Rate:           p.T("digest.label.rate"),
		Change:         p.T("digest.label.change"),
		BehindCommunes: p.T("digest.label.behind_communes"),
		SubmittedAt:    p.T("digest.label.submitted_at"),
		DaysOverdue:    p.T("digest.label.days_overdue"),
		Post:           p.T("digest.label.post"),
		Slot:           p.T("digest.label.slot"),
		Status:         p.T("digest.label.status"),
		Holder:         p.T("digest.label.holder"),
		Since:          p.T("digest.label.since"),
		Time:           p.T("digest.label.time"),
		FromTo:         p.T("digest.label.from_to"),
		Actor:          p.T("digest.label.actor"),
		Decision:       p.T("digest.label.decision"),
		Check:          p.T("digest.label.check"),
		AllDistricts:   p.T("digest.label.all_districts"),
		Num:            p.Num,
		ChartAxis:      p.T("digest.label.chart_axis"),
		NotDone:        p.T("digest.label.not_done"),
		ChartWorst:     p.T("digest.label.chart_worst"),

		Submitted:         p.T("digest.label.submitted"),
		OnTime:            p.T("digest.label.on_time"),
		Late:              p.T("digest.label.late"),
		NotSubmitted:      p.T("digest.label.not_submitted"),
		ChartNotSubmitted: p.T("digest.label.chart_not_submitted"),
		ChartReportAxis:   p.T("digest.label.chart_report_axis"),

		Posts:        make(map[store.CommuneType]map[store.PostKind]string),
		Statuses:     make(map[store.Status]string),
		CommuneTypes: make(map[store.CommuneType]string),
		Checks:       make(map[store.Check]string),
	}
	for _, c := range []store.Check{store.CheckReported, store.CheckVerified, store.CheckReturned} {
		l.Checks[c] = p.T("check." + string(c))
	}
	for _, t := range []store.CommuneType{store.Xa, store.ThiTran, store.Phuong} {
		l.CommuneTypes[t] = p.T("commune_type." + string(t))
		l.Posts[t] = make(map[store.PostKind]string)
		for _, k := range store.PostKinds {
			l.Posts[t][k] = p.Post(string(k), string(t), 0)
		}
	}
	for _, s := range []store.Status{store.Regular, store.Semi, store.Vacant} {
		l.Statuses[s] = p.T("status." + string(s))
	}
	return l
}

// urgentFirst orders a digest's milestones as the reader wants them: those
// not yet done first, the one whose deadline is nearest now (ahead or
// past) first, and of two as near the one ahead; then those done, the
// latest deadline first.
func urgentFirst(ms []digest.MilestoneDigest, now time.Time) {
	distance := func(m digest.MilestoneDigest) (time.Duration, int) {
		d := m.Deadline.Sub(now)
		if d >= 0 {
			return d, 0
		}
		return -d, 1
	}
	slices.SortStableFunc(ms, func(a, b digest.MilestoneDigest) int {
		aDone, bDone := a.Progress.Met(), b.Progress.Met()
		switch {
		case aDone != bDone:
			if aDone {
				return 1
			}
			return -1
		case aDone:
			return b.Deadline.Compare(a.Deadline)
		}
		da, pa := distance(a)
		db, pb := distance(b)
		return cmp.Or(cmp.Compare(da, db), cmp.Compare(pa, pb))
	})
}

// ChartMilestone picks the milestone a digest's one chart shows: the
// first not yet done, which is the most urgent (urgentFirst). It returns
// -1 when every milestone is done.
func ChartMilestone(d digest.Digest) int {
	for i, m := range d.Milestones {
		if !m.Progress.Met() {
			return i
		}
	}
	return -1
}

// maxWorstDistricts is how many of the districts furthest behind a
// province's digest names.
const maxWorstDistricts = 3

// DigestText is the digest as a message a phone shows in one or two
// screens: for each milestone not done, most urgent first, the deadline,
// what is asked of the reader (the communes late long enough to be
// escalated), the scope's figures with the change since last week when
// there is one, the districts furthest behind (a province) or the
// communes behind (a district), and how many reported nothing this week;
// then the milestones done, in one line, and the week's reports. Every
// full list is in the workbook. Split it with SplitText (the Drainer
// does) to send it.
func DigestText(p *locales.Printer, d digest.Digest) string {
	var b strings.Builder
	b.WriteString(p.T("digest.heading", d.Title))
	if len(d.Milestones) == 0 {
		b.WriteString("\n\n" + p.T("digest.nothing"))
	}
	var done []string
	for _, m := range d.Milestones {
		if m.Progress.Met() {
			done = append(done, m.Title)
			continue
		}
		b.WriteString("\n\n" + p.T("digest.milestone", m.Title))
		b.WriteString("\n" + deadlineLine(p, m.Deadline, d.GeneratedAt, d.Location))
		if m.Goal != "" {
			b.WriteString("\n" + m.Goal)
		}
		var lines []string
		if m.Progress.Milestone.Kind == store.KindDistrictReport {
			lines = reportLines(p, d, m)
		} else {
			lines = postsLines(p, d, m)
		}
		for _, l := range lines {
			b.WriteString("\n" + l)
		}
		if m.Forecast != "" {
			b.WriteString("\n" + capital(m.Forecast) + ".")
		}
	}
	if len(done) > 0 {
		b.WriteString("\n\n" + p.T("digest.done", strings.Join(done, "; ")))
	}
	if l := replacedLine(p, d); l != "" {
		b.WriteString("\n\n" + l)
	}
	b.WriteString("\n\n" + reportsLine(p, d.Reports))
	if l := decisionsLine(p, d); l != "" {
		b.WriteString(" " + l)
	}
	if len(d.Milestones) > 0 {
		b.WriteString("\n" + p.T("digest.workbook_note"))
	}
	return b.String()
}

// VerifiedLine is the verified share beside a milestone's figures: of the
// posts reported at the target status, those the districts confirmed; ""
// when none waits for a check (nothing to tell apart). When the plan
// counts verified changes, the figures above left the others out, which
// the line says.
func VerifiedLine(p *locales.Printer, pr store.Progress) string {
	if pr.Unverified == 0 {
		return ""
	}
	reported := pr.AtTarget
	if pr.Milestone.CountVerified {
		reported += pr.Unverified
	}
	verified := reported - pr.Unverified
	key := "reminders.verified.share"
	if pr.Milestone.CountVerified {
		key = "reminders.verified.share_counted"
	}
	return p.T(key, p.Num(verified), p.Num(reported), p.Percent(verified, reported), p.Num(pr.Unverified))
}

// changeText is ", tăng 4 so với tuần trước", or nothing when nothing
// changed or there is no last week: a change of zero is not news.
func changeText(p *locales.Printer, now int, before *int) string {
	switch {
	case before == nil || now == *before:
		return ""
	case now > *before:
		return p.T("digest.change.up", p.Num(now-*before))
	}
	return p.T("digest.change.down", p.Num(*before-now))
}

// postsLines are a posts milestone's lines below its deadline.
func postsLines(p *locales.Printer, d digest.Digest, m digest.MilestoneDigest) []string {
	pr := m.Progress
	var lines []string
	if n := pr.Milestone.Remind.EscalateAfter; n > 0 {
		if _, province := Escalations(pr, m.Deadline, d.GeneratedAt, n); len(province) > 0 {
			names := make([]string, len(province))
			for i, c := range province {
				names[i] = communeName(p, *c.Commune)
			}
			lines = append(lines, p.T("digest.escalated", p.Num(len(names)), p.Num(2*n), nameList(p, names, "reminders.more_communes")))
		}
	}
	var before *int
	if m.Previous != nil {
		before = &m.Previous.Done
	}
	value, of, _ := pr.Measure()
	if pr.Milestone.Goal.Share > 0 {
		lines = append(lines, p.T("roadmap.digest.total_posts", d.ScopeName, p.Num(value), p.Num(of), p.Percent(value, of))+
			changeText(p, value, before)+".")
	} else {
		lines = append(lines, p.T("digest.total", d.ScopeName, p.Num(pr.Done), p.Num(pr.Total), p.Percent(pr.Done, pr.Total))+
			changeText(p, value, before)+".")
	}
	if l := VerifiedLine(p, pr); l != "" {
		lines = append(lines, l)
	}
	if m.Supply != "" {
		lines = append(lines, m.Supply)
	}

	behind := pr.Behind()
	silent := make(map[string]bool, len(m.Silent))
	for _, c := range m.Silent {
		silent[c.Code] = true
	}
	overdue := len(m.Overdue) > 0
	if len(pr.Districts) > 1 {
		g := pr.Milestone.Goal
		var late []store.DistrictProgress
		for _, dp := range pr.Districts {
			if !dp.Meets(g) {
				late = append(late, dp)
			}
		}
		share := func(dp store.DistrictProgress) float64 {
			v, of, _ := dp.Measure(g)
			return float64(v) / float64(max(of, 1))
		}
		slices.SortStableFunc(late, func(a, b store.DistrictProgress) int {
			return cmp.Or(cmp.Compare(share(a), share(b)), cmp.Compare(b.Total-b.Done, a.Total-a.Done))
		})
		var worst []string
		for _, dp := range late[:min(len(late), maxWorstDistricts)] {
			v, of, _ := dp.Measure(g)
			worst = append(worst, p.T("digest.district", p.InSentence(dp.District.Name), p.Num(v), p.Num(of)))
		}
		if g.Share > 0 {
			// A share of each district's posts: the districts are what
			// meets it, not the communes, which all lack some for long.
			return append(lines, p.T("roadmap.digest.districts_behind", p.Num(len(late)), p.Num(len(pr.Districts)), strings.Join(worst, ", ")))
		}
		lines = append(lines, p.T("digest.districts_behind", p.Num(len(late)), p.Num(len(pr.Districts)), strings.Join(worst, ", ")))
		key := "digest.behind"
		if overdue {
			key = "digest.overdue"
		}
		line := p.T(key, p.Num(len(behind)))
		switch {
		case len(m.Silent) > 0 && len(m.Silent) == len(behind):
			line += p.T("digest.all_silent")
		case len(m.Silent) > 0:
			line += p.T("digest.of_them_silent", p.Num(len(m.Silent)))
		}
		return append(lines, line+".")
	}
	// One district: its communes by name, those silent this week first.
	names := make([]string, 0, len(behind))
	for _, c := range behind {
		if silent[c.Commune.Code] {
			names = append(names, communeName(p, *c.Commune))
		}
	}
	for _, c := range behind {
		if !silent[c.Commune.Code] {
			names = append(names, communeName(p, *c.Commune))
		}
	}
	key := "digest.behind_named"
	if overdue {
		key = "digest.overdue_named"
	}
	line := p.T(key, p.Num(len(behind)), nameList(p, names, "reminders.more_communes"))
	switch {
	case len(m.Silent) > 0 && len(m.Silent) == len(behind):
		line += p.T("digest.all_silent_named")
	case len(m.Silent) > 0:
		line += p.T("digest.silent_count", p.Num(len(m.Silent)))
	}
	return append(lines, line+".")
}

// replacedLine counts the people replaced so far and those still without
// an arrangement ("chưa bố trí"), naming the districts with the most of
// them; empty when nobody was replaced.
func replacedLine(p *locales.Printer, d digest.Digest) string {
	if len(d.Replaced) == 0 {
		return ""
	}
	open := make(map[string]int)
	var order []store.District
	for _, r := range d.Replaced {
		if r.Replaced.Arranged() {
			continue
		}
		if open[r.District.Code] == 0 {
			order = append(order, r.District)
		}
		open[r.District.Code]++
	}
	line := p.T("roadmap.digest.replaced", p.Num(len(d.Replaced)))
	if len(order) == 0 {
		return line + p.T("roadmap.digest.replaced_all_arranged")
	}
	total := 0
	for _, n := range open {
		total += n
	}
	slices.SortStableFunc(order, func(a, b store.District) int { return cmp.Compare(open[b.Code], open[a.Code]) })
	if len(order) == 1 {
		return line + p.T("roadmap.digest.replaced_open", p.Num(total)) + "."
	}
	var most []string
	for _, dist := range order[:min(len(order), maxWorstDistricts)] {
		most = append(most, p.T("roadmap.digest.replaced_district", p.InSentence(dist.Name), p.Num(open[dist.Code])))
	}
	return line + p.T("roadmap.digest.replaced_open", p.Num(total)) + p.T("roadmap.digest.replaced_most", strings.Join(most, ", ")) + "."
}

// reportLines are a district_report milestone's lines below its deadline.
func reportLines(p *locales.Printer, d digest.Digest, m digest.MilestoneDigest) []string {
	pr := m.Progress
	var before *int
	if m.Previous != nil {
		before = &m.Previous.Done
	}
	if len(pr.Districts) == 1 {
		// A district's own digest, of a milestone it has not done.
		return []string{p.T("digest.report_missing_one", pr.Districts[0].District.Name)}
	}
	total, more := "digest.report_total", "digest.more_districts"
	if pr.Milestone.ForUnits() {
		total, more = "units.digest.report_total", "units.digest.more"
	}
	lines := []string{p.T(total, d.ScopeName, p.Num(pr.Done), p.Num(pr.Total)) + changeText(p, pr.Done, before) + "."}
	var missing []string
	for _, dp := range pr.Districts {
		if dp.Done < dp.Total {
			missing = append(missing, p.InSentence(dp.District.Name))
		}
	}
	if len(missing) > 0 {
		lines = append(lines, p.T("digest.report_missing", p.Num(len(missing)), nameList(p, missing, more))+".")
	}
	return lines
}

// reportsLine counts the week's reports: those people sent through the
// bot apart from the posts an import changed, which are not reports of
// anyone's.
func reportsLine(p *locales.Printer, reports []store.Report) string {
	people := 0
	files := make(map[string]bool)
	imported := 0
	for _, r := range reports {
		if f, ok := strings.CutPrefix(r.Actor, "import:"); ok {
			imported++
			files[f] = true
			continue
		}
		people++
	}
	var parts []string
	if people > 0 {
		parts = append(parts, p.N("digest.reports.people", people, p.Num(people)))
	}
	if imported > 0 {
		parts = append(parts, p.N("digest.reports.imported", imported, p.Num(imported), p.Num(len(files))))
	}
	if len(parts) == 0 {
		return p.T("digest.reports.none")
	}
	return p.T("digest.reports", strings.Join(parts, "; "))
}

// decisionsLine counts the week's reports that gave a regular holder and
// how many of them rest on a decision and were verified; "" when there
// were none.
func decisionsLine(p *locales.Printer, d digest.Digest) string {
	regular, decided, verified := 0, 0, 0
	for _, r := range d.Reports {
		det, ok := d.Details[r.ID]
		if !ok || r.NewStatus != store.Regular {
			continue
		}
		regular++
		if !det.Decision.Empty() {
			decided++
		}
		if det.Check == store.CheckVerified {
			verified++
		}
	}
	if regular == 0 {
		return ""
	}
	return p.T("digest.decisions", p.Num(regular), p.Num(decided), p.Num(verified))
}

// DigestPart is one message of a digest, with a name unique within the
// digest ("text", "chart", "workbook").
type DigestPart struct {
	Name    string
	Message Message
}

// DigestMessages renders the digest as the messages a chat receives: the
// text (long texts are split when sent), one chart, of the milestone the
// digest is most about (ChartMilestone), when one is not yet done, and
// the workbook, drawn and written with r.
func DigestMessages(r *digest.Renderer, p *locales.Printer, d digest.Digest) ([]DigestPart, error) {
	out := []DigestPart{{Name: "text", Message: Message{Text: DigestText(p, d)}}}
	day := d.GeneratedAt.In(d.Location).Format(time.DateOnly)
	if i := ChartMilestone(d); i >= 0 {
		m := d.Milestones[i]
		var png bytes.Buffer
		if err := r.Chart(&png, d, i); err != nil {
			return nil, fmt.Errorf("reminders: chart of %s: %w", m.Progress.Milestone.ID, err)
		}
		key := "digest.chart_caption"
		switch {
		case m.Progress.Milestone.ForUnits():
			key = "units.digest.chart_caption"
		case m.Progress.Milestone.Kind == store.KindDistrictReport:
			key = "digest.chart_caption_report"
		}
		if ds := m.Progress.Districts; !m.Progress.Milestone.ForUnits() && len(ds) == 1 && ds[0].District.Direct() {
			// A province without districts (abolish-district): its one
			// bar is the province's own, not "các huyện, thành phố".
			key += "_direct"
		}
		caption := p.T(key, m.Title, d.ScopeName, p.Date(d.GeneratedAt))
		if textLen(caption) > MaxCaptionLen {
			caption = SplitText(caption, MaxCaptionLen)[0]
		}
		out = append(out, DigestPart{Name: "chart", Message: Message{
			Text:  caption,
			Photo: &File{Name: p.T("digest.chart_file", day), Data: png.Bytes()},
		}})
	}
	var xlsx bytes.Buffer
	if err := r.Workbook(&xlsx, d); err != nil {
		return nil, fmt.Errorf("reminders: digest workbook: %w", err)
	}
	out = append(out, DigestPart{Name: "workbook", Message: Message{
		Text:     p.T("digest.workbook_caption", p.Date(d.GeneratedAt.Add(-week)), p.Date(d.GeneratedAt.Add(-time.Nanosecond)), d.ScopeName),
		Document: &File{Name: p.T("digest.workbook_file", day), Data: xlsx.Bytes()},
	}})
	return out, nil
}

// Parts returns the messages m goes out as, each within Telegram's limits,
// as the Drainer sends an outbox item: a long text split between
// paragraphs, a long caption after its file. For a sender that sends a
// digest itself, as the bot's /baocaotuan does.
func Parts(m Message) []Message { return parts(m) }
