package webapp

import (
	"context"
	"errors"

	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// communeView is a commune's page: its posts, its standing on each
// milestone, and its latest reports.
type communeView struct {
	Code       string             `json:"code"`
	Scope      string             `json:"scope"`
	Name       string             `json:"name"`
	Type       string             `json:"type"`
	District   string             `json:"district"`
	Parent     string             `json:"parent,omitempty"`
	Posts      []postView         `json:"posts"`
	Milestones []communeMilestone `json:"milestones"`
	History    []historyView      `json:"history"`
	// Kinds names each post kind after the unit's type, for the form's
	// "add a post" buttons.
	Kinds []kindView `json:"kinds"`
	Today string     `json:"today"`
	// Standards are the values the form offers for a regular holder's
	// rank, training and qualification: the chat's vocabulary.
	Standards standardsView `json:"standards"`
}

type standardsView struct {
	Ranks          []rankView `json:"ranks"`
	Training       []string   `json:"training"`
	Qualifications []string   `json:"qualifications"`
}

type rankView struct {
	Code store.Rank `json:"code"`
	Name string     `json:"name"`
}

// standardsOf lists the form's values in p's language.
func standardsOf(p *locales.Printer) standardsView {
	v := standardsView{Training: understand.TrainingAnswers, Qualifications: understand.QualificationLevels}
	for _, r := range store.Ranks {
		v.Ranks = append(v.Ranks, rankView{Code: r, Name: p.T("rank." + string(r))})
	}
	return v
}

type postView struct {
	Kind       store.PostKind `json:"kind"`
	Slot       int            `json:"slot"`
	Name       string         `json:"name"`
	Status     store.Status   `json:"status"`
	StatusText string         `json:"statusText"`
	Holder     string         `json:"holder"`
	Since      string         `json:"since"`
}

type communeMilestone struct {
	Title    string `json:"title"`
	Deadline string `json:"deadline"`
	Done     bool   `json:"done"`
	Note     string `json:"note"`
}

type historyView struct {
	At     string `json:"at"`
	Post   string `json:"post"`
	Change string `json:"change"`
	By     string `json:"by"`
	// Decision is the decision the report rests on, Check where its
	// check stands; both empty for an import.
	Decision string `json:"decision,omitempty"`
	Check    string `json:"check,omitempty"`
	// Standards are the holder's rank, training and qualification, ""
	// when none was reported.
	Standards string `json:"standards,omitempty"`
}

type kindView struct {
	Kind store.PostKind `json:"kind"`
	Name string         `json:"name"`
	Next int            `json:"next"` // the slot a new post of the kind takes; 0: none may be added
}

// communeOf reads ?code= and checks the caller may see the commune.
func communeOf(se *session, code string) (store.Commune, error) {
	c, ok := se.ro.communes[code]
	if !ok {
		return c, refuse(http.StatusNotFound, "webapp.error.unknown_place")
	}
	if !se.ro.covers(se.scope(), store.Scope{Role: store.RoleCommune, Code: code}) {
		return c, refuse(http.StatusForbidden, "webapp.error.out_of_scope")
	}
	return c, nil
}

func (s *Server) commune(ctx context.Context, w http.ResponseWriter, r *http.Request, se *session) error {
	c, err := communeOf(se, r.URL.Query().Get("code"))
	if err != nil {
		return err
	}
	v, err := s.communeView(ctx, se, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) communeView(ctx context.Context, se *session, c store.Commune) (communeView, error) {
	p, ro := se.p, se.ro
	sc := store.Scope{Role: store.RoleCommune, Code: c.Code}
	posts, err := s.db.CommunePosts(ctx, c.Code)
	if err != nil {
		return communeView{}, err
	}
	v := communeView{Code: c.Code, Scope: scopeParam(sc), Name: communeName(p, c), Type: string(c.Type),
		District: ro.districts[c.DistrictCode].Name, Posts: []postView{}, Milestones: []communeMilestone{}, History: []historyView{},
		Today: p.Date(s.now()), Standards: standardsOf(p)}
	if parent := (store.Scope{Role: store.RoleDistrict, Code: c.DistrictCode}); ro.covers(se.scope(), parent) {
		v.Parent = scopeParam(parent)
	}
	numbered := countKinds(posts)
	last := map[store.PostKind]int{}
	for _, po := range posts {
		v.Posts = append(v.Posts, postView{Kind: po.Kind, Slot: po.Slot, Name: postName(p, po.Kind, po.Slot, numbered[po.Kind] > 1, c.Type),
			Status: po.Status, StatusText: p.T("status." + string(po.Status)), Holder: po.Holder, Since: dayText(p, po.Since)})
		last[po.Kind] = max(last[po.Kind], po.Slot)
	}
	for _, k := range store.PostKinds {
		kv := kindView{Kind: k, Name: postKindName(p, k, c.Type), Next: last[k] + 1}
		if k == store.Chief && last[k] > 0 {
			kv.Next = 0
		}
		v.Kinds = append(v.Kinds, kv)
	}

	// The commune's standing on each milestone about it: the progress
	// functions over its own counts.
	statuses, err := s.db.CountStatuses(ctx, sc)
	if err != nil {
		return communeView{}, err
	}
	districts, communes := ro.within(sc)
	for _, m := range ro.milestones {
		if m.Kind != store.KindPosts || !m.Communes.Match(c, ro.groups) {
			continue
		}
		prog := store.Evaluate(m, store.Roster{Districts: districts, Communes: communes, Counts: statuses.For(m), Groups: ro.groups})
		cm := communeMilestone{Title: m.Title(p.Lang()), Deadline: p.Date(m.Deadline), Done: prog.Done == prog.Total, Note: p.T("webapp.unit.done")}
		if behind := prog.Behind(); len(behind) > 0 {
			cm.Note = missingText(p, m, behind[0].Missing, c.Type)
		}
		v.Milestones = append(v.Milestones, cm)
	}

	// The latest reports, through the question evaluator as the bot's
	// /lichsu reads them.
	res, err := s.db.Ask(ctx, store.Question{Measure: store.MeasureList, Unit: store.UnitPosts, Changes: true,
		Limit: s.opt.HistoryRows, Places: []store.Scope{sc}})
	if err != nil {
		return communeView{}, err
	}
	ids := make([]int64, len(res[0].Rows))
	for i, row := range res[0].Rows {
		ids[i] = row.Change.ID
	}
	details, err := s.db.ReportDetails(ctx, ids)
	if err != nil {
		return communeView{}, err
	}
	// Who made them, as every history names them.
	actors := make([]string, len(res[0].Rows))
	for i, row := range res[0].Rows {
		actors[i] = row.Change.Actor
	}
	names, err := reminders.ActorNames(ctx, s.db, p, actors, func(u store.User) string { return s.scopeName(p, ro, store.ScopeOf(u)) })
	if err != nil {
		return communeView{}, err
	}
	for _, row := range res[0].Rows {
		rep := row.Change
		by := names[rep.Actor]
		v.History = append(v.History, historyView{
			At:     p.T("webapp.history.at", rep.At.In(s.loc).Format("15:04"), p.Date(rep.At)),
			Post:   postName(p, rep.Kind, rep.Slot, numbered[rep.Kind] > 1 || rep.Slot > 1, c.Type),
			Change: p.T("webapp.history.change", stateText(p, rep.OldStatus, rep.OldHolder), stateText(p, rep.NewStatus, rep.NewHolder)),
			By:     by,
		})
		if d, ok := details[rep.ID]; ok {
			hv := &v.History[len(v.History)-1]
			hv.Decision, hv.Check, hv.Standards = decisionText(p, d.Decision), p.T("check."+string(d.Check)), standardsText(p, d.Standards)
			if d.Decision.FileID != "" {
				hv.Decision = strings.TrimSpace(hv.Decision + " " + p.T("webapp.history.with_file"))
			}
		}
	}
	return v, nil
}

func countKinds(posts []store.Post) map[store.PostKind]int {
	out := map[store.PostKind]int{}
	for _, po := range posts {
		out[po.Kind]++
	}
	return out
}

// postName is "Trưởng Công an xã", "Phó Trưởng Công an xã 2", "Công an
// viên 3": slots are numbered where a commune has several of a kind.
func postName(p *locales.Printer, k store.PostKind, slot int, numbered bool, t store.CommuneType) string {
	name := postKindName(p, k, t)
	if numbered {
		name += " " + strconv.Itoa(slot)
	}
	return name
}

// stateText is "chính quy (Bùi Văn An)", "khuyết", "–".
func stateText(p *locales.Printer, st store.Status, holder string) string {
	switch {
	case st == "":
		return "–"
	case holder == "":
		return p.T("status." + string(st))
	}
	return p.T("webapp.state.held", p.T("status."+string(st)), holder)
}

// dayText shows a stored calendar day (midnight UTC) as 15/03/2020.
func dayText(p *locales.Printer, t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("02/01/2006")
}

// reportForm is the report form as submitted: the posts the person
// changed or added, each with the state they saw.
type reportForm struct {
	Commune string       `json:"commune"`
	Posts   []reportPost `json:"posts"`
}

type reportPost struct {
	Kind   store.PostKind `json:"kind"`
	Slot   int            `json:"slot"`
	Status store.Status   `json:"status"`
	Holder string         `json:"holder"`
	Since  string         `json:"since"` // dd/mm/yyyy, or empty
	// DecisionNo and DecisionDate (dd/mm/yyyy) are the appointment
	// decision behind a regular holder, both optional.
	DecisionNo   string `json:"decision_no"`
	DecisionDate string `json:"decision_date"`
	// Rank (a rank's code or name, as store.ParseRank reads it), Training
	// and Qualification (free, read as the chat reads them) are the
	// regular holder's standards, each optional.
	Rank          string `json:"rank"`
	Training      string `json:"training"`
	Qualification string `json:"qualification"`
	// Seen is the post as the form showed it; nil for a post added in
	// the form.
	Seen *struct {
		Status store.Status `json:"status"`
		Holder string       `json:"holder"`
	} `json:"seen"`
}

// changeView is one change, as the confirmation step and the answer to a
// submission show it.
type changeView struct {
	Post  string `json:"post"`
	From  string `json:"from"`
	To    string `json:"to"`
	Since string `json:"since,omitempty"`
	// Decision is the decision's number and day as given, "" for none.
	Decision string `json:"decision,omitempty"`
	// Standards are the holder's rank, training and qualification as
	// read, "" for none.
	Standards string `json:"standards,omitempty"`
}

// checkReport is the confirmation step: the form's changes read and
// checked as a submission would be, nothing written.
func (s *Server) checkReport(ctx context.Context, w http.ResponseWriter, r *http.Request, se *session) error {
	_, views, err := s.readReport(ctx, r, se)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"changes": views})
	return nil
}

