package bot

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// listBudget is how many characters of list lines an answer holds before
// it says how many more there are: Telegram's limit is 4096 in all.
const listBudget = 3300

// linesOf joins a header and list lines, cutting the list to the budget
// with "… and N more"; total counts the items, of which only the first
// may be given.
func linesOf(p *locales.Printer, header string, items []string, total int, moreKey string) string {
	return linesEach(p, header, len(items), func(i int) string { return items[i] }, total, moreKey)
}

// linesEach is linesOf over n items written by item on demand: a list
// answer reads up to 200 rows, of which the budget holds a few dozen, and
// the rest are never written.
func linesEach(p *locales.Printer, header string, n int, item func(i int) string, total int, moreKey string) string {
	var sb strings.Builder
	sb.WriteString(header)
	for i := range n {
		it := item(i)
		if sb.Len()+len(it) > listBudget {
			sb.WriteString("\n" + p.N(moreKey, total-i, p.Num(total-i)))
			return sb.String()
		}
		sb.WriteString("\n" + it)
	}
	if total > n {
		sb.WriteString("\n" + p.N(moreKey, total-n, p.Num(total-n)))
	}
	return sb.String()
}

// asked is a question as the store answers it, with what the answer
// needs to restate it.
type asked struct {
	store.Question
	negated   bool
	progress  *store.Milestone // the stage of the milestone progress is measured against
	milestone store.Milestone  // that milestone, whole (its forecast's)
	targets   []target
	unitTypes []store.CommuneType
	either    bool // "cq hay bct": the answer names the status that holds
}

// question turns what the words asked into the store's question over the
// targets.
func (b *Bot) question(q understand.Query, ts []target) (asked, bool) {
	a := asked{negated: q.Negated, targets: ts, unitTypes: q.Types, either: q.Either && q.Measure == store.MeasureYesNo}
	sq := store.Question{Measure: q.Measure, Unit: q.Unit, Kinds: q.Kinds, Statuses: q.Statuses, Match: q.Match,
		Group: q.Group, Order: q.Order, Limit: q.Limit, Changes: q.Changes, AtLeast: q.AtLeast, BySince: q.BySince,
		From: q.Window.From, To: q.Window.To, Select: store.Selector{Types: q.Types}, AsOf: q.AsOf, Facts: q.Facts}
	for _, t := range ts {
		sq.Places = append(sq.Places, t.scope)
	}
	commune := ts[0].scope.Role == store.RoleCommune
	if q.OnTime {
		// "đúng hạn": held since before the deadline of the plan's
		// milestone for these posts.
		m, ok := b.deadlineFor(q.Kinds)
		if !ok {
			return a, false
		}
		sq.To = time.Date(m.Deadline.Year(), m.Deadline.Month(), m.Deadline.Day(), 0, 0, 0, 0, b.loc).AddDate(0, 0, 1)
	}
	if q.Progress {
		// Measured against the stage of the milestone at the moment asked
		// about: a roadmap's step while one is ahead.
		at := b.at(q.AsOf)
		// The milestone of the day named: AsOf is that day's end, the
		// next day's first instant, when the day's own deadline is past.
		whole, ok := b.currentMilestone(at.Add(-time.Nanosecond))
		if !ok {
			return a, false
		}
		m := whole.StageAt(at)
		a.progress, a.milestone = &m, whole
		sq.Kinds, sq.Statuses, sq.Match, sq.Unit = m.Posts, []store.Status{m.Target}, store.MatchAll, store.UnitCommunes
		switch {
		case m.Goal.Share > 0:
			// A share of the posts: its posts at the target status.
			sq.Match, sq.Unit = store.MatchAny, store.UnitPosts
		case m.Goal.Count > 0:
			sq.Match, sq.AtLeast = store.MatchAny, m.Goal.Count
		}
		if sq.Statuses[0] == "" {
			sq.Statuses[0] = store.Regular
		}
		sq.Select = m.Communes
		if len(q.Types) > 0 {
			sq.Select.Types = q.Types
		}
		a.negated = false
	}
	if sq.Unit == "" {
		explicit := slices.ContainsFunc(q.Statuses, func(s store.Status) bool { return s != store.Regular }) && !q.Negated
		switch {
		case q.Measure == store.MeasureCount && (explicit || len(q.Kinds) > 0):
			// "trống mấy", "còn mấy phó trưởng": posts.
			sq.Unit = store.UnitPosts
		case (q.Measure == store.MeasureShare || q.ByShare) && len(q.Kinds) > 0 && !q.Progress:
			// "tỷ lệ công an viên chính quy": of the officers' posts.
			sq.Unit = store.UnitPosts
		case q.Changes:
			sq.Unit = store.UnitPosts
		case commune, q.Measure == store.MeasureHolder, q.Measure == store.MeasureSince:
			sq.Unit = store.UnitPosts
		default:
			sq.Unit = store.UnitCommunes
		}
	}
	if commune && sq.Unit == store.UnitCommunes && !q.Progress && q.Measure != store.MeasureYesNo {
		// A commune's communes are itself: its posts are asked about.
		sq.Unit = store.UnitPosts
	}
	if q.Measure == store.MeasureRank && sq.Group == "" {
		sq.Group = below(ts[0].scope)
	}
	if q.Measure == store.MeasureRank && sq.Order == "" {
		sq.Order = store.OrderDesc
	}
	if (q.Measure == store.MeasureRank || q.Measure == store.MeasureCompare) && (q.Progress || q.ByShare) {
		// A ranking by progress is a ranking of shares.
		sq.Measure = store.MeasureShare
	}
	a.Question = sq
	return a, true
}

// beforeFirstReport says, for a moment before the reports of a place
// begin, that the store knows nothing of it then and when it starts: the
// state at such a moment is no report's, and counting it would answer
// "không có" where the posts were only not reported yet. Empty when every
// place has a report before the moment.
func (b *Bot) beforeFirstReport(ctx context.Context, p *locales.Printer, asOf time.Time, ts []target) (string, error) {
	for _, t := range ts {
		first, ok, err := b.db.FirstReport(ctx, t.scope)
		if err != nil {
			return "", fmt.Errorf("bot: answer: %w", err)
		}
		day := p.Date(asOf.Add(-time.Nanosecond))
		switch {
		case !ok:
			return p.T("ask.as_of.no_reports", t.label, day), nil
		case !first.Before(asOf):
			return p.T("ask.as_of.before_first", t.label, day, p.Date(first)), nil
		}
	}
	return "", nil
}

