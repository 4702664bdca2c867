package bot

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// secretHeader is the header Telegram sends the webhook's secret_token in.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookHandler receives updates from Telegram and answers 200 only once
// the update is handled, so that Telegram retries what a crash or an
// unreachable store lost; an update not handled by its deadline
// (Options.UpdateDeadline) gets 500. A request without the right secret
// gets 401 and is not read; a body that is not an update gets 400; an
// update_id already handled gets 200 and nothing else, one another
// delivery is still handling 503. A handled update's 200 may carry its
// answer as a Bot API method for Telegram to perform; when Telegram gave
// up on the request first, the answer goes through the client instead.
// RunWebhook must be running.
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
		// State call as the flood check; it settles the claim once the
		// update is handled, and gives it back when handling fails, so
		// that Telegram's retry is handled again (a mark that could not be
		// undone would lose it). A repeat that arrives while another
		// delivery handles the update is answered 503: Telegram asks
		// again, and finds it handled or free.
		key := "upd:" + strconv.FormatInt(upd.ID, 10)
		done := make(chan error, 1)
		hook := &hookWait{}
		j := job{tg: tg, upd: &upd, mode: modeWebhook, claim: key, deadline: time.Now().Add(b.opt.UpdateDeadline), done: done, hook: hook}
		if err := b.disp.submit(ctx, j); err != nil {
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
			// Telegram gave up on this request. The update stays queued
			// and is handled (or given up at its deadline); its answer
			// then goes through the client, by the worker, or here if
			// the worker has just finished.
			if hook.abandon() {
				if err := <-done; err == nil {
					b.sendKept(ctx, &request{tg: tg, upd: &upd}, hook.reply)
				}
			}
			return
		}
		switch {
		case err == nil && hook.reply.Method != "":
			b.writeReply(w, &upd, &hook.reply)
		case err == nil, errors.Is(err, errDuplicate):
			w.WriteHeader(http.StatusOK)
		case errors.Is(err, errPending):
			http.Error(w, "update being handled", http.StatusServiceUnavailable)
		case errors.Is(err, errStopped):
			// No worker handled it, so none observed or claimed it.
			b.observe(&upd, "dropped", start)
			b.log.Error("webhook: update not handled", "update_id", upd.ID, "err", err)
			http.Error(w, "not handled", http.StatusInternalServerError)
		case errors.Is(err, errUnclaimed):
			// The worker logged it; nothing was claimed.
			http.Error(w, "state unavailable", http.StatusServiceUnavailable)
		default:
			// The worker logged it and gave the claim back.
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
