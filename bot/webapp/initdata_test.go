package webapp

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

const testToken = "123456:AAH-test_token"

// pythonSigned was signed by Python's hmac module, not by this package:
// auth_date 31/03/2020 06:30 UTC, a user with diacritics in the name.
const pythonSigned = "auth_date=1585636200&query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A3001%2C%22first_name%22%3A%22Qu%C3%A1ch%20V%C4%83n%20H%E1%BA%A3i%22%2C%22language_code%22%3A%22vi%22%7D&hash=01325443dd65af9c689d1c86cd926ee2e2d0197910da3a13eceb265a2a39dcd6"

func TestValidate(t *testing.T) {
	signedAt := time.Unix(1585636200, 0)
	now := signedAt.Add(2 * time.Hour)
	own, err := Sign(testToken, WebAppUser{ID: 3002, FirstName: "Xa Văn Minh", LastName: "100% + ý"}, signedAt, url.Values{"chat_type": {"private"}})
	if err != nil {
		t.Fatal(err)
	}
	tampered := strings.Replace(pythonSigned, "%22id%22%3A3001", "%22id%22%3A1001", 1)
	otherBot, err := Sign("654321:other-bot", WebAppUser{ID: 3001, FirstName: "Quách Văn Hải"}, signedAt, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		raw    string
		now    time.Time
		want   error
		wantID int64
	}{
		{"signed by Telegram's rule elsewhere", pythonSigned, now, nil, 3001},
		{"signed here, a name with % and +", own, now, nil, 3002},
		{"just within the age", own, signedAt.Add(12 * time.Hour), nil, 3002},
		{"too old", own, signedAt.Add(12*time.Hour + time.Second), ErrExpired, 0},
		{"from the future", own, signedAt.Add(-2 * time.Minute), ErrFromFuture, 0},
		{"another user put in", tampered, now, ErrBadHash, 0},
		{"signed with another bot's token", otherBot, now, ErrBadHash, 0},
		{"no hash", strings.Split(pythonSigned, "&hash=")[0], now, ErrMalformed, 0},
		{"hash not hex", strings.Split(pythonSigned, "&hash=")[0] + "&hash=zz", now, ErrMalformed, 0},
		{"a field twice", pythonSigned + "&user=%7B%22id%22%3A1%7D", now, ErrMalformed, 0},
		{"empty", "", now, ErrNoInitData, 0},
		{"not a query string", "%zz", now, ErrMalformed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate(tt.raw, testToken, tt.now, 12*time.Hour)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if got.User.ID != tt.wantID {
				t.Errorf("user = %d, want %d", got.User.ID, tt.wantID)
			}
		})
	}
	got, err := Validate(pythonSigned, testToken, now, time.Hour*3)
	if err != nil || got.User.FirstName != "Quách Văn Hải" || got.User.LanguageCode != "vi" || got.QueryID != "AAHdF6IQAAAAAN0XohDhrOrc" || !got.AuthDate.Equal(signedAt) {
		t.Errorf("Validate = %+v, %v", got, err)
	}
}

func TestValidateNoUser(t *testing.T) {
	at := time.Unix(1585636200, 0)
	raw, err := Sign(testToken, WebAppUser{}, at, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Validate(raw, testToken, at, time.Hour); !errors.Is(err, ErrNoUser) {
		t.Errorf("error = %v, want ErrNoUser", err)
	}
}