// below is the level a place breaks down into.
func below(s store.Scope) store.Level {
	switch s.Role {
	case store.RoleProvince:
		return store.LevelDistrict
	case store.RoleDistrict, store.RoleCommune:
		return store.LevelCommune
	}
	return store.LevelProvince
}

// evaluate answers a question about the roster over its targets, the
// first line restating what was understood.
func (b *Bot) evaluate(ctx context.Context, r *request, q understand.Query, ts []target) (string, error) {
	// An answer reads; it sees the posts in one state.
	ctx = b.db.OneLook(ctx)
	p := r.p
	if !q.AsOf.IsZero() && q.AsOf.After(b.today().AddDate(0, 0, 1)) {
		// "cuối năm 2020 có bao nhiêu ..." asked in April 2020: the
		// reports know only up to now, so the answer is today's, and
		// says so, rather than the state "đến hết ngày 31/12/2020".
		day := p.Date(q.AsOf.Add(-time.Nanosecond))
		q.AsOf = time.Time{}
		text, err := b.evaluate(ctx, r, q, ts)
		return p.T("ask.as_of.future", day, p.Date(b.now())) + "\n" + text, err
	}
	if q.History {
		return b.history(ctx, r, q, ts[0])
	}
	if q.Overview {
		// "tình hình ... ngày 31/03/2020": the overview of that moment.
		if ts[0].scope.Role == store.RoleCommune {
			q = understand.Query{Measure: store.MeasureHolder, Overview: true, AsOf: q.AsOf}
		} else {
			q = understand.Query{Measure: store.MeasureShare, Progress: true, Overview: true, AsOf: q.AsOf}
		}
	}
	if q.Unit == understand.UnitDistricts || q.Unit == understand.UnitProvinces {
		return b.levelCount(ctx, p, q, ts[0])
	}
	a, ok := b.question(q, ts)
	if !ok {
		return p.T("ask.no_plan"), nil
	}
	if q.Measure == store.MeasureList && a.Group != "" && !a.Changes {
		a.Measure = store.MeasureCount
	}
	note := ""
	if a.Group == store.LevelDistrict && a.progress == nil && b.withoutDistrictsAt(ts[0].scope, a.AsOf) {
		// "huyện nào ... thấp nhất" in a province whose districts ended:
		// its only unit is the province itself, so the answer is by
		// commune, and says why. Counted in communes, each commune is one
		// or none: the province's own figure answers then.
		key := "ask.no_districts.communes"
		a.Group = store.LevelCommune
		if a.Unit == store.UnitCommunes {
			key = "ask.no_districts.whole"
			a.Group, a.Order, a.Limit = "", "", 0
			if a.Measure == store.MeasureRank {
				a.Measure = store.MeasureCount
			}
			q.Measure = a.Measure
		}
		note = p.T(key, esc(upperFirst(p.Province(b.roster.Load().provinces[ts[0].scope.Code].Name)))) + "\n"
	}
	if !a.AsOf.IsZero() {
		if text, err := b.beforeFirstReport(ctx, p, a.AsOf, ts); text != "" || err != nil {
			return text, err
		}
	}
	res, err := b.db.Ask(ctx, a.Question)
	if err != nil {
		return "", fmt.Errorf("bot: answer: %w", err)
	}
	if !a.AsOf.IsZero() {
		// What was true then, computed from the reports: said first.
		text, err := b.answer(ctx, p, q, a, res, ts)
		return p.T("roadmap.ask.as_of", p.Date(a.AsOf.Add(-time.Nanosecond))) + "\n" + note + text, err
	}
	text, err := b.answer(ctx, p, q, a, res, ts)
	return note + text, err
}

// withoutDistrictsAt is withoutDistricts at the moment asked about (zero:
// now).
func (b *Bot) withoutDistrictsAt(s store.Scope, at time.Time) bool {
	if s.Role != store.RoleProvince || !b.withoutDistricts(s.Code) {
		return false
	}
	ro := b.roster.Load()
	if at.IsZero() {
		return true
	}
	// Asked about a moment: the districts that ended after it were still
	// on the map then.
	for _, fs := range ro.former {
		for _, f := range fs {
			if f.Role == store.RoleDistrict && f.Successor == s.Code && at.Before(f.Ended.Add(time.Nanosecond)) {
				return false
			}
		}
	}
	return true
}

// answer writes the answer to an asked question from its results.
func (b *Bot) answer(ctx context.Context, p *locales.Printer, q understand.Query, a asked, res []store.Result, ts []target) (string, error) {
	switch {
	case a.Changes:
		return b.changesAnswer(p, a, res[0], ts[0]), nil
	case q.Overview && ts[0].scope.Role == store.RoleCommune:
		return b.communeAnswer(p, a, res[0], ts[0]), nil
	case a.progress != nil && q.Measure != store.MeasureYesNo && q.Measure != store.MeasureCount && q.Measure != store.MeasureRank && q.Measure != store.MeasureCompare:
		return b.progressAnswer(ctx, p, a, res[0], ts[0])
	}
	switch q.Measure {
	case store.MeasureCount:
		if q.Measure == store.MeasureCount && a.Group != "" && len(res[0].Groups) > 0 {
			return b.breakdownAnswer(p, a, res[0], ts[0], q.Measure != store.MeasureCount), nil
		}
		return b.countAnswer(p, a, res[0], ts[0]), nil
	case store.MeasureList:
		if a.Group != "" {
			return b.breakdownAnswer(p, a, res[0], ts[0], true), nil
		}
		return b.listAnswer(p, a, res[0], ts[0]), nil
	case store.MeasureShare:
		return b.shareAnswer(p, a, res[0], ts[0]), nil
	case store.MeasureRank:
		return b.rankAnswer(p, a, res[0], ts[0]), nil
	case store.MeasureCompare:
		return b.compareAnswer(p, a, res), nil
	case store.MeasureYesNo:
		return b.yesNoAnswer(ctx, p, a, res[0], ts[0])
	case store.MeasureHolder, store.MeasureSince:
		return b.holderAnswer(p, a, res[0], ts[0]), nil
	}
	return b.countAnswer(p, a, res[0], ts[0]), nil
}

