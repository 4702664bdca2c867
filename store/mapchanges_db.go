package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// MovedUser is a user whose commune or district a change ended, moved to
// the unit that took it over, or a district's group chat moved so; the
// Notifier tells them.
type MovedUser struct {
	User      User   // as before the change
	Role      Role   // after the change
	Scope     string // after the change
	From, To  MapUnit
	Effective time.Time
}

// MapUnit names a commune, a district or the province as a message shows it:
// Type is the commune's type, empty for a district or a province, whose
// name says what it is ("Huyện Kỳ Sơn", "Hòa Bình").
type MapUnit struct {
	Code, Name string
	Type       CommuneType
	Province   bool
}

// Notifier writes the message that tells a moved user what became of
// their unit; ImportMapChanges puts it in the outbox in its own transaction.
type Notifier func(MovedUser) (OutboxItem, error)

// ChangeResult counts what ImportMapChanges did.
type ChangeResult struct {
	Lines int
	// ImportedAt is, for a file every line of which an earlier import
	// applied, when that import was (its latest line's), and ImportedFrom
	// its file: importing it again changes nothing. Zero otherwise.
	ImportedAt     time.Time
	ImportedFrom   string
	Created        int // communes
	Ended          int // communes
	Renamed        int
	Moved          int // communes moved to another district or to the province
	DistrictsEnded int
	PostsCarried   int
	UsersMoved     int
}

// mapCommune and mapDistrict are the map as ImportMapChanges changes it.
type mapCommune struct {
	Code     string      `db:"code"`
	Name     string      `db:"name"`
	Type     CommuneType `db:"type"`
	District string      `db:"district_code"`
	Live     int         `db:"live"`
}

type mapDistrict struct {
	Code     string `db:"code"`
	Name     string `db:"name"`
	Province string `db:"province_code"`
	Live     int    `db:"live"`
	Direct   int    `db:"direct"`
}

// districtLoss is where the communes a district lost went, and when.
type districtLoss struct {
	to   map[string]bool
	last time.Time
}

// ImportMapChanges applies the lines of a change file to the administrative
// map, in the order of their dates (then of their lines), in one
// transaction: either every line is valid, against the store and the
// lines before it, and all are applied, or none is and every problem is
// returned as ImportErrors. Communes and districts a change ends stay in
// the store, ended (valid_to) with their successor, so that the state on
// an earlier date (AsOf) still shows them. The posts of ended communes go
// to their successor, renumbered, each with a report; users and pending
// invitations of an ended unit go to its successor, and notify writes
// each user's message into the outbox. Every line is kept (map_changes)
// and audited. at is now: a change that has not taken effect yet is
// refused.
func (db *DB) ImportMapChanges(ctx context.Context, rows []ChangeRow, source string, at time.Time, notify Notifier) (ChangeResult, error) {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b ChangeRow) int {
		return cmp.Or(a.Effective.Compare(b.Effective), a.Line-b.Line)
	})
	var res ChangeResult
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		a := &applier{db: db, tx: tx, source: source, at: at, notify: notify, res: &res}
		if err := a.load(ctx); err != nil {
			return err
		}
		postsBefore, err := a.countPosts(ctx)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := a.apply(ctx, r); err != nil {
				return err
			}
		}
		if a.reimport(len(rows)) {
			res = ChangeResult{Lines: len(rows), ImportedAt: a.doneAt, ImportedFrom: a.doneFrom}
			return nil
		}
		if err := a.endEmptiedDistricts(ctx); err != nil {
			return err
		}
		if len(a.problems) > 0 {
			slices.SortStableFunc(a.problems, func(x, y ImportError) int { return x.Line - y.Line })
			return a.problems
		}
		postsAfter, err := a.countPosts(ctx)
		if err != nil {
			return err
		}
		if postsAfter != postsBefore {
			return fmt.Errorf("posts before %d, after %d: a change lost posts", postsBefore, postsAfter)
		}
		if err := bumpRoster(ctx, tx); err != nil {
			return err
		}
		res.Lines = len(rows)
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: "import:" + source, Action: "import_changes",
			Detail: fmt.Sprintf("lines=%d created=%d ended=%d renamed=%d moved=%d districts_ended=%d posts_carried=%d users_moved=%d",
				len(rows), res.Created, res.Ended, res.Renamed, res.Moved, res.DistrictsEnded, res.PostsCarried, res.UsersMoved)})
	})
	if err != nil {
		if ie, ok := err.(ImportErrors); ok {
			return ChangeResult{}, ie
		}
		return ChangeResult{}, fmt.Errorf("store: import changes from %s: %w", source, err)
	}
	if !res.ImportedAt.IsZero() {
		db.logger.Info("map changes already imported", "source", source, "lines", res.Lines, "imported_from", res.ImportedFrom)
		return res, nil
	}
	db.analyze(ctx, "communes", "districts", "posts", "reports")
	db.logger.Info("map changes imported", "source", source, "lines", res.Lines, "ended", res.Ended, "posts_carried", res.PostsCarried, "users_moved", res.UsersMoved)
	return res, nil
}

