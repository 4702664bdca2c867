package bot

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// convPrefix starts the callback data of every conversation button.
const convPrefix = "c"

// Conversation flows.
const (
	flowReport   = "report"
	flowPick     = "pick"
	flowLang     = "lang"
	flowInvite   = "invite"
	flowArrange  = "arrange"  // what becomes of a person replaced
	flowDecision = "decision" // the decision behind a report
	flowCheck    = "check"    // a district's reason to send a report back
	flowAnnounce = "announce"
)

// optCancel is the value of every Cancel button.
const optCancel = "x"

// conversation is a chat's current exchange with buttons, kept in State
// under the chat's key with a TTL. Options hold what each button of the
// current step means: a button carries only Nonce and an index into them.
type conversation struct {
	Flow    string   `json:"f"`
	User    int64    `json:"u"` // only this user may press its buttons
	Nonce   string   `json:"n"`
	Message int      `json:"m"` // the message edited in place
	Step    string   `json:"s"`
	Options []string `json:"o,omitempty"`

	Report   *reportDraft   `json:"r,omitempty"`
	Question string         `json:"q,omitempty"` // flowPick: the question to answer once a place is picked
	Intent   string         `json:"t,omitempty"` // flowPick: the command that asked, if one did
	Part     int            `json:"p,omitempty"` // flowPick: the part of the message the places are for
	Mention  int            `json:"w,omitempty"` // flowPick: the place of that part they stand for
	Invite   *inviteDraft   `json:"i,omitempty"`
	Arrange  *arrangeDraft  `json:"a,omitempty"`
	Announce *announceDraft `json:"an,omitempty"`
	Decision *decisionDraft `json:"d,omitempty"`
	Check    *checkDraft    `json:"k,omitempty"`
}

// convKey names the conversation of user in chat: a group's members each
// have their own, so that one's /huy or button never touches another's.
func convKey(chat, user int64) string {
	return "chat:" + strconv.FormatInt(chat, 10) + ":" + strconv.FormatInt(user, 10)
}

// convKey names the conversation of the request's sender in its chat.
func (r *request) convKey() string { return convKey(r.chat, r.from.ID) }

// nextStep starts a new step: a fresh nonce voids the buttons of the last.
func (c *conversation) nextStep(step string) {
	b := make([]byte, 9)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("bot: random nonce: %v", err)) // crypto/rand never fails on supported systems
	}
	c.Nonce = base64.RawURLEncoding.EncodeToString(b)
	c.Step = step
	c.Options = nil
}

// button makes a button that means value in the current step.
func (c *conversation) button(label, value string) models.InlineKeyboardButton {
	c.Options = append(c.Options, value)
	return models.InlineKeyboardButton{Text: label,
		CallbackData: convPrefix + ":" + c.Nonce + ":" + strconv.Itoa(len(c.Options)-1)}
}

// rows lays buttons out n per row.
func rows(bs []models.InlineKeyboardButton, n int) [][]models.InlineKeyboardButton {
	var out [][]models.InlineKeyboardButton
	for len(bs) > 0 {
		k := min(n, len(bs))
		out = append(out, bs[:k:k])
		bs = bs[k:]
	}
	return out
}

// withCancel adds the Cancel row.
func (b *Bot) withCancel(r *request, c *conversation, kb [][]models.InlineKeyboardButton) [][]models.InlineKeyboardButton {
	return append(kb, []models.InlineKeyboardButton{c.button(r.p.T("bot.button.cancel"), optCancel)})
}

// loadConv returns the chat's conversation and its stored bytes; nil when
// there is none (or it ended: an ended one is stored empty until it expires).
// The first call uses what route read with the update's claim, since
// nothing of the update's own can have changed it before.
func (b *Bot) loadConv(ctx context.Context, r *request) (*conversation, []byte, error) {
	var raw []byte
	var ok bool
	if r.conv != nil {
		raw, ok = r.conv.Data, r.conv.Found
		r.conv = nil
	} else {
		var err error
		raw, ok, err = b.st.GetConversation(ctx, r.convKey())
		if err != nil {
			return nil, nil, fmt.Errorf("bot: load conversation: %w", err)
		}
	}
	if !ok {
		return nil, nil, nil
	}
	if len(raw) == 0 {
		return nil, raw, nil
	}
	var c conversation
	if err := json.Unmarshal(raw, &c); err != nil {
		b.log.Warn("unreadable conversation dropped", "chat_id", r.chat)
		return nil, raw, nil
	}
	return &c, raw, nil
}

