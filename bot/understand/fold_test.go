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
