package reminders

import (
	"context"
	"strings"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// PreviewLine is one reminder that would go out.
type PreviewLine struct {
	Key    string // the outbox key it would have
	ChatID int64
	Role   store.Role
	Scope  string
	DueAt  time.Time
	Text   string
}

// Preview returns the reminders that the day's run would write into the
// outbox, as the store stands now, without writing or sending anything
// (for `caxbot reminders preview --date 2020-03-24`). Acknowledgements and
// escalations are judged at the day's send time.
func (s *Scheduler) Preview(ctx context.Context, day time.Time) ([]PreviewLine, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	loc := s.Calendar.Location()
	start := dateOf(day.In(loc)).midnight(loc)
	sendAt := s.SendAt
	if sendAt == (TimeOfDay{}) {
		sendAt = DefaultSendAt
	}
	planned, err := s.plan(ctx, start.Add(-time.Nanosecond), start.AddDate(0, 0, 1).Add(-time.Nanosecond), s.Calendar.at(start, sendAt))
	if err != nil {
		return nil, err
	}
	out := make([]PreviewLine, 0, len(planned))
	for _, p := range planned {
		r := p.recipient
		out = append(out, PreviewLine{Key: p.key, ChatID: r.ChatID, Role: r.Role, Scope: r.Scope, DueAt: p.due, Text: p.message.Text})
	}
	return out, nil
}

// FormatPreview shows preview lines for the command line, one block per
// message, or says that nothing goes out on day.
func FormatPreview(p *locales.Printer, day time.Time, lines []PreviewLine) string {
	if len(lines) == 0 {
		return p.T("preview.none", p.Date(day)) + "\n"
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(p.T("preview.line", p.DateTime(l.DueAt), l.ChatID, p.T("role."+string(l.Role)), l.Scope, l.Key))
		b.WriteString("\n" + l.Text + "\n\n")
	}
	return b.String()
}
