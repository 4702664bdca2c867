package webapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Why not a library: github.com/telegram-mini-apps/init-data-golang is
// refused by the module proxy these machines use, compares the hash with
// != and reads time.Now itself; go-telegram/bot's ValidateWebappRequest
// checks no age, compares with != and unescapes every value a second
// time (a name with "%" or "+" no longer matches its signature). The
// check is a few lines of crypto/hmac, written here as Telegram specifies
// it (core.telegram.org/bots/webapps, "Validating data received via the
// Mini App").

// InitData is what Telegram says about the person who opened the app,
// once its signature is checked.
type InitData struct {
	User       WebAppUser
	AuthDate   time.Time
	QueryID    string
	StartParam string
}

// WebAppUser is the user field of initData.
type WebAppUser struct {
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Why initData was refused; each is answered 401.
var (
	ErrNoInitData   = errors.New("webapp: no initData")
	ErrMalformed    = errors.New("webapp: initData is malformed")
	ErrBadHash      = errors.New("webapp: initData signature does not match")
	ErrExpired      = errors.New("webapp: initData is too old")
	ErrFromFuture   = errors.New("webapp: initData is dated in the future")
	ErrNoUser       = errors.New("webapp: initData names no user")
	futureTolerance = time.Minute // clocks of Telegram and this server may differ by this much
)

// secretKey is HMAC-SHA256 of the bot token with the key "WebAppData".
func secretKey(token string) []byte {
	m := hmac.New(sha256.New, []byte("WebAppData"))
	m.Write([]byte(token))
	return m.Sum(nil)
}

// dataCheckString is every field but hash, as key=value lines sorted by
// key.
func dataCheckString(fields url.Values) string {
	lines := make([]string, 0, len(fields))
	for k, v := range fields {
		if k == "hash" {
			continue
		}
		lines = append(lines, k+"="+v[0])
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func signature(token string, fields url.Values) []byte {
	m := hmac.New(sha256.New, secretKey(token))
	m.Write([]byte(dataCheckString(fields)))
	return m.Sum(nil)
}

// Validate checks raw initData (window.Telegram.WebApp.initData, a query
// string) against the bot's token: its hash must be the HMAC Telegram
// computes, compared in constant time, and its auth_date no older than
// maxAge at now (nor later than now, give or take a minute).
func Validate(raw, token string, now time.Time, maxAge time.Duration) (InitData, error) {
	if raw == "" {
		return InitData{}, ErrNoInitData
	}
	fields, err := url.ParseQuery(raw)
	if err != nil {
		return InitData{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	for k, v := range fields {
		if len(v) != 1 {
			return InitData{}, fmt.Errorf("%w: field %q given %d times", ErrMalformed, k, len(v))
		}
	}
	got, err := hex.DecodeString(fields.Get("hash"))
	if err != nil || len(got) != sha256.Size {
		return InitData{}, fmt.Errorf("%w: no hash", ErrMalformed)
	}
	if !hmac.Equal(got, signature(token, fields)) {
		return InitData{}, ErrBadHash
	}
	secs, err := strconv.ParseInt(fields.Get("auth_date"), 10, 64)
	if err != nil {
		return InitData{}, fmt.Errorf("%w: auth_date", ErrMalformed)
	}
	out := InitData{AuthDate: time.Unix(secs, 0), QueryID: fields.Get("query_id"), StartParam: fields.Get("start_param")}
	switch {
	case out.AuthDate.After(now.Add(futureTolerance)):
		return InitData{}, ErrFromFuture
	case now.Sub(out.AuthDate) > maxAge:
		return InitData{}, ErrExpired
	}
	if err := json.Unmarshal([]byte(fields.Get("user")), &out.User); err != nil || out.User.ID <= 0 {
		return InitData{}, ErrNoUser
	}
	return out, nil
}

// Sign makes initData for user as Telegram would at authDate: what the
// demo hands a desktop browser, and what tests log in with. Never used to
// accept anything.
func Sign(token string, user WebAppUser, authDate time.Time, extra url.Values) (string, error) {
	u, err := json.Marshal(user)
	if err != nil {
		return "", fmt.Errorf("webapp: sign: %w", err)
	}
	fields := url.Values{}
	for k, v := range extra {
		fields[k] = v
	}
	fields.Set("user", string(u))
	fields.Set("auth_date", strconv.FormatInt(authDate.Unix(), 10))
	fields.Set("hash", hex.EncodeToString(signature(token, fields)))
	return fields.Encode(), nil
}
