package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// listBudget is how many characters of list lines an answer holds before
// it says how many more there are: Telegram's limit is 4096 in all.
const listBudget = 3300

// lines joins a header and list lines, cutting the list to the budget
// with "… and N more" and a hint to narrow the question.
func lines(p *locales.Printer, header string, items []string, moreKey string) string {
	return linesOf(p, header, items, len(items), moreKey)
}

// linesOf is lines for a list of which only the first items were read:
// total counts them all.
func linesOf(p *locales.Printer, header string, items []string, total int, moreKey string) string {
	var sb strings.Builder
	sb.WriteString(header)
	for i, it := range items {
		if sb.Len()+len(it) > listBudget {
			sb.WriteString("\n" + p.N(moreKey, total-i))
			return sb.String()
		}
		sb.WriteString("\n" + it)
	}
	if total > len(items) {
		sb.WriteString("\n" + p.N(moreKey, total-len(items)))
	}
	return sb.String()
}

// kindsPhrase names the posts asked about: "Trưởng Công an xã, Phó
// Trưởng Công an xã".
func kindsPhrase(p *locales.Printer, kinds []store.PostKind) string {
	if len(kinds) == 0 {
		return p.T("bot.post.any")
	}
	var out []string
	for _, k := range kinds {
		out = append(out, p.T("post."+string(k)))
	}
	return strings.Join(out, ", ")
}

// statusesPhrase names the statuses asked about: "bán chuyên trách hoặc trống".
func statusesPhrase(p *locales.Printer, ss []store.Status) string {
	var out []string
	for _, s := range ss {
		out = append(out, p.T("status."+string(s)))
	}
	return strings.Join(out, p.T("bot.or"))
}

// postName names a post after its commune's type (Printer.Post):
// "Trưởng Công an thị trấn", "Công an viên 2". The slot is numbered when
// the commune has more than one post of the kind; of is how many it has,
// 0 when not known, and then a slot after the first is numbered.
func postName(p *locales.Printer, kind store.PostKind, unit store.CommuneType, slot, of int) string {
	if of <= 1 && slot <= 1 {
		slot = 0
	}
	return p.Post(string(kind), string(unit), slot)
}

// kindCounts counts a commune's posts of each kind.
func kindCounts(posts []store.Post) map[store.PostKind]int {
	n := make(map[store.PostKind]int)
	for _, po := range posts {
		n[po.Kind]++
	}
	return n
}

// vacancyRows is how many vacant posts a list answer over a province
// reads: more than its budget can show, so that a province with thousands
// of vacancies costs little more than a district.
const vacancyRows = 200

