package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
)

// request is one update being handled, with who sent it.
type request struct {
	// run is the bot's run: the context of work that outlives the update.
	run  context.Context
	tg   *tgbot.Bot
	upd  *models.Update
	chat int64
	from models.User
	user *store.User // nil: not registered
	p    *locales.Printer
	cb   *models.CallbackQuery
	// claim is the State key of the update's webhook claim ("" in long
	// polling); route takes it, and claimed says it did.
	claim   string
	claimed bool
	// conv is the chat's conversation as read with the claim, until
	// loadConv uses it.
	conv *state.Begun
	// inline is where reply keeps the answer that rides in the webhook's
	// response (nil in long polling).
	inline *inlineReply
	// refused is set when the update was turned away unhandled (flood
	// limit, too long), for Options.Observe.
	refused bool
	// inGroup says the update comes from a group chat; groupScope, once
	// groupGate let it through, is the scope the user has there.
	inGroup    bool
	groupScope *store.Scope
	// offerApp has the answer carry the Mini App's button (webAppRow).
	offerApp bool
	// attachment is the message's photo or file (its caption is the
	// text), nil without one.
	attachment *attachment
}

// actor names the user in reports and audit entries.
func (r *request) actor() string { return "user:" + strconv.FormatInt(r.from.ID, 10) }

// scope is the registered user's scope: their own, or in a group what
// their own and the group's share.
func (r *request) scope() store.Scope {
	if r.groupScope != nil {
		return *r.groupScope
	}
	return store.ScopeOf(*r.user)
}

type commandFunc func(ctx context.Context, r *request, args string) error
type callbackFunc func(ctx context.Context, r *request, data string) error

// Values of an update's webhook claim: pending while a delivery handles
// it (for UpdateDeadline and a margin, so that the claim of a replica
// that died mid-update lapses and Telegram's retry is handled), settled
// once it was handled (for DedupTTL).
var (
	claimPending = []byte("1")
	claimSettled = []byte("2")
)

// cleanupTimeout bounds what is done after an update's deadline: giving
// back or settling its claim, apologising, sending an answer the webhook
// could not carry.
const cleanupTimeout = 5 * time.Second

// afterwards is the context of cleanupTimeout for the work that follows an
// update, whose own context may have ended.
func afterwards(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
}

// handleJob handles one update under its deadline. A panic is logged
// with the update id and answered politely; it counts as handled, since
// a retry would panic again. In polling mode a failure is apologised
// for, as nothing retries. In webhook mode the update's claim is settled
// once it is handled and given back when it failed, so that Telegram's
// retry is handled again; an answer kept for a webhook response nobody
// waits for any more is sent through the client.
func (b *Bot) handleJob(ctx context.Context, j job) (err error) {
	start := b.now()
	run := ctx
	ctx, cancel := context.WithDeadline(ctx, j.deadline)
	defer cancel()
	r := &request{run: run, tg: j.tg, upd: j.upd, chat: chatOf(j.upd), claim: j.claim,
		p: b.cat.Printer(locales.Default, b.loc)}
	if j.hook != nil {
		r.inline = &j.hook.reply
	}
	outcome := "ok"
	defer func() {
		if v := recover(); v != nil {
			b.log.Error("handler panicked", "update_id", j.upd.ID, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			actx, acancel := afterwards(ctx)
			b.apologise(actx, r)
			acancel()
			err, outcome = nil, "error"
		}
		if j.mode == modeWebhook {
			b.endClaim(ctx, r, err)
			if j.hook.finish() && err == nil {
				b.sendKept(ctx, r, j.hook.reply)
			}
		}
		b.observe(j.upd, outcome, start)
	}()
	err = b.route(ctx, r)
	switch {
	case errors.Is(err, errDuplicate):
		outcome = "duplicate"
		return err
	case errors.Is(err, errPending):
		outcome = "pending"
		return err
	case err != nil:
		outcome = "error"
	case r.refused:
		outcome = "refused"
	}
	if err != nil && j.mode == modePolling {
		b.log.Error("update failed", "update_id", j.upd.ID, "err", err)
		actx, acancel := afterwards(ctx)
		defer acancel()
		b.apologise(actx, r)
		return nil
	}
	return err
}

// endClaim settles the update's claim when it was handled and gives it
// back when it failed.
func (b *Bot) endClaim(ctx context.Context, r *request, err error) {
	if err != nil && !errors.Is(err, errDuplicate) && !errors.Is(err, errPending) {
		b.log.Error("webhook: update not handled", "update_id", r.upd.ID, "claimed", r.claimed, "err", err)
	}
	if !r.claimed {
		return
	}
	actx, cancel := afterwards(ctx)
	defer cancel()
	if err != nil {
		if derr := b.st.DeleteConversation(actx, r.claim); derr != nil {
			b.log.Error("webhook: give back the claim", "update_id", r.upd.ID, "err", derr)
		}
		return
	}
	// Settled whatever became of the pending claim: the update was
	// handled, so a retry that finds the claim lapsed must still find it
	// handled. A plain write, too, costs Redis a fifth of a script.
	if serr := b.st.PutConversation(actx, r.claim, claimSettled, b.opt.DedupTTL); serr != nil {
		// The claim lapses after UpdateDeadline and a margin: a retry of
		// the update would then be handled again.
		b.log.Error("webhook: settle update", "update_id", r.upd.ID, "err", serr)
	}
}

// sendKept sends through the client an answer kept for a webhook
// response that nobody reads any more: Telegram gave up on the request.
func (b *Bot) sendKept(ctx context.Context, r *request, kept inlineReply) {
	if kept.Method == "" {
		return
	}
	actx, cancel := afterwards(ctx)
	defer cancel()
	var err error
	switch kept.Method {
	case "sendMessage":
		_, err = r.tg.SendMessage(actx, &tgbot.SendMessageParams{ChatID: kept.ChatID, Text: kept.Text,
			ParseMode: kept.ParseMode, LinkPreviewOptions: kept.LinkPreviewOptions})
	case "answerCallbackQuery":
		_, err = r.tg.AnswerCallbackQuery(actx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: kept.CallbackQueryID, Text: kept.Text})
	}
	if err != nil {
		b.log.Warn("send answer of an abandoned webhook request", "update_id", r.upd.ID, "method", kept.Method, "err", err)
		return
	}
	b.log.Info("answer of an abandoned webhook request sent", "update_id", r.upd.ID, "method", kept.Method)
}