// submitReport writes the form's changes, all or none, through the store's
// change path (ApplyChanges: the holder's check, the post, the report).
// A post changed by someone else since the form was opened refuses the
// whole submission.
func (s *Server) submitReport(ctx context.Context, w http.ResponseWriter, r *http.Request, se *session) error {
	chs, views, err := s.readReport(ctx, r, se)
	if err != nil {
		return err
	}
	// A commune's reports wait for the district's check, which is asked
	// with them, in their transaction, as the chat's are.
	var tell store.Teller
	if s.opt.Checks != nil && se.scope().Role == store.RoleCommune {
		tell = s.opt.Checks.CheckItems
	}
	reps, err := s.db.ApplyChangesAndTell(ctx, chs, tell)
	switch {
	case errors.Is(err, store.ErrStale):
		return refuse(http.StatusConflict, "webapp.error.stale")
	case errors.Is(err, store.ErrNoChange):
		return refuse(http.StatusUnprocessableEntity, "webapp.error.no_change")
	case err != nil:
		return err
	}
	s.log.Info("report written", "user_id", se.user.TelegramID, "commune", chs[0].Ref.CommuneCode, "posts", len(reps))
	writeJSON(w, http.StatusOK, map[string]any{"changes": views, "saved": len(reps),
		"message": se.p.N("webapp.report.saved", len(reps), se.p.Num(len(reps)))})
	return nil
}

