package bot

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// secretHeader is the header Telegram sends the webhook's secret_token in.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookHandler receives updates from Telegram and answers 200 only once
// the update is handled, so that Telegram retries what a crash or an
// unreachable store lost. A request without the right secret gets 401 and
// is not read; a body that is not an update gets 400; an update_id already
// handled gets 200 and nothing else. A handled update's 200 may carry its
// answer as a Bot API method for Telegram to perform. RunWebhook must be
// running.
func (b *Bot) WebhookHandler(tg *tgbot.Bot, secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get(secretHeader)
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var upd models.Update
		body := http.MaxBytesReader(w, r.Body, b.opt.MaxWebhookBody)
		if err := json.NewDecoder(body).Decode(&upd); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		io.Copy(io.Discard, body)

		ctx := r.Context()
		start := b.now()
		// The worker claims the update id before handling it, in the same
		// State call as the flood check, and the claim is released here
		// when handling fails, so that a retry is handled again (a mark
		// that could not be undone would lose it). A repeat that arrives
		// while the first is still being handled is dropped: if the first
		// then fails, its own retry comes.
		key := "upd:" + strconv.FormatInt(upd.ID, 10)
		done := make(chan error, 1)
		reply := &inlineReply{}
		if err := b.disp.submit(ctx, job{tg: tg, upd: &upd, mode: modeWebhook, claim: key, done: done, reply: reply}); err != nil {
			// Never queued, so never claimed.
			if errors.Is(err, errStopped) {
				b.observe(&upd, "dropped", start)
			}
			b.log.Error("webhook: update not handled", "update_id", upd.ID, "err", err)
			http.Error(w, "not handled", http.StatusInternalServerError)
			return
		}
		var err error
		select {
		case err = <-done:
		case <-b.disp.stopped:
			// A worker answers done before the dispatcher stops, so a
			// job still unanswered was never handled.
			select {
			case err = <-done:
			default:
				err = errStopped
			}
		case <-ctx.Done():
			// The update stays queued and will be handled; Telegram
			// may resend it meanwhile, which the claim drops.
			return
		}
		switch {
		case err == nil && reply.Method != "":
			b.writeReply(w, &upd, reply)
		case err == nil, errors.Is(err, errDuplicate):
			w.WriteHeader(http.StatusOK)
		case errors.Is(err, errStopped):
			// No worker handled it, so none observed or claimed it.
			b.observe(&upd, "dropped", start)
			b.log.Error("webhook: update not handled", "update_id", upd.ID, "err", err)
			http.Error(w, "not handled", http.StatusInternalServerError)
		case errors.Is(err, errUnclaimed):
			// Nothing is released: the claim may be another delivery's.
			b.log.Error("webhook: claim update", "update_id", upd.ID, "err", err)
			http.Error(w, "state unavailable", http.StatusServiceUnavailable)
		default:
			b.log.Error("webhook: update not handled", "update_id", upd.ID, "err", err)
			if derr := b.st.DeleteConversation(ctx, key); derr != nil {
				b.log.Error("webhook: release update", "update_id", upd.ID, "err", derr)
			}
			http.Error(w, "not handled", http.StatusInternalServerError)
		}
	})
}

// writeReply answers the webhook with the update's kept reply, which
// Telegram then sends; on a failed update nothing is kept, as Telegram's
// retry answers again.
func (b *Bot) writeReply(w http.ResponseWriter, upd *models.Update, reply *inlineReply) {
	body, err := json.Marshal(reply)
	if err != nil {
		// A struct of strings and numbers always encodes; were it not
		// to, the update is still handled.
		b.log.Error("webhook: encode reply", "update_id", upd.ID, "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