// vacancies answers how many or which communes or posts lack regular
// police, scoped to the place asked about: counts are counted by the
// store, lists read only their first vacancyRows posts.
func (b *Bot) vacancies(ctx context.Context, p *locales.Printer, q understand.Query, s store.Scope) (string, error) {
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = []store.Status{store.Semi, store.Vacant}
	}
	place := b.scopeName(p, s)
	kinds, sts := kindsPhrase(p, q.Kinds), statusesPhrase(p, statuses)
	unit := q.Unit
	if unit == "" {
		unit = understand.UnitCommunes
		if s.Role == store.RoleCommune {
			unit = understand.UnitPosts
		}
	}
	if q.Count {
		t, err := b.db.VacancyTotals(ctx, s, q.Kinds, statuses)
		switch {
		case err != nil:
			return "", fmt.Errorf("bot: vacancies: %w", err)
		case t.Posts == 0:
			return p.T("bot.vac.none", place, kinds, sts), nil
		case unit == understand.UnitPosts:
			return p.N("bot.vac.count_posts", t.Posts, place, kinds, sts), nil
		}
		return p.N("bot.vac.count_communes", t.Communes, place, kinds, sts), nil
	}

	// A commune's or a district's vacancies are few enough to read whole;
	// a province's are cut.
	whole := s.Role == store.RoleCommune || s.Role == store.RoleDistrict
	var vs []store.Vacancy
	var err error
	if whole {
		vs, err = b.db.Vacancies(ctx, s, q.Kinds, statuses)
	} else {
		vs, err = b.db.FirstVacancies(ctx, s, q.Kinds, statuses, vacancyRows+1)
	}
	if err != nil {
		return "", fmt.Errorf("bot: vacancies: %w", err)
	}
	if len(vs) == 0 {
		return p.T("bot.vac.none", place, kinds, sts), nil
	}
	total := store.VacancyTotal{Posts: len(vs)}
	if !whole && len(vs) > vacancyRows {
		if total, err = b.db.VacancyTotals(ctx, s, q.Kinds, statuses); err != nil {
			return "", fmt.Errorf("bot: vacancies: %w", err)
		}
		// The last commune read may lack posts the cut left behind: it is
		// left to "and N more".
		last := vs[len(vs)-1].CommuneCode
		for len(vs) > 0 && vs[len(vs)-1].CommuneCode == last {
			vs = vs[:len(vs)-1]
		}
	}

	// One line per commune, its posts after it.
	type communeLine struct {
		name  string
		posts []string
	}
	var order []string
	byCommune := make(map[string]*communeLine)
	ro := b.roster.Load()
	for _, v := range vs {
		cl, ok := byCommune[v.CommuneCode]
		if !ok {
			name := communeName(p, ro.communes[v.CommuneCode])
			if s.Role == store.RoleProvince || s.All() {
				name = p.T("bot.place.commune_in", p.T("commune_type."+string(v.CommuneType)), esc(v.CommuneName), esc(v.DistrictName))
			}
			cl = &communeLine{name: name}
			byCommune[v.CommuneCode] = cl
			order = append(order, v.CommuneCode)
		}
		cl.posts = append(cl.posts, p.T("bot.vac.post", postName(p, v.Kind, v.CommuneType, v.Slot, 0), vacancyStatus(p, v)))
	}
	if total.Communes == 0 {
		total.Communes = len(order)
	}

	if s.Role == store.RoleCommune {
		var items []string
		for _, v := range vs {
			if v.Unreported {
				items = append(items, p.T("bot.commune.post", postName(p, v.Kind, v.CommuneType, v.Slot, 0), vacancyStatus(p, v)))
				continue
			}
			items = append(items, b.postLine(p, v.Post, v.CommuneType, 0))
		}
		return linesOf(p, p.N("bot.vac.list_posts", total.Posts, place, kinds, sts), items, total.Posts, "bot.list.more_posts"), nil
	}
	var items []string
	for _, code := range order {
		cl := byCommune[code]
		items = append(items, p.T("bot.vac.item_commune", cl.name, strings.Join(cl.posts, "; ")))
	}
	return linesOf(p, p.N("bot.vac.list_communes", total.Communes, place, kinds, sts), items, total.Communes, "bot.list.more_communes"), nil
}

// vacancyStatus names a vacancy's status: "trống", or "chưa có số liệu"
// for a post kind of which the commune has no post on record.
func vacancyStatus(p *locales.Printer, v store.Vacancy) string {
	if v.Unreported {
		return p.T("bot.vac.unreported")
	}
	return p.T("status." + string(v.Status))
}

// progress answers how far the plan has come over a scope: against the
// current milestone, or against the posts the question names.
func (b *Bot) progress(ctx context.Context, p *locales.Printer, q understand.Query, s store.Scope) (string, error) {
	var pr store.Progress
	var title string
	if len(q.Kinds) > 0 {
		m := store.Milestone{Kind: store.KindPosts, Posts: q.Kinds, Target: store.Regular}
		ro, err := b.postsRoster(ctx, s, m)
		if err != nil {
			return "", err
		}
		pr = store.Evaluate(m, ro)
		title = p.T("bot.progress.posts", kindsPhrase(p, q.Kinds))
	} else {
		m, ok, err := b.currentMilestone(ctx)
		if err != nil {
			return "", err
		}
		if !ok {
			return p.T("bot.progress.no_plan"), nil
		}
		ro, err := b.postsRoster(ctx, s, m)
		if err != nil {
			return "", err
		}
		pr = store.Evaluate(m, ro)
		title = p.T("bot.progress.milestone", esc(m.Title(p.Lang())), p.Date(m.Deadline), p.Quarter(m.Deadline))
	}
	place := b.scopeName(p, s)
	if pr.Total == 0 {
		return title + "\n" + p.T("bot.progress.nothing", place), nil
	}
	header := title + "\n" + p.N("bot.progress.total", pr.Done, pr.Total, place, p.Percent(pr.Done, pr.Total))
	var items []string
	if s.Role == store.RoleProvince || s.All() {
		for _, d := range pr.Districts {
			items = append(items, p.T("bot.progress.district", esc(d.District.Name), d.Done, d.Total, p.Percent(d.Done, d.Total)))
		}
		return lines(p, header, items, "bot.list.more_districts"), nil
	}
	ro := b.roster.Load()
	for _, c := range pr.Behind() {
		items = append(items, p.T("bot.progress.behind_item", communeName(p, ro.communes[c.Commune.Code])))
	}
	if len(items) == 0 {
		return header, nil
	}
	return lines(p, header+"\n"+p.T("bot.progress.behind"), items, "bot.list.more_communes"), nil
}

