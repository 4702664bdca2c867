package review

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/reminders/propose"
	"github.com/caxbot/caxbot/store"
)

// Kind is the kind of review: it names the document.
type Kind string

const (
	SoKet   Kind = "so_ket"   // sơ kết: six months
	TongKet Kind = "tong_ket" // tổng kết: a year
	Period  Kind = "period"   // any period
)

// HalfYear returns the first and last days of the half (1 or 2) of a
// year: a sơ kết's period.
func HalfYear(year, half int, loc *time.Location) (from, to time.Time) {
	first := time.January
	if half == 2 {
		first = time.July
	}
	from = time.Date(year, first, 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 6, -1)
}

// Year returns the first and last days of a year: a tổng kết's period.
func Year(year int, loc *time.Location) (from, to time.Time) {
	from = time.Date(year, time.January, 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(1, 0, -1)
}

// Request says which review to build.
type Request struct {
	Kind Kind
	// From and To are the period's first and last days, midnight in the
	// plan's zone. A period not over at Now is reviewed up to Now.
	From, To time.Time
	Scope    store.Scope
	Lang     string
	Now      time.Time
}

// ErrNotStarted is returned for a period that starts after now.
var ErrNotStarted = errors.New("review: the period has not started")

// ErrBadPeriod is returned for a period that ends before it starts.
var ErrBadPeriod = errors.New("review: the period ends before it starts")

// maxDocumentRows is the most rows a list shows in the document; the
// workbook has them all.
const maxDocumentRows = 60

// Build computes the review of the plan over the request's scope and
// period from the store: the posts at the period's start and end, each
// milestone (and roadmap step) met on time, late or not, the period's
// changes, the communes still behind, the people replaced and their
// arrangement, and the forecasts at the end.
func Build(ctx context.Context, db *store.DB, cat *locales.Catalog, req Request) (Document, error) {
	if req.To.Before(req.From) {
		return Document{}, ErrBadPeriod
	}
	if req.Now.Before(req.From) {
		return Document{}, ErrNotStarted
	}
	b := &builder{db: db, loc: db.Location(), req: req, moments: make(map[time.Time]*moment)}
	b.p = cat.Printer(cat.Match(req.Lang), b.loc)
	b.sep = strings.Trim(b.p.Num(1000), "10")
	b.start, b.end, b.last = req.From, req.To.AddDate(0, 0, 1), req.To
	if b.end.After(req.Now) {
		b.end = req.Now
		y, m, d := req.Now.In(b.loc).Date()
		b.last = time.Date(y, m, d, 0, 0, 0, 0, b.loc)
	}
	if err := b.read(ctx); err != nil {
		return Document{}, err
	}
	return b.document(ctx)
}

// builder holds what a review reads once.
type builder struct {
	db         *store.DB
	p          *locales.Printer
	sep        string // the thousands separator
	loc        *time.Location
	req        Request
	start, end time.Time // the moments the period runs between
	last       time.Time // the period's last day shown
	districts  []store.District
	// direct is a province without districts: its communes belong to
	// it directly, so the review has no district rows and names what it
	// groups by with the vocabulary's ".direct" keys.
	direct         bool
	units          []store.ReportingUnit // the departments, for milestones asked of them
	communes       []store.Commune       // in the plan (xã, thị trấn), by code
	communeByCode  map[string]store.Commune
	districtByCode map[string]store.District
	groups         map[string]map[string]bool
	milestones     []store.Milestone
	planTitle      string
	provinces      []store.Province
	moments        map[time.Time]*moment
	firstReport    time.Time
	changes        []store.Report
	details        map[int64]store.Details // of the changes that have any
	replaced       []store.Replaced
	actorNames     map[string]string
	// The register of people available for posts (as it is now: the
	// register keeps no state by date) and the plans' rule of who may
	// hold which post, for the supply beside the demand.
	people []store.Candidate
	rule   store.Eligibility
}

// moment is the store's state at a moment, from which every milestone's
// progress follows.
type moment struct {
	statuses store.StatusCounts
	// unverified are the posts whose last report waited for its check
	// at the moment: the verified share beside a milestone's result.
	unverified store.StatusCounts
	submitted  map[string]map[string]bool
}

func (b *builder) read(ctx context.Context) error {
	db, s := b.db, b.req.Scope
	// The map is the one of the period's end: a review of 2020 written
	// after the communes merged and the districts ended still counts the
	// communes, by district, as they were.
	atEnd := db.AsOf(b.end)
	var err error
	if b.districts, err = atEnd.Districts(ctx, s); err != nil {
		return err
	}
	if b.units, err = db.ReportingUnits(ctx, s); err != nil {
		return err
	}
	all, err := atEnd.Communes(ctx, s)
	if err != nil {
		return err
	}
	b.communeByCode = make(map[string]store.Commune, len(all))
	for _, c := range all {
		b.communeByCode[c.Code] = c
		if c.InPlan() {
			b.communes = append(b.communes, c)
		}
	}
	b.districtByCode = make(map[string]store.District, len(b.districts))
	for _, d := range b.districts {
		b.districtByCode[d.Code] = d
	}
	b.direct = len(b.districts) > 0 && !slices.ContainsFunc(b.districts, func(d store.District) bool { return !d.Direct() })
	if b.groups, err = db.Groups(ctx); err != nil {
		return err
	}
	plans, err := db.Plans(ctx)
	if err != nil {
		return err
	}
	for _, pl := range plans {
		b.planTitle = pl.TitleVI
		if b.p.Lang() == "en" && pl.TitleEN != "" {
			b.planTitle = pl.TitleEN
		}
		b.milestones = append(b.milestones, pl.Milestones...)
	}
	b.rule = propose.Rule(plans)
	if b.people, err = db.Candidates(ctx); err != nil {
		return err
	}
	if b.provinces, err = db.Provinces(ctx); err != nil {
		return err
	}
	end := db.AsOf(b.end)
	if b.firstReport, _, err = end.FirstReport(ctx, s); err != nil {
		return err
	}
	if b.changes, err = end.ReportsBetween(ctx, s, b.start, b.end); err != nil {
		return err
	}
	ids := make([]int64, len(b.changes))
	for i, r := range b.changes {
		ids[i] = r.ID
	}
	// The decisions and checks as they stand now: a check made after the
	// period's end still says what the period's report rested on.
	if b.details, err = db.ReportDetails(ctx, ids); err != nil {
		return err
	}
	if b.replaced, err = end.ReplacedPeople(ctx, s, b.start, b.end); err != nil {
		return err
	}
	return b.readActors(ctx)
}

// readActors names the people who reported the period's changes, as the
// history and the digest name them.
func (b *builder) readActors(ctx context.Context) error {
	actors := make([]string, len(b.changes))
	for i, r := range b.changes {
		actors[i] = r.Actor
	}
	var err error
	b.actorNames, err = reminders.ActorNames(ctx, b.db, b.p, actors, b.position)
	return err
}

// position names a user by role and unit, as the digest does.
func (b *builder) position(u store.User) string {
	switch u.Role {
	case store.RoleCommune:
		if c, ok := b.communeByCode[u.Scope]; ok {
			return b.p.Position(string(u.Role), string(c.Type), c.Name)
		}
	case store.RoleDistrict:
		if d, ok := b.districtByCode[u.Scope]; ok {
			return b.p.Position(string(u.Role), "", d.Name)
		}
	}
	return b.p.T("role." + string(u.Role))
}

// at reads the store's state at t, once.
func (b *builder) at(ctx context.Context, t time.Time) (*moment, error) {
	if m, ok := b.moments[t]; ok {
		return m, nil
	}
	view := b.db.AsOf(t)
	sc, err := view.CountStatuses(ctx, b.req.Scope)
	if err != nil {
		return nil, err
	}
	u, err := view.UnverifiedCounts(ctx, b.req.Scope)
	if err != nil {
		return nil, err
	}
	subs, err := view.AllSubmissions(ctx)
	if err != nil {
		return nil, err
	}
	m := &moment{statuses: sc, unverified: u, submitted: make(map[string]map[string]bool)}
	for _, s := range subs {
		if m.submitted[s.MilestoneID] == nil {
			m.submitted[s.MilestoneID] = make(map[string]bool)
		}
		m.submitted[s.MilestoneID][s.DistrictCode] = true
	}
	b.moments[t] = m
	return m, nil
}

// progress evaluates a milestone (or a stage of one) at a moment.
func (b *builder) progress(m *moment, ms store.Milestone) store.Progress {
	counts := m.statuses.For(ms)
	counts.Unverify(ms, m.unverified)
	return store.Evaluate(ms, store.Roster{Districts: b.districts, Units: b.units, Communes: b.communes, Counts: counts,
		Groups: b.groups, Submitted: m.submitted[ms.ID]})
}

func (b *builder) document(ctx context.Context) (Document, error) {
	p := b.p
	d := Document{
		Superior:        p.T("review.superior"),
		Issuer:          b.issuer(),
		Number:          p.T("review.number"),
		Nation:          p.T("review.nation"),
		Motto:           p.T("review.motto"),
		PlaceDate:       b.placeDate(),
		Kind:            p.T("review.kind"),
		Title:           b.title(),
		Period:          p.T("review.period", p.Date(b.start), p.Date(b.last)),
		RecipientsLabel: p.T("review.recipients"),
		Recipients:      strings.Split(p.T(b.grouped("review.recipients_list")), "\n"),
		Signer:          p.T("review.signer"),
		SignerNote:      p.T("review.signer_note"),
		GeneratedAt:     b.req.Now,
		Location:        b.loc,
		Footer:          p.T("review.footer", p.DateTime(b.req.Now)),
	}
	startM, err := b.at(ctx, b.start)
	if err != nil {
		return d, err
	}
	endM, err := b.at(ctx, b.end)
	if err != nil {
		return d, err
	}
	milestones, err := b.milestoneRows(ctx, startM, endM)
	if err != nil {
		return d, err
	}
	forecasts, err := b.forecastSection(ctx, endM)
	if err != nil {
		return d, err
	}
	sections := []Section{
		b.summary(startM, endM, milestones),
		b.postsSection(startM, endM),
		b.milestoneSection(milestones),
		b.changesSection(),
		b.behindSection(endM),
		b.replacedSection(),
		forecasts,
		b.supplySection(endM),
	}
	for i := range sections {
		sections[i].Heading = roman[i] + ". " + sections[i].Heading
	}
	d.Sections = sections
	return d, nil
}

var roman = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}