// levelCount answers how many districts or provinces a place has: the
// groups of a breakdown of its communes.
func (b *Bot) levelCount(ctx context.Context, p *locales.Printer, q understand.Query, t target) (string, error) {
	level, noun := store.LevelDistrict, "ask.unit.districts"
	if q.Unit == understand.UnitProvinces {
		level, noun = store.LevelProvince, "ask.unit.provinces"
	}
	res, err := b.db.Ask(ctx, store.Question{Measure: store.MeasureCount, Unit: store.UnitCommunes, Group: level,
		Places: []store.Scope{t.scope}, Select: store.Selector{Types: []store.CommuneType{store.Xa, store.ThiTran, store.Phuong}}})
	if err != nil {
		return "", fmt.Errorf("bot: answer: %w", err)
	}
	return p.T("ask.count.units", t.label, p.Num(len(res[0].Groups)), p.Noun(noun, len(res[0].Groups))), nil
}

// hits is the figure the question counts: communes, or posts.
func hits(a asked, t store.Tally) int {
	if a.Unit == store.UnitCommunes {
		return t.CommunesHit
	}
	return t.PostsHit
}

func considered(a asked, t store.Tally) int {
	if a.Unit == store.UnitCommunes {
		return t.Communes
	}
	return t.Posts
}

// still says whether the figure is of what is missing: "còn 16 xã".
func (a asked) still() bool {
	return a.negated || len(a.Statuses) > 0 && !slices.Contains(a.Statuses, store.Regular)
}

// condFor is the condition of a line and the noun of what it counts, for
// a count of n: the posts' condition names its noun itself, where each
// language puts it ("2/9 vị trí Trưởng Công an xã …", "2/9 Chief of
// commune police posts …"), so the noun is then left empty.
func condFor(p *locales.Printer, a asked, ct store.CommuneType, n int) (unit, cond string) {
	if a.progress != nil {
		return unitNoun(p, a.Unit, a.unitTypes, n), p.T("ask.rank.progress")
	}
	if a.Unit == store.UnitPosts {
		return "", condition(p, a.Question, a.negated, ct)
	}
	return unitNoun(p, a.Unit, a.unitTypes, n), condition(p, a.Question, a.negated, ct)
}

// countLine restates a count: "Huyện Lạc Sơn: còn 16 xã chưa có Trưởng
// Công an xã chính quy."; of posts, their kind and what they are apart,
// for the languages that put "still" between them ("91 Chief of commune
// police posts still not held by regular police").
func countLine(p *locales.Printer, a asked, t target, n int) string {
	key := "ask.count"
	var args []any
	if a.Unit == store.UnitPosts && a.progress == nil {
		key = "ask.count.posts"
		args = []any{t.label, p.Num(n), unitNoun(p, a.Unit, a.unitTypes, n), kindsText(p, a.Kinds, placeKindOf(t)),
			postsPredicate(p, a.Question, a.negated)}
	} else {
		unit, cond := condFor(p, a, placeKindOf(t), n)
		args = []any{t.label, p.Num(n), unit, cond}
	}
	switch {
	case n == 0:
		key += ".none"
	case a.still():
		key += ".still"
	}
	line := strings.Join(strings.Fields(p.T(key, args...)), " ")
	if strings.HasSuffix(line, " .") {
		line = strings.TrimSuffix(line, " .") + "."
	}
	return line
}

func (b *Bot) countAnswer(p *locales.Printer, a asked, res store.Result, t target) string {
	return countLine(p, a, t, hits(a, res.Total))
}

// breakdownAnswer answers a count broken down by district, province or
// commune; nonzero keeps only the groups with some.
func (b *Bot) breakdownAnswer(p *locales.Printer, a asked, res store.Result, t target, nonzero bool) string {
	header := countLine(p, a, t, hits(a, res.Total))
	var items []string
	for _, g := range res.Groups {
		n := hits(a, g)
		if nonzero && n == 0 {
			continue
		}
		items = append(items, p.T("ask.group.item", esc(b.groupName(p, a.Group, g)), p.Num(n), unitNoun(p, a.Unit, a.unitTypes, n)))
	}
	if len(items) == 0 {
		return header
	}
	return linesOf(p, strings.TrimSuffix(header, ".")+":", items, len(items), "ask.more.places")
}

// groupName names a group of a breakdown: a commune with its type.
func (b *Bot) groupName(p *locales.Printer, level store.Level, g store.Tally) string {
	if level == store.LevelCommune {
		if c, ok := b.roster.Load().communes[g.Code]; ok {
			return upperFirst(p.T("commune_type."+string(c.Type))) + " " + c.Name
		}
	}
	if g.Name == "" {
		return g.Code
	}
	return g.Name
}

// listAnswer lists the communes, posts or people a question selects.
func (b *Bot) listAnswer(p *locales.Printer, a asked, res store.Result, t target) string {
	ct := placeKindOf(t)
	rows := res.Rows
	if t.scope.Role == store.RoleCommune {
		// A commune's answer carries its other posts too.
		rows = slices.DeleteFunc(slices.Clone(rows), func(r store.Row) bool { return !r.Hit })
	}
	n := hits(a, res.Total)
	if t.scope.Role == store.RoleCommune && a.Unit == store.UnitPosts {
		n = len(rows)
	}
	header := countLine(p, a, t, n)
	if n == 0 {
		return header
	}
	header = strings.TrimSuffix(header, ".") + ":"
	numbered := numberedKinds(rows)
	if a.Unit != store.UnitCommunes {
		return linesEach(p, header, len(rows), func(i int) string {
			row := rows[i]
			line := b.postLine(p, row, numbered[row.CommuneCode+"/"+string(row.Kind)], ct)
			if t.scope.Role != store.RoleCommune {
				line = p.T("ask.item.in", b.communeLabel(p, row, t), line)
			}
			return "• " + line
		}, hits(a, res.Total), "ask.more.posts")
	}
	// Each commune's rows (their indices), in the order its first came.
	var order []string
	byCommune := make(map[string][]int)
	for i, row := range rows {
		if _, ok := byCommune[row.CommuneCode]; !ok {
			order = append(order, row.CommuneCode)
		}
		byCommune[row.CommuneCode] = append(byCommune[row.CommuneCode], i)
	}
	return linesEach(p, header, len(order), func(i int) string {
		own := byCommune[order[i]]
		lines := make([]string, len(own))
		for j, k := range own {
			row := rows[k]
			lines[j] = b.postLine(p, row, numbered[row.CommuneCode+"/"+string(row.Kind)], row.CommuneType, true)
		}
		return p.T("ask.item.commune", b.communeLabel(p, rows[own[0]], t), strings.Join(lines, "; "))
	}, res.Total.CommunesHit, b.moreCommunes(t))
}

// numberedKinds says which kinds of which commune have more than one
// post among the rows, to be numbered: "Công an viên 2".
func numberedKinds(rows []store.Row) map[string]bool {
	out := make(map[string]bool)
	for _, r := range rows {
		if r.Slot > 1 {
			out[r.CommuneCode+"/"+string(r.Kind)] = true
		}
	}
	return out
}

