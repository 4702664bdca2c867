package reminders

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders/digest"
	"github.com/caxbot/caxbot/reminders/propose"
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
	src, err := newDigestSource(ctx, db, scope, now)
	if err != nil {
		return digest.Digest{}, err
	}
	return src.digest(ctx, cat, lang, scope)
}

// digestSource is what every digest of one run reads once: the plans'
// milestones started by now, their progress over the source's scope,
// last week's snapshots and the filings. A weekly job reads it for the
// whole store and builds each province's digest from it, so that the
// country's posts are counted once (in SQL), not once per recipient.
type digestSource struct {
	db        *store.DB
	now       time.Time
	roster    *roster
	districts map[string]store.District // in the source's scope
	communes  map[string]int            // in the source's scope: index in roster.communes, by code
	provinces map[string]string         // every province's name, by code
	started   []startedMilestone
	previous  map[string]map[string]snapshotFigures // last week's, by milestone and district
	// The register of people available for posts and the plans' rule of
	// who may hold which, for the supply beside each milestone's demand.
	people   []store.Candidate
	rule     store.Eligibility
	replaced []store.Replaced // the people replaced so far, oldest first
	// The week's reports, their details and the users who made them,
	// read once for the whole store by a weekly job, whose digests are
	// the provinces' (weekReports); nil for the source of one digest,
	// which reads its scope's itself.
	week *weekReports
}

// weekReports are the reports of the seven days before a source's now,
// by province, with what the digests show of them.
type weekReports struct {
	byProvince map[string][]store.Report
	details    map[int64]store.Details
	users      map[int64]store.User // the actors among the users
}

// readWeekReports reads the reports of the whole store in [from, to),
// their details and their actors, in three queries.
func readWeekReports(ctx context.Context, db *store.DB, from, to time.Time) (*weekReports, error) {
	w := &weekReports{}
	var err error
	if w.byProvince, err = db.ReportsBetweenByProvince(ctx, from, to); err != nil {
		return nil, err
	}
	var ids []int64
	var actors []string
	for _, reports := range w.byProvince {
		for _, r := range reports {
			ids = append(ids, r.ID)
			actors = append(actors, r.Actor)
		}
	}
	if w.details, err = db.ReportDetails(ctx, ids); err != nil {
		return nil, err
	}
	if w.users, err = db.UsersByID(ctx, actorUserIDs(actors)); err != nil {
		return nil, err
	}
	return w, nil
}

// startedMilestone is a milestone under way, the stage of it measured now
// (store.Milestone.StageAt) and that stage's progress over the source's
// scope, now and at the start of the forecast's window.
type startedMilestone struct {
	milestone store.Milestone
	stage     store.Milestone
	progress  store.Progress
	// before is the stage's progress at from, the start of the forecast's
	// window (store.ForecastWindow); none when the window is too short to
	// forecast from or the milestone is not about posts.
	before *store.Progress
	from   time.Time
}

// forecast is the milestone's forecast over the districts listed.
func (sm startedMilestone) forecast(districts map[string]bool, now time.Time) store.ProgressForecast {
	before := store.Progress{Milestone: sm.stage}
	if sm.before != nil {
		before = within(*sm.before, districts)
	}
	return store.ForecastProgress(within(sm.progress, districts), before, sm.from, now)
}

