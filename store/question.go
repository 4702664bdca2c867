package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Measure is what a question asks of the posts (or changes) it selects.
type Measure string

const (
	MeasureCount   Measure = "count"   // how many
	MeasureList    Measure = "list"    // which
	MeasureShare   Measure = "share"   // what part of those considered
	MeasureRank    Measure = "rank"    // which groups have the most or the fewest
	MeasureCompare Measure = "compare" // the same count for several places
	MeasureHolder  Measure = "holder"  // who holds the posts
	MeasureSince   Measure = "since"   // since when the holders hold them
	MeasureYesNo   Measure = "yesno"   // whether the place satisfies the question
)

// Unit is what a question counts or lists.
type Unit string

const (
	UnitCommunes Unit = "communes" // communes whose posts satisfy the question
	UnitPosts    Unit = "posts"    // posts (or changes) that match
	UnitPeople   Unit = "people"   // matching posts that someone holds
)

// Match says which of a commune's posts of the asked kinds must have one
// of the asked statuses for the commune to count.
type Match string

const (
	MatchAny  Match = "any"  // at least one ("còn thiếu phó trưởng")
	MatchAll  Match = "all"  // every one ("đã đủ phó trưởng chính quy")
	MatchNone Match = "none" // none ("chưa có phó trưởng chính quy nào")
)

// Level names a level of the roster for a question's breakdown.
type Level string

const (
	LevelProvince Level = "province"
	LevelDistrict Level = "district"
	LevelCommune  Level = "commune"
)

// Order sorts a breakdown by its figure.
type Order string

const (
	OrderDesc Order = "desc" // most first
	OrderAsc  Order = "asc"  // fewest first
)

// Question is a question about the roster as a value: every question the
// bot (or any other reader) understands is answered by DB.Ask from one of
// these, whatever its words were.
type Question struct {
	Measure  Measure
	Unit     Unit       // empty: communes
	Kinds    []PostKind // the posts asked about; empty: every kind
	Statuses []Status   // the statuses that match; empty: any status
	Match    Match      // for communes; empty: any
	// Places are the places asked about, each answered on its own; none
	// means the whole roster.
	Places []Scope
	// Select narrows the communes considered inside each place. Its Types
	// default to xã and thị trấn, which the plan is about, unless the place
	// is one commune.
	Select Selector
	Group  Level // a breakdown of each place by province, district or commune
	Order  Order // of the breakdown; empty: by code
	// Limit cuts a list's rows (default listRows); a ranking's top N is
	// for the reader to cut, as Result.Groups holds ties.
	Limit int
	// AtLeast asks, of communes, for at least this many matching posts
	// ("đủ 2 phó trưởng chính quy"); 0 or 1: one, as Match says.
	AtLeast int
	// BySince orders a list's posts by the day their holders took them:
	// OrderDesc, the latest first ("gần đây nhất"); OrderAsc, the
	// earliest. Posts without a day come last.
	BySince Order
	// Changes asks about the reports (who changed which post when) instead
	// of the posts as they stand: Statuses then match the status a post
	// changed to (from another), and From/To bound the report's time.
	Changes bool
	// Carried, with Changes, counts also the reports a map change wrote
	// when it carried posts to the commune that took over their own
	// (Report.Carried), which change no post: for a post's history.
	Carried bool
	// AsOf asks about the roster as it stood at that moment ("tình hình
	// ngày 31/03/2020", "đầu năm 2021"), from the reports (DB.AsOf); zero:
	// as it stands now.
	AsOf time.Time
	// From and To bound a window, From included and To not: on the
	// reports' time for Changes, otherwise on the day posts' holders took
	// them (a post without that day does not match). Zero: unbounded.
	From, To time.Time
	// Facts narrow the posts to those whose holder has (or, Lacks, has
	// not) what the post's last report says (Details): "đã qua đào tạo",
	// "chưa có quyết định". A vacant post has no holder and matches none.
	Facts []FactCond

	negate bool // set by normal: a row matches when it does not have the statuses
}

// listRows is how many rows a list answer reads when the question sets
// no limit: more than a message can show.
const listRows = 200

// Tally is what a question found in a place or in one group of its
// breakdown.
type Tally struct {
	Code string `db:"code"` // the group's code; empty for a place's whole
	Name string `db:"name"` // the group's name, as in the roster
	// Communes and Posts are those considered (for Changes: those with a
	// matching change, and the changes); CommunesHit and PostsHit those
	// that satisfy the question. A list that fit in its rows counts only
	// the hits.
	Communes    int `db:"communes"`
	CommunesHit int `db:"communes_hit"`
	Posts       int `db:"posts"`
	PostsHit    int `db:"posts_hit"`
}

