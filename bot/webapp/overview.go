package webapp

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// overviewView is a scope's progress on every milestone that concerns it.
type overviewView struct {
	Scope      string          `json:"scope"`
	Name       string          `json:"name"`
	Parent     string          `json:"parent,omitempty"` // the scope above, inside the caller's
	AsOf       string          `json:"asOf"`
	UnitLevel  string          `json:"unitLevel"` // province, district or commune: what Units are
	Milestones []milestoneView `json:"milestones"`
	Current    int             `json:"current"` // the milestone shown first: the next deadline not met
}

type milestoneView struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	Kind     string        `json:"kind"`
	Deadline string        `json:"deadline"`
	When     string        `json:"when"` // "còn 12 ngày", "quá hạn 3 ngày"
	Overdue  bool          `json:"overdue"`
	Done     int           `json:"done"`
	Total    int           `json:"total"`
	Percent  string        `json:"percent"`
	Summary  string        `json:"summary"` // "12/28 xã hoàn thành"
	Complete bool          `json:"complete"`
	Forecast *forecastView `json:"forecast,omitempty"`
	Units    []unitView    `json:"units"`
	// UnitLevel is what Units are when not the overview's UnitLevel: the
	// departments ("unit") of a milestone asked of them.
	UnitLevel string `json:"unitLevel,omitempty"`
	// Behind names the communes (or, for a district report, districts)
	// not done, at most maxBehind; BehindCount counts them all.
	Behind      []behindView `json:"behind"`
	BehindCount int          `json:"behindCount"`
}

type forecastView struct {
	Text   string `json:"text"`
	OnTime bool   `json:"onTime"`
}

// unitView is one bar: a province, district or commune of the scope.
type unitView struct {
	Scope    string `json:"scope"` // what a tap opens; none for a department
	Name     string `json:"name"`
	Done     int    `json:"done"`
	Total    int    `json:"total"`
	Percent  string `json:"percent"`
	Note     string `json:"note"` // "còn 3 xã", "chưa có Trưởng Công an xã chính quy"
	Complete bool   `json:"complete"`
}

type behindView struct {
	Scope    string `json:"scope"`
	Name     string `json:"name"`
	District string `json:"district,omitempty"`
	Missing  string `json:"missing"`
}

// maxBehind bounds the communes behind that one milestone lists: a
// province has at most a few hundred; the whole country's are counted,
// and listed a province at a time.
const maxBehind = 300

// overview answers ?scope= (the caller's own by default): every
// milestone's progress there, by the units one level down.
func (s *Server) overview(ctx context.Context, w http.ResponseWriter, r *http.Request, se *session) error {
	target := se.scope()
	if v := r.URL.Query().Get("scope"); v != "" {
		var ok bool
		if target, ok = parseScope(v); !ok {
			return refuse(http.StatusBadRequest, "webapp.error.bad_request")
		}
	}
	if !se.ro.known(target) {
		return refuse(http.StatusNotFound, "webapp.error.unknown_place")
	}
	if !se.ro.covers(se.scope(), target) {
		return refuse(http.StatusForbidden, "webapp.error.out_of_scope")
	}
	ov, err := s.buildOverview(ctx, se, target)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ov)
	return nil
}

// evaluation is every milestone's progress over a scope, as of a stamp
// of the store: what an overview is drawn from.
type evaluation struct {
	stamp    stamp
	at       time.Time // when the posts were last counted in full
	statuses store.StatusCounts
	steps    []evaluated
	counts   map[string]store.PostCounts // by milestone id: posts milestones only
}

type evaluated struct {
	m    store.Milestone
	prog store.Progress
}

// stamp says which state of the store an evaluation is of: the roster's
// generation (imports, plan loads), the newest report (every write of a
// post writes one) and the district reports filed.
type stamp struct {
	roster, report int64
	filed          string
	// checks is the store's CheckStamp when the plan counts verified
	// changes: a district's check then changes the counts without a
	// report.
	checks string
}

// evalCache keeps the latest evaluation of each scope asked about, so
// that an overview asked again while nothing changed costs three small
// reads instead of counting every post of the scope (the whole country's
// are 64,000), and one asked after a few reports applies them to the
// counts kept (a report says which post went from which status to which).
// The posts are counted in full again after evalTTL: on Postgres a
// report's id is drawn before it commits, so one committed out of order
// could be passed over.
type evalCache struct {
	mu      sync.Mutex
	entries map[string]*evaluation
}

