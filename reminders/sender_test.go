package reminders_test

import (
	"context"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
)

// TestTelegramSenderErrors checks that bot.TelegramSender, through the
// real client and tgtest, turns Telegram's refusals into what
// reminders.Classify knows.
func TestTelegramSenderErrors(t *testing.T) {
	srv := tgtest.NewServer(tgtest.Options{})
	defer srv.Close()
	srv.AddUser(tgtest.User{ID: 1, FirstName: "A"})
	srv.AddUser(tgtest.User{ID: 2, FirstName: "B"})
	srv.Block(2)
	s := bot.TelegramSender{Client: newClient(t, srv)}
	ctx := context.Background()
	tests := []struct {
		name   string
		fault  tgtest.Fault
		chat   int64
		msg    reminders.Message
		want   reminders.OutcomeKind
		retryA time.Duration
	}{
		{"sent with a button", 0, 1, reminders.Message{Text: "Nhắc việc", Buttons: [][]reminders.Button{{{Text: "Đã nhận", Data: reminders.AckCallbackData("chief-q1-2020")}}}}, reminders.OutcomeOK, 0},
		{"document", 0, 1, reminders.Message{Text: "Bảng", Document: &reminders.File{Name: "a.xlsx", Data: []byte("xlsx")}}, reminders.OutcomeOK, 0},
		{"blocked", 0, 2, reminders.Message{Text: "x"}, reminders.OutcomeGone, 0},
		{"unknown chat", 0, 3, reminders.Message{Text: "x"}, reminders.OutcomeFatal, 0},
		{"429", tgtest.FaultTooManyRequests, 1, reminders.Message{Text: "x"}, reminders.OutcomeThrottled, time.Second},
		{"500", tgtest.FaultServerError, 1, reminders.Message{Text: "x"}, reminders.OutcomeRetry, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fault != 0 {
				srv.InjectFault("sendMessage", tt.fault, 1)
			}
			err := s.Send(ctx, tt.chat, tt.msg)
			out := reminders.Classify(err)
			if out.Kind != tt.want || out.RetryAfter != tt.retryA {
				t.Errorf("Send = %v: %v/%v, want %v/%v", err, out.Kind, out.RetryAfter, tt.want, tt.retryA)
			}
		})
	}
	msgs := srv.Messages(1)
	if len(msgs) != 2 || len(msgs[0].Keyboard) != 1 || msgs[0].Keyboard[0][0].CallbackData != "ack:chief-q1-2020" {
		t.Errorf("messages of chat 1 = %+v", msgs)
	}
}

func TestAckCallback(t *testing.T) {
	for _, tt := range []struct {
		data string
		id   string
		ok   bool
	}{
		{reminders.AckCallbackData("chief-q1-2020"), "chief-q1-2020", true},
		{"ack:", "", false},
		{"report:04816", "", false},
		{"ack:" + string(make([]byte, 61)), "", false},
	} {
		id, ok := reminders.ParseAckCallback(tt.data)
		if id != tt.id || ok != tt.ok {
			t.Errorf("ParseAckCallback(%q) = %q, %v; want %q, %v", tt.data, id, ok, tt.id, tt.ok)
		}
	}
}
