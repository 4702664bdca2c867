package understand

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/caxbot/caxbot/store"
)

// Topic is what a question is about when it is not the roster.
type Topic string

const (
	TopicRoster   Topic = ""         // posts, communes, people, changes: answered by store.DB.Ask
	TopicHelp     Topic = "help"     // how to use the bot
	TopicDeadline Topic = "deadline" // the plan's milestones and their deadlines
	TopicUnknown  Topic = "unknown"  // nothing the bot knows how to answer
)

// Units of the roster's levels above the commune: "bao nhiêu huyện",
// "mấy tỉnh, thành phố". The bot counts them as a breakdown's groups.
const (
	UnitDistricts store.Unit = "districts"
	UnitProvinces store.Unit = "provinces"
)

// Own is a place the words name by the user's own position.
type Own string

const (
	OwnUnit     Own = "unit"     // xã tôi, chỗ mình: the user's own scope
	OwnDistrict Own = "district" // huyện mình
	OwnProvince Own = "province" // toàn tỉnh, cả tỉnh
	OwnNational Own = "national" // cả nước, toàn quốc
)

// Query is one question as the words put it: what is measured (a count,
// a list, a share, a ranking, a comparison, who holds a post and since
// when, yes or no), of which unit, about which posts and statuses, where,
// broken down how, over which days. The bot turns it into a
// store.Question once it has resolved its places against the user's
// scope.
type Query struct {
	Topic   Topic
	Measure store.Measure
	// Overview: the words name a place and ask nothing of it (tình hình
	// xã X): a commune's posts, or an area's progress.
	Overview bool
	// Progress: the plan's progress (tiến độ), its current milestone's
	// kinds and target, since the words name no post and no status.
	Progress bool
	Unit     store.Unit // empty: the words do not say
	Kinds    []store.PostKind
	Statuses []store.Status
	Match    store.Match
	// Negated: the words asked what is missing ("chưa có ... chính quy",
	// "còn thiếu"), which the answer restates so.
	Negated bool
	Types   []store.CommuneType // "phường", "thị trấn" asked about as units
	Group   store.Level
	Order   store.Order
	Limit   int
	// Changes asks about the reports: what changed, when. History is the
	// plain list of a place's reports (lịch sử báo cáo); Latest asks for
	// the newest.
	Changes, History, Latest bool
	// ByShare: a ranking or comparison of shares ("tỷ lệ ... cao nhất").
	ByShare bool
	// AtLeast: how many posts must match, when more than one ("đủ 2 phó").
	AtLeast int
	// BySince lists posts by the day their holders took them: the latest
	// first ("gần đây nhất"), or the earliest.
	BySince store.Order
	// OnTime: held since before the deadline of the plan's current
	// milestone ("đúng hạn"), which the bot knows.
	OnTime bool
	// Either: the words ask which of two statuses holds ("cq hay bct"),
	// read as whether the first does; the answer names the one that does.
	Either bool
	Window Window
	// Facts are what the words ask the posts' last reports to say of their
	// holders ("chưa qua đào tạo", "đã có quyết định").
	Facts []store.FactCond
	// AsOf is the moment the words ask the roster's state at ("tình hình
	// ngày 31/03/2020", "đầu năm 2021"); zero: now. It replaces a window.
	AsOf   time.Time
	Places []Mention
	Own    Own
	// Dropped are places whose whole name is a run of two or more words
	// the question read as its own ("quyet thang", "chi dao" typed
	// without diacritics nor type word), kept when the question names no
	// place or one alone in a comparison: the bot asks which was meant
	// rather than answer silently about a place the user did not name.
	Dropped []Place
	// Words are the part's words as typed, for quoting back.
	Words string
	// everyKind: the words name posts of every kind ("vị trí",
	// "chức danh"), not those of the part before.
	everyKind bool
}

// Mention is a place the words name, with what it may be.
type Mention struct {
	// Candidates are its readings, narrowed by what was typed (a type
	// word, diacritics, a district next to it); Gazetteer.Resolve picks
	// among them.
	Candidates []Place
	// Suggestions are the nearest names when no reading matched, nearest
	// first; Unmatched holds the words as typed then.
	Suggestions []Place
	Unmatched   string
	Levels      []string          // the levels its type word allows; none without one
	Type        store.CommuneType // its type word's commune type
	// Within is the place a qualifier said the name lies in when no
	// reading does: "xã Tân Lập huyện Kim Bôi".
	Within *Place
}

// Message is what a message says: its questions, in order, or only a
// greeting or thanks.
type Message struct {
	Parts     []Query
	Greeting  bool
	Thanks    bool
	Truncated bool // longer than maxQuestionWords words: the rest was not read
}

// token is a word of the message with what the parser made of it.
type token struct {
	word
	cue     cue
	mention int  // 1 + the index of the mention it belongs to; 0: none
	brk     byte // the punctuation before the word: 0, ',' or '.'
	// grp numbers the words an abbreviation expands to (0: none), and
	// inner marks those but the last: a phrase may take an expansion
	// whole, never end inside one ("phó" + "công an viên" is no "phó
	// công an").
	grp   int
	inner bool
	// typed marks the words of a place named with its type word.
	typed bool
}

// maxQuestionWords bounds the words Read reads: a question is a line or
// two, and a pasted document should not cost more than one.
const maxQuestionWords = 200

// tokens splits text into words and expands abbreviations.
func tokens(text string) []token {
	words, _ := splitMarked(text)
	return expandAll(words, nil)
}

// expandAll expands abbreviations; brk holds each word's break.
func expandAll(words []word, brk []byte) []token {
	// A short form expands to a few words: room for some up front.
	toks := make([]token, 0, len(words)+len(words)/2+2)
	for i, w := range words {
		var b byte
		if brk != nil {
			b = brk[i]
		}
		exp, ok := expand(w)
		if !ok || w.name {
			toks = append(toks, token{word: w, brk: b})
			continue
		}
		next, prev := "", ""
		if i+1 < len(words) {
			next = words[i+1].fold
		}
		if i > 0 {
			prev = words[i-1].fold
		}
		switch {
		case w.fold == "p" && next == "truong":
			// "p. trưởng" is a deputy chief, "p. Kỳ Sơn" a ward.
			exp = []word{{fold: "pho"}}
		case w.fold == "t" && i+1 < len(words) && (titledWord(words[i+1]) || w.dotted):
			// "t. Thái Nguyên" is a province; "xã t" is "xã tôi".
			exp = []word{{fold: "tinh"}}
		case w.fold == "ca" && (next == "tinh" || next == "nuoc" || next == "nc" || next == "huyen" || next == "hai" ||
			next == "2" || prev == "tat" || prev == "toan"):
			// "ca tinh", "tat ca": "cả", not "công an".
			toks = append(toks, token{word: w, brk: b})
			continue
		}
		for k, e := range exp {
			e.raw, e.plain = w.raw, e.fold
			t := token{word: e, grp: i + 1, inner: k < len(exp)-1}
			if k == 0 {
				t.brk = b
			}
			toks = append(toks, t)
		}
	}
	return toks
}

// titledWord reports whether a word was typed capitalised, the rest in
// lower case, as names are.
func titledWord(w word) bool {
	r := []rune(w.raw)
	return len(r) > 1 && unicode.IsUpper(r[0]) && strings.ToLower(string(r[1:])) == string(r[1:])
}

