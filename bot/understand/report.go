package understand

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/caxbot/caxbot/store"
	"golang.org/x/text/unicode/norm"
)

// Date is a calendar day as a user wrote it, without a time zone: the
// bot places it in Asia/Ho_Chi_Minh.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// In returns midnight of the day in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// String writes the day the Vietnamese way: 15/03/2020.
func (d Date) String() string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }

// ReportForm is what the short report text says: which post of which
// commune now has which status and holder, since when.
type ReportForm struct {
	Commune *Place // nil: the user's own commune
	Kind    store.PostKind
	Slot    int // from 1; 1 unless a number follows the post
	Status  store.Status
	Holder  string // as typed, NFC; empty for a vacant post
	Since   *Date  // nil: today
}

// Problem says what is wrong with a report text; the bot turns it into a
// message from its catalog.
type Problem string

const (
	ProblemEmpty            Problem = "empty"
	ProblemTooLong          Problem = "too_long"          // more words than any report needs
	ProblemMissingKind      Problem = "missing_kind"      // no trưởng, phó or công an viên
	ProblemBadSlot          Problem = "bad_slot"          // a number that cannot be the post's slot
	ProblemMissingStatus    Problem = "missing_status"    // no chính quy, bán chuyên trách or trống after the post
	ProblemMissingHolder    Problem = "missing_holder"    // a held post without a name
	ProblemUnexpectedHolder Problem = "unexpected_holder" // a vacant post with a name
	ProblemBadDate          Problem = "bad_date"          // a date that is no day
	ProblemUnknownCommune   Problem = "unknown_commune"   // Places holds the nearest names, if any
	ProblemAmbiguousCommune Problem = "ambiguous_commune" // Places holds the candidates
	ProblemNotACommune      Problem = "not_a_commune"     // a district where a commune belongs
)

// FormError is why ParseReport could not read a report text.
type FormError struct {
	Problem Problem
	Words   string  // the words at fault, as typed, when there are some
	Places  []Place // candidates or suggestions for the commune problems
}

func (e *FormError) Error() string {
	if e.Words == "" {
		return fmt.Sprintf("understand: report: %s", e.Problem)
	}
	return fmt.Sprintf("understand: report: %s: %q", e.Problem, e.Words)
}

// maxReportWords bounds a report text: a commune, a post, a status, a
// name and a date fit in far fewer.
const maxReportWords = 40

// maxSlot bounds a slot number: no commune has this many posts of a kind.
const maxSlot = 50

