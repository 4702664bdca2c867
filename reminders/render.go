package reminders

import (
	"strings"
	"time"

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

// communeName shows a commune with its type: "xã Tân Hòa".
func communeName(p *locales.Printer, c store.Commune) string {
	return p.T("reminders.commune_name", p.T("commune_type."+string(c.Type)), c.Name)
}

// missingText lists a commune's missing posts in the kinds' order:
// "Trưởng Công an xã: 1, Phó Trưởng Công an xã: 2".
func missingText(p *locales.Printer, missing map[store.PostKind]int) string {
	var parts []string
	for _, k := range store.PostKinds {
		if n := missing[k]; n > 0 {
			parts = append(parts, p.T("reminders.missing", p.T("post."+string(k)), n))
		}
	}
	return strings.Join(parts, ", ")
}

// deadlineLine says how far the deadline is from the day of now.
func deadlineLine(p *locales.Printer, deadline, now time.Time, loc *time.Location) string {
	days := daysBetween(dateOf(now.In(loc)), dateOf(deadline.In(loc)))
	switch {
	case days > 0:
		return p.N("reminders.deadline.before", days, p.Date(deadline))
	case days < 0:
		return p.N("reminders.deadline.after", -days, p.Date(deadline))
	}
	return p.T("reminders.deadline.today", p.Date(deadline))
}

// renderReminder turns a planned reminder into the message its recipient
// reads, on the day of now. A district head's carries the "Đã nhận"
// button.
func renderReminder(p *locales.Printer, r Reminder, now time.Time, loc *time.Location, ackPause time.Duration) Message {
	m := r.Milestone
	lines := []string{
		p.T("reminders.header", m.Title(p.Lang())),
		deadlineLine(p, m.Deadline, now, loc),
	}
	switch {
	case r.District != nil:
		d := r.District
		if m.Kind == store.KindDistrictReport {
			lines = append(lines, p.T("reminders.district.report_missing", d.District.Name))
		} else {
			lines = append(lines, p.T("reminders.district.progress", d.District.Name, d.Done, d.Total))
			for _, c := range d.Behind {
				lines = append(lines, p.T("reminders.district.behind", communeName(p, c.Commune), missingText(p, c.Missing)))
			}
		}
		if len(r.Escalated) > 0 {
			names := make([]string, len(r.Escalated))
			for i, c := range r.Escalated {
				names[i] = communeName(p, c.Commune)
			}
			lines = append(lines, p.T("reminders.district.escalated", m.Remind.EscalateAfter, strings.Join(names, ", ")))
		}
		lines = append(lines, p.T("reminders.district.ack_hint", int(ackPause/(24*time.Hour))))
		return Message{
			Text:    strings.Join(lines, "\n"),
			Buttons: [][]Button{{{Text: p.T("reminders.button.ack"), Data: AckCallbackData(m.ID)}}},
		}
	case r.Commune != nil:
		lines = append(lines, p.T("reminders.commune.missing", communeName(p, r.Commune.Commune), missingText(p, r.Commune.Missing)))
	}
	return Message{Text: strings.Join(lines, "\n")}
}
