package tgtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/bot/tgtest"
)

var lan = tgtest.User{ID: 1001, FirstName: "Lan", LastName: "Nguyễn", LanguageCode: "vi"}

// fixedClock is a clock tests move by hand, so rate limits are deterministic.
type fixedClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newServer(t *testing.T, opts tgtest.Options) *tgtest.Server {
	t.Helper()
	srv := tgtest.NewServer(opts)
	t.Cleanup(srv.Close)
	return srv
}

func newBot(t *testing.T, srv *tgtest.Server, opts ...bot.Option) *bot.Bot {
	t.Helper()
	opts = append([]bot.Option{
		bot.WithServerURL(srv.URL),
		bot.WithErrorsHandler(func(err error) { t.Logf("bot error: %v", err) }),
		bot.WithDefaultHandler(func(context.Context, *bot.Bot, *models.Update) {}),
	}, opts...)
	b, err := bot.New(srv.Token, opts...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// checkHandlerErr reports a failed call from a bot handler, unless the test
// is already over: the server records a message before the client has read
// the answer, so a test may end while a handler still waits for it.
func checkHandlerErr(t *testing.T, ctx context.Context, what string, err error) {
	t.Helper()
	if err != nil && ctx.Err() == nil {
		t.Errorf("%s: %v", what, err)
	}
}

// startPolling runs b.Start until the test ends.
func startPolling(t *testing.T, b *bot.Bot) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.Start(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

func TestGetMe(t *testing.T) {
	srv := newServer(t, tgtest.Options{BotUsername: "caxbot"})
	b := newBot(t, srv)
	me, err := b.GetMe(testContext(t))
	if err != nil {
		t.Fatalf("GetMe: %v", err)
	}
	if me.Username != "caxbot" || !me.IsBot || me.ID != 123456789 {
		t.Errorf("GetMe = %+v, want bot caxbot with id 123456789", me)
	}
	// bot.New called getMe with an empty multipart body, then GetMe again.
	if n := len(srv.CallsOf("getMe")); n != 2 {
		t.Errorf("getMe calls = %d, want 2", n)
	}
}

func TestLongPollingReply(t *testing.T) {
	srv := newServer(t, tgtest.Options{})
	ctx := testContext(t)
	b := newBot(t, srv, bot.WithSkipGetMe())
	b.RegisterHandler(bot.HandlerTypeMessageText, "start", bot.MatchTypeCommand, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{
			ChatID:    u.Message.Chat.ID,
			Text:      "Xin chào <b>" + u.Message.From.FirstName + "</b> &amp; chúc mừng",
			ParseMode: models.ParseModeHTML,
			// Raw: go-telegram/bot's own button type writes an empty
			// copy_text, which Telegram (and tgtest) refuse.
			ReplyMarkup: json.RawMessage(`{"inline_keyboard":[[{"text":"Báo cáo","callback_data":"report"},{"text":"Hướng dẫn","url":"https://example.org/help"}]]}`),
		})
		checkHandlerErr(t, ctx, "SendMessage", err)
	})
	startPolling(t, b)

	srv.SendText(lan, lan.ID, "/start")
	msgs, err := srv.WaitMessages(ctx, lan.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	m := msgs[0]
	if m.PlainText != "Xin chào Lan & chúc mừng" {
		t.Errorf("PlainText = %q", m.PlainText)
	}
	if len(m.Entities) != 1 || m.Entities[0].Type != "bold" || m.Entities[0].Offset != 9 || m.Entities[0].Length != 3 {
		t.Errorf("Entities = %+v, want one bold at 9 of length 3", m.Entities)
	}
	want := [][]tgtest.Button{{{Text: "Báo cáo", CallbackData: "report"}, {Text: "Hướng dẫn", URL: "https://example.org/help"}}}
	if !equalJSON(m.Keyboard, want) {
		t.Errorf("Keyboard = %+v, want %+v", m.Keyboard, want)
	}
	if m.ID != 2 {
		t.Errorf("message id = %d, want 2 (after the user's message 1)", m.ID)
	}
}

func TestButtonPressEditsMessage(t *testing.T) {
	srv := newServer(t, tgtest.Options{})
	ctx := testContext(t)
	b := newBot(t, srv, bot.WithSkipGetMe())
	b.RegisterHandler(bot.HandlerTypeMessageText, "menu", bot.MatchTypeCommand, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{
			ChatID:      u.Message.Chat.ID,
			Text:        "Chọn chức vụ",
			ReplyMarkup: json.RawMessage(`{"inline_keyboard":[[{"text":"Trưởng Công an xã","callback_data":"post:chief"}]]}`),
		})
		checkHandlerErr(t, ctx, "SendMessage", err)
	})
	b.RegisterHandler(bot.HandlerTypeCallbackQueryData, "post:", bot.MatchTypePrefix, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		q := u.CallbackQuery
		_, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: "Đã chọn"})
		checkHandlerErr(t, ctx, "AnswerCallbackQuery", err)
		_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{
			ChatID: q.Message.Message.Chat.ID, MessageID: q.Message.Message.ID, Text: "Đã chọn: " + q.Data,
		})
		checkHandlerErr(t, ctx, "EditMessageText", err)
	})
	startPolling(t, b)

	srv.SendText(lan, lan.ID, "/menu")
	msgs, err := srv.WaitMessages(ctx, lan.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.PressButton(lan, msgs[0], "post:deputy"); err == nil {
		t.Error("PressButton with data no button carries: want error")
	}
	upd, err := srv.PressButton(lan, msgs[0], "post:chief")
	if err != nil {
		t.Fatal(err)
	}
	var answer tgtest.CallbackAnswer
	err = srv.WaitFor(ctx, func() bool {
		var ok bool
		answer, ok = srv.CallbackAnswer(upd)
		m := srv.Messages(lan.ID)
		return ok && len(m) == 1 && m[0].Edits == 1
	})
	if err != nil {
		t.Fatal(err)
	}
	m := srv.Messages(lan.ID)[0]
	if m.PlainText != "Đã chọn: post:chief" || m.Keyboard != nil {
		t.Errorf("edited message = %q with keyboard %v, want new text and no keyboard", m.PlainText, m.Keyboard)
	}
	if answer.Text != "Đã chọn" {
		t.Errorf("callback answer = %+v", answer)
	}
}

