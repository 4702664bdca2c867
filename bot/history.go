package bot

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// historyLength is how many of a place's reports /lichsu shows.
const historyLength = 15

// history answers /lichsu and "lịch sử báo cáo ...": a place's latest
// reports, newest first, each naming who made it, a person with their
// unit or the file it was imported from.
func (b *Bot) history(ctx context.Context, r *request, q understand.Query, t target) (string, error) {
	p := r.p
	sq := store.Question{Measure: store.MeasureList, Unit: store.UnitPosts, Kinds: q.Kinds, Changes: true, Limit: historyLength,
		Places: []store.Scope{t.scope}}
	res, err := b.db.Ask(ctx, sq)
	if err != nil {
		return "", fmt.Errorf("bot: history: %w", err)
	}
	if len(res[0].Rows) == 0 {
		return p.T("ask.history.none", t.label), nil
	}
	// A commune's slots are numbered as /xa numbers them, by the posts it
	// has; over many communes, a slot after the first is.
	var of map[store.PostKind]int
	if t.scope.Role == store.RoleCommune {
		posts, err := b.db.CommunePosts(ctx, t.scope.Code)
		if err != nil {
			return "", fmt.Errorf("bot: history: %w", err)
		}
		of = kindCounts(posts)
	}
	ids := make([]int64, len(res[0].Rows))
	for i, row := range res[0].Rows {
		ids[i] = row.Change.ID
	}
	details, err := b.db.ReportDetails(ctx, ids)
	if err != nil {
		return "", fmt.Errorf("bot: history: %w", err)
	}
	who, err := b.actorNames(ctx, p, res[0].Rows)
	if err != nil {
		return "", err
	}
	// A commune made by merges or splits shows each as one line, in its
	// place among the reports, rather than the report each carried post
	// got (store.Report.Carried): a merge of three communes carries a
	// dozen posts.
	var origins []store.CommuneOrigin
	if t.scope.Role == store.RoleCommune {
		if origins, err = b.db.CommuneOrigins(ctx, t.scope.Code); err != nil {
			return "", fmt.Errorf("bot: history: %w", err)
		}
	}
	var items []string
	for _, row := range res[0].Rows {
		rep := row.Change
		by := who[rep.Actor]
		where := ""
		if t.scope.Role != store.RoleCommune || row.CommuneCode != t.scope.Code {
			// Over many communes, or a report of a commune this one took
			// over when the map changed.
			where = b.communeLabel(p, row, t) + ": "
		}
		post := postName(p, rep.Kind, row.CommuneType, rep.Slot, of[rep.Kind])
		// The merges and splits older than this report come after it.
		for len(origins) > 0 && !origins[len(origins)-1].Effective.Before(rep.At) {
			items = append(items, originLine(p, origins[len(origins)-1]))
			origins = origins[:len(origins)-1]
		}
		if rep.OldStatus == "" {
			// The post's first record: nothing to change from.
			items = append(items, p.T("ask.history.first", p.At(rep.At), where, post, b.stateText(p, rep.NewStatus, rep.NewHolder), by)+
				b.historyDetails(ctx, p, details, rep.ID))
			continue
		}
		items = append(items, p.T("ask.history.item", p.At(rep.At), where, post,
			b.stateText(p, rep.OldStatus, rep.OldHolder), b.stateText(p, rep.NewStatus, rep.NewHolder), by)+
			b.historyDetails(ctx, p, details, rep.ID))
	}
	// The changes older than every report shown, shown all the same:
	// where the commune's posts came from.
	reports := len(items)
	for i := len(origins) - 1; i >= 0; i-- {
		items = append(items, originLine(p, origins[i]))
	}
	total := len(items)
	if res[0].More {
		total = res[0].Total.PostsHit + len(items) - reports
	}
	return linesOf(p, p.T("ask.history", lowerFirst(t.label)), items, total, "ask.more.reports"), nil
}

// originLine writes a merge or split that made a commune, for its
// history: "• 01/07/2025 — sáp nhập xã Tân Pheo, xã Đồng Chum, xã Giáp
// Đắt thành xã Tân Pheo."
func originLine(p *locales.Printer, o store.CommuneOrigin) string {
	ended := make([]string, len(o.Ended))
	for i, u := range o.Ended {
		ended[i] = communeName(p, store.Commune{Name: u.Name, Type: u.Type})
	}
	return p.T("mapchanges.history."+string(o.Kind), p.Date(o.Effective), strings.Join(ended, ", "),
		communeName(p, store.Commune{Name: o.Made.Name, Type: o.Made.Type}))
}