// moreCommunes is the key of the line that ends a list of communes cut
// short: it suggests asking district by district, or commune by commune
// in a province that has no districts any more.
func (b *Bot) moreCommunes(t target) string {
	if t.scope.Role == store.RoleProvince && b.withoutDistricts(t.scope.Code) {
		return "mapchanges.more_communes"
	}
	return "ask.more.communes"
}

// withoutDistricts reports whether the province has abolished its
// districts: its communes belong to it directly.
func (b *Bot) withoutDistricts(province string) bool {
	ds := b.roster.Load().ofProvince[province]
	return len(ds) > 0 && !slices.ContainsFunc(ds, func(d store.District) bool { return !d.Direct() })
}

// communeLabel names a row's commune inside a list: "Xã Tân Lập", with its
// district for those who see several.
func (b *Bot) communeLabel(p *locales.Printer, row store.Row, t target) string {
	name := upperFirst(p.T("commune_type."+string(row.CommuneType))) + " " + esc(row.CommuneName)
	direct := row.DistrictCode == row.ProvinceCode && t.scope.Role == store.RoleProvince
	if (t.scope.Role == store.RoleProvince || t.scope.All()) && !direct {
		name = p.T("ask.place.commune_in", name, esc(p.InSentence(row.DistrictName)))
	}
	return name
}

// postLine writes a post: "Trưởng Công an xã: chính quy — Bùi Văn An, từ
// 15/03/2020"; inline, inside a commune's line, without the colon.
func (b *Bot) postLine(p *locales.Printer, row store.Row, numbered bool, ct store.CommuneType, inline ...bool) string {
	if ct == "" {
		// A line of an area's answer: the post after its own commune's
		// type ("Thị trấn Vụ Bản: Trưởng Công an thị trấn").
		ct = row.CommuneType
	}
	name := postSlot(p, row.Kind, row.Slot, numbered, ct)
	state := p.T("status." + string(row.Status))
	if row.Unreported {
		state = p.T("ask.unreported")
	}
	key := "ask.post"
	if len(inline) > 0 && inline[0] {
		key = "ask.post.inline"
	}
	line := p.T(key, name, state)
	if row.Holder != "" {
		line += p.T("ask.post.holder", esc(row.Holder))
	}
	if row.Since != nil {
		line += p.T("ask.post.since", p.Date(dateOf(*row.Since)))
	}
	return line
}

// shareAnswer: "Huyện Kim Bôi: 6/17 xã đã có Trưởng Công an xã chính quy
// (35,3%)."
func (b *Bot) shareAnswer(p *locales.Printer, a asked, res store.Result, t target) string {
	line := shareLine(p, a, t, res.Total)
	if len(res.Groups) == 0 {
		return line
	}
	var items []string
	for _, g := range res.Groups {
		items = append(items, p.T("ask.share.item", esc(b.groupName(p, a.Group, g)), p.Num(hits(a, g)), p.Num(considered(a, g)),
			p.Percent(hits(a, g), considered(a, g))))
	}
	return linesOf(p, strings.TrimSuffix(line, ".")+":", items, len(items), "ask.more.places")
}

func shareLine(p *locales.Printer, a asked, t target, tally store.Tally) string {
	n, of := hits(a, tally), considered(a, tally)
	unit, cond := condFor(p, a, placeKindOf(t), of)
	if of == 0 {
		return p.T("ask.share.nothing", t.label, unitNoun(p, a.Unit, a.unitTypes, 0))
	}
	return strings.Join(strings.Fields(p.T("ask.share", t.label, p.Num(n), p.Num(of), unit, cond, p.Percent(n, of))), " ")
}

// progressAnswer answers how far the plan has come: against its current
// milestone, broken down by the next level, or the communes behind.
func (b *Bot) progressAnswer(ctx context.Context, p *locales.Printer, a asked, res store.Result, t target) (string, error) {
	m := a.progress
	n, of := res.Total.CommunesHit, res.Total.Communes
	title := esc(m.Title(p.Lang()))
	if of == 0 {
		return p.T("ask.progress.nothing", t.label, title), nil
	}
	postsHit, posts := res.Total.PostsHit, res.Total.Posts
	// Beside the figures reported, the share the districts verified; a
	// plan that counts verified changes only is measured so.
	verified := ""
	var counted []store.CommuneProgress // the communes behind, when only verified changes count
	var ro *store.Roster                // the scope's roster now, when read
	if a.AsOf.IsZero() && m.Kind == store.KindPosts {
		got, err := b.storeRoster(ctx, t.scope, *m)
		if err != nil {
			return "", fmt.Errorf("bot: progress: %w", err)
		}
		ro = &got
		pr := store.Evaluate(*m, *ro)
		verified = reminders.VerifiedLine(p, pr)
		if m.CountVerified {
			n, of, postsHit, posts = pr.Done, pr.Total, pr.AtTarget, pr.Posts
			counted = pr.Behind()
		}
	}
	head := p.T("ask.progress", t.label, p.Num(n), p.Num(of), title, p.Percent(n, of), p.Date(m.Deadline), p.Quarter(m.Deadline))
	if m.Goal.Share > 0 {
		n, of = postsHit, posts
		head = p.T("roadmap.ask.progress_posts", t.label, p.Num(n), p.Num(of), title, p.Percent(n, of))
	}
	if g := reminders.GoalLine(p, *m, a.milestone.IsStep(*m)); g != "" {
		head += "\n" + g
	}
	if verified != "" {
		head += "\n" + verified
	}
	if f, err := b.forecast(ctx, p, a, t, ro); err != nil {
		return "", err
	} else if f != "" {
		head += "\n" + f
	}
	if t.scope.Role == store.RoleCommune {
		return head, nil
	}
	if t.scope.Role == store.RoleDistrict && m.CountVerified && verified != "" {
		// The communes behind as the plan counts them: a report waiting
		// for its check does not take its commune off the list.
		var items []string
		for _, c := range counted {
			items = append(items, "• "+upperFirst(communeName(p, *c.Commune)))
		}
		if len(items) == 0 {
			return head, nil
		}
		return linesOf(p, head+"\n"+p.T("ask.progress.behind"), items, len(items), "ask.more.communes"), nil
	}
	if t.scope.Role == store.RoleDistrict {
		// The communes behind, by name.
		q := a.Question
		q.Measure, q.Statuses, q.Match, q.Group = store.MeasureList, otherStatuses(m.Target), store.MatchAny, ""
		behind, err := b.db.Ask(ctx, q)
		if err != nil {
			return "", fmt.Errorf("bot: progress: %w", err)
		}
		seen := make(map[string]bool)
		var items []string
		for _, row := range behind[0].Rows {
			if !seen[row.CommuneCode] {
				seen[row.CommuneCode] = true
				items = append(items, "• "+b.communeLabel(p, row, t))
			}
		}
		if len(items) == 0 {
			return head, nil
		}
		return linesOf(p, head+"\n"+p.T("ask.progress.behind"), items, behind[0].Total.CommunesHit, "ask.more.communes"), nil
	}
	q := a.Question
	q.Measure, q.Group = store.MeasureCount, below(t.scope)
	groups, err := b.db.Ask(ctx, q)
	if err != nil {
		return "", fmt.Errorf("bot: progress: %w", err)
	}
	var items []string
	for _, g := range groups[0].Groups {
		n, of := g.CommunesHit, g.Communes
		if m.Goal.Share > 0 {
			// In posts, as the head line counts a share of the posts.
			n, of = g.PostsHit, g.Posts
		}
		items = append(items, p.T("ask.share.item", esc(g.Name), p.Num(n), p.Num(of), p.Percent(n, of)))
	}
	return linesOf(p, head, items, len(items), "ask.more.places"), nil
}