// observe tells Options.Observe what became of upd, which arrived at start.
func (b *Bot) observe(upd *models.Update, outcome string, start time.Time) {
	if b.opt.Observe == nil {
		return
	}
	kind := "other"
	switch {
	case upd.Message != nil:
		kind = "message"
	case upd.CallbackQuery != nil:
		kind = "callback"
	}
	b.opt.Observe(kind, outcome, b.now().Sub(start))
}

// apologise tells the user their message could not be handled now.
func (b *Bot) apologise(ctx context.Context, r *request) {
	if r.cb != nil {
		b.answerCallback(ctx, r, r.p.T("bot.error.temporary"))
		return
	}
	if r.chat != 0 {
		b.send(ctx, r, r.p.T("bot.error.temporary"), nil)
	}
}

// errDuplicate is route's answer to an update whose webhook claim
// another delivery settled: it was handled already.
var errDuplicate = errors.New("bot: update already handled")

// errPending is route's answer to an update another delivery is handling:
// whether it will succeed is not known yet, so Telegram must ask again.
var errPending = errors.New("bot: update being handled by another delivery")

// errUnclaimed marks a failure before the update's webhook claim was
// taken, when there is no claim to release.
var errUnclaimed = errors.New("bot: update not claimed")

// route decides what an update is and who may do it.
func (b *Bot) route(ctx context.Context, r *request) error {
	var text string
	ignore := false
	switch u := r.upd; {
	case u.Message != nil && u.Message.From != nil:
		r.from, text = *u.Message.From, u.Message.Text
		// A photo or file is a decision's, in a private chat only.
		if att := attachmentOf(u.Message); att != nil && !inGroupChat(u) {
			r.attachment, text = att, u.Message.Caption
		}
	case u.CallbackQuery != nil:
		r.cb, r.from = u.CallbackQuery, u.CallbackQuery.From
	default:
		ignore = true // edits, membership changes, channel posts: nothing to do
	}
	// Bots, and stickers, or photos and files in groups: not for this bot.
	ignore = ignore || r.from.IsBot || (r.cb == nil && text == "" && r.attachment == nil)
	if ignore {
		if r.claim != "" {
			if _, err := b.begin(ctx, r, state.Begin{Claim: r.claim, ClaimTTL: b.pendingTTL()}); err != nil {
				return err
			}
		}
		if m := r.upd.MyChatMember; m != nil {
			return b.leftGroup(ctx, m)
		}
		return nil
	}
	r.p = b.cat.Printer(b.cat.Match(r.from.LanguageCode), b.loc)

	// In a group, what is not addressed to the bot is talk among the
	// members: not counted against their flood limit, never answered.
	addressed := true
	if r.inGroup = inGroupChat(r.upd); r.inGroup && r.cb == nil {
		text, addressed = b.addressed(r.upd.Message, text)
	}
	// One State call claims the update, counts it against the flood
	// limit and reads the chat's conversation, which most text needs.
	begin := state.Begin{Claim: r.claim, ClaimTTL: b.pendingTTL(), Conversation: r.convKey()}
	if addressed {
		begin.Flood, begin.FloodLimit, begin.FloodWindow = "flood:"+strconv.FormatInt(r.from.ID, 10), b.opt.FloodLimit, b.opt.FloodWindow
	}
	allowed, err := b.begin(ctx, r, begin)
	if err != nil {
		return err
	}
	if !allowed {
		r.refused = true
		return b.floodNote(ctx, r)
	}
	if utf8.RuneCountInString(text) > b.opt.MaxTextLength {
		if !addressed {
			return nil
		}
		r.refused = true
		b.send(ctx, r, r.p.T("bot.error.too_long", b.opt.MaxTextLength), nil)
		return nil
	}

	if err := b.loadUser(ctx, r); err != nil {
		return err
	}
	if r.inGroup {
		if done, err := b.groupGate(ctx, r, text, addressed); done || err != nil {
			return err
		}
	}

	if r.cb != nil {
		prefix, _, _ := strings.Cut(r.cb.Data, ":")
		h, ok := b.callbacks[prefix]
		if !ok || r.user == nil {
			b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
			return nil
		}
		return h(ctx, r, r.cb.Data)
	}

	if r.attachment != nil {
		if r.user == nil {
			b.send(ctx, r, r.p.T("bot.about"), nil)
			return nil
		}
		return b.conversationFile(ctx, r, text, r.attachment)
	}
	if cmd, args, ok := command(text, b.username); ok {
		if r.user == nil {
			if cmd == "start" && args != "" {
				return b.redeem(ctx, r, args)
			}
			b.send(ctx, r, r.p.T("bot.about"), nil)
			return nil
		}
		h, ok := b.commands[cmd]
		if ok && r.user.Role == store.RoleUnit && !unitCommands[cmd] {
			b.send(ctx, r, r.p.T("units.no_questions"), nil)
			return nil
		}
		if n, status := strings.CutPrefix(cmd, announceStatusPrefix); !ok && status {
			return b.announcementStatus(ctx, r, n)
		}
		if !ok {
			b.send(ctx, r, r.p.T("bot.error.unknown_command"), nil)
			return nil
		}
		if !keepsDraft[cmd] {
			if err := b.leaveDraft(ctx, r); err != nil {
				return err
			}
		}
		return h(ctx, r, args)
	}
	if r.user == nil {
		b.send(ctx, r, r.p.T("bot.about"), nil)
		return nil
	}
	handled, err := b.conversationText(ctx, r, text)
	if err != nil || handled {
		return err
	}
	return b.ask(ctx, r, text)
}