// historyDetails is what stands behind a report in the history: its
// decision, the holder's standards, and where its check stands; "" for a
// report without details (an import).
func (b *Bot) historyDetails(ctx context.Context, p *locales.Printer, details map[int64]store.Details, id int64) string {
	d, ok := details[id]
	if !ok {
		return ""
	}
	check := p.T("bot.history.check." + string(d.Check))
	switch d.Check {
	case store.CheckVerified:
		if by, err := b.personName(ctx, p, d.CheckedBy); err == nil && d.CheckedAt != nil {
			check = p.T("bot.history.verified_by", by, p.At(*d.CheckedAt))
		}
	case store.CheckReturned:
		check = p.T("bot.history.returned", esc(d.Reason))
	}
	return "\n  " + strings.ReplaceAll(b.detailsText(p, d), "\n", "\n  ") + "\n  " + check
}

// actorNames says who made each report, as every history names them
// (reminders.ActorNames), with the verb the line needs: "Bùi Văn An
// (Công an xã Tân Lập) báo cáo", "nhập từ tệp danh-sach.xlsx", "quản trị
// hệ thống (dòng lệnh) cập nhật". A person is named as they are now; one
// removed since by their Telegram id.
func (b *Bot) actorNames(ctx context.Context, p *locales.Printer, rows []store.Row) (map[string]string, error) {
	actors := make([]string, len(rows))
	for i, row := range rows {
		actors[i] = row.Change.Actor
	}
	names, err := reminders.ActorNames(ctx, b.db, p, actors, func(u store.User) string { return b.positionText(p, store.ScopeOf(u)) })
	if err != nil {
		return nil, fmt.Errorf("bot: history: %w", err)
	}
	for actor, name := range names {
		a := store.ParseActor(actor)
		switch {
		case a.File != "":
			names[actor] = esc(name)
		case a.CommandLine:
			names[actor] = p.T("ask.actor.cli", esc(name))
		default:
			names[actor] = p.T("ask.actor.by", esc(name))
		}
	}
	return names, nil
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

// milestones answers /moc for scope s: the milestone due next first, with
// how far its deadline is, then the plans' other milestones by deadline;
// those asked of the reporting units only where there are units (not in a
// district's or a commune's scope).
func (b *Bot) milestones(p *locales.Printer, s store.Scope) string {
	plans := *b.plans.Load()
	if len(plans) == 0 {
		return p.T("ask.no_plan")
	}
	today := b.today()
	daysTo := func(m store.Milestone) int {
		dl := time.Date(m.Deadline.Year(), m.Deadline.Month(), m.Deadline.Day(), 0, 0, 0, 0, b.loc)
		return int(math.Round(dl.Sub(today).Hours() / 24))
	}
	var all []store.Milestone
	for _, pl := range plans {
		for _, m := range pl.Milestones {
			if m.ForUnits() && (s.Role == store.RoleDistrict || s.Role == store.RoleCommune) {
				continue
			}
			all = append(all, m)
		}
	}
	slices.SortStableFunc(all, func(a, b store.Milestone) int { return a.Deadline.Compare(b.Deadline) })
	next := slices.IndexFunc(all, func(m store.Milestone) bool { return daysTo(m) >= 0 })
	item := func(key string, m store.Milestone) string {
		var when string
		switch days := daysTo(m); {
		case days > 0:
			when = p.N("ask.milestone.in_days", days)
		case days == 0:
			when = p.T("ask.milestone.today")
		default:
			when = p.N("ask.milestone.days_ago", -days)
		}
		return p.T(key, esc(m.Title(p.Lang())), p.Date(m.Deadline), p.Quarter(m.Deadline), when)
	}
	head := p.T("ask.milestone.none_ahead")
	if next >= 0 {
		head = item("ask.milestone.next", all[next]) + "\n\n" + p.T("ask.milestone.header")
	}
	var items []string
	for i, m := range all {
		if i != next {
			items = append(items, item("ask.milestone.item", m))
		}
	}
	return linesOf(p, head, items, len(items), "ask.more.milestones")
}