// forecast says when the place reaches the stage's goal at the pace of
// the last weeks, or "" when it is met or is one commune.
func (b *Bot) forecast(ctx context.Context, p *locales.Printer, a asked, t target, ro *store.Roster) (string, error) {
	if t.scope.Role == store.RoleCommune {
		return "", nil
	}
	at := b.at(a.AsOf)
	var f store.ProgressForecast
	var err error
	if a.AsOf.IsZero() {
		// The districts and communes from the roster kept in memory (or
		// ro, the scope's roster the answer read): only the posts are
		// read.
		base := b.roster.Load().storeRoster(t.scope)
		if ro != nil {
			base = *ro
		}
		f, err = b.db.ForecastOver(ctx, a.milestone, t.scope, at, base)
	} else {
		f, err = b.db.AsOf(a.AsOf).Forecast(ctx, a.milestone.ID, t.scope, at)
	}
	if err != nil {
		return "", fmt.Errorf("bot: forecast: %w", err)
	}
	text := reminders.ForecastText(p, f.Scope, a.progress.Deadline)
	if text == "" {
		return "", nil
	}
	return upperFirst(text) + ".", nil
}

func otherStatuses(target store.Status) []store.Status {
	if target == "" {
		target = store.Regular
	}
	var out []store.Status
	for _, s := range []store.Status{store.Regular, store.Semi, store.Vacant} {
		if s != target {
			out = append(out, s)
		}
	}
	return out
}

// rankAnswer names the groups with the most (or fewest), ties together,
// then the ranking when more than the first are asked.
func (b *Bot) rankAnswer(p *locales.Printer, a asked, res store.Result, t target) string {
	gs := res.Groups
	if len(gs) == 0 {
		return p.T("ask.rank.none", t.label)
	}
	share := a.Measure == store.MeasureShare || a.progress != nil
	figure := func(g store.Tally) string {
		if share {
			return p.T("ask.rank.share_figure", p.Num(hits(a, g)), p.Num(considered(a, g)), p.Percent(hits(a, g), considered(a, g)))
		}
		return p.Num(hits(a, g)) + " " + unitNoun(p, a.Unit, a.unitTypes, hits(a, g))
	}
	value := func(g store.Tally) float64 {
		if share {
			if considered(a, g) == 0 {
				return 0
			}
			return float64(hits(a, g)) / float64(considered(a, g))
		}
		return float64(hits(a, g))
	}
	var top []string
	ties := 0
	for _, g := range gs {
		if value(g) != value(gs[0]) {
			break
		}
		if ties++; ties <= maxTies {
			// Named inside the sentence, after "nhất là".
			top = append(top, esc(p.InSentence(b.groupName(p, a.Group, g))))
		}
	}
	if ties > maxTies {
		top = append(top, p.T("ask.rank.more_ties", ties-maxTies))
	}
	group := p.Noun("ask.group."+string(a.Group), ties)
	unit, cond := condFor(p, a, "", 2)
	key := "ask.rank.most"
	if a.Order == store.OrderAsc {
		key = "ask.rank.least"
	}
	if share {
		key += ".share"
	}
	line := p.N(key, ties, t.label, group, unit, cond, strings.Join(top, ", "), figure(gs[0]))
	line = strings.Join(strings.Fields(line), " ")
	limit := a.Limit
	if limit == 1 || limit == 0 && len(gs) == 1 {
		return line
	}
	if limit == 0 || limit > len(gs) {
		limit = len(gs)
	}
	var items []string
	for i, g := range gs[:limit] {
		items = append(items, p.T("ask.rank.item", i+1, esc(b.groupName(p, a.Group, g)), figure(g)))
	}
	return linesOf(p, line, items, limit, "ask.more.places")
}

// maxTies bounds the places named together at the top of a ranking.
const maxTies = 5

// compareAnswer sets the same figure of several places side by side, a
// line each, in the order named; asked which has more (or less), the
// first line names it.
func (b *Bot) compareAnswer(p *locales.Printer, a asked, res []store.Result) string {
	share := a.progress != nil || a.Measure == store.MeasureShare
	value := func(t store.Tally) float64 {
		if share {
			if considered(a, t) == 0 {
				return 0
			}
			return float64(hits(a, t)) / float64(considered(a, t))
		}
		return float64(hits(a, t))
	}
	var items []string
	for i, r := range res {
		t := a.targets[i]
		if share {
			items = append(items, p.T("ask.compare.share", t.label, p.Num(hits(a, r.Total)), p.Num(considered(a, r.Total)),
				p.Percent(hits(a, r.Total), considered(a, r.Total))))
			continue
		}
		items = append(items, p.T("ask.compare.count", t.label, p.Num(hits(a, r.Total)), unitNoun(p, a.Unit, a.unitTypes, hits(a, r.Total))))
	}
	unit, cond := condFor(p, a, "", 2)
	key := "ask.compare"
	if share {
		key = "ask.compare.shares"
	}
	head := strings.Join(strings.Fields(p.T(key, unit, cond)), " ")
	if a.Order != "" && len(res) > 1 {
		best := 0
		tie := false
		for i := 1; i < len(res); i++ {
			v, bv := value(res[i].Total), value(res[best].Total)
			switch {
			case v == bv:
				tie = true
			case a.Order == store.OrderDesc && v > bv || a.Order == store.OrderAsc && v < bv:
				best, tie = i, false
			}
		}
		verdict := "ask.compare.more"
		if a.Order == store.OrderAsc {
			verdict = "ask.compare.less"
		}
		if share {
			verdict += ".share"
		}
		if tie {
			head = p.T("ask.compare.tie", head)
		} else {
			head = strings.Join(strings.Fields(p.T(verdict, a.targets[best].label, unit, cond)), " ")
		}
	}
	return linesOf(p, head, items, len(items), "ask.more.places")
}