// CheckMapChanges checks the lines of a change file as ImportMapChanges
// would, against the store and each other, and changes nothing: the
// problems of the lines a file's other problems leave to check.
func (db *DB) CheckMapChanges(ctx context.Context, rows []ChangeRow, at time.Time) (ImportErrors, error) {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b ChangeRow) int {
		return cmp.Or(a.Effective.Compare(b.Effective), a.Line-b.Line)
	})
	var problems ImportErrors
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		a := &applier{db: db, tx: tx, source: "check", at: at, res: &ChangeResult{}}
		if err := a.load(ctx); err != nil {
			return err
		}
		for _, r := range rows {
			if err := a.apply(ctx, r); err != nil {
				return err
			}
		}
		a.reimport(len(rows))
		problems = a.problems
		return errRollback
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, fmt.Errorf("store: check changes: %w", err)
	}
	slices.SortStableFunc(problems, func(x, y ImportError) int { return x.Line - y.Line })
	return problems, nil
}

// errRollback ends a transaction that was only a trial.
var errRollback = errors.New("rolled back")

type applier struct {
	db        *DB
	tx        *sqlx.Tx
	source    string
	at        time.Time
	notify    Notifier
	res       *ChangeResult
	communes  map[string]*mapCommune
	districts map[string]*mapDistrict
	provinces map[string]string // code → name
	last      time.Time         // the latest change already imported
	splits    map[string]time.Time
	lost      map[string]*districtLoss
	problems  ImportErrors
	// done holds the lines earlier imports applied, by changeKey; the
	// file's lines found there (already) are not applied again.
	done     map[string]appliedLine
	already  []ImportError
	doneAt   time.Time
	doneFrom string
	made     map[string]int // new code → the first line of this file that names it
}

// appliedLine is a line of map_changes: when it was imported, from where.
type appliedLine struct {
	At     time.Time `db:"at"`
	Source string    `db:"source"`
}

// changeKey is what tells two lines of change files apart: the same key
// is the same change.
func changeKey(effective time.Time, kind ChangeKind, oldCodes, newCode, newName, district string) string {
	return strings.Join([]string{utc(effective).Format(time.RFC3339), string(kind), oldCodes, newCode, newName, district}, "\x00")
}

// recordedName is the new name as map_changes keeps it: with its type
// when the line gave one.
func recordedName(r ChangeRow) string {
	if r.NewType != "" {
		return string(r.NewType) + " " + r.NewName
	}
	return r.NewName
}

// reimport says whether every one of the file's n lines was applied by an
// earlier import: then importing it again changes nothing. A file only
// some of whose lines were has each of those as a problem.
func (a *applier) reimport(n int) bool {
	if n > 0 && len(a.already) == n {
		return true
	}
	a.problems = append(a.problems, a.already...)
	return false
}

func (a *applier) load(ctx context.Context) error {
	var cs []*mapCommune
	if err := a.tx.SelectContext(ctx, &cs, `SELECT code, name, type, district_code,
		CASE WHEN valid_to IS NULL THEN 1 ELSE 0 END AS live FROM communes`); err != nil {
		return fmt.Errorf("read communes: %w", err)
	}
	a.communes = make(map[string]*mapCommune, len(cs))
	for _, c := range cs {
		a.communes[c.Code] = c
	}
	var ds []*mapDistrict
	if err := a.tx.SelectContext(ctx, &ds, `SELECT code, name, province_code,
		CASE WHEN valid_to IS NULL THEN 1 ELSE 0 END AS live, CASE WHEN direct THEN 1 ELSE 0 END AS direct FROM districts`); err != nil {
		return fmt.Errorf("read districts: %w", err)
	}
	a.districts = make(map[string]*mapDistrict, len(ds))
	for _, d := range ds {
		a.districts[d.Code] = d
	}
	var ps []Province
	if err := a.tx.SelectContext(ctx, &ps, "SELECT code, name FROM provinces"); err != nil {
		return fmt.Errorf("read provinces: %w", err)
	}
	a.provinces = make(map[string]string, len(ps))
	for _, p := range ps {
		a.provinces[p.Code] = p.Name
	}
	var last []time.Time
	if err := a.tx.SelectContext(ctx, &last, "SELECT effective FROM map_changes ORDER BY effective DESC LIMIT 1"); err != nil {
		return fmt.Errorf("read the last change: %w", err)
	}
	if len(last) > 0 {
		a.last = last[0]
	}
	a.splits = make(map[string]time.Time)
	a.lost = make(map[string]*districtLoss)
	a.made = make(map[string]int)
	var done []struct {
		appliedLine
		Effective time.Time  `db:"effective"`
		Kind      ChangeKind `db:"kind"`
		OldCodes  string     `db:"old_codes"`
		NewCode   string     `db:"new_code"`
		NewName   string     `db:"new_name"`
		District  string     `db:"district_code"`
	}
	if err := a.tx.SelectContext(ctx, &done, "SELECT effective, kind, old_codes, new_code, new_name, district_code, at, source FROM map_changes"); err != nil {
		return fmt.Errorf("read the changes imported: %w", err)
	}
	a.done = make(map[string]appliedLine, len(done))
	for _, d := range done {
		a.done[changeKey(d.Effective, d.Kind, d.OldCodes, d.NewCode, d.NewName, d.District)] = d.appliedLine
	}
	return nil
}