func TestWebhookDelivery(t *testing.T) {
	srv := newServer(t, tgtest.Options{WebhookRetryDelay: time.Millisecond})
	ctx := testContext(t)
	const secret = "s3cret-token_1"
	b := newBot(t, srv, bot.WithSkipGetMe(), bot.WithWebhookSecretToken(secret),
		bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
			_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "Đã nhận: " + u.Message.Text})
			checkHandlerErr(t, ctx, "SendMessage", err)
		}))
	var mu sync.Mutex
	var secrets []string
	failFirst := true
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		secrets = append(secrets, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		fail := failFirst
		failFirst = false
		mu.Unlock()
		if fail {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		b.WebhookHandler()(w, r)
	}))
	t.Cleanup(hook.Close)
	hookCtx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	go b.StartWebhook(hookCtx)

	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: hook.URL, SecretToken: secret}); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	upd := srv.SendText(lan, lan.ID, "xã Đông Phong đủ 3 công an viên")
	msgs, err := srv.WaitMessages(ctx, lan.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].PlainText != "Đã nhận: xã Đông Phong đủ 3 công an viên" {
		t.Errorf("reply = %q", msgs[0].PlainText)
	}
	var statuses []int
	err = srv.WaitFor(ctx, func() bool {
		statuses = nil
		for _, d := range srv.WebhookDeliveries() {
			if d.UpdateID == upd {
				statuses = append(statuses, d.StatusCode)
			}
		}
		return len(statuses) >= 2
	})
	if err != nil || !equalJSON(statuses, []int{503, 200}) {
		t.Errorf("delivery statuses = %v, want [503 200]", statuses)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range secrets {
		if s != secret {
			t.Errorf("secret header = %q, want %q", s, secret)
		}
	}
	// While the webhook is set, getUpdates conflicts, as on Telegram.
	status, resp := post(t, srv, "getUpdates", nil)
	if status != http.StatusConflict || resp.ErrorCode != 409 {
		t.Errorf("getUpdates with webhook = %d %+v, want 409", status, resp)
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil || info.URL != hook.URL || info.PendingUpdateCount != 0 {
		t.Errorf("GetWebhookInfo = %+v, %v", info, err)
	}
}

type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// post sends a raw multipart request, as go-telegram/bot does, so tests can
// send what the typed client would never send.
func post(t *testing.T, srv *tgtest.Server, method string, fields map[string]string) (int, apiResponse) {
	t.Helper()
	return postWithToken(t, srv, srv.Token, method, fields)
}

func postWithToken(t *testing.T, srv *tgtest.Server, token, method string, fields map[string]string) (int, apiResponse) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if len(fields) > 0 {
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.Post(srv.URL+"/bot"+token+"/"+method, w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r apiResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("decode %s answer: %v", method, err)
	}
	return resp.StatusCode, r
}

func TestRequestValidation(t *testing.T) {
	srv := newServer(t, tgtest.Options{Scale: 1000})
	srv.AddUser(lan)
	chat := "1001"
	button := func(data string) string {
		return `{"inline_keyboard":[[{"text":"Xã","callback_data":"` + data + `"}]]}`
	}
	tests := []struct {
		name   string
		method string
		fields map[string]string
		status int
		desc   string // substring of the description; empty for success
	}{
		{"plain text", "sendMessage", map[string]string{"chat_id": chat, "text": "Huyện Đà Bắc"}, 200, ""},
		{"unknown parameter", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "txet": "x"}, 400, `unknown parameter "txet"`},
		{"missing chat_id", "sendMessage", map[string]string{"text": "x"}, 400, `parameter "chat_id" is required`},
		{"chat_id not an integer or string", "sendMessage", map[string]string{"chat_id": "@nobody", "text": "x"}, 400, "chat not found"},
		{"unknown chat", "sendMessage", map[string]string{"chat_id": "999", "text": "x"}, 400, "chat not found"},
		{"empty text", "sendMessage", map[string]string{"chat_id": chat, "text": "  "}, 400, "message text is empty"},
		{"4096 characters", "sendMessage", map[string]string{"chat_id": chat, "text": strings.Repeat("ệ", 4096)}, 200, ""},
		{"4097 characters", "sendMessage", map[string]string{"chat_id": chat, "text": strings.Repeat("ệ", 4097)}, 400, "message is too long"},
		{"4096 characters after HTML parsing", "sendMessage", map[string]string{"chat_id": chat, "parse_mode": "HTML", "text": "<b>" + strings.Repeat("&lt;", 4096) + "</b>"}, 200, ""},
		{"wrong boolean", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "disable_notification": "yes"}, 400, "must be a Boolean"},
		{"64-byte callback_data", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "reply_markup": button(strings.Repeat("a", 64))}, 200, ""},
		{"65-byte callback_data", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "reply_markup": button(strings.Repeat("a", 65))}, 400, "BUTTON_DATA_INVALID"},
		{"empty copy_text", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "reply_markup": `{"inline_keyboard":[[{"text":"Xã","callback_data":"a","copy_text":{"text":""}}]]}`}, 400, "BUTTON_COPY_TEXT_INVALID"},
		{"copy_text alone", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "reply_markup": `{"inline_keyboard":[[{"text":"Mã","copy_text":{"text":"04828"}}]]}`}, 200, ""},
		{"callback_data counted in bytes", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "reply_markup": button(strings.Repeat("ệ", 22))}, 400, "BUTTON_DATA_INVALID"},
		{"button without action", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "reply_markup": `{"inline_keyboard":[[{"text":"a"}]]}`}, 400, "Text buttons are unallowed"},
		{"unknown nested field", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "reply_markup": `{"inline_keyboard":[[{"text":"a","callback_data":"b","colour":"red"}]]}`}, 400, `unknown field "inline_keyboard[0][0].colour" of InlineKeyboardButton`},
		{"wrong nested type", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "reply_markup": `{"keyboard":[[{"text":1}]]}`}, 400, `"keyboard[0][0].text" must be a String`},
		{"reply keyboard", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "reply_markup": `{"keyboard":[[{"text":"Có"},{"text":"Không"}]],"resize_keyboard":true}`}, 200, ""},
		{"markup not JSON", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "reply_markup": `{inline`}, 400, "must be JSON-serialized"},
		{"unclosed HTML tag", "sendMessage", map[string]string{"chat_id": chat, "text": "<b>Đà Bắc", "parse_mode": "HTML"}, 400, `can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{"unsupported HTML tag", "sendMessage", map[string]string{"chat_id": chat, "text": "<p>x</p>", "parse_mode": "HTML"}, 400, `can't parse entities: Unsupported start tag "p" at byte offset 0`},
		{"unescaped less-than", "sendMessage", map[string]string{"chat_id": chat, "text": "3 < 5", "parse_mode": "HTML"}, 400, "can't parse entities"},
		{"crossed HTML tags", "sendMessage", map[string]string{"chat_id": chat, "text": "<b><i>x</b></i>", "parse_mode": "HTML"}, 400, `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"unknown parse_mode", "sendMessage", map[string]string{"chat_id": chat, "text": "x", "parse_mode": "BBCode"}, 400, "unsupported parse_mode"},
		{"message_id not an integer", "editMessageText", map[string]string{"chat_id": chat, "message_id": "abc", "text": "x"}, 400, `parameter "message_id" must be an Integer`},
		{"edit of a missing message", "editMessageText", map[string]string{"chat_id": chat, "message_id": "999", "text": "x"}, 400, "message to edit not found"},
		{"caption of 1025 characters", "sendPhoto", map[string]string{"chat_id": chat, "photo": "https://example.org/a.png", "caption": strings.Repeat("a", 1025)}, 400, "message caption is too long"},
		{"photo as a bogus file_id", "sendPhoto", map[string]string{"chat_id": chat, "photo": "nonsense"}, 400, "wrong file identifier"},
		{"chat action", "sendChatAction", map[string]string{"chat_id": chat, "action": "typing"}, 200, ""},
		{"wrong chat action", "sendChatAction", map[string]string{"chat_id": chat, "action": "dancing"}, 400, "wrong parameter action"},
		{"bad command", "setMyCommands", map[string]string{"commands": `[{"command":"Báo_cáo","description":"x"}]`}, 400, "BOT_COMMAND_INVALID"},
		{"unknown callback query", "answerCallbackQuery", map[string]string{"callback_query_id": "42"}, 400, "query ID is invalid"},
		{"method names ignore case", "SENDMESSAGE", map[string]string{"chat_id": chat, "text": "x"}, 200, ""},
		{"unknown method", "sendTelegram", map[string]string{"chat_id": chat}, 404, "Not Found"},
		{"method not served", "sendPoll", map[string]string{"chat_id": chat, "question": "?", "options": `[{"text":"a"},{"text":"b"}]`}, 501, "does not serve sendPoll"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, resp := post(t, srv, tc.method, tc.fields)
			if status != tc.status {
				t.Fatalf("status = %d (%s), want %d", status, resp.Description, tc.status)
			}
			if tc.desc == "" {
				if !resp.OK {
					t.Errorf("ok = false: %s", resp.Description)
				}
				return
			}
			if resp.OK || resp.ErrorCode != tc.status || !strings.Contains(resp.Description, tc.desc) {
				t.Errorf("answer = %+v, want error %d containing %q", resp, tc.status, tc.desc)
			}
			if tc.status == 400 && !strings.HasPrefix(resp.Description, "Bad Request: ") {
				t.Errorf("description %q lacks Telegram's prefix", resp.Description)
			}
		})
	}
}

func TestWrongToken(t *testing.T) {
	srv := newServer(t, tgtest.Options{})
	status, resp := postWithToken(t, srv, "1:wrong", "getMe", nil)
	if status != 401 || resp.ErrorCode != 401 || resp.Description != "Unauthorized" {
		t.Errorf("answer = %d %+v, want 401 Unauthorized", status, resp)
	}
	b, err := bot.New("1:wrong", bot.WithServerURL(srv.URL))
	if b != nil || !errors.Is(err, bot.ErrorUnauthorized) {
		t.Errorf("bot.New with a wrong token = %v, want ErrorUnauthorized", err)
	}
}

func TestEditErrors(t *testing.T) {
	srv := newServer(t, tgtest.Options{Scale: 1000})
	ctx := testContext(t)
	srv.AddUser(lan)
	b := newBot(t, srv, bot.WithSkipGetMe())
	kb := json.RawMessage(`{"inline_keyboard":[[{"text":"Xem","callback_data":"view"}]]}`)
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: lan.ID, Text: "Tiến độ", ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		params *bot.EditMessageTextParams
		want   string
	}{
		{"same text and keyboard", &bot.EditMessageTextParams{ChatID: lan.ID, MessageID: sent.ID, Text: "Tiến độ", ReplyMarkup: kb}, "message is not modified"},
		{"same text as HTML", &bot.EditMessageTextParams{ChatID: lan.ID, MessageID: sent.ID, Text: "Tiến &#273;ộ", ParseMode: models.ParseModeHTML, ReplyMarkup: kb}, "message is not modified"},
		{"missing message", &bot.EditMessageTextParams{ChatID: lan.ID, MessageID: sent.ID + 1, Text: "x"}, "message to edit not found"},
		{"keyboard removed", &bot.EditMessageTextParams{ChatID: lan.ID, MessageID: sent.ID, Text: "Tiến độ"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.EditMessageText(ctx, tc.params)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("EditMessageText: %v", err)
				}
				return
			}
			if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("EditMessageText error = %v, want bad request %q", err, tc.want)
			}
		})
	}
	if _, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: lan.ID, MessageID: sent.ID}); err != nil {
		t.Fatalf("DeleteMessage: %v", err)
	}
	if msgs := srv.Messages(lan.ID); len(msgs) != 0 {
		t.Errorf("messages after delete = %+v", msgs)
	}
	if _, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: lan.ID, MessageID: sent.ID}); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("second DeleteMessage error = %v, want bad request", err)
	}
}

func TestRateLimits(t *testing.T) {
	group := int64(-100200)
	tests := []struct {
		name      string
		limits    tgtest.Limits
		scale     float64
		chats     []int64 // one send to each in turn
		allowed   int
		wantRetry int
	}{
		{"private chat burst", tgtest.Limits{}, 1, []int64{1001}, 3, 1},
		{"group per minute", tgtest.Limits{ChatBurst: 100, PerChatPerSecond: 100}, 1, []int64{group}, 20, 3},
		{"all chats per second", tgtest.Limits{PerSecond: 2}, 1, []int64{1001, 1002, 1003}, 2, 1},
		{"scaled", tgtest.Limits{}, 10, []int64{1001}, 30, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fixedClock{now: time.Date(2020, 3, 2, 8, 0, 0, 0, time.UTC)}
			srv := newServer(t, tgtest.Options{Limits: tc.limits, Scale: tc.scale, Now: clock.Now})
			ctx := testContext(t)
			for _, id := range []int64{1001, 1002, 1003} {
				srv.AddUser(tgtest.User{ID: id, FirstName: "Cán bộ"})
			}
			srv.AddGroup(group, "Công an huyện Lạc Sơn")
			b := newBot(t, srv, bot.WithSkipGetMe())
			send := func(i int) error {
				_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: tc.chats[i%len(tc.chats)], Text: "Nhắc việc"})
				return err
			}
			for i := range tc.allowed {
				if err := send(i); err != nil {
					t.Fatalf("send %d: %v", i+1, err)
				}
			}
			err := send(tc.allowed)
			var tooMany *bot.TooManyRequestsError
			if !errors.As(err, &tooMany) {
				t.Fatalf("send %d error = %v, want *bot.TooManyRequestsError", tc.allowed+1, err)
			}
			if tooMany.RetryAfter != tc.wantRetry {
				t.Errorf("RetryAfter = %d, want %d", tooMany.RetryAfter, tc.wantRetry)
			}
			if got := srv.Stats().TooManyRequests; got != 1 {
				t.Errorf("Stats().TooManyRequests = %d, want 1", got)
			}
			clock.Advance(time.Duration(tooMany.RetryAfter) * time.Second)
			if err := send(tc.allowed); err != nil {
				t.Errorf("send after retry_after: %v", err)
			}
		})
	}
}

func TestBlockedUser(t *testing.T) {
	srv := newServer(t, tgtest.Options{})
	ctx := testContext(t)
	srv.AddUser(lan)
	srv.Block(lan.ID)
	b := newBot(t, srv, bot.WithSkipGetMe())
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: lan.ID, Text: "Nhắc việc"})
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "Forbidden: bot was blocked by the user") {
		t.Errorf("SendMessage to a blocked user = %v, want 403", err)
	}
	if srv.Stats().Forbidden != 1 {
		t.Errorf("Stats = %+v, want one 403", srv.Stats())
	}
	// Writing to the bot again unblocks, as in Telegram.
	srv.SendText(lan, lan.ID, "/start")
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: lan.ID, Text: "Chào lại"}); err != nil {
		t.Errorf("SendMessage after the user came back: %v", err)
	}
}

func TestFileUploads(t *testing.T) {
	srv := newServer(t, tgtest.Options{Scale: 1000})
	ctx := testContext(t)
	srv.AddUser(lan)
	b := newBot(t, srv, bot.WithSkipGetMe())

	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	img.Set(3, 3, color.RGBA{R: 200, A: 255})
	var pngBytes bytes.Buffer
	if err := png.Encode(&pngBytes, img); err != nil {
		t.Fatal(err)
	}
	xlsx := []byte("PK\x03\x04 pretend spreadsheet")

	if _, err := b.SendPhoto(ctx, &bot.SendPhotoParams{
		ChatID: lan.ID, Caption: "Biểu đồ <i>tuần</i>", ParseMode: models.ParseModeHTML,
		Photo: &models.InputFileUpload{Filename: "chart.png", Data: bytes.NewReader(pngBytes.Bytes())},
	}); err != nil {
		t.Fatalf("SendPhoto: %v", err)
	}
	doc, err := b.SendDocument(ctx, &bot.SendDocumentParams{
		ChatID:   lan.ID,
		Document: &models.InputFileUpload{Filename: "tien-do.xlsx", Data: bytes.NewReader(xlsx)},
	})
	if err != nil {
		t.Fatalf("SendDocument: %v", err)
	}
	_, err = b.SendPhoto(ctx, &bot.SendPhotoParams{
		ChatID: lan.ID, Photo: &models.InputFileUpload{Filename: "broken.png", Data: strings.NewReader("not an image")},
	})
	if !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("SendPhoto of a broken image = %v, want bad request", err)
	}

	msgs := srv.Messages(lan.ID)
	if len(msgs) != 2 {
		t.Fatalf("messages = %d, want 2", len(msgs))
	}
	photo := msgs[0].Photo
	if photo == nil || !bytes.Equal(photo.Content, pngBytes.Bytes()) || photo.Width != 40 || photo.Height != 20 || photo.Name != "chart.png" {
		t.Errorf("photo = %+v", photo)
	}
	if msgs[0].PlainCaption != "Biểu đồ tuần" {
		t.Errorf("caption = %q", msgs[0].PlainCaption)
	}
	if d := msgs[1].Document; d == nil || !bytes.Equal(d.Content, xlsx) || d.Name != "tien-do.xlsx" || d.Size != len(xlsx) {
		t.Errorf("document = %+v", d)
	}

	// The bot can download what was sent, as with a user's forwarded file.
	f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: doc.Document.FileID})
	if err != nil {
		t.Fatalf("GetFile: %v", err)
	}
	resp, err := http.Get(b.FileDownloadLink(f))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil || !bytes.Equal(got, xlsx) {
		t.Errorf("download = %q, %v", got, err)
	}
}

func TestUserDocumentReachesBot(t *testing.T) {
	srv := newServer(t, tgtest.Options{})
	ctx := testContext(t)
	got := make(chan []byte, 1)
	b := newBot(t, srv, bot.WithSkipGetMe(), bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
		if u.Message == nil || u.Message.Document == nil {
			return
		}
		f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: u.Message.Document.FileID})
		if err != nil {
			t.Errorf("GetFile: %v", err)
			return
		}
		resp, err := http.Get(b.FileDownloadLink(f))
		if err != nil {
			t.Errorf("download: %v", err)
			return
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Errorf("download: %v", err)
		}
		got <- data
	}))
	startPolling(t, b)
	srv.SendDocument(lan, lan.ID, "danh-sach.csv", []byte("xã,trưởng\nĐông Phong,chính quy\n"), "")
	select {
	case data := <-got:
		if string(data) != "xã,trưởng\nĐông Phong,chính quy\n" {
			t.Errorf("bot read %q", data)
		}
	case <-ctx.Done():
		t.Fatal("the bot never read the document")
	}
}

func TestInjectedFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault tgtest.Fault
		check func(error) bool
	}{
		{"server error", tgtest.FaultServerError, func(err error) bool { return err != nil && strings.Contains(err.Error(), "500") }},
		{"too many requests", tgtest.FaultTooManyRequests, func(err error) bool {
			var tooMany *bot.TooManyRequestsError
			return errors.As(err, &tooMany) && tooMany.RetryAfter == 1
		}},
		{"hang", tgtest.FaultHang, func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, tgtest.Options{})
			srv.AddUser(lan)
			b := newBot(t, srv, bot.WithSkipGetMe())
			srv.InjectFault("sendMessage", tc.fault, 1)
			ctx, cancel := context.WithTimeout(testContext(t), 200*time.Millisecond)
			defer cancel()
			_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: lan.ID, Text: "x"})
			if !tc.check(err) {
				t.Errorf("first send error = %v", err)
			}
			if _, err := b.SendMessage(testContext(t), &bot.SendMessageParams{ChatID: lan.ID, Text: "x"}); err != nil {
				t.Errorf("second send: %v", err)
			}
		})
	}
}

func TestCallsAreRecorded(t *testing.T) {
	srv := newServer(t, tgtest.Options{})
	ctx := testContext(t)
	srv.AddUser(lan)
	b := newBot(t, srv, bot.WithSkipGetMe())
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "start", Description: "Bắt đầu"}}}); err != nil {
		t.Fatalf("SetMyCommands: %v", err)
	}
	if _, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: lan.ID, Action: models.ChatActionTyping}); err != nil {
		t.Fatalf("SendChatAction: %v", err)
	}
	calls := srv.Calls()
	if len(calls) != 2 {
		t.Fatalf("calls = %+v", calls)
	}
	if calls[0].Method != "setMyCommands" || calls[0].StatusCode != 200 || !strings.Contains(calls[0].Params["commands"], `"start"`) {
		t.Errorf("first call = %+v", calls[0])
	}
	if calls[1].Method != "sendChatAction" || calls[1].Params["action"] != "typing" || calls[1].Params["chat_id"] != "1001" {
		t.Errorf("second call = %+v", calls[1])
	}
}

func equalJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// BenchmarkSendMessage measures sendMessage round trips through the real
// client, over loopback, with limits scaled out of the way.
func BenchmarkSendMessage(b *testing.B) {
	srv := tgtest.NewServer(tgtest.Options{Scale: 1e6})
	defer srv.Close()
	for id := int64(1); id <= 1000; id++ {
		srv.AddUser(tgtest.User{ID: id, FirstName: "Cán bộ"})
	}
	// The default transport keeps 2 idle connections per host: with 20
	// senders most requests would open a new connection.
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 100}}
	client, err := bot.New(srv.Token, bot.WithServerURL(srv.URL), bot.WithSkipGetMe(), bot.WithHTTPClient(time.Minute, httpClient))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var n atomic.Int64
	// Many senders at once, like an outbox worker pool: one at a time the
	// client's latency, not the server, would be measured.
	b.SetParallelism(20)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := n.Add(1)%1000 + 1
			if _, err := client.SendMessage(ctx, &bot.SendMessageParams{ChatID: id, Text: "Nhắc việc: còn thiếu trưởng công an xã"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// TestWebhookAnswerIsPerformed checks that a method in the webhook's 200
// answer is performed and recorded as if the bot had called it.
func TestWebhookAnswerIsPerformed(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		wantCall    string // method of the one call recorded; "" for none
		wantStatus  int
		wantText    string // the message sent to lan, if any
	}{
		{name: "sendMessage", contentType: "application/json",
			body:     `{"method":"sendMessage","chat_id":1001,"text":"<b>Đủ</b> rồi","parse_mode":"HTML"}`,
			wantCall: "sendMessage", wantStatus: http.StatusOK, wantText: "Đủ rồi"},
		{name: "method name in another case", contentType: "application/json; charset=utf-8",
			body:     `{"method":"SENDMESSAGE","chat_id":1001,"text":"ok"}`,
			wantCall: "sendMessage", wantStatus: http.StatusOK, wantText: "ok"},
		{name: "checked like a call", contentType: "application/json",
			body:     `{"method":"sendMessage","chat_id":1001}`,
			wantCall: "sendMessage", wantStatus: http.StatusBadRequest},
		{name: "unknown method", contentType: "application/json",
			body:     `{"method":"sendTelepathy","chat_id":1001}`,
			wantCall: "sendTelepathy", wantStatus: http.StatusNotFound},
		{name: "not JSON", contentType: "application/json", body: `{"method":`,
			wantCall: "", wantStatus: http.StatusBadRequest},
		{name: "no method", contentType: "application/json", body: `{"chat_id":1001,"text":"ok"}`},
		{name: "empty", contentType: "application/json"},
		{name: "not declared JSON", contentType: "text/plain",
			body: `{"method":"sendMessage","chat_id":1001,"text":"ok"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tgtest.Options{})
			ctx := testContext(t)
			hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", tt.contentType)
				io.WriteString(w, tt.body)
			}))
			t.Cleanup(hook.Close)
			if status, resp := post(t, srv, "setWebhook", map[string]string{"url": hook.URL}); status != http.StatusOK {
				t.Fatalf("setWebhook = %d %+v", status, resp)
			}
			upd := srv.SendText(lan, lan.ID, "còn thiếu không")
			err := srv.WaitFor(ctx, func() bool {
				for _, d := range srv.WebhookDeliveries() {
					if d.UpdateID == upd {
						return true
					}
				}
				return false
			})
			if err != nil {
				t.Fatal(err)
			}
			var calls []tgtest.Call
			for _, c := range srv.Calls() {
				if c.Method != "setWebhook" {
					calls = append(calls, c)
				}
			}
			wantCalls := 0
			if tt.wantStatus != 0 {
				wantCalls = 1
			}
			if len(calls) != wantCalls {
				t.Fatalf("calls = %+v, want %d", calls, wantCalls)
			}
			if wantCalls == 1 && (calls[0].Method != tt.wantCall || calls[0].StatusCode != tt.wantStatus) {
				t.Errorf("call = %s %d (%s), want %s %d", calls[0].Method, calls[0].StatusCode, calls[0].Description, tt.wantCall, tt.wantStatus)
			}
			var got string
			for _, m := range srv.Messages(lan.ID) {
				got = m.PlainText
			}
			if got != tt.wantText {
				t.Errorf("bot's message = %q, want %q", got, tt.wantText)
			}
		})
	}
}