// readReport checks a submitted form as the bot checks a report: the
// commune within the caller's scope, posts that exist or come next in
// their kind, known statuses, holders' names through store.CleanHolder,
// no day in the future. It returns the changes that change something.
func (s *Server) readReport(ctx context.Context, r *http.Request, se *session) ([]store.Change, []changeView, error) {
	var form reportForm
	if err := readJSON(r, &form); err != nil {
		return nil, nil, err
	}
	c, err := communeOf(se, form.Commune)
	if err != nil {
		return nil, nil, err
	}
	posts, err := s.db.CommunePosts(ctx, c.Code)
	if err != nil {
		return nil, nil, err
	}
	p := se.p
	current := map[store.PostRef]store.Post{}
	last := map[store.PostKind]int{}
	for _, po := range posts {
		current[po.Ref()] = po
		last[po.Kind] = max(last[po.Kind], po.Slot)
	}
	numbered := countKinds(posts)
	for _, fp := range form.Posts {
		if _, ok := current[store.PostRef{CommuneCode: c.Code, Kind: fp.Kind, Slot: fp.Slot}]; !ok {
			numbered[fp.Kind]++
		}
	}
	today := s.today()
	todayUTC := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	var fields []fieldError
	bad := func(i int, field, key string, args ...any) {
		fields = append(fields, fieldError{Row: i, Field: field, Message: p.T(key, args...)})
	}
	var chs []store.Change
	var views []changeView
	seenRef := map[store.PostRef]bool{}
	for i, fp := range form.Posts {
		ref := store.PostRef{CommuneCode: c.Code, Kind: fp.Kind, Slot: fp.Slot}
		cur, exists := current[ref]
		switch {
		case !fp.Kind.Valid() || fp.Slot < 1 || seenRef[ref]:
			bad(i, "post", "webapp.form.bad_post")
			continue
		case !exists && (fp.Seen != nil || fp.Slot > last[fp.Kind]+1 || fp.Kind == store.Chief && fp.Slot != 1):
			bad(i, "post", "webapp.form.bad_post")
			continue
		case exists && fp.Seen == nil:
			// Added by someone else since the form was opened.
			return nil, nil, refuse(http.StatusConflict, "webapp.error.stale")
		case !fp.Status.Valid():
			bad(i, "status", "webapp.form.bad_status")
			continue
		}
		seenRef[ref] = true
		if !exists {
			// A post added in the form: the next slot of its kind, and the
			// one after for a second addition.
			last[fp.Kind] = fp.Slot
		}
		holder := ""
		if fp.Status != store.Vacant {
			var err error
			holder, err = store.CleanHolder(fp.Holder)
			if refused := holderRefusal(p, err); refused != "" {
				fields = append(fields, fieldError{Row: i, Field: "holder", Message: refused})
				continue
			}
			if holder == "" {
				bad(i, "holder", "webapp.form.no_holder")
				continue
			}
		}
		var since *time.Time
		if fp.Status != store.Vacant && strings.TrimSpace(fp.Since) != "" {
			d, ok := parseDay(fp.Since)
			if !ok {
				bad(i, "since", "webapp.form.bad_date")
				continue
			}
			if d.After(todayUTC) {
				bad(i, "since", "webapp.form.future_date")
				continue
			}
			since = &d
		}
		var decision store.Decision
		var standards store.Standards
		if fp.Status == store.Regular {
			decision.Number = strings.Join(strings.Fields(fp.DecisionNo), " ")
			if len([]rune(decision.Number)) > store.MaxDetailLength {
				bad(i, "decision_no", "webapp.form.bad_decision_no", store.MaxDetailLength)
				continue
			}
			if strings.TrimSpace(fp.DecisionDate) != "" {
				d, ok := parseDay(fp.DecisionDate)
				if !ok {
					bad(i, "decision_date", "webapp.form.bad_date")
					continue
				}
				if d.After(todayUTC) {
					bad(i, "decision_date", "webapp.form.future_date")
					continue
				}
				decision.Date = &d
			}
			var refused string
			if standards, refused = readStandards(p, fp); refused != "" {
				fields = append(fields, fieldError{Row: i, Field: "standards", Message: refused})
				continue
			}
		}
		if exists && cur.Status == fp.Status && cur.Holder == holder && (since == nil || sameDay(cur.Since, since)) {
			continue // as it stands: nothing to report
		}
		if since == nil && fp.Status != store.Vacant && (!exists || cur.Holder != holder) {
			// A new holder from today, as the bot's short form assumes.
			since = &todayUTC
		}
		// A commune's report waits for its district's check; a district's
		// or the province's is their own.
		check := store.CheckVerified
		if se.scope().Role == store.RoleCommune {
			check = store.CheckReported
		}
		ch := store.Change{Ref: ref, Status: fp.Status, Holder: holder, Since: since,
			Actor: se.actor(), Source: "webapp", At: s.now(), ExpectNew: !exists, Check: check, Decision: decision, Standards: standards}
		if exists {
			ch.Expect = &store.Post{Status: fp.Seen.Status, Holder: fp.Seen.Holder}
		}
		chs = append(chs, ch)
		from := "–"
		if exists {
			from = stateText(p, cur.Status, cur.Holder)
		}
		views = append(views, changeView{Post: postName(p, fp.Kind, fp.Slot, numbered[fp.Kind] > 1, c.Type),
			From: from, To: stateText(p, fp.Status, holder), Since: dayText(p, since), Decision: decisionText(p, decision),
			Standards: standardsText(p, standards)})
	}
	if len(fields) > 0 {
		return nil, nil, &apiError{status: http.StatusUnprocessableEntity, key: "webapp.error.form", fields: fields}
	}
	if len(chs) == 0 {
		return nil, nil, refuse(http.StatusUnprocessableEntity, "webapp.error.no_change")
	}
	return chs, views, nil
}

