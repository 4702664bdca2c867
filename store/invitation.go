package store

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"time"
)

// NewInvitation makes an invitation to the scope with a fresh code drawn
// from random (crypto/rand.Reader in production; the demo passes a seeded
// source so that its transcript is the same every run), valid for ttl
// from now. The code travels as a deep-link payload, so it keeps to
// Telegram's alphabet (A-Z a-z 0-9 _ -, at most 64 characters): base64url
// of 15 random bytes, 20 characters, unguessable. A code never starts
// with "-", which `caxbot invite revoke CODE` would take for an option:
// one in 64 would need "--" before it.
func NewInvitation(random io.Reader, sc Scope, name, createdBy string, now time.Time, ttl time.Duration) (Invitation, error) {
	b := make([]byte, 15)
	code := "-"
	for code[0] == '-' {
		if _, err := io.ReadFull(random, b); err != nil {
			return Invitation{}, fmt.Errorf("store: invitation code: %w", err)
		}
		code = base64.RawURLEncoding.EncodeToString(b)
	}
	return Invitation{
		Code:      code,
		Role:      sc.Role,
		Scope:     sc.Code,
		Name:      name,
		CreatedBy: createdBy,
		CreatedAt: now,
		ExpiresAt: now.Add(ttl),
	}, nil
}

// InviteLink is the deep link that opens the bot and sends it the code.
func InviteLink(botUsername, code string) string {
	return "https://t.me/" + url.PathEscape(botUsername) + "?start=" + code
}