func newDigestSource(ctx context.Context, db *store.DB, scope store.Scope, now time.Time) (*digestSource, error) {
	src := &digestSource{db: db, now: now, districts: make(map[string]store.District), communes: make(map[string]int),
		provinces: make(map[string]string), previous: make(map[string]map[string]snapshotFigures)}
	plans, err := db.Plans(ctx)
	if err != nil {
		return nil, err
	}
	provinces, err := db.Provinces(ctx)
	if err != nil {
		return nil, err
	}
	for _, pr := range provinces {
		src.provinces[pr.Code] = pr.Name
	}
	first, _, err := db.FirstReport(ctx, scope)
	if err != nil {
		return nil, err
	}
	// The milestones under way, and the start of each posts milestone's
	// forecast window, at which the roster's counts are read too.
	var pasts []time.Time
	for _, pl := range plans {
		for _, m := range pl.Milestones {
			if m.Start.After(now) {
				continue
			}
			sm := startedMilestone{milestone: m, stage: m.StageAt(now), from: store.ForecastWindow(m, first, now)}
			if m.Kind == store.KindPosts && now.Sub(sm.from) >= store.MinForecastDays*24*time.Hour && !slices.ContainsFunc(pasts, sm.from.Equal) {
				pasts = append(pasts, sm.from)
			}
			src.started = append(src.started, sm)
		}
	}
	if src.roster, err = readRoster(ctx, db, scope, pasts...); err != nil {
		return nil, err
	}
	for _, d := range src.roster.districts {
		src.districts[d.Code] = d
	}
	for i, c := range src.roster.communes {
		src.communes[c.Code] = i
	}
	_, snaps, err := db.PreviousSnapshots(ctx, WeekOf(now, db.Location()))
	if err != nil {
		return nil, err
	}
	for _, s := range snaps {
		if src.previous[s.MilestoneID] == nil {
			src.previous[s.MilestoneID] = make(map[string]snapshotFigures)
		}
		src.previous[s.MilestoneID][s.DistrictCode] = snapshotFigures{done: s.Done, total: s.Total}
	}
	if src.people, err = db.Candidates(ctx); err != nil {
		return nil, err
	}
	src.rule = propose.Rule(plans)
	for i := range src.started {
		sm := &src.started[i]
		sm.progress = src.roster.progress(sm.stage)
		if sm.milestone.Kind != store.KindPosts {
			continue
		}
		if before, ok := src.roster.pastProgress(sm.stage, sm.from); ok {
			sm.before = &before
		}
	}
	// Evaluated: a country's counts need not stay while the digests are
	// built.
	src.roster.statuses, src.roster.pastAt, src.roster.past = nil, nil, nil
	if src.replaced, err = db.ReplacedPeople(ctx, scope, time.Time{}, now); err != nil {
		return nil, err
	}
	if scope.All() {
		if src.week, err = readWeekReports(ctx, db, now.Add(-week), now); err != nil {
			return nil, err
		}
	}
	return src, nil
}

