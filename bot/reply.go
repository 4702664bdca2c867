package bot

import (
	"context"
	"encoding/json"
	"html"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// esc makes a name or a user's words safe inside an HTML message.
func esc(s string) string { return html.EscapeString(s) }

// markup turns a keyboard into a reply markup; an empty keyboard is none,
// which removes the buttons of an edited message.
func markup(kb [][]models.InlineKeyboardButton) models.ReplyMarkup {
	if kb == nil {
		kb = [][]models.InlineKeyboardButton{}
	}
	return keyboard(kb)
}

// keyboard is an inline keyboard as it goes to Telegram. go-telegram/bot's
// button holds its copy_text as a struct, which encoding/json writes even
// when empty (omitempty leaves structs alone): every button would carry
// "copy_text":{"text":""}, which Telegram has been seen to refuse with
// BUTTON_COPY_TEXT_INVALID (go-telegram/bot pull request 167). A button's
// copy_text is written here only when it has a text.
type keyboard [][]models.InlineKeyboardButton

func (k keyboard) MarshalJSON() ([]byte, error) {
	type button struct {
		models.InlineKeyboardButton
		// Shallower than the embedded field of the same name, so it
		// is the one encoding/json writes.
		CopyText *models.CopyTextButton `json:"copy_text,omitempty"`
	}
	rows := make([][]button, len(k))
	for i, row := range k {
		rows[i] = make([]button, len(row))
		for j, b := range row {
			rows[i][j].InlineKeyboardButton = b
			if b.CopyText.Text != "" {
				rows[i][j].CopyText = &b.CopyText
			}
		}
	}
	return json.Marshal(struct {
		InlineKeyboard [][]button `json:"inline_keyboard"`
	}{rows})
}

// send writes an HTML message to the request's chat and returns its id,
// 0 when Telegram refused it. Send failures are logged, not returned: the
// update is handled, and a retry would repeat what already went out.
func (b *Bot) send(ctx context.Context, r *request, text string, kb [][]models.InlineKeyboardButton) int {
	b.flush(ctx, r)
	p := &tgbot.SendMessageParams{ChatID: r.chat, Text: text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}}
	if len(kb) > 0 {
		p.ReplyMarkup = markup(kb)
	}
	m, err := r.tg.SendMessage(ctx, p)
	if err != nil {
		b.log.Warn("send message", "update_id", r.upd.ID, "chat_id", r.chat, "err", err)
		return 0
	}
	return m.ID
}

// inlineReply is a Bot API call carried in the webhook's response body,
// which Telegram performs as if the bot had made it: one round trip fewer
// per update. It is the update's first reply without buttons
// (sendMessage) or its first callback answer (answerCallbackQuery). The
// bot never learns the call's result, or whether Telegram refused it.
type inlineReply struct {
	Method             string                     `json:"method"` // "" while nothing is kept
	ChatID             int64                      `json:"chat_id,omitempty"`
	Text               string                     `json:"text,omitempty"`
	ParseMode          models.ParseMode           `json:"parse_mode,omitempty"`
	LinkPreviewOptions *models.LinkPreviewOptions `json:"link_preview_options,omitempty"`
	CallbackQueryID    string                     `json:"callback_query_id,omitempty"`
}

// reply writes an HTML message without buttons whose id nothing needs. In
// webhook mode it is kept for the webhook's response when nothing else is;
// otherwise it is sent.
func (b *Bot) reply(ctx context.Context, r *request, text string) {
	if kb := b.webAppRow(r); r.offerApp && kb != nil {
		b.send(ctx, r, text, kb)
		return
	}
	if r.inline == nil || r.inline.Method != "" {
		b.send(ctx, r, text, nil)
		return
	}
	*r.inline = inlineReply{Method: "sendMessage", ChatID: r.chat, Text: text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}}
}

// flush sends a kept reply through the client before a later message or
// edit, so that the chat sees them in the order the handler wrote them. A
// kept callback answer stays: it shows nothing in the chat.
func (b *Bot) flush(ctx context.Context, r *request) {
	if r.inline == nil || r.inline.Method != "sendMessage" {
		return
	}
	kept := *r.inline
	*r.inline = inlineReply{}
	_, err := r.tg.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: kept.ChatID, Text: kept.Text,
		ParseMode: kept.ParseMode, LinkPreviewOptions: kept.LinkPreviewOptions})
	if err != nil {
		b.log.Warn("send message", "update_id", r.upd.ID, "chat_id", r.chat, "err", err)
	}
}

// show writes an answer: it replaces the text of msgID, or replies when
// there is no message to replace.
func (b *Bot) show(ctx context.Context, r *request, msgID int, text string) {
	if msgID == 0 {
		b.reply(ctx, r, text)
		return
	}
	b.edit(ctx, r, msgID, text, nil)
}

// edit replaces the text and buttons of one of the bot's messages, or
// sends them when msgID is 0. It reports whether the chat shows them: an
// edit Telegram refused (the message deleted, say) shows nothing, and a
// caller that must be heard then sends instead.
func (b *Bot) edit(ctx context.Context, r *request, msgID int, text string, kb [][]models.InlineKeyboardButton) bool {
	if msgID == 0 {
		b.send(ctx, r, text, kb)
		return true
	}
	b.flush(ctx, r)
	_, err := r.tg.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: r.chat, MessageID: msgID, Text: text,
		ParseMode: models.ParseModeHTML, ReplyMarkup: markup(kb),
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}})
	if err != nil && !strings.Contains(err.Error(), "message is not modified") {
		b.log.Warn("edit message", "update_id", r.upd.ID, "chat_id", r.chat, "err", err)
		return false
	}
	return true
}

// answerCallback stops the button's spinner, with a short notice when text
// is not empty. In webhook mode it rides in the webhook's response when
// nothing else does.
func (b *Bot) answerCallback(ctx context.Context, r *request, text string) {
	if r.cb == nil {
		return
	}
	if r.inline != nil && r.inline.Method == "" {
		*r.inline = inlineReply{Method: "answerCallbackQuery", CallbackQueryID: r.cb.ID, Text: text}
		return
	}
	_, err := r.tg.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: r.cb.ID, Text: text})
	if err != nil {
		b.log.Warn("answer callback", "update_id", r.upd.ID, "err", err)
	}
}