// postsRoster is what Evaluate needs for a posts milestone over the scope:
// the districts, communes and groups come from the bot's roster, so only
// the posts are counted. A posts milestone needs no submissions.
func (b *Bot) postsRoster(ctx context.Context, s store.Scope, m store.Milestone) (store.Roster, error) {
	ro := b.roster.Load()
	r := store.Roster{Groups: ro.groups}
	switch s.Role {
	case store.RoleProvince:
		r.Districts = ro.ofProvince[s.Code]
		for _, d := range r.Districts {
			r.Communes = append(r.Communes, ro.ofDistrict[d.Code]...)
		}
	case store.RoleDistrict:
		if d, ok := ro.districts[s.Code]; ok {
			r.Districts, r.Communes = []store.District{d}, ro.ofDistrict[s.Code]
		}
	case store.RoleCommune:
		if c, ok := ro.communes[s.Code]; ok {
			r.Districts, r.Communes = []store.District{ro.districts[c.DistrictCode]}, []store.Commune{c}
		}
	default:
		for _, d := range ro.districts {
			r.Districts = append(r.Districts, d)
		}
		for _, c := range ro.communes {
			r.Communes = append(r.Communes, c)
		}
	}
	var err error
	if r.Counts, err = b.db.CountPosts(ctx, s, m); err != nil {
		return store.Roster{}, fmt.Errorf("bot: progress: %w", err)
	}
	return r, nil
}

// currentMilestone is the posts milestone whose deadline comes next, or
// the last one once every deadline has passed.
func (b *Bot) currentMilestone(ctx context.Context) (store.Milestone, bool, error) {
	var ms []store.Milestone
	for _, pl := range *b.plans.Load() {
		for _, m := range pl.Milestones {
			if m.Kind == store.KindPosts {
				ms = append(ms, m)
			}
		}
	}
	if len(ms) == 0 {
		return store.Milestone{}, false, nil
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Deadline.Before(ms[j].Deadline) })
	today := b.today()
	for _, m := range ms {
		if !m.Deadline.Before(today) {
			return m, true, nil
		}
	}
	return ms[len(ms)-1], true, nil
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

// commune answers who holds each post of one commune.
func (b *Bot) commune(ctx context.Context, p *locales.Printer, q understand.Query, s store.Scope) (string, error) {
	posts, err := b.db.CommunePosts(ctx, s.Code)
	if err != nil {
		return "", fmt.Errorf("bot: commune posts: %w", err)
	}
	ro := b.roster.Load()
	c := ro.communes[s.Code]
	header := p.T("bot.commune.header", communeName(p, c), esc(ro.districts[c.DistrictCode].Name))
	var items []string
	of := kindCounts(posts)
	for _, po := range posts {
		if len(q.Kinds) > 0 && !containsKind(q.Kinds, po.Kind) {
			continue
		}
		items = append(items, b.postLine(p, po, c.Type, of[po.Kind]))
	}
	if len(items) == 0 {
		return header + "\n" + p.T("bot.commune.no_posts", kindsPhrase(p, q.Kinds)), nil
	}
	return lines(p, header, items, "bot.list.more_posts"), nil
}

func containsKind(ks []store.PostKind, k store.PostKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// postLine writes "• Trưởng Công an xã: chính quy — Bùi Văn An, từ
// 15/03/2020" for a post of a commune of type unit with of posts of its
// kind (0: not known).
func (b *Bot) postLine(p *locales.Printer, po store.Post, unit store.CommuneType, of int) string {
	line := p.T("bot.commune.post", postName(p, po.Kind, unit, po.Slot, of), p.T("status."+string(po.Status)))
	if po.Holder != "" {
		line += p.T("bot.commune.holder", esc(po.Holder))
	}
	if po.Since != nil {
		line += p.T("bot.commune.since", p.Date(dateOf(*po.Since)))
	}
	return line
}

// dateOf turns a stored calendar day (midnight UTC) into midnight of the
// same day in no particular zone, for Printer.Date.
func dateOf(t time.Time) time.Time {
	return time.Date(t.UTC().Year(), t.UTC().Month(), t.UTC().Day(), 12, 0, 0, 0, time.UTC)
}
