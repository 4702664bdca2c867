package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// current keeps in memory every commune on the map with its posts as they
// count now (countedPostsTable), for questions: on the national roster
// a question counted in SQL cost a serving replica more CPU, its own and
// the database's, than everything else it does for an update.
//
// It stays true across processes and replicas without a message between
// them: every write that can change how a post counts touches its
// commune's row in commune_revs (triggers, migrations 00021 and 00022),
// and before each use the posts of the communes whose row moved since the
// last look are read again; a move of the roster's generation (an import, a map
// change, a plan or a group saved) reads everything again.
type current struct {
	// on is set by KeepPostsInMemory: a process that answers one
	// question and ends (the CLI) reads only what the question needs.
	on atomic.Bool
	mu sync.Mutex // guards running and next
	// running is the look under way; next, the one that starts when it
	// ends, for the questions that came after it started (it may have
	// read the store before their writer's commit). However many ask at
	// once, the store is looked at once per round trip.
	running, next *look

	// The fields below belong to the look that runs.

	// mark is where the last look ended: the highest rev seen on SQLite;
	// on Postgres, the oldest transaction then still running, as every
	// change not seen yet is written by it or a later one.
	mark int64
	// revs is the rev of each commune's row when its posts were read: a
	// row seen again at the same rev holds nothing new.
	revs map[string]int64
	view atomic.Pointer[liveRoster]
}

// liveRoster is the map and its posts as a look left them. The map is
// fixed for the roster's generation; each commune's posts are replaced
// whole when they change.
type liveRoster struct {
	gen        int64
	provinces  map[string]string // names by code
	communes   []*liveCommune    // by district code, then code
	byCode     map[string]*liveCommune
	byDistrict map[string][]*liveCommune
	byProvince map[string][]*liveCommune
	groups     map[string]map[string]bool
	// reports holds every commune, on the map or not, with its reports,
	// for FirstReport and CountStatusesSince: a province's first report,
	// or its count of a month ago, may be a merged commune's.
	reports *reportHistory
}

// reportHistory is each commune's reports, and where the commune is (its
// district and province in the communes table, as FirstReport and
// changedSinceQuery read them).
type reportHistory struct {
	byCode     map[string]*communeReports
	byDistrict map[string][]*communeReports
	byProvince map[string][]*communeReports
	all        []*communeReports
}

type communeReports struct {
	code  string
	first atomic.Int64 // the first report's time, UnixNano; noFirst for none
	// list holds the reports, by post (kind order, slot), then time and
	// id: the order in which the last before a moment is found.
	list atomic.Pointer[[]liveReport]
}

// liveReport is a report as a past count needs it.
type liveReport struct {
	at     int64 // UnixNano: SQLite keeps reports' times to the nanosecond
	id     int64
	slot   int32
	kind   uint8 // kindIndex
	status uint8 // statusIndex of the new status
	// old is set when the report has an old status: the post had a
	// report before it.
	old bool
	// waits is set when the report waits for its check or was sent back
	// (its details' check state).
	waits bool
}

const noFirst = math.MinInt64

type liveCommune struct {
	code, name   string
	typ          CommuneType
	district     string
	districtName string
	province     string
	posts        atomic.Pointer[[]livePost] // by kind order, then slot
	// waiting are the posts whose last report waits for its check or was
	// sent back (waitingTable), for UnverifiedCounts; nil for none.
	waiting atomic.Pointer[[]liveWaiting]
}

// liveWaiting is a post waiting for its check: its kind and the status
// its report gave it, as indices (kindIndex, statusIndex).
type liveWaiting struct{ kind, status uint8 }

// livePost is a post as compactly as questions need it: the national
// roster's 64,000 posts are about 2 MiB, and a serving process's heap is
// multiplied by GOGC before it is collected.
type livePost struct {
	holder string
	day    int32 // the holder's day, in days since 1970-01-01; noDay when unknown
	slot   int32
	kind   uint8 // index in PostKinds: the kind's order too
	status uint8 // statusIndex, as the post counts (countedPostsTable)
	// raw is the posts table's status, which a report waiting for its
	// check has set already (statusIndex).
	raw uint8
}

