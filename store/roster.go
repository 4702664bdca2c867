package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Provinces returns every province, by code.
func (db *DB) Provinces(ctx context.Context) ([]Province, error) {
	var out []Province
	if err := db.db.SelectContext(ctx, &out, "SELECT code, name FROM provinces ORDER BY code"); err != nil {
		return nil, fmt.Errorf("store: list provinces: %w", err)
	}
	return out, nil
}

// Districts returns the districts in the scope on the map of the view, by
// code. A commune scope yields the commune's district.
func (db *DB) Districts(ctx context.Context, s Scope) ([]District, error) {
	var a args
	var where string
	switch s.Role {
	case "", RoleNational:
		where = "1 = 1"
	case RoleProvince:
		where = "d.province_code = " + a.add(s.Code)
	case RoleDistrict:
		where = "d.code = " + a.add(s.Code)
	case RoleCommune:
		where = "d.code = (SELECT c.district_code FROM " + db.communesTable(&a) + " c WHERE c.code = " + a.add(s.Code) + ")"
	case RoleUnit:
		return nil, nil // a reporting unit's scope holds no district
	default:
		return nil, fmt.Errorf("store: unknown scope role %q", s.Role)
	}
	var out []District
	q := "SELECT d.code, d.name, d.province_code FROM " + db.districtsTable(&a) + " d WHERE " + where + " ORDER BY d.code"
	if err := db.db.SelectContext(ctx, &out, q, a...); err != nil {
		return nil, fmt.Errorf("store: list districts: %w", err)
	}
	return out, nil
}

// Communes returns the communes in the scope, by code.
func (db *DB) Communes(ctx context.Context, s Scope) ([]Commune, error) {
	var a args
	where, err := scopeWhere(s, &a)
	if err != nil {
		return nil, err
	}
	var out []Commune
	q := `SELECT c.code, c.name, c.type, c.district_code
		FROM ` + db.communesTable(&a) + ` c JOIN ` + db.districtsTable(&a) + ` d ON d.code = c.district_code
		WHERE ` + where + ` ORDER BY c.code`
	if err := db.db.SelectContext(ctx, &out, q, a...); err != nil {
		return nil, fmt.Errorf("store: list communes: %w", err)
	}
	return out, nil
}

// Commune returns one commune; ErrNotFound if the code is unknown.
func (db *DB) Commune(ctx context.Context, code string) (Commune, error) {
	var c Commune
	err := db.db.GetContext(ctx, &c, "SELECT code, name, type, district_code FROM communes WHERE code = $1", code)
	if isNoRows(err) {
		return Commune{}, fmt.Errorf("store: commune %q: %w", code, ErrNotFound)
	}
	if err != nil {
		return Commune{}, fmt.Errorf("store: read commune %q: %w", code, err)
	}
	return c, nil
}

// District returns one district; ErrNotFound if the code is unknown.
func (db *DB) District(ctx context.Context, code string) (District, error) {
	var d District
	err := db.db.GetContext(ctx, &d, "SELECT code, name, province_code FROM districts WHERE code = $1", code)
	if isNoRows(err) {
		return District{}, fmt.Errorf("store: district %q: %w", code, ErrNotFound)
	}
	if err != nil {
		return District{}, fmt.Errorf("store: read district %q: %w", code, err)
	}
	return d, nil
}

// DistrictOf returns the district code of a commune.
func (db *DB) DistrictOf(ctx context.Context, communeCode string) (string, error) {
	c, err := db.Commune(ctx, communeCode)
	if err != nil {
		return "", err
	}
	return c.DistrictCode, nil
}

// ProvinceOfDistrict returns the province code of a district.
func (db *DB) ProvinceOfDistrict(ctx context.Context, districtCode string) (string, error) {
	d, err := db.District(ctx, districtCode)
	if err != nil {
		return "", err
	}
	return d.ProvinceCode, nil
}