// TestUserPhotoReachesBot: a user's photo arrives as an array of
// PhotoSize with its caption, and downloads as sent; a document gets the
// MIME type of its name; getFile refuses what a bot may not download.
func TestUserPhotoReachesBot(t *testing.T) {
	srv := newServer(t, tgtest.Options{})
	ctx := testContext(t)
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	var photo bytes.Buffer
	if err := png.Encode(&photo, img); err != nil {
		t.Fatal(err)
	}
	got := make(chan *models.Message, 2)
	b := newBot(t, srv, bot.WithSkipGetMe(), bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
		if u.Message != nil {
			got <- u.Message
		}
	}))
	startPolling(t, b)
	if _, err := srv.SendPhoto(lan, lan.ID, []byte("not an image"), ""); err == nil {
		t.Error("a photo that is no image was sent")
	}
	if _, err := srv.SendPhoto(lan, lan.ID, photo.Bytes(), "QĐ 125/QĐ-CAT ngày 10/3/2020"); err != nil {
		t.Fatal(err)
	}
	srv.SendDocument(lan, lan.ID, "quyet-dinh.pdf", bytes.Repeat([]byte{'x'}, 20<<20+1), "")
	// The client handles updates concurrently: they may come in any order.
	var m, doc *models.Message
	for range 2 {
		select {
		case u := <-got:
			if u.Document != nil {
				doc = u
			} else {
				m = u
			}
		case <-ctx.Done():
			t.Fatal("the bot never got the photo and the document")
		}
	}
	if m == nil || doc == nil {
		t.Fatalf("photo %+v, document %+v", m, doc)
	}
	// Two sizes, smallest first: a thumbnail of 90 pixels, and the photo.
	if len(m.Photo) != 2 || m.Photo[0].Width != 90 || m.Photo[0].Height != 67 || m.Photo[1].Width != 400 || m.Photo[1].Height != 300 ||
		m.Photo[0].FileID == m.Photo[1].FileID || m.Caption != "QĐ 125/QĐ-CAT ngày 10/3/2020" {
		t.Fatalf("photo message = %+v", m)
	}
	thumb, err := b.GetFile(ctx, &bot.GetFileParams{FileID: m.Photo[0].FileID})
	if err != nil {
		t.Fatal(err)
	}
	if tr, err := http.Get(b.FileDownloadLink(thumb)); err != nil {
		t.Fatal(err)
	} else {
		cfg, _, err := image.DecodeConfig(tr.Body)
		tr.Body.Close()
		if err != nil || cfg.Width != 90 {
			t.Errorf("thumbnail: %+v, %v", cfg, err)
		}
	}
	f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: m.Photo[1].FileID})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(b.FileDownloadLink(f))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || !bytes.Equal(data, photo.Bytes()) {
		t.Errorf("download = %d bytes, %v", len(data), err)
	}
	m = doc
	if m.Document == nil || m.Document.MimeType != "application/pdf" {
		t.Fatalf("document = %+v", m.Document)
	}
	if _, err := b.GetFile(ctx, &bot.GetFileParams{FileID: m.Document.FileID}); err == nil || !strings.Contains(err.Error(), "file is too big") {
		t.Errorf("getFile of 20 MB and a byte: %v", err)
	}
}