const (
	evalTTL        = time.Minute
	evalCacheLimit = 256
	// maxDelta is how many new reports are applied to kept counts; more
	// than that, and counting afresh is cheaper.
	maxDelta = 2000
)

// get returns the scope's evaluation if it is recent, nil otherwise.
func (c *evalCache) get(scope string, now time.Time) *evaluation {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[scope]
	if e == nil || now.Sub(e.at) > evalTTL || now.Before(e.at) {
		return nil
	}
	return e
}

func (c *evalCache) put(scope string, e *evaluation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= evalCacheLimit {
		c.entries = make(map[string]*evaluation)
	}
	c.entries[scope] = e
}

// evaluate returns every milestone's progress over the scope, from the
// cache when the store has not changed since.
func (s *Server) evaluate(ctx context.Context, ro *roster, target store.Scope) (*evaluation, map[string]map[string]bool, error) {
	last, err := s.db.LastReportID(ctx)
	if err != nil {
		return nil, nil, err
	}
	subs, err := s.db.AllSubmissions(ctx)
	if err != nil {
		return nil, nil, err
	}
	submitted := make(map[string]map[string]bool)
	var filed strings.Builder
	for _, sub := range subs {
		if submitted[sub.MilestoneID] == nil {
			submitted[sub.MilestoneID] = make(map[string]bool)
		}
		submitted[sub.MilestoneID][sub.DistrictCode] = true
		fmt.Fprintf(&filed, "%s/%s,", sub.MilestoneID, sub.DistrictCode)
	}
	st := stamp{roster: ro.generation, report: last, filed: filed.String()}
	verified := slices.ContainsFunc(ro.milestones, func(m store.Milestone) bool { return m.CountVerified })
	if verified {
		if st.checks, err = s.db.CheckStamp(ctx); err != nil {
			return nil, nil, err
		}
	}
	key := scopeParam(target)
	now := s.now()
	var statuses store.StatusCounts
	counted := now
	if kept := s.evals.get(key, now); kept != nil && kept.stamp.roster == st.roster && kept.stamp.report <= st.report {
		if kept.stamp == st {
			return kept, submitted, nil
		}
		// A report moves a post from its old status to its new, unless
		// the plan counts verified changes: a report waiting for its
		// check then leaves the post where it was, and a check moves it.
		if !verified {
			statuses, err = s.applyReports(ctx, ro, target, kept, st.report)
			if err != nil {
				return nil, nil, err
			}
			counted = kept.at
		}
	}
	if statuses == nil {
		// One SQL aggregate of the scope's posts, from which every
		// milestone's counts follow (the weekly digest reads them the
		// same way).
		if statuses, err = s.db.CountStatuses(ctx, target); err != nil {
			return nil, nil, err
		}
	}
	e := &evaluation{stamp: st, at: counted, statuses: statuses, counts: map[string]store.PostCounts{}}
	districts, communes := ro.within(target)
	// A milestone's counts depend on its posts and target only: several
	// milestones about the chief share them, and a district report needs
	// none.
	byKinds := map[string]store.PostCounts{}
	for _, m := range ro.milestones {
		var counts store.PostCounts
		if m.Kind == store.KindPosts {
			k := fmt.Sprint(m.Posts, targetOf(m))
			if counts = byKinds[k]; counts == nil {
				counts = statuses.For(m)
				byKinds[k] = counts
			}
			e.counts[m.ID] = counts
		}
		prog := store.Evaluate(m, store.Roster{Districts: districts, Units: ro.unitsWithin(target), Communes: communes, Counts: counts,
			Groups: ro.groups, Submitted: submitted[m.ID]})
		if prog.Total > 0 {
			e.steps = append(e.steps, evaluated{m: m, prog: prog})
		}
	}
	s.evals.put(key, e)
	return e, submitted, nil
}