// provinceName is the province the review is of, as stored ("Hòa Bình",
// "Tỉnh Hòa Bình"), or "" for a store of several.
func (b *builder) provinceName() string {
	code := ""
	switch {
	case b.req.Scope.Role == store.RoleProvince:
		code = b.req.Scope.Code
	case len(b.districts) > 0:
		code = b.districts[0].ProvinceCode
	}
	if b.req.Scope.All() && len(b.provinces) > 1 {
		return ""
	}
	for _, pr := range b.provinces {
		if pr.Code == code {
			return pr.Name
		}
	}
	return ""
}

// unitName writes a province's name with its unit: "tỉnh Hòa Bình",
// "thành phố Hà Nội"; and place is the name alone, for the date line.
func (b *builder) unitName() (unit, place string) {
	name := b.provinceName()
	for _, prefix := range []string{"tỉnh ", "thành phố "} {
		if len(name) > len(prefix) && strings.EqualFold(name[:len(prefix)], prefix) {
			return prefix + name[len(prefix):], name[len(prefix):]
		}
	}
	return b.p.T("review.province_unit", name), name
}

func (b *builder) issuer() string {
	unit, _ := b.unitName()
	if b.provinceName() == "" {
		return b.p.T("review.issuer_country")
	}
	return strings.ToUpper(b.p.T("review.issuer", unit))
}

