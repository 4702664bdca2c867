package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// historyLength is how many of a commune's reports /lichsu shows.
const historyLength = 15

// history answers /lichsu: a commune's latest reports, newest first, each
// naming who made it, a person with their unit or the file it was
// imported from.
func (b *Bot) history(ctx context.Context, p *locales.Printer, s store.Scope) (string, error) {
	reps, err := b.db.History(ctx, s.Code, historyLength)
	if err != nil {
		return "", fmt.Errorf("bot: history: %w", err)
	}
	c := b.roster.Load().communes[s.Code]
	place := communeName(p, c)
	if len(reps) == 0 {
		return p.T("bot.history.none", place), nil
	}
	// Slots are numbered as /xa numbers them, by the posts the commune has.
	posts, err := b.db.CommunePosts(ctx, s.Code)
	if err != nil {
		return "", fmt.Errorf("bot: history: %w", err)
	}
	of := kindCounts(posts)
	who := make(map[string]string)
	var items []string
	for _, rep := range reps {
		by, ok := who[rep.Actor]
		if !ok {
			if by, err = b.actorName(ctx, p, rep.Actor); err != nil {
				return "", err
			}
			who[rep.Actor] = by
		}
		post := postName(p, rep.Kind, c.Type, rep.Slot, of[rep.Kind])
		if rep.OldStatus == "" {
			// The post's first record: nothing to change from.
			items = append(items, p.T("bot.history.first", p.At(rep.At), post, b.stateText(p, rep.NewStatus, rep.NewHolder), by))
			continue
		}
		items = append(items, p.T("bot.history.item", p.At(rep.At), post,
			b.stateText(p, rep.OldStatus, rep.OldHolder), b.stateText(p, rep.NewStatus, rep.NewHolder), by))
	}
	return lines(p, p.T("bot.history.header", place), items, "bot.list.more_reports"), nil
}

// actorName says who made a report: "Bùi Văn An (Công an xã Tân Lập)
// báo cáo", "nhập từ tệp danh-sach.xlsx". A person is named as they are
// now; one removed since is named by their Telegram id.
func (b *Bot) actorName(ctx context.Context, p *locales.Printer, actor string) (string, error) {
	a := store.ParseActor(actor)
	switch {
	case a.File != "":
		return p.T("bot.history.by_file", esc(a.File)), nil
	case a.UserID != 0:
		u, err := b.db.User(ctx, a.UserID)
		if errors.Is(err, store.ErrNotFound) {
			return p.T("bot.history.by_gone", strconv.FormatInt(a.UserID, 10)), nil
		}
		if err != nil {
			return "", fmt.Errorf("bot: history: %w", err)
		}
		return p.T("bot.history.by_user", esc(u.Name), b.position(p, store.ScopeOf(u))), nil
	}
	return esc(actor), nil
}

// stateText writes a post's state: "chính quy (Bùi Văn An)", "khuyết", "–".
func (b *Bot) stateText(p *locales.Printer, st store.Status, holder string) string {
	if st == "" {
		return "–"
	}
	if holder == "" {
		return p.T("status." + string(st))
	}
	return p.T("bot.state.held", p.T("status."+string(st)), esc(holder))
}

// milestones answers /moc: the milestone due next first, with how far its
// deadline is, then the plan's other milestones.
func (b *Bot) milestones(ctx context.Context, p *locales.Printer) (string, error) {
	plans := *b.plans.Load()
	if len(plans) == 0 {
		return p.T("bot.progress.no_plan"), nil
	}
	today := b.today()
	daysTo := func(m store.Milestone) int {
		dl := time.Date(m.Deadline.Year(), m.Deadline.Month(), m.Deadline.Day(), 0, 0, 0, 0, b.loc)
		return int(math.Round(dl.Sub(today).Hours() / 24))
	}
	var all []store.Milestone
	next := -1
	for _, pl := range plans {
		for _, m := range pl.Milestones {
			if d := daysTo(m); d >= 0 && (next < 0 || m.Deadline.Before(all[next].Deadline)) {
				next = len(all)
			}
			all = append(all, m)
		}
	}
	item := func(key string, m store.Milestone) string {
		var when string
		switch days := daysTo(m); {
		case days > 0:
			when = p.N("bot.milestone.in_days", days)
		case days == 0:
			when = p.T("bot.milestone.today")
		default:
			when = p.N("bot.milestone.days_ago", -days)
		}
		return p.T(key, esc(m.Title(p.Lang())), p.Date(m.Deadline), p.Quarter(m.Deadline), when)
	}
	head := p.T("bot.milestone.none_ahead")
	if next >= 0 {
		head = item("bot.milestone.next", all[next]) + "\n\n" + p.T("bot.milestone.header")
	}
	var items []string
	for i, m := range all {
		if i != next {
			items = append(items, item("bot.milestone.item", m))
		}
	}
	return lines(p, head, items, "bot.list.more_milestones"), nil
}
