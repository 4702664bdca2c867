package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/bot/tgtest"
)

// localBot is the real bot over an in-process Bot API server: what
// `caxbot chat` and `caxbot demo` talk to instead of Telegram. It runs in
// webhook mode, whose handler answers only once an update is handled, so
// that when a delivery ends the bot's replies are complete.
type localBot struct {
	srv  *tgtest.Server
	tg   *tgbot.Bot
	bot  *bot.Bot
	hook *http.Server
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu   sync.Mutex
	seen map[int64]map[int64]int // chat → message id → edits already shown
}

// localBotUsername is the local server's bot when no username is set.
const localBotUsername = "caxbot_bot"

// startLocalBot starts the local server, the bot and its webhook. now is
// the clock of both; scale multiplies Telegram's sending limits (a demo
// that walks weeks in seconds needs more than one message a second).
func (m *Main) startLocalBot(ctx context.Context, scale float64) (*localBot, error) {
	l := &localBot{seen: make(map[int64]map[int64]int)}
	l.srv = tgtest.NewServer(tgtest.Options{BotUsername: m.username(), Scale: scale, Now: m.Now, WebhookAttempts: 1})
	b, err := m.newBot(ctx)
	if err != nil {
		l.srv.Close()
		return nil, err
	}
	l.bot = b
	if l.tg, err = b.NewClient(l.srv.Token, l.srv.URL, nil); err != nil {
		l.srv.Close()
		return nil, err
	}
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		l.srv.Close()
		return nil, fmt.Errorf("caxbot: webhook secret: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		l.srv.Close()
		return nil, fmt.Errorf("caxbot: local webhook: %w", err)
	}
	l.hook = &http.Server{Handler: b.WebhookHandler(l.tg, hex.EncodeToString(secret)), ReadHeaderTimeout: 10 * time.Second}
	work, stop := context.WithCancel(context.Background())
	l.stop = stop
	l.wg.Add(2)
	go func() { defer l.wg.Done(); b.RunWebhook(work) }()
	go func() {
		defer l.wg.Done()
		if err := l.hook.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("local webhook", "err", err)
		}
	}()
	_, err = l.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: "http://" + ln.Addr().String() + "/", SecretToken: hex.EncodeToString(secret)})
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("caxbot: local webhook: %w", err)
	}
	return l, nil
}

// Close stops the bot and the server.
func (l *localBot) Close() {
	l.srv.Close()
	l.stop()
	l.hook.Close()
	l.wg.Wait()
}

// outgoing is one thing the bot did that a person sees: a new message, an
// edited one, or the short notice of a pressed button.
type outgoing struct {
	Chat    int64
	Message tgtest.Message
	Edited  bool
	Notice  string // a callback answer's text, when Message is empty
}

// say types text as from in their private chat and returns what the bot
// did in answer.
func (l *localBot) say(ctx context.Context, from tgtest.User, text string) ([]outgoing, error) {
	l.snapshot(from.ID)
	id := l.srv.SendText(from, from.ID, text)
	if err := l.waitHandled(ctx, id); err != nil {
		return nil, err
	}
	return l.changes(from.ID), nil
}

// photo sends a photo as from in their private chat, with its caption,
// and returns what the bot did in answer.
func (l *localBot) photo(ctx context.Context, from tgtest.User, content []byte, caption string) ([]outgoing, error) {
	l.snapshot(from.ID)
	id, err := l.srv.SendPhoto(from, from.ID, content, caption)
	if err != nil {
		return nil, err
	}
	if err := l.waitHandled(ctx, id); err != nil {
		return nil, err
	}
	return l.changes(from.ID), nil
}

// press presses the button of msg whose callback data is data.
func (l *localBot) press(ctx context.Context, from tgtest.User, msg tgtest.Message, data string) ([]outgoing, error) {
	l.snapshot(msg.ChatID)
	id, err := l.srv.PressButton(from, msg, data)
	if err != nil {
		return nil, err
	}
	if err := l.waitHandled(ctx, id); err != nil {
		return nil, err
	}
	out := l.changes(msg.ChatID)
	if ans, ok := l.srv.CallbackAnswer(id); ok && ans.Text != "" {
		out = append(out, outgoing{Chat: msg.ChatID, Notice: ans.Text})
	}
	return out, nil
}

// waitHandled waits until the webhook delivery of the update has ended.
func (l *localBot) waitHandled(ctx context.Context, updateID int64) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var status int
	err := l.srv.WaitFor(ctx, func() bool {
		for _, d := range l.srv.WebhookDeliveries() {
			if d.UpdateID == updateID {
				status = d.StatusCode
				return true
			}
		}
		return false
	})
	if err != nil {
		return fmt.Errorf("caxbot: update %d not handled: %w", updateID, err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("caxbot: update %d answered %d", updateID, status)
	}
	return nil
}

// snapshot marks everything now in the chat as already shown.
func (l *localBot) snapshot(chat int64) {
	l.changes(chat)
}

// changes returns the chat's messages that are new or edited since they
// were last shown, and marks them shown.
func (l *localBot) changes(chat int64) []outgoing {
	l.mu.Lock()
	defer l.mu.Unlock()
	seen := l.seen[chat]
	if seen == nil {
		seen = make(map[int64]int)
		l.seen[chat] = seen
	}
	var out []outgoing
	for _, msg := range l.srv.Messages(chat) {
		edits, shown := seen[msg.ID]
		switch {
		case !shown:
			out = append(out, outgoing{Chat: chat, Message: msg})
		case msg.Edits > edits:
			out = append(out, outgoing{Chat: chat, Message: msg, Edited: true})
		default:
			continue
		}
		seen[msg.ID] = msg.Edits
	}
	return out
}

// lastWithButtons is the newest message of the chat that has buttons.
func (l *localBot) lastWithButtons(chat int64) (tgtest.Message, bool) {
	msgs := l.srv.Messages(chat)
	for i := len(msgs) - 1; i >= 0; i-- {
		if len(msgs[i].Keyboard) > 0 {
			return msgs[i], true
		}
	}
	return tgtest.Message{}, false
}