// applyReports brings kept counts up to the report last: the reports
// since, of the scope's communes, each moving one post from its old
// status to its new. Nil when there are too many to be worth it. The
// kept counts are shared with readers, so the communes touched are
// copied.
func (s *Server) applyReports(ctx context.Context, ro *roster, target store.Scope, kept *evaluation, last int64) (store.StatusCounts, error) {
	reps, err := s.db.ReportsAfter(ctx, kept.stamp.report, maxDelta+1)
	if err != nil {
		return nil, err
	}
	if len(reps) > maxDelta || len(reps) == 0 || reps[len(reps)-1].ID != last {
		return nil, nil
	}
	out := make(store.StatusCounts, len(kept.statuses)+len(reps))
	for code, c := range kept.statuses {
		out[code] = c
	}
	copied := map[string]bool{}
	for _, r := range reps {
		if !ro.covers(target, store.Scope{Role: store.RoleCommune, Code: r.CommuneCode}) {
			continue
		}
		c := out[r.CommuneCode]
		if !copied[r.CommuneCode] {
			fresh := &[3][3]int{}
			if c != nil {
				*fresh = *c
			}
			c, out[r.CommuneCode], copied[r.CommuneCode] = fresh, fresh, true
		}
		k := kindIndex(r.Kind)
		if r.OldStatus != "" {
			c[k][statusIndex(r.OldStatus)]--
		}
		c[k][statusIndex(r.NewStatus)]++
	}
	return out, nil
}

// kindIndex and statusIndex are StatusCounts' indexes.
func kindIndex(k store.PostKind) int { return slices.Index(store.PostKinds, k) }

func statusIndex(s store.Status) int {
	return slices.Index([]store.Status{store.Regular, store.Semi, store.Vacant}, s)
}

func (s *Server) buildOverview(ctx context.Context, se *session, target store.Scope) (overviewView, error) {
	p, ro := se.p, se.ro
	e, _, err := s.evaluate(ctx, ro, target)
	if err != nil {
		return overviewView{}, err
	}
	now := s.now()
	ov := overviewView{Scope: scopeParam(target), Name: s.scopeName(p, ro, target), AsOf: p.T("webapp.as_of", now.In(s.loc).Format("15:04"), p.Date(now)),
		UnitLevel: unitLevel(target), Milestones: []milestoneView{}}
	if parent, ok := parentOf(ro, target); ok && ro.covers(se.scope(), parent) {
		ov.Parent = scopeParam(parent)
	}
	_, communes := ro.within(target)
	today := s.today()
	for _, ev := range e.steps {
		mv := s.milestoneView(ctx, p, ev.m, ev.prog, today, target)
		mv.Units = unitsOf(p, ro, ev.m, ev.prog, target, communes, e.counts[ev.m.ID])
		if ev.m.ForUnits() && target.Role == store.RoleProvince {
			mv.UnitLevel = string(store.RoleUnit)
		}
		mv.Behind, mv.BehindCount = behindOf(p, ro, ev.m, ev.prog, target)
		ov.Milestones = append(ov.Milestones, mv)
	}
	ov.Current = current(ov.Milestones)
	return ov, nil
}

// current is the milestone shown first: the next deadline not met, as the
// bot's /tiendo answers it; once every deadline has passed, the latest one
// not met; the last one when all are met.
func current(ms []milestoneView) int {
	late := -1
	for i, m := range ms {
		switch {
		case m.Complete:
		case !m.Overdue:
			return i
		default:
			late = i
		}
	}
	if late >= 0 {
		return late
	}
	return max(0, len(ms)-1)
}

func (s *Server) today() time.Time {
	t := s.now().In(s.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.loc)
}

