package understand

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"diacritics and d", "Đà Bắc", "da bac"},
		{"new tone placement", "Hòa Bình", "hoa binh"},
		{"old tone placement", "Hoà Bình", "hoa binh"},
		{"decomposed", norm.NFD.String("Mường Chiềng"), "muong chieng"},
		{"upper case", "THỊ TRẤN MAI CHÂU", "thi tran mai chau"},
		{"punctuation and spaces", "  TT.Mai-Châu,  h. Lạc Sơn?! ", "tt mai chau h lac son"},
		{"digits", "Phường 12, 15/03/2020", "phuong 12 15 03 2020"},
		{"y and i spellings stay apart", "Lạc Sỹ / Mi Hòa", "lac sy mi hoa"},
		{"empty", " .,;", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTonedKey(t *testing.T) {
	tests := []struct {
		name  string
		a, b  string
		equal bool
	}{
		{"tone placement does not matter", "hoà", "hòa", true},
		{"decomposed equals composed", norm.NFD.String("thuỷ"), "thủy", true},
		{"case does not matter", "THÀNH", "thành", true},
		{"a tone matters", "thành", "thanh", false},
		{"a vowel mark matters", "thống", "thông", false},
		{"a tone differs", "mỹ", "mỵ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := tonedKey(tt.a), tonedKey(tt.b)
			if (ka == kb) != tt.equal {
				t.Errorf("tonedKey(%q) = %q, tonedKey(%q) = %q, want equal %v", tt.a, ka, tt.b, kb, tt.equal)
			}
		})
	}
	if got := tonedKey("thanh"); got != "" {
		t.Errorf("tonedKey of a word typed without diacritics = %q, want empty", got)
	}
}

func TestOSA(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"lap", "lap", 0},
		{"lapp", "lap", 1},
		{"lpa", "lap", 1},
		{"chieg", "chieng", 1},
		{"khoe", "koe", 1},
		{"son", "thuy", 4},
		{"", "ab", 2},
	}
	for _, tt := range tests {
		t.Run(tt.a+"_"+tt.b, func(t *testing.T) {
			if got := osa(tt.a, tt.b); got != tt.want {
				t.Errorf("osa(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestLatinTable checks that the latin table folds and keys words as
// normalisation does: every letter it covers alone, in upper and lower
// case, next to others and to ASCII, and Vietnamese words.
func TestLatinTable(t *testing.T) {
	var letters []rune
	for r := rune(latinLow); r < latinLowEnd; r++ {
		letters = append(letters, r)
	}
	for r := rune(latinHigh); r < latinHighEnd; r++ {
		letters = append(letters, r)
	}
	check := func(s string) {
		t.Helper()
		if got, ok := foldLatin(s); ok && got != foldNormal(s) {
			t.Errorf("foldLatin(%q) = %q, normalisation says %q", s, got, foldNormal(s))
		}
		if got, ok := tonedLatin(s); ok && got != tonedNormal(s) {
			t.Errorf("tonedLatin(%q) = %q, normalisation says %q", s, got, tonedNormal(s))
		}
	}
	covered := 0
	for _, a := range letters {
		if _, ok := latinOf(a); ok {
			covered++
		}
		for _, s := range []string{string(a), "x" + string(a), string(a) + "Y", string(a) + "y", "m" + string(a) + "y", "1" + string(a) + " -"} {
			check(s)
		}
		for k := 0; k < len(letters); k += 5 {
			check(string(a) + string(letters[k]))
		}
	}
	if covered < 600 {
		t.Errorf("the table covers %d letters only", covered)
	}
	for _, s := range []string{"Hòa Bình", "HOÀ BÌNH", "thuỷ", "Mỹ", "Quý", "Đắk Lắk", "nghiêng", "ĐỒNG", "Ỷ", "đy", "Tây Nguyên", "Øresund ß"} {
		check(s)
		if _, ok := foldLatin(s); !ok {
			t.Errorf("foldLatin(%q) not covered", s)
		}
	}
}
