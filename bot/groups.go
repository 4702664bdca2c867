package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/store"
)

// Group chats. The members of a group are not all users, so the bot
// answers about the roster in a group only once a district head or a
// provincial user has bound the group to their own scope (/gannhom): then
// a user there sees what their scope and the group's share, and the
// scope's reminders (or the province's digest) go to the group as well.
// In any other group the bot answers what is addressed to it once, with a
// pointer to its private chat. Invitations are never made or redeemed in
// a group. Each member has their own conversation with the bot.

// groupNoteWindow is how long the bot stays silent to a user in a group
// after pointing them to its private chat.
const groupNoteWindow = time.Hour

// inGroupChat reports whether the update comes from a group.
func inGroupChat(u *models.Update) bool {
	var t models.ChatType
	switch {
	case u.Message != nil:
		t = u.Message.Chat.Type
	case u.CallbackQuery != nil && u.CallbackQuery.Message.Message != nil:
		t = u.CallbackQuery.Message.Message.Chat.Type
	}
	return t == models.ChatTypeGroup || t == models.ChatTypeSupergroup
}

// addressed returns the text of a group message meant for the bot, and
// whether it is: a command (to this bot), a message naming @the bot
// (without the name), or a reply to one of the bot's messages.
func (b *Bot) addressed(m *models.Message, text string) (string, bool) {
	if _, _, ok := command(text, b.username); ok {
		return text, true
	}
	mention := "@" + b.username
	if i := strings.Index(strings.ToLower(text), strings.ToLower(mention)); i >= 0 {
		return strings.TrimSpace(text[:i] + text[i+len(mention):]), true
	}
	if reply := m.ReplyToMessage; reply != nil && reply.From != nil && reply.From.IsBot &&
		strings.EqualFold(reply.From.Username, b.username) {
		return text, true
	}
	return text, false
}

// groupGate decides what of an update from a group the bot takes up:
// text is the message's, addressed says it is meant for the bot (see
// addressed; a button press always is). It reports whether the update is
// dealt with (answered or ignored); when it is not, routing goes on with r
// in the scope the user has in this group.
func (b *Bot) groupGate(ctx context.Context, r *request, text string, addressed bool) (bool, error) {
	if !addressed && r.user == nil {
		return true, nil // talk among the members
	}
	cmd, _, isCmd := command(text, b.username)
	if isCmd && r.user != nil && (cmd == "gannhom" || cmd == "gonhom") {
		return false, nil
	}
	var bound *store.GroupChat
	if r.user != nil {
		g, err := b.db.GroupChat(ctx, r.chat)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return true, fmt.Errorf("bot: group chat: %w", err)
		default:
			bound = &g
		}
	}
	if bound == nil {
		if !addressed {
			return true, nil
		}
		return true, b.groupNote(ctx, r)
	}
	scope, ok := b.roster.Load().shared(store.ScopeOf(*r.user), bound.ScopeOf())
	if !ok {
		if addressed {
			b.replyOrAnswer(ctx, r, r.p.T("bot.group.outside", b.scopeInSentence(r.p, bound.ScopeOf())))
		}
		return true, nil
	}
	r.groupScope = &scope
	if !addressed {
		// Not meant for the bot, unless it is the text the sender's own
		// conversation waits for (a name, a date).
		_, err := b.conversationText(ctx, r, text)
		return true, err
	}
	if isCmd && (cmd == "moi" || cmd == "start") {
		b.reply(ctx, r, r.p.T("bot.group.command_private", b.privateLink()))
		return true, nil
	}
	return false, nil
}

// shared returns the scope a user of scope user has in a group bound to
// group: the group's when the user's covers it, the user's own when the
// group's covers it; false when they do not meet.
func (ro *roster) shared(user, group store.Scope) (store.Scope, bool) {
	switch {
	case ro.covers(user, group):
		return group, true
	case ro.covers(group, user):
		return user, true
	}
	return store.Scope{}, false
}

// groupNote points a user in a group that is not bound (or a stranger) to
// the private chat, once per groupNoteWindow.
func (b *Bot) groupNote(ctx context.Context, r *request) error {
	key := "groupnote:" + strconv.FormatInt(r.chat, 10) + ":" + strconv.FormatInt(r.from.ID, 10)
	first, err := b.st.SwapConversation(ctx, key, nil, []byte{'1'}, groupNoteWindow)
	if err != nil {
		return fmt.Errorf("bot: group note: %w", err)
	}
	if first {
		b.replyOrAnswer(ctx, r, r.p.T("bot.group.private_only", b.privateLink()))
	} else {
		b.answerCallback(ctx, r, "")
	}
	return nil
}

