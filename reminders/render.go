package reminders

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// ackPrefix starts the callback data of the "Đã nhận" button.
const ackPrefix = "ack:"

// AckCallbackData is the callback data of the "Đã nhận" button under a
// district head's reminder of a milestone: at most 4+32 bytes, within
// Telegram's 64, as milestone ids are at most 32 bytes. The bot must look
// the milestone up and check the user may acknowledge it: the data comes
// back from the client and proves nothing.
func AckCallbackData(milestoneID string) string { return ackPrefix + milestoneID }

// ParseAckCallback returns the milestone id of an acknowledgement's
// callback data, and false for any other data.
func ParseAckCallback(data string) (milestoneID string, ok bool) {
	id, ok := strings.CutPrefix(data, ackPrefix)
	if !ok || id == "" || len(data) > 64 {
		return "", false
	}
	return id, true
}

// filePrefix starts the callback data of a reminder's "Đã nộp báo cáo"
// button, by which a reporting unit files what a milestone asks.
const filePrefix = "file:"

// FileCallbackData is the callback data of the button by which a user
// files the report a milestone asks of their unit. As with
// AckCallbackData, the bot checks the milestone and the user's right to
// file it: the data proves nothing.
func FileCallbackData(milestoneID string) string { return filePrefix + milestoneID }

// ParseFileCallback returns the milestone id of a filing's callback data,
// and false for any other data.
func ParseFileCallback(data string) (milestoneID string, ok bool) {
	id, ok := strings.CutPrefix(data, filePrefix)
	if !ok || id == "" || len(data) > 64 {
		return "", false
	}
	return id, true
}

// maxNamed is the most communes or districts a message names in a list;
// a longer one says how many more there are, and the workbook (or
// /baocaotuan) has them all.
const maxNamed = 10

// communeName names a commune inside a sentence: "xã Tân Hòa", "thị trấn
// Vụ Bản".
func communeName(p *locales.Printer, c store.Commune) string {
	return p.T("reminders.commune_name", p.T("commune_type."+string(c.Type)), c.Name)
}

// capital starts a sentence with a capital letter: "Xã Tân Lập chưa có…".
func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// postName names a post after the type of its commune (Printer.Post):
// "Trưởng Công an thị trấn", "Phó Trưởng Công an xã", "Công an viên".
func postName(p *locales.Printer, t store.CommuneType, k store.PostKind) string {
	return p.Post(string(k), string(t), 0)
}