// placeDate is "Hòa Bình, ngày 05 tháng 02 năm 2020": a day below 10 and
// the months January and February written with two digits, as the decree
// asks.
func (b *builder) placeDate() string {
	_, place := b.unitName()
	t := b.req.Now.In(b.loc)
	day, month := strconv.Itoa(t.Day()), strconv.Itoa(int(t.Month()))
	if t.Day() < 10 {
		day = "0" + day
	}
	if t.Month() <= time.February {
		month = "0" + month
	}
	if place == "" {
		return b.p.T("review.date", day, month, strconv.Itoa(t.Year()))
	}
	return b.p.T("review.place_date", place, day, month, strconv.Itoa(t.Year()))
}

func (b *builder) title() string {
	p, from := b.p, b.req.From.In(b.loc)
	switch b.req.Kind {
	case SoKet:
		half := "review.first_half"
		if from.Month() >= time.July {
			half = "review.second_half"
		}
		return p.T("review.title.so_ket", p.T(half, strconv.Itoa(from.Year())), b.planTitle)
	case TongKet:
		return p.T("review.title.tong_ket", strconv.Itoa(from.Year()), b.planTitle)
	}
	return p.T("review.title.period", b.planTitle)
}

// scopeLabel names the scope's totals: "Toàn tỉnh", or the district.
func (b *builder) scopeLabel() string {
	if b.req.Scope.Role == store.RoleDistrict && len(b.districts) == 1 {
		return b.districts[0].Name
	}
	if b.provinceName() == "" {
		return b.p.T("review.all_country")
	}
	return b.p.T("review.all")
}

func (b *builder) num(n int) Cell { return Number(n, b.sep) }

// grouped is key, or its ".direct" variant in a province without
// districts: the words for what the review's rows are.
func (b *builder) grouped(key string) string {
	if b.direct {
		return key + ".direct"
	}
	return key
}

// districtName names a district in a row; the province's own unit, in a
// province that abolished some of its districts, reads as the communes
// it holds directly.
func (b *builder) districtName(d store.District) string {
	if d.Direct() {
		return b.p.T("review.direct_communes")
	}
	return d.Name
}

// districtRows is the districts that get a row of their own in a table
// by district: none in a province without districts, where the total
// row says it all.
func (b *builder) districtRows() []store.District {
	if b.direct {
		return nil
	}
	return b.districts
}

// withDistrictHeader and withDistrictWidth are withDistrict for a list's
// header and column widths.
func (b *builder) withDistrictHeader(cells []HeaderCell) []HeaderCell {
	if b.direct {
		return cells
	}
	return append([]HeaderCell{{Text: b.p.T("review.col.district")}}, cells...)
}

func (b *builder) withDistrictWidth(widths []int, district int) []int {
	if b.direct {
		return widths
	}
	return append([]int{district}, widths...)
}

// withDistrict puts a list row's district cell (and its header and width)
// before the rest, except in a province without districts.
func (b *builder) withDistrict(cells []Cell, district string) []Cell {
	if b.direct {
		return cells
	}
	return append([]Cell{Text(district)}, cells...)
}

// kindCounts sums the posts of the plan's communes by kind and status,
// per district and in all, indexed as store.StatusCounts is.
func (b *builder) kindCounts(m *moment) (map[string]*[3][3]int, [3][3]int) {
	per := make(map[string]*[3][3]int)
	var all [3][3]int
	for _, c := range b.communes {
		n := m.statuses[c.Code]
		if n == nil {
			continue
		}
		if per[c.DistrictCode] == nil {
			per[c.DistrictCode] = new([3][3]int)
		}
		for k := range 3 {
			for s := range 3 {
				per[c.DistrictCode][k][s] += n[k][s]
				all[k][s] += n[k][s]
			}
		}
	}
	return per, all
}