func (a *applier) countPosts(ctx context.Context) (int, error) {
	var n int
	if err := a.tx.GetContext(ctx, &n, "SELECT count(*) FROM posts"); err != nil {
		return 0, fmt.Errorf("count posts: %w", err)
	}
	return n, nil
}

// apply checks one line against the map as the lines before it left it
// and, when it is valid, applies it.
func (a *applier) apply(ctx context.Context, r ChangeRow) error {
	ok := true
	fail := func(col string, p Problem, v string) {
		a.problems = append(a.problems, ImportError{Line: r.Line, Column: col, Problem: p, Value: quoteBack(v)})
		ok = false
	}
	day := r.Effective.Format("02/01/2006")
	if done, ok := a.done[changeKey(r.Effective, r.Kind, strings.Join(r.OldCodes, "|"), r.NewCode, recordedName(r), r.DistrictCode)]; ok {
		at := done.At.In(a.db.Location())
		a.already = append(a.already, ImportError{Line: r.Line, Column: "kind", Problem: ProblemAlreadyImported, Value: at.Format("02/01/2006")})
		if at.After(a.doneAt) {
			// The source is "file:line".
			a.doneAt = at
			a.doneFrom = done.Source[:max(strings.LastIndex(done.Source, ":"), 0)]
		}
		return nil
	}
	switch {
	case r.Effective.After(a.at):
		fail("effective", ProblemFutureDate, day)
	case r.Effective.Before(a.last):
		fail("effective", ProblemBeforeLastChange, day)
	}
	var olds []*mapCommune
	if r.Kind != ChangeAbolishDistrict {
		for _, code := range r.OldCodes {
			c := a.communes[code]
			continuing := r.Kind == ChangeSplit && a.splits[code].Equal(r.Effective) && !r.Effective.IsZero()
			if c == nil || (c.Live == 0 && !continuing) {
				fail("old_codes", ProblemUnitGone, code)
				continue
			}
			olds = append(olds, c)
		}
	}
	if r.NewCode != "" {
		// A line above that names the same new code is named, whether or
		// not it had problems of its own.
		if line, claimed := a.made[r.NewCode]; claimed {
			fail("new_code", ProblemCodeMade, r.NewCode)
			a.problems[len(a.problems)-1].FirstLine = line
		} else if _, used := a.communes[r.NewCode]; used {
			fail("new_code", ProblemCodeReused, r.NewCode)
		} else {
			a.made[r.NewCode] = r.Line
		}
	}
	district := r.DistrictCode
	if district != "" {
		if d := a.districts[district]; d == nil || d.Live == 0 {
			fail("district_code", ProblemUnknownDistrict, district)
		}
	} else if (r.Kind == ChangeMerge || r.Kind == ChangeSplit) && len(olds) > 0 {
		district = olds[0].District
		for _, c := range olds[1:] {
			if c.District != district {
				fail("district_code", ProblemMixedDistricts, "")
				break
			}
		}
	}
	var ended []*mapDistrict
	if r.Kind == ChangeAbolishDistrict {
		ended = a.abolished(r, fail)
	}
	if !ok {
		return nil
	}
	if err := a.record(ctx, r); err != nil {
		return err
	}
	switch r.Kind {
	case ChangeMerge, ChangeSplit:
		typ := r.NewType
		if typ == "" {
			typ = olds[0].Type
		}
		nc := &mapCommune{Code: r.NewCode, Name: r.NewName, Type: typ, District: district, Live: 1}
		return a.create(ctx, r, nc, olds)
	case ChangeRename:
		c := olds[0]
		if err := a.keepPast(ctx, c, r.Effective); err != nil {
			return err
		}
		c.Name = r.NewName
		if r.NewType != "" {
			c.Type = r.NewType
		}
		if _, err := a.tx.ExecContext(ctx, "UPDATE communes SET name = $1, type = $2 WHERE code = $3", c.Name, c.Type, c.Code); err != nil {
			return fmt.Errorf("rename commune %s: %w", c.Code, err)
		}
		a.res.Renamed++
		return nil
	case ChangeMove:
		return a.move(ctx, olds, district, r.Effective)
	case ChangeAbolishDistrict:
		return a.abolish(ctx, ended, r.Effective)
	}
	return fmt.Errorf("line %d: unknown change %q", r.Line, r.Kind)
}

// abolished returns the districts an abolish-district line ends: those it
// lists, or every district still on the map.
func (a *applier) abolished(r ChangeRow, fail func(string, Problem, string)) []*mapDistrict {
	var out []*mapDistrict
	if len(r.OldCodes) == 0 {
		for _, d := range a.districts {
			if d.Live == 1 && d.Direct == 0 {
				out = append(out, d)
			}
		}
		slices.SortFunc(out, func(x, y *mapDistrict) int { return strings.Compare(x.Code, y.Code) })
	}
	for _, code := range r.OldCodes {
		d := a.districts[code]
		switch {
		case d == nil:
			fail("old_codes", ProblemUnknownDistrict, code)
		case d.Live == 0 || d.Direct == 1:
			fail("old_codes", ProblemUnitGone, code)
		default:
			out = append(out, d)
		}
	}
	for _, d := range out {
		if p := a.districts[d.Province]; p != nil && p.Direct == 0 {
			// The province's own unit takes the province's code, which a
			// district of the store already has.
			fail("old_codes", ProblemCodeReused, d.Province)
		}
	}
	return out
}