// missingText lists, in the kinds' order, the posts a commune lacks at the
// target status, as "chưa có ..." completes it: "Trưởng Công an xã chính
// quy", "Phó Trưởng Công an xã chính quy, 2 Công an viên chính quy".
func missingText(p *locales.Printer, t store.CommuneType, target store.Status, missing map[store.PostKind]int) string {
	key := "reminders.missing.regular"
	if target != "" && target != store.Regular {
		key = "reminders.missing.status"
	}
	var parts []string
	for _, k := range store.PostKinds {
		n := missing[k]
		if n <= 0 {
			continue
		}
		part := p.T(key, postName(p, t, k), p.T("status."+string(target)))
		if n > 1 {
			part = p.T("reminders.missing.count", p.Num(n), part)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

// nameList joins the first maxNamed names and says how many more there
// are: "xã A, xã B và 12 xã, thị trấn khác".
func nameList(p *locales.Printer, names []string, moreKey string) string {
	if len(names) <= maxNamed {
		return strings.Join(names, ", ")
	}
	return p.T(moreKey, strings.Join(names[:maxNamed], ", "), p.Num(len(names)-maxNamed))
}

// deadlineLine says how far the deadline is from the day of now.
func deadlineLine(p *locales.Printer, deadline, now time.Time, loc *time.Location) string {
	days := daysBetween(dateOf(now.In(loc)), dateOf(deadline.In(loc)))
	switch {
	case days > 0:
		return p.N("reminders.deadline.before", days, p.Num(days), p.Date(deadline))
	case days < 0:
		return p.N("reminders.deadline.after", -days, p.Num(-days), p.Date(deadline))
	}
	return p.T("reminders.deadline.today", p.Date(deadline))
}

// maxReminderLines is the most communes a district head's reminder lists
// with what each lacks: a phone screen.
const maxReminderLines = 15

// behindLines list a district's communes behind with what each lacks, as
// many as a phone screen holds.
func behindLines(p *locales.Printer, m store.Milestone, d *store.DistrictProgress) []string {
	var lines []string
	for i, c := range d.Behind {
		if i == maxReminderLines {
			return append(lines, p.T("reminders.district.more", p.Num(len(d.Behind)-maxReminderLines)))
		}
		lines = append(lines, p.T("reminders.district.behind", communeName(p, *c.Commune), missingText(p, c.Commune.Type, m.Target, c.Missing)))
	}
	return lines
}

// renderReminder turns a planned reminder into the message its recipient
// reads, on the day of now: the deadline first, then what is asked of the
// reader (the escalated communes first), then the details. A district
// head's carries the "Đã nhận" button.
func renderReminder(p *locales.Printer, r Reminder, now time.Time, loc *time.Location, ackPause time.Duration) Message {
	m := r.Milestone
	lines := []string{
		p.T("reminders.header", m.Title(p.Lang())),
		deadlineLine(p, m.Deadline, now, loc),
	}
	if g := GoalLine(p, m, !r.Occasion.Step.IsZero()); g != "" {
		lines = append(lines, g)
	}
	switch {
	case r.District != nil:
		d := r.District
		if len(r.Escalated) > 0 {
			names := make([]string, len(r.Escalated))
			for i, c := range r.Escalated {
				names[i] = communeName(p, *c.Commune)
			}
			lines = append(lines, p.T("reminders.district.escalated", p.Num(len(names)), p.Num(m.Remind.EscalateAfter),
				nameList(p, names, "reminders.more_communes")))
		}
		switch {
		case m.ForUnits():
			// A reporting unit files through the bot: the button does it.
			lines = append(lines, p.T("units.reminder.missing", d.District.Name), p.T("units.reminder.file_hint"),
				p.T("reminders.district.ack_hint", p.Num(int(ackPause/(24*time.Hour)))))
			return Message{
				Text: strings.Join(lines, "\n"),
				Buttons: [][]Button{{{Text: p.T("units.button.file"), Data: FileCallbackData(m.ID)}},
					{{Text: p.T("reminders.button.ack"), Data: AckCallbackData(m.ID)}}},
			}
		case m.Kind == store.KindDistrictReport:
			lines = append(lines, p.T("reminders.district.report_missing", d.District.Name))
		case m.Goal.Share > 0:
			// A share of the district's posts: the figure is posts, the
			// communes listed those that still lack some.
			lines = append(lines, p.T("roadmap.reminder.share", d.District.Name, p.Num(d.AtTarget), p.Num(d.Posts),
				p.Percent(d.AtTarget, d.Posts)))
			lines = append(lines, behindLines(p, m, d)...)
		default:
			lines = append(lines, p.T("reminders.district.progress", d.District.Name, p.Num(d.Done), p.Num(d.Total), p.Num(d.Total-d.Done)))
			lines = append(lines, behindLines(p, m, d)...)
		}
		lines = append(lines, p.T("reminders.district.ack_hint", p.Num(int(ackPause/(24*time.Hour)))))
		return Message{
			Text:    strings.Join(lines, "\n"),
			Buttons: [][]Button{{{Text: p.T("reminders.button.ack"), Data: AckCallbackData(m.ID)}}},
		}
	case r.Commune != nil:
		c := r.Commune
		lines = append(lines,
			p.T("reminders.commune.missing", capital(communeName(p, *c.Commune)), missingText(p, c.Commune.Type, m.Target, c.Missing)),
			p.T("reminders.commune.report_hint"))
	}
	return Message{Text: strings.Join(lines, "\n")}
}
