package bot

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// upperFirst capitalises a sentence's first letter: "xã Tân Lập" opens a
// sentence as "Xã Tân Lập".
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// lowerFirst writes a unit's name inside a sentence: "huyện Lạc Sơn".
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// postKind names a post kind in a commune of type ct (Printer.Post):
// "Trưởng Công an xã", "Phó Trưởng Công an thị trấn"; an empty type is
// xã, as in figures over many communes.
func postKind(p *locales.Printer, k store.PostKind, ct store.CommuneType) string {
	if ct == "" {
		ct = store.Xa
	}
	return p.Post(string(k), string(ct), 0)
}

// postSlot names one post: "Phó Trưởng Công an xã 2" when the commune
// has more than one of the kind.
func postSlot(p *locales.Printer, k store.PostKind, slot int, numbered bool, ct store.CommuneType) string {
	if ct == "" {
		ct = store.Xa
	}
	if !numbered {
		slot = 0
	}
	return p.Post(string(k), string(ct), slot)
}

// postName names a post of a commune of type unit: "Trưởng Công an thị
// trấn", "Công an viên 2". The slot is numbered when the commune has
// more than one post of the kind; of is how many it has, 0 when not
// known, and then a slot after the first is numbered.
func postName(p *locales.Printer, kind store.PostKind, unit store.CommuneType, slot, of int) string {
	return postSlot(p, kind, slot, of > 1 || slot > 1, unit)
}

// kindCounts counts a commune's posts of each kind.
func kindCounts(posts []store.Post) map[store.PostKind]int {
	n := make(map[store.PostKind]int)
	for _, po := range posts {
		n[po.Kind]++
	}
	return n
}

// kindsText names the posts a question asks about: "Trưởng, Phó Trưởng
// Công an xã"; "" for all.
func kindsText(p *locales.Printer, kinds []store.PostKind, ct store.CommuneType) string {
	var out []string
	for _, k := range kinds {
		out = append(out, postKind(p, k, ct))
	}
	return strings.Join(out, ", ")
}

// statusText names statuses: "bán chuyên trách hoặc khuyết".
func statusText(p *locales.Printer, ss []store.Status) string {
	var out []string
	for _, s := range ss {
		out = append(out, p.T("status."+string(s)))
	}
	return strings.Join(out, p.T("ask.or"))
}

// unitNoun is what is counted, for a count of n: "xã", "vị trí",
// "người" ("commune", "communes"); communes take the types asked about
// ("phường", "xã, phường").
func unitNoun(p *locales.Printer, u store.Unit, types []store.CommuneType, n int) string {
	switch u {
	case store.UnitPosts:
		return p.Noun("ask.unit.posts", n)
	case store.UnitPeople:
		return p.Noun("ask.unit.people", n)
	}
	switch {
	case len(types) == 1:
		return p.Noun("ask.unit."+string(types[0]), n)
	case slices.Contains(types, store.Phuong):
		return p.Noun("ask.unit.communes_wards", n)
	}
	return p.Noun("ask.unit.communes", n)
}

// postsPredicate is what the posts counted are, after their kind:
// "chưa có Công an chính quy", "khuyết" ("held by semi-professional
// staff"), or "" for any; with the window of their holders' appointment
// when the question has one.
func postsPredicate(p *locales.Printer, q store.Question, negated bool) string {
	ss := q.Statuses
	var s string
	switch {
	case negated && slices.Equal(ss, []store.Status{store.Semi, store.Vacant}):
		s = p.T("ask.pred.posts.lacking")
	case len(ss) > 0:
		var out []string
		for _, st := range ss {
			out = append(out, p.T("ask.pred.posts."+string(st)))
		}
		s = strings.Join(out, p.T("ask.or"))
	}
	return strings.Join(strings.Fields(s+" "+factsCond(p, q)+" "+windowCond(p, q)), " ")
}

// factsCond is what the question asks of the posts' last reports: "chưa
// được xác nhận"; "" for nothing.
func factsCond(p *locales.Printer, q store.Question) string {
	var out []string
	for _, f := range q.Facts {
		out = append(out, factText(p, f))
	}
	return strings.Join(out, " ")
}

// windowCond is the condition of a question's window: "nhận nhiệm vụ quý
// II/2020"; "" without one.
func windowCond(p *locales.Printer, q store.Question) string {
	if w := windowText(p, q.From, q.To); w != "" {
		return p.T("ask.cond.since", w)
	}
	return ""
}