func (s *Server) milestoneView(ctx context.Context, p *locales.Printer, m store.Milestone, prog store.Progress, today time.Time, target store.Scope) milestoneView {
	dl := time.Date(m.Deadline.Year(), m.Deadline.Month(), m.Deadline.Day(), 0, 0, 0, 0, s.loc)
	days := int(math.Round(dl.Sub(today).Hours() / 24))
	mv := milestoneView{ID: m.ID, Title: m.Title(p.Lang()), Kind: string(m.Kind), Deadline: p.Date(m.Deadline),
		Done: prog.Done, Total: prog.Total, Percent: p.Percent(prog.Done, prog.Total), Complete: prog.Done == prog.Total}
	switch {
	case days > 0:
		mv.When = p.N("webapp.deadline.in_days", days, p.Num(days))
	case days == 0:
		mv.When = p.T("webapp.deadline.today")
	default:
		mv.When = p.N("webapp.deadline.days_ago", -days, p.Num(-days))
		mv.Overdue = !mv.Complete
	}
	unit := "webapp.summary.communes"
	switch {
	case m.ForUnits():
		unit = "webapp.summary.units"
	case m.Kind == store.KindDistrictReport:
		unit = "webapp.summary.districts"
	}
	mv.Summary = p.T(unit, p.Num(prog.Done), p.Num(prog.Total))
	if s.opt.Forecast != nil {
		f, ok, err := s.opt.Forecast.Forecast(ctx, m, target)
		if err != nil {
			s.log.Warn("forecast", "milestone", m.ID, "err", err)
		} else if ok {
			switch {
			case f.StalledWeeks > 0:
				mv.Forecast = &forecastView{Text: p.T("webapp.forecast.stalled", p.Num(f.StalledWeeks))}
			case f.OnTime:
				mv.Forecast = &forecastView{Text: p.T("webapp.forecast.on_time", p.Date(f.Date)), OnTime: true}
			default:
				mv.Forecast = &forecastView{Text: p.T("webapp.forecast.late", p.Date(f.Date))}
			}
		}
	}
	return mv
}

func unitLevel(s store.Scope) string {
	switch s.Role {
	case store.RoleProvince:
		return string(store.RoleDistrict)
	case store.RoleDistrict, store.RoleCommune:
		return string(store.RoleCommune)
	}
	return string(store.RoleProvince)
}

// parentOf is the scope one level up.
func parentOf(ro *roster, s store.Scope) (store.Scope, bool) {
	switch s.Role {
	case store.RoleProvince:
		return store.Scope{Role: store.RoleNational, Code: "VN"}, true
	case store.RoleDistrict:
		return store.Scope{Role: store.RoleProvince, Code: ro.provinceOf(s.Code)}, true
	case store.RoleCommune:
		return store.Scope{Role: store.RoleDistrict, Code: ro.districtOf(s.Code)}, true
	}
	return store.Scope{}, false
}

// unitsOf is the milestone's bars one level down: the provinces of the
// country, the districts of a province, the communes of a district (the
// posts of the milestone's kinds at their target, a kind with no post
// counting as one missing).
func unitsOf(p *locales.Printer, ro *roster, m store.Milestone, prog store.Progress, target store.Scope, communes []store.Commune, counts store.PostCounts) []unitView {
	var out []unitView
	switch target.Role {
	case store.RoleCommune:
		return nil
	case store.RoleDistrict:
		if m.Kind == store.KindDistrictReport {
			return nil
		}
		for _, c := range communes {
			if !m.Communes.Match(c, ro.groups) {
				continue
			}
			u := unitView{Scope: scopeParam(store.Scope{Role: store.RoleCommune, Code: c.Code}), Name: communeName(p, c)}
			missing := map[store.PostKind]int{}
			for _, k := range m.Posts {
				kc := counts[c.Code][k]
				total, done := max(kc.Posts, 1), kc.AtTarget
				u.Total += total
				u.Done += done
				if total > done {
					missing[k] = total - done
				}
			}
			u.Complete = u.Done == u.Total
			u.Percent = p.Percent(u.Done, u.Total)
			u.Note = p.T("webapp.unit.done")
			if !u.Complete {
				u.Note = missingText(p, m, missing, c.Type)
			}
			out = append(out, u)
		}
		return out
	case store.RoleProvince:
		if m.ForUnits() {
			// A department has no overview of its own to open: its bar
			// says whether it filed.
			for _, d := range prog.Districts {
				u := unitView{Name: d.District.Name, Done: d.Done, Total: d.Total, Percent: p.Percent(d.Done, d.Total), Complete: d.Done == d.Total,
					Note: p.T("webapp.report.not_filed")}
				if u.Complete {
					u.Note = p.T("webapp.report.filed")
				}
				out = append(out, u)
			}
			return out
		}
		for _, d := range prog.Districts {
			out = append(out, areaUnit(p, store.Scope{Role: store.RoleDistrict, Code: d.District.Code}, d.District.Name, d.Done, d.Total, m))
		}
		return out
	}
	byProvince := map[string]*unitView{}
	var order []string
	for _, d := range prog.Districts {
		code := d.District.ProvinceCode
		u := byProvince[code]
		if u == nil {
			u = &unitView{Scope: scopeParam(store.Scope{Role: store.RoleProvince, Code: code}), Name: ro.provinces[code].Name}
			byProvince[code] = u
			order = append(order, code)
		}
		u.Done += d.Done
		u.Total += d.Total
	}
	sort.Strings(order)
	for _, code := range order {
		u := byProvince[code]
		out = append(out, areaUnit(p, store.Scope{Role: store.RoleProvince, Code: code}, u.Name, u.Done, u.Total, m))
	}
	return out
}