// splitMarked splits text into words as splitWords does and records the
// punctuation before each: '.' for a sentence's end (?, !, ;, a new line,
// a full stop before a space), ',' for a comma or a colon.
func splitMarked(text string) ([]word, []byte) {
	// Words are mostly one to a space: room for them up front saves
	// growing the slices word by word.
	n := strings.Count(text, " ") + 1
	words := make([]word, 0, n)
	brk := make([]byte, 0, n)
	pending := byte(0)
	start := -1 // where the word being read starts in text; -1: none
	last := ""
	// flush ends the word being read before text[end]: the word is a run
	// of text itself, so it needs no copy.
	flush := func(end int) {
		if start < 0 {
			return
		}
		last = text[start:end]
		start = -1
		k := len(words)
		words = appendWords(words, last)
		for i := k; i < len(words); i++ {
			if i == k {
				brk = append(brk, pending)
			} else {
				brk = append(brk, 0)
			}
		}
		if len(words) > k {
			pending = 0
		}
	}
	for i, r := range text {
		if inWord(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		switch r {
		case '?', '!', ';', '\n':
			pending = '.'
		case '.':
			// "X. Tú Sơn", "H. Lạc Sơn": a short form's dot ends nothing.
			short := utf8.RuneCountInString(last) <= 3 && len(byTyped[Fold(last)]) > 0
			if short && len(words) > 0 {
				words[len(words)-1].dotted = true
			}
			next, _ := utf8.DecodeRuneInString(text[i+1:])
			if (i+1 == len(text) || unicode.IsSpace(next)) && !short {
				pending = '.'
			}
		case '%':
			// "%" is a word: how many percent.
			words = append(words, word{fold: "phan", raw: "%", plain: "phan"}, word{fold: "tram", raw: "%", plain: "tram"})
			brk = append(brk, pending, 0)
			pending = 0
		case ',':
			if pending == 0 {
				pending = ','
			}
		case ':':
			// "Tiến độ Kim Bôi: còn bao nhiêu ...": a heading.
			pending = ':'
		case '(', ')':
			if pending == 0 {
				pending = '('
			}
		}
	}
	flush(len(text))
	return words, brk
}

// read tokenizes a message for the questions' parser: words repaired of
// typing leftovers, abbreviations expanded.
func (g *Gazetteer) read(text string) ([]token, bool) {
	words, brk := splitMarked(text)
	truncated := false
	if len(words) > maxQuestionWords {
		words, brk, truncated = words[:maxQuestionWords], brk[:maxQuestionWords], true
	}
	// Most messages need no repair: then the words are fixed as they
	// are, and reps and the copies are never made.
	fixed, fixedBrk := words, brk
	var reps [][]word
	telex := false
	for i, w := range words {
		rep, keyed := g.repair(w, false)
		if rep != nil {
			if reps == nil {
				reps = make([][]word, len(words))
			}
			reps[i] = rep
		}
		telex = telex || keyed
	}
	if reps != nil || telex {
		fixed = make([]word, 0, len(words)+2)
		fixedBrk = make([]byte, 0, len(words)+2)
		for i, w := range words {
			var rep []word
			if reps != nil {
				rep = reps[i]
			}
			if rep == nil && telex {
				// Keys elsewhere: this word's doubled vowels are keys too.
				rep, _ = g.repair(w, true)
			}
			if rep == nil {
				rep = []word{w}
			}
			for k, r := range rep {
				fixed = append(fixed, r)
				if k == 0 {
					fixedBrk = append(fixedBrk, brk[i])
				} else {
					fixedBrk = append(fixedBrk, 0)
				}
			}
		}
	}
	for i := range fixed {
		// "ca mau" is Cà Mau, not "công an mau"; "dong hy" is Đồng Hỷ, "la
		// gi" La Gi, "an lac a" An Lạc A: a short form inside a name's
		// words is the name's.
		if len(byTyped[fixed[i].fold]) == 0 {
			continue
		}
		for s := max(0, i-g.maxWords+1); s <= i && !fixed[i].name; s++ {
			for e := max(i+1, s+2); e <= min(len(fixed), s+g.maxWords); e++ {
				if brkInside(fixedBrk, s, e) {
					break
				}
				if len(g.exact(fixed[s:e])) > 0 {
					fixed[i].name = true
					break
				}
			}
		}
	}
	if tonedWords(fixed) {
		for i, w := range fixed {
			if w.toned == "" && w.orig == "" && (len(byTyped[w.fold]) == 0 || w.name) && !isDigits(w.fold) && iy(Fold(w.raw)) == w.fold {
				fixed[i].asTyped = true
			}
		}
	}
	return expandAll(fixed, fixedBrk), truncated
}

// phraseAt returns the longest phrase starting at toks[i] among tokens no
// mention holds, and its length in words.
func phraseAt(toks []token, i int) (cue, int) {
	// The phrase's key and toned words grow in buffers on the stack:
	// this runs for every word, several times.
	var keyBuf [phraseBytes]byte
	var tonedBuf [phraseWords]string
	key, ts := keyBuf[:0], tonedBuf[:0]
	var best cue
	n := 0
	for k := 0; k < maxPhrase && i+k < len(toks) && toks[i+k].mention == 0; k++ {
		if k > 0 && toks[i+k].brk != 0 {
			break // "phó, công an viên" is no "phó công an"
		}
		if k > 0 {
			key = append(key, ' ')
		}
		key = append(key, toks[i+k].fold...)
		ts = append(ts, toks[i+k].toned)
		if toks[i+k].inner && (i+k+1 >= len(toks) || toks[i+k+1].mention == 0) {
			// Inside an expansion; its end may be a place's type word
			// ("cax Tân Lập": "công an" + "xã Tân Lập").
			continue
		}
		if c, ok := reading(key, ts); ok {
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
		if c == cueVacant && n == 1 && toks[i].toned == "" && (prepositionFollows(toks, i+1) || toks[i].asTyped && toks[i].fold == "trong") {
			// "trong huyện" is "in the district", not "vacant"; so is
			// "trong" among words typed with their diacritics. (Other
			// words typed bare there are read leniently: people type a
			// few without them.)
			c = cueFiller
		}
		for k := i; k < i+n; k++ {
			toks[k].cue = c
		}
		i += n
	}
}

// brkInside reports whether punctuation falls between words s and e.
func brkInside(brk []byte, s, e int) bool {
	for k := s + 1; k < e; k++ {
		if brk[k] != 0 {
			return true
		}
	}
	return false
}

// tonedWords reports whether a message was typed with its diacritics:
// then a word without them was typed so ("trong", not "trống").
func tonedWords(ws []word) bool {
	marked, letters := 0, 0
	for _, w := range ws {
		if w.fold == "" || isDigits(w.fold) || len(byTyped[w.fold]) > 0 {
			continue
		}
		letters++
		if w.toned != "" {
			marked++
		}
	}
	return marked >= 2 && marked*3 >= letters
}

// tonedOf is a word's toned key as names are matched: "" for a word
// that may have lost its diacritics, the word itself for one typed
// without them on purpose.
func tonedOf(t token) string {
	if t.asTyped {
		return t.fold
	}
	return t.toned
}

// prepositionFollows reports whether toks[i] starts what "trong" (in)
// introduces: a place, a set of places or a time.
func prepositionFollows(toks []token, i int) bool {
	if i >= len(toks) {
		return false
	}
	if toks[i].mention != 0 || isDigits(toks[i].fold) {
		return true
	}
	switch toks[i].fold {
	case "huyen", "tinh", "toan", "tren", "dia", "xa", "thanh", "thi", "cac", "nhung", "quan", "phuong", "danh", "ke",
		"nam", "thang", "qui", "dot", "tuan", "ca", "don", "so", "do", "thoi", "vong", "hom", "ngay":
		return true
	}
	return false
}

// Parse reads a message as one question: its first part. Callers that
// want only the place a message names use it.
func Parse(text string, g *Gazetteer) Query {
	m := Read(text, g, time.Time{})
	if len(m.Parts) == 0 {
		return Query{Topic: TopicUnknown, Words: strings.TrimSpace(text)}
	}
	return m.Parts[0]
}

// ParseName reads the argument of a command that takes a commune's name
// (/xa, /lichsu): the words are a name even without "xã" before them, so
// a name the gazetteer does not know comes back unmatched, with the
// nearest names as suggestions, instead of as no place at all.
func ParseName(text string, g *Gazetteer) Query {
	q := Parse(text, g)
	if len(q.Places) > 0 || strings.TrimSpace(text) == "" {
		return q
	}
	n := Parse("xã "+text, g)
	if len(n.Places) == 0 {
		// Words that are no name at all: still a name the roster does
		// not have, never the user's own place.
		n.Places = []Mention{{}}
	}
	n.Places[0].Levels = nil
	if len(n.Places[0].Candidates) == 0 {
		n.Places[0].Unmatched = strings.TrimSpace(text)
	}
	n.Own = ""
	return n
}

// Read reads a message: its questions, part by part, each complete with
// what the parts before it said (the place, the posts) when it does not
// say it again. now dates the windows of relative words ("tuần này");
// a zero now reads no window.
func Read(text string, g *Gazetteer, now time.Time) Message {
	toks, truncated := g.read(text)
	ms := g.findPlaces(toks)
	msg := Message{Truncated: truncated}
	segs := segments(toks)
	// A part is a question's words, the words before it that set its
	// context (a place, posts: "Huyện Kim Bôi: xã nào ...") first.
	type part struct {
		toks []token
		ctx  int // how many of toks are context
	}
	var parts []part
	var ctx []token
	intro := false // the segments go on saying who asks
	for k, s := range segs {
		seg := toks[s[0]:s[1]]
		c := cuesOf(seg)
		following := k+1 < len(segs) && asks(toks[segs[k+1][0]:segs[k+1][1]])
		heading := following && toks[segs[k+1][0]].brk == ':'
		if end := introEnd(seg); end > 0 {
			// "tôi là trưởng công an xã ...": who asks, not what.
			seg = seg[end:]
			c = cuesOf(seg)
			intro = len(seg) == 0 || !asks(seg)
			if len(seg) == 0 {
				continue
			}
		} else if intro && !asks(seg) && !hasMention(seg) {
			// "tôi là Thắng, trưởng Công an xã, ...": still who.
			continue
		} else {
			intro = false
		}
		switch {
		case c&^(cueGreeting|cueThanks|cueFiller|cueAsk|cuePeople) == 0 && !hasMention(seg):
			msg.Greeting = msg.Greeting || c&cueGreeting != 0
			msg.Thanks = msg.Thanks || c&cueThanks != 0
		case len(parts) > 0 && len(ctx) == 0 && c&^(cueList|cueAsk|cueFiller|cuePlural) == 0 && !hasMention(seg):
			// "..., gửi danh sách": how to answer the question before.
			last := &parts[len(parts)-1]
			last.toks = append(last.toks, seg...)
		case asks(seg) && following && (framing(seg) || heading):
			// "tình hình ... thế nào, còn mấy xã ...", "huyện nào chậm
			// nhất, còn nhiều xã ... nhất", "Tiến độ Kim Bôi: còn ...":
			// the words after say what is asked.
			ctx = append(ctx, seg...)
		case asks(seg) && len(ctx) == 0:
			// The words themselves, not a copy: compose copies what it
			// changes, and the capacity cut at the segment's end makes
			// an append to the part copy too.
			parts = append(parts, part{toks: seg[:len(seg):len(seg)]})
		case asks(seg):
			parts = append(parts, part{toks: append(slices.Clone(ctx), seg...), ctx: len(ctx)})
			ctx = nil
		default:
			ctx = append(ctx, seg...)
		}
	}
	if len(ctx) > 0 {
		if len(parts) > 0 {
			last := &parts[len(parts)-1]
			last.toks = append(last.toks, ctx...)
		} else {
			// Context and nothing else: the words are the question.
			parts = append(parts, part{toks: ctx})
		}
	}
	var prev *Query
	for _, p := range parts {
		q := g.compose(context(p.toks, p.ctx), ms, now)
		if prev != nil {
			q.inherit(*prev, cuesOf(p.toks)&cueSame != 0)
		}
		msg.Parts = append(msg.Parts, q)
		prev = &msg.Parts[len(msg.Parts)-1]
	}
	return msg
}

// headingCues are what words before a question do not add to it: a
// heading's or a setting's "tiến độ", "tình hình", "báo cáo", "kết quả"
// ("Tiến độ Kim Bôi: còn bao nhiêu ...", "Mai báo cáo huyện, ...").
const headingCues = cueChange | cueReport | cueAppoint | cueMilestone | cueProgress | cueSummary | cueSituation | cueHelp |
	cueHelpWeak | cueHistory | cueSame

// context keeps of the first n words (the context) only what they may
// add to the question after them; a name they hold without a type word
// ("tinh thần đoàn kết, ...") counts only when the words are nothing
// but the place.
func context(seg []token, n int) []token {
	if n == 0 {
		return seg
	}
	seg = slices.Clone(seg)
	own := cuesOf(seg[n:])&(cueOwn|cueOwnDistrict|cueProvince|cueNational) != 0 || hasMention(seg[n:])
	onlyPlace := true
	for _, t := range seg[:n] {
		if t.mention == 0 && t.cue&^(cueFiller|cueAsk|cueDistrictWord|cueProvince|cueUnitCommune) != 0 || t.mention == 0 && t.cue == 0 && !isDigits(t.fold) {
			onlyPlace = false
		}
	}
	for i := range seg[:n] {
		t := &seg[i]
		if t.mention == 0 {
			t.cue &^= headingCues
			if own {
				// "Theo chỉ đạo của huyện, xã mình ...": the question's
				// own place.
				t.cue &^= cueOwn | cueOwnDistrict | cueProvince | cueNational
			}
			continue
		}
		if !onlyPlace && !t.typed {
			t.mention, t.cue = 0, cueFiller
		}
	}
	return seg
}

// segments cuts the message at sentence ends and commas, but not at a
// comma between two of a kind ("xã, thị trấn", "trưởng, phó, CAV",
// "huyện Lương Sơn, huyện Đà Bắc"): that is a list.
func segments(toks []token) [][2]int {
	var cuts []int
	for i := 1; i < len(toks); i++ {
		switch {
		case toks[i].brk == '(':
			// "(trưởng, phó, CAV)": an aside, not a clause.
		case toks[i].brk == ',' && class(toks[i-1]) != "" && class(toks[i-1]) == class(toks[i]) &&
			(class(toks[i]) != "status" || !asks(toks[i:nextBreak(toks, i)])):
		case toks[i].brk != 0:
			cuts = append(cuts, i)
		case toks[i].fold == "va" && toks[i].mention == 0 && i+1 < len(toks) && (class(toks[i-1]) == "" || class(toks[i-1]) != class(toks[i+1])) &&
			asks(toks[lastBreak(toks, i):i]) &&
			cuesOf(toks[i+1:nextBreak(toks, i+1)])&(cueCount|cueShare|cueList|cueWhich|cueWho) != 0:
			// "khuyết bao nhiêu vị trí và còn bao nhiêu người bán chuyên
			// trách": two questions.
			cuts = append(cuts, i)
		}
	}
	var out [][2]int
	start := 0
	for _, c := range cuts {
		out = append(out, [2]int{start, c})
		start = c
	}
	if start < len(toks) {
		out = append(out, [2]int{start, len(toks)})
	}
	return out
}

// nextBreak is where the words from i run to the next punctuation.
func nextBreak(toks []token, i int) int {
	for k := i + 1; k < len(toks); k++ {
		if toks[k].brk != 0 && toks[k].brk != '(' {
			return k
		}
	}
	return len(toks)
}

// lastBreak is where the words before i start after punctuation.
func lastBreak(toks []token, i int) int {
	for k := i; k > 0; k-- {
		if toks[k].brk != 0 && toks[k].brk != '(' {
			return k
		}
	}
	return 0
}

// class is the kind of thing a word names, for lists: a place, a unit,
// a post, a status.
func class(t token) string {
	switch {
	case t.mention != 0:
		return "place"
	case t.cue&(cueChief|cueDeputy|cueOfficer) != 0:
		return "post"
	case t.cue&(cueUnitCommune|cueByDistrict|cueByProvince|cueDistrictWord) != 0:
		return "unit"
	case t.cue&(cueRegular|cueSemi|cueVacant) != 0:
		return "status"
	}
	return ""
}

func cuesOf(toks []token) cue {
	var c cue
	for _, t := range toks {
		if t.mention == 0 {
			c |= t.cue
		}
	}
	return c
}

func hasMention(toks []token) bool {
	for _, t := range toks {
		if t.mention != 0 {
			return true
		}
	}
	return false
}

// askCues are what make words a question rather than context for one.
const askCues = cueCount | cueList | cueWhich | cueWhat | cueWho | cueSince | cueShare | cueProgress | cueMost | cueLeast |
	cueRank | cueCompare | cueEach | cueSituation | cueMilestone | cueHelp | cueHistory | cueTail | cueSummary | cueSame |
	cueNeg | cueBehind | cueHelpWeak

// asks reports whether the words ask something: a question word, or a
// yes/no question's last word.
func asks(toks []token) bool {
	if cuesOf(toks)&askCues != 0 {
		return true
	}
	_, yes := tail(toks)
	return yes
}

// framing reports whether words ask without saying about what: "tình
// hình thế nào", "huyện nào chậm nhất", "có bao nhiêu", a question the
// words after them make precise.
func framing(toks []token) bool {
	c := cuesOf(toks)
	topic := cueChief | cueDeputy | cueOfficer | cueRegular | cueSemi | cueVacant | cueNeg | cueUnitPost | cuePeople |
		cueMilestone | cueHelp | cueHistory | cueChange | cueAppoint
	if c&askCues == cueSituation {
		return true // "tình hình ... thế nào, ...": the next words ask
	}
	return c&topic == 0 && c&(cueSituation|cueMost|cueLeast|cueRank|cueWhich|cueCount|cueBehind) != 0 && c&cueTail == 0
}

// introEnd returns where a self-introduction that starts the words ends
// (0: none): at the words that turn to the question ("xin hỏi", "cho em
// hỏi"), or at the words' end. "Tôi là" elsewhere ("xã t là ...") is no
// introduction.
func introEnd(toks []token) int {
	in := false
	for i, t := range toks {
		switch {
		case t.cue&cueIntro != 0:
			in = true
		case in && t.cue&cueAsk != 0:
			return i
		case !in && t.mention == 0 && t.cue&^(cueFiller|cueGreeting|cueAsk|cueThanks|cuePeople) != 0, !in && t.mention != 0:
			return 0
		}
	}
	if in {
		return len(toks)
	}
	return 0
}

// alternative finds "A hay B" between two statuses and leaves the first:
// the second's words, and a "chưa" that asked about the first, are
// courtesy then. It reports whether it found one.
func alternative(toks []token) bool {
	const statusCues = cueRegular | cueSemi | cueVacant
	if cuesOf(toks)&(cueCount|cueShare|cueMore|cueMost|cueLeast|cueCompare|cueRank|cueWhich|cueList) != 0 {
		// "bao nhiêu chính quy hay bán chuyên trách", "... nhiều hơn":
		// not a yes/no.
		return false
	}
	found := false
	for i, t := range toks {
		if t.mention != 0 || t.fold != "hay" && t.fold != "hoac" {
			continue
		}
		before, after := false, false
		for k := i - 1; k >= 0 && toks[k].mention == 0 && (k == i-1 || toks[k+1].brk == 0); k-- {
			before = before || toks[k].cue&statusCues != 0
		}
		for k := i + 1; k < len(toks) && toks[k].brk == 0 && toks[k].mention == 0; k++ {
			after = after || toks[k].cue&statusCues != 0
		}
		if !before || !after {
			continue
		}
		found = true
		if i > 0 && toks[i-1].cue&cueNot != 0 {
			toks[i-1].cue = cueFiller
		}
		for k := i; k < len(toks) && (k == i || toks[k].brk == 0) && toks[k].mention == 0; k++ {
			toks[k].cue = cueFiller
		}
	}
	return found
}

// tail finds the word that ends a yes/no question ("chưa", "không",
// "phải không") and returns its index.
func tail(toks []token) (int, bool) {
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
		if t.mention != 0 {
			return 0, false
		}
		if t.cue&(cueNot|cueTail) != 0 && t.cue&^(cueNot|cueTail) == 0 {
			return i, true
		}
		if t.cue != cueFiller && t.cue != cueThanks {
			return 0, false
		}
	}
	return 0, false
}

// inherit completes q with what the part before it said and q does not:
// its place, its posts; with same ("... thì sao"), the whole question.
func (q *Query) inherit(prev Query, same bool) {
	if same {
		places, own, words := q.Places, q.Own, q.Words
		*q = prev
		q.Places, q.Own, q.Words = places, own, words
	}
	if len(q.Places) == 0 && q.Own == "" {
		q.Places, q.Own = prev.Places, prev.Own
		if len(q.Places) >= 2 && (q.Measure == store.MeasureCount || q.Measure == store.MeasureShare) {
			q.Measure = store.MeasureCompare
		}
	}
	if q.Topic == TopicRoster && q.Progress && len(q.Kinds) == 0 && (len(prev.Kinds) > 0 || len(prev.Statuses) > 0) && !prev.Progress {
		// "..., tỉ lệ đã có là bao nhiêu %", "huyện nào còn nhiều nhất":
		// of what the question before counted.
		q.Progress = false
		if len(q.Statuses) == 0 {
			q.Statuses, q.Match, q.Negated = prev.Statuses, prev.Match, prev.Negated
			if q.Measure == store.MeasureShare && prev.Negated {
				q.Statuses, q.Negated, q.Match = []store.Status{store.Regular}, false, ""
			}
		}
		if q.Unit == "" {
			q.Unit = prev.Unit
		}
	}
	if len(q.Kinds) == 0 && q.Topic == TopicRoster && !q.Progress && !q.everyKind {
		q.Kinds = prev.Kinds
	}
	if q.Unit == "" {
		q.Unit = prev.Unit
	}
	if q.Window.IsZero() && q.AsOf.IsZero() {
		q.Window, q.Changes = prev.Window, q.Changes || prev.Changes && !prev.Window.IsZero()
		q.AsOf = prev.AsOf
	}
}

// compose builds the query of one part of a message from its tokens.
func (g *Gazetteer) compose(toks []token, ms []mention, now time.Time) Query {
	q := Query{Words: rawText(toks), everyKind: hasWord(toks, "vi", "tri") || hasWord(toks, "chuc", "danh")}
	end, yesNo := tail(toks)
	// The words are the message's, shared with the other parts: compose
	// changes cues in a copy of its own.
	toks = slices.Clone(toks)
	if yesNo {
		toks[end].cue = cueFiller
	}
	for i, t := range toks {
		switch {
		case t.mention == 0 && t.cue&cueReport != 0 && t.fold == "bao" || t.cue&cueReport != 0 && t.fold == "cap":
			// "báo cáo" is a change reported when said of communes or
			// people ("xã nào báo cáo", "ai báo cáo"); otherwise it is
			// what the user asks for ("báo cáo số xã ...").
			kind := cueSummary
			if i > 0 && toks[i-1].cue&(cueWhich|cueUnitCommune|cueWho|cuePeople) != 0 && toks[i-1].mention == 0 ||
				i+2 < len(toks) && toks[i+2].cue&(cueNot|cueTail|cueWhat|cueRecent) != 0 {
				kind = cueChange
			}
			toks[i].cue, toks[i+1].cue = kind, kind
		case t.fold == "100" && i+1 < len(toks) && toks[i+1].cue&cueShare != 0:
			// "chính quy 100%": every post, not a share.
			toks[i+1].cue, toks[i].cue = cueAll, cueAll
			if i+2 < len(toks) && toks[i+2].cue&cueShare != 0 {
				toks[i+2].cue = cueAll
			}
		case t.fold == "nhat" && t.cue&cueLeast != 0 && i+1 < len(toks) && (numbers[toks[i+1].fold] > 0 || isDigits(toks[i+1].fold)):
			// "ít nhất một phó trưởng": at least, not the fewest.
			toks[i].cue, toks[i-1].cue = cueAll, cueAll
		case t.mention == 0 && t.fold == "thuoc" && i+1 < len(toks) && toks[i+1].fold == "dien":
			// "xã thuộc diện bố trí công an chính quy": which communes,
			// not what their posts are.
			for k := i; k < len(toks) && (k == i || toks[k].brk == 0); k++ {
				if toks[k].mention == 0 && toks[k].cue&(cueRegular|cueSemi|cueVacant|cuePolice|cueChief|cueDeputy|cueOfficer|cueAppoint|cueChange) != 0 {
					toks[k].cue = cueFiller
				}
			}
		}
	}
	// A moment the state is asked at: its words are read here, before the
	// cues are summed, so that they make no window.
	q.AsOf = asOf(toks, now)
	if alternative(toks) {
		// "cq hay bct?", "được cq chưa hay vẫn bct": which of two, asked
		// as whether the first holds; the answer says which.
		yesNo, q.Either = true, true
	}
	all := cuesOf(toks)

	q.Places, q.Own = g.places(toks, ms, all)
	if len(q.Places) == 0 && q.Own == "" || len(q.Places) == 1 && all&cueCompare != 0 {
		// Only where the answer would be about a place the words did not
		// name: the user's own, or one place alone in a comparison.
		q.Dropped = g.dropped(toks)
	}
	q.Kinds = kinds(toks)
	q.Types = types(toks)
	if q.AsOf.IsZero() {
		q.Window = window(toks, now)
	} else if all&cueAppoint != 0 && all&cueSituation == 0 {
		// "đến cuối năm 2020 đã bố trí được bao nhiêu": the placements
		// up to that moment, by the day the holders took their posts,
		// not the state the reports had recorded by then. "Tình hình bố
		// trí ... cuối quý I/2020" asks the state then.
		q.Window, q.AsOf = Window{To: q.AsOf}, time.Time{}
	}
	q.statuses(toks, all)
	q.Facts = facts(toks)
	if q.Match == store.MatchAll && len(q.Statuses) == 0 && len(q.Facts) > 0 {
		// "đã được xác nhận hết chưa": no post (held) whose report lacks
		// the fact; a vacant post has no holder to say it of.
		q.Match = store.MatchNone
		for i := range q.Facts {
			q.Facts[i].Lacks = !q.Facts[i].Lacks
		}
	}
	q.Unit = unit(toks)

	switch {
	case mostlyUnexplained(toks):
		// "Số quyết định không khớp với bản gốc": a statement, not a
		// question; a few words read do not make one.
		q.Topic = TopicUnknown
		return q
	case all&cueHelp != 0:
		q.Topic = TopicHelp
		return q
	case all&cueHistory != 0:
		q.Changes, q.History, q.Measure, q.Limit = true, true, store.MeasureList, 15
		q.Statuses, q.Match, q.Negated = nil, "", false
		return q
	case all&cueMilestone != 0 && all&(cueProgress|cueShare|cueBehind|cueWho|cueSince|cueSummary|cueOnTime) == 0 &&
		!(all&(cueCount|cueList|cueWhich) != 0 && q.Unit != ""):
		q.Topic = TopicDeadline
		return q
	}

	// What changed, over the reports: "tuần này có xã nào báo cáo".
	// Appointments are read from the day the holders took their posts:
	// "quý II bố trí thêm được mấy phó trưởng chính quy", "ai được bố
	// trí gần đây nhất".
	appoint := all&(cueAppoint|cueEarliest|cueOnTime) != 0 || !q.Window.IsZero() && hasWord(toks, "bo", "tri")
	if all&cueOnTime != 0 {
		// "đúng hạn", "kịp mốc quý I/2020": by the end of the period
		// named, or of the plan's current milestone.
		if !q.Window.To.IsZero() {
			q.Window.From = time.Time{}
		}
		q.OnTime = q.Window.IsZero()
	}
	if all&cueEarliest != 0 {
		all |= cueRecent | cueSuper | cueFew
	}
	if all&cueChange != 0 {
		q.Changes = true
		q.Latest = all&cueRecent != 0
		q.Match = ""
		if q.Negated && slices.Equal(q.Statuses, []store.Status{store.Semi, store.Vacant}) {
			// "xã nào chưa báo cáo": the communes without a change.
			q.Statuses, q.Match = nil, store.MatchNone
			q.Unit = store.UnitCommunes
		}
	} else if appoint || all&cueRecent != 0 {
		if len(q.Statuses) == 0 {
			q.Statuses = []store.Status{store.Regular}
		}
		if all&cueRecent != 0 && all&cueSuper != 0 {
			q.BySince = store.OrderDesc
			if all&cueFew != 0 {
				q.BySince = store.OrderAsc
			}
		}
	}

	groupLevel := groupOf(all)
	if q.BySince != "" {
		// "gần đây nhất", "sớm nhất": by the day, not a ranking.
		all &^= cueSuper | cueMany | cueFew
	}
	// "đã xong", "hoàn thành" with no post named: done as the plan says.
	plainDone := all&cueDone != 0 && all&cueRegular == 0 && len(q.Kinds) == 0 && !q.Negated
	switch {
	case all&cueSince != 0:
		q.Measure = store.MeasureSince
	case all&cueWho != 0 && !q.Negated || q.BySince != "":
		q.Measure = store.MeasureHolder
		if q.Changes {
			q.Unit = store.UnitPeople
		}
		if q.BySince != "" && q.Limit == 0 {
			q.Limit = 1
			if n := rankLimit(toks, all); n > 1 {
				q.Limit = n
			}
		}
	case all&cueCompare != 0 && (len(q.Places) >= 2 || len(q.Places) == 1 && len(q.Dropped) > 0) || len(q.Places) >= 2 && q.named() || all&cueEach != 0 && len(q.Places) >= 2:
		q.Measure = store.MeasureCompare
		q.ByShare = all&(cueShare|cueProgress) != 0
		q.Progress = len(q.Kinds) == 0 && len(q.Statuses) == 0
		if all&cueMore != 0 {
			// "bên nào nhiều hơn": the place with the most.
			q.Order = store.OrderDesc
			if all&cueFew != 0 {
				q.Order = store.OrderAsc
			}
		}
	case all&(cueMost|cueLeast|cueRank) != 0 || all&cueSuper != 0 && all&(cueMany|cueFew) != 0:
		q.Measure = store.MeasureRank
		// "nhiều ... nhất" says what is most; "chậm nhất" beside it only
		// frames it.
		switch {
		case all&cueSuper != 0 && all&cueMany != 0:
			q.Order = store.OrderDesc
		case all&cueSuper != 0 && all&cueFew != 0, all&cueLeast != 0:
			q.Order = store.OrderAsc
		default:
			q.Order = store.OrderDesc
		}
		q.Limit = rankLimit(toks, all)
		q.ByShare = all&(cueShare|cueProgress) != 0
		if lv := levelNoun(toks); lv != "" {
			groupLevel = lv
		}
		q.Group = groupLevel
		if all&(cueShare|cueProgress) != 0 || len(q.Statuses) == 0 && all&cueDone == 0 {
			q.Progress = all&cueShare == 0 && len(q.Kinds) == 0 && len(q.Statuses) == 0
		}
	case all&(cueShare|cueProgress) != 0:
		q.Measure = store.MeasureShare
		if all&cueProgress != 0 && len(q.Statuses) == 0 && len(q.Kinds) > 0 {
			// "tiến độ bố trí trưởng công an": communes with every such
			// post regular.
			q.Statuses, q.Match = []store.Status{store.Regular}, store.MatchAll
			if q.Unit == "" {
				q.Unit = store.UnitCommunes
			}
		}
		q.Progress = len(q.Kinds) == 0 && q.Unit == "" && !q.Negated &&
			(len(q.Statuses) == 0 || slices.Equal(q.Statuses, []store.Status{store.Regular}) && all&cueUnitPost == 0 && !hasWord(toks, "chung"))
	case all&cueCount != 0:
		q.Measure = store.MeasureCount
		q.Progress = plainDone
	case all&cueList != 0:
		q.Measure = store.MeasureList
	case yesNo:
		// "có chỗ nào trống không": whether there is one.
		q.Measure = store.MeasureYesNo
		q.Progress = plainDone
	case all&cueWhat != 0 || which(toks):
		q.Measure = store.MeasureList
	case all&cueSummary != 0 && (len(q.Statuses) > 0 || len(q.Kinds) > 0):
		q.Measure = store.MeasureCount
	case len(q.Statuses) > 0 || q.Negated:
		q.Measure = store.MeasureList
	case all&cueBehind != 0:
		q.Measure, q.Progress = store.MeasureShare, true
	case len(q.Places) > 0 || q.Own != "" || len(q.Kinds) > 0 || all&(cueUnitCommune|cueUnitPost|cuePolice|cueDone) != 0 ||
		all&(cueSituation|cueSummary) != 0 && !unexplained(toks):
		q.Overview = true
		q.Measure = store.MeasureList
	case all&cueHelpWeak != 0:
		q.Topic = TopicHelp
		return q
	default:
		q.Topic = TopicUnknown
		return q
	}
	if q.Window.oneDay() && all&(cueChange|cueAppoint|cueEarliest|cueOnTime|cueSince|cueRecent) == 0 && !hasWord(toks, "bo", "tri") {
		// "ngày 31/03/2020 thị trấn Vụ Bản có tcax cq chưa": a day named
		// alone, of the state, is the moment it is asked at; the changes
		// of that day are asked with words of change. Today ("hôm nay")
		// is the state as it is.
		q.AsOf, q.Window = q.Window.To, Window{}
		if q.AsOf.After(now) {
			q.AsOf = time.Time{}
		}
	}

	if q.Measure == store.MeasureYesNo && q.Window.To.IsZero() && !q.Window.Through.IsZero() && !hasWord(toks, "den", "nay") {
		// "TCAX xã em chính quy từ năm 2019 phải không": since a day of
		// 2019, not of any year after.
		q.Window.To = q.Window.Through
	}
	if q.Measure == store.MeasureRank || q.Measure == store.MeasureCompare {
		return q
	}
	if q.Changes && q.Overview {
		q.Overview = false // "những thay đổi gần đây": the changes, listed
	}
	if groupLevel != "" && (q.Measure == store.MeasureCount || q.Measure == store.MeasureList || q.Measure == store.MeasureShare) {
		q.Group = groupLevel
	}
	if q.Changes && q.Latest && q.Limit == 0 {
		q.Limit = 10
		if hasWord(toks, "nhat") || all&cueWho != 0 && !hasWord(toks, "nhung") {
			q.Limit = 1
		}
	}
	return q
}

// levelNoun is the level a ranking's words name its groups by: "top 3
// tỉnh", "huyện nào", "xã, thị trấn nào".
func levelNoun(toks []token) store.Level {
	for i, t := range toks {
		if t.mention != 0 {
			continue
		}
		next := i+1 < len(toks) && (toks[i+1].cue&(cueWhich|cueMany|cueFew|cueSuper|cueMost|cueLeast) != 0 ||
			toks[i+1].cue == cueFiller && toks[i+1].fold == "co")
		prev := i > 0 && (isDigits(toks[i-1].fold) || toks[i-1].cue&(cueRank|cuePlural) != 0)
		if !next && !prev && t.cue&(cueByDistrict|cueByProvince|cueByCommune) == 0 {
			continue
		}
		if t.fold == "phuong" && i > 0 && toks[i-1].fold == "dia" || t.fold == "vi" && i > 0 && toks[i-1].fold == "don" ||
			t.fold == "dia" && i+1 < len(toks) && toks[i+1].fold == "phuong" {
			// "địa phương nào", "top 3 đơn vị": the level below the place.
			return ""
		}
		if t.cue&cueDistrictWord != 0 && t.cue&cueByProvince == 0 {
			// "huyện, thành phố nào", "tỉnh, TP nào": the first word of
			// the list says the level.
			k := i
			for k > 0 && toks[k-1].mention == 0 && toks[k-1].cue&cueDistrictWord != 0 {
				k--
			}
			if toks[k].fold == "tinh" {
				return store.LevelProvince
			}
			return store.LevelDistrict
		}
		switch {
		case t.cue&cueByProvince != 0:
			return store.LevelProvince
		case t.cue&cueByDistrict != 0 || t.fold == "huyen":
			return store.LevelDistrict
		case t.cue&cueUnitCommune != 0 || t.cue&cueByCommune != 0:
			return store.LevelCommune
		}
	}
	return ""
}

// unexplained reports whether some words are neither a place nor a word
// of the questions: "thời tiết hôm nay thế nào" is not about the roster.
func unexplained(toks []token) bool {
	for _, t := range toks {
		if t.mention == 0 && t.cue == 0 && !isDigits(t.fold) {
			return true
		}
	}
	return false
}

// mostlyUnexplained reports whether more of the words are unexplained
// (neither a place nor a word of the questions) than read as saying
// something (filler aside).
func mostlyUnexplained(toks []token) bool {
	unread, read := 0, 0
	for _, t := range toks {
		switch {
		case t.mention == 0 && t.cue == 0 && !isDigits(t.fold):
			unread++
		case t.mention != 0 || t.cue&^cueFiller != 0:
			read++
		}
	}
	return unread > read
}

// named reports whether the query names places of its own (not the
// user's own scope).
func (q Query) named() bool {
	n := 0
	for _, m := range q.Places {
		if len(m.Candidates) > 0 || m.Unmatched != "" || len(m.Suggestions) > 0 {
			n++
		}
	}
	return n >= 2
}

func hasWord(toks []token, ws ...string) bool {
	for i := range toks {
		ok := true
		for k, w := range ws {
			if i+k >= len(toks) || toks[i+k].mention != 0 || toks[i+k].fold != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func rawText(toks []token) string {
	// The words of an expansion share their raw word: it is written once.
	// A first pass sizes the text, and finds a single word, which needs
	// no copy.
	n, count, one, last := 0, 0, "", ""
	for _, t := range toks {
		if t.raw == "" || t.raw == last && t.brk == 0 {
			continue
		}
		n, count, one, last = n+len(t.raw), count+1, t.raw, t.raw
	}
	if count <= 1 {
		return one
	}
	var b strings.Builder
	b.Grow(n + count - 1)
	last = ""
	for _, t := range toks {
		if t.raw == "" || t.raw == last && t.brk == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.raw)
		last = t.raw
	}
	return b.String()
}

// groupOf reads a breakdown: by province, district or commune.
func groupOf(all cue) store.Level {
	switch {
	case all&cueByProvince != 0:
		return store.LevelProvince
	case all&cueByDistrict != 0:
		return store.LevelDistrict
	case all&cueByCommune != 0:
		return store.LevelCommune
	}
	return ""
}

// rankLimit reads how many of a ranking are asked: "top 3", "3 huyện";
// one for "nhất", all for "xếp hạng".
func rankLimit(toks []token, all cue) int {
	for i, t := range toks {
		n := numbers[t.fold]
		if t.mention != 0 || n == 0 && (!isDigits(t.fold) || len(t.fold) > 2) {
			continue
		}
		for _, r := range t.fold {
			if r >= '0' && r <= '9' {
				n = 10*n + int(r-'0')
			}
		}
		prevTop := i > 0 && toks[i-1].cue&cueRank != 0
		nextUnit := i+1 < len(toks) && toks[i+1].brk == 0 && (toks[i+1].cue&(cueUnitCommune|cueByDistrict|cueByProvince|cueUnitPost|cueDistrictWord) != 0 ||
			toks[i+1].fold == "tinh")
		if (prevTop || nextUnit) && n > 0 {
			return n
		}
	}
	if all&cueRank != 0 {
		return 0 // "xếp hạng": all of them
	}
	if all&(cueMost|cueLeast|cueSuper) != 0 {
		return 1
	}
	return 0
}

// which reports whether "nào" follows a unit: "xã nào", "vị trí nào".
func which(toks []token) bool {
	for i, t := range toks {
		if t.cue&cueWhich != 0 && t.mention == 0 {
			if t.cue&(cueByDistrict|cueByProvince|cueUnitCommune) != 0 {
				return true
			}
			if i > 0 && toks[i-1].mention == 0 && toks[i-1].cue&(cueUnitCommune|cueUnitPost|cuePeople|cueChief|cueDeputy|cueOfficer|cuePolice) != 0 {
				return true
			}
		}
	}
	return false
}

// places returns the places the words name, and the user's own place
// they name by position.
func (g *Gazetteer) places(toks []token, ms []mention, all cue) ([]Mention, Own) {
	var out []Mention
	seen := make(map[int]bool)
	for _, t := range toks {
		if t.mention == 0 || seen[t.mention] {
			continue
		}
		seen[t.mention] = true
		m := ms[t.mention-1]
		if m.qualifier {
			continue
		}
		out = append(out, g.mentionOf(m))
	}
	own := Own("")
	switch {
	case all&cueNational != 0:
		own = OwnNational
	case all&cueOwnDistrict != 0:
		own = OwnDistrict
	case all&cueOwn != 0:
		own = OwnUnit
	case all&cueProvince != 0 && len(out) == 0:
		own = OwnProvince
	}
	if len(out) > 0 && own != OwnNational {
		own = ""
	}
	return out, own
}

// mentionOf turns a mention found in the words into what Query carries.
func (g *Gazetteer) mentionOf(m mention) Mention {
	out := Mention{Levels: m.levels, Type: m.ctype, Within: m.within}
	if len(m.names) > 0 {
		out.Candidates = g.candidates(m)
		if len(out.Candidates) > 0 {
			return out
		}
		// A province the roster does not hold.
		if len(out.Levels) == 0 {
			out.Levels = []string{LevelProvince}
		}
	}
	for _, s := range m.near {
		out.Suggestions = append(out.Suggestions, g.names[s.name].place)
	}
	out.Unmatched = m.raw
	return out
}

// kinds returns the posts the words name, in order.
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
			if t.cue&k.c != 0 && !slices.Contains(ks, k.kind) {
				ks = append(ks, k.kind)
			}
		}
	}
	return ks
}