// TestCommandScopes: setMyCommands keeps a list per scope and language,
// and a chat shows the narrowest one, as Telegram documents; a scope
// naming a chat the bot does not know is refused.
func TestCommandScopes(t *testing.T) {
	srv := newServer(t, tgtest.Options{})
	ctx := testContext(t)
	srv.AddUser(lan)
	srv.AddGroup(-500, "Nhóm huyện")
	b := newBot(t, srv, bot.WithSkipGetMe())
	set := func(scope models.BotCommandScope, lang string, names ...string) error {
		cmds := []models.BotCommand{}
		for _, n := range names {
			cmds = append(cmds, models.BotCommand{Command: n, Description: "Mô tả " + n})
		}
		_, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: cmds, Scope: scope, LanguageCode: lang})
		return err
	}
	for _, err := range []error{
		set(nil, "", "huy", "trogiup"),
		set(nil, "en", "huy"),
		set(&models.BotCommandScopeAllGroupChats{}, "", "gannhom"),
		set(&models.BotCommandScopeChat{ChatID: lan.ID}, "", "thieu", "huy"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name       string
		chat, user int64
		lang       string
		want       string
	}{
		{"the user's own list", lan.ID, lan.ID, "vi", "thieu huy"},
		{"the user's own list, in English too", lan.ID, lan.ID, "en", "thieu huy"},
		{"another private chat: the default", 1234, 1234, "vi", "huy trogiup"},
		{"another private chat: the default for English", 1234, 1234, "en", "huy"},
		{"a group", -500, lan.ID, "vi", "gannhom"},
	} {
		if got := strings.Join(srv.CommandsShown(tt.chat, tt.user, tt.lang), " "); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if err := set(&models.BotCommandScopeChat{ChatID: 99999}, "", "huy"); err == nil || !strings.Contains(err.Error(), "chat not found") {
		t.Errorf("a scope of an unknown chat: %v", err)
	}
	if err := set(&models.BotCommandScopeChat{ChatID: lan.ID}, ""); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(srv.CommandsShown(lan.ID, lan.ID, "vi"), " "); got != "huy trogiup" {
		t.Errorf("after the chat's list is emptied: %q", got)
	}
}