// replyOrAnswer answers a button press with a notice, a message with a
// reply.
func (b *Bot) replyOrAnswer(ctx context.Context, r *request, text string) {
	if r.cb != nil {
		b.answerCallback(ctx, r, text)
		return
	}
	b.reply(ctx, r, text)
}

// privateLink opens the bot's private chat.
func (b *Bot) privateLink() string { return "https://t.me/" + b.username }

// bindGroup is /gannhom: a district head or a provincial user binds the
// group to their own scope. A group bound to a scope the user's does not
// cover stays as it is.
func (b *Bot) bindGroup(ctx context.Context, r *request, _ string) error {
	if !r.inGroup {
		b.reply(ctx, r, r.p.T("bot.group.use_in_group"))
		return nil
	}
	own := store.ScopeOf(*r.user)
	if own.Role != store.RoleDistrict && own.Role != store.RoleProvince {
		b.reply(ctx, r, r.p.T("bot.group.bind_not_allowed"))
		return nil
	}
	current, err := b.db.GroupChat(ctx, r.chat)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return fmt.Errorf("bot: bind group: %w", err)
	case !b.roster.Load().covers(own, current.ScopeOf()):
		b.reply(ctx, r, r.p.T("bot.group.bound_elsewhere", b.scopeInSentence(r.p, current.ScopeOf())))
		return nil
	}
	g := store.GroupChat{ChatID: r.chat, Role: own.Role, Scope: own.Code, Title: r.upd.Message.Chat.Title,
		Lang: r.p.Lang(), BoundBy: r.from.ID, BoundAt: b.now()}
	if err := b.db.BindGroupChat(ctx, g); err != nil {
		return fmt.Errorf("bot: bind group: %w", err)
	}
	b.log.Info("group bound", "user_id", r.from.ID, "update_id", r.upd.ID, "chat_id", r.chat, "role", own.Role)
	key := "bot.group.bound_district"
	if own.Role == store.RoleProvince {
		key = "bot.group.bound_province"
	}
	b.reply(ctx, r, r.p.T(key, b.scopeInSentence(r.p, own)))
	return nil
}

// unbindGroup is /gonhom: a user whose scope covers the group's binding
// removes it.
func (b *Bot) unbindGroup(ctx context.Context, r *request, _ string) error {
	if !r.inGroup {
		b.reply(ctx, r, r.p.T("bot.group.use_in_group"))
		return nil
	}
	current, err := b.db.GroupChat(ctx, r.chat)
	switch {
	case errors.Is(err, store.ErrNotFound):
		b.reply(ctx, r, r.p.T("bot.group.not_bound"))
		return nil
	case err != nil:
		return fmt.Errorf("bot: unbind group: %w", err)
	case !b.roster.Load().covers(store.ScopeOf(*r.user), current.ScopeOf()):
		b.reply(ctx, r, r.p.T("bot.group.unbind_not_allowed", b.scopeInSentence(r.p, current.ScopeOf())))
		return nil
	}
	err = b.db.UnbindGroupChat(ctx, r.chat, r.actor(), b.now())
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("bot: unbind group: %w", err)
	}
	b.log.Info("group unbound", "user_id", r.from.ID, "update_id", r.upd.ID, "chat_id", r.chat)
	b.reply(ctx, r, r.p.T("bot.group.unbound", b.scopeInSentence(r.p, current.ScopeOf())))
	return nil
}

// leftGroup forgets the binding of a group the bot was removed from.
func (b *Bot) leftGroup(ctx context.Context, u *models.ChatMemberUpdated) error {
	if t := u.NewChatMember.Type; t != models.ChatMemberTypeLeft && t != models.ChatMemberTypeBanned {
		return nil
	}
	err := b.db.UnbindGroupChat(ctx, u.Chat.ID, "user:"+strconv.FormatInt(u.From.ID, 10), b.now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("bot: forget group: %w", err)
	}
	b.log.Info("group unbound: the bot was removed", "chat_id", u.Chat.ID)
	return nil
}
