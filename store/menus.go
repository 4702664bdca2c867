package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// The command menu of each private chat is set through the outbox
// (bot/menus.go); chat_menus records, per chat, the menu last queued for
// it, written in the transaction that queues it. Comparing users with that
// table is one query that reads no user and no outbox item into the
// process, whatever the number of users or the size of the outbox, and
// pruning the outbox does not make a menu look unsent.

// ChatMenu is the menu last queued for a chat.
type ChatMenu struct {
	ChatID int64  `db:"chat_id"`
	Wanted string `db:"wanted"` // what it sets, as the bot names it: "<role>:<digest>"
	N      int64  `db:"n"`      // menus queued for the chat so far, this one included
	// State is its outbox item's, or its archived record's once the
	// retention job pruned it; "" when neither is left.
	State OutboxState `db:"state"`
}

// MenuToQueue is a chat whose last queued menu is not the one it should
// show: its user's role's, or (Role "") none of its own, its user having
// been removed.
type MenuToQueue struct {
	ChatID int64 `db:"chat_id"`
	Role   Role  `db:"role"`
	N      int64 `db:"n"` // menus queued for the chat so far: 0 for none
}

// KindMenu is the outbox kind of a chat's command menu.
const KindMenu = "menu"

// QueuedMenu is a menu to queue: the outbox item that sets it, and what
// it sets, for chat_menus (the item's ChatID is the chat).
type QueuedMenu struct {
	Item   OutboxItem
	Wanted string
	N      int64 // the chat's menus with this one: MenuToQueue.N + 1
}

// MenusToQueue returns up to limit chats, by id, whose last queued menu
// is not the one they should show: the users not marked gone whose role's
// menu (wanted, by role) is not their chat's last, or who have none yet,
// and the chats of users no longer in the store whose last menu is not
// none (the empty menu's name). It compares in the store: no user and no
// outbox item is read into the process, only the chats returned.
func (db *DB) MenusToQueue(ctx context.Context, wanted map[Role]string, none string, limit int) ([]MenuToQueue, error) {
	if limit <= 0 {
		return nil, nil
	}
	var a args
	var when strings.Builder
	for _, r := range slices.Sorted(maps.Keys(wanted)) {
		fmt.Fprintf(&when, " WHEN %s THEN %s", a.add(string(r)), a.add(wanted[r]))
	}
	// One pass over both tables (a full join): a user with no row, or
	// whose row is not their role's menu (a role without a menu named
	// never matches), and a row with no user that is not none already.
	q := `SELECT COALESCE(u.telegram_id, m.chat_id) AS chat_id, COALESCE(u.role, '') AS role, COALESCE(m.n, 0) AS n
		FROM users u FULL JOIN chat_menus m ON m.chat_id = u.telegram_id
		WHERE CASE WHEN u.telegram_id IS NULL THEN m.wanted <> ` + a.add(none) + `
			ELSE u.gone = ` + a.add(false) + ` AND (m.chat_id IS NULL OR m.wanted <> CASE u.role` + when.String() + ` ELSE '' END) END
		ORDER BY 1 LIMIT ` + a.add(limit)
	var out []MenuToQueue
	if err := db.db.SelectContext(ctx, &out, q, a...); err != nil {
		return nil, fmt.Errorf("store: menus to queue: %w", err)
	}
	return out, nil
}

// ChatMenuOf returns the menu last queued for chat, with the state of its
// outbox item (looked up by its key); ok is false when none was.
func (db *DB) ChatMenuOf(ctx context.Context, chat int64) (m ChatMenu, ok bool, err error) {
	err = db.db.GetContext(ctx, &m, `SELECT m.chat_id, m.wanted, m.n, COALESCE(o.state, a.state, '') AS state
		FROM chat_menus m
		LEFT JOIN outbox o ON o.key = m.outbox_key
		LEFT JOIN outbox_archive a ON a.key = m.outbox_key
		WHERE m.chat_id = $1`, chat)
	switch {
	case isNoRows(err):
		return ChatMenu{}, false, nil
	case err != nil:
		return ChatMenu{}, false, fmt.Errorf("store: menu of chat %d: %w", chat, err)
	}
	return m, true, nil
}

// EnqueueMenus queues menus and records each in chat_menus, in one
// transaction, and returns how many were queued. A menu whose outbox key
// is already there (another replica queued the chat's nth menu first) is
// skipped and leaves chat_menus as that replica wrote it: chat_menus
// always names the item that was queued, and a menu skipped so is found
// again by the next MenusToQueue if it is still wanted.
func (db *DB) EnqueueMenus(ctx context.Context, menus []QueuedMenu, at time.Time) (int, error) {
	queued := 0
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		items := make([]OutboxItem, len(menus))
		for i, m := range menus {
			items[i] = m.Item
		}
		keys, err := db.insertOutbox(ctx, tx, items)
		if err != nil {
			return err
		}
		queued = len(keys)
		inserted := make(map[string]bool, len(keys))
		for _, k := range keys {
			inserted[k] = true
		}
		var written []QueuedMenu
		for _, m := range menus {
			if inserted[m.Item.Key] {
				written = append(written, m)
			}
		}
		for chunk := range slices.Chunk(written, batchRows) {
			a := db.bulkArgs()
			values := make([]string, len(chunk))
			for i, m := range chunk {
				values[i] = "(" + list(a, []any{m.Item.ChatID, m.Wanted, m.N, m.Item.Key, utc(at)}) + ")"
			}
			// Only forward: a replica that read the chat before another
			// queued its next menu must not write over that one's row.
			if _, err := tx.ExecContext(ctx, `INSERT INTO chat_menus (chat_id, wanted, n, outbox_key, updated_at)
				VALUES `+strings.Join(values, ", ")+`
				ON CONFLICT (chat_id) DO UPDATE SET wanted = excluded.wanted, n = excluded.n,
					outbox_key = excluded.outbox_key, updated_at = excluded.updated_at
				WHERE chat_menus.n < excluded.n`, a.args...); err != nil {
				return fmt.Errorf("write chat menus: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: queue %d menus: %w", len(menus), err)
	}
	return queued, nil
}

// ChatMenusCount counts the chats a menu was ever queued for: for
// benchmarks and the admin.
func (db *DB) ChatMenusCount(ctx context.Context) (int, error) {
	var n int
	if err := db.db.GetContext(ctx, &n, "SELECT count(*) FROM chat_menus"); err != nil {
		return 0, fmt.Errorf("store: count chat menus: %w", err)
	}
	return n, nil
}

// PendingMenus counts the menus not sent yet (pending, being sent or
// waiting for a retry) among the newest items of kind KindMenu: those a
// sync queued last, which the Drainer sends last. It reads those items
// only (outbox_menu_idx), whatever the rest of the outbox holds.
func (db *DB) PendingMenus(ctx context.Context, newest int) (int, error) {
	var n int
	// The kind is written out: SQLite uses a partial index only for a
	// query that names its condition.
	err := db.db.GetContext(ctx, &n, `SELECT count(*) FROM (SELECT state FROM outbox WHERE kind = 'menu' ORDER BY id DESC LIMIT $1) r
		WHERE state = 'pending'`, newest)
	if err != nil {
		return 0, fmt.Errorf("store: pending menus: %w", err)
	}
	return n, nil
}