// yesNoAnswer gives the verdict first, then what it rests on: a commune's
// posts, or an area's count.
func (b *Bot) yesNoAnswer(ctx context.Context, p *locales.Printer, a asked, res store.Result, t target) (string, error) {
	commune := t.scope.Role == store.RoleCommune
	if commune && a.either && a.progress == nil && len(a.Facts) == 0 {
		return b.eitherAnswer(p, a, res, t), nil
	}
	holds := res.Total.CommunesHit > 0
	if !commune {
		// An area satisfies a question of presence when every commune
		// does, one of lack when some commune does.
		holds = res.Total.Communes > 0 && res.Total.CommunesHit == res.Total.Communes
		if a.still() {
			holds = res.Total.CommunesHit > 0
		}
	}
	verdict := "ask.verdict.yes"
	switch {
	case a.still() && holds:
		verdict = "ask.verdict.still"
	case a.still():
		verdict = "ask.verdict.no"
	case !holds:
		verdict = "ask.verdict.not_yet"
	}
	ct := placeKindOf(t)
	asCommune := a.Question
	asCommune.Unit = store.UnitCommunes
	cond := condition(p, asCommune, a.negated, ct)
	if a.progress != nil {
		cond = p.T("ask.cond.progress", esc(a.progress.Title(p.Lang())))
	}
	if !commune && a.either && a.progress == nil && len(a.Facts) == 0 && a.Unit == store.UnitCommunes && !a.still() {
		return b.eitherAreaAnswer(ctx, p, a, res, t)
	}
	if !commune {
		var line string
		if a.progress != nil {
			line = p.T("ask.progress.short", t.label, p.Num(res.Total.CommunesHit), p.Num(res.Total.Communes), p.Percent(res.Total.CommunesHit, res.Total.Communes))
		} else {
			line = shareLine(p, a, t, res.Total)
		}
		text := p.T(verdict) + " " + line
		if a.still() && holds && res.Total.CommunesHit <= 30 {
			q := a.Question
			q.Measure = store.MeasureList
			list, err := b.db.Ask(ctx, q)
			if err != nil {
				return "", fmt.Errorf("bot: answer: %w", err)
			}
			text = p.T(verdict) + " " + b.listAnswer(p, a, list[0], t)
		}
		return text, nil
	}
	if !holds && !a.still() {
		cond = negate(p, a, ct)
	}
	if a.still() && !holds {
		cond = p.T("ask.cond.communes.regular_all", orAll(p, kindsText(p, a.Kinds, ct)))
	}
	line := p.T(verdict) + " " + p.T("ask.yesno.line", t.label, cond)
	// What the verdict rests on: the posts asked about, with holders.
	numbered := numberedKinds(res.Rows)
	var details []string
	for _, row := range res.Rows {
		details = append(details, b.postLine(p, row, numbered[row.CommuneCode+"/"+string(row.Kind)], ct))
	}
	if len(details) == 1 {
		row := res.Rows[0]
		if holds && !a.still() && row.Holder != "" {
			// "Có. Xã Tân Lập đã có Trưởng Công an xã chính quy (Bùi Văn An,
			// từ 15/03/2020)."
			who := esc(row.Holder)
			if row.Since != nil {
				who = p.T("ask.holder.since", who, p.Date(dateOf(*row.Since)))
			}
			return strings.TrimSuffix(line, ".") + " (" + who + ").", nil
		}
		return strings.TrimSuffix(line, ".") + " (" + details[0] + ").", nil
	}
	var items []string
	for _, d := range details {
		items = append(items, "• "+d)
	}
	return linesOf(p, strings.TrimSuffix(line, ".")+":", items, len(items), "ask.more.posts"), nil
}

// eitherAreaAnswer answers "A hay B" about a district or province
// ("huyện Lạc Sơn tcax cq hay bct") with no verdict, which would answer a
// question not asked: how many communes have the first status, then
// those that do not, by name with their posts, as "xã nào chưa có" lists
// them.
func (b *Bot) eitherAreaAnswer(ctx context.Context, p *locales.Printer, a asked, res store.Result, t target) (string, error) {
	line := shareLine(p, a, t, res.Total)
	lacking := res.Total.Communes - res.Total.CommunesHit
	if lacking == 0 || lacking > 30 {
		return line, nil
	}
	q := a.Question
	q.Measure, q.Match = store.MeasureList, store.MatchNone
	list, err := b.db.Ask(ctx, q)
	if err != nil {
		return "", fmt.Errorf("bot: answer: %w", err)
	}
	lack := a
	lack.Question, lack.negated = q, true
	return line + "\n" + b.listAnswer(p, lack, list[0], t), nil
}

// eitherAnswer answers "A hay B" about a commune's posts by naming first
// the status that holds, then each post with its holder: "Chính quy. Xã
// Tân Lập (huyện Lạc Sơn): Trưởng Công an xã là chính quy (Hà Tiến Luân,
// từ 11/07/2020)." A verdict ("Có.") would answer another question.
func (b *Bot) eitherAnswer(p *locales.Printer, a asked, res store.Result, t target) string {
	ct := placeKindOf(t)
	rows := res.Rows
	if len(rows) == 0 {
		return p.T("ask.holder.none", t.label, orAll(p, kindsText(p, a.Kinds, ct)))
	}
	stateOf := func(row store.Row) string {
		if row.Unreported {
			return "unreported"
		}
		return string(row.Status)
	}
	if len(rows) == 1 {
		row := rows[0]
		lead := p.T("ask.either.lead." + stateOf(row))
		name := postSlot(p, row.Kind, row.Slot, false, ct)
		switch {
		case row.Unreported:
			return p.T("ask.either.one_unknown", lead, t.label, name)
		case row.Holder == "":
			return p.T("ask.either.one_vacant", lead, t.label, name)
		case row.Since != nil:
			return p.T("ask.either.one_since", lead, t.label, name, p.T("status."+string(row.Status)), esc(row.Holder), p.Date(dateOf(*row.Since)))
		}
		return p.T("ask.either.one", lead, t.label, name, p.T("status."+string(row.Status)), esc(row.Holder))
	}
	// Several posts: how many hold each status, then each post.
	counts := make(map[string]int)
	for _, row := range rows {
		counts[stateOf(row)]++
	}
	var lead string
	if len(counts) == 1 {
		lead = p.T("ask.either.lead.all", p.T("ask.either.state."+stateOf(rows[0])))
	} else {
		var parts []string
		for _, s := range []string{"regular", "semi", "vacant", "unreported"} {
			if counts[s] > 0 {
				parts = append(parts, p.T("ask.either.part", p.Num(counts[s]), p.T("ask.either.state."+s)))
			}
		}
		lead = p.T("ask.either.lead.mixed", strings.Join(parts, ", "))
	}
	numbered := numberedKinds(rows)
	var items []string
	for _, row := range rows {
		items = append(items, "• "+b.postLine(p, row, numbered[row.CommuneCode+"/"+string(row.Kind)], ct))
	}
	return linesOf(p, p.T("ask.either.many", lead, t.label, orAll(p, kindsText(p, a.Kinds, ct))), items, len(items), "ask.more.posts")
}