// condition says what the communes, posts or people counted satisfy, as
// the question put it: "chưa có Trưởng Công an xã chính quy", "khuyết
// Công an viên", "vị trí Phó Trưởng Công an xã bán chuyên trách".
func condition(p *locales.Printer, q store.Question, negated bool, ct store.CommuneType) string {
	kinds := kindsText(p, q.Kinds, ct)
	ss := q.Statuses
	lacking := negated && slices.Equal(ss, []store.Status{store.Semi, store.Vacant})
	var s string
	switch q.Unit {
	case store.UnitPosts:
		// The noun of the posts is part of their condition, where each
		// language puts it: "vị trí Công an viên khuyết", "Commune police
		// officer posts vacant".
		return strings.Join(strings.Fields(p.T("ask.cond.posts", kinds, postsPredicate(p, q, negated))), " ")
	case store.UnitPeople:
		held := slices.DeleteFunc(slices.Clone(ss), func(s store.Status) bool { return s == store.Vacant })
		switch {
		case len(held) == 0 || len(held) == 2:
			s = p.T("ask.cond.people.any", kinds)
		default:
			s = p.T("ask.cond.people.status", kinds, statusText(p, held))
		}
		if kinds == "" {
			s = strings.TrimSpace(strings.TrimSuffix(strings.Join(strings.Fields(s), " "), p.T("ask.cond.people.holding")))
		}
	default:
		all := kinds
		if all == "" {
			all = p.T("ask.kind.any")
		}
		single := len(q.Kinds) == 1 && q.Kinds[0] == store.Chief
		switch {
		case lacking && single:
			s = p.T("ask.cond.communes.lacking_one", all)
		case lacking:
			s = p.T("ask.cond.communes.lacking", all)
		case q.Match == store.MatchNone && slices.Equal(ss, []store.Status{store.Regular}):
			s = p.T("ask.cond.communes.none", all)
		case q.Match == store.MatchNone && slices.Equal(ss, []store.Status{store.Semi}):
			s = p.T("ask.cond.communes.no_semi", all)
		case slices.Equal(ss, []store.Status{store.Regular}) && q.Match == store.MatchAll && !single:
			s = p.T("ask.cond.communes.regular_all", all)
		case slices.Equal(ss, []store.Status{store.Regular}):
			s = p.T("ask.cond.communes.regular", all)
		case slices.Equal(ss, []store.Status{store.Semi}):
			s = p.T("ask.cond.communes.semi", all)
		case slices.Equal(ss, []store.Status{store.Vacant}) && kinds == "":
			s = p.T("ask.cond.communes.vacant_any")
		case slices.Equal(ss, []store.Status{store.Vacant}):
			s = p.T("ask.cond.communes.vacant", kinds)
		case len(ss) == 0 && len(q.Facts) > 0 && q.Match == store.MatchNone:
			// "đã được xác nhận hết": no post whose report lacks it.
			return strings.Join(strings.Fields(p.T("ask.cond.communes.facts_none", kinds, factsCond(p, q))), " ")
		case len(ss) == 0 && kinds == "":
			s = ""
		case len(ss) == 0:
			s = p.T("ask.cond.communes.any", kinds)
		default:
			s = p.T("ask.cond.communes.status", all, statusText(p, ss))
		}
	}
	return strings.Join(strings.Fields(s+" "+factsCond(p, q)+" "+windowCond(p, q)), " ")
}

// factText says a fact asked about: "chưa qua đào tạo", "đã có quyết
// định".
func factText(p *locales.Printer, f store.FactCond) string {
	if f.Lacks {
		return p.T("ask.fact." + string(f.Fact) + ".lacks")
	}
	return p.T("ask.fact." + string(f.Fact) + ".has")
}

// windowText writes a window of days the way people say them: "quý
// II/2020", "tháng 3/2020", "năm 2020", "ngày 15/07/2020", "từ 01/01/2019",
// "trước 31/03/2020", "từ 01/04/2020 đến 15/04/2020".
func windowText(p *locales.Printer, from, to time.Time) string {
	switch {
	case from.IsZero() && to.IsZero():
		return ""
	case from.IsZero():
		return p.T("ask.window.before", p.Date(noon(to)))
	case to.IsZero():
		return p.T("ask.window.from", p.Date(noon(from)))
	}
	last := to.AddDate(0, 0, -1)
	switch {
	case from.Equal(last):
		return p.T("ask.window.day", p.Date(noon(from)))
	case from.Day() == 1 && from.AddDate(1, 0, 0).Equal(to) && from.Month() == time.January:
		return p.T("ask.window.year", strconv.Itoa(from.Year()))
	case from.Day() == 1 && from.AddDate(0, 3, 0).Equal(to) && (from.Month()-1)%3 == 0:
		return p.T("ask.window.quarter", p.Quarter(noon(from)))
	case from.Day() == 1 && from.AddDate(0, 1, 0).Equal(to):
		return p.T("ask.window.month", int(from.Month()), strconv.Itoa(from.Year()))
	}
	return p.T("ask.window.between", p.Date(noon(from)), p.Date(noon(last)))
}

// noon is the middle of a day, so that a date prints as that day in any
// zone the printer uses.
func noon(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, t.Location())
}

// placeKindOf is the commune type posts are named with in an answer about
// a place: the commune's own, or xã for figures over many.
func placeKindOf(t target) store.CommuneType {
	if t.scope.Role == store.RoleCommune {
		return t.ctype
	}
	return ""
}

// typeWord names a mention's type word for "Không tìm thấy ...": "xã",
// "huyện", "tỉnh", or "địa danh" when none was typed.
func typeWord(p *locales.Printer, m understand.Mention) string {
	switch {
	case m.Type != "":
		return p.T("commune_type." + string(m.Type))
	case slices.Equal(m.Levels, []string{understand.LevelDistrict}):
		return p.T("ask.level.district")
	case slices.Equal(m.Levels, []string{understand.LevelProvince}):
		return p.T("ask.level.province")
	case len(m.Levels) > 0:
		return p.T("ask.level.city")
	}
	return p.T("ask.level.any")
}