// readStandards reads a regular holder's standards from the form: a rank
// store.ParseRank knows, training and qualification as the chat reads
// them (understand.Training, understand.Qualification), none longer than
// store.MaxDetailLength; otherwise what is refused, in p's language.
func readStandards(p *locales.Printer, fp reportPost) (store.Standards, string) {
	var st store.Standards
	if typed := strings.TrimSpace(fp.Rank); typed != "" {
		r, ok := store.ParseRank(typed)
		if !ok {
			return st, p.T("webapp.form.bad_rank", typed)
		}
		st.Rank = r
	}
	st.Training, st.Qualification = understand.Training(fp.Training), understand.Qualification(fp.Qualification)
	if len([]rune(st.Training)) > store.MaxDetailLength || len([]rune(st.Qualification)) > store.MaxDetailLength {
		return st, p.T("webapp.form.bad_standards", store.MaxDetailLength)
	}
	return st, ""
}

// standardsText writes the holder's standards for the confirmation step:
// "Đại úy; đã qua đào tạo; trình độ đại học"; "" when none was given.
func standardsText(p *locales.Printer, st store.Standards) string {
	var parts []string
	if st.Rank != "" {
		parts = append(parts, p.T("rank."+string(st.Rank)))
	}
	if st.Training != "" {
		parts = append(parts, st.Training)
	}
	if st.Qualification != "" {
		parts = append(parts, p.T("bot.decision.qualification", st.Qualification))
	}
	return strings.Join(parts, "; ")
}

