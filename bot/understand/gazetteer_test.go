package understand

import (
	"testing"
)

// only returns the one mention of a question.
func only(t *testing.T, text string, g *Gazetteer) Mention {
	t.Helper()
	q := Parse(text, g)
	if len(q.Places) != 1 {
		t.Fatalf("Parse(%q) names %d places, want 1", text, len(q.Places))
	}
	return q.Places[0]
}

func TestSuggestionsRanked(t *testing.T) {
	g := mustHoaBinh(t)
	// "Đồng Tâm" is one typo away, "Đồng Tân" two: only the first is offered.
	m := only(t, "xa dong tamm", g)
	if len(m.Suggestions) != 1 || m.Suggestions[0].Code != "05419" {
		t.Errorf("suggestions for %q = %+v, want only Đồng Tâm (05419)", "xa dong tamm", m.Suggestions)
	}
	// Thanh Sơn and Thành Sơn fold alike: both are offered, by code.
	m = only(t, "xa thanh soon", g)
	if len(m.Suggestions) != 2 || m.Suggestions[0].Code != "05041" || m.Suggestions[1].Code != "05254" {
		t.Errorf("suggestions for %q = %+v, want Thanh Sơn (05041) then Thành Sơn (05254)", "xa thanh soon", m.Suggestions)
	}
	if m.Unmatched != "thanh soon" {
		t.Errorf("unmatched = %q, want %q", m.Unmatched, "thanh soon")
	}
	// A short name tolerates one typo, not two.
	if m := only(t, "xa tu lyyy", g); len(m.Suggestions) != 0 {
		t.Errorf("suggestions for a short name two typos away = %+v, want none", m.Suggestions)
	}
}

func TestPlaceDetails(t *testing.T) {
	g := mustHoaBinh(t)
	p, _, _ := g.Resolve(only(t, "tình hình thị trấn Mai Châu", g), nil)
	want := Place{Level: LevelCommune, Code: "05200", Name: "Mai Châu", Type: "thị trấn", DistrictCode: "156", DistrictName: "Huyện Mai Châu"}
	if p == nil || *p != want {
		t.Fatalf("place = %+v, want %+v", p, want)
	}
	p, _, _ = g.Resolve(only(t, "tiến độ tỉnh Hòa Bình", g), nil)
	if p == nil || *p != (Place{Level: LevelProvince, Code: hoaBinhProvince, Name: "Tỉnh Hòa Bình"}) {
		t.Errorf("province place = %+v, want the province with code %s", p, hoaBinhProvince)
	}
}

// TestResolve checks the readings of a bare name: a district and its
// seat town are the district, the town offered beside; two communes of
// one name are a question.
func TestResolve(t *testing.T) {
	g := mustHoaBinh(t)
	p, alts, amb := g.Resolve(only(t, "tình hình Mai Châu", g), nil)
	if p == nil || p.Code != "156" || len(alts) != 1 || alts[0].Code != "05200" || len(amb) != 0 {
		t.Errorf("Mai Châu: place %+v, alternatives %+v, ambiguous %+v; want the district, the town beside", p, alts, amb)
	}
	// Out of the user's scope, the town alone is left.
	p, alts, _ = g.Resolve(only(t, "tình hình Mai Châu", g), func(pl Place) bool { return pl.Level == LevelCommune })
	if p == nil || p.Code != "05200" || len(alts) != 0 {
		t.Errorf("Mai Châu, communes only: %+v, %+v", p, alts)
	}
	p, _, amb = g.Resolve(only(t, "xa cao son con thieu gi", g), nil)
	if p != nil || len(amb) != 2 {
		t.Errorf("Cao Sơn: place %+v, ambiguous %+v; want both communes", p, amb)
	}
}

func TestNationalRoster(t *testing.T) {
	g, _ := nationalGazetteer(t)
	tests := []struct {
		name, text string
		place      string // level:code, or "" when ambiguous
		ambiguous  int    // at least this many candidates
	}{
		{"unique commune", "ai la truong ca xa muong chieng", "commune:04846", 0},
		{"commune qualified by district", "xa tan lap huyen lac son con thieu gi", "commune:05287", 0},
		{"commune qualified by district, bare", "tan lap lac son con thieu gi", "commune:05287", 0},
		{"name repeated across the country", "xa tan lap con thieu gi", "", 20},
		{"numbered ward needs its type word", "phuong 1 con thieu gi", "", 20},
		{"a province by name", "tinh son la con bao nhieu xa chua co truong chinh quy", "province:14", 0},
		{"a city that is a province", "thanh pho ha noi con bao nhieu xa", "province:01", 0},
		{"a bare province name that is also its city's", "son la con bao nhieu xa", "", 2},
		{"a bare province name", "nghe an con bao nhieu xa", "province:40", 0},
		{"a commune code", "xa 05287 con thieu gi", "commune:05287", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := only(t, tt.text, g)
			p, _, amb := g.Resolve(m, nil)
			if tt.place != "" {
				if p == nil || placeRef(*p) != tt.place {
					t.Errorf("Parse(%q) = %+v, ambiguous %d, want %s", tt.text, p, len(amb), tt.place)
				}
				return
			}
			if p != nil || len(amb) < tt.ambiguous {
				t.Errorf("Parse(%q) = place %+v, %d candidates, want at least %d candidates", tt.text, p, len(amb), tt.ambiguous)
			}
		})
	}
}