// types returns the commune types the words ask about as units.
func types(toks []token) []store.CommuneType {
	var ts []store.CommuneType
	for i, t := range toks {
		if t.mention != 0 || t.cue&cueUnitCommune == 0 {
			continue
		}
		switch t.fold {
		case "phuong":
			if i > 0 && toks[i-1].fold == "dia" {
				continue // "địa phương": a place, of any kind
			}
			ts = append(ts, store.Phuong)
		case "xa":
			ts = append(ts, store.Xa)
		case "tran":
			ts = append(ts, store.ThiTran)
		}
	}
	slices.Sort(ts)
	ts = slices.Compact(ts)
	if hasWord(toks, "cap", "xa") || hasWord(toks, "hanh", "chinh") {
		// "đơn vị hành chính cấp xã": every commune-level unit.
		return []store.CommuneType{store.Xa, store.ThiTran, store.Phuong}
	}
	switch {
	case len(ts) == 0 || !slices.Contains(ts, store.Phuong) && slices.Contains(ts, store.Xa):
		// "xã", "xã, thị trấn": the plan's units, as by default.
		return nil
	case slices.Contains(ts, store.Phuong) && slices.Contains(ts, store.Xa):
		// "xã, phường": every commune-level unit.
		return []store.CommuneType{store.Xa, store.ThiTran, store.Phuong}
	}
	return ts
}