// add counts o's figures into t.
func (t *Tally) add(o Tally) {
	t.Communes += o.Communes
	t.CommunesHit += o.CommunesHit
	t.Posts += o.Posts
	t.PostsHit += o.PostsHit
}

// Figure is the number a breakdown is ordered by: communes or posts that
// satisfy the question, or their share of those considered.
func (t Tally) figure(q Question) float64 {
	hit, all := t.PostsHit, t.Posts
	if q.Unit == UnitCommunes {
		hit, all = t.CommunesHit, t.Communes
	}
	if q.Measure == MeasureShare {
		if all == 0 {
			return 0
		}
		return float64(hit) / float64(all)
	}
	return float64(hit)
}

// Row is one post (or, for Changes, one change) that a question read.
type Row struct {
	Post
	// Hit says whether the post matches; a commune's answer carries its
	// other posts of the asked kinds too, for the yes/no verdict.
	Hit bool
	// Unreported stands for a post kind of which a xã or thị trấn has no
	// post on record: it counts as one vacant post.
	Unreported   bool
	CommuneName  string
	CommuneType  CommuneType
	DistrictCode string
	DistrictName string
	ProvinceCode string
	Change       *Report // for Changes: the report; Post is then its new state
}

// Result is a question's answer for one of its places.
type Result struct {
	Place Scope
	Total Tally
	// Groups is the breakdown, when the question asks for one, ordered as
	// it asks: all of it, so that a reader of the first can tell ties.
	Groups []Tally
	Rows   []Row // the rows read, when the measure needs them
	// More says the rows were cut at the limit: Total then counts them all.
	More bool
}

// Ask answers a question, one result per place.
func (db *DB) Ask(ctx context.Context, q Question) ([]Result, error) {
	q = q.normal()
	if !q.AsOf.IsZero() {
		db = db.AsOf(q.AsOf)
		if q.Changes && (q.To.IsZero() || q.To.After(q.AsOf)) {
			q.To = q.AsOf
		}
	}
	places := q.Places
	if len(places) == 0 {
		places = []Scope{{}}
	}
	var cnt counter = sqlCounter{db}
	if !q.Changes && len(q.Facts) == 0 {
		// When the posts as they count now are kept in memory, a question
		// costs no query but the look that they are current.
		live, err := db.livePosts(ctx)
		if err != nil {
			return nil, fmt.Errorf("store: ask %s %s: %w", q.Measure, q.Unit, err)
		}
		if live != nil {
			cnt = live
		}
	}
	out := make([]Result, 0, len(places))
	for _, s := range places {
		var r Result
		var err error
		switch {
		case q.Changes && q.negate:
			r, err = db.askUnchanged(ctx, q, s)
		case q.Changes:
			r, err = db.askChanges(ctx, q, s)
		case s.Role == RoleCommune:
			r, err = askCommune(ctx, cnt, q, s)
		default:
			r, err = askArea(ctx, cnt, q, s)
		}
		if err != nil {
			return nil, fmt.Errorf("store: ask %s %s: %w", q.Measure, q.Unit, err)
		}
		r.Place = s
		out = append(out, r)
	}
	return out, nil
}

// normal fills defaults and turns "none of S" into "all of not S", the
// form the queries know.
func (q Question) normal() Question {
	if q.Unit == "" {
		q.Unit = UnitCommunes
	}
	if q.Match == "" {
		q.Match = MatchAny
	}
	if q.Match == MatchNone {
		q.Match, q.negate = MatchAll, true
	}
	return q
}

func (q Question) listed() bool {
	return q.Measure == MeasureList || q.Measure == MeasureHolder || q.Measure == MeasureSince
}

func (q Question) limit() int {
	if q.Limit > 0 {
		return q.Limit
	}
	return listRows
}

// kindMask and statusMask carry a set of kinds or statuses as one
// parameter, so that a query's text does not change with the set.
func kindMask(ks []PostKind) int {
	if len(ks) == 0 {
		return 7
	}
	m := 0
	for _, k := range ks {
		m |= k.bit()
	}
	return m
}

func statusMask(ss []Status) int {
	if len(ss) == 0 {
		return 7
	}
	m := 0
	for _, s := range ss {
		m |= statusBitOf(s)
	}
	return m
}