// record keeps the line as applied, for the answers about what a unit
// became, and audits it.
func (a *applier) record(ctx context.Context, r ChangeRow) error {
	name := recordedName(r)
	line := fmt.Sprintf("%s:%d", a.source, r.Line)
	if _, err := a.tx.ExecContext(ctx, `INSERT INTO map_changes (effective, kind, old_codes, new_code, new_name, district_code, source, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, utc(r.Effective), r.Kind, strings.Join(r.OldCodes, "|"), r.NewCode, name, r.DistrictCode, line, utc(a.at)); err != nil {
		return fmt.Errorf("record change of line %d: %w", r.Line, err)
	}
	return a.db.audit(ctx, a.tx, AuditEntry{At: a.at, Actor: "import:" + a.source, Action: "map_" + strings.ReplaceAll(string(r.Kind), "-", "_"),
		Detail: fmt.Sprintf("%s effective %s: %s → %s %s %s", line, r.Effective.Format(time.DateOnly), strings.Join(r.OldCodes, "|"), r.NewCode, name, r.DistrictCode)})
}

// create adds the commune of a merge or a split and ends the communes it
// replaces; the first part of a split, and a merge, take their posts,
// users, invitations and groups.
func (a *applier) create(ctx context.Context, r ChangeRow, nc *mapCommune, olds []*mapCommune) error {
	if _, err := a.tx.ExecContext(ctx, `INSERT INTO communes (code, name, type, district_code, valid_from) VALUES ($1, $2, $3, $4, $5)`,
		nc.Code, nc.Name, nc.Type, nc.District, utc(r.Effective)); err != nil {
		return fmt.Errorf("add commune %s: %w", nc.Code, err)
	}
	a.communes[nc.Code] = nc
	a.res.Created++
	var taken []*mapCommune
	for _, c := range olds {
		if c.Live == 1 {
			taken = append(taken, c)
		}
	}
	if len(taken) == 0 {
		return nil // a later part of a split
	}
	codes := make([]string, len(taken))
	for i, c := range taken {
		codes[i] = c.Code
		c.Live = 0
		if r.Kind == ChangeSplit {
			a.splits[c.Code] = r.Effective
		}
		if c.District != nc.District {
			a.lose(c.District, nc.District, r.Effective)
		}
	}
	a.res.Ended += len(taken)
	q := "UPDATE communes SET valid_to = $1, successor = $2 WHERE code IN (" + placeholdersFrom(3, len(codes)) + ")"
	if _, err := a.tx.ExecContext(ctx, q, append([]any{utc(r.Effective), nc.Code}, anys(codes)...)...); err != nil {
		return fmt.Errorf("end communes %s: %w", strings.Join(codes, ", "), err)
	}
	if err := a.carryPosts(ctx, r, nc.Code, codes); err != nil {
		return err
	}
	if _, err := a.tx.ExecContext(ctx, `INSERT INTO commune_groups (group_name, commune_code)
		SELECT DISTINCT group_name, $1 FROM commune_groups WHERE commune_code IN (`+placeholdersFrom(2, len(codes))+`)
		ON CONFLICT DO NOTHING`, append([]any{nc.Code}, anys(codes)...)...); err != nil {
		return fmt.Errorf("carry groups to %s: %w", nc.Code, err)
	}
	to := MapUnit{Code: nc.Code, Name: nc.Name, Type: nc.Type}
	for _, c := range taken {
		from := MapUnit{Code: c.Code, Name: c.Name, Type: c.Type}
		if err := a.moveUsers(ctx, RoleCommune, c.Code, RoleCommune, nc.Code, from, to, r.Effective); err != nil {
			return err
		}
	}
	return nil
}

// carryPosts moves the posts of the ended communes to their successor:
// kind by kind, the communes in the order of old_codes, renumbered from 1.
// The first commune's chief stays chief; the others' chiefs, one chief to
// a commune, become deputies after the deputies. Each carried post gets a
// report at the change's date with its state then, unchanged (old = new),
// whose source names the post it was; a report the old post got after
// that date (the change imported after it took effect) is written again
// on the new post, so that the state on every date stays true.
func (a *applier) carryPosts(ctx context.Context, r ChangeRow, to string, from []string) error {
	order := make(map[string]int, len(from))
	for i, c := range from {
		order[c] = i
	}
	byRef, err := a.db.postsOfCommunes(ctx, a.tx, from)
	if err != nil {
		return err
	}
	posts := make([]Post, 0, len(byRef))
	for _, p := range byRef {
		posts = append(posts, p)
	}
	slices.SortFunc(posts, func(x, y Post) int {
		return cmp.Or(order[x.CommuneCode]-order[y.CommuneCode], x.Kind.bit()-y.Kind.bit(), x.Slot-y.Slot)
	})
	var chiefs, deputies, officers, surplus []Post
	for _, p := range posts {
		switch {
		case p.Kind == Chief && len(chiefs) == 0:
			chiefs = append(chiefs, p)
		case p.Kind == Chief:
			surplus = append(surplus, p)
		case p.Kind == Deputy:
			deputies = append(deputies, p)
		default:
			officers = append(officers, p)
		}
	}
	history, err := a.reportsOf(ctx, from)
	if err != nil {
		return err
	}
	var carried []Post
	var reports []Report
	add := func(kind PostKind, ps []Post) {
		for _, p := range ps {
			next := p
			next.CommuneCode, next.Kind, next.Slot = to, kind, 1
			for _, c := range carried {
				if c.Kind == kind {
					next.Slot++
				}
			}
			carried = append(carried, next)
			// The post as it stood at the change, and what came after.
			then, existed := p, true
			var after []Report
			if h := history[p.Ref()]; len(h) > 0 {
				i, _ := slices.BinarySearchFunc(h, r.Effective, func(rep Report, t time.Time) int { return rep.At.Compare(t) })
				after = h[i:]
				if existed = i > 0; existed {
					last := h[i-1]
					then.Status, then.Holder, then.Since = last.NewStatus, last.NewHolder, last.Since
				}
			}
			if existed {
				reports = append(reports, Report{CommuneCode: to, Kind: kind, Slot: next.Slot,
					OldStatus: then.Status, NewStatus: then.Status, OldHolder: then.Holder, NewHolder: then.Holder, Since: then.Since,
					Actor: "import:" + a.source, Source: fmt.Sprintf("%s:%d %s", a.source, r.Line, r.Kind), Carried: p.Ref().String(), At: r.Effective})
			}
			for _, rep := range after {
				rep.CommuneCode, rep.Kind, rep.Slot = to, kind, next.Slot
				reports = append(reports, rep)
			}
		}
	}
	add(Chief, chiefs)
	add(Deputy, deputies)
	add(Deputy, surplus)
	add(Officer, officers)
	if _, err := a.tx.ExecContext(ctx, "DELETE FROM posts WHERE commune_code IN ("+placeholdersFrom(1, len(from))+")", anys(from)...); err != nil {
		return fmt.Errorf("take posts of %s: %w", strings.Join(from, ", "), err)
	}
	if err := a.db.upsertPosts(ctx, a.tx, carried); err != nil {
		return err
	}
	if err := a.db.insertReports(ctx, a.tx, reports); err != nil {
		return err
	}
	a.res.PostsCarried += len(carried)
	return nil
}

// reportsOf reads the reports of the communes' posts, each post's in the
// order they were recorded.
func (a *applier) reportsOf(ctx context.Context, codes []string) (map[PostRef][]Report, error) {
	var rows []reportRow
	q := "SELECT " + reportColumns + " FROM reports r WHERE r.commune_code IN (" + placeholdersFrom(1, len(codes)) + ") ORDER BY r.at, r.id"
	if err := a.tx.SelectContext(ctx, &rows, q, anys(codes)...); err != nil {
		return nil, fmt.Errorf("read reports of %s: %w", strings.Join(codes, ", "), err)
	}
	reps, err := a.db.reportsOf(rows)
	if err != nil {
		return nil, err
	}
	out := make(map[PostRef][]Report)
	for _, rep := range reps {
		ref := PostRef{rep.CommuneCode, rep.Kind, rep.Slot}
		out[ref] = append(out[ref], rep)
	}
	return out, nil
}

// keepPast records what a commune was until a change renamed or moved it.
func (a *applier) keepPast(ctx context.Context, c *mapCommune, until time.Time) error {
	// A second change of the same day keeps the state before the first.
	_, err := a.tx.ExecContext(ctx, `INSERT INTO commune_past (code, name, type, district_code, until) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT DO NOTHING`, c.Code, c.Name, c.Type, c.District, utc(until))
	if err != nil {
		return fmt.Errorf("keep the past of commune %s: %w", c.Code, err)
	}
	return nil
}

// move puts communes in another district (or in the province's own unit).
func (a *applier) move(ctx context.Context, cs []*mapCommune, district string, eff time.Time) error {
	for _, c := range cs {
		if c.District == district {
			continue
		}
		if err := a.keepPast(ctx, c, eff); err != nil {
			return err
		}
		if _, err := a.tx.ExecContext(ctx, "UPDATE communes SET district_code = $1 WHERE code = $2", district, c.Code); err != nil {
			return fmt.Errorf("move commune %s: %w", c.Code, err)
		}
		a.lose(c.District, district, eff)
		c.District = district
		a.res.Moved++
	}
	return nil
}

func (a *applier) lose(from, to string, eff time.Time) {
	l := a.lost[from]
	if l == nil {
		l = &districtLoss{to: make(map[string]bool)}
		a.lost[from] = l
	}
	l.to[to] = true
	l.last = eff
}

// abolish ends districts: their communes go to the province's own unit
// (a district row with the province's code, made on first need), their
// users become the province's.
func (a *applier) abolish(ctx context.Context, ds []*mapDistrict, eff time.Time) error {
	for _, d := range ds {
		p := a.districts[d.Province]
		if p == nil {
			p = &mapDistrict{Code: d.Province, Name: provinceUnitName(a.provinces[d.Province]), Province: d.Province, Live: 1, Direct: 1}
			if _, err := a.tx.ExecContext(ctx, `INSERT INTO districts (code, name, province_code, valid_from, direct) VALUES ($1, $2, $3, $4, $5)`,
				p.Code, p.Name, p.Province, utc(eff), true); err != nil {
				return fmt.Errorf("add the province's own unit %s: %w", p.Code, err)
			}
			a.districts[p.Code] = p
		}
		var cs []*mapCommune
		for _, c := range a.communes {
			if c.Live == 1 && c.District == d.Code {
				cs = append(cs, c)
			}
		}
		slices.SortFunc(cs, func(x, y *mapCommune) int { return strings.Compare(x.Code, y.Code) })
		if err := a.move(ctx, cs, p.Code, eff); err != nil {
			return err
		}
		delete(a.lost, d.Code) // ended here, not as an emptied district
		if err := a.endDistrict(ctx, d, p.Code, eff); err != nil {
			return err
		}
	}
	for _, p := range provinces(ds) {
		// A report every district filed (district_report) is the
		// province's own unit's: it is filed if all of them filed it.
		if _, err := a.tx.ExecContext(ctx, `INSERT INTO submissions (milestone_id, district_code, actor, at)
			SELECT s.milestone_id, $1, $2, MAX(s.at) FROM submissions s JOIN districts d ON d.code = s.district_code
			WHERE d.successor = $1 GROUP BY s.milestone_id
			HAVING count(*) = (SELECT count(*) FROM districts WHERE successor = $1)
			ON CONFLICT DO NOTHING`, p, "import:"+a.source); err != nil {
			return fmt.Errorf("carry the districts' reports to %s: %w", p, err)
		}
	}
	return nil
}

// provinces returns the provinces of districts, each once.
func provinces(ds []*mapDistrict) []string {
	var out []string
	for _, d := range ds {
		if !slices.Contains(out, d.Province) {
			out = append(out, d.Province)
		}
	}
	return out
}

// endDistrict ends a district, succeeded by another district or by the
// province's own unit, and moves its users and invitations there.
func (a *applier) endDistrict(ctx context.Context, d *mapDistrict, successor string, eff time.Time) error {
	if _, err := a.tx.ExecContext(ctx, "UPDATE districts SET valid_to = $1, successor = $2 WHERE code = $3", utc(eff), successor, d.Code); err != nil {
		return fmt.Errorf("end district %s: %w", d.Code, err)
	}
	d.Live = 0
	a.res.DistrictsEnded++
	from := MapUnit{Code: d.Code, Name: d.Name}
	if s := a.districts[successor]; s != nil && s.Direct == 0 {
		return a.moveUsers(ctx, RoleDistrict, d.Code, RoleDistrict, s.Code, from, MapUnit{Code: s.Code, Name: s.Name}, eff)
	}
	return a.moveUsers(ctx, RoleDistrict, d.Code, RoleProvince, d.Province, from, MapUnit{Code: d.Province, Name: a.provinces[d.Province], Province: true}, eff)
}

// endEmptiedDistricts ends the districts the file's merges and moves left
// without a commune: succeeded by the one district their communes went
// to, or by the province when they went to several.
func (a *applier) endEmptiedDistricts(ctx context.Context) error {
	codes := make([]string, 0, len(a.lost))
	for code := range a.lost {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		d := a.districts[code]
		if d == nil || d.Live == 0 || d.Direct == 1 {
			continue
		}
		empty := true
		for _, c := range a.communes {
			if c.Live == 1 && c.District == code {
				empty = false
				break
			}
		}
		if !empty {
			continue
		}
		l := a.lost[code]
		successor := d.Province
		if len(l.to) == 1 {
			for to := range l.to {
				successor = to
			}
		}
		if err := a.endDistrict(ctx, d, successor, l.last); err != nil {
			return err
		}
	}
	return nil
}

// moveUsers moves the users and pending invitations of one scope to
// another and writes each user's message.
func (a *applier) moveUsers(ctx context.Context, fromRole Role, fromScope string, toRole Role, toScope string, from, to MapUnit, eff time.Time) error {
	var users []User
	if err := a.tx.SelectContext(ctx, &users, `SELECT telegram_id, name, role, scope, lang, gone, created_at FROM users
		WHERE role = $1 AND scope = $2 ORDER BY telegram_id`, fromRole, fromScope); err != nil {
		return fmt.Errorf("read users of %s %s: %w", fromRole, fromScope, err)
	}
	if _, err := a.tx.ExecContext(ctx, "UPDATE users SET role = $1, scope = $2 WHERE role = $3 AND scope = $4", toRole, toScope, fromRole, fromScope); err != nil {
		return fmt.Errorf("move users of %s %s: %w", fromRole, fromScope, err)
	}
	if _, err := a.tx.ExecContext(ctx, `UPDATE invitations SET role = $1, scope = $2 WHERE role = $3 AND scope = $4
		AND used_by IS NULL AND revoked_at IS NULL`, toRole, toScope, fromRole, fromScope); err != nil {
		return fmt.Errorf("move invitations of %s %s: %w", fromRole, fromScope, err)
	}
	if fromRole == RoleDistrict {
		// A district's group chat (/gannhom) follows its heads, and is
		// told as they are.
		var chats []User
		if err := a.tx.SelectContext(ctx, &chats, `SELECT chat_id AS telegram_id, title AS name, role, scope, lang, bound_at AS created_at
			FROM group_chats WHERE role = $1 AND scope = $2 ORDER BY chat_id`, fromRole, fromScope); err != nil {
			return fmt.Errorf("read group chats of %s %s: %w", fromRole, fromScope, err)
		}
		if _, err := a.tx.ExecContext(ctx, "UPDATE group_chats SET role = $1, scope = $2 WHERE role = $3 AND scope = $4", toRole, toScope, fromRole, fromScope); err != nil {
			return fmt.Errorf("move group chats of %s %s: %w", fromRole, fromScope, err)
		}
		users = append(users, chats...)
	}
	var items []OutboxItem
	for _, u := range users {
		a.res.UsersMoved++
		if err := a.db.audit(ctx, a.tx, AuditEntry{At: a.at, Actor: "import:" + a.source, Action: "move_user",
			Detail: fmt.Sprintf("telegram_id=%d %s %s → %s %s", u.TelegramID, fromRole, fromScope, toRole, toScope)}); err != nil {
			return err
		}
		if u.Gone || a.notify == nil {
			continue
		}
		it, err := a.notify(MovedUser{User: u, Role: toRole, Scope: toScope, From: from, To: to, Effective: eff})
		if err != nil {
			return fmt.Errorf("tell user %d: %w", u.TelegramID, err)
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		return nil
	}
	_, err := a.db.enqueue(ctx, a.tx, items)
	return err
}

// provinceUnitName is the name of the province's own unit as lists show
// it beside districts and communes: the province's name with its type,
// "Tỉnh Hòa Bình", as the statistics office spells a district's
// ("Huyện Đà Bắc"); a name that has its type already stays as it is.
func provinceUnitName(name string) string {
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "tỉnh ") || strings.HasPrefix(lower, "thành phố ") {
		return name
	}
	return "Tỉnh " + name
}

// placeholdersFrom returns n placeholders numbered from first.
func placeholdersFrom(first, n int) string {
	ph := make([]string, n)
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", first+i)
	}
	return strings.Join(ph, ", ")
}

func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// FormerUnit is a name no longer on the map: a commune or district a
// change ended, or a commune's name before a rename, with the unit on
// today's map that took it over.
type FormerUnit struct {
	Role Role // RoleCommune or RoleDistrict: the level it was
	Code string
	Name string
	Type CommuneType // a commune's type then
	// District is the name of the district a commune was in then, for
	// naming it as it was; empty for a district.
	District string
	Ended    time.Time // when it (or its name) left the map
	// Successor is the code of the unit on today's map that took it over,
	// at the same level; for a district whose communes went to the
	// province, the province's own unit (District.Direct). Empty when
	// nothing did.
	Successor string
}

// FormerUnits lists the names no longer on the map, for answering a
// question about one with what it became. A commune's past rows are one
// per change that renamed or moved it: a name ended with the first
// change after which the commune had another name or type, not with a
// move that kept it.
func (db *DB) FormerUnits(ctx context.Context) ([]FormerUnit, error) {
	var ended []struct {
		Role      Role        `db:"role"`
		Code      string      `db:"code"`
		Name      string      `db:"name"`
		Type      CommuneType `db:"type"`
		District  string      `db:"district"`
		Ended     time.Time   `db:"valid_to"`
		Successor string      `db:"successor"`
	}
	q := `SELECT 'commune' AS role, c.code, c.name, c.type, COALESCE(d.name, '') AS district, c.valid_to, c.successor
			FROM communes c LEFT JOIN districts d ON d.code = c.district_code WHERE c.valid_to IS NOT NULL
		UNION ALL SELECT 'district', code, name, '', '', valid_to, successor FROM districts WHERE valid_to IS NOT NULL
		UNION ALL SELECT 'commune', p.code, p.name, p.type, COALESCE(d.name, ''), p.until, p.code FROM commune_past p
			JOIN communes c ON c.code = p.code LEFT JOIN districts d ON d.code = p.district_code
			WHERE p.name <> COALESCE((SELECT n.name FROM commune_past n WHERE n.code = p.code AND n.until > p.until ORDER BY n.until LIMIT 1), c.name)
				OR p.type <> COALESCE((SELECT n.type FROM commune_past n WHERE n.code = p.code AND n.until > p.until ORDER BY n.until LIMIT 1), c.type)
		ORDER BY 1, 2, 6`
	if err := db.db.SelectContext(ctx, &ended, q); err != nil {
		return nil, fmt.Errorf("store: former units: %w", err)
	}
	next := make(map[string]string) // role:code → successor, for the ended
	for _, e := range ended {
		if e.Successor != e.Code {
			next[string(e.Role)+":"+e.Code] = e.Successor
		}
	}
	out := make([]FormerUnit, 0, len(ended))
	for _, e := range ended {
		// Follow the chain of successors to the unit on the map today.
		s := e.Successor
		for i := 0; s != "" && i < len(ended); i++ {
			n, gone := next[string(e.Role)+":"+s]
			if !gone {
				break
			}
			s = n
		}
		out = append(out, FormerUnit{Role: e.Role, Code: e.Code, Name: e.Name, Type: e.Type, District: e.District, Ended: e.Ended.UTC(), Successor: s})
	}
	return out, nil
}

// Successor returns, for a commune (RoleCommune) or district
// (RoleDistrict) that a change ended, the unit of today's map that took it
// over, following later changes; ended is false for a unit still on the
// map, and ErrNotFound comes for a code the store never had. The
// successor of a district whose communes went to the province is the
// province's own unit (District.Direct).
func (db *DB) Successor(ctx context.Context, role Role, code string) (successor string, ended bool, err error) {
	table := map[Role]string{RoleCommune: "communes", RoleDistrict: "districts"}[role]
	if table == "" {
		return "", false, nil
	}
	for seen := 0; ; seen++ {
		var row struct {
			Ended     bool   `db:"ended"`
			Successor string `db:"successor"`
		}
		err := db.db.GetContext(ctx, &row, "SELECT CASE WHEN valid_to IS NULL THEN 0 ELSE 1 END AS ended, successor FROM "+table+" WHERE code = $1", code)
		if isNoRows(err) {
			if seen == 0 {
				return "", false, fmt.Errorf("store: %s %q: %w", role, code, ErrNotFound)
			}
			return "", true, nil
		}
		if err != nil {
			return "", false, fmt.Errorf("store: successor of %s %q: %w", role, code, err)
		}
		if !row.Ended {
			return code, seen > 0, nil
		}
		if row.Successor == "" || seen > 100 {
			return "", true, nil
		}
		code = row.Successor
	}
}

// CarriedFrom returns the post a map change carried this report's post
// from, for a report it wrote when it did (Carried); false for a change
// of the post.
func (r Report) CarriedFrom() (PostRef, bool) {
	parts := strings.Split(r.Carried, "/")
	if len(parts) != 3 {
		return PostRef{}, false
	}
	slot, err := strconv.Atoi(parts[2])
	if err != nil || !PostKind(parts[1]).Valid() {
		return PostRef{}, false
	}
	return PostRef{CommuneCode: parts[0], Kind: PostKind(parts[1]), Slot: slot}, true
}

// CommuneOrigin is a merge or a split that made a commune: the communes
// it ended, each with the name and type it had then, and the one it made.
type CommuneOrigin struct {
	Effective time.Time
	Kind      ChangeKind // ChangeMerge or ChangeSplit
	Ended     []MapUnit
	Made      MapUnit
}

// CommuneOrigins returns the merges and splits that made the commune or a
// commune it took over (its lineage), oldest first: what its history
// shows, one line a change, in place of the reports a change wrote when it
// carried each post (Report.Carried).
func (db *DB) CommuneOrigins(ctx context.Context, code string) ([]CommuneOrigin, error) {
	codes, err := db.lineage(ctx, code)
	if err != nil {
		return nil, err
	}
	var a args
	var lines []struct {
		Effective time.Time  `db:"effective"`
		Kind      ChangeKind `db:"kind"`
		OldCodes  string     `db:"old_codes"`
		NewCode   string     `db:"new_code"`
	}
	q := "SELECT effective, kind, old_codes, new_code FROM map_changes WHERE kind IN ('merge', 'split') AND new_code IN (" + list(&a, codes) + ")" +
		db.recordedBefore("effective", &a) + " ORDER BY effective, id"
	if err := db.db.SelectContext(ctx, &lines, q, a...); err != nil {
		return nil, fmt.Errorf("store: origins of commune %s: %w", code, err)
	}
	if len(lines) == 0 {
		return nil, nil
	}
	// A commune a change ended was never renamed after: its row has the
	// name it had then. The one it made is named as it is now.
	var named []string
	for _, l := range lines {
		named = append(named, l.NewCode)
		named = append(named, strings.Split(l.OldCodes, "|")...)
	}
	var b args
	var cs []Commune
	if err := db.db.SelectContext(ctx, &cs, "SELECT code, name, type, district_code FROM communes WHERE code IN ("+list(&b, named)+")", b...); err != nil {
		return nil, fmt.Errorf("store: origins of commune %s: %w", code, err)
	}
	unit := make(map[string]MapUnit, len(cs))
	for _, c := range cs {
		unit[c.Code] = MapUnit{Code: c.Code, Name: c.Name, Type: c.Type}
	}
	out := make([]CommuneOrigin, 0, len(lines))
	for _, l := range lines {
		o := CommuneOrigin{Effective: l.Effective.UTC(), Kind: l.Kind, Made: unit[l.NewCode]}
		for _, old := range strings.Split(l.OldCodes, "|") {
			o.Ended = append(o.Ended, unit[old])
		}
		out = append(out, o)
	}
	return out, nil
}
