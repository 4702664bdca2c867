package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/reminders/digest"
	"github.com/caxbot/caxbot/store"
)

// heavyTimeout bounds work that left the update path, waiting for its
// turn included.
const heavyTimeout = 2 * time.Minute

// heavyAtOnce is how many such jobs a replica runs at once; the others
// wait their turn, holding no worker.
const heavyAtOnce = 2

// heavyWork is the work that leaves the update path: one job per user at
// a time, heavyAtOnce at once, stopped and waited for when the bot stops.
type heavyWork struct {
	turns chan struct{}
	wg    sync.WaitGroup

	mu    sync.Mutex
	users map[int64]bool // users with a job in progress
}

func newHeavyWork() *heavyWork {
	return &heavyWork{turns: make(chan struct{}, heavyAtOnce), users: make(map[int64]bool)}
}

// start runs job for user in the background unless user has one in
// progress, and reports whether it did. job's context ends at
// heavyTimeout or when ctx (the bot's run) does.
func (h *heavyWork) start(ctx context.Context, user int64, job func(ctx context.Context)) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.users[user] {
		return false
	}
	h.users[user] = true
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		defer func() {
			h.mu.Lock()
			delete(h.users, user)
			h.mu.Unlock()
		}()
		ctx, cancel := context.WithTimeout(ctx, heavyTimeout)
		defer cancel()
		select {
		case h.turns <- struct{}{}:
			defer func() { <-h.turns }()
		case <-ctx.Done():
		}
		job(ctx)
	}()
	return true
}

// wait returns once every job has ended.
func (h *heavyWork) wait() { h.wg.Wait() }

// WaitBackground returns once the work the bot carries on after an
// answer (a digest on demand, say) has ended and sent what it sends:
// `caxbot chat` waits for it after each line, so that its transcript
// shows what the user would see, in order, and nothing is cut off when
// the input ends.
func (b *Bot) WaitBackground() { b.heavy.wait() }

// weeklyDigest answers /baocaotuan with the weekly digest of the user's
// district or province as it stands now: the text, the charts and the
// workbook, the same as the Monday digest. Building it takes a while, so
// it leaves the update path: the user is told it is being prepared, and
// their chat and every other go on meanwhile.
func (b *Bot) weeklyDigest(ctx context.Context, r *request, _ string) error {
	if r.user.Role == store.RoleCommune {
		b.send(ctx, r, r.p.T("bot.digest.not_for_commune"), nil)
		return nil
	}
	p, scope, tg, chat, updID := r.p, r.scope(), r.tg, r.chat, r.upd.ID
	started := b.heavy.start(r.run, r.from.ID, func(ctx context.Context) {
		if err := b.sendDigest(ctx, tg, chat, p, scope, updID); err != nil {
			b.log.Error("digest on demand", "update_id", updID, "err", err)
			actx, cancel := afterwards(ctx)
			defer cancel()
			if _, serr := tg.SendMessage(actx, &tgbot.SendMessageParams{ChatID: chat, Text: p.T("bot.digest.failed")}); serr != nil {
				b.log.Warn("send message", "update_id", updID, "chat_id", chat, "err", serr)
			}
		}
	})
	if !started {
		b.reply(ctx, r, r.p.T("bot.digest.busy"))
		return nil
	}
	// Sent, not kept for the webhook's response: the digest must not
	// arrive before it.
	b.send(ctx, r, r.p.T("bot.digest.preparing"), nil)
	return nil
}

// sendDigest builds the digest of scope now and sends its parts to chat.
func (b *Bot) sendDigest(ctx context.Context, tg *tgbot.Bot, chat int64, p *locales.Printer, scope store.Scope, updID int64) error {
	if ctx.Err() != nil {
		return fmt.Errorf("bot: digest: waiting for its turn: %w", ctx.Err())
	}
	_, _ = tg.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: chat, Action: models.ChatActionUploadDocument})
	d, err := reminders.BuildDigest(ctx, b.db, b.cat, p.Lang(), scope, b.now())
	if err != nil {
		return fmt.Errorf("bot: digest: %w", err)
	}
	parts, err := reminders.DigestMessages(new(digest.Renderer), p, d)
	if err != nil {
		return fmt.Errorf("bot: digest: %w", err)
	}
	sender := TelegramSender{Client: tg}
	for _, part := range parts {
		// A province's text may be longer than one message: split, as
		// the Monday digest is.
		for _, m := range reminders.Parts(part.Message) {
			if err := sender.Send(ctx, chat, m); err != nil {
				b.log.Warn("send digest", "update_id", updID, "part", part.Name, "err", err)
			}
		}
	}
	return nil
}

// acknowledge records a district head's "Đã nhận" on a reminder, which
// pauses that milestone's repeats for them. The button's data names only
// the milestone: whether this user may acknowledge it is looked up, never
// taken from the button.
func (b *Bot) acknowledge(ctx context.Context, r *request, data string) error {
	id, ok := reminders.ParseAckCallback(data)
	if !ok || r.user.Role != store.RoleDistrict && r.user.Role != store.RoleUnit {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	progress, err := b.db.Progress(ctx, id, r.scope())
	if errors.Is(err, store.ErrNotFound) || (err == nil && progress.Total == 0) {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: acknowledge: %w", err)
	}
	if err := b.db.RecordAck(ctx, r.user.TelegramID, id, b.now()); err != nil {
		return fmt.Errorf("bot: acknowledge: %w", err)
	}
	if r.cb.Message.Message != nil {
		_, err := r.tg.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{
			ChatID: r.chat, MessageID: r.cb.Message.Message.ID, ReplyMarkup: markup(nil)})
		if err != nil {
			b.log.Warn("remove ack button", "update_id", r.upd.ID, "err", err)
		}
	}
	b.answerCallback(ctx, r, r.p.T("bot.ack.done"))
	return nil
}
