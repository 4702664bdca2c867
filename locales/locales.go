// Package locales holds every text a person reads, Vietnamese first and
// English second, as embedded JSON catalogs, one file per area of the
// product (locales/vi/bot.json, locales/en/bot.json, ...).
//
// A catalog value is either a string, formatted with fmt verbs (use
// indexed verbs such as %[2]s when a translation needs another order), or
// an object of plural forms: Vietnamese has one ("other"), English two
// ("one", "other").
package locales

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed vi/*.json en/*.json
var catalogFiles embed.FS

// Default is the language used when a user has chosen none and Telegram
// gives no hint we support.
const Default = "vi"

// pluralForms lists the forms each language needs.
var pluralForms = map[string][]string{
	"vi": {"other"},
	"en": {"one", "other"},
}

type message struct {
	text  string            // a plain message
	forms map[string]string // a plural message
}

// Catalog is every message of every language.
type Catalog struct {
	langs map[string]map[string]message
}

// Load reads the embedded catalogs.
func Load() (*Catalog, error) { return load(catalogFiles) }

func load(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{langs: make(map[string]map[string]message)}
	for lang := range pluralForms {
		files, err := fs.Glob(fsys, lang+"/*.json")
		if err != nil {
			return nil, fmt.Errorf("locales: list %s: %w", lang, err)
		}
		msgs := make(map[string]message)
		for _, name := range files {
			if err := loadFile(fsys, name, lang, msgs); err != nil {
				return nil, err
			}
		}
		c.langs[lang] = msgs
	}
	return c, nil
}

func loadFile(fsys fs.FS, name, lang string, into map[string]message) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("locales: read %s: %w", name, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("locales: parse %s: %w", name, err)
	}
	for key, v := range raw {
		if _, dup := into[key]; dup {
			return fmt.Errorf("locales: %s: key %q is defined twice", name, key)
		}
		var text string
		if err := json.Unmarshal(v, &text); err == nil {
			into[key] = message{text: text}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			return fmt.Errorf("locales: %s: key %q is neither a string nor plural forms", name, key)
		}
		for _, f := range pluralForms[lang] {
			if _, ok := forms[f]; !ok {
				return fmt.Errorf("locales: %s: key %q lacks plural form %q", name, key, f)
			}
		}
		into[key] = message{forms: forms}
	}
	return nil
}

// Langs returns the supported languages, the default first.
func (c *Catalog) Langs() []string {
	out := []string{Default}
	for l := range c.langs {
		if l != Default {
			out = append(out, l)
		}
	}
	sort.Strings(out[1:])
	return out
}

// Supported reports whether lang has a catalog.
func (c *Catalog) Supported(lang string) bool { _, ok := c.langs[lang]; return ok }

// Match picks the catalog for a Telegram language_code such as "en-US";
// anything unknown falls back to Vietnamese.
func (c *Catalog) Match(code string) string {
	code = strings.ToLower(code)
	if i := strings.IndexAny(code, "-_"); i >= 0 {
		code = code[:i]
	}
	if c.Supported(code) {
		return code
	}
	return Default
}

// Keys returns the sorted keys of a language (for tests and tools).
func (c *Catalog) Keys(lang string) []string {
	var keys []string
	for k := range c.langs[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Printer formats messages in one language.
type Printer struct {
	lang string
	msgs map[string]message
	loc  *time.Location
}

// Printer returns a printer for lang (Vietnamese when unsupported) that
// shows times in loc.
func (c *Catalog) Printer(lang string, loc *time.Location) *Printer {
	msgs, ok := c.langs[lang]
	if !ok {
		lang, msgs = Default, c.langs[Default]
	}
	return &Printer{lang: lang, msgs: msgs, loc: loc}
}

// Lang is the printer's language.
func (p *Printer) Lang() string { return p.lang }

// Has reports whether the catalog defines key.
func (p *Printer) Has(key string) bool { _, ok := p.msgs[key]; return ok }

// T formats the message key with args; an int argument is a quantity,
// written by Num (10.643). A missing key shows itself in
// brackets rather than an empty message; the catalog tests keep that
// from reaching users.
func (p *Printer) T(key string, args ...any) string {
	m, ok := p.msgs[key]
	if !ok {
		return "[" + key + "]"
	}
	text := m.text
	if m.forms != nil {
		text = m.forms["other"]
	}
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, p.quantities(args)...)
}

// N formats the plural message key for the count n; n is also the first
// argument, before args.
func (p *Printer) N(key string, n int, args ...any) string {
	m, ok := p.msgs[key]
	if !ok {
		return "[" + key + "]"
	}
	text := m.text
	if m.forms != nil {
		text = m.forms[p.pluralForm(n)]
	}
	return fmt.Sprintf(text, p.quantities(append([]any{n}, args...))...)
}

// Noun is the plural message key's form for a count of n, as it stands
// (a noun: "commune", "communes"); a key without forms is its text.
func (p *Printer) Noun(key string, n int) string {
	m, ok := p.msgs[key]
	if !ok {
		return "[" + key + "]"
	}
	if m.forms != nil {
		return m.forms[p.pluralForm(n)]
	}
	return m.text
}

func (p *Printer) pluralForm(n int) string {
	if p.lang == "en" && n == 1 {
		return "one"
	}
	return "other"
}

// Date shows a day the Vietnamese way, 31/03/2020, in every language: it
// is how the plan's documents write dates.
func (p *Printer) Date(t time.Time) string { return t.In(p.loc).Format("02/01/2006") }

// DateTime shows a moment as 31/03/2020 07:30.
func (p *Printer) DateTime(t time.Time) string { return t.In(p.loc).Format("02/01/2006 15:04") }

// Quarter shows the quarter of t: "quý I/2020", "Q1/2020".
func (p *Printer) Quarter(t time.Time) string {
	t = t.In(p.loc)
	q := (int(t.Month())-1)/3 + 1
	return p.T("date.quarter", q, romanQuarters[q-1], strconv.Itoa(t.Year()))
}

var romanQuarters = [4]string{"I", "II", "III", "IV"}

// Percent shows done/total as a percentage with one decimal, with the
// decimal separator of the language (75,0% in Vietnamese).
func (p *Printer) Percent(done, total int) string {
	if total == 0 {
		return "–"
	}
	// Half up, as people round a share by hand: 9/16 is 56,3%.
	return p.Decimal(math.Floor(1000*float64(done)/float64(total)+0.5)/10, 1) + "%"
}