// statuses reads the statuses asked about, their polarity and how many
// of a commune's posts must have them.
func (q *Query) statuses(toks []token, all cue) {
	regular, semi, vacant := all&cueRegular != 0, all&cueSemi != 0, all&cueVacant != 0
	// A negation, unless it is part of a vacancy's phrase ("chưa có
	// người"): that one says what the posts are.
	neg := false
	for _, t := range toks {
		if t.mention == 0 && t.cue&(cueNeg|cueNot) != 0 && t.cue&cueVacant == 0 {
			neg = true
		}
	}
	none := all&cueNone != 0
	if neg {
		// "chưa có phó trưởng chính quy nào": not a single one.
		for i, t := range toks {
			if t.mention == 0 && t.cue == cueWhich && i > 0 && toks[i-1].mention == 0 &&
				toks[i-1].cue&(cueRegular|cueSemi|cueChief|cueDeputy|cueOfficer|cuePolice) != 0 {
				none = true
			}
		}
	}
	allPosts := false
	for i, t := range toks {
		if t.mention != 0 || t.cue&cueAll == 0 {
			continue
		}
		// "tất cả các xã" counts every commune; "đủ", "cả 2 phó", "chính
		// quy hết" ask for every post.
		next := func(k int) cue {
			if i+k < len(toks) && toks[i+k].mention == 0 {
				return toks[i+k].cue
			}
			return 0
		}
		if next(1)&(cueUnitCommune|cueByDistrict|cueByProvince) != 0 ||
			next(1)&(cuePlural|cueList) != 0 && next(2)&(cueUnitCommune|cueByDistrict|cueByProvince) != 0 {
			continue
		}
		allPosts = true
	}
	// "100%" of the posts, "chính quy 100%": all of them.
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].fold == "100" && toks[i+1].cue&cueShare != 0 {
			allPosts = true
			toks[i+1].cue = cueFiller
		}
	}
	q.AtLeast = atLeast(toks)
	switch {
	case neg && !semi && !vacant:
		q.Negated = true
		if none {
			q.Statuses, q.Match = []store.Status{store.Regular}, store.MatchNone
		} else {
			q.Statuses = []store.Status{store.Semi, store.Vacant}
		}
	case neg && semi && !regular && !vacant:
		q.Negated = true
		q.Statuses, q.Match = []store.Status{store.Semi}, store.MatchNone
	case vacant || semi:
		if vacant {
			q.Statuses = append(q.Statuses, store.Vacant)
		}
		if semi {
			q.Statuses = append([]store.Status{store.Semi}, q.Statuses...)
		}
		q.Negated = neg && regular
	case regular || all&cueDone != 0:
		q.Statuses = []store.Status{store.Regular}
	}
	if allPosts && q.Match == "" {
		if q.Negated {
			// "chưa đủ": some post lacks.
			return
		}
		q.Match = store.MatchAll
		// "chính quy hết chưa": every post regular; "đã được xác nhận hết
		// chưa": every post's report says the fact, whoever holds it.
		if len(q.Statuses) == 0 && all&cueFact == 0 {
			q.Statuses = []store.Status{store.Regular}
		}
	}
}