func typeMask(ts []CommuneType) int {
	if len(ts) == 0 {
		ts = []CommuneType{Xa, ThiTran}
	}
	m := 0
	for _, t := range ts {
		m |= typeBitOf(t)
	}
	return m
}

// statusBitOf and typeBitOf are a status's and a commune type's bits in
// the masks, as statusBit and typeBit give them in SQL.
func statusBitOf(s Status) int {
	switch s {
	case Regular:
		return 1
	case Semi:
		return 2
	case Vacant:
		return 4
	}
	return 0
}

func typeBitOf(t CommuneType) int {
	switch t {
	case Xa:
		return 1
	case ThiTran:
		return 2
	}
	return 4
}

const (
	statusBit = `(CASE %s WHEN 'regular' THEN 1 WHEN 'semi' THEN 2 WHEN 'vacant' THEN 4 ELSE 0 END)`
	kindBit   = `(CASE %s WHEN 'chief' THEN 1 WHEN 'deputy' THEN 2 ELSE 4 END)`
	typeBit   = `(CASE c.type WHEN 'xã' THEN 1 WHEN 'thị trấn' THEN 2 ELSE 4 END)`
	// postKindTable lists each kind with its bit and its place in the
	// order posts are shown.
	postKindTable = `(SELECT 'chief' AS kind, 1 AS bit, 0 AS ord UNION ALL SELECT 'deputy', 2, 1 UNION ALL SELECT 'officer', 4, 2)`
)

// communeWhere restricts communes c (joined with districts d) to the
// place and the question's selection.
func communeWhere(q Question, s Scope, a *args) (string, error) {
	where, err := scopeWhere(s, a)
	if err != nil {
		return "", err
	}
	sel := q.Select
	if s.Role != RoleCommune {
		where += " AND (" + typeBit + " & " + a.add(typeMask(sel.Types)) + ") <> 0"
	}
	if len(sel.Districts) > 0 {
		where += " AND c.district_code IN (" + list(a, sel.Districts) + ")"
	}
	if len(sel.Codes) > 0 {
		where += " AND c.code IN (" + list(a, sel.Codes) + ")"
	}
	if sel.Group != "" {
		where += " AND c.code IN (SELECT commune_code FROM commune_groups WHERE group_name = " + a.add(sel.Group) + ")"
	}
	if sel.ExceptGroup != "" {
		where += " AND c.code NOT IN (SELECT commune_code FROM commune_groups WHERE group_name = " + a.add(sel.ExceptGroup) + ")"
	}
	return where, nil
}

// postRows is the relation every question over posts reads: a row per
// post of the asked kinds in the place's communes, and an unreported row
// for each asked kind a xã or thị trấn has no post of; hit is 1 when the
// row's status (and holder's day, for a window) match, or for "none"
// when they do not; for people, only a held post matches.
func (db *DB) postRows(q Question, s Scope, a *args) (string, error) {
	status := fmt.Sprintf(statusBit, "COALESCE(p.status, 'vacant')")
	hit := "((" + status + " & " + a.add(statusMask(q.Statuses)) + ") <> 0"
	if !q.From.IsZero() {
		hit += " AND p.since >= " + a.add(q.From.Format(dateLayout))
	}
	if !q.To.IsZero() {
		hit += " AND p.since < " + a.add(q.To.Format(dateLayout))
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		// A post without a day is outside every window: false, not NULL,
		// so that its negation holds.
		hit += " AND p.since IS NOT NULL"
	}
	for _, f := range q.Facts {
		hit += " AND " + status + " <> 4 AND " + f.sql()
	}
	hit += ")"
	if q.negate {
		hit = "NOT " + hit
	}
	if q.Unit == UnitPeople {
		hit = status + " <> 4 AND " + hit
	}
	kinds := a.add(kindMask(q.Kinds))
	where, err := communeWhere(q, s, a)
	if err != nil {
		return "", err
	}
	return `SELECT c.code AS commune_code, c.district_code, d.province_code, k.kind, k.ord,
			COALESCE(p.slot, 1) AS slot, COALESCE(p.status, 'vacant') AS status, COALESCE(p.holder, '') AS holder, p.since,
			CASE WHEN p.kind IS NULL THEN 1 ELSE 0 END AS unreported,
			CASE WHEN ` + hit + ` THEN 1 ELSE 0 END AS hit,
			c.name AS commune_name, c.type AS commune_type, d.name AS district_name
		FROM ` + db.communesTable(a) + ` c JOIN ` + db.districtsTable(a) + ` d ON d.code = c.district_code
		JOIN ` + postKindTable + ` k ON (k.bit & ` + kinds + `) <> 0
		LEFT JOIN ` + db.countedPostsTable(a, s) + ` p ON p.commune_code = c.code AND p.kind = k.kind
		WHERE ` + where + ` AND (p.kind IS NOT NULL OR c.type <> 'phường')`, nil
}

