package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/reminders"
)

// TelegramSender sends the outbox's messages through go-telegram/bot, for
// reminders.Drainer. Give its client an HTTP client with enough idle
// connections per host (NewHTTPClient): the Drainer sends from several
// goroutines at Telegram's full rate.
type TelegramSender struct {
	Client *tgbot.Bot
}

// Send sends m to chatID: a text with its buttons, or a photo or document
// with the text as caption, or (Menus) the chat's command menu. Telegram's refusals come back as the errors
// reminders.Classify knows: 429 as *reminders.ThrottledError, 403 as
// reminders.ErrRecipientGone, 400 as reminders.ErrRejected.
func (s TelegramSender) Send(ctx context.Context, chatID int64, m reminders.Message) error {
	var markup models.ReplyMarkup
	if len(m.Buttons) > 0 {
		markup = inlineKeyboard(m.Buttons)
	}
	var err error
	switch {
	case len(m.Menus) == 1:
		// The Drainer hands a menu over one language at a time (parts).
		cmds := []models.BotCommand{} // none: the chat's list is removed
		for _, c := range m.Menus[0].Commands {
			cmds = append(cmds, models.BotCommand{Command: c.Command, Description: c.Description})
		}
		_, err = s.Client.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds,
			Scope: &models.BotCommandScopeChat{ChatID: chatID}, LanguageCode: m.Menus[0].Lang})
	case len(m.Menus) > 1:
		return fmt.Errorf("%w: %d menus in one send", reminders.ErrRejected, len(m.Menus))
	case m.Photo != nil:
		_, err = s.Client.SendPhoto(ctx, &tgbot.SendPhotoParams{
			ChatID:      chatID,
			Photo:       inputFile(m.Photo),
			Caption:     m.Text,
			ParseMode:   models.ParseMode(m.ParseMode),
			ReplyMarkup: markup,
		})
	case m.Document != nil:
		_, err = s.Client.SendDocument(ctx, &tgbot.SendDocumentParams{
			ChatID:      chatID,
			Document:    inputFile(m.Document),
			Caption:     m.Text,
			ParseMode:   models.ParseMode(m.ParseMode),
			ReplyMarkup: markup,
		})
	default:
		_, err = s.Client.SendMessage(ctx, &tgbot.SendMessageParams{
			ChatID:      chatID,
			Text:        m.Text,
			ParseMode:   models.ParseMode(m.ParseMode),
			ReplyMarkup: markup,
		})
	}
	return sendError(err)
}

// inputFile is a file to send: one Telegram keeps, by its file_id, or
// its content, uploaded.
func inputFile(f *reminders.File) models.InputFile {
	if f.FileID != "" {
		return &models.InputFileString{Data: f.FileID}
	}
	return &models.InputFileUpload{Filename: f.Name, Data: bytes.NewReader(f.Data)}
}

func inlineKeyboard(rows [][]reminders.Button) keyboard {
	kb := make(keyboard, len(rows))
	for i, row := range rows {
		for _, b := range row {
			kb[i] = append(kb[i], models.InlineKeyboardButton{Text: b.Text, CallbackData: b.Data, URL: b.URL})
		}
	}
	return kb
}

// sendError maps the client's errors to those reminders.Classify knows.
// A 429 arrives as *tgbot.TooManyRequestsError, which only errors.As
// finds once wrapped.
func sendError(err error) error {
	var tooMany *tgbot.TooManyRequestsError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooMany):
		return &reminders.ThrottledError{RetryAfter: time.Duration(tooMany.RetryAfter) * time.Second}
	case errors.Is(err, tgbot.ErrorForbidden):
		return fmt.Errorf("%w: %v", reminders.ErrRecipientGone, err)
	case errors.Is(err, tgbot.ErrorBadRequest):
		return fmt.Errorf("%w: %v", reminders.ErrRejected, err)
	}
	return fmt.Errorf("bot: send: %w", err)
}