func orAll(p *locales.Printer, kinds string) string {
	if kinds == "" {
		return p.T("ask.kind.any")
	}
	return kinds
}

// negate is the condition's opposite, for a verdict of no: "chưa có
// Trưởng Công an xã chính quy".
func negate(p *locales.Printer, a asked, ct store.CommuneType) string {
	if len(a.Statuses) == 0 && len(a.Facts) > 0 {
		// "đã được xác nhận hết chưa" (no post not verified): some post
		// still is not.
		return strings.Join(strings.Fields(p.T("ask.cond.communes.facts_some", kindsText(p, a.Kinds, ct), factsCond(p, a.Question))), " ")
	}
	kinds := orAll(p, kindsText(p, a.Kinds, ct))
	switch {
	case slices.Equal(a.Statuses, []store.Status{store.Regular}) && len(a.Kinds) == 1 && a.Kinds[0] == store.Chief:
		return p.T("ask.cond.communes.lacking_one", kinds)
	case slices.Equal(a.Statuses, []store.Status{store.Regular}):
		return p.T("ask.cond.communes.lacking", kinds)
	case slices.Equal(a.Statuses, []store.Status{store.Semi}):
		return p.T("ask.cond.communes.no_semi", kinds)
	case slices.Equal(a.Statuses, []store.Status{store.Vacant}):
		return p.T("ask.cond.communes.no_vacant", kinds)
	}
	return p.T("ask.cond.communes.not", kinds, statusText(p, a.Statuses))
}

// holderAnswer names who holds the posts asked about, and since when.
func (b *Bot) holderAnswer(p *locales.Printer, a asked, res store.Result, t target) string {
	ct := placeKindOf(t)
	rows := res.Rows
	if len(rows) == 0 {
		return p.T("ask.holder.none", t.label, orAll(p, kindsText(p, a.Kinds, ct)))
	}
	numbered := numberedKinds(rows)
	if t.scope.Role == store.RoleCommune && len(rows) == 1 {
		row := rows[0]
		name := postSlot(p, row.Kind, row.Slot, false, ct)
		switch {
		case row.Holder == "":
			return p.T("ask.holder.vacant", t.label, name, p.T("status."+string(row.Status)))
		case a.Measure == store.MeasureSince && row.Since == nil:
			return p.T("ask.since.unknown", t.label, name, esc(row.Holder))
		case a.Measure == store.MeasureSince:
			return p.T("ask.since.one", t.label, name, esc(row.Holder), p.Date(dateOf(*row.Since)), p.T("status."+string(row.Status)))
		case row.Since != nil:
			return p.T("ask.holder.one_since", t.label, name, esc(row.Holder), p.T("status."+string(row.Status)), p.Date(dateOf(*row.Since)))
		}
		return p.T("ask.holder.one", t.label, name, esc(row.Holder), p.T("status."+string(row.Status)))
	}
	var items []string
	for _, row := range rows {
		line := b.postLine(p, row, numbered[row.CommuneCode+"/"+string(row.Kind)], ct)
		if t.scope.Role != store.RoleCommune {
			line = p.T("ask.item.in", b.communeLabel(p, row, t), line)
		}
		items = append(items, "• "+line)
	}
	total := len(rows)
	if res.More {
		total = res.Total.PostsHit
	}
	head := p.T("ask.holder.many", t.label, orAll(p, kindsText(p, a.Kinds, ct)))
	if a.BySince != "" {
		// "ai được bố trí gần đây nhất": who, in the order asked, not
		// "Công an:" over a list of every kind.
		who := kindsText(p, a.Kinds, ct)
		if who == "" {
			who = p.T("ask.holder.people")
		}
		head = p.T("ask.holder.by_since."+string(a.BySince), t.label, who)
	}
	return linesOf(p, head, items, total, "ask.more.posts")
}

// communeAnswer is a commune's posts, all of them, with what is missing.
func (b *Bot) communeAnswer(p *locales.Printer, a asked, res store.Result, t target) string {
	ct := placeKindOf(t)
	lacking := 0
	for _, row := range res.Rows {
		if row.Status != store.Regular {
			lacking++
		}
	}
	head := p.T("ask.commune", t.label, p.Num(len(res.Rows)), p.Num(lacking))
	if len(res.Rows) == 0 {
		return p.T("ask.commune.empty", t.label)
	}
	numbered := numberedKinds(res.Rows)
	var items []string
	for _, row := range res.Rows {
		items = append(items, "• "+b.postLine(p, row, numbered[row.CommuneCode+"/"+string(row.Kind)], ct))
	}
	return linesOf(p, head, items, len(items), "ask.more.posts")
}