// postRow is a post as both drivers scan it.
type postRow struct {
	CommuneCode string   `db:"commune_code"`
	Kind        PostKind `db:"kind"`
	Slot        int      `db:"slot"`
	Status      Status   `db:"status"`
	Holder      string   `db:"holder"`
	Since       nullDate `db:"since"`
}

func (r postRow) post() (Post, error) {
	since, err := r.Since.in(time.UTC)
	if err != nil {
		return Post{}, err
	}
	return Post{CommuneCode: r.CommuneCode, Kind: r.Kind, Slot: r.Slot, Status: r.Status, Holder: r.Holder, Since: since}, nil
}

func (db *DB) postsOf(rows []postRow) ([]Post, error) {
	out := make([]Post, 0, len(rows))
	for _, r := range rows {
		p, err := r.post()
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// kindOrder sorts posts the way they are shown: chief, deputy, officer.
func kindOrder(column string) string {
	return "CASE " + column + " WHEN 'chief' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END"
}

// Posts returns the posts of the communes in the scope, by commune, kind
// order and slot. A commune's come from memory when the posts are kept
// there: a report's every step shows them.
func (db *DB) Posts(ctx context.Context, s Scope) ([]Post, error) {
	var a args
	where, err := scopeWhere(s, &a)
	if err != nil {
		return nil, err
	}
	if s.Role == RoleCommune {
		live, err := db.livePosts(ctx)
		if err != nil {
			return nil, fmt.Errorf("store: list posts: %w", err)
		}
		if live != nil {
			if posts, ok := live.communePosts(s.Code); ok {
				return posts, nil
			}
		}
	}
	return db.postsSQL(ctx, s, where, a)
}

// postsSQL is Posts in SQL, where is scopeWhere's condition for s.
func (db *DB) postsSQL(ctx context.Context, s Scope, where string, a args) ([]Post, error) {
	q := `SELECT p.commune_code, p.kind, p.slot, p.status, p.holder, p.since
		FROM ` + db.postsTable(&a, s) + ` p JOIN ` + db.communesTable(&a) + ` c ON c.code = p.commune_code JOIN ` + db.districtsTable(&a) + ` d ON d.code = c.district_code
		WHERE ` + where + ` ORDER BY p.commune_code, ` + kindOrder("p.kind") + `, p.slot`
	var rows []postRow
	if err := db.selectPrepared(ctx, nil, &rows, q, a...); err != nil {
		return nil, fmt.Errorf("store: list posts: %w", err)
	}
	return db.postsOf(rows)
}

// CountPosts counts the scope's posts of the milestone's kinds, by commune
// and kind: how many, and how many at its target status. A province's
// answer is then a few rows per commune instead of each post.
func (db *DB) CountPosts(ctx context.Context, s Scope, m Milestone) (PostCounts, error) {
	if len(m.Posts) == 0 {
		return make(PostCounts), nil
	}
	live, err := db.livePosts(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: count posts for milestone %q: %w", m.ID, err)
	}
	if live == nil {
		return db.countPostsSQL(ctx, s, m)
	}
	if _, err := scopeWhere(s, new(args)); err != nil {
		return nil, err
	}
	return live.countPosts(s, m), nil
}

// countPostsSQL is CountPosts in SQL, for a view of the past or a store
// whose posts are not kept in memory.
func (db *DB) countPostsSQL(ctx context.Context, s Scope, m Milestone) (PostCounts, error) {
	out := make(PostCounts)
	var a args
	target := a.add(m.target())
	where, err := scopeWhere(s, &a)
	if err != nil {
		return nil, err
	}
	q := `SELECT p.commune_code, p.kind, count(*) AS posts, sum(CASE WHEN p.status = ` + target + ` THEN 1 ELSE 0 END) AS at_target
		FROM ` + db.countedPostsTable(&a, s) + ` p JOIN ` + db.communesTable(&a) + ` c ON c.code = p.commune_code JOIN ` + db.districtsTable(&a) + ` d ON d.code = c.district_code
		WHERE ` + where + ` AND p.kind IN (` + list(&a, m.Posts) + `)
		GROUP BY p.commune_code, p.kind`
	var rows []struct {
		Commune  string   `db:"commune_code"`
		Kind     PostKind `db:"kind"`
		Posts    int      `db:"posts"`
		AtTarget int      `db:"at_target"`
	}
	if err := db.selectPrepared(ctx, nil, &rows, q, a...); err != nil {
		return nil, fmt.Errorf("store: count posts for milestone %q: %w", m.ID, err)
	}
	for _, r := range rows {
		out.add(r.Commune, r.Kind, KindCount{Posts: r.Posts, AtTarget: r.AtTarget})
	}
	return out, nil
}

// CommunePosts returns one commune's posts, by kind order and slot.
func (db *DB) CommunePosts(ctx context.Context, code string) ([]Post, error) {
	return db.Posts(ctx, Scope{Role: RoleCommune, Code: code})
}

// Roster loads what Evaluate needs for a milestone over the scope.
func (db *DB) Roster(ctx context.Context, s Scope, m Milestone) (Roster, error) {
	var r Roster
	var err error
	if r.Districts, err = db.Districts(ctx, s); err != nil {
		return Roster{}, err
	}
	if r.Communes, err = db.Communes(ctx, s); err != nil {
		return Roster{}, err
	}
	if r.Groups, err = db.Groups(ctx); err != nil {
		return Roster{}, err
	}
	return db.RosterOver(ctx, s, m, r)
}

// RosterOver is Roster over the districts, communes and groups of base,
// which a caller keeps in memory as the store has them now (read at the
// current RosterGeneration): only the counts, the checks, the reporting
// units and the submissions are read.
func (db *DB) RosterOver(ctx context.Context, s Scope, m Milestone, base Roster) (Roster, error) {
	r := Roster{Districts: base.Districts, Communes: base.Communes, Groups: base.Groups}
	var err error
	if r.Counts, err = db.CountPosts(ctx, s, m); err != nil {
		return Roster{}, err
	}
	if r.Unverified, err = db.UnverifiedCounts(ctx, s); err != nil {
		return Roster{}, err
	}
	r.Counts.Unverify(m, r.Unverified)
	if m.ForUnits() {
		if r.Units, err = db.ReportingUnits(ctx, s); err != nil {
			return Roster{}, err
		}
	}
	var submitted []string
	a := args{m.ID}
	if err := db.selectPrepared(ctx, nil, &submitted, "SELECT district_code FROM ("+submissionsSQL+") s WHERE milestone_id = $1"+db.recordedBefore("at", &a), a...); err != nil {
		return Roster{}, fmt.Errorf("store: list submissions of milestone %q: %w", m.ID, err)
	}
	r.Submitted = make(map[string]bool, len(submitted))
	for _, d := range submitted {
		r.Submitted[d] = true
	}
	return r, nil
}

// Progress evaluates a stored milestone over the scope.
func (db *DB) Progress(ctx context.Context, milestoneID string, s Scope) (Progress, error) {
	m, err := db.Milestone(ctx, milestoneID)
	if err != nil {
		return Progress{}, err
	}
	return db.evaluate(ctx, m, s)
}

// SetGroup replaces the communes of a named group. Every code must be
// known; otherwise nothing changes.
func (db *DB) SetGroup(ctx context.Context, name string, codes []string, actor string, at time.Time) error {
	if name == "" {
		return fmt.Errorf("store: set group: empty group name")
	}
	codes = slices.Clone(codes)
	slices.Sort(codes)
	codes = slices.Compact(codes)
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		known, err := db.existingCommunes(ctx, tx, codes)
		if err != nil {
			return err
		}
		var unknown []string
		for _, c := range codes {
			if !known[c] {
				unknown = append(unknown, c)
			}
		}
		if len(unknown) > 0 {
			return fmt.Errorf("unknown commune codes %s: %w", strings.Join(unknown, ", "), ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM commune_groups WHERE group_name = $1", name); err != nil {
			return err
		}
		for chunk := range slices.Chunk(codes, 500) {
			a := db.bulkArgs()
			values := make([]string, len(chunk))
			for i, c := range chunk {
				values[i] = "(" + a.add(name) + ", " + a.add(c) + ")"
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO commune_groups (group_name, commune_code) VALUES "+strings.Join(values, ", "), a.args...); err != nil {
				return err
			}
		}
		if err := bumpRoster(ctx, tx); err != nil {
			return err
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: actor, Action: "set_group", Detail: fmt.Sprintf("%s: %d communes", name, len(codes))})
	})
	if err != nil {
		return fmt.Errorf("store: set group %q: %w", name, err)
	}
	return nil
}

