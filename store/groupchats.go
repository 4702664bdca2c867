package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// GroupChat is a Telegram group bound to a district's or the province's
// scope by one of its users: the bot answers about that scope there and
// sends its reminders (a district) or its digest (the province) there.
type GroupChat struct {
	ChatID  int64     `db:"chat_id"`
	Role    Role      `db:"role"` // RoleDistrict or RoleProvince
	Scope   string    `db:"scope"`
	Title   string    `db:"title"`
	Lang    string    `db:"lang"`
	BoundBy int64     `db:"bound_by"` // the user's Telegram id
	BoundAt time.Time `db:"bound_at"`
}

// ScopeOf returns the group's scope.
func (g GroupChat) ScopeOf() Scope { return Scope{Role: g.Role, Code: g.Scope} }

const groupChatColumns = "chat_id, role, scope, title, lang, bound_by, bound_at"

// BindGroupChat binds g.ChatID to g's scope, replacing any earlier
// binding, and writes the audit entry in the same transaction.
func (db *DB) BindGroupChat(ctx context.Context, g GroupChat) error {
	if g.Role != RoleDistrict && g.Role != RoleProvince {
		return fmt.Errorf("store: bind group chat %d: a group is bound to a district or the province, not a %q", g.ChatID, g.Role)
	}
	if g.ChatID >= 0 {
		return fmt.Errorf("store: bind group chat %d: not a group's id", g.ChatID)
	}
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO group_chats (`+groupChatColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (chat_id) DO UPDATE SET role = excluded.role, scope = excluded.scope, title = excluded.title,
				lang = excluded.lang, bound_by = excluded.bound_by, bound_at = excluded.bound_at`,
			g.ChatID, g.Role, g.Scope, g.Title, g.Lang, g.BoundBy, utc(g.BoundAt))
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, AuditEntry{At: g.BoundAt, Actor: fmt.Sprintf("user:%d", g.BoundBy), Action: "bind_group",
			Detail: fmt.Sprintf("chat=%d role=%s scope=%s", g.ChatID, g.Role, g.Scope)})
	})
	if err != nil {
		return fmt.Errorf("store: bind group chat %d: %w", g.ChatID, err)
	}
	return nil
}

// UnbindGroupChat removes chatID's binding, with an audit entry by actor;
// ErrNotFound when it had none.
func (db *DB) UnbindGroupChat(ctx context.Context, chatID int64, actor string, at time.Time) error {
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM group_chats WHERE chat_id = $1", chatID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, ErrNotFound)
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: actor, Action: "unbind_group", Detail: fmt.Sprintf("chat=%d", chatID)})
	})
	if err != nil {
		return fmt.Errorf("store: unbind group chat %d: %w", chatID, err)
	}
	return nil
}

// GroupChat returns chatID's binding; ErrNotFound when it has none.
func (db *DB) GroupChat(ctx context.Context, chatID int64) (GroupChat, error) {
	var g GroupChat
	err := db.getPrepared(ctx, nil, &g, "SELECT "+groupChatColumns+" FROM group_chats WHERE chat_id = $1", chatID)
	switch {
	case isNoRows(err):
		return GroupChat{}, fmt.Errorf("store: group chat %d: %w", chatID, ErrNotFound)
	case err != nil:
		return GroupChat{}, fmt.Errorf("store: group chat %d: %w", chatID, err)
	}
	g.BoundAt = g.BoundAt.UTC()
	return g, nil
}

// GroupChats returns every bound group, by chat id.
func (db *DB) GroupChats(ctx context.Context) ([]GroupChat, error) {
	var out []GroupChat
	if err := db.db.SelectContext(ctx, &out, "SELECT "+groupChatColumns+" FROM group_chats ORDER BY chat_id"); err != nil {
		return nil, fmt.Errorf("store: list group chats: %w", err)
	}
	for i := range out {
		out[i].BoundAt = out[i].BoundAt.UTC()
	}
	return out, nil
}