// changesAnswer answers a question about the reports: how many changes,
// which, which communes reported or did not.
func (b *Bot) changesAnswer(p *locales.Printer, a asked, res store.Result, t target) string {
	place := t.label
	if w := windowText(p, a.From, a.To); w != "" {
		place = p.T("ask.changes.when", t.label, w)
	}
	kinds := orAll(p, kindsText(p, a.Kinds, placeKindOf(t)))
	var what string
	switch {
	case a.Unit == store.UnitCommunes && a.Match == store.MatchNone:
		what = p.T("ask.changes.silent", p.Num(res.Total.CommunesHit), unitNoun(p, a.Unit, a.unitTypes, res.Total.CommunesHit))
	case a.Unit == store.UnitCommunes && res.Total.CommunesHit == 0:
		// "không có xã nào báo cáo", not "0 xã có báo cáo".
		what = p.T("ask.changes.communes.none", unitNoun(p, a.Unit, a.unitTypes, 0))
	case a.Unit == store.UnitCommunes:
		what = p.T("ask.changes.communes", p.Num(res.Total.CommunesHit), unitNoun(p, a.Unit, a.unitTypes, res.Total.CommunesHit))
	case len(a.Statuses) == 0:
		what = p.T("ask.changes.any", p.Num(res.Total.PostsHit), kinds)
	case slices.Equal(a.Statuses, []store.Status{store.Regular}):
		what = p.T("ask.changes.regular", p.Num(res.Total.PostsHit), kinds)
	default:
		what = p.T("ask.changes.to", p.Num(res.Total.PostsHit), kinds, statusText(p, a.Statuses))
	}
	if a.Measure != store.MeasureList && a.Measure != store.MeasureHolder {
		return p.T("ask.changes", place, what)
	}
	if len(res.Rows) == 0 {
		return p.T("ask.changes", place, what)
	}
	if a.Match == store.MatchNone {
		var items []string
		for _, row := range res.Rows {
			items = append(items, "• "+b.communeLabel(p, row, t))
		}
		return linesOf(p, p.T("ask.changes.list", place, what), items, res.Total.CommunesHit, b.moreCommunes(t))
	}
	if a.Limit == 1 && len(res.Rows) == 1 && a.Unit == store.UnitPeople {
		row := res.Rows[0]
		where := postKind(p, row.Kind, row.CommuneType) + " " + esc(row.CommuneName)
		direct := row.DistrictCode == row.ProvinceCode && t.scope.Role == store.RoleProvince
		if (t.scope.Role == store.RoleProvince || t.scope.All()) && !direct {
			where = p.T("ask.place.commune_in", where, esc(p.InSentence(row.DistrictName)))
		}
		return p.T("ask.changes.latest", place, esc(row.Holder), where, p.T("status."+string(row.Status)), p.At(row.Change.At))
	}
	items := b.changeItems(p, res.Rows, t)
	total := res.Total.PostsHit
	return linesOf(p, p.T("ask.changes.list", place, what), items, total, "ask.more.reports")
}

// changeItems writes one line per change: "• 08:05 ngày 04/03/2020 — Xã
// Tân Lập: Trưởng Công an xã bán chuyên trách → chính quy (Bùi Văn An)".
func (b *Bot) changeItems(p *locales.Printer, rows []store.Row, t target) []string {
	var items []string
	for _, row := range rows {
		rep := row.Change
		where := b.communeLabel(p, row, t) + ": "
		if t.scope.Role == store.RoleCommune {
			where = ""
		}
		items = append(items, p.T("ask.change.item", p.At(rep.At), where, postSlot(p, rep.Kind, rep.Slot, rep.Slot > 1, row.CommuneType),
			b.stateText(p, rep.OldStatus, ""), b.stateText(p, rep.NewStatus, rep.NewHolder)))
	}
	return items
}

// dateOf turns a stored calendar day (midnight UTC) into midnight of the
// same day in no particular zone, for Printer.Date.
func dateOf(t time.Time) time.Time {
	return time.Date(t.UTC().Year(), t.UTC().Month(), t.UTC().Day(), 12, 0, 0, 0, time.UTC)
}

// currentMilestone is the posts milestone whose deadline comes next, or
// the last one once every deadline has passed.
func (b *Bot) currentMilestone(at time.Time) (store.Milestone, bool) {
	var ms []store.Milestone
	for _, pl := range *b.plans.Load() {
		for _, m := range pl.Milestones {
			if m.Kind == store.KindPosts {
				ms = append(ms, m)
			}
		}
	}
	if len(ms) == 0 {
		return store.Milestone{}, false
	}
	// The nearest deadline, a roadmap's step's included.
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].StageAt(at).Deadline.Before(ms[j].StageAt(at).Deadline) })
	y, mo, d := at.In(b.loc).Date()
	today := time.Date(y, mo, d, 0, 0, 0, 0, b.loc)
	for _, m := range ms {
		if !m.StageAt(at).Deadline.Before(today) {
			return m, true
		}
	}
	return ms[len(ms)-1], true
}

// at is the moment a question is about: the one it names, or now.
func (b *Bot) at(asOf time.Time) time.Time {
	if asOf.IsZero() {
		return b.now()
	}
	return asOf
}

// deadlineFor is the posts milestone of the plan with the latest
// deadline among those about the first of kinds (a chief when none).
func (b *Bot) deadlineFor(kinds []store.PostKind) (store.Milestone, bool) {
	kind := store.Chief
	if len(kinds) > 0 {
		kind = kinds[0]
	}
	var best store.Milestone
	found := false
	for _, pl := range *b.plans.Load() {
		for _, m := range pl.Milestones {
			if m.Kind == store.KindPosts && slices.Contains(m.Posts, kind) && (!found || m.Deadline.After(best.Deadline)) {
				best, found = m, true
			}
		}
	}
	return best, found
}

// today is midnight of the current day in the bot's time zone.
func (b *Bot) today() time.Time {
	t := b.now().In(b.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, b.loc)
}

// todayUTC is today's date as the store keeps calendar days: midnight UTC.
func (b *Bot) todayUTC() time.Time {
	t := b.today()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// helpText is /trogiup for the user's role: examples of what to ask.
func (b *Bot) helpText(r *request) string {
	role := store.RoleCommune
	if r.user != nil {
		role = r.user.Role
	}
	switch role {
	case store.RoleUnit:
		return r.p.T("units.help")
	case store.RoleProvince, store.RoleDistrict, store.RoleNational:
		more := r.p.T("announce.help")
		if role == store.RoleNational {
			more = r.p.T("announce.help.national")
		}
		if role == store.RoleDistrict {
			more += "\n" + r.p.T("units.help.file")
		}
		examples := "ask.help." + string(role)
		if role == store.RoleProvince && b.withoutDistricts(r.user.Scope) {
			examples = "ask.help.province.direct" // no district to ask about
		}
		return r.p.T(examples) + "\n\n" + r.p.T("ask.help.commands") + "\n" + more + "\n" + r.p.T("bot.help.more") + "\n" + r.p.T("bot.help.checks")
	}
	return r.p.T("ask.help."+string(role)) + "\n\n" + r.p.T("ask.help.commands") + "\n" + r.p.T("bot.help.more") + "\n" + r.p.T("bot.help.checks")
}