// digest builds the digest of scope, which lies within the source's, in
// lang.
func (src *digestSource) digest(ctx context.Context, cat *locales.Catalog, lang string, scope store.Scope) (digest.Digest, error) {
	db, now := src.db, src.now
	loc := db.Location()
	p := cat.Printer(cat.Match(lang), loc)
	weekFrom := now.Add(-week)
	d := digest.Digest{
		Title:       p.T("digest.title", p.Date(weekFrom), p.Date(now.Add(-time.Nanosecond))),
		ScopeName:   src.scopeName(p, scope),
		GeneratedAt: now,
		Location:    loc,
		ActorNames:  make(map[string]string),
		Labels:      Labels(p),
	}
	reports, err := src.reportsIn(ctx, scope, weekFrom)
	if err != nil {
		return d, err
	}
	d.Reports = reports
	if d.Details, err = src.detailsOf(ctx, reports); err != nil {
		return d, err
	}
	// A commune reported when someone of it (or above it) sent a change
	// through the bot; an import's rows are nobody's report.
	reported := make(map[string]bool)
	for _, r := range reports {
		if !strings.HasPrefix(r.Actor, "import:") {
			reported[r.CommuneCode] = true
		}
	}
	inScope := src.inScope(scope)
	for _, sm := range src.started {
		m := sm.milestone
		progress := within(sm.progress, inScope)
		if progress.Total == 0 {
			continue
		}
		md := digest.MilestoneDigest{
			Progress: progress,
			Title:    m.Title(p.Lang()),
			Deadline: sm.stage.Deadline,
			Previous: previousProgress(sm.stage, progress, src.previous[m.ID]),
			Goal:     GoalLine(p, sm.stage, m.IsStep(sm.stage)),
		}
		if m.Kind == store.KindPosts && !progress.Met() {
			// Too early to forecast is not news in a weekly digest.
			if f := sm.forecast(inScope, now); f.Scope.State != store.ForecastTooEarly {
				md.Forecast = ForecastText(p, f.Scope, sm.stage.Deadline)
			}
		}
		if m.Kind == store.KindDistrictReport {
			md.Submitted = src.roster.submitted[m.ID]
		}
		md.Supply = src.supplyLine(p, progress)
		if now.After(sm.stage.Deadline.AddDate(0, 0, 1)) {
			md.Overdue = progress.Behind()
		}
		for _, c := range progress.Behind() {
			if !reported[c.Commune.Code] {
				md.Silent = append(md.Silent, *c.Commune)
			}
		}
		d.Milestones = append(d.Milestones, md)
	}
	urgentFirst(d.Milestones, now)
	for _, r := range src.replaced {
		c, _ := src.commune(r.Report.CommuneCode)
		if inScope[c.DistrictCode] {
			d.Replaced = append(d.Replaced, digest.ReplacedRow{District: src.districts[c.DistrictCode], Commune: c, Replaced: r})
		}
	}

	posts, err := db.Posts(ctx, scope)
	if err != nil {
		return d, err
	}
	d.Roster = make([]digest.RosterRow, 0, len(posts))
	for _, post := range posts {
		c, _ := src.commune(post.CommuneCode)
		d.Roster = append(d.Roster, digest.RosterRow{District: src.districts[c.DistrictCode], Commune: c, Post: post})
	}
	// Who made the week's reports, as the history names them.
	actors := make([]string, len(reports))
	for i, r := range reports {
		actors[i] = r.Actor
	}
	position := func(u store.User) string { return src.position(p, u) }
	if src.week != nil {
		d.ActorNames = nameActors(p, actors, src.week.users, position)
	} else if d.ActorNames, err = ActorNames(ctx, db, p, actors, position); err != nil {
		return d, err
	}
	return d, nil
}

// reportsIn returns the reports of scope in [from, src.now): a
// province's from those the weekly job read once, another scope's from
// the store.
func (src *digestSource) reportsIn(ctx context.Context, scope store.Scope, from time.Time) ([]store.Report, error) {
	if src.week != nil && scope.Role == store.RoleProvince && from.Equal(src.now.Add(-week)) {
		return src.week.byProvince[scope.Code], nil
	}
	return src.db.ReportsBetween(ctx, scope, from, src.now)
}

// detailsOf returns the details of those of reports that have any.
func (src *digestSource) detailsOf(ctx context.Context, reports []store.Report) (map[int64]store.Details, error) {
	if src.week == nil {
		ids := make([]int64, len(reports))
		for i, r := range reports {
			ids[i] = r.ID
		}
		return src.db.ReportDetails(ctx, ids)
	}
	out := make(map[int64]store.Details, len(reports))
	for _, r := range reports {
		if det, ok := src.week.details[r.ID]; ok {
			out[r.ID] = det
		}
	}
	return out, nil
}

// commune returns the commune of code in the source's scope; false when
// it is not there. (An index, not a second copy of the country's
// communes, which a map of them was: a megabyte of the weekly job.)
func (src *digestSource) commune(code string) (store.Commune, bool) {
	i, ok := src.communes[code]
	if !ok {
		return store.Commune{}, false
	}
	return src.roster.communes[i], true
}

// position names a user by role and unit: "Công an thị trấn Vụ Bản",
// "Lãnh đạo huyện Lạc Sơn", "Công an tỉnh Hòa Bình"; by role alone when
// the unit is not among those the digest read.
func (src *digestSource) position(p *locales.Printer, u store.User) string {
	switch u.Role {
	case store.RoleCommune:
		if c, ok := src.commune(u.Scope); ok {
			return p.Position(string(u.Role), string(c.Type), c.Name)
		}
	case store.RoleDistrict:
		if d, ok := src.districts[u.Scope]; ok {
			return p.Position(string(u.Role), "", d.Name)
		}
	case store.RoleProvince:
		if name, ok := src.provinces[u.Scope]; ok {
			return p.Position(string(u.Role), "", name)
		}
	}
	return p.T("role." + string(u.Role))
}

