package understand

import (
	"strings"

	"github.com/caxbot/caxbot/store"
)

// Intent is what a question asks for.
type Intent string

const (
	// IntentVacancies: which or how many communes or posts lack regular
	// police.
	IntentVacancies Intent = "vacancies"
	// IntentProgress: how far the plan has come (tiến độ, bao nhiêu %).
	IntentProgress Intent = "progress"
	// IntentCommune: the state of one commune: who holds which post, since
	// when, whether it has a regular chief yet. With no Place, the user's
	// own scope is meant.
	IntentCommune    Intent = "commune"
	IntentMilestones Intent = "milestones" // deadlines: mốc, hạn, khi nào
	IntentHistory    Intent = "history"    // who reported what, and when
	IntentHelp       Intent = "help"
	IntentUnknown    Intent = "unknown"
)

// Units a count or list is about.
const (
	UnitCommunes = "communes" // bao nhiêu xã
	UnitPosts    = "posts"    // bao nhiêu vị trí, chỗ, người, công an viên
)

// Query is what Parse understood of a message.
type Query struct {
	Intent Intent
	// Count is true when a number is asked (bao nhiêu, mấy); otherwise a
	// list or a yes/no answer is.
	Count bool
	// Unit is UnitCommunes or UnitPosts when the words say which; empty
	// when they do not, and the bot chooses by intent and scope.
	Unit string
	// Kinds are the posts asked about, in the order named; empty: all.
	Kinds []store.PostKind
	// Statuses are the statuses asked about: "chưa có ... chính quy" is
	// semi and vacant, "trống" vacant, "bán chuyên trách" semi, "đã có ...
	// chính quy" regular. Empty: the intent's default (not regular for
	// vacancies).
	Statuses []store.Status
	// Place is the place asked about; nil means the user's own scope.
	Place *Place
	// Ambiguous lists the places a name could mean when the words do not
	// decide (huyện or thị trấn Mai Châu; Cao Sơn of Đà Bắc or of Lương
	// Sơn): the bot asks, and may first drop those outside the user's
	// scope.
	Ambiguous []Place
	// Suggestions are the nearest names to place-like words that matched
	// nothing, nearest first; Unmatched holds those words, folded.
	Suggestions []Place
	Unmatched   string

	// What the words said, kept for WithPlace.
	cues  cue
	yesNo bool
}

// token is a word of the message with what the parser made of it.
type token struct {
	word
	cue     cue
	mention int // 1 + the index of the mention it belongs to; 0: none
}

// mention is a place name found in the message.
type mention struct {
	start, end int    // tokens [start, end), the type word included
	level      string // the level the type word says; "" when there is none
	ctype      store.CommuneType
	names      []int32 // exact matches
	near       []suggestion
	text       string   // the name's words as typed, folded
	tones      []string // the same words' toned keys, "" where typed without diacritics
	qualifier  bool     // narrowed another mention ("xã Tân Lập huyện Lạc Sơn")
}

// Parse reads a question about the roster. Only its first
// maxQuestionWords words count.
func Parse(text string, g *Gazetteer) Query {
	toks := tokens(text)
	if len(toks) > maxQuestionWords {
		toks = toks[:maxQuestionWords]
	}
	ms := g.findPlaces(toks)
	yesNo := questionParticle(toks)

	var all cue
	for _, t := range toks {
		all |= t.cue
	}
	if strings.Contains(text, "%") {
		all |= cueProgress | cueCount
	}
	q := Query{Count: all&cueCount != 0, Unit: unit(toks)}
	q.Kinds = kinds(toks)
	q.Statuses = statuses(all)
	q.Place, q.Ambiguous = g.subject(ms, q.Unit == UnitCommunes)
	for _, m := range ms {
		if len(m.names) == 0 && m.text != "" {
			q.Unmatched = m.text
			for _, s := range m.near {
				q.Suggestions = append(q.Suggestions, g.names[s.name].place)
			}
			break
		}
	}
	if q.Place == nil && len(q.Ambiguous) == 0 && all&cueProvince != 0 && all&cueOwn == 0 {
		p := g.provincePlace()
		q.Place = &p
	}
	q.cues, q.yesNo = all, yesNo
	q.Intent = intent(all, yesNo, q)
	return q
}