// decisionText writes a decision's number and day for the confirmation
// step: "số 125/QĐ-CAT ngày 10/03/2020"; "" when neither was given.
func decisionText(p *locales.Printer, d store.Decision) string {
	switch {
	case d.Number != "" && d.Date != nil:
		return p.T("webapp.report.decision_both", d.Number, dayText(p, d.Date))
	case d.Number != "":
		return p.T("webapp.report.decision_number", d.Number)
	case d.Date != nil:
		return p.T("webapp.report.decision_date_only", dayText(p, d.Date))
	}
	return ""
}

func sameDay(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}

// holderRefusal says why a name was refused, in the bot's words.
func holderRefusal(p *locales.Printer, err error) string {
	var he *store.HolderError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &he) && he.Problem == store.ProblemHolderTooLong:
		return p.T("webapp.holder.holder_too_long", store.MaxHolderLength)
	case errors.As(err, &he):
		return p.T("webapp.holder." + string(he.Problem))
	}
	return p.T("webapp.holder.empty")
}

// parseDay reads 15/03/2020, 15-3-2020 or 15.03.2020 (and 2020-03-15, as
// a browser's date field gives it) as a calendar day, midnight UTC.
func parseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
	if len(f) != 3 {
		return time.Time{}, false
	}
	var n [3]int
	for i, x := range f {
		v, err := strconv.Atoi(x)
		if err != nil {
			return time.Time{}, false
		}
		n[i] = v
	}
	t := time.Date(n[2], time.Month(n[1]), n[0], 0, 0, 0, 0, time.UTC)
	if n[2] < 1950 || t.Day() != n[0] || int(t.Month()) != n[1] {
		return time.Time{}, false
	}
	return t, true
}