// matchCond is the condition on a commune's rows (grouped) for it to count.
func matchCond(q Question) string {
	cond := "sum(hit) > 0"
	if q.Match == MatchAll {
		cond = "sum(hit) = count(*)"
	}
	if q.AtLeast > 1 {
		cond += " AND sum(hit) >= " + strconv.Itoa(q.AtLeast)
	}
	return cond
}

// row is a Row as both drivers scan it.
type row struct {
	postRow
	Ord          int         `db:"ord"`
	ProvinceCode string      `db:"province_code"`
	DistrictCode string      `db:"district_code"`
	Unreported   bool        `db:"unreported"`
	Hit          bool        `db:"hit"`
	CommuneName  string      `db:"commune_name"`
	CommuneType  CommuneType `db:"commune_type"`
	DistrictName string      `db:"district_name"`
}

func rowsOf(found []row) ([]Row, error) {
	out := make([]Row, 0, len(found))
	for _, r := range found {
		p, err := r.post()
		if err != nil {
			return nil, err
		}
		out = append(out, Row{Post: p, Hit: r.Hit, Unreported: r.Unreported, CommuneName: r.CommuneName, CommuneType: r.CommuneType,
			DistrictCode: r.DistrictCode, DistrictName: r.DistrictName, ProvinceCode: r.ProvinceCode})
	}
	return out, nil
}

// counter reads the posts a question is about and counts them: in SQL
// (sqlCounter), for the store as it is now or at any moment, or over the
// posts kept in memory (liveRoster), as they count now. Both keep to
// postRows's definition; askCommune and askArea build answers from
// either alike.
type counter interface {
	// communeRows is one commune's rows, by kind order and slot.
	communeRows(ctx context.Context, q Question, s Scope) ([]Row, error)
	// listRows is the first n matching rows of the place, of communes
	// that satisfy the question when communes are asked, in a list's
	// order: by district, commune, kind order and slot, or by the
	// holder's day first when q.BySince says.
	listRows(ctx context.Context, q Question, s Scope, n int) ([]Row, error)
	// tallyRows counts the question's rows in the place, by level; a
	// group for each province, district or commune with rows, in no
	// order; for level "", one row, none when nothing matched.
	tallyRows(ctx context.Context, q Question, s Scope, level Level) ([]Tally, error)
	// countCommunes counts the communes the question selects in the
	// place, posts or not, by level, as tallyRows.
	countCommunes(ctx context.Context, q Question, s Scope, level Level) ([]Tally, error)
}

// sqlCounter is counter in SQL, over the view's moment.
type sqlCounter struct{ db *DB }

func (c sqlCounter) communeRows(ctx context.Context, q Question, s Scope) ([]Row, error) {
	db := c.db
	var a args
	rows, err := db.postRows(q, s, &a)
	if err != nil {
		return nil, err
	}
	var found []row
	if err := db.selectPrepared(ctx, nil, &found, `SELECT * FROM (`+rows+`) r ORDER BY ord, slot`, a...); err != nil {
		return nil, err
	}
	return rowsOf(found)
}

// askCommune reads one commune's posts of the asked kinds and counts them
// here: a handful of rows.
func askCommune(ctx context.Context, cnt counter, q Question, s Scope) (Result, error) {
	all, err := cnt.communeRows(ctx, q, s)
	if err != nil {
		return Result{}, err
	}
	t := Tally{Posts: len(all)}
	for _, r := range all {
		if r.Hit {
			t.PostsHit++
		}
	}
	if len(all) > 0 {
		t.Communes = 1
		if t.PostsHit > 0 && (q.Match == MatchAny || t.PostsHit == t.Posts) && t.PostsHit >= q.AtLeast {
			t.CommunesHit = 1
		}
	}
	res := Result{Total: t, Rows: all}
	if q.Group == LevelCommune && len(all) > 0 {
		t.Code, t.Name = s.Code, all[0].CommuneName
		res.Groups = []Tally{t}
	}
	return res, nil
}