// numbers are the numbers people write in words.
var numbers = map[string]int{"mot": 1, "hai": 2, "ba": 3, "bon": 4}

// atLeast reads how many posts of a kind must match: "đủ 2 phó", "cả
// hai phó", "ít nhất một phó trưởng chính quy".
func atLeast(toks []token) int {
	for i := 0; i+1 < len(toks); i++ {
		n, ok := numbers[toks[i].fold]
		if !ok && isDigits(toks[i].fold) && len(toks[i].fold) == 1 {
			n, ok = int(toks[i].fold[0]-'0'), true
		}
		if !ok || toks[i].mention != 0 || toks[i+1].cue&(cueChief|cueDeputy|cueOfficer) == 0 {
			continue
		}
		if i > 0 && (toks[i-1].cue&cueAll != 0 || toks[i-1].fold == "nhat" && toks[i-1].cue&cueLeast != 0) {
			return n
		}
	}
	return 0
}

// unit decides whether communes, posts or people are counted or listed:
// the unit word next to "bao nhiêu", "những", "các" or before "nào"
// decides.
func unit(toks []token) store.Unit {
	unitOf := func(t token) store.Unit {
		switch {
		case t.mention != 0:
			return ""
		case t.cue&cueDistrictWord != 0 && t.fold == "tinh":
			return UnitProvinces
		case t.cue&cueDistrictWord != 0:
			return UnitDistricts
		case t.cue&cueUnitCommune != 0:
			return store.UnitCommunes
		case t.cue&cuePeople != 0:
			return store.UnitPeople
		case t.cue&(cueUnitPost|cueChief|cueDeputy|cueOfficer) != 0:
			return store.UnitPosts
		}
		return ""
	}
	// What "nhiều", "ít" are said of is what a ranking counts: "xã nào
	// còn nhiều công an viên chưa chính quy nhất" counts officers.
	after := func(i int) store.Unit {
		for k := i + 1; k < len(toks) && k <= i+4; k++ {
			if u := unitOf(toks[k]); u != "" {
				return u
			}
			if toks[k].cue != cueFiller && toks[k].cue&(cueCount|cueList|cuePlural|cueAll|cuePolice) == 0 {
				break
			}
		}
		return ""
	}
	for i, t := range toks {
		if t.mention == 0 && t.cue&(cueMany|cueFew) != 0 {
			if u := after(i); u != "" {
				return u
			}
			if i+1 < len(toks) && toks[i+1].cue&(cueSemi|cueVacant) != 0 {
				return store.UnitPosts // "nhiều BCT nhất": posts
			}
		}
	}
	for i, t := range toks {
		if t.mention == 0 && t.cue&(cueCount|cueShare) != 0 {
			if u := after(i); u != "" {
				return u
			}
		}
	}
	for i, t := range toks {
		// "xã nào", "vị trí nào".
		if t.mention == 0 && t.cue&cueWhich != 0 && t.cue&cueUnitCommune != 0 {
			return store.UnitCommunes
		}
		if t.mention == 0 && t.cue&cueWhich != 0 && i > 0 && toks[i-1].mention == 0 {
			if toks[i-1].fold == "xa" {
				return store.UnitCommunes
			}
			if u := unitOf(toks[i-1]); u != "" {
				return u
			}
		}
	}
	for i, t := range toks {
		if t.mention == 0 && t.cue&(cueList|cuePlural|cueAll) != 0 {
			if u := after(i); u != "" {
				return u
			}
		}
	}
	for i, t := range toks {
		if t.mention != 0 {
			continue
		}
		if t.cue&cueWhich != 0 {
			if t.cue&cueUnitCommune != 0 {
				return store.UnitCommunes
			}
			if t.cue&(cueByDistrict|cueByProvince) != 0 {
				continue
			}
			if i > 0 && toks[i-1].fold == "xa" && toks[i-1].mention == 0 {
				// "trưởng công an xã nào": which commune's chief.
				return store.UnitCommunes
			}
			if i > 0 {
				if u := unitOf(toks[i-1]); u != "" {
					return u
				}
			}
		}
	}
	for _, t := range toks {
		if t.mention == 0 && t.cue&cueUnitPost != 0 {
			return store.UnitPosts
		}
	}
	if cuesOf(toks)&cueCount != 0 {
		for _, t := range toks {
			if t.mention == 0 && t.cue&cueUnitCommune != 0 && t.cue&cuePolice == 0 {
				return store.UnitCommunes // "xã, TT chưa có ...: còn mấy"
			}
		}
	}
	return ""
}

