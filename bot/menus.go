package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// Each user's private chat shows the menu of their role (menuOf), set by
// setMyCommands with the chat's scope. The calls go through the outbox,
// so that the Drainer paces them with the messages (Telegram's limits)
// and retries them, whichever replica or command changed the user. The
// store records the menu last queued for each chat (store.ChatMenu) with
// its outbox item; syncMenus asks it for the chats whose menu is not what
// it should be, so many at a time that no more than Options.MenusPerSync
// menus wait in the outbox, when the bot
// starts, when the users' generation moves (watchRoster) and again at
// each check while some are left; an invitation redeemed or a /start
// queues that user's at once.

// KindMenu is the outbox kind of a chat's command menu.
const KindMenu = store.KindMenu

// noRole names the menu of a chat whose user was removed: none of its own.
const noRole = "none"

// menuKey is the outbox key of the nth menu queued for chat. Two
// replicas that queue a chat's next menu at once make the same key: one
// item is queued, and the store's record of it is that one's.
func menuKey(chat, n int64) string { return fmt.Sprintf("menu:%d:%d", chat, n) }

// roleMenu is the outbox payload that sets a chat's menu to a role's, in
// every language of the catalog, and its name: "<role>:<digest of the
// payload>", so that a menu whose commands or words changed is queued
// again.
type roleMenu struct {
	payload, wanted string
}

// roleMenus are the menus of every role, and of noRole (none of its own).
func (b *Bot) roleMenus() (map[string]roleMenu, error) {
	out := make(map[string]roleMenu)
	for _, role := range []string{string(store.RoleCommune), string(store.RoleDistrict), string(store.RoleProvince),
		string(store.RoleNational), string(store.RoleUnit), noRole} {
		var names []string
		if role != noRole {
			names = menuOf(store.Role(role))
		}
		var m reminders.Message
		for i, lang := range b.cat.Langs() {
			mn := reminders.Menu{Commands: []reminders.Command{}}
			if i > 0 { // the first language is every language's
				mn.Lang = lang
			}
			for _, c := range botCommands(b.cat.Printer(lang, b.loc), names) {
				mn.Commands = append(mn.Commands, reminders.Command{Command: c.Command, Description: c.Description})
			}
			m.Menus = append(m.Menus, mn)
		}
		payload, err := json.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("bot: menu of %s: %w", role, err)
		}
		sum := sha256.Sum256(payload)
		out[role] = roleMenu{payload: string(payload), wanted: role + ":" + hex.EncodeToString(sum[:6])}
	}
	return out, nil
}

// queued is the nth menu of chat, set to mn.
func (b *Bot) queued(chat, n int64, mn roleMenu) store.QueuedMenu {
	return store.QueuedMenu{Wanted: mn.wanted, N: n, Item: store.OutboxItem{Key: menuKey(chat, n), ChatID: chat,
		Kind: KindMenu, Payload: mn.payload, DueAt: b.now()}}
}