func TestParseName(t *testing.T) {
	g := mustHoaBinh(t)
	tests := []struct {
		arg       string
		code      string // the place found, or ""
		unmatched string
		suggested string // a suggested code, or ""
	}{
		{"Tân Lập", "05287", "", ""},
		{"tan lap", "05287", "", ""},
		{"xã Tân Lập", "05287", "", ""},
		{"05287", "05287", "", ""},
		{"Tan Lapp", "", "Tan Lapp", "05287"},
		{"Đồi Mây", "", "Đồi Mây", ""},
		{"99999", "", "99999", ""},
	}
	for _, tt := range tests {
		q := ParseName(tt.arg, g)
		code, unmatched, suggested := "", "", ""
		if len(q.Places) == 1 {
			if p, _, _ := g.Resolve(q.Places[0], nil); p != nil {
				code = p.Code
			}
			unmatched = q.Places[0].Unmatched
			for _, s := range q.Places[0].Suggestions {
				if s.Code == tt.suggested {
					suggested = s.Code
				}
			}
		}
		if code != tt.code || unmatched != tt.unmatched || suggested != tt.suggested {
			t.Errorf("ParseName(%q): place %q, unmatched %q, suggestions %+v; want place %q, unmatched %q, suggesting %q",
				tt.arg, code, unmatched, q.Places, tt.code, tt.unmatched, tt.suggested)
		}
	}
	if q := ParseName("", g); len(q.Places) != 0 {
		t.Errorf("ParseName of nothing names %+v", q.Places)
	}
}

// TestNameKey: the spellings of one place's name, as the roster, a change
// file and officers write it, share one key; other places do not.
func TestNameKey(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		same bool
	}{
		{"Huyện Đà Bắc", "huyen da bac", true},
		{"Huyện Đà Bắc", "Đà Bắc", true},
		{"Đồng Chum", "xa dong chum", true},
		{"Đồng Chum", "DongChum", true},
		{"Thị trấn Yên Hòa", "yên hoà", true},
		{"Thành phố Hòa Bình", "tp hoa binh", false}, // abbreviations are the parser's, not a key's
		{"Tân Pheo", "Tân Minh", false},
		{"Phường Hòa Bình", "Tỉnh Hòa Bình", true}, // the level is told by the type word the question has
	} {
		if got := NameKey(tt.a) == NameKey(tt.b); got != tt.same {
			t.Errorf("NameKey(%q) = %q, NameKey(%q) = %q: same %v, want %v", tt.a, NameKey(tt.a), tt.b, NameKey(tt.b), got, tt.same)
		}
	}
}

// TestTypeWordLast: a name whose last word is a type word typed without
// diacritics ("Thổ Quan", "Bình Xa"), in a message typed with them, has
// no name after that "type word" at the message's end. afterTypeWord
// used to look one word past the end there, which panicked when the
// words filled their slice exactly (as these do).
func TestTypeWordLast(t *testing.T) {
	g := mustHoaBinh(t)
	for _, text := range []string{"Ai là trưởng công an xã Thổ Quan?", "Ai là trưởng công an xã Bình Xa?"} {
		if q := Parse(text, g); q.Measure != "holder" || len(q.Places) != 1 {
			t.Errorf("Parse(%q) = measure %q, places %+v; want a holder's question about one place", text, q.Measure, q.Places)
		}
	}
}

func TestJoinedEqual(t *testing.T) {
	tests := []struct {
		a, b []string
		want bool
	}{
		{[]string{"tan", "lap"}, []string{"tanlap"}, true},
		{[]string{"ta", "nl", "ap"}, []string{"t", "anla", "", "p"}, true},
		{[]string{"tan", "lap"}, []string{"tan", "lac"}, false},
		{[]string{"tan", "lap"}, []string{"tan", "la"}, false},
		{[]string{"tan"}, []string{"tan", "lap"}, false},
		{nil, []string{""}, true},
		{nil, nil, true},
	}
	for _, tt := range tests {
		if got := joinedEqual(tt.a, tt.b); got != tt.want {
			t.Errorf("joinedEqual(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := joinedEqual(tt.b, tt.a); got != tt.want {
			t.Errorf("joinedEqual(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}
