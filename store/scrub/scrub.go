// Package scrub keeps secrets out of what caxbot logs and stores. Text
// that comes from outside (an error of the Bot API client that quotes a
// proxy's HTML page, a driver's message, a URL) is passed through a
// Scrubber before it is logged or written to the database: it removes the
// secrets it was given, in the forms they travel in, and whatever has the
// shape of a Telegram bot token or of a password inside a URL.
package scrub

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Mask is what a secret is replaced with: what url.URL.Redacted writes
// for a password, so that both read alike.
const Mask = "xxxxx"

// minSecret is the shortest secret replaced wherever it appears: a
// shorter one would blank out ordinary words. URLs and tokens are still
// masked by their shape.
const minSecret = 4

var shapes = []struct {
	re   *regexp.Regexp
	repl string
}{
	// A Telegram bot token: the bot's id, a colon, 35 letters, digits,
	// '-' and '_' (here 30 or more), as in the path /bot<token>/method.
	{regexp.MustCompile(`([0-9]{5,}):[A-Za-z0-9_-]{30,}`), "${1}:" + Mask},
	// The password of a URL's user information: scheme://user:password@.
	{regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#@]*:)[^\s@/?#]*@`), "${1}" + Mask + "@"},
	// A key=value connection string's password (libpq's form).
	{regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('[^']*'|\S+)`), "${1}" + Mask},
}

// Scrubber removes secrets from text. The zero value and nil remove only
// what has a secret's shape. It is safe for concurrent use.
type Scrubber struct {
	secrets []string // longest first, so that no part of one is left
}

// New returns a Scrubber of secrets: tokens, passwords, whole URLs. Empty
// and very short ones are ignored. A secret is also found URL-escaped.
func New(secrets ...string) *Scrubber {
	r := &Scrubber{}
	for _, s := range secrets {
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
			if len(form) >= minSecret && !slices.Contains(r.secrets, form) {
				r.secrets = append(r.secrets, form)
			}
		}
	}
	slices.SortFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
	return r
}

// URLPassword returns the password inside a URL such as DATABASE_URL or
// REDIS_URL, "" when it has none.
func URLPassword(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}

// String returns s without secrets.
func (r *Scrubber) String(s string) string {
	if r != nil {
		for _, secret := range r.secrets {
			s = strings.ReplaceAll(s, secret, Mask)
		}
	}
	for _, sh := range shapes {
		s = sh.re.ReplaceAllString(s, sh.repl)
	}
	return s
}

// Handler wraps next so that every record's message and attributes reach
// it without secrets: strings, errors and any other value by its text.
func (r *Scrubber) Handler(next slog.Handler) slog.Handler {
	return handler{next: next, r: r}
}

type handler struct {
	next slog.Handler
	r    *Scrubber
}

func (h handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h handler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return handler{next: h.next.WithAttrs(clean), r: h.r}
}

func (h handler) WithGroup(name string) slog.Handler {
	return handler{next: h.next.WithGroup(name), r: h.r}
}

func (h handler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.r.String(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]slog.Attr, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(clean...)}
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, h.r.String(x.Error()))
		case []byte:
			return slog.String(a.Key, h.r.String(string(x)))
		}
		return slog.String(a.Key, h.r.String(fmt.Sprint(v.Any())))
	}
	return slog.Attr{Key: a.Key, Value: v}
}