// askArea answers for a district, a province or the whole roster: lists
// read their first rows, everything else is counted in SQL.
func askArea(ctx context.Context, cnt counter, q Question, s Scope) (Result, error) {
	if q.listed() {
		res, err := listArea(ctx, cnt, q, s)
		if err != nil || !res.More {
			return res, err
		}
		// The list was cut: count it all.
		t, err := tally(ctx, cnt, q, s, "")
		if err != nil {
			return Result{}, err
		}
		res.Total = t[0]
		return res, nil
	}
	if q.Group != "" {
		// The groups part the place: its whole is their sum, one query
		// fewer.
		groups, err := tally(ctx, cnt, q, s, q.Group)
		if err != nil {
			return Result{}, err
		}
		var total Tally
		for _, g := range groups {
			total.add(g)
		}
		q.sortGroups(groups)
		return Result{Total: total, Groups: groups}, nil
	}
	total, err := tally(ctx, cnt, q, s, "")
	if err != nil {
		return Result{}, err
	}
	return Result{Total: total[0]}, nil
}

// listArea reads the first rows of a list: the matching posts, of the
// communes that satisfy the question when communes are asked.
func listArea(ctx context.Context, cnt counter, q Question, s Scope) (Result, error) {
	limit := q.limit()
	all, err := cnt.listRows(ctx, q, s, limit+1)
	if err != nil {
		return Result{}, err
	}
	res := Result{Rows: all}
	if len(all) > limit {
		// The last commune read may lack posts the cut left behind.
		last := all[limit].CommuneCode
		res.Rows = all[:limit]
		if q.Unit == UnitCommunes && q.BySince == "" {
			for len(res.Rows) > 0 && res.Rows[len(res.Rows)-1].CommuneCode == last {
				res.Rows = res.Rows[:len(res.Rows)-1]
			}
		}
		res.More = true
		return res, nil
	}
	communes := make(map[string]bool)
	for _, r := range all {
		communes[r.CommuneCode] = true
	}
	res.Total = Tally{CommunesHit: len(communes), PostsHit: len(all)}
	return res, nil
}

func (c sqlCounter) listRows(ctx context.Context, q Question, s Scope, n int) ([]Row, error) {
	db := c.db
	var a args
	rows, err := db.postRows(q, s, &a)
	if err != nil {
		return nil, err
	}
	where := "r.hit = 1"
	if q.Unit == UnitCommunes {
		where += " AND r.commune_code IN (SELECT commune_code FROM r GROUP BY commune_code HAVING " + matchCond(q) + ")"
	}
	order := "district_code, commune_code, ord, slot"
	switch q.BySince {
	case OrderDesc:
		order = "CASE WHEN since IS NULL THEN 1 ELSE 0 END, since DESC, " + order
	case OrderAsc:
		order = "CASE WHEN since IS NULL THEN 1 ELSE 0 END, since, " + order
	}
	// Materialised: under a LIMIT, Postgres's generic plan had walked the
	// communes in code order, the list's order, filtering every commune
	// of the country.
	text := `WITH r AS MATERIALIZED (` + rows + `) SELECT * FROM r WHERE ` + where +
		` ORDER BY ` + order + ` LIMIT ` + a.add(n)
	var found []row
	if err := db.selectPrepared(ctx, nil, &found, text, a...); err != nil {
		return nil, err
	}
	return rowsOf(found)
}

// tally counts the question in the place, as a whole (level "") or by
// province, district or commune.
func tally(ctx context.Context, cnt counter, q Question, s Scope, level Level) ([]Tally, error) {
	out, err := cnt.tallyRows(ctx, q, s, level)
	if err != nil {
		return nil, err
	}
	if level == "" && len(out) == 0 {
		out = []Tally{{}}
	}
	if q.Unit == UnitCommunes && len(q.Kinds) == 0 && len(q.Statuses) == 0 && !q.negate && q.AtLeast < 2 &&
		q.From.IsZero() && q.To.IsZero() && len(q.Facts) == 0 {
		// "có bao nhiêu xã, phường": every unit counts, posts or not.
		units, err := cnt.countCommunes(ctx, q, s, level)
		if err != nil {
			return nil, err
		}
		byCode := make(map[string]int, len(out))
		for i, t := range out {
			byCode[t.Code] = i
		}
		for _, u := range units {
			i, ok := byCode[u.Code]
			if !ok {
				out = append(out, u)
				continue
			}
			out[i].Communes, out[i].CommunesHit = u.Communes, u.CommunesHit
		}
	}
	return out, nil
}

