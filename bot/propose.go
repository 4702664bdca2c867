package bot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/reminders/propose"
	"github.com/caxbot/caxbot/store"
)

// proposePrefix starts the data of the "accept the whole proposal"
// button: the day, and a digest of the proposal's rows.
const proposePrefix = "pa"

// maxShownProposals is how many proposals the message lists; the
// workbook has them all.
const maxShownProposals = 5

// postingProposal answers /dexuat: a province user gets the posting
// proposal of their province as of today, as the workbook `caxbot
// propose` writes, with a button that accepts it whole. Making it takes a
// while, so it leaves the update path, as the digest on demand does.
func (b *Bot) postingProposal(ctx context.Context, r *request, _ string) error {
	if r.user.Role != store.RoleProvince {
		b.send(ctx, r, r.p.T("bot.propose.not_for_role"), nil)
		return nil
	}
	p, province, tg, chat, updID := r.p, r.user.Scope, r.tg, r.chat, r.upd.ID
	started := b.heavy.start(r.run, r.from.ID, func(ctx context.Context) {
		if err := b.sendProposal(ctx, tg, chat, p, province); err != nil {
			b.log.Error("proposal on demand", "update_id", updID, "err", err)
			actx, cancel := afterwards(ctx)
			defer cancel()
			if _, serr := tg.SendMessage(actx, &tgbot.SendMessageParams{ChatID: chat, Text: p.T("bot.propose.failed")}); serr != nil {
				b.log.Warn("send message", "update_id", updID, "chat_id", chat, "err", serr)
			}
		}
	})
	if !started {
		b.reply(ctx, r, r.p.T("bot.digest.busy"))
		return nil
	}
	b.send(ctx, r, r.p.T("bot.propose.preparing"), nil)
	return nil
}

// makeProposal is the proposal of a province as of day.
func (b *Bot) makeProposal(ctx context.Context, province string, day time.Time) (propose.Proposal, error) {
	in, err := propose.Read(ctx, b.db, day, "")
	if err != nil {
		return propose.Proposal{}, err
	}
	in.Province = province
	return propose.Make(in), nil
}

// proposalDigest names a proposal's rows, so that a button pressed later
// accepts exactly what the user was shown, or nothing.
func proposalDigest(prop propose.Proposal) string {
	h := sha256.New()
	for _, r := range prop.Rows {
		fmt.Fprintf(h, "%s|%s/%s/%d|%s|%s\n", r.Person.ID, r.Seat.Commune.Code, r.Seat.Kind, r.Seat.Slot, r.Seat.Status, r.Seat.Holder)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func (b *Bot) sendProposal(ctx context.Context, tg *tgbot.Bot, chat int64, p *locales.Printer, province string) error {
	if ctx.Err() != nil {
		return fmt.Errorf("bot: proposal: waiting for its turn: %w", ctx.Err())
	}
	_, _ = tg.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: chat, Action: models.ChatActionUploadDocument})
	day := dayStart(b.now(), b.loc)
	prop, err := b.makeProposal(ctx, province, day)
	if err != nil {
		return fmt.Errorf("bot: proposal: %w", err)
	}
	sender := TelegramSender{Client: tg}
	if len(prop.Rows) == 0 {
		return sender.Send(ctx, chat, reminders.Message{Text: p.T("bot.propose.none", p.Num(prop.Seats), p.Num(len(prop.Unplaced)), p.Num(prop.Waiting))})
	}
	var buf bytes.Buffer
	if err := propose.Workbook(&buf, p, prop); err != nil {
		return fmt.Errorf("bot: proposal: %w", err)
	}
	name := "de-xuat-" + day.Format(time.DateOnly) + ".xlsx"
	if err := sender.Send(ctx, chat, reminders.Message{Text: p.T("bot.propose.caption", p.Date(day)), Document: &reminders.File{Name: name, Data: buf.Bytes()}}); err != nil {
		return fmt.Errorf("bot: proposal: %w", err)
	}
	lines := []string{p.T("bot.propose.summary", p.Num(len(prop.Rows)), p.Num(prop.Seats), p.Num(len(prop.Unplaced)))}
	for i, r := range prop.Rows {
		if i == maxShownProposals {
			lines = append(lines, p.T("bot.propose.more", p.Num(len(prop.Rows)-i)))
			break
		}
		lines = append(lines, p.T("bot.propose.row", esc(r.Person.Name), p.T("rank."+string(r.Person.Rank)),
			esc(postKind(p, r.Seat.Kind, r.Seat.Commune.Type)), esc(p.T("propose.unit", p.T("commune_type."+string(r.Seat.Commune.Type)), r.Seat.Commune.Name))))
	}
	lines = append(lines, p.T("bot.propose.how"))
	data := proposePrefix + ":" + day.Format("20060102") + ":" + proposalDigest(prop)
	return sender.Send(ctx, chat, reminders.Message{Text: strings.Join(lines, "\n"), ParseMode: "HTML",
		Buttons: [][]reminders.Button{{{Text: p.T("bot.propose.accept_all", p.Num(len(prop.Rows))), Data: data}}}})
}

// acceptProposal accepts a whole proposal from its button. The button
// names the day and a digest of the rows: the proposal is made again, and
// accepted only if it is the one shown (nothing changed meanwhile) and
// the presser is a province user; a forged or stale button changes
// nothing.
func (b *Bot) acceptProposal(ctx context.Context, r *request, data string) error {
	parts := strings.Split(data, ":")
	if len(parts) != 3 || r.user.Role != store.RoleProvince || len(data) > 64 {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	day, err := time.ParseInLocation("20060102", parts[1], b.loc)
	if err != nil {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	prop, err := b.makeProposal(ctx, r.user.Scope, day)
	if err != nil {
		return fmt.Errorf("bot: accept proposal: %w", err)
	}
	if len(prop.Rows) == 0 || proposalDigest(prop) != parts[2] {
		b.answerCallback(ctx, r, r.p.T("bot.propose.stale"))
		return nil
	}
	var postings []store.Posting
	for i, row := range prop.Rows {
		postings = append(postings, store.Posting{Line: i + 2, CandidateID: row.Person.ID,
			Ref:    store.PostRef{CommuneCode: row.Seat.Commune.Code, Kind: row.Seat.Kind, Slot: row.Seat.Slot},
			Expect: store.Post{Status: row.Seat.Status, Holder: row.Seat.Holder}, Day: day})
	}
	reports, err := propose.Accept(ctx, b.db, postings, "user:"+strconv.FormatInt(r.user.TelegramID, 10), "de-xuat-"+day.Format(time.DateOnly)+".xlsx", b.now())
	var ie store.ImportErrors
	if errors.As(err, &ie) {
		b.answerCallback(ctx, r, r.p.T("bot.propose.stale"))
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: accept proposal: %w", err)
	}
	if r.cb.Message.Message != nil {
		if _, err := r.tg.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{
			ChatID: r.chat, MessageID: r.cb.Message.Message.ID, ReplyMarkup: markup(nil)}); err != nil {
			b.log.Warn("remove proposal button", "update_id", r.upd.ID, "err", err)
		}
	}
	b.answerCallback(ctx, r, "")
	b.send(ctx, r, r.p.T("bot.propose.accepted", r.p.Num(len(reports))), nil)
	return nil
}

// dayStart is the start of t's day in loc.
func dayStart(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
