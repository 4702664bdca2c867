package reminders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Outcome
	}{
		{"nil", nil, Outcome{Kind: OutcomeOK}},
		{"429", &ThrottledError{RetryAfter: 3 * time.Second}, Outcome{Kind: OutcomeThrottled, RetryAfter: 3 * time.Second}},
		{"429 wrapped", fmt.Errorf("telegram: send: %w", &ThrottledError{RetryAfter: time.Minute}), Outcome{Kind: OutcomeThrottled, RetryAfter: time.Minute}},
		{"403 wrapped", fmt.Errorf("telegram: Forbidden: bot was blocked by the user: %w", ErrRecipientGone), Outcome{Kind: OutcomeGone}},
		{"400 wrapped", fmt.Errorf("telegram: Bad Request: can't parse entities: %w", ErrRejected), Outcome{Kind: OutcomeFatal}},
		{"502", errors.New("telegram: 502 Bad Gateway"), Outcome{Kind: OutcomeRetry}},
		{"timeout", context.DeadlineExceeded, Outcome{Kind: OutcomeRetry}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.err); got != tt.want {
				t.Errorf("Classify(%v) = %+v, want %+v", tt.err, got, tt.want)
			}
		})
	}
}

// lines returns n numbered lines of a district's report, each width
// characters long with its newline.
func lines(n, width int) string {
	var b strings.Builder
	for i := range n {
		line := fmt.Sprintf("%03d. Xã Nánh Nghê, huyện Đà Bắc: thiếu Trưởng Công an xã ", i)
		b.WriteString(line + strings.Repeat("x", width-len([]rune(line))-1) + "\n")
	}
	return b.String()
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"short", "Còn thiếu 3 Trưởng Công an xã.", 4096, []string{"Còn thiếu 3 Trưởng Công an xã."}},
		{"paragraphs first", "Huyện Đà Bắc\nxã A\n\nHuyện Mai Châu\nxã B", 20, []string{"Huyện Đà Bắc\nxã A", "Huyện Mai Châu\nxã B"}},
		{"then lines", "Huyện Đà Bắc\nxã Nánh Nghê\nxã Giáp Đắt", 26, []string{"Huyện Đà Bắc\nxã Nánh Nghê", "xã Giáp Đắt"}},
		{"then words", "Trưởng Công an xã", 10, []string{"Trưởng", "Công an xã"}},
		{"then characters", "Nguyễn", 4, []string{"Nguy", "ễn"}},
		// An emoji counts two UTF-16 units, as Telegram counts it.
		{"emoji", "🚨🚨🚨", 4, []string{"🚨🚨", "🚨"}},
		{"white space dropped", "a\n\n\n\n\n\nb", 3, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitText(tt.text, tt.limit); !slices.Equal(got, tt.want) {
				t.Errorf("SplitText(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
			}
		})
	}
	t.Run("a long digest", func(t *testing.T) {
		text := lines(150, 100) // 15,000 characters
		got := SplitText(text, MaxTextLen)
		if len(got) != 4 {
			t.Fatalf("%d pieces, want 4", len(got))
		}
		for i, p := range got {
			if n := textLen(p); n > MaxTextLen {
				t.Errorf("piece %d: %d units", i, n)
			}
		}
		if joined := strings.Join(got, "\n"); joined != strings.TrimSuffix(text, "\n") {
			t.Error("the pieces joined by line breaks are not the text")
		}
	})
}

func TestParts(t *testing.T) {
	buttons := [][]Button{{{Text: "Đã nhận", Data: "ack:chief-q1-2020"}}}
	xlsx := &File{Name: "tong-hop.xlsx", Data: []byte("PK")}
	tests := []struct {
		name string
		m    Message
		want []string // per part: "text length, file, buttons"
	}{
		{"one message", Message{Text: "ngắn", Buttons: buttons}, []string{"4 - buttons"}},
		{"long text", Message{Text: lines(90, 100), ParseMode: "HTML", Buttons: buttons}, []string{"3999 - -", "3999 - -", "999 - buttons"}},
		{"file with caption", Message{Text: "Bản tin tuần", Document: xlsx}, []string{"12 file -"}},
		{"file with a long caption", Message{Text: lines(20, 100), Document: xlsx, Buttons: buttons}, []string{"0 file -", "2000 - buttons"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range parts(tt.m) {
				file, btn := "-", "-"
				if p.Document != nil {
					file = "file"
				}
				if p.Buttons != nil {
					btn = "buttons"
				}
				if p.ParseMode != tt.m.ParseMode {
					t.Errorf("parse mode %q, want %q", p.ParseMode, tt.m.ParseMode)
				}
				got = append(got, fmt.Sprintf("%d %s %s", textLen(p.Text), file, btn))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("parts = %q, want %q", got, tt.want)
			}
		})
	}
}
