package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/reminders/review"
	"github.com/caxbot/caxbot/store"
)

// reviewAs is /soket (six months) or /tongket (a year): the review of the
// user's province, as a document and a workbook sent as files. Without
// words it covers the half-year or the year so far; "/soket 1/2020",
// "/tongket 2020" a past one; two days, "/soket 01/03/2020 30/04/2020",
// any period. Building it takes a while: like /baocaotuan it leaves the
// update path.
func (b *Bot) reviewAs(kind review.Kind) commandFunc {
	return func(ctx context.Context, r *request, args string) error {
		p := r.p
		if r.user.Role != store.RoleProvince {
			b.reply(ctx, r, p.T("bot.review.province_only"))
			return nil
		}
		req, ok := reviewPeriod(kind, args, b.now().In(b.loc))
		if !ok {
			b.reply(ctx, r, p.T("bot.review.usage."+string(kind)))
			return nil
		}
		req.Scope, req.Lang, req.Now = r.scope(), p.Lang(), b.now()
		tg, chat, updID := r.tg, r.chat, r.upd.ID
		started := b.heavy.start(r.run, r.from.ID, func(ctx context.Context) {
			if err := b.sendReview(ctx, tg, chat, p, req); err != nil {
				b.log.Error("review on demand", "update_id", updID, "err", err)
				actx, cancel := afterwards(ctx)
				defer cancel()
				text := p.T("bot.review.failed")
				if errors.Is(err, review.ErrNotStarted) {
					text = p.T("bot.review.not_started", p.Date(req.From))
				}
				if _, serr := tg.SendMessage(actx, &tgbot.SendMessageParams{ChatID: chat, Text: text}); serr != nil {
					b.log.Warn("send message", "update_id", updID, "chat_id", chat, "err", serr)
				}
			}
		})
		if !started {
			b.reply(ctx, r, p.T("bot.digest.busy"))
			return nil
		}
		b.send(ctx, r, p.T("bot.review.preparing", p.Date(req.From), p.Date(req.To)), nil)
		return nil
	}
}

// reviewPeriod reads the period a /soket or /tongket asks for, on today.
func reviewPeriod(kind review.Kind, args string, today time.Time) (review.Request, bool) {
	loc := today.Location()
	req := review.Request{Kind: kind}
	words := strings.Fields(args)
	switch len(words) {
	case 0:
		if kind == review.SoKet {
			req.From, req.To = review.HalfYear(today.Year(), 1+int(today.Month()-1)/6, loc)
		} else {
			req.From, req.To = review.Year(today.Year(), loc)
		}
		return req, true
	case 1:
		w := words[0]
		if kind == review.TongKet {
			y, err := strconv.Atoi(w)
			if err != nil || y < 1950 || y > today.Year() {
				return req, false
			}
			req.From, req.To = review.Year(y, loc)
			return req, true
		}
		half, year, ok := strings.Cut(w, "/")
		if !ok {
			year, half, ok = strings.Cut(w, "-")
		}
		h, err1 := strconv.Atoi(half)
		y, err2 := strconv.Atoi(year)
		if !ok || err1 != nil || err2 != nil || h < 1 || h > 2 || y < 1950 || y > today.Year() {
			return req, false
		}
		req.From, req.To = review.HalfYear(y, h, loc)
		return req, true
	case 2:
		from, ok1 := parseDay(words[0])
		to, ok2 := parseDay(words[1])
		if !ok1 || !ok2 {
			return req, false
		}
		req.Kind = review.Period
		req.From = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
		req.To = time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, loc)
		return req, !req.To.Before(req.From)
	}
	return req, false
}

// sendReview builds the review and sends its document and workbook.
func (b *Bot) sendReview(ctx context.Context, tg *tgbot.Bot, chat int64, p *locales.Printer, req review.Request) error {
	if ctx.Err() != nil {
		return fmt.Errorf("bot: review: waiting for its turn: %w", ctx.Err())
	}
	_, _ = tg.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: chat, Action: models.ChatActionUploadDocument})
	doc, err := review.Build(ctx, b.db, b.cat, req)
	if err != nil {
		return fmt.Errorf("bot: review: %w", err)
	}
	var docx, xlsx bytes.Buffer
	if err := review.DOCX(&docx, doc); err != nil {
		return err
	}
	if err := review.Workbook(&xlsx, doc); err != nil {
		return err
	}
	name := reviewFileName(req)
	sender := TelegramSender{Client: tg}
	for _, m := range []reminders.Message{
		{Text: p.T("bot.review.caption", doc.Title, doc.Period), Document: &reminders.File{Name: name + ".docx", Data: docx.Bytes()}},
		{Text: p.T("bot.review.workbook_caption"), Document: &reminders.File{Name: name + ".xlsx", Data: xlsx.Bytes()}},
	} {
		for _, part := range reminders.Parts(m) {
			if err := sender.Send(ctx, chat, part); err != nil {
				return fmt.Errorf("bot: send review: %w", err)
			}
		}
	}
	return nil
}

// reviewFileName names the review's files: bao-cao-so-ket-2020-1,
// bao-cao-tong-ket-2020, bao-cao-2020-03-01-2020-04-30.
func reviewFileName(req review.Request) string {
	switch req.Kind {
	case review.SoKet:
		return fmt.Sprintf("bao-cao-so-ket-%d-%d", req.From.Year(), 1+int(req.From.Month()-1)/6)
	case review.TongKet:
		return fmt.Sprintf("bao-cao-tong-ket-%d", req.From.Year())
	}
	return "bao-cao-" + req.From.Format(time.DateOnly) + "-" + req.To.Format(time.DateOnly)
}