// Indexes of store.StatusCounts.
const (
	regular, semi, vacant = 0, 1, 2
)

func sum(row [3]int) int { return row[0] + row[1] + row[2] }

func (b *builder) summary(startM, endM *moment, milestones []milestoneRow) Section {
	p := b.p
	_, before := b.kindCounts(startM)
	_, after := b.kindCounts(endM)
	posts, regularNow, regularBefore := 0, 0, 0
	for k := range 3 {
		posts += sum(after[k])
		regularNow += after[k][regular]
		regularBefore += before[k][regular]
	}
	scope := strings.ToLower(b.scopeLabel()[:1]) + b.scopeLabel()[1:]
	if b.req.Scope.Role == store.RoleDistrict {
		scope = b.p.InSentence(b.scopeLabel())
	}
	first := p.T("review.summary.posts", p.Date(b.last), scope, p.Num(len(b.communes)), p.Num(posts),
		p.Num(regularNow), p.Percent(regularNow, posts)) + b.change(regularNow-regularBefore, "review.summary.change_posts") + "."
	var kinds []string
	for k, kind := range store.PostKinds {
		kinds = append(kinds, p.T("review.summary.kind", p.Post(string(kind), "", 0), p.Num(after[k][regular]), p.Num(sum(after[k])),
			p.Num(before[k][regular])))
	}
	people, files := 0, 0
	for _, r := range b.changes {
		if strings.HasPrefix(r.Actor, "import:") {
			files++
		} else {
			people++
		}
	}
	open := 0
	for _, r := range b.replaced {
		if !r.Arranged() {
			open++
		}
	}
	due, dueMet := 0, 0
	for _, m := range milestones {
		if m.state == stateDue {
			due++
			if m.open == 0 {
				dueMet++
			}
		}
	}
	return Section{Heading: p.T("review.section.summary"), Paragraphs: []string{
		first,
		p.T("review.summary.kinds", strings.Join(kinds, "; ")) + ".",
		p.T("review.summary.changes", p.Num(len(b.changes)), p.Num(people), p.Num(files), p.Num(len(b.replaced)), p.Num(open)),
		p.T("review.summary.milestones", p.Num(due), p.Num(dueMet), p.Num(due-dueMet)),
	}}
}

// change is ", tăng 12 vị trí so với đầu kỳ", or nothing for no change.
func (b *builder) change(n int, key string) string {
	switch {
	case n > 0:
		return b.p.T(key+"_up", b.p.Num(n))
	case n < 0:
		return b.p.T(key+"_down", b.p.Num(-n))
	}
	return ""
}

// postsSection is a table per post kind: each district's posts by status
// at the period's start and end.
func (b *builder) postsSection(startM, endM *moment) Section {
	p := b.p
	before, beforeAll := b.kindCounts(startM)
	after, afterAll := b.kindCounts(endM)
	s := Section{Heading: p.T("review.section.posts"), Paragraphs: []string{p.T(b.grouped("review.posts.intro"), p.Date(b.start), p.Date(b.last))}}
	start, end := p.T("review.col.start"), p.T("review.col.end")
	for k, kind := range store.PostKinds {
		t := Table{
			Title: p.T("review.posts.table", p.Post(string(kind), "", 0)),
			Sheet: p.Post(string(kind), "", 0),
			Header: [][]HeaderCell{
				{{Text: p.T(b.grouped("review.col.district"))}, {Text: capitalise(p.T("status.regular")), Span: 3},
					{Text: capitalise(p.T("status.semi")), Span: 2}, {Text: capitalise(p.T("status.vacant")), Span: 2}},
				{{}, {Text: start}, {Text: end}, {Text: p.T("review.col.change")}, {Text: start}, {Text: end}, {Text: start}, {Text: end}},
			},
			Widths: []int{22, 8, 8, 8, 8, 8, 8, 8},
		}
		row := func(label string, was, now [3]int, total bool) Row {
			return Row{Total: total, Cells: []Cell{Text(label),
				b.num(was[regular]), b.num(now[regular]), b.num(now[regular] - was[regular]),
				b.num(was[semi]), b.num(now[semi]), b.num(was[vacant]), b.num(now[vacant])}}
		}
		for _, d := range b.districtRows() {
			var was, now [3]int
			if n := before[d.Code]; n != nil {
				was = n[k]
			}
			if n := after[d.Code]; n != nil {
				now = n[k]
			}
			if sum(was)+sum(now) == 0 {
				continue
			}
			t.Rows = append(t.Rows, row(b.districtName(d), was, now, false))
		}
		t.Rows = append(t.Rows, row(b.scopeLabel(), beforeAll[k], afterAll[k], true))
		s.Tables = append(s.Tables, t)
	}
	return s
}

// stageState says where a stage stands in the period.
type stageState int

const (
	stateDue     stageState = iota // its deadline falls in the period
	stateOverdue                   // due before the period, not met by every district at its start
	stateAhead                     // due after the period: measured so far
)