func (c sqlCounter) tallyRows(ctx context.Context, q Question, s Scope, level Level) ([]Tally, error) {
	db := c.db
	var a args
	rows, err := db.postRows(q, s, &a)
	if err != nil {
		return nil, err
	}
	key, join, group := groupByLevel(level, levelColumns{"x.province_code", "x.district_code", "x.district_name", "x.commune_code", "x.commune_name"})
	text := `SELECT ` + key + `, count(*) AS communes, COALESCE(sum(x.ch), 0) AS communes_hit,
			COALESCE(sum(x.total), 0) AS posts, COALESCE(sum(x.hit), 0) AS posts_hit
		FROM (SELECT commune_code, commune_name, district_code, district_name, province_code,
				count(*) AS total, sum(hit) AS hit, CASE WHEN ` + matchCond(q) + ` THEN 1 ELSE 0 END AS ch
			FROM (` + rows + `) r GROUP BY commune_code, commune_name, district_code, district_name, province_code) x` + join + group
	var out []Tally
	if err := db.selectPrepared(ctx, nil, &out, text, a...); err != nil {
		return nil, err
	}
	if level == "" && len(out) == 1 && out[0].Communes == 0 {
		out = nil // no row matched: the aggregate's empty row
	}
	return out, nil
}

// levelColumns name, in a query, the codes and names a tally groups by.
type levelColumns struct{ province, district, districtName, commune, communeName string }

// groupByLevel is the select key (code, name), the join for a province's
// name and the GROUP BY of a tally at level; one row for the whole place
// when level is "".
func groupByLevel(level Level, c levelColumns) (key, join, group string) {
	switch level {
	case LevelProvince:
		return c.province + " AS code, pv.name AS name", " JOIN provinces pv ON pv.code = " + c.province, " GROUP BY " + c.province + ", pv.name"
	case LevelDistrict:
		return c.district + " AS code, " + c.districtName + " AS name", "", " GROUP BY " + c.district + ", " + c.districtName
	case LevelCommune:
		return c.commune + " AS code, " + c.communeName + " AS name", "", " GROUP BY " + c.commune + ", " + c.communeName
	}
	return "'' AS code, '' AS name", "", ""
}

// countCommunes counts the communes of a place, as a whole or by
// province, district or commune.
func (c sqlCounter) countCommunes(ctx context.Context, q Question, s Scope, level Level) ([]Tally, error) {
	db := c.db
	var a args
	where, err := communeWhere(q, s, &a)
	if err != nil {
		return nil, err
	}
	key, join, group := groupByLevel(level, levelColumns{"d.province_code", "d.code", "d.name", "c.code", "c.name"})
	text := `SELECT ` + key + `, count(*) AS communes, count(*) AS communes_hit, 0 AS posts, 0 AS posts_hit
		FROM ` + db.communesTable(&a) + ` c JOIN ` + db.districtsTable(&a) + ` d ON d.code = c.district_code` + join + ` WHERE ` + where + group
	var out []Tally
	if err := db.selectPrepared(ctx, nil, &out, text, a...); err != nil {
		return nil, err
	}
	if level == "" && len(out) == 0 {
		out = []Tally{{}}
	}
	return out, nil
}

// sortGroups orders a breakdown as the question asks and cuts it to its
// limit; without an order, by code.
func (q Question) sortGroups(gs []Tally) {
	sort.SliceStable(gs, func(i, j int) bool {
		fi, fj := gs[i].figure(q), gs[j].figure(q)
		switch {
		case q.Order == OrderDesc && fi != fj:
			return fi > fj
		case q.Order == OrderAsc && fi != fj:
			return fi < fj
		}
		return gs[i].Code < gs[j].Code
	})
}

// changeWhere restricts reports r (joined with communes c and districts
// d) to the place, the window, the kinds and, when statuses are asked,
// the changes into one of them from another. A commune's reports are its
// own and those of the communes it took over (lineage): its history does
// not end where the map changed.
func (db *DB) changeWhere(ctx context.Context, q Question, s Scope, a *args) (string, error) {
	if s.Role == RoleCommune {
		codes, err := db.lineage(ctx, s.Code)
		if err != nil {
			return "", err
		}
		if len(codes) > 1 {
			return "c.code IN (" + list(a, codes) + ") AND " + changeConds(q, a), nil
		}
	}
	where, err := communeWhere(q, s, a)
	if err != nil {
		return "", err
	}
	return where + " AND " + changeConds(q, a), nil
}