var (
	dateForm = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`)
	// dateLike is anything a user may have meant as a date.
	dateLike = regexp.MustCompile(`^\d{1,4}[/.-]\d{1,4}([/.-]\d{1,4})?$`)
)

// reportWord is a word of the report text with the tokens it folds to.
type reportWord struct {
	raw  string
	toks []token
}

// ParseReport reads the arguments of the report command:
//
//	[commune] kind [slot] status [holder] [date]
//
// as in "truong chinh quy Bùi Văn An 15/03/2020", "pho 2 ban chuyen
// trach Nguyen Van B", "cav 3 trong", "xa Tan Lap truong chinh quy ...".
// The date may stand anywhere and may follow "ngày" or "từ ngày".
func ParseReport(args string, g *Gazetteer) (ReportForm, error) {
	words, since, err := reportWords(args)
	if err != nil {
		return ReportForm{}, err
	}
	switch {
	case len(words) == 0:
		return ReportForm{}, &FormError{Problem: ProblemEmpty}
	case len(words) > maxReportWords:
		return ReportForm{}, &FormError{Problem: ProblemTooLong}
	}
	var toks []token
	var src []int // the word each token comes from
	for i, w := range words {
		toks = append(toks, w.toks...)
		for range w.toks {
			src = append(src, i)
		}
	}
	at, kind, n := postAt(toks, g)
	if n == 0 {
		return ReportForm{}, &FormError{Problem: ProblemMissingKind}
	}
	form := ReportForm{Kind: kind, Slot: 1, Since: since}
	if at > 0 {
		p, err := reportCommune(toks[:at], g, rawWords(words[:src[at]]))
		if err != nil {
			return ReportForm{}, err
		}
		form.Commune = p
	}
	i := at + n
	for i < len(toks) && toks[i].cue&cuePolice != 0 {
		i++
	}
	if i < len(toks) && isDigits(toks[i].fold) {
		slot, err := strconv.Atoi(toks[i].fold)
		if err != nil || slot < 1 || slot > maxSlot || (kind == store.Chief && slot != 1) {
			return ReportForm{}, &FormError{Problem: ProblemBadSlot, Words: words[src[i]].raw}
		}
		form.Slot = slot
		i++
	}
	status, n := statusAt(toks, i)
	if n == 0 {
		return ReportForm{}, &FormError{Problem: ProblemMissingStatus}
	}
	form.Status = status
	if end := i + n; end < len(toks) {
		form.Holder = holder(words[src[end-1]+1:])
	}
	switch {
	case form.Status == store.Vacant && form.Holder != "":
		return ReportForm{}, &FormError{Problem: ProblemUnexpectedHolder, Words: form.Holder}
	case form.Status != store.Vacant && form.Holder == "":
		return ReportForm{}, &FormError{Problem: ProblemMissingHolder}
	}
	return form, nil
}

// reportWords splits the text into words, takes the date out, and folds
// the rest.
func reportWords(args string) ([]reportWord, *Date, error) {
	raw := strings.FieldsFunc(norm.NFC.String(args), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';'
	})
	if len(raw) > 0 && strings.HasPrefix(raw[0], "/") {
		// The command itself, when the bot passes the whole message.
		raw = raw[1:]
	}
	var words []reportWord
	var since *Date
	for _, r := range raw {
		r = strings.TrimFunc(r, func(c rune) bool { return unicode.IsPunct(c) && c != '/' })
		if r == "" {
			continue
		}
		if dateLike.MatchString(r) {
			d, ok := parseDate(r)
			if !ok || since != nil {
				return nil, nil, &FormError{Problem: ProblemBadDate, Words: r}
			}
			since = &d
			words = dropDateWords(words)
			continue
		}
		toks := tokens(r)
		if len(toks) == 0 {
			continue
		}
		words = append(words, reportWord{raw: r, toks: toks})
	}
	// "p truong" was cut into two words: the abbreviation needs its
	// neighbour to mean deputy.
	for i := 0; i+1 < len(words); i++ {
		if Fold(words[i].raw) == "p" && words[i+1].toks[0].fold == "truong" {
			words[i].toks = []token{{word: word{fold: "pho"}}}
		}
	}
	return words, since, nil
}

// tonedTu is "từ" (since), which a holder's name cannot end with, unlike
// "Tú" or "Tư", which all fold to "tu".
var tonedTu = tonedKey("t\u01b0\u0300")

// dropDateWords drops "ngày", "từ ngày" or "từ" that introduced a date
// from the end of words.
func dropDateWords(words []reportWord) []reportWord {
	last := func() word { return words[len(words)-1].toks[0].word }
	if len(words) > 0 && last().fold == "ngay" {
		words = words[:len(words)-1]
		if len(words) > 0 && last().fold == "tu" && (last().toned == "" || last().toned == tonedTu) {
			words = words[:len(words)-1]
		}
		return words
	}
	if len(words) > 0 && last().toned == tonedTu {
		words = words[:len(words)-1]
	}
	return words
}

func parseDate(s string) (Date, bool) {
	m := dateForm.FindStringSubmatch(s)
	if m == nil {
		return Date{}, false
	}
	day, _ := strconv.Atoi(m[1])
	month, _ := strconv.Atoi(m[2])
	year, _ := strconv.Atoi(m[3])
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if year < 1900 || t.Day() != day || int(t.Month()) != month {
		return Date{}, false
	}
	return Date{Year: year, Month: time.Month(month), Day: day}, true
}

// postAt finds the post the report is about: the first phrase naming a
// post that does not belong to the commune's name before it ("xã Xuân
// Trường trưởng chính quy ...").
func postAt(toks []token, g *Gazetteer) (int, store.PostKind, int) {
	type candidate struct {
		at, n int
		kind  store.PostKind
	}
	var cands []candidate
	for i := 0; i < len(toks); {
		c, n := phraseAt(toks, i)
		if n == 0 {
			i++
			continue
		}
		switch {
		case c&cueDeputy != 0:
			cands = append(cands, candidate{i, n, store.Deputy})
		case c&cueChief != 0:
			cands = append(cands, candidate{i, n, store.Chief})
		case c&cueOfficer != 0:
			cands = append(cands, candidate{i, n, store.Officer})
		}
		i += n
	}
	if len(cands) == 0 {
		return 0, "", 0
	}
	for _, c := range cands {
		if c.at == 0 || wholeName(toks[:c.at], g) {
			return c.at, c.kind, c.n
		}
	}
	return cands[0].at, cands[0].kind, cands[0].n
}

// wholeName reports whether toks are exactly a place name, with or
// without its type word and district.
func wholeName(toks []token, g *Gazetteer) bool {
	fresh := freshTokens(toks)
	ms := g.findPlaces(fresh)
	for _, t := range fresh {
		if t.mention == 0 && t.cue != cueFiller {
			return false
		}
	}
	for _, m := range ms {
		if len(m.names) == 0 {
			return false
		}
	}
	return len(ms) > 0
}

// reportCommune resolves the commune named before the post.
func reportCommune(toks []token, g *Gazetteer, typed string) (*Place, error) {
	ms := g.findPlaces(freshTokens(toks))
	p, ambiguous := g.subject(ms, false)
	candidates := ambiguous
	if p != nil {
		candidates = []Place{*p}
	}
	var communes []Place
	for _, c := range candidates {
		if c.Level == LevelCommune {
			communes = append(communes, c)
		}
	}
	switch {
	case len(communes) == 1:
		return &communes[0], nil
	case len(communes) > 1:
		return nil, &FormError{Problem: ProblemAmbiguousCommune, Words: typed, Places: communes}
	case len(candidates) > 0:
		return nil, &FormError{Problem: ProblemNotACommune, Words: typed, Places: candidates}
	}
	var near []Place
	for _, m := range ms {
		for _, s := range m.near {
			if pl := g.names[s.name].place; pl.Level == LevelCommune {
				near = append(near, pl)
			}
		}
	}
	return nil, &FormError{Problem: ProblemUnknownCommune, Words: typed, Places: near}
}

func freshTokens(toks []token) []token {
	fresh := make([]token, len(toks))
	for i, t := range toks {
		fresh[i] = token{word: t.word}
	}
	return fresh
}

// statusAt reads the status phrase at toks[i].
func statusAt(toks []token, i int) (store.Status, int) {
	if i >= len(toks) {
		return "", 0
	}
	c, n := phraseAt(toks, i)
	switch {
	case n == 0 || c&cueNeg != 0 && c&cueVacant == 0:
		// "chưa chính quy" says what the post is not, not what it is.
		return "", 0
	case c&cueRegular != 0:
		return store.Regular, n
	case c&cueSemi != 0:
		return store.Semi, n
	case c&cueVacant != 0:
		return store.Vacant, n
	}
	return "", 0
}

// holder joins the words of a holder's name as typed.
func holder(words []reportWord) string {
	return strings.Join(strings.Fields(rawWords(words)), " ")
}

func rawWords(words []reportWord) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = w.raw
	}
	return strings.Join(parts, " ")
}