// keepsDraft are the commands that leave a half-typed draft open: /huy
// ends it itself, and help is read on the way.
var keepsDraft = map[string]bool{"huy": true, "trogiup": true, "help": true}

// loadUser sets r.user when the sender is registered, from the cache
// when no user changed since it was read (userCache).
func (b *Bot) loadUser(ctx context.Context, r *request) error {
	gen, genErr := b.users.generation(b.now(), func() (int64, error) { return b.db.UsersGeneration(ctx) })
	u, ok := b.users.get(r.from.ID, gen)
	if genErr != nil || !ok {
		var err error
		u, err = b.db.User(ctx, r.from.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil
		case err != nil:
			return fmt.Errorf("bot: load user: %w", err)
		}
		if genErr == nil {
			b.users.put(u, gen)
		}
	}
	r.user = &u
	if u.Lang != "" {
		r.p = b.cat.Printer(u.Lang, b.loc)
	}
	return nil
}

// begin runs State.Begin for r and keeps the conversation it read for
// loadConv; it reports whether the flood limit let the update through.
func (b *Bot) begin(ctx context.Context, r *request, s state.Begin) (bool, error) {
	got, err := b.st.Begin(ctx, s)
	if err != nil {
		return false, fmt.Errorf("bot: begin update: %w: %w", errUnclaimed, err)
	}
	if !got.Claimed {
		if bytes.Equal(got.Held, claimPending) {
			return false, errPending
		}
		return false, errDuplicate
	}
	r.claimed = s.Claim != ""
	if s.Conversation != "" && got.Allowed {
		r.conv = &got
	}
	return got.Allowed, nil
}

// pendingTTL is how long an update's claim lasts while it is handled:
// past UpdateDeadline and the cleanup after it, a claim still pending is
// one whose replica died.
func (b *Bot) pendingTTL() time.Duration { return b.opt.UpdateDeadline + 2*cleanupTimeout }

// floodNote tells a user once per window that they write too fast; the
// messages over the limit are dropped unanswered.
func (b *Bot) floodNote(ctx context.Context, r *request) error {
	key := "floodnote:" + strconv.FormatInt(r.from.ID, 10)
	first, err := b.st.SwapConversation(ctx, key, nil, []byte{'1'}, b.opt.FloodWindow)
	if err != nil {
		return fmt.Errorf("bot: flood note: %w", err)
	}
	if first {
		b.log.Info("flood limit reached", "user_id", r.from.ID, "update_id", r.upd.ID)
		if b.opt.FloodLimited != nil {
			b.opt.FloodLimited()
		}
		if r.cb != nil {
			b.answerCallback(ctx, r, r.p.T("bot.error.flood"))
		} else {
			b.send(ctx, r, r.p.T("bot.error.flood"), nil)
		}
	}
	return nil
}

// command splits "/cmd@bot args" into its parts; a command addressed to
// another bot is not one.
func command(text, username string) (cmd, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, args, _ := strings.Cut(text[1:], " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		args = head[i+1:] + " " + args
		head = head[:i]
	}
	cmd, to, addressed := strings.Cut(head, "@")
	if addressed && !strings.EqualFold(to, username) {
		return "", "", false
	}
	return strings.ToLower(cmd), strings.TrimSpace(args), cmd != ""
}
