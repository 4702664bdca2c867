package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// Each user's private chat shows the menu of their role (menuOf), set by
// setMyCommands with the chat's scope. The calls go through the outbox,
// so that the Drainer paces them with the messages (Telegram's limits)
// and retries them, whichever replica or command changed the user: the
// bot compares the users with the menus it last queued (syncMenus) when
// it starts, when the users' generation moves (watchRoster) and at once
// when someone redeems an invitation or says /start.

// KindMenu is the outbox kind of a chat's command menu.
const KindMenu = "menu"

// menuPrefix starts the outbox keys of menus:
// menu:<chat>:<role>:<digest of the menu>:<users generation>. The
// generation tells a role given back (A, B, then A again) from the first
// A; two replicas that see the same change queue the same key once.
const menuPrefix = "menu:"

// noRole names the menu of a chat whose user was removed: none of its own.
const noRole = "none"

// menuItem is the outbox item that sets chat's menu to role's (noRole:
// removes it), in every language of the catalog.
func (b *Bot) menuItem(chat int64, role string, gen int64) (store.OutboxItem, error) {
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
		return store.OutboxItem{}, fmt.Errorf("bot: menu of %d: %w", chat, err)
	}
	sum := sha256.Sum256(payload)
	key := fmt.Sprintf("%s%d:%s:%s:%d", menuPrefix, chat, role, hex.EncodeToString(sum[:6]), gen)
	return store.OutboxItem{Key: key, ChatID: chat, Kind: KindMenu, Payload: string(payload), DueAt: b.now()}, nil
}

// menuWanted is the part of a menu item's key that says which menu it
// sets: "<role>:<digest>".
func menuWanted(key string) (chat int64, wanted string, ok bool) {
	f := strings.Split(strings.TrimPrefix(key, menuPrefix), ":")
	if len(f) != 4 {
		return 0, "", false
	}
	chat, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, "", false
	}
	return chat, f[1] + ":" + f[2], true
}

// syncMenus queues the menu of every user (of only, when not nil) whose
// chat's last queued menu is not their role's now, and (all users) an
// empty one for the chat of a user removed since. A menu that failed
// counts as queued, but for retryFailed: /start, when the chat surely
// exists, gives a user added before they ever wrote their menu.
// It returns the users' generation it read them at.
func (b *Bot) syncMenus(ctx context.Context, only *store.User, retryFailed bool) (int64, error) {
	gen, err := b.db.UsersGeneration(ctx)
	if err != nil {
		return 0, fmt.Errorf("bot: sync menus: %w", err)
	}
	prefix := menuPrefix
	var users []store.User
	if only != nil {
		prefix += strconv.FormatInt(only.TelegramID, 10) + ":"
		users = []store.User{*only}
	} else if users, err = b.db.Users(ctx, store.Scope{}); err != nil {
		return 0, fmt.Errorf("bot: sync menus: %w", err)
	}
	items, err := b.db.OutboxItems(ctx, prefix)
	if err != nil {
		return 0, fmt.Errorf("bot: sync menus: %w", err)
	}
	last := make(map[int64]string) // chat → what its last menu item sets
	for _, it := range items {     // by id: the last one wins
		if chat, wanted, ok := menuWanted(it.Key); ok {
			if retryFailed && it.State == store.OutboxFailed {
				wanted = ""
			}
			last[chat] = wanted
		}
	}
	var queue []store.OutboxItem
	add := func(chat int64, role string) error {
		it, err := b.menuItem(chat, role, gen)
		if err != nil {
			return err
		}
		if _, wanted, _ := menuWanted(it.Key); last[chat] != wanted {
			queue = append(queue, it)
		}
		return nil
	}
	present := make(map[int64]bool, len(users))
	for _, u := range users {
		present[u.TelegramID] = true
		if u.Gone {
			continue // blocked the bot: nothing goes to them
		}
		if err := add(u.TelegramID, string(u.Role)); err != nil {
			return 0, err
		}
	}
	if only == nil {
		for chat, wanted := range last {
			if !present[chat] && !strings.HasPrefix(wanted, noRole+":") {
				if err := add(chat, noRole); err != nil {
					return 0, err
				}
			}
		}
	}
	if len(queue) == 0 {
		return gen, nil
	}
	if _, err := b.db.Enqueue(ctx, queue); err != nil {
		return 0, fmt.Errorf("bot: sync menus: %w", err)
	}
	b.log.Info("menus queued", "chats", len(queue))
	return gen, nil
}

// SyncMenus queues the menus of the users whose role changed since their
// menu was last queued, and removes those of removed users (syncMenus).
// serve calls it at start; a running bot again when the users change.
func (b *Bot) SyncMenus(ctx context.Context) error {
	gen, err := b.syncMenus(ctx, nil, false)
	if err == nil {
		b.menusGen.Store(gen)
	}
	return err
}

// checkMenus syncs the menus when the users' generation moved since the
// last sync; a failure is tried again at the next check.
func (b *Bot) checkMenus(run context.Context) {
	ctx, cancel := context.WithTimeout(run, b.opt.RosterCheck)
	defer cancel()
	gen, err := b.db.UsersGeneration(ctx)
	if err != nil || gen == b.menusGen.Load() {
		return // a store that does not answer is checkRoster's to report
	}
	if err := b.SyncMenus(ctx); err != nil && run.Err() == nil {
		b.log.Warn("sync menus", "err", err)
	}
}

// syncMenuOf queues u's menu if it is not the last queued, for an
// invitation just redeemed or a /start; a failure is logged, as the menu
// is not what the user asked for.
func (b *Bot) syncMenuOf(ctx context.Context, u store.User, retryFailed bool) {
	if _, err := b.syncMenus(ctx, &u, retryFailed); err != nil {
		b.log.Warn("sync menu", "user_id", u.TelegramID, "err", err)
	}
}
