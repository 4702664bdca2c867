package reminders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
)

// Telegram's limits on what one message carries, counted in UTF-16 code
// units after entity parsing.
const (
	MaxTextLen    = 4096
	MaxCaptionLen = 1024
)

// Message is what the Sender sends to one chat: a text, or a document or
// a photo with Text as its caption, and inline buttons under it.
type Message struct {
	Text      string     `json:"text,omitempty"`
	ParseMode string     `json:"parse_mode,omitempty"` // "", "HTML" or "MarkdownV2"
	Document  *File      `json:"document,omitempty"`
	Photo     *File      `json:"photo,omitempty"`
	Buttons   [][]Button `json:"buttons,omitempty"`
	// Menus, when set, make the item a chat's own command menu instead of
	// a message: one list per language, each one call (setMyCommands with
	// the chat's scope), so each takes its turn in the rate limits.
	Menus []Menu `json:"menus,omitempty"`
}

// Menu is the command menu a chat shows to users whose Telegram speaks
// Lang ("": every language without a list of its own). No commands
// removes the chat's list: the bot's default shows again.
type Menu struct {
	Lang     string    `json:"lang,omitempty"`
	Commands []Command `json:"commands"`
}

// Command is one entry of a menu: the command without '/', and what it
// does.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// File is a document or photo to upload: its content, or in an outbox
// payload the reference of the content stored once for every recipient
// (store.PutOutboxFile), which the Drainer reads before sending.
type File struct {
	Name string `json:"name"`
	Data []byte `json:"data,omitempty"`
	Ref  string `json:"ref,omitempty"`
	// FileID is a file Telegram already keeps (one a user sent), sent
	// again by its file_id: no content, no upload.
	FileID string `json:"file_id,omitempty"`
}

// Button is an inline keyboard button: it sends Data back to the bot
// (1 to 64 bytes), or opens URL.
type Button struct {
	Text string `json:"text"`
	Data string `json:"data,omitempty"`
	URL  string `json:"url,omitempty"`
}

// Sender sends one message to one chat. The Telegram sender in cmd
// returns, possibly wrapped, *ThrottledError for HTTP 429,
// ErrRecipientGone for 403 and ErrRejected for 400, and any other error
// for what may succeed later (5xx, timeouts, the network).
type Sender interface {
	Send(ctx context.Context, chatID int64, m Message) error
}

// ThrottledError says Telegram refused a message for going too fast.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("reminders: throttled, retry after %v", e.RetryAfter)
}

var (
	// ErrRecipientGone means the recipient blocked the bot or left the
	// chat: never send there again.
	ErrRecipientGone = errors.New("reminders: recipient gone")
	// ErrRejected means Telegram refused the message itself (bad request):
	// sending it again cannot succeed.
	ErrRejected = errors.New("reminders: message rejected")
)

// OutcomeKind is what to do after a send.
type OutcomeKind int

const (
	OutcomeOK        OutcomeKind = iota // sent
	OutcomeThrottled                    // send again after RetryAfter, and slow down
	OutcomeGone                         // stop sending to the recipient
	OutcomeRetry                        // send again later, with backoff
	OutcomeFatal                        // give up on this message
)

func (k OutcomeKind) String() string {
	switch k {
	case OutcomeOK:
		return "ok"
	case OutcomeThrottled:
		return "throttled"
	case OutcomeGone:
		return "gone"
	case OutcomeRetry:
		return "retry"
	case OutcomeFatal:
		return "fatal"
	}
	return fmt.Sprintf("OutcomeKind(%d)", int(k))
}

// Outcome is a classified send result.
type Outcome struct {
	Kind       OutcomeKind
	RetryAfter time.Duration // for OutcomeThrottled
}

// Classify says what a Sender's error means for the message. Errors it
// does not know are taken as transient.
func Classify(err error) Outcome {
	var throttled *ThrottledError
	switch {
	case err == nil:
		return Outcome{Kind: OutcomeOK}
	case errors.As(err, &throttled):
		return Outcome{Kind: OutcomeThrottled, RetryAfter: throttled.RetryAfter}
	case errors.Is(err, ErrRecipientGone):
		return Outcome{Kind: OutcomeGone}
	case errors.Is(err, ErrRejected):
		return Outcome{Kind: OutcomeFatal}
	}
	return Outcome{Kind: OutcomeRetry}
}

// MessagePayload encodes m as the payload of an outbox item, which the
// Drainer decodes and sends.
func MessagePayload(m Message) (string, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("reminders: encode message: %w", err)
	}
	return string(b), nil
}

// parts returns the messages m goes out as: a text too long for one
// message is split (SplitText), the buttons go under the last part, and a
// caption too long for a file goes after the file as text.
func parts(m Message) []Message {
	if len(m.Menus) > 0 {
		out := make([]Message, len(m.Menus))
		for i, mn := range m.Menus {
			out[i] = Message{Menus: []Menu{mn}}
		}
		return out
	}
	if m.Document != nil || m.Photo != nil {
		if textLen(m.Text) <= MaxCaptionLen {
			return []Message{m}
		}
		file := Message{Document: m.Document, Photo: m.Photo}
		text := m
		text.Document, text.Photo = nil, nil
		return append([]Message{file}, parts(text)...)
	}
	chunks := SplitText(m.Text, MaxTextLen)
	if len(chunks) <= 1 {
		return []Message{m}
	}
	out := make([]Message, len(chunks))
	for i, c := range chunks {
		out[i] = Message{Text: c, ParseMode: m.ParseMode}
	}
	out[len(out)-1].Buttons = m.Buttons
	return out
}

// SplitText cuts text into pieces of at most limit UTF-16 code units, in
// order: between paragraphs where it can, else between lines, else
// between words, else anywhere between two characters. The blank lines,
// line breaks or spaces where it cuts are dropped, as are line breaks at
// either end of a piece and pieces of nothing but white space. Formatting (HTML tags) that spans a cut is
// not repaired: keep tags within a line.
func SplitText(text string, limit int) []string {
	var out []string
	for _, p := range split(text, limit, []string{"\n\n", "\n", " "}) {
		p = strings.Trim(p, "\n")
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

func split(text string, limit int, seps []string) []string {
	if textLen(text) <= limit {
		return []string{text}
	}
	if len(seps) == 0 {
		return splitRunes(text, limit)
	}
	sep := seps[0]
	var out []string
	cur, open := "", false
	for _, piece := range strings.Split(text, sep) {
		switch {
		case textLen(piece) > limit:
			if open {
				out = append(out, cur)
				open = false
			}
			out = append(out, split(piece, limit, seps[1:])...)
		case !open:
			cur, open = piece, true
		case textLen(cur)+textLen(sep)+textLen(piece) <= limit:
			cur += sep + piece
		default:
			out = append(out, cur)
			cur = piece
		}
	}
	if open {
		out = append(out, cur)
	}
	return out
}

func splitRunes(text string, limit int) []string {
	var out []string
	var b strings.Builder
	n := 0
	for _, r := range text {
		// Ranging over a string yields U+FFFD for bad bytes: w is 1 or 2.
		w := utf16.RuneLen(r)
		if n+w > limit {
			out = append(out, b.String())
			b.Reset()
			n = 0
		}
		b.WriteRune(r)
		n += w
	}
	return append(out, b.String())
}

// textLen is the length of s as Telegram counts it.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