// existingCommunes returns which of the codes are known communes.
func (db *DB) existingCommunes(ctx context.Context, q sqlx.QueryerContext, codes []string) (map[string]bool, error) {
	known := make(map[string]bool, len(codes))
	for chunk := range slices.Chunk(codes, 500) {
		a := db.bulkArgs()
		var found []string
		if err := sqlx.SelectContext(ctx, q, &found, "SELECT code FROM communes WHERE code IN ("+list(a, chunk)+")", a.args...); err != nil {
			return nil, fmt.Errorf("look up communes: %w", err)
		}
		for _, c := range found {
			known[c] = true
		}
	}
	return known, nil
}

// RosterGeneration is a number that changes whenever communes are
// imported or a plan or a group is saved: a process that keeps them in
// memory reads them again when it moves.
func (db *DB) RosterGeneration(ctx context.Context) (int64, error) {
	var n int64
	if err := db.getPrepared(ctx, nil, &n, "SELECT n FROM generations WHERE name = 'roster'"); err != nil {
		return 0, fmt.Errorf("store: read roster generation: %w", err)
	}
	return n, nil
}

// LookedRosterGeneration is RosterGeneration as the posts kept in memory
// saw it at their look (under OneLook, the answer's own): an answer that
// compares its roster with it compares with the generation its posts
// belong to, at no cost of its own. Without posts kept in memory it is
// RosterGeneration. A look may read every post again (the generation
// moved): the periodic check of the roster, under its short deadline,
// reads RosterGeneration instead.
func (db *DB) LookedRosterGeneration(ctx context.Context) (int64, error) {
	live, err := db.livePosts(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: read roster generation: %w", err)
	}
	if live == nil {
		return db.RosterGeneration(ctx)
	}
	return live.gen, nil
}