// noDay is livePost.day for a post whose holder's day is not known.
const noDay = math.MinInt32

var statusByIndex = [3]Status{Regular, Semi, Vacant}

// dayNumber is the calendar day t shows (in its own location), counted in
// days since 1970-01-01: what SQL compares YYYY-MM-DD days by.
func dayNumber(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// post is the post as the store gives it (postRow.post).
func (p *livePost) post(commune string) Post {
	out := Post{CommuneCode: commune, Kind: PostKinds[p.kind], Slot: int(p.slot), Status: statusByIndex[p.status], Holder: p.holder}
	if p.day != noDay {
		t := time.Unix(int64(p.day)*86400, 0).UTC()
		out.Since = &t
	}
	return out
}

// look is one look at the store, shared by the questions that wait for it.
type look struct {
	done chan struct{}
	err  error
}

// lookTimeout bounds a look beyond its caller's deadline, as it runs for
// every question waiting on it.
const lookTimeout = 10 * time.Second

// currentPosts returns the posts as they count now, after a look that
// started after the call: every change committed before it is in them.
func (db *DB) currentPosts(ctx context.Context) (*liveRoster, error) {
	c := db.live
	c.mu.Lock()
	var l *look
	switch {
	case c.running == nil:
		l = &look{done: make(chan struct{})}
		c.running = l
	case c.next != nil:
		l = c.next
		c.mu.Unlock()
		select {
		case <-l.done:
		case <-ctx.Done():
			return nil, fmt.Errorf("store: wait for the current posts: %w", ctx.Err())
		}
		if l.err != nil {
			return nil, l.err
		}
		return c.view.Load(), nil
	default:
		l = &look{done: make(chan struct{})}
		c.next = l
		prev := c.running
		c.mu.Unlock()
		<-prev.done // bounded by lookTimeout; it hands running to l
		c.mu.Lock()
	}
	c.mu.Unlock()
	// Under the caller's own deadline, as its query was before the posts
	// were kept: a stalled store fails the answer when its update's time
	// is up, and the questions waiting on this look fail with it (their
	// updates are retried).
	lctx, cancel := context.WithTimeout(ctx, lookTimeout)
	l.err = db.lookAtStore(lctx, c)
	cancel()
	c.mu.Lock()
	c.running, c.next = c.next, nil
	c.mu.Unlock()
	close(l.done)
	if l.err != nil {
		return nil, l.err
	}
	return c.view.Load(), nil
}

// lookAtStore reads what moved since the last look into c's view.
func (db *DB) lookAtStore(ctx context.Context, c *current) error {
	view := c.view.Load()
	gen, moved, mark, err := db.lookAtRevs(ctx, c.mark)
	if err != nil {
		return err
	}
	if view == nil || view.gen != gen {
		return db.loadCurrent(ctx, c, gen)
	}
	var stale []string
	for code, rev := range moved {
		if c.revs[code] != rev {
			stale = append(stale, code)
		}
	}
	for chunk := range slices.Chunk(stale, 500) {
		if err := db.readCurrentPosts(ctx, view, chunk); err != nil {
			return err
		}
		if err := db.readReports(ctx, view.reports, chunk); err != nil {
			return err
		}
		view.setWaiting(chunk)
		for _, code := range chunk {
			c.revs[code] = moved[code]
		}
	}
	c.mark = mark
	return nil
}

// KeepPostsInMemory reads every post on the map into memory, and from
// then on answers questions (Ask) and counts milestones' posts
// (CountPosts) as of now from them, reading again only what moved: for a
// process that serves many (the bot), which pays for the read when it
// starts rather than at its first question.
func (db *DB) KeepPostsInMemory(ctx context.Context) error {
	if _, err := db.currentPosts(ctx); err != nil {
		return err
	}
	db.live.on.Store(true)
	return nil
}

// livePosts is currentPosts when the posts are kept in memory and the
// view is the present; nil otherwise. Under OneLook's context, the first
// call looks and the others reuse what it saw.
func (db *DB) livePosts(ctx context.Context) (*liveRoster, error) {
	if !db.live.on.Load() || !db.asOf.IsZero() {
		return nil, nil
	}
	p, ok := ctx.Value(oneLookKey{}).(*oneLook)
	if !ok || p.live != db.live {
		return db.currentPosts(ctx)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.view == nil {
		v, err := db.currentPosts(ctx)
		if err != nil {
			return nil, err
		}
		p.view = v
	}
	return p.view, nil
}

type oneLookKey struct{}

type oneLook struct {
	live *current
	mu   sync.Mutex
	view *liveRoster
}

// OneLook returns a context under which the reads of the posts kept in
// memory share one look at the store: an answer that counts the same
// posts several ways (a progress answer reads them five times) sees them
// in one state, and pays for one look. For reads that belong to one
// answer, not across a write whose effect they must see.
func (db *DB) OneLook(ctx context.Context) context.Context {
	return context.WithValue(ctx, oneLookKey{}, &oneLook{live: db.live})
}

// lookAtRevs reads the roster's generation and the communes whose rev
// row may have moved since mark, with the mark to look from next time,
// in one statement.
func (db *DB) lookAtRevs(ctx context.Context, mark int64) (gen int64, moved map[string]int64, next int64, err error) {
	q := `SELECT g.n AS gen, NULL AS mark, r.commune_code, r.rev FROM generations g LEFT JOIN commune_revs r ON r.rev > $1 WHERE g.name = 'roster'`
	if db.dialect == DialectPostgres {
		// Below the snapshot's xmax: no transaction at or above it is
		// visible, so a row there is not a writer's but one restored from
		// another server's dump, whose transaction ids ran ahead; it
		// would otherwise be read at every look until its commune
		// changes again.
		q = `SELECT g.n AS gen, pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS mark, r.commune_code, r.rev
			FROM generations g LEFT JOIN commune_revs r ON r.rev >= $1 AND r.rev < pg_snapshot_xmax(pg_current_snapshot())::text::bigint
			WHERE g.name = 'roster'`
	}
	// Scanned by hand: this runs before every question, and sqlx's
	// reflection was a third of its time.
	rows, err := db.queryPrepared(ctx, nil, q, mark)
	if err != nil {
		return 0, nil, 0, fmt.Errorf("store: look at the posts' changes: %w", err)
	}
	defer rows.Close()
	moved = make(map[string]int64)
	next = mark
	found := false
	for rows.Next() {
		var (
			m    sql.NullInt64
			code sql.NullString
			rev  sql.NullInt64
		)
		if err := rows.Scan(&gen, &m, &code, &rev); err != nil {
			return 0, nil, 0, fmt.Errorf("store: look at the posts' changes: %w", err)
		}
		found = true
		if m.Valid {
			next = m.Int64
		}
		if code.Valid {
			moved[code.String] = rev.Int64
			if db.dialect != DialectPostgres {
				next = max(next, rev.Int64)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, nil, 0, fmt.Errorf("store: look at the posts' changes: %w", err)
	}
	if !found {
		return 0, nil, 0, fmt.Errorf("store: look at the posts' changes: no roster generation")
	}
	return gen, moved, next, nil
}

// loadCurrent reads the map at generation gen and every post: the revs
// first, so that a change committed while the rest is read is read again
// at the next look rather than missed.
func (db *DB) loadCurrent(ctx context.Context, c *current, gen int64) error {
	_, revs, mark, err := db.lookAtRevs(ctx, -1)
	if err != nil {
		return err
	}
	// Whether a plan counts verified changes decides what the posts count
	// at; plans move the generation, so it is read with the map.
	var verified bool
	if err := db.getPrepared(ctx, nil, &verified, "SELECT count(*) > 0 FROM plans WHERE counts = '"+countsVerified+"'"); err != nil {
		return fmt.Errorf("store: load current posts: %w", err)
	}
	db.verified.Store(verified)
	provinces, err := db.Provinces(ctx)
	if err != nil {
		return err
	}
	districts, err := db.Districts(ctx, Scope{})
	if err != nil {
		return err
	}
	communes, err := db.Communes(ctx, Scope{})
	if err != nil {
		return err
	}
	groups, err := db.Groups(ctx)
	if err != nil {
		return err
	}
	v := &liveRoster{gen: gen, provinces: make(map[string]string, len(provinces)), byCode: make(map[string]*liveCommune, len(communes)),
		byDistrict: make(map[string][]*liveCommune), byProvince: make(map[string][]*liveCommune), groups: groups}
	for _, p := range provinces {
		v.provinces[p.Code] = p.Name
	}
	ds := make(map[string]District, len(districts))
	for _, d := range districts {
		ds[d.Code] = d
	}
	for _, cm := range communes {
		d, ok := ds[cm.DistrictCode]
		if !ok {
			continue // its district is off the map: no question reaches it
		}
		lc := &liveCommune{code: cm.Code, name: cm.Name, typ: cm.Type, district: d.Code, districtName: d.Name, province: d.ProvinceCode}
		lc.posts.Store(&[]livePost{})
		v.communes = append(v.communes, lc)
		v.byCode[lc.code] = lc
	}
	slices.SortFunc(v.communes, func(a, b *liveCommune) int {
		return cmp.Or(cmp.Compare(a.district, b.district), cmp.Compare(a.code, b.code))
	})
	for _, lc := range v.communes {
		v.byDistrict[lc.district] = append(v.byDistrict[lc.district], lc)
		v.byProvince[lc.province] = append(v.byProvince[lc.province], lc)
	}
	if err := db.readCurrentPosts(ctx, v, nil); err != nil {
		return err
	}
	if v.reports, err = db.readReportHistory(ctx); err != nil {
		return err
	}
	v.setWaiting(nil)
	c.view.Store(v)
	c.revs, c.mark = revs, mark
	return nil
}

// readCurrentPosts reads the counted posts of the communes given (all of
// them for none) into v, row by row: the national roster's rows are
// never held as a slice of their own.
func (db *DB) readCurrentPosts(ctx context.Context, v *liveRoster, codes []string) error {
	var a args
	where := ""
	if codes != nil {
		where = " WHERE p.commune_code IN (" + list(&a, codes) + ")"
	}
	q := `SELECT p.commune_code, p.kind, p.slot, p.status, p.holder, p.since, r0.status AS raw FROM ` + db.countedPostsTable(&a, Scope{}) + ` p
		JOIN posts r0 ON r0.commune_code = p.commune_code AND r0.kind = p.kind AND r0.slot = p.slot` + where
	rows, err := db.queryPrepared(ctx, nil, q, a...)
	if err != nil {
		return fmt.Errorf("store: read current posts: %w", err)
	}
	defer rows.Close()
	byCommune := make(map[*liveCommune][]livePost, max(len(codes), 1))
	for rows.Next() {
		var code, kind, status, holder, raw string
		var slot int32
		var since nullDate
		if err := rows.Scan(&code, &kind, &slot, &status, &holder, &since, &raw); err != nil {
			return fmt.Errorf("store: read current posts: %w", err)
		}
		lc := v.byCode[code]
		if lc == nil {
			continue // off the map
		}
		p := livePost{holder: holder, slot: slot, kind: uint8(kindIndex(PostKind(kind))), status: uint8(statusIndex(Status(status))),
			raw: uint8(statusIndex(Status(raw))), day: noDay}
		if since.Valid {
			t, err := since.in(time.UTC)
			if err != nil {
				return fmt.Errorf("store: read current posts: %w", err)
			}
			p.day = dayNumber(*t)
		}
		byCommune[lc] = append(byCommune[lc], p)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: read current posts: %w", err)
	}
	set := func(lc *liveCommune, posts []livePost) {
		slices.SortFunc(posts, func(a, b livePost) int { return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.slot, b.slot)) })
		posts = slices.Clip(posts)
		lc.posts.Store(&posts)
	}
	if codes == nil {
		for lc, posts := range byCommune {
			set(lc, posts)
		}
		return nil
	}
	for _, code := range codes {
		if lc := v.byCode[code]; lc != nil {
			set(lc, byCommune[lc])
		}
	}
	return nil
}

// readReportHistory reads every commune, on the map or not, with its
// reports.
func (db *DB) readReportHistory(ctx context.Context) (*reportHistory, error) {
	var communes []struct {
		Code     string `db:"code"`
		District string `db:"district_code"`
		Province string `db:"province_code"`
	}
	if err := db.selectPrepared(ctx, nil, &communes, `SELECT c.code, c.district_code, d.province_code FROM communes c JOIN districts d ON d.code = c.district_code`); err != nil {
		return nil, fmt.Errorf("store: read reports: %w", err)
	}
	h := &reportHistory{byCode: make(map[string]*communeReports, len(communes)), byDistrict: make(map[string][]*communeReports),
		byProvince: make(map[string][]*communeReports)}
	for _, c := range communes {
		cr := &communeReports{code: c.Code}
		cr.set(nil)
		h.byCode[c.Code] = cr
		h.byDistrict[c.District] = append(h.byDistrict[c.District], cr)
		h.byProvince[c.Province] = append(h.byProvince[c.Province], cr)
		h.all = append(h.all, cr)
	}
	return h, db.readReports(ctx, h, nil)
}

// readReports reads the reports of the communes given (all of them for
// none) into h, row by row: the national roster's are never held as a
// slice of rows. Each report's time is scanned from the reports' own
// column, which both drivers read as a time.
func (db *DB) readReports(ctx context.Context, h *reportHistory, codes []string) error {
	var a args
	where := ""
	if codes != nil {
		where = " WHERE r.commune_code IN (" + list(&a, codes) + ")"
	}
	q := `SELECT r.commune_code, r.id, r.kind, r.slot, r.at, r.new_status, CASE WHEN r.old_status <> '' THEN 1 ELSE 0 END AS old,
			CASE WHEN ` + waitingCheck + ` THEN 1 ELSE 0 END AS waits
		FROM reports r LEFT JOIN report_details x ON x.report_id = r.id` + where + ` ORDER BY r.commune_code`
	rows, err := db.queryPrepared(ctx, nil, q, a...)
	if err != nil {
		return fmt.Errorf("store: read reports: %w", err)
	}
	defer rows.Close()
	seen := make(map[*communeReports]bool)
	var (
		code   string
		cur    *communeReports
		list   []liveReport
		kind   PostKind
		status Status
		at     time.Time
		old    int
		waits  int
	)
	flush := func() {
		if cur == nil {
			return
		}
		slices.SortFunc(list, func(x, y liveReport) int {
			return cmp.Or(cmp.Compare(x.kind, y.kind), cmp.Compare(x.slot, y.slot), cmp.Compare(x.at, y.at), cmp.Compare(x.id, y.id))
		})
		cur.set(list)
		seen[cur] = true
	}
	for rows.Next() {
		var r liveReport
		var slot int
		if err := rows.Scan(&code, &r.id, &kind, &slot, &at, &status, &old, &waits); err != nil {
			return fmt.Errorf("store: read reports: %w", err)
		}
		if cur == nil || cur.code != code {
			flush()
			cur, list = h.byCode[code], nil
		}
		r.at, r.slot, r.kind, r.status, r.old, r.waits = at.UnixNano(), int32(slot), uint8(kindIndex(kind)), uint8(statusIndex(status)), old == 1, waits == 1
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: read reports: %w", err)
	}
	flush()
	for _, code := range codes {
		if cr := h.byCode[code]; cr != nil && !seen[cr] {
			cr.set(nil)
		}
	}
	return nil
}

// set replaces the commune's reports with list, sorted.
func (cr *communeReports) set(list []liveReport) {
	first := int64(noFirst)
	for i, r := range list {
		if i == 0 || r.at < first {
			first = r.at
		}
	}
	cr.list.Store(&list)
	cr.first.Store(first)
}

// inScope returns the communes of the scope, on the map or not; false for
// a scope they are not kept by.
func (h *reportHistory) inScope(s Scope) ([]*communeReports, bool) {
	switch s.Role {
	case "", RoleNational:
		return h.all, true
	case RoleProvince:
		return h.byProvince[s.Code], true
	case RoleDistrict:
		return h.byDistrict[s.Code], true
	case RoleCommune:
		if cr := h.byCode[s.Code]; cr != nil {
			return []*communeReports{cr}, true
		}
		return nil, true
	}
	return nil, false
}

// first is FirstReport over the reports kept in memory; known is false
// for a scope they are not kept by.
func (h *reportHistory) first(s Scope) (at time.Time, ok, known bool) {
	in, known := h.inScope(s)
	first := int64(math.MaxInt64)
	for _, cr := range in {
		if at := cr.first.Load(); at != noFirst {
			first = min(first, at)
		}
	}
	if first == math.MaxInt64 {
		return time.Time{}, false, known
	}
	return time.Unix(0, first).UTC(), true, known
}

// changedSince is changedSinceQuery's posts, from the reports kept in
// memory, with their status now as live has it; known is false for a
// scope they are not kept by.
func (h *reportHistory) changedSince(live *liveRoster, s Scope, t time.Time) (changed []changedPost, known bool) {
	in, known := h.inScope(s)
	since := t.UnixNano()
	for _, cr := range in {
		eachPost(*cr.list.Load(), func(post []liveReport) {
			reached := post[len(post)-1].at >= since
			again := slices.ContainsFunc(post, func(r liveReport) bool { return r.old })
			if !reached && !again {
				return
			}
			p := changedPost{Commune: cr.code, Kind: PostKinds[post[0].kind], Slot: int(post[0].slot)}
			p.Now = live.rawStatus(p.Commune, p.Kind, p.Slot)
			// The last report before t, in the order of time and id.
			if i, _ := slices.BinarySearchFunc(post, since, func(r liveReport, t int64) int { return cmp.Compare(r.at, t) }); i > 0 {
				p.Then = statusByIndex[post[i-1].status]
			}
			changed = append(changed, p)
		})
	}
	return changed, known
}

// setWaiting sets the posts waiting for their check (waitingTable) of
// the communes given (all of them for none) from their reports: those
// whose last report, in the order of time and id, waits for its check or
// was sent back.
func (v *liveRoster) setWaiting(codes []string) {
	set := func(lc *liveCommune) {
		var w []liveWaiting
		if cr := v.reports.byCode[lc.code]; cr != nil {
			eachPost(*cr.list.Load(), func(post []liveReport) {
				if last := post[len(post)-1]; last.waits {
					w = append(w, liveWaiting{kind: last.kind, status: last.status})
				}
			})
		}
		if w == nil {
			lc.waiting.Store(nil)
			return
		}
		lc.waiting.Store(&w)
	}
	if codes == nil {
		for _, lc := range v.communes {
			set(lc)
		}
		return
	}
	for _, code := range codes {
		if lc := v.byCode[code]; lc != nil {
			set(lc)
		}
	}
}

// eachPost calls f with the reports of each post in list, which holds
// them by post, then time and id.
func eachPost(list []liveReport, f func(post []liveReport)) {
	for start := 0; start < len(list); {
		end := start + 1
		for end < len(list) && list[end].kind == list[start].kind && list[end].slot == list[start].slot {
			end++
		}
		f(list[start:end])
		start = end
	}
}