// milestoneRow is a stage of a milestone and how the districts met it.
type milestoneRow struct {
	milestone store.Milestone
	stage     store.Milestone
	state     stageState
	districts int
	onTime    int // met by the end of the deadline's day (for stateAhead: met so far)
	late      int // met after the deadline, by the period's end
	open      int // not met at the period's end
	end       store.Progress
}

func (b *builder) milestoneRows(ctx context.Context, startM, endM *moment) ([]milestoneRow, error) {
	var rows []milestoneRow
	for _, m := range b.milestones {
		if m.Start.After(b.last) {
			continue
		}
		current := m.StageAt(b.end)
		for _, stage := range m.Stages() {
			deadlineEnd := stage.Deadline.AddDate(0, 0, 1)
			var state stageState
			switch {
			case !stage.Deadline.Before(b.start) && !stage.Deadline.After(b.last):
				state = stateDue
			case stage.Deadline.Before(b.start):
				if pr := b.progress(startM, stage); pr.MetDistricts() == len(pr.Districts) {
					continue
				}
				state = stateOverdue
			case stage.Deadline.Equal(current.Deadline):
				state = stateAhead
			default:
				continue
			}
			end := b.progress(endM, stage)
			if end.Total == 0 {
				continue
			}
			row := milestoneRow{milestone: m, stage: stage, state: state, districts: len(end.Districts), end: end}
			var atDeadline store.Progress
			if state != stateAhead {
				at := deadlineEnd
				if at.After(b.end) {
					at = b.end
				}
				dm, err := b.at(ctx, at)
				if err != nil {
					return nil, err
				}
				atDeadline = b.progress(dm, stage)
			}
			for _, dp := range end.Districts {
				metNow := dp.Meets(stage.Goal)
				metThen := false
				if state != stateAhead {
					if then, ok := atDeadline.District(dp.District.Code); ok {
						metThen = then.Meets(stage.Goal)
					}
				}
				switch {
				case state == stateAhead && metNow, metThen:
					row.onTime++
				case metNow:
					row.late++
				default:
					row.open++
				}
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// stageTitle names a stage: the milestone's title, and for a step of its
// roadmap, the step's goal.
func (b *builder) stageTitle(r milestoneRow) string {
	title := r.milestone.Title(b.p.Lang())
	if !r.milestone.IsStep(r.stage) {
		return title
	}
	return b.p.T("review.stage", title, b.goalShort(r.stage.Goal))
}

// goalShort is "20% vị trí", "mỗi xã 2 vị trí".
func (b *builder) goalShort(g store.Goal) string {
	if g.Share > 0 {
		return b.p.T("review.goal.share", b.p.Num(g.Share))
	}
	return b.p.T("review.goal.count", b.p.Num(g.Count))
}

// measureText is the stage's result: "120/141 xã, thị trấn (85,1%)",
// "300/700 vị trí (42,9%)", "9/11 huyện, thành phố".
func (b *builder) measureText(pr store.Progress) string {
	value, of, _ := pr.Measure()
	key := "review.measure.communes"
	switch {
	case pr.Milestone.ForUnits():
		key = "units.review.measure"
	case pr.Milestone.Kind == store.KindDistrictReport:
		key = b.grouped("review.measure.districts")
	case pr.Milestone.Goal.Share > 0:
		key = "review.measure.posts"
	}
	return b.p.T(key, b.p.Num(value), b.p.Num(of), b.p.Percent(value, of))
}

func (b *builder) milestoneSection(rows []milestoneRow) Section {
	p := b.p
	table := func(title, count string) Table {
		return Table{
			Title: p.T(title),
			Sheet: p.T("review.milestones.sheet"),
			Header: [][]HeaderCell{{{Text: p.T("review.col.milestone")}, {Text: p.T("review.col.deadline")}, {Text: p.T("review.col.state")},
				{Text: p.T(count)}, {Text: p.T("review.col.on_time")}, {Text: p.T("review.col.late")},
				{Text: p.T("review.col.open")}, {Text: p.T("review.col.result")}}},
			Widths: []int{25, 15, 13, 10, 9, 8, 8, 16},
		}
	}
	// The departments' milestones count departments, the others districts
	// (or the province's own unit): each table's column says which.
	districts := table(b.grouped("review.milestones.table"), b.grouped("review.col.districts"))
	units := table("units.review.table", "units.review.col.count")
	units.Sheet = p.T("units.review.sheet")
	for _, r := range rows {
		t := &districts
		if r.milestone.ForUnits() {
			t = &units
		}
		t.Rows = append(t.Rows, Row{Cells: []Cell{Text(b.stageTitle(r)), Text(p.Date(r.stage.Deadline)),
			Text(p.T(fmt.Sprintf("review.state.%d", r.state))), b.num(r.districts), b.num(r.onTime), b.num(r.late), b.num(r.open),
			Text(b.measureText(r.end))}})
	}
	paragraphs := []string{p.T(b.grouped("review.milestones.intro"))}
	for _, r := range rows {
		if line := reminders.VerifiedLine(p, r.end); line != "" {
			paragraphs = append(paragraphs, p.T("review.milestones.verified", b.stageTitle(r), line))
		}
	}
	tables := []Table{districts}
	if len(units.Rows) > 0 {
		tables = append(tables, units)
	}
	return Section{Heading: p.T("review.section.milestones"), Paragraphs: paragraphs, Tables: tables}
}

func (b *builder) changesSection() Section {
	p := b.p
	type counts struct{ all, people, files, regular [3]int }
	per := make(map[string]*counts)
	var all counts
	for _, r := range b.changes {
		c := b.communeByCode[r.CommuneCode]
		if per[c.DistrictCode] == nil {
			per[c.DistrictCode] = &counts{}
		}
		k := kindIndex(r.Kind)
		for _, n := range []*counts{per[c.DistrictCode], &all} {
			n.all[k]++
			if strings.HasPrefix(r.Actor, "import:") {
				n.files[k]++
			} else {
				n.people[k]++
			}
			if r.NewStatus == store.Regular && r.OldStatus != store.Regular {
				n.regular[k]++
			}
		}
	}
	t := Table{
		Title: p.T(b.grouped("review.changes.table")),
		Sheet: p.T("review.changes.sheet"),
		Header: [][]HeaderCell{
			{{Text: p.T(b.grouped("review.col.district"))}, {Text: p.T("review.col.changes"), Span: 3}, {Text: p.T("review.col.new_regular"), Span: 3}},
			{{}, {Text: p.T("review.col.all")}, {Text: p.T("review.col.by_people")}, {Text: p.T("review.col.by_files")},
				{Text: p.Post(string(store.Chief), "", 0)}, {Text: p.Post(string(store.Deputy), "", 0)}, {Text: p.Post(string(store.Officer), "", 0)}},
		},
		Widths: []int{22, 8, 9, 9, 11, 11, 11},
	}
	row := func(label string, n counts, total bool) Row {
		return Row{Total: total, Cells: []Cell{Text(label), b.num(sum(n.all)), b.num(sum(n.people)), b.num(sum(n.files)),
			b.num(n.regular[0]), b.num(n.regular[1]), b.num(n.regular[2])}}
	}
	for _, d := range b.districtRows() {
		if n := per[d.Code]; n != nil {
			t.Rows = append(t.Rows, row(b.districtName(d), *n, false))
		}
	}
	t.Rows = append(t.Rows, row(b.scopeLabel(), all, true))

	list := Table{
		Title: p.T("review.changes.list"),
		Sheet: p.T("review.changes.list_sheet"),
		Header: [][]HeaderCell{append([]HeaderCell{{Text: p.T("review.col.time")}}, b.withDistrictHeader([]HeaderCell{{Text: p.T("review.col.commune")},
			{Text: p.T("review.col.post")}, {Text: p.T("review.col.from")}, {Text: p.T("review.col.to")}, {Text: p.T("review.col.actor")},
			{Text: p.T("digest.label.decision")}, {Text: p.T("digest.label.check")}})...)},
		Widths:       append([]int{14}, b.withDistrictWidth([]int{16, 20, 26, 26, 22, 30, 14}, 16)...),
		WorkbookOnly: true,
	}
	for _, r := range b.changes {
		c := b.communeByCode[r.CommuneCode]
		decision, check := "", ""
		if det, ok := b.details[r.ID]; ok {
			decision, check = det.Decision.Cell(), p.T("check."+string(det.Check))
		}
		list.Rows = append(list.Rows, Row{Cells: append([]Cell{Text(p.DateTime(r.At))}, b.withDistrict([]Cell{Text(c.Name),
			Text(b.postName(c, r.Kind, r.Slot)), Text(b.state(r.OldStatus, r.OldHolder)), Text(b.state(r.NewStatus, r.NewHolder)), Text(b.actor(r.Actor)),
			Text(decision), Text(check)}, b.districtName(b.districtByCode[c.DistrictCode]))...)})
	}
	return Section{Heading: p.T("review.section.changes"), Paragraphs: []string{p.T("review.changes.intro")}, Tables: []Table{t, list}}
}

func kindIndex(k store.PostKind) int {
	switch k {
	case store.Chief:
		return 0
	case store.Deputy:
		return 1
	}
	return 2
}

// postName names a post of a commune with its slot when it has one of
// several: "Phó Trưởng Công an xã 2".
func (b *builder) postName(c store.Commune, k store.PostKind, slot int) string {
	if k == store.Chief {
		slot = 0
	}
	return b.p.Post(string(k), string(c.Type), slot)
}

// state is "chính quy (Bùi Văn An)", "khuyết", or "–" for no post.
func (b *builder) state(s store.Status, holder string) string {
	if s == "" {
		return "–"
	}
	if holder == "" {
		return b.p.T("status." + string(s))
	}
	return b.p.T("review.state_held", b.p.T("status."+string(s)), holder)
}

// actor names who made a change, as readActors found them.
func (b *builder) actor(a string) string {
	if n := b.actorNames[a]; n != "" {
		return n
	}
	return a
}

// behindSection lists, for each stage whose deadline has passed by the
// end, the communes of the districts not meeting it, with what each
// lacks.
func (b *builder) behindSection(endM *moment) Section {
	p := b.p
	s := Section{Heading: p.T("review.section.behind")}
	rows := 0
	for _, m := range b.milestones {
		if m.Kind != store.KindPosts || m.Start.After(b.last) {
			continue
		}
		// The stage due last by the end: a step passed, or the deadline.
		var stage *store.Milestone
		for _, st := range m.Stages() {
			if st.Deadline.Before(b.last) {
				stage = &st
			}
		}
		if stage == nil {
			continue
		}
		title := b.stageTitle(milestoneRow{milestone: m, stage: *stage})
		t := Table{
			Title:        p.T("review.behind.table", title, p.Date(stage.Deadline)),
			Sheet:        p.T("review.behind.sheet", m.ID),
			Header:       [][]HeaderCell{b.withDistrictHeader([]HeaderCell{{Text: p.T("review.col.commune")}, {Text: p.T("review.col.lacks")}})},
			Widths:       b.withDistrictWidth([]int{22, 56}, 22),
			DocumentRows: maxDocumentRows,
		}
		for _, dp := range b.progress(endM, *stage).Districts {
			if dp.Meets(stage.Goal) {
				continue
			}
			for _, cp := range dp.Behind {
				t.Rows = append(t.Rows, Row{Cells: b.withDistrict([]Cell{Text(cp.Commune.Name),
					Text(capitalise(reminders.MissingText(p, cp.Commune.Type, stage.Target, cp.Missing)))}, b.districtName(dp.District))})
			}
		}
		if len(t.Rows) == 0 {
			continue
		}
		if len(t.Rows) > maxDocumentRows {
			t.Note = p.T("review.more_in_workbook", p.Num(maxDocumentRows), p.Num(len(t.Rows)))
		}
		rows += len(t.Rows)
		s.Tables = append(s.Tables, t)
	}
	if rows == 0 {
		s.Paragraphs = []string{p.T("review.behind.none", p.Date(b.last))}
	} else {
		s.Paragraphs = []string{p.T("review.behind.intro", p.Num(rows), p.Date(b.last))}
	}
	return s
}

func (b *builder) replacedSection() Section {
	p := b.p
	per := make(map[string]*[5]int) // replaced, then each arrangement in store.Arrangements' order
	var all [5]int
	for _, r := range b.replaced {
		c := b.communeByCode[r.Report.CommuneCode]
		if per[c.DistrictCode] == nil {
			per[c.DistrictCode] = new([5]int)
		}
		i := 1 + slices.Index(store.Arrangements, r.Arrangement)
		for _, n := range []*[5]int{per[c.DistrictCode], &all} {
			n[0]++
			n[i]++
		}
	}
	header := []HeaderCell{{Text: p.T(b.grouped("review.col.district"))}, {Text: p.T("review.col.replaced")}}
	for _, a := range store.Arrangements {
		header = append(header, HeaderCell{Text: p.T("arrangement." + string(a))})
	}
	t := Table{
		Title: p.T("review.replaced.table"), Sheet: p.T("review.replaced.sheet"),
		Header: [][]HeaderCell{header},
		Widths: []int{22, 11, 11, 11, 12, 11},
	}
	row := func(label string, n [5]int, total bool) Row {
		cells := []Cell{Text(label)}
		for _, v := range n {
			cells = append(cells, b.num(v))
		}
		return Row{Total: total, Cells: cells}
	}
	for _, d := range b.districtRows() {
		if n := per[d.Code]; n != nil {
			t.Rows = append(t.Rows, row(b.districtName(d), *n, false))
		}
	}
	t.Rows = append(t.Rows, row(b.scopeLabel(), all, true))
	list := Table{
		Title: p.T("review.replaced.list"), Sheet: p.T("review.replaced.list_sheet"),
		Header: [][]HeaderCell{b.withDistrictHeader([]HeaderCell{{Text: p.T("review.col.commune")}, {Text: p.T("review.col.post")},
			{Text: p.T("review.col.person")}, {Text: p.T("review.col.replaced_by")}, {Text: p.T("review.col.day")},
			{Text: p.T("review.col.arrangement")}})},
		Widths:       b.withDistrictWidth([]int{14, 17, 18, 18, 14, 17}, 15),
		DocumentRows: maxDocumentRows,
	}
	for _, r := range b.replaced {
		c := b.communeByCode[r.Report.CommuneCode]
		list.Rows = append(list.Rows, Row{Cells: b.withDistrict([]Cell{Text(c.Name),
			Text(b.postName(c, r.Report.Kind, r.Report.Slot)), Text(r.Report.OldHolder), Text(r.Report.NewHolder),
			Text(p.Date(r.Report.At)), Text(p.T("arrangement." + string(r.Arrangement)))}, b.districtName(b.districtByCode[c.DistrictCode]))})
	}
	if len(list.Rows) > maxDocumentRows {
		list.Note = p.T("review.more_in_workbook", p.Num(maxDocumentRows), p.Num(len(list.Rows)))
	}
	s := Section{Heading: p.T("review.section.replaced")}
	if len(b.replaced) == 0 {
		s.Paragraphs = []string{p.T("review.replaced.none")}
		return s
	}
	s.Paragraphs = []string{p.T("review.replaced.intro", p.Num(all[0]), p.Num(all[4]))}
	s.Tables = []Table{t, list}
	return s
}

// forecastSection forecasts, for each milestone about posts whose stage at
// the period's end is not met, when it will be at the pace of the last
// weeks, for the scope and each district not meeting it.
func (b *builder) forecastSection(ctx context.Context, endM *moment) (Section, error) {
	p := b.p
	s := Section{Heading: p.T("review.section.forecasts"), Paragraphs: []string{p.T("review.forecasts.method",
		p.Num(store.ForecastWeeks), p.Num(store.MinForecastDays/7))}}
	for _, m := range b.milestones {
		if m.Kind != store.KindPosts || m.Start.After(b.last) {
			continue
		}
		stage := m.StageAt(b.end)
		now := b.progress(endM, stage)
		if now.Total == 0 || now.Met() {
			continue
		}
		from := store.ForecastWindow(m, b.firstReport, b.end)
		before := store.Progress{Milestone: stage}
		if b.end.Sub(from) >= store.MinForecastDays*24*time.Hour {
			bm, err := b.at(ctx, from)
			if err != nil {
				return s, err
			}
			before = b.progress(bm, stage)
		}
		f := store.ForecastProgress(now, before, from, b.end)
		title := b.stageTitle(milestoneRow{milestone: m, stage: stage})
		s.Paragraphs = append(s.Paragraphs, p.T("review.forecasts.scope", title, p.Date(stage.Deadline), b.scopeLabel(),
			b.measureText(now), reminders.ForecastText(p, f.Scope, stage.Deadline)))
		if b.direct {
			continue // the paragraph is the one row there is
		}
		t := Table{
			Title: p.T("review.forecasts.table", title),
			Sheet: p.T("review.forecasts.sheet", m.ID),
			Header: [][]HeaderCell{{{Text: p.T("review.col.district")}, {Text: p.T("review.col.now")}, {Text: p.T("review.col.need")},
				{Text: p.T("review.col.forecast")}}},
			Widths: []int{20, 22, 10, 48},
		}
		for _, dp := range now.Districts {
			if dp.Meets(stage.Goal) {
				continue
			}
			value, of, need := dp.Measure(stage.Goal)
			t.Rows = append(t.Rows, Row{Cells: []Cell{Text(b.districtName(dp.District)),
				Text(p.T("review.fraction", p.Num(value), p.Num(of), p.Percent(value, of))), b.num(need),
				Text(capitalise(reminders.ForecastText(p, f.Districts[dp.District.Code], stage.Deadline)))}})
		}
		s.Tables = append(s.Tables, t)
	}
	return s, nil
}

// supplySection weighs, for each milestone about regular posts not yet
// all held by regular police at the period's end, the posts missing (the
// demand) against the register (the supply), as the weekly digest does
// (propose.SupplyOf): the people available before the deadline who may
// hold one of its posts, the most of the gap they could fill, and whether
// that meets the milestone on paper.
func (b *builder) supplySection(endM *moment) Section {
	p := b.p
	s := Section{Heading: p.T("review.section.supply")}
	if len(b.people) == 0 {
		s.Paragraphs = []string{p.T("review.supply.no_register")}
		return s
	}
	t := Table{
		Title: p.T("review.supply.table"),
		Sheet: p.T("review.supply.sheet"),
		Header: [][]HeaderCell{{{Text: p.T("review.col.milestone")}, {Text: p.T("review.col.deadline")}, {Text: p.T("review.col.gap")},
			{Text: p.T("review.col.available")}, {Text: p.T("review.col.fillable")}, {Text: p.T("review.col.on_paper")}}},
		Widths: []int{34, 14, 14, 14, 12, 12},
	}
	for _, m := range b.milestones {
		if m.Kind != store.KindPosts || (m.Target != "" && m.Target != store.Regular) || m.Start.After(b.last) {
			continue
		}
		stage := m.StageAt(b.end)
		pr := b.progress(endM, stage)
		if pr.Total == 0 || pr.Done >= pr.Total {
			continue
		}
		sup := propose.SupplyOf(pr, b.people, b.rule)
		verdict := p.T("review.supply.short")
		if sup.MetOnPaper {
			verdict = p.T("review.supply.met")
		}
		t.Rows = append(t.Rows, Row{Cells: []Cell{Text(b.stageTitle(milestoneRow{milestone: m, stage: stage})), Text(p.Date(stage.Deadline)),
			b.num(sup.Gap), b.num(sup.Available), b.num(sup.Fillable), Text(verdict)}})
	}
	if len(t.Rows) == 0 {
		s.Paragraphs = []string{p.T("review.supply.none", p.Date(b.last))}
		return s
	}
	waiting := 0
	for _, c := range b.people {
		if c.Status == store.CandidateAvailable {
			waiting++
		}
	}
	s.Paragraphs = []string{p.T("review.supply.intro", p.Date(b.last), p.Num(waiting))}
	s.Tables = []Table{t}
	return s
}

// capitalise starts a text with a capital letter.
func capitalise(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