// supplyLine weighs a posts milestone not yet met against the register:
// the posts missing, the people available before the deadline who may
// hold them, and whether they suffice on paper. Empty for other
// milestones, and while the register is empty (a province that does not
// keep one is not told so every week).
func (src *digestSource) supplyLine(p *locales.Printer, progress store.Progress) string {
	m := progress.Milestone
	if len(src.people) == 0 || m.Kind != store.KindPosts || (m.Target != "" && m.Target != store.Regular) || progress.Done >= progress.Total {
		return ""
	}
	s := propose.SupplyOf(progress, src.people, src.rule)
	switch {
	case s.Available == 0:
		return p.T("supply.line.none", p.Num(s.Gap))
	case s.MetOnPaper:
		return p.T("supply.line.met", p.Num(s.Gap), p.Num(s.Available))
	}
	return p.T("supply.line.short", p.Num(s.Gap), p.Num(s.Available), p.Num(s.Fillable))
}

// scopeName labels a scope's own figures: "Toàn tỉnh" for a province (or
// a whole store of one province), "Toàn quốc" for a store of several, the
// district's or the commune's name for those.
func (src *digestSource) scopeName(p *locales.Printer, scope store.Scope) string {
	switch scope.Role {
	case store.RoleDistrict:
		return src.districts[scope.Code].Name
	case store.RoleCommune:
		c, _ := src.commune(scope.Code)
		return capital(communeName(p, c))
	case store.RoleProvince:
		return p.T("digest.scope.province")
	}
	provinces := make(map[string]bool)
	for _, d := range src.districts {
		provinces[d.ProvinceCode] = true
	}
	if len(provinces) > 1 {
		return p.T("digest.scope.country")
	}
	return p.T("digest.scope.province")
}

// inScope returns the codes of the source's districts within scope.
func (src *digestSource) inScope(scope store.Scope) map[string]bool {
	out := make(map[string]bool)
	for code, d := range src.districts {
		switch scope.Role {
		case "":
			out[code] = true
		case store.RoleProvince:
			out[code] = d.ProvinceCode == scope.Code
		case store.RoleDistrict:
			out[code] = code == scope.Code
		case store.RoleCommune:
			// Only BuildDigest reads a source for a commune: its one
			// district holds that commune alone.
			out[code] = true
		}
	}
	// A province's reporting units stand beside its districts in the
	// progress of a milestone asked of them.
	for _, u := range src.roster.units {
		out[u.Code] = scope.Role == "" || scope.Role == store.RoleProvince && u.ProvinceCode == scope.Code
	}
	return out
}

// within narrows a progress to the districts listed.
func within(p store.Progress, districts map[string]bool) store.Progress {
	out := store.Progress{Milestone: p.Milestone}
	for _, dp := range p.Districts {
		if !districts[dp.District.Code] {
			continue
		}
		out.Districts = append(out.Districts, dp)
		out.Total += dp.Total
		out.Done += dp.Done
		out.Posts += dp.Posts
		out.AtTarget += dp.AtTarget
		out.Unverified += dp.Unverified
	}
	return out
}

// snapshotFigures are what a digest reads of a district's snapshot: a
// source keeps them for every milestone and district of the country, not
// the whole rows, with their week and milestone as strings of their own.
type snapshotFigures struct{ done, total int }