// swapConv stores next in place of prev and reports whether prev was still
// there: false means another press or message moved the conversation
// first. A nil next ends the conversation.
func (b *Bot) swapConv(ctx context.Context, r *request, prev []byte, next *conversation) (bool, error) {
	data := []byte{}
	if next != nil {
		var err error
		if data, err = json.Marshal(next); err != nil {
			return false, fmt.Errorf("bot: encode conversation: %w", err)
		}
	}
	ok, err := b.st.SwapConversation(ctx, r.convKey(), prev, data, b.opt.ConversationTTL)
	if err != nil {
		return false, fmt.Errorf("bot: save conversation: %w", err)
	}
	return ok, nil
}

// startConv replaces whatever conversation the chat had: a new command
// wins over an unfinished one.
func (b *Bot) startConv(ctx context.Context, r *request, c *conversation) error {
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("bot: encode conversation: %w", err)
	}
	if err := b.st.PutConversation(ctx, r.convKey(), data, b.opt.ConversationTTL); err != nil {
		return fmt.Errorf("bot: save conversation: %w", err)
	}
	return nil
}

// onConversationButton looks a press up in the stored conversation. A
// press whose nonce, index or user does not match changes nothing.
func (b *Bot) onConversationButton(ctx context.Context, r *request, data string) error {
	parts := strings.Split(data, ":")
	c, raw, err := b.loadConv(ctx, r)
	if err != nil {
		return err
	}
	if len(parts) != 3 || c == nil || parts[1] != c.Nonce || c.User != r.from.ID {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	i, err := strconv.Atoi(parts[2])
	if err != nil || i < 0 || i >= len(c.Options) {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	value := c.Options[i]
	if value == optCancel {
		ok, err := b.swapConv(ctx, r, raw, nil)
		if err != nil {
			return err
		}
		if !ok {
			b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
			return nil
		}
		b.edit(ctx, r, c.Message, r.p.T("bot.cancelled"), nil)
		b.answerCallback(ctx, r, "")
		return nil
	}
	var next func(context.Context, *request, *conversation, []byte, string) error
	switch c.Flow {
	case flowReport:
		next = b.reportButton
	case flowPick:
		next = b.pickButton
	case flowLang:
		next = b.langButton
	case flowInvite:
		next = b.inviteButton
	case flowArrange:
		next = b.arrangeButton
	case flowAnnounce:
		next = b.announceButton
	case flowDecision:
		next = b.decisionButton
	default:
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	return next(ctx, r, c, raw, value)
}

// advance stores the conversation's next step in place of raw and edits
// its message; a lost race is answered as a stale button.
func (b *Bot) advance(ctx context.Context, r *request, raw []byte, c *conversation, text string, kb [][]models.InlineKeyboardButton) error {
	ok, err := b.swapConv(ctx, r, raw, c)
	if err != nil {
		return err
	}
	if !ok {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	b.edit(ctx, r, c.Message, text, kb)
	b.answerCallback(ctx, r, "")
	return nil
}

// finish ends the conversation in place of raw and reports whether this
// press won; the caller then does the one thing the conversation was for.
func (b *Bot) finish(ctx context.Context, r *request, raw []byte) (bool, error) {
	ok, err := b.swapConv(ctx, r, raw, nil)
	if err != nil {
		return false, err
	}
	if !ok {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
	}
	return ok, nil
}

// conversationText gives a typed message to the conversation when its
// step waits for text, and reports whether it did.
func (b *Bot) conversationText(ctx context.Context, r *request, text string) (bool, error) {
	c, raw, err := b.loadConv(ctx, r)
	if err != nil || c == nil || c.User != r.from.ID {
		return false, err
	}
	switch {
	case c.Flow == flowReport && c.Step == stepHolder && b.holderAside(text):
		// "tcax mik la ai" typed where the holder's name is asked is a
		// question, not a name: answered, and the step still waits.
		return false, nil
	case c.Flow == flowReport && reportWaitsForText(c.Step):
		return true, b.reportText(ctx, r, c, raw, text)
	case c.Flow == flowReport && reportWaitsForButton(c.Step) && !r.inGroup && !b.questionAside(text):
		// "Nguyen Van Nam" typed where the report shows buttons (the
		// status, before the holder's name is asked) is neither a name
		// yet nor a question: say where the choice is, not "Không tìm
		// thấy địa danh". Only in the private chat: a group's talk is
		// not for the bot.
		b.send(ctx, r, r.p.T("bot.report.use_buttons"), nil)
		return true, nil
	case c.Flow == flowReport && c.Step == stepConfirm:
		return b.heldDecision(ctx, r, c, raw, text)
	case decisionWaits(c) && b.questionAside(text):
		// A question asked at the decision step is answered; the step
		// still waits.
		return false, nil
	case decisionWaits(c):
		return true, b.decisionInput(ctx, r, c, raw, text, nil)
	case c.Flow == flowCheck && c.Step == stepReason:
		return true, b.reasonText(ctx, r, c, raw, text)
	case c.Flow == flowAnnounce && c.Step == stepAnnounceText:
		return true, b.announceText(ctx, r, c, raw, text)
	}
	return false, nil
}

// draftWaitsForText says whether the conversation is a draft at a step
// that takes typed text (conversationText gives it there): a report's
// commune, holder or date, a reason for sending a report back, an
// announcement's text.
func (c *conversation) draftWaitsForText() bool {
	return c.Flow == flowReport && reportWaitsForText(c.Step) ||
		c.Flow == flowCheck && c.Step == stepReason ||
		c.Flow == flowAnnounce && c.Step == stepAnnounceText
}

// leaveDraft ends a conversation that waits for typed text when its user
// turns to another command, so that what they type next is read as what
// it is (a question) and not taken into the draft they left: a report's
// holder, a reason for sending a report back, an announcement's text. Its
// message says it was cancelled. The decision step stays: its report is
// saved already, and the decision can follow the command.
func (b *Bot) leaveDraft(ctx context.Context, r *request) error {
	if r.conv == nil || !r.conv.Found || len(r.conv.Data) == 0 {
		return nil
	}
	var c conversation
	if json.Unmarshal(r.conv.Data, &c) != nil || c.User != r.from.ID {
		return nil
	}
	if !c.draftWaitsForText() {
		return nil
	}
	ok, err := b.swapConv(ctx, r, r.conv.Data, nil)
	r.conv = nil
	if err != nil || !ok {
		return err
	}
	if c.Message != 0 {
		b.edit(ctx, r, c.Message, r.p.T("bot.cancelled"), nil)
	}
	return nil
}

// conversationFile gives a photo or file to the conversation when its
// step takes one; otherwise the user is told when a decision is taken.
func (b *Bot) conversationFile(ctx context.Context, r *request, caption string, att *attachment) error {
	c, raw, err := b.loadConv(ctx, r)
	if err != nil {
		return err
	}
	if c == nil || c.User != r.from.ID || !decisionWaits(c) {
		b.send(ctx, r, r.p.T("bot.decision.unasked"), nil)
		return nil
	}
	return b.decisionInput(ctx, r, c, raw, caption, att)
}

// cancel is /huy: it ends whatever conversation the chat has.
func (b *Bot) cancel(ctx context.Context, r *request, _ string) error {
	c, _, err := b.loadConv(ctx, r)
	if err != nil {
		return err
	}
	if err := b.st.DeleteConversation(ctx, r.convKey()); err != nil {
		return fmt.Errorf("bot: cancel conversation: %w", err)
	}
	if c == nil {
		b.send(ctx, r, r.p.T("bot.cancel.nothing"), nil)
		return nil
	}
	// Said once: on the draft's message, which loses its buttons, or in a
	// new message when the conversation has none or its edit failed.
	if !b.edit(ctx, r, c.Message, r.p.T("bot.cancelled"), nil) {
		b.send(ctx, r, r.p.T("bot.cancelled"), nil)
	}
	return nil
}