// bumpRoster moves the roster generation inside the transaction that
// changes the roster, so that a reader who sees the new number sees the
// change.
func bumpRoster(ctx context.Context, tx *sqlx.Tx) error {
	if _, err := tx.ExecContext(ctx, "UPDATE generations SET n = n + 1 WHERE name = 'roster'"); err != nil {
		return fmt.Errorf("move roster generation: %w", err)
	}
	return nil
}

// Groups returns every named group as a set of commune codes.
func (db *DB) Groups(ctx context.Context) (map[string]map[string]bool, error) {
	var rows []struct {
		Group   string `db:"group_name"`
		Commune string `db:"commune_code"`
	}
	if err := db.selectPrepared(ctx, nil, &rows, "SELECT group_name, commune_code FROM commune_groups"); err != nil {
		return nil, fmt.Errorf("store: list groups: %w", err)
	}
	out := make(map[string]map[string]bool)
	for _, r := range rows {
		if out[r.Group] == nil {
			out[r.Group] = make(map[string]bool)
		}
		out[r.Group][r.Commune] = true
	}
	return out, nil
}

// Vacancy is a post not yet held by regular police, with the names it is
// shown with. An unreported vacancy stands for a post kind of which a xã
// or thị trấn has no post on record at all: progress counts it as one
// missing post, and so do vacancy answers (slot 1, status vacant).
type Vacancy struct {
	Post
	Unreported   bool
	CommuneName  string
	CommuneType  CommuneType
	DistrictCode string
	DistrictName string
}

