package locales

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// marks are each language's number separators.
var marks = map[string]struct{ thousands, decimal string }{
	"vi": {".", ","},
	"en": {",", "."},
}

// Num writes a quantity as the language does: 10.643 in Vietnamese,
// 10,643 in English. It is the one formatter of counts: T and N pass every
// int argument through it, so a catalog writes a count as %d and never
// formats it otherwise. A number that is not a quantity (a year, an
// identifier) is not an int argument: pass it as a string.
func (p *Printer) Num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := marks[p.lang].thousands
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Decimal writes x with prec decimals and the language's decimal mark:
// 76,1 in Vietnamese, 76.1 in English.
func (p *Printer) Decimal(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'f', prec, 64)
	whole, frac, ok := strings.Cut(s, ".")
	n, err := strconv.Atoi(whole)
	if err != nil {
		return s
	}
	out := p.Num(n)
	if whole == "-0" {
		out = "-0"
	}
	if ok {
		out += marks[p.lang].decimal + frac
	}
	return out
}

// quantity is an int argument of T or N: %d writes it through Num, with
// the width and the + flag it asks for.
type quantity struct {
	n int
	p *Printer
}

func (q quantity) Format(f fmt.State, verb rune) {
	if (verb != 'd' && verb != 'v') || f.Flag('0') || f.Flag('#') || f.Flag(' ') {
		fmt.Fprintf(f, fmt.FormatString(f, verb), q.n)
		return
	}
	s := q.p.Num(q.n)
	if f.Flag('+') && q.n >= 0 {
		s = "+" + s
	}
	if w, ok := f.Width(); ok && utf8.RuneCountInString(s) < w {
		pad := strings.Repeat(" ", w-utf8.RuneCountInString(s))
		if f.Flag('-') {
			s += pad
		} else {
			s = pad + s
		}
	}
	io.WriteString(f, s)
}

// quantities wraps the int arguments of a message.
func (p *Printer) quantities(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if n, ok := a.(int); ok {
			out[i] = quantity{n: n, p: p}
			continue
		}
		out[i] = a
	}
	return out
}

// At shows a moment as a staff officer writes it: "08:05 ngày 04/03/2020".
func (p *Printer) At(t time.Time) string {
	t = t.In(p.loc)
	return p.T("date.at", t.Format("15:04"), t.Format("02/01/2006"))
}

// Post names a post of a commune-level unit after the unit's type:
// "Trưởng Công an xã", "Trưởng Công an thị trấn", "Phó Trưởng Công an
// phường 2", "Công an viên 3". It is the one place posts are named for a
// unit; kind is chief, deputy or officer, unitType xã, thị trấn or phường
// (another or none names the post of a xã). Give slot only when the unit
// has more than one post of the kind; 0 leaves the number out.
func (p *Printer) Post(kind, unitType string, slot int) string {
	key := "post." + kind + "." + unitType
	if !p.Has(key) {
		key = "post." + kind
	}
	name := p.T(key)
	if slot > 0 {
		return p.T("post.numbered", name, slot)
	}
	return name
}

// Role names a role, after the unit's type for a commune user: "Công an
// thị trấn" for a thị trấn's, "Công an xã" when the type is a xã's or not
// known, "Lãnh đạo huyện".
func (p *Printer) Role(role, unitType string) string {
	if key := "role." + role + "." + unitType; unitType != "" && p.Has(key) {
		return p.T(key)
	}
	return p.T("role." + role)
}

// Position names a user by their role and unit, as greetings and the
// history show them: "Công an thị trấn Vụ Bản", "Lãnh đạo huyện Lạc Sơn",
// "Công an tỉnh Hòa Bình". unitType is the commune's type for a commune
// user and empty otherwise.
func (p *Printer) Position(role, unitType, unitName string) string {
	switch role {
	case "commune":
		return p.T("position.commune", p.T("commune_type."+unitType), unitName)
	case "district":
		return p.T("position.district", p.InSentence(unitName))
	case "province":
		return p.T("position.province", p.Province(unitName))
	}
	return unitName
}

// Province names a province inside a sentence: "tỉnh Hòa Bình", and a
// name that carries its type as it is, in sentence form: "thành phố Hà
// Nội".
func (p *Printer) Province(name string) string {
	if w, _ := unitWord(name); w != "" {
		return p.InSentence(name)
	}
	return p.T("place.province", name)
}

// unitWords are the administrative types a unit's name may start with, as
// the statistics office writes them ("Huyện Lạc Sơn", "Thành phố Hòa
// Bình"), in lower case.
var unitWords = []string{"huyện", "quận", "thị xã", "thành phố", "tỉnh", "xã", "phường", "thị trấn"}

// unitWord returns the administrative type a name starts with, in lower
// case, and its length in the name; "" when it starts with none. The case
// of the name does not matter: lists spell "Thị Xã Mường Lay", "THỊ XÃ".
func unitWord(name string) (string, int) {
	for _, w := range unitWords {
		if len(name) >= len(w) && strings.EqualFold(name[:len(w)], w) && (len(name) == len(w) || name[len(w)] == ' ') {
			return w, len(w)
		}
	}
	return "", 0
}

// InSentence writes a unit's name as it stands inside a Vietnamese
// sentence, its type in lower case: "huyện Lạc Sơn", "thành phố Hòa Bình".
// At the start of a sentence, a list item or a button the name stays as
// it is. Other languages keep the name as the roster spells it.
func (p *Printer) InSentence(name string) string {
	w, n := unitWord(name)
	if p.lang != "vi" || w == "" {
		return name
	}
	return w + name[n:]
}