// syncMenus queues the menus of the chats whose last queued menu is not
// the one they should show: their user's role's, or none of its own for
// a removed user's; a user marked gone (who blocked the bot) gets
// nothing. A menu that failed counts as queued. It queues no more than
// leaves Options.MenusPerSync menus waiting in the outbox. It returns the
// users' generation it read before asking, and whether some may be left
// for the next sync (as many found as it could queue, or some queued by
// another replica first).
func (b *Bot) syncMenus(ctx context.Context) (gen int64, more bool, err error) {
	if gen, err = b.db.UsersGeneration(ctx); err != nil {
		return 0, false, fmt.Errorf("bot: sync menus: %w", err)
	}
	menus, err := b.roleMenus()
	if err != nil {
		return 0, false, err
	}
	wanted := make(map[store.Role]string, len(menus))
	for role, mn := range menus {
		if role != noRole {
			wanted[store.Role(role)] = mn.wanted
		}
	}
	// The menus queued before and not sent yet count against the bound:
	// with several replicas, or a Drainer held back, menus never pile up
	// ahead of the reminders queued after them. The Drainer sends in
	// order, so those are among the newest.
	pending, err := b.db.PendingMenus(ctx, b.opt.MenusPerSync)
	if err != nil {
		return 0, false, fmt.Errorf("bot: sync menus: %w", err)
	}
	limit := b.opt.MenusPerSync - pending
	if limit <= 0 {
		return gen, true, nil
	}
	todo, err := b.db.MenusToQueue(ctx, wanted, menus[noRole].wanted, limit)
	if err != nil {
		return 0, false, fmt.Errorf("bot: sync menus: %w", err)
	}
	if len(todo) == 0 {
		return gen, false, nil
	}
	queue := make([]store.QueuedMenu, len(todo))
	for i, t := range todo {
		role := string(t.Role)
		if role == "" {
			role = noRole
		}
		queue[i] = b.queued(t.ChatID, t.N+1, menus[role])
	}
	n, err := b.db.EnqueueMenus(ctx, queue, b.now())
	if err != nil {
		return 0, false, fmt.Errorf("bot: sync menus: %w", err)
	}
	b.log.Info("menus queued", "chats", n, "found", len(todo))
	return gen, len(todo) == limit || n < len(todo), nil
}

// SyncMenus queues the menus of the users whose role changed since their
// menu was last queued, and removes those of removed users, no more than
// leaves Options.MenusPerSync menus waiting to be sent (syncMenus); the
// next checks go on while some are left. serve calls it at start; a
// running bot again when the users change.
func (b *Bot) SyncMenus(ctx context.Context) error {
	gen, more, err := b.syncMenus(ctx)
	if err == nil {
		b.menusMore.Store(more)
		b.menusGen.Store(gen)
	}
	return err
}

// checkMenus syncs the menus when the users' generation moved since the
// last sync or that sync left some; a failure is tried again at the next
// check.
func (b *Bot) checkMenus(run context.Context) {
	ctx, cancel := context.WithTimeout(run, b.opt.RosterCheck)
	defer cancel()
	gen, err := b.db.UsersGeneration(ctx)
	if err != nil || (gen == b.menusGen.Load() && !b.menusMore.Load()) {
		return // a store that does not answer is checkRoster's to report
	}
	if err := b.SyncMenus(ctx); err != nil && run.Err() == nil {
		b.log.Warn("sync menus", "err", err)
	}
}

// syncMenuOf queues u's menu if it is not the last queued for their chat,
// for an invitation just redeemed or a /start; with retryFailed (/start,
// when the chat surely exists) also if that one failed, as it does for a
// user added before they ever wrote to the bot. A failure is logged, as
// the menu is not what the user asked for.
func (b *Bot) syncMenuOf(ctx context.Context, u store.User, retryFailed bool) {
	if err := b.queueMenuOf(ctx, u, retryFailed); err != nil {
		b.log.Warn("sync menu", "user_id", u.TelegramID, "err", err)
	}
}

func (b *Bot) queueMenuOf(ctx context.Context, u store.User, retryFailed bool) error {
	if u.Gone {
		return nil // blocked the bot: nothing goes to them
	}
	menus, err := b.roleMenus()
	if err != nil {
		return err
	}
	mn := menus[string(u.Role)]
	last, ok, err := b.db.ChatMenuOf(ctx, u.TelegramID)
	if err != nil {
		return fmt.Errorf("bot: menu of %d: %w", u.TelegramID, err)
	}
	if ok && last.Wanted == mn.wanted && !(retryFailed && last.State == store.OutboxFailed) {
		return nil
	}
	if _, err := b.db.EnqueueMenus(ctx, []store.QueuedMenu{b.queued(u.TelegramID, last.N+1, mn)}, b.now()); err != nil {
		return fmt.Errorf("bot: menu of %d: %w", u.TelegramID, err)
	}
	return nil
}