// previousProgress rebuilds last week's figures of a milestone from its
// snapshots, by district, over the districts it has now; nil when there
// are none.
func previousProgress(m store.Milestone, now store.Progress, snaps map[string]snapshotFigures) *store.Progress {
	if len(snaps) == 0 {
		return nil
	}
	prev := &store.Progress{Milestone: m}
	for _, dp := range now.Districts {
		s, ok := snaps[dp.District.Code]
		if !ok {
			continue
		}
		prev.Districts = append(prev.Districts, store.DistrictProgress{District: dp.District, Total: s.total, Done: s.done})
		prev.Total += s.total
		prev.Done += s.done
	}
	return prev
}

// digestGroup is the recipients of one digest: one scope, one language.
type digestGroup struct {
	scope store.Scope
	lang  string
	chats []int64
}

// runDigest writes the week's digest for every province user (and the
// digest chat) into the outbox, names the communes escalated to the
// province, and saves the week's figures for next week's change. The
// digest of the firing due is built as of now, which differs only after
// a downtime.
//
// The whole store's progress is read once; each digest is built once per
// scope and language and shared by its recipients: its chart and workbook
// are stored once (store.PutOutboxFiles) and each recipient's item names
// them. The groups are read, rendered and stored in a pipeline
// (digestItems), so that memory holds a few scopes' rosters and files at
// a time, not every one's.
func (s *Scheduler) runDigest(ctx context.Context, _, due, now time.Time) error {
	loc := s.Calendar.Location()
	weekKey := WeekOf(due, loc)
	users, err := s.DB.UsersOfRole(ctx, store.RoleProvince)
	if err != nil {
		return err
	}
	type groupKey struct {
		scope store.Scope
		lang  string
	}
	var groups []*digestGroup
	byKey := make(map[groupKey]*digestGroup)
	add := func(scope store.Scope, lang string, chat int64) {
		k := groupKey{scope: scope, lang: s.Catalog.Match(lang)}
		g := byKey[k]
		if g == nil {
			g = &digestGroup{scope: k.scope, lang: k.lang}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.chats = append(g.chats, chat)
	}
	for _, u := range users {
		if !u.Gone {
			add(store.ScopeOf(u), u.Lang, u.TelegramID)
		}
	}
	if s.DigestChat != 0 {
		add(store.Scope{}, s.DigestLang, s.DigestChat)
	}

	// A group bound to the province gets its digest, as its users do.
	chats, err := s.DB.GroupChats(ctx)
	if err != nil {
		return err
	}
	for _, c := range chats {
		if c.Role == store.RoleProvince {
			add(c.ScopeOf(), c.Lang, c.ChatID)
		}
	}

	src, err := newDigestSource(ctx, s.DB, store.Scope{}, now)
	if err != nil {
		return err
	}
	dueAt := s.Calendar.NextSendTime(now)
	items, err := s.digestItems(ctx, src, groups, weekKey, dueAt, now)
	if err != nil {
		return err
	}
	n, err := s.DB.Enqueue(ctx, items)
	if err != nil {
		return err
	}
	s.log().Info("digest planned", "week", weekKey, "digests", len(groups), "items", len(items), "new", n)

	// The whole store's figures and escalations, each in one statement.
	var snaps []store.Snapshot
	var escalated []store.EscalationKey
	for _, sm := range src.started {
		pr := sm.progress
		for _, dp := range pr.Districts {
			// What the goal measures: communes done, or posts at the target
			// status for a share goal.
			value, of, _ := dp.Measure(sm.stage.Goal)
			snaps = append(snaps, store.Snapshot{MilestoneID: pr.Milestone.ID, DistrictCode: dp.District.Code, Done: value, Total: of, TakenAt: now})
		}
		_, province := Escalations(pr, pr.Milestone.Deadline, now, pr.Milestone.Remind.EscalateAfter)
		for _, c := range province {
			escalated = append(escalated, store.EscalationKey{MilestoneID: pr.Milestone.ID, CommuneCode: c.Commune.Code})
		}
	}
	if _, err := s.DB.RecordEscalations(ctx, store.EscalatedToProvince, now, escalated); err != nil {
		return err
	}
	return s.DB.SaveSnapshots(ctx, weekKey, snaps)
}

// readDigest is a group's digest, read from the store.
type readDigest struct {
	group  *digestGroup
	digest digest.Digest
}

// renderedDigest is a group's digest as the messages it goes out as, its
// files not yet stored.
type renderedDigest struct {
	group *digestGroup
	parts []DigestPart
}

// digestItems builds the digest of each group from src and returns an
// outbox item per message and recipient, in the order of the groups,
// each naming the file it sends, stored once (store.PutOutboxFiles: one
// commit for a digest's chart and workbook).
//
// The groups go through three stages, one goroutine each: reading a
// digest's reports and roster from the store, rendering its text, chart
// and workbook (most of the work), and storing its files; a stage hands
// on one digest at a time, so that memory holds a few scopes' rosters
// and files, never every one's. One renderer, not one per core: on the
// national roster a second took the job on two cores from 1.2–1.4 s to
// 1.0–1.2 s but held 20 MiB more (each renderer's digest, workbook
// buffers, canvas and compressors), and memory, shared with the serving
// bot, is what the job is short of.
func (s *Scheduler) digestItems(ctx context.Context, src *digestSource, groups []*digestGroup, weekKey string, dueAt, now time.Time) ([]store.OutboxItem, error) {
	eg, egCtx := errgroup.WithContext(ctx)
	read := make(chan readDigest)
	rendered := make(chan renderedDigest)
	eg.Go(func() error {
		defer close(read)
		for _, g := range groups {
			d, err := src.digest(egCtx, s.Catalog, g.lang, g.scope)
			if err != nil {
				return err
			}
			select {
			case read <- readDigest{group: g, digest: d}:
			case <-egCtx.Done():
				return egCtx.Err()
			}
		}
		return nil
	})
	eg.Go(func() error {
		defer close(rendered)
		var rd digest.Renderer
		for r := range read {
			parts, err := DigestMessages(&rd, s.Catalog.Printer(r.group.lang, s.Calendar.Location()), r.digest)
			if err != nil {
				return err
			}
			select {
			case rendered <- renderedDigest{group: r.group, parts: parts}:
			case <-egCtx.Done():
				return egCtx.Err()
			}
		}
		return nil
	})
	var items []store.OutboxItem
	eg.Go(func() error {
		for r := range rendered {
			its, err := s.storeDigest(egCtx, r, weekKey, dueAt, now)
			if err != nil {
				return err
			}
			items = append(items, its...)
		}
		return nil
	})
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	return items, nil
}

// storeDigest stores the files of a rendered digest in one commit and
// returns its outbox items, their payloads naming the files.
func (s *Scheduler) storeDigest(ctx context.Context, r renderedDigest, weekKey string, dueAt, now time.Time) ([]store.OutboxItem, error) {
	var files []*File
	var data [][]byte
	for _, part := range r.parts {
		if f := messageFile(part.Message); f != nil {
			files = append(files, f)
			data = append(data, f.Data)
		}
	}
	refs, err := s.DB.PutOutboxFiles(ctx, data, now)
	if err != nil {
		return nil, err
	}
	for i, f := range files {
		f.Ref, f.Data = refs[i], nil
	}
	items := make([]store.OutboxItem, 0, len(r.parts)*len(r.group.chats))
	for _, part := range r.parts {
		payload, err := MessagePayload(part.Message)
		if err != nil {
			return nil, err
		}
		ref := ""
		if f := messageFile(part.Message); f != nil {
			ref = f.Ref
		}
		for _, chat := range r.group.chats {
			items = append(items, store.OutboxItem{
				Key:     fmt.Sprintf("digest:%s:%d:%s", weekKey, chat, part.Name),
				ChatID:  chat,
				Kind:    KindDigest,
				Payload: payload,
				FileRef: ref,
				DueAt:   dueAt,
			})
		}
	}
	return items, nil
}

// messageFile is the file m sends, nil when it sends none.
func messageFile(m Message) *File {
	if m.Photo != nil {
		return m.Photo
	}
	return m.Document
}