// ParseName reads the argument of a command that takes a commune's name
// (/xa, /lichsu): the words are a name even without "xã" before them, so
// a name the gazetteer does not know comes back Unmatched, with the
// nearest names as suggestions, instead of as no place at all.
func ParseName(text string, g *Gazetteer) Query {
	q := Parse(text, g)
	if q.Place != nil || len(q.Ambiguous) > 0 || q.Unmatched != "" || strings.TrimSpace(text) == "" {
		return q
	}
	return Parse("xa "+text, g)
}

// maxQuestionWords bounds the words Parse reads: a question is a line or
// two, and a pasted document should not cost more than one.
const maxQuestionWords = 200

// tokens splits text into words and expands abbreviations.
func tokens(text string) []token {
	words := splitWords(text)
	var toks []token
	for i, w := range words {
		exp, ok := abbreviations[w.fold]
		if !ok || w.toned != "" {
			toks = append(toks, token{word: w})
			continue
		}
		if w.fold == "p" {
			// "p. trưởng" is a deputy chief, "p. Kỳ Sơn" a ward.
			exp = []string{"phuong"}
			if i+1 < len(words) && words[i+1].fold == "truong" {
				exp = []string{"pho"}
			}
		}
		for _, e := range exp {
			toks = append(toks, token{word: word{fold: e}})
		}
	}
	return toks
}

// phraseAt returns the longest phrase starting at toks[i] among tokens no
// mention holds, and its length in words.
func phraseAt(toks []token, i int) (cue, int) {
	var b strings.Builder
	var best cue
	n := 0
	for k := 0; k < maxPhrase && i+k < len(toks) && toks[i+k].mention == 0; k++ {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(toks[i+k].fold)
		if c, ok := phrases[b.String()]; ok {
			best, n = c, k+1
		}
	}
	return best, n
}

// tag marks every token not held by a mention with the cue of the phrase
// it belongs to.
func tag(toks []token) {
	for i := 0; i < len(toks); {
		if toks[i].mention != 0 {
			i++
			continue
		}
		c, n := phraseAt(toks, i)
		if n == 0 {
			i++
			continue
		}
		if c == cueVacant && n == 1 && toks[i].toned == "" && prepositionFollows(toks, i+1) {
			// "trong huyện" is "in the district", not "vacant".
			c = cueFiller
		}
		for k := i; k < i+n; k++ {
			toks[k].cue = c
		}
		i += n
	}
}

// prepositionFollows reports whether toks[i] starts what "trong" (in)
// introduces: a place or a set of places.
func prepositionFollows(toks []token, i int) bool {
	if i >= len(toks) {
		return false
	}
	if toks[i].mention != 0 {
		return true
	}
	switch toks[i].fold {
	case "huyen", "tinh", "toan", "dia", "xa", "thanh", "thi", "cac", "nhung", "quan", "phuong", "danh", "ke", "nam", "thang", "quy", "dot":
		return true
	}
	return false
}

// questionParticle reports whether the message ends with "chưa" or
// "không" asking yes or no ("đã có trưởng chưa?"), and turns that word
// into a filler so that it is not read as a negation.
func questionParticle(toks []token) bool {
	for i := len(toks) - 1; i >= 0; i-- {
		t := &toks[i]
		if t.cue == cueNot {
			t.cue = cueFiller
			return true
		}
		if t.cue != cueFiller || t.mention != 0 {
			return false
		}
	}
	return false
}

// unit decides whether communes or posts are counted or listed: the unit
// word next to "bao nhiêu", "những", "các" or before "nào" decides.
func unit(toks []token) string {
	unitOf := func(t token) string {
		switch {
		case t.mention != 0:
			return ""
		case t.cue&cueUnitCommune != 0:
			return UnitCommunes
		case t.cue&(cueUnitPost|cueChief|cueDeputy|cueOfficer) != 0:
			return UnitPosts
		}
		return ""
	}
	for i, t := range toks {
		if t.mention != 0 {
			continue
		}
		if t.cue&(cueCount|cueList) != 0 && t.fold != "nao" {
			for k := i + 1; k < len(toks) && k <= i+3; k++ {
				if u := unitOf(toks[k]); u != "" {
					return u
				}
				if toks[k].cue != cueFiller && toks[k].cue&(cueCount|cueList) == 0 {
					break
				}
			}
		}
		if t.fold == "nao" && t.cue == cueList && i > 0 {
			if u := unitOf(toks[i-1]); u != "" {
				return u
			}
		}
	}
	for _, t := range toks {
		if t.mention == 0 && t.cue&cueUnitPost != 0 {
			return UnitPosts
		}
	}
	return ""
}

