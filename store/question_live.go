package store

import (
	"cmp"
	"context"
	"slices"
)

// liveRoster is a counter over the posts kept in memory: postRows,
// matchCond and the queries of sqlCounter, written as loops. Every
// question asked of both must get the same answer
// (TestLiveCounterMatchesSQL).

// liveQuestion is a question with its sets as masks and its window's
// bounds as days, worked out once per question.
type liveQuestion struct {
	Question
	kinds, statuses, types int
	from, to               int32 // dayNumber; noDay when unbounded
}

func newLiveQuestion(q Question) liveQuestion {
	lq := liveQuestion{Question: q, kinds: kindMask(q.Kinds), statuses: statusMask(q.Statuses), types: typeMask(q.Select.Types),
		from: noDay, to: noDay}
	if !q.From.IsZero() {
		lq.from = dayNumber(q.From)
	}
	if !q.To.IsZero() {
		lq.to = dayNumber(q.To)
	}
	return lq
}

// liveRow is a row of postRows: a post, or (p nil) the unreported post of
// a kind the commune has none of.
type liveRow struct {
	c    *liveCommune
	p    *livePost
	kind PostKind
	hit  bool
}

// hit is postRows's hit for a post (nil: unreported, vacant, no day).
func (q liveQuestion) hit(p *livePost) bool {
	status, day := Vacant, int32(noDay)
	if p != nil {
		status, day = statusByIndex[p.status], p.day
	}
	ok := statusBitOf(status)&q.statuses != 0
	if q.from != noDay || q.to != noDay {
		ok = ok && day != noDay && (q.from == noDay || day >= q.from) && (q.to == noDay || day < q.to)
	}
	if q.negate {
		ok = !ok
	}
	if q.Unit == UnitPeople {
		ok = status != Vacant && ok
	}
	return ok
}

// rows appends the commune's rows of the asked kinds to buf.
func (q liveQuestion) rows(c *liveCommune, buf []liveRow) []liveRow {
	posts := *c.posts.Load()
	i := 0
	for ord, k := range PostKinds {
		start := i
		for i < len(posts) && int(posts[i].kind) == ord {
			i++
		}
		if k.bit()&q.kinds == 0 {
			continue
		}
		if start == i {
			if c.typ != Phuong {
				buf = append(buf, liveRow{c: c, kind: k, hit: q.hit(nil)})
			}
			continue
		}
		for j := start; j < i; j++ {
			buf = append(buf, liveRow{c: c, p: &posts[j], kind: k, hit: q.hit(&posts[j])})
		}
	}
	return buf
}

// hitsOf counts the rows that match.
func hitsOf(rows []liveRow) int {
	n := 0
	for _, r := range rows {
		if r.hit {
			n++
		}
	}
	return n
}

// satisfied is matchCond over a commune's rows.
func (q liveQuestion) satisfied(total, hit int) bool {
	ok := hit > 0
	if q.Match == MatchAll {
		ok = hit == total
	}
	if q.AtLeast > 1 {
		ok = ok && hit >= q.AtLeast
	}
	return ok
}

// selected are the communes communeWhere selects in the place, in the list's
// order (district code, then code).
func (v *liveRoster) selected(q liveQuestion, s Scope, yield func(*liveCommune)) {
	sel := q.Select
	for _, c := range v.inScope(s) {
		switch {
		case s.Role != RoleCommune && typeBitOf(c.typ)&q.types == 0,
			len(sel.Districts) > 0 && !slices.Contains(sel.Districts, c.district),
			len(sel.Codes) > 0 && !slices.Contains(sel.Codes, c.code),
			sel.Group != "" && !v.groups[sel.Group][c.code],
			sel.ExceptGroup != "" && v.groups[sel.ExceptGroup][c.code]:
			continue
		}
		yield(c)
	}
}

func (r liveRow) row() Row {
	out := Row{Hit: r.hit, CommuneName: r.c.name, CommuneType: r.c.typ, DistrictCode: r.c.district, DistrictName: r.c.districtName,
		ProvinceCode: r.c.province}
	if r.p == nil {
		out.Post = Post{CommuneCode: r.c.code, Kind: r.kind, Slot: 1, Status: Vacant}
		out.Unreported = true
	} else {
		out.Post = r.p.post(r.c.code)
	}
	return out
}

func (v *liveRoster) communeRows(_ context.Context, q Question, s Scope) ([]Row, error) {
	lq := newLiveQuestion(q)
	var rows []liveRow
	v.selected(lq, s, func(c *liveCommune) { rows = lq.rows(c, rows) })
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = r.row()
	}
	return out, nil
}

func (v *liveRoster) listRows(_ context.Context, q Question, s Scope, n int) ([]Row, error) {
	lq := newLiveQuestion(q)
	var hits, buf []liveRow
	v.selected(lq, s, func(c *liveCommune) {
		if q.BySince == "" && len(hits) >= n {
			return // the list's order is the walk's: the rest is cut
		}
		buf = lq.rows(c, buf[:0])
		if q.Unit == UnitCommunes && !lq.satisfied(len(buf), hitsOf(buf)) {
			return
		}
		for _, r := range buf {
			if r.hit {
				hits = append(hits, r)
			}
		}
	})
	if q.BySince != "" {
		// Posts without a day last, then by day, then in the walk's order.
		slices.SortStableFunc(hits, func(a, b liveRow) int {
			da, db := int32(noDay), int32(noDay)
			if a.p != nil {
				da = a.p.day
			}
			if b.p != nil {
				db = b.p.day
			}
			if (da == noDay) != (db == noDay) {
				if da == noDay {
					return 1
				}
				return -1
			}
			if q.BySince == OrderDesc {
				return cmp.Compare(db, da)
			}
			return cmp.Compare(da, db)
		})
	}
	hits = hits[:min(n, len(hits))]
	out := make([]Row, len(hits))
	for i, r := range hits {
		out[i] = r.row()
	}
	return out, nil
}

