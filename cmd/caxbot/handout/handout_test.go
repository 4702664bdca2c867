package handout

import (
	"testing"
	"unicode/utf8"
)

func TestSheetName(t *testing.T) {
	tests := []struct{ title, want string }{
		{"Lời mời", "Lời mời"},
		{"Lời mời tham gia caxbot — Công an tỉnh Hòa Bình", "Lời mời tham gia caxbot — Công "},
		{"Mời: huyện [Đà Bắc] / xã?", "Mời huyện Đà Bắc  xã"},
		{"", "Sheet1"},
	}
	for _, tt := range tests {
		got := sheetName(tt.title)
		if got != tt.want || utf8.RuneCountInString(got) > 31 {
			t.Errorf("sheetName(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}
