package bot

import (
	"context"
	"errors"
	"fmt"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// weeklyDigest answers /baocaotuan with the weekly digest of the user's
// district or province as it stands now: the text, the charts and the
// workbook, the same as the Monday digest.
func (b *Bot) weeklyDigest(ctx context.Context, r *request, _ string) error {
	if r.user.Role == store.RoleCommune {
		b.send(ctx, r, r.p.T("bot.digest.not_for_commune"), nil)
		return nil
	}
	_, _ = r.tg.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: r.chat, Action: models.ChatActionUploadDocument})
	d, err := reminders.BuildDigest(ctx, b.db, b.cat, r.p.Lang(), r.scope(), b.now())
	if err != nil {
		return fmt.Errorf("bot: digest: %w", err)
	}
	parts, err := reminders.DigestMessages(r.p, d)
	if err != nil {
		return fmt.Errorf("bot: digest: %w", err)
	}
	sender := TelegramSender{Client: r.tg}
	for _, part := range parts {
		// A province's text may be longer than one message: split, as
		// the Monday digest is.
		for _, m := range reminders.Parts(part.Message) {
			if err := sender.Send(ctx, r.chat, m); err != nil {
				b.log.Warn("send digest", "update_id", r.upd.ID, "part", part.Name, "err", err)
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
	if !ok || r.user.Role != store.RoleDistrict {
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