// groupOf is a commune's group at level: its code and name.
func (v *liveRoster) groupOf(c *liveCommune, level Level) (string, string) {
	switch level {
	case LevelProvince:
		return c.province, v.provinces[c.province]
	case LevelDistrict:
		return c.district, c.districtName
	case LevelCommune:
		return c.code, c.name
	}
	return "", ""
}

// grouped sums what add gives for each commune into groups at level, in
// the order groups first appear.
func (v *liveRoster) grouped(level Level, each func(yield func(*liveCommune, Tally))) []Tally {
	var out []Tally
	index := make(map[string]int)
	each(func(c *liveCommune, t Tally) {
		code, name := v.groupOf(c, level)
		i, ok := index[code]
		if !ok {
			i = len(out)
			index[code] = i
			out = append(out, Tally{Code: code, Name: name})
		}
		out[i].add(t)
	})
	return out
}

func (v *liveRoster) tallyRows(_ context.Context, q Question, s Scope, level Level) ([]Tally, error) {
	lq := newLiveQuestion(q)
	var buf []liveRow
	return v.grouped(level, func(yield func(*liveCommune, Tally)) {
		v.selected(lq, s, func(c *liveCommune) {
			buf = lq.rows(c, buf[:0])
			if len(buf) == 0 {
				return
			}
			t := Tally{Communes: 1, Posts: len(buf), PostsHit: hitsOf(buf)}
			if lq.satisfied(t.Posts, t.PostsHit) {
				t.CommunesHit = 1
			}
			yield(c, t)
		})
	}), nil
}

func (v *liveRoster) countCommunes(_ context.Context, q Question, s Scope, level Level) ([]Tally, error) {
	lq := newLiveQuestion(q)
	out := v.grouped(level, func(yield func(*liveCommune, Tally)) {
		v.selected(lq, s, func(c *liveCommune) { yield(c, Tally{Communes: 1, CommunesHit: 1}) })
	})
	if level == "" && len(out) == 0 {
		out = []Tally{{}}
	}
	return out, nil
}

// inScope are the communes of the place (scopeWhere), in the walk's order.
func (v *liveRoster) inScope(s Scope) []*liveCommune {
	switch s.Role {
	case "", RoleNational:
		return v.communes
	case RoleProvince:
		return v.byProvince[s.Code]
	case RoleDistrict:
		return v.byDistrict[s.Code]
	case RoleCommune:
		if c := v.byCode[s.Code]; c != nil {
			return []*liveCommune{c}
		}
	}
	return nil
}

// countPosts is CountPosts over the posts kept in memory: by commune and
// kind of the milestone's, the posts and those at its target, for each
// commune with such posts.
func (v *liveRoster) countPosts(s Scope, m Milestone) PostCounts {
	out := make(PostCounts)
	target := m.target()
	for _, c := range v.inScope(s) {
		for _, p := range *c.posts.Load() {
			kind := PostKinds[p.kind]
			if !slices.Contains(m.Posts, kind) {
				continue
			}
			kc := out[c.code][kind]
			kc.Posts++
			if statusByIndex[p.status] == target {
				kc.AtTarget++
			}
			out.add(c.code, kind, kc)
		}
	}
	return out
}

// unverified is UnverifiedCounts over the posts kept in memory.
func (v *liveRoster) unverified(s Scope) StatusCounts {
	out := make(StatusCounts)
	for _, c := range v.inScope(s) {
		w := c.waiting.Load()
		if w == nil {
			continue
		}
		n := new([3][3]int)
		for _, p := range *w {
			n[p.kind][p.status]++
		}
		out[c.code] = n
	}
	return out
}

// countStatuses is CountStatuses over the posts kept in memory: a row for
// each commune of the place with posts.
func (v *liveRoster) countStatuses(s Scope) StatusCounts {
	out := make(StatusCounts)
	for _, c := range v.inScope(s) {
		posts := *c.posts.Load()
		if len(posts) == 0 {
			continue
		}
		n := new([3][3]int)
		for _, p := range posts {
			n[p.kind][p.status]++
		}
		out[c.code] = n
	}
	return out
}

// communePosts is Posts of one commune, when memory holds them as the
// posts table has them: posts count as the table has them but for one
// waiting for its check (countedPostsTable), so a commune with such a
// post is not served, nor a commune off the map, which is not kept; ok
// is false for both.
func (v *liveRoster) communePosts(code string) (out []Post, ok bool) {
	c := v.byCode[code]
	if c == nil || c.waiting.Load() != nil {
		return nil, false
	}
	posts := *c.posts.Load()
	out = make([]Post, len(posts))
	for i := range posts {
		out[i] = posts[i].post(code)
	}
	return out, true
}

// rawStatus is the posts table's status of a post kept in memory; "" for
// none.
func (v *liveRoster) rawStatus(commune string, kind PostKind, slot int) Status {
	c := v.byCode[commune]
	if c == nil {
		return ""
	}
	k := uint8(kindIndex(kind))
	for _, p := range *c.posts.Load() {
		if p.kind == k && int(p.slot) == slot {
			return statusByIndex[p.raw]
		}
	}
	return ""
}