// Vacancies returns the posts of the scope whose status is one of
// statuses (default: semi and vacant) and kind one of kinds (default: all),
// and, when vacant is asked for, the unreported ones, by district,
// commune, kind order and slot. Questions are answered by Ask; the demo
// reads whole lists with this.
func (db *DB) Vacancies(ctx context.Context, s Scope, kinds []PostKind, statuses []Status) ([]Vacancy, error) {
	var a args
	rows, err := db.vacancyRows(s, kinds, statuses, &a)
	if err != nil {
		return nil, err
	}
	q := `SELECT * FROM (` + rows + `) v ORDER BY district_code, commune_code, ` + kindOrder("kind") + `, slot`
	var found []struct {
		postRow
		Unreported   bool        `db:"unreported"`
		CommuneName  string      `db:"commune_name"`
		CommuneType  CommuneType `db:"commune_type"`
		DistrictCode string      `db:"district_code"`
		DistrictName string      `db:"district_name"`
	}
	if err := db.selectPrepared(ctx, nil, &found, q, a...); err != nil {
		return nil, fmt.Errorf("store: list vacancies: %w", err)
	}
	out := make([]Vacancy, 0, len(found))
	for _, r := range found {
		p, err := r.post()
		if err != nil {
			return nil, err
		}
		out = append(out, Vacancy{Post: p, Unreported: r.Unreported, CommuneName: r.CommuneName, CommuneType: r.CommuneType,
			DistrictCode: r.DistrictCode, DistrictName: r.DistrictName})
	}
	return out, nil
}

// vacancyRows is the query of a vacancy question's rows, unordered: the
// posts of the scope, kinds and statuses, then, when vacant is among the
// statuses, one unreported post for each asked kind a xã or thị trấn of
// the scope has no post of.
func (db *DB) vacancyRows(s Scope, kinds []PostKind, statuses []Status, a *args) (string, error) {
	if len(statuses) == 0 {
		statuses = []Status{Semi, Vacant}
	}
	where, err := scopeWhere(s, a)
	if err != nil {
		return "", err
	}
	where += " AND p.status IN (" + list(a, statuses) + ")"
	if !slices.Contains(statuses, Regular) {
		// Lets the planner use the partial index of open posts.
		where += " AND p.status <> 'regular'"
	}
	if len(kinds) > 0 {
		where += " AND p.kind IN (" + list(a, kinds) + ")"
	}
	posts := `p.commune_code, p.kind, p.slot, p.status, p.holder, p.since, 0 AS unreported,
			c.name AS commune_name, c.type AS commune_type, d.code AS district_code, d.name AS district_name`
	unreported := `c.code, k.kind, 1, 'vacant', '', NULL, 1, c.name, c.type, d.code, d.name`
	q := `SELECT ` + posts + `
		FROM ` + db.countedPostsTable(a, s) + ` p JOIN ` + db.communesTable(a) + ` c ON c.code = p.commune_code JOIN ` + db.districtsTable(a) + ` d ON d.code = c.district_code
		WHERE ` + where
	if !slices.Contains(statuses, Vacant) {
		return q, nil
	}
	missing, err := scopeWhere(s, a)
	if err != nil {
		return "", err
	}
	missing += " AND c.type IN (" + list(a, []CommuneType{Xa, ThiTran}) + ")"
	if len(kinds) > 0 {
		missing += " AND k.kind IN (" + list(a, kinds) + ")"
	}
	return q + `
		UNION ALL
		SELECT ` + unreported + `
		FROM ` + db.communesTable(a) + ` c JOIN ` + db.districtsTable(a) + ` d ON d.code = c.district_code CROSS JOIN ` + postKindBits + ` k
		WHERE ` + missing + ` AND NOT ` + db.hasKind(a), nil
}