func areaUnit(p *locales.Printer, s store.Scope, name string, done, total int, m store.Milestone) unitView {
	u := unitView{Scope: scopeParam(s), Name: name, Done: done, Total: total, Percent: p.Percent(done, total), Complete: done == total}
	switch {
	case u.Complete:
		u.Note = p.T("webapp.unit.done")
	case m.ForUnits():
		u.Note = p.T("webapp.unit.units_behind", p.Num(total-done))
	case m.Kind == store.KindDistrictReport && s.Role == store.RoleDistrict:
		u.Note = p.T("webapp.report.not_filed")
	case m.Kind == store.KindDistrictReport:
		u.Note = p.T("webapp.unit.districts_behind", p.Num(total-done))
	default:
		u.Note = p.T("webapp.unit.communes_behind", p.Num(total-done))
	}
	return u
}

// behindOf lists what is not done in a province or district: the
// communes (or the districts that have not filed), each with what it
// lacks. The whole country's are only counted.
func behindOf(p *locales.Printer, ro *roster, m store.Milestone, prog store.Progress, target store.Scope) ([]behindView, int) {
	out := []behindView{}
	n := 0
	for _, d := range prog.Districts {
		if m.Kind == store.KindDistrictReport {
			if d.Done < d.Total {
				n++
				if target.Role != store.RoleNational && len(out) < maxBehind {
					b := behindView{Name: d.District.Name, Missing: p.T("webapp.report.not_filed")}
					if !m.ForUnits() {
						b.Scope = scopeParam(store.Scope{Role: store.RoleDistrict, Code: d.District.Code})
					}
					out = append(out, b)
				}
			}
			continue
		}
		n += len(d.Behind)
		if target.Role == store.RoleNational {
			continue
		}
		for _, c := range d.Behind {
			if len(out) >= maxBehind {
				break
			}
			out = append(out, behindView{Scope: scopeParam(store.Scope{Role: store.RoleCommune, Code: c.Commune.Code}),
				Name: communeName(p, *c.Commune), District: d.District.Name, Missing: missingText(p, m, c.Missing, c.Commune.Type)})
		}
	}
	return out, n
}

// missingText says what a commune lacks for the milestone: "chưa có
// Trưởng Công an xã chính quy", "3 Công an viên chưa chính quy".
func missingText(p *locales.Printer, m store.Milestone, missing map[store.PostKind]int, t store.CommuneType) string {
	var parts []string
	for _, k := range store.PostKinds {
		n := missing[k]
		if n == 0 {
			continue
		}
		name := postKindName(p, k, t)
		if n == 1 {
			parts = append(parts, p.T("webapp.missing.one", name, p.T("status."+string(targetOf(m)))))
		} else {
			parts = append(parts, p.T("webapp.missing.many", p.Num(n), name, p.T("status."+string(targetOf(m)))))
		}
	}
	return joinList(p, parts)
}

func targetOf(m store.Milestone) store.Status {
	if m.Target == "" {
		return store.Regular
	}
	return m.Target
}

// postKindName is "Trưởng Công an xã", "Phó Trưởng Công an thị trấn",
// "Công an viên": the police of the unit after its type.
func postKindName(p *locales.Printer, k store.PostKind, t store.CommuneType) string {
	if t == "" {
		t = store.Xa
	}
	if k == store.Officer {
		return p.T("webapp.post.officer")
	}
	return p.T("webapp.post."+string(k), p.T("webapp.unit_lower."+string(t)))
}

func joinList(p *locales.Printer, parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	out := parts[0]
	for _, s := range parts[1 : len(parts)-1] {
		out += ", " + s
	}
	return p.T("webapp.list.and", out, parts[len(parts)-1])
}
