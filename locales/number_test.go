package locales

import (
	"testing"
	"time"
)

func TestNumber(t *testing.T) {
	c := mustLoad(t)
	vi, en := c.Printer("vi", time.UTC), c.Printer("en", time.UTC)
	for _, tt := range []struct {
		n      int
		vi, en string
	}{
		{0, "0", "0"},
		{7, "7", "7"},
		{999, "999", "999"},
		{1000, "1.000", "1,000"},
		{10643, "10.643", "10,643"},
		{63858, "63.858", "63,858"},
		{1234567, "1.234.567", "1,234,567"},
		{-2526, "-2.526", "-2,526"},
	} {
		if got := vi.Number(tt.n); got != tt.vi {
			t.Errorf("vi Number(%d) = %q, want %q", tt.n, got, tt.vi)
		}
		if got := en.Number(tt.n); got != tt.en {
			t.Errorf("en Number(%d) = %q, want %q", tt.n, got, tt.en)
		}
	}
}