// dropped finds the communes and districts whose folded name is exactly
// a run of two or more words no mention holds, longest runs first; a
// word of an abbreviation's expansion ("cq") is none of a name's, and a
// run that cuts a phrase of the questions ("thành phố có" is no Phố Cò,
// "tỉ lệ xã" no Lệ Xá) is none either.
func (g *Gazetteer) dropped(toks []token) []Place {
	var phrases [][2]int
	for i := 0; i < len(toks); {
		if _, n := phraseAt(toks, i); n >= 2 {
			phrases = append(phrases, [2]int{i, i + n})
			i += n
			continue
		}
		i++
	}
	cuts := func(from, to int) bool {
		for _, p := range phrases {
			if p[0] < to && p[1] > from && (p[0] < from || p[1] > to) {
				return true
			}
		}
		return false
	}
	var out []Place
	for i := 0; i < len(toks); {
		k := g.droppedAt(toks, i, cuts, func(n int32) {
			if p := g.names[n].place; p.Level != LevelProvince && !g.names[n].foreign && !slices.Contains(out, p) {
				out = append(out, p)
			}
		})
		i += max(k, 1)
	}
	return out
}

// droppedAt calls add with each name spelled by the longest run of free
// words at toks[i] that cuts no phrase, and returns the run's length (0:
// none).
func (g *Gazetteer) droppedAt(toks []token, i int, cuts func(from, to int) bool, add func(int32)) int {
	n := 0
	for n < g.maxWords && i+n < len(toks) && toks[i+n].mention == 0 && toks[i+n].grp == 0 && (n == 0 || toks[i+n].brk == 0) {
		n++
	}
	for k := n; k >= 2; k-- {
		if cuts(i, i+k) {
			continue
		}
		span := toks[i : i+k]
		var found []int32
		for _, nm := range g.exactToks(span) {
			if slices.Equal(g.names[nm].fold, foldWords(span)) {
				found = append(found, nm)
			}
		}
		if len(found) > 0 {
			for _, nm := range found {
				add(nm)
			}
			return k
		}
	}
	return 0
}

func foldWords(toks []token) []string {
	out := make([]string, len(toks))
	for i, w := range words(toks) {
		out[i] = w.fold
	}
	return out
}
