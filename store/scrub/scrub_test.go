package scrub

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

const (
	token    = "7312459876:AAGk3vQm2xR8sLp0Wn5yTz7bHc4dEf6gJ1k"
	password = "Mật-khẩu/Bí@mật 2020"
)

func TestString(t *testing.T) {
	r := New(token, password, "webhook-secret-0123456789", "")
	tests := []struct {
		name, in string
		gone     []string // must not be in the output
		kept     string   // must be in it
	}{
		{"a proxy's HTML page echoes the request path",
			`error decode response body for method getUpdates, <html><body><h1>502 Bad Gateway</h1><p>POST /bot` + token + `/getUpdates</p></body></html>, invalid character '<'`,
			[]string{token, "AAGk3vQm2xR8sLp0Wn5yTz7bHc4dEf6gJ1k"}, "POST /botxxxxx/getUpdates"},
		{"a token the Scrubber was not given, by its shape",
			`Post "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0/sendMessage": dial tcp: i/o timeout`,
			[]string{"AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"}, "api.telegram.org/bot123456789:xxxxx/sendMessage"},
		{"a database URL",
			`store: connect to postgres://caxbot:` + password + `@db.congan.local:5432/caxbot: connection refused`,
			[]string{password}, "db.congan.local:5432"},
		{"a URL whose password is escaped",
			`redis: dial redis://:M%E1%BA%ADt-kh%E1%BA%A9u%2FB%C3%AD%40m%E1%BA%ADt+2020@10.0.0.7:6379/0 failed`,
			[]string{"M%E1%BA%ADt-kh%E1%BA%A9u%2FB%C3%AD%40m%E1%BA%ADt+2020"}, "10.0.0.7:6379/0"},
		{"a URL password the Scrubber was not given",
			`dial postgresql://admin:hunter22@10.1.2.3/x failed`,
			[]string{"hunter22"}, "postgresql://admin:xxxxx@10.1.2.3/x"},
		{"a key=value connection string",
			`pq: host=db user=caxbot password='s3 cr3t' dbname=caxbot`,
			[]string{"s3 cr3t"}, "dbname=caxbot"},
		{"the webhook secret", `header X-Telegram-Bot-Api-Secret-Token: webhook-secret-0123456789 rejected`,
			[]string{"webhook-secret-0123456789"}, "rejected"},
		{"ordinary text is left alone", `Gửi tới 1002 thất bại: Bad Request: chat not found`, nil, `Gửi tới 1002 thất bại: Bad Request: chat not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.String(tt.in)
			for _, g := range tt.gone {
				if strings.Contains(got, g) {
					t.Errorf("%q still in %q", g, got)
				}
			}
			if !strings.Contains(got, tt.kept) {
				t.Errorf("%q lost %q", got, tt.kept)
			}
		})
	}
	var none *Scrubber
	if got := none.String("bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"); strings.Contains(got, "AAHdq") {
		t.Errorf("a nil Scrubber kept a token: %q", got)
	}
}

func TestHandler(t *testing.T) {
	var buf bytes.Buffer
	r := New(token)
	log := slog.New(r.Handler(slog.NewTextHandler(&buf, nil))).With("api", "https://x/bot"+token)
	log.Warn("telegram client "+token, "err", errors.New("decode "+token), "body", []byte(token),
		slog.Group("call", "url", "https://x/bot"+token+"/sendMessage"), "n", 3)
	out := buf.String()
	if strings.Contains(out, "AAGk3vQm2xR8sLp0Wn5yTz7bHc4dEf6gJ1k") {
		t.Errorf("log line keeps the token: %s", out)
	}
	if !strings.Contains(out, "n=3") || !strings.Contains(out, "call.url=") || !strings.Contains(out, "body=xxxxx") {
		t.Errorf("log line lost its other attributes: %s", out)
	}
}