func kinds(toks []token) []store.PostKind {
	var ks []store.PostKind
	for _, t := range toks {
		if t.mention != 0 {
			continue
		}
		for _, k := range []struct {
			c    cue
			kind store.PostKind
		}{{cueChief, store.Chief}, {cueDeputy, store.Deputy}, {cueOfficer, store.Officer}} {
			if t.cue&k.c != 0 && !contains(ks, k.kind) {
				ks = append(ks, k.kind)
			}
		}
	}
	return ks
}

func statuses(all cue) []store.Status {
	semi := all&cueSemi != 0
	vacant := all&cueVacant != 0
	regular := false
	if all&cueRegular != 0 {
		if all&(cueNeg|cueNot|cueBehind) != 0 {
			semi, vacant = true, true
		} else {
			regular = true
		}
	}
	var ss []store.Status
	if regular {
		ss = append(ss, store.Regular)
	}
	if semi {
		ss = append(ss, store.Semi)
	}
	if vacant {
		ss = append(ss, store.Vacant)
	}
	return ss
}

// intent decides what is asked from the cues of the whole message. The
// order matters: explicit help first, then the words that name an intent
// outright, then what lacking, yes/no, who and situation questions mean.
func intent(all cue, yesNo bool, q Query) Intent {
	communeLevel := level(q) == LevelCommune
	lacking := all&(cueNeg|cueNot|cueVacant|cueSemi|cueBehind) != 0
	listOrCount := all&(cueCount|cueList) != 0
	placed := q.Place != nil || len(q.Ambiguous) > 0 || len(q.Suggestions) > 0
	domain := placed || all&(cueOwn|cueChief|cueDeputy|cueOfficer|cueUnitPost|cueUnitCommune|cueRegular|cuePolice) != 0
	switch {
	case all&cueHelp != 0:
		return IntentHelp
	case all&cueHistory != 0:
		return IntentHistory
	case all&cueSince != 0:
		return IntentCommune
	case all&cueMilestone != 0 && all&(cueProgress|cueSummary) == 0:
		return IntentMilestones
	case all&cueProgress != 0:
		return IntentProgress
	case lacking:
		return IntentVacancies
	case all&cueSummary != 0:
		return IntentProgress
	case yesNo && !listOrCount && communeLevel:
		return IntentCommune
	case yesNo && !listOrCount:
		return IntentProgress
	case all&cueWho != 0:
		return IntentCommune
	case all&cueDone != 0 && listOrCount:
		return IntentProgress
	case all&cueHelpWeak != 0:
		return IntentHelp
	case domain:
		if communeLevel {
			return IntentCommune
		}
		return IntentProgress
	}
	return IntentUnknown
}

// level is the level of the place a query is about, as far as the words
// tell. The user's own scope counts as a commune unless the user said
// "huyện tôi": most questions without a place come from commune staff.
// Names of mixed levels count as a commune too: the bot asks, then calls
// WithPlace.
func level(q Query) string {
	if q.Place != nil {
		return q.Place.Level
	}
	if q.cues&cueOwnDistrict != 0 {
		return LevelDistrict
	}
	candidates := q.Ambiguous
	if len(candidates) == 0 {
		candidates = q.Suggestions
	}
	for _, p := range candidates {
		if p.Level != candidates[0].Level {
			return LevelCommune
		}
	}
	if len(candidates) > 0 {
		return candidates[0].Level
	}
	return LevelCommune
}

// WithPlace returns the query as if its words had named p: the bot calls
// it once the user has picked one of Ambiguous or Suggestions, and a
// question about the situation of a place then becomes one about a
// district's progress or a commune's posts, as p's level says.
func (q Query) WithPlace(p Place) Query {
	q.Place = &p
	q.Ambiguous, q.Suggestions, q.Unmatched = nil, nil, ""
	q.Intent = intent(q.cues, q.yesNo, q)
	return q
}
