package understand

import (
	"testing"
)

func TestSuggestionsRanked(t *testing.T) {
	g := mustHoaBinh(t)
	// "Đồng Tâm" is one typo away, "Đồng Tân" two: only the first is offered.
	q := Parse("xa dong tamm", g)
	if len(q.Suggestions) != 1 || q.Suggestions[0].Code != "05419" {
		t.Errorf("suggestions for %q = %+v, want only Đồng Tâm (05419)", "xa dong tamm", q.Suggestions)
	}
	// Thanh Sơn and Thành Sơn fold alike: both are offered, by code.
	q = Parse("xa thanh soon", g)
	if len(q.Suggestions) != 2 || q.Suggestions[0].Code != "05041" || q.Suggestions[1].Code != "05254" {
		t.Errorf("suggestions for %q = %+v, want Thanh Sơn (05041) then Thành Sơn (05254)", "xa thanh soon", q.Suggestions)
	}
	if q.Unmatched != "thanh soon" {
		t.Errorf("unmatched = %q, want %q", q.Unmatched, "thanh soon")
	}
	// "Mi Hòa" is one typo from "mi hoaa", "Mỹ Hòa" two: too many for a
	// name of five letters.
	q = Parse("xa mi hoaa", g)
	if len(q.Suggestions) != 1 || q.Suggestions[0].Code != "05083" {
		t.Errorf("suggestions for %q = %+v, want only Mi Hòa (05083)", "xa mi hoaa", q.Suggestions)
	}
	// A short name tolerates one typo, not two.
	if q := Parse("xa tu lyyy", g); len(q.Suggestions) != 0 {
		t.Errorf("suggestions for a short name two typos away = %+v, want none", q.Suggestions)
	}
}

func TestPlaceDetails(t *testing.T) {
	g := mustHoaBinh(t)
	q := Parse("tình hình thị trấn Mai Châu", g)
	want := Place{Level: LevelCommune, Code: "05200", Name: "Mai Châu", Type: "thị trấn", DistrictCode: "156", DistrictName: "Huyện Mai Châu"}
	if q.Place == nil || *q.Place != want {
		t.Fatalf("place = %+v, want %+v", q.Place, want)
	}
	q = Parse("toàn tỉnh", g)
	if q.Place == nil || *q.Place != (Place{Level: LevelProvince, Code: hoaBinhProvince}) {
		t.Errorf("province place = %+v, want the province with code %s", q.Place, hoaBinhProvince)
	}
}

func TestWithPlace(t *testing.T) {
	g := mustHoaBinh(t)
	q := Parse("tình hình Mai Châu", g)
	if len(q.Ambiguous) != 2 {
		t.Fatalf("ambiguous = %+v, want the district and the town", q.Ambiguous)
	}
	for _, p := range q.Ambiguous {
		want := IntentCommune
		if p.Level == LevelDistrict {
			want = IntentProgress
		}
		got := q.WithPlace(p)
		if got.Intent != want || got.Place == nil || got.Place.Code != p.Code || len(got.Ambiguous) != 0 {
			t.Errorf("WithPlace(%s %s) = intent %q place %+v ambiguous %d, want intent %q and the place alone", p.Level, p.Code, got.Intent, got.Place, len(got.Ambiguous), want)
		}
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
		{"name repeated across the country", "xa tan lap con thieu gi", "", 20},
		{"numbered ward needs its type word", "phuong 1 con thieu gi", "", 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Parse(tt.text, g)
			if tt.place != "" {
				if q.Place == nil || placeRef(*q.Place) != tt.place {
					t.Errorf("Parse(%q).Place = %+v, want %s", tt.text, q.Place, tt.place)
				}
				return
			}
			if q.Place != nil || len(q.Ambiguous) < tt.ambiguous {
				t.Errorf("Parse(%q) = place %+v, %d candidates, want at least %d candidates", tt.text, q.Place, len(q.Ambiguous), tt.ambiguous)
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
		{"Tan Lapp", "", "tan lapp", "05287"},
		{"Đồi Mây", "", "doi", ""},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		q := ParseName(tt.arg, g)
		code := ""
		if q.Place != nil {
			code = q.Place.Code
		}
		suggested := ""
		for _, s := range q.Suggestions {
			if s.Code == tt.suggested {
				suggested = s.Code
			}
		}
		if code != tt.code || q.Unmatched != tt.unmatched || suggested != tt.suggested {
			t.Errorf("ParseName(%q): place %q, unmatched %q, suggestions %+v; want place %q, unmatched %q, suggesting %q",
				tt.arg, code, q.Unmatched, q.Suggestions, tt.code, tt.unmatched, tt.suggested)
		}
	}
}