// changeConds is changeWhere's conditions on the report alone.
func changeConds(q Question, a *args) string {
	from, to := q.From, q.To
	if from.IsZero() {
		from = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if to.IsZero() {
		to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	where := "r.at >= " + a.add(utc(from)) + " AND r.at < " + a.add(utc(to))
	if !q.Carried {
		where += " AND r.carried = ''"
	}
	where += " AND (" + fmt.Sprintf(kindBit, "r.kind") + " & " + a.add(kindMask(q.Kinds)) + ") <> 0"
	if len(q.Statuses) > 0 {
		m := statusMask(q.Statuses)
		where += " AND (" + fmt.Sprintf(statusBit, "r.new_status") + " & " + a.add(m) + ") <> 0"
		where += " AND (" + fmt.Sprintf(statusBit, "r.old_status") + " & " + a.add(m) + ") = 0"
	}
	if q.Unit == UnitPeople {
		where += " AND r.new_holder <> ''"
	}
	return where
}

// askUnchanged answers for the communes without a matching change ("xã
// nào chưa báo cáo tuần này"): listed by district and code, or counted.
func (db *DB) askUnchanged(ctx context.Context, q Question, s Scope) (Result, error) {
	var a args
	where, err := communeWhere(q, s, &a)
	if err != nil {
		return Result{}, err
	}
	where += " AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.commune_code = c.code AND " + changeConds(q, &a) + ")"
	from := ` FROM ` + db.communesTable(&a) + ` c JOIN ` + db.districtsTable(&a) + ` d ON d.code = c.district_code WHERE ` + where
	var res Result
	if q.listed() {
		limit := q.limit()
		var found []struct {
			CommuneCode  string      `db:"commune_code"`
			CommuneName  string      `db:"commune_name"`
			CommuneType  CommuneType `db:"commune_type"`
			DistrictCode string      `db:"district_code"`
			DistrictName string      `db:"district_name"`
			ProvinceCode string      `db:"province_code"`
		}
		text := `SELECT c.code AS commune_code, c.name AS commune_name, c.type AS commune_type, d.code AS district_code,
				d.name AS district_name, d.province_code` + from + ` ORDER BY d.code, c.code LIMIT ` + a.add(limit+1)
		if err := db.selectPrepared(ctx, nil, &found, text, a...); err != nil {
			return Result{}, err
		}
		if len(found) > limit {
			found, res.More = found[:limit], true
		}
		for _, f := range found {
			res.Rows = append(res.Rows, Row{Post: Post{CommuneCode: f.CommuneCode}, Hit: true, CommuneName: f.CommuneName,
				CommuneType: f.CommuneType, DistrictCode: f.DistrictCode, DistrictName: f.DistrictName, ProvinceCode: f.ProvinceCode})
		}
		res.Total = Tally{CommunesHit: len(res.Rows)}
		if !res.More {
			return res, nil
		}
	}
	key, join, group := "'' AS code, '' AS name", "", ""
	switch q.Group {
	case LevelProvince:
		key, join, group = "d.province_code AS code, pv.name AS name", " JOIN provinces pv ON pv.code = d.province_code", " GROUP BY d.province_code, pv.name"
	case LevelDistrict:
		key, group = "d.code AS code, d.name AS name", " GROUP BY d.code, d.name"
	}
	var b args
	where, err = communeWhere(q, s, &b)
	if err != nil {
		return Result{}, err
	}
	text := `SELECT ` + key + `, count(*) AS communes,
			COALESCE(sum(CASE WHEN NOT EXISTS (SELECT 1 FROM reports r WHERE r.commune_code = c.code AND ` + changeConds(q, &b) + `)
				THEN 1 ELSE 0 END), 0) AS communes_hit,
			0 AS posts, 0 AS posts_hit
		FROM ` + db.communesTable(&b) + ` c JOIN ` + db.districtsTable(&b) + ` d ON d.code = c.district_code` + join + ` WHERE ` + where + group
	var out []Tally
	if err := db.selectPrepared(ctx, nil, &out, text, b...); err != nil {
		return Result{}, err
	}
	if q.Group == "" || q.listed() {
		if len(out) > 0 {
			res.Total = out[0]
		}
		return res, nil
	}
	for _, t := range out {
		res.Total.Communes += t.Communes
		res.Total.CommunesHit += t.CommunesHit
	}
	res.Groups = out
	q.sortGroups(res.Groups)
	return res, nil
}

// askChanges answers a question about the reports: counts in SQL, lists
// newest first.
func (db *DB) askChanges(ctx context.Context, q Question, s Scope) (Result, error) {
	var a args
	where, err := db.changeWhere(ctx, q, s, &a)
	if err != nil {
		return Result{}, err
	}
	from := ` FROM reports r JOIN communes c ON c.code = r.commune_code JOIN districts d ON d.code = c.district_code WHERE ` + where
	if q.listed() {
		limit := q.limit()
		text := `SELECT ` + reportColumns + `, c.name AS commune_name, c.type AS commune_type, d.code AS district_code,
				d.name AS district_name, d.province_code` + from + ` ORDER BY r.at DESC, r.id DESC LIMIT ` + a.add(limit+1)
		var found []struct {
			reportRow
			CommuneName  string      `db:"commune_name"`
			CommuneType  CommuneType `db:"commune_type"`
			DistrictCode string      `db:"district_code"`
			DistrictName string      `db:"district_name"`
			ProvinceCode string      `db:"province_code"`
		}
		if err := db.selectPrepared(ctx, nil, &found, text, a...); err != nil {
			return Result{}, err
		}
		var res Result
		if len(found) > limit {
			found, res.More = found[:limit], true
		}
		raw := make([]reportRow, len(found))
		for i, f := range found {
			raw[i] = f.reportRow
		}
		reps, err := db.reportsOf(raw)
		if err != nil {
			return Result{}, err
		}
		communes := make(map[string]bool)
		for i, f := range found {
			rep := reps[i]
			res.Rows = append(res.Rows, Row{
				Post: Post{CommuneCode: rep.CommuneCode, Kind: rep.Kind, Slot: rep.Slot, Status: rep.NewStatus, Holder: rep.NewHolder, Since: rep.Since},
				Hit:  true, CommuneName: f.CommuneName, CommuneType: f.CommuneType, DistrictCode: f.DistrictCode,
				DistrictName: f.DistrictName, ProvinceCode: f.ProvinceCode, Change: &rep,
			})
			communes[rep.CommuneCode] = true
		}
		res.Total = Tally{Communes: len(communes), CommunesHit: len(communes), Posts: len(res.Rows), PostsHit: len(res.Rows)}
		if !res.More {
			return res, nil
		}
		t, err := db.changeTally(ctx, q, s, "")
		if err != nil {
			return Result{}, err
		}
		res.Total = t[0]
		return res, nil
	}
	total, err := db.changeTally(ctx, q, s, "")
	if err != nil {
		return Result{}, err
	}
	res := Result{Total: total[0]}
	if q.Group != "" {
		if res.Groups, err = db.changeTally(ctx, q, s, q.Group); err != nil {
			return Result{}, err
		}
		q.sortGroups(res.Groups)
	}
	return res, nil
}

// changeTally counts the matching changes and the communes they are in.
func (db *DB) changeTally(ctx context.Context, q Question, s Scope, level Level) ([]Tally, error) {
	var a args
	where, err := db.changeWhere(ctx, q, s, &a)
	if err != nil {
		return nil, err
	}
	key, join, group := groupByLevel(level, levelColumns{"d.province_code", "d.code", "d.name", "c.code", "c.name"})
	text := `SELECT ` + key + `, count(DISTINCT r.commune_code) AS communes, count(DISTINCT r.commune_code) AS communes_hit,
			count(*) AS posts, count(*) AS posts_hit
		FROM reports r JOIN communes c ON c.code = r.commune_code JOIN districts d ON d.code = c.district_code` + join + `
		WHERE ` + where + group
	var out []Tally
	if err := db.selectPrepared(ctx, nil, &out, text, a...); err != nil {
		return nil, err
	}
	if level == "" && len(out) == 0 {
		out = []Tally{{}}
	}
	return out, nil
}

// String writes the question in one line, for logs and test failures.
func (q Question) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s kinds=%v statuses=%v match=%s", q.Measure, q.Unit, q.Kinds, q.Statuses, q.Match)
	for _, f := range q.Facts {
		fmt.Fprintf(&b, " fact=%s lacks=%v", f.Fact, f.Lacks)
	}
	for _, p := range q.Places {
		fmt.Fprintf(&b, " place=%s:%s", p.Role, p.Code)
	}
	if q.Group != "" {
		fmt.Fprintf(&b, " group=%s", q.Group)
	}
	if q.Order != "" {
		fmt.Fprintf(&b, " order=%s", q.Order)
	}
	if q.Limit > 0 {
		fmt.Fprintf(&b, " limit=%d", q.Limit)
	}
	if q.Changes {
		b.WriteString(" changes")
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		fmt.Fprintf(&b, " window=%s..%s", q.From.Format(dateLayout), q.To.Format(dateLayout))
	}
	return b.String()
}
