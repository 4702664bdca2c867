package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// AnnouncementKind is the outbox kind of an announcement's messages.
const AnnouncementKind = "announcement"

// Announcement is a message a province or district user sent to everyone
// of some roles in their scope (/thongbao). Its messages go through the
// outbox, one item per recipient, keyed AnnouncementKey.
type Announcement struct {
	ID        int64
	SenderID  int64
	Scope     Scope
	Roles     []Role // the roles addressed
	Text      string
	CreatedAt time.Time
}

// AnnouncementRoles are the roles an announcement to scope s may address,
// in the order they are offered: a district reaches its communes and its
// other heads, a province everyone in it; another scope, nobody.
func AnnouncementRoles(s Scope) []Role {
	switch s.Role {
	case RoleProvince:
		return []Role{RoleCommune, RoleDistrict, RoleUnit, RoleProvince}
	case RoleDistrict:
		return []Role{RoleCommune, RoleDistrict}
	case RoleNational:
		return []Role{RoleCommune, RoleDistrict, RoleUnit, RoleProvince, RoleNational}
	}
	return nil
}

// AnnouncementKey is the outbox key of an announcement's message to one
// chat: an announcement is never sent twice to anyone.
func AnnouncementKey(id, chatID int64) string {
	return "announce:" + strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(chatID, 10)
}

// AnnouncementRecipients returns who an announcement of sender to the
// roles of scope s reaches, by Telegram id: the users of those roles in
// the scope, less the sender and those who blocked the bot.
func (db *DB) AnnouncementRecipients(ctx context.Context, s Scope, roles []Role, sender int64) ([]User, error) {
	users, err := db.Users(ctx, s)
	if err != nil {
		return nil, err
	}
	out := users[:0]
	for _, u := range users {
		if u.TelegramID != sender && !u.Gone && slices.Contains(roles, u.Role) {
			out = append(out, u)
		}
	}
	return out, nil
}

// CreateAnnouncement records a and its recipients and puts one outbox item
// per recipient, due at a.CreatedAt, in one transaction: the message to
// chat is payload(id, chat), id being the announcement's. It returns the
// id.
func (db *DB) CreateAnnouncement(ctx context.Context, a Announcement, recipients []int64, payload func(id, chat int64) (string, error)) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		roles := make([]string, len(a.Roles))
		for i, r := range a.Roles {
			roles[i] = string(r)
		}
		err := tx.GetContext(ctx, &id, `INSERT INTO announcements (sender_id, scope_role, scope_code, roles, text, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			a.SenderID, a.Scope.Role, a.Scope.Code, strings.Join(roles, ","), a.Text, utc(a.CreatedAt))
		if err != nil {
			return fmt.Errorf("write announcement: %w", err)
		}
		items := make([]OutboxItem, len(recipients))
		for i, chat := range recipients {
			body, err := payload(id, chat)
			if err != nil {
				return err
			}
			items[i] = OutboxItem{Key: AnnouncementKey(id, chat), ChatID: chat, Kind: AnnouncementKind, Payload: body, DueAt: a.CreatedAt}
		}
		for chunk := range slices.Chunk(recipients, batchRows) {
			b := db.bulkArgs()
			values := make([]string, len(chunk))
			for i, chat := range chunk {
				values[i] = "(" + b.add(id) + ", " + b.add(chat) + ")"
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO announcement_recipients (announcement_id, telegram_id) VALUES "+strings.Join(values, ", "), b.args...); err != nil {
				return fmt.Errorf("write recipients: %w", err)
			}
		}
		if _, err := db.enqueue(ctx, tx, items); err != nil {
			return err
		}
		actor := "user:" + strconv.FormatInt(a.SenderID, 10)
		if a.SenderID == 0 {
			actor = "cli" // sent from the command line, by nobody of the chat
		}
		return db.audit(ctx, tx, AuditEntry{At: a.CreatedAt, Actor: actor, Action: "announce",
			Detail: fmt.Sprintf("id=%d scope=%s:%s roles=%s recipients=%d", id, a.Scope.Role, a.Scope.Code, strings.Join(roles, ","), len(recipients))})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create announcement: %w", err)
	}
	return id, nil
}

// Announcement returns one announcement; ErrNotFound if the id is unknown.
func (db *DB) Announcement(ctx context.Context, id int64) (Announcement, error) {
	var r struct {
		ID        int64     `db:"id"`
		SenderID  int64     `db:"sender_id"`
		ScopeRole Role      `db:"scope_role"`
		ScopeCode string    `db:"scope_code"`
		Roles     string    `db:"roles"`
		Text      string    `db:"text"`
		CreatedAt time.Time `db:"created_at"`
	}
	err := db.db.GetContext(ctx, &r, "SELECT id, sender_id, scope_role, scope_code, roles, text, created_at FROM announcements WHERE id = $1", id)
	if isNoRows(err) {
		return Announcement{}, fmt.Errorf("store: announcement %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Announcement{}, fmt.Errorf("store: read announcement %d: %w", id, err)
	}
	a := Announcement{ID: r.ID, SenderID: r.SenderID, Scope: Scope{Role: r.ScopeRole, Code: r.ScopeCode}, Text: r.Text, CreatedAt: r.CreatedAt.UTC()}
	for _, role := range strings.Split(r.Roles, ",") {
		a.Roles = append(a.Roles, Role(role))
	}
	return a, nil
}

// MarkAnnouncementRead records that the user read the announcement at at.
// It reports whether they are one of its recipients (a press by anyone
// else changes nothing) and whether this was their first press.
func (db *DB) MarkAnnouncementRead(ctx context.Context, id, telegramID int64, at time.Time) (recipient, first bool, err error) {
	res, err := db.db.ExecContext(ctx, `UPDATE announcement_recipients SET read_at = $3
		WHERE announcement_id = $1 AND telegram_id = $2 AND read_at IS NULL`, id, telegramID, utc(at))
	if err != nil {
		return false, false, fmt.Errorf("store: mark announcement %d read: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, false, fmt.Errorf("store: mark announcement %d read: %w", id, err)
	}
	if n > 0 {
		return true, true, nil
	}
	var count int
	if err := db.db.GetContext(ctx, &count, "SELECT count(*) FROM announcement_recipients WHERE announcement_id = $1 AND telegram_id = $2", id, telegramID); err != nil {
		return false, false, fmt.Errorf("store: mark announcement %d read: %w", id, err)
	}
	return count > 0, false, nil
}

// AnnouncementReader is one recipient of an announcement: who they are,
// whether and when they read it.
type AnnouncementReader struct {
	User   User
	ReadAt *time.Time
}

// AnnouncementReaders returns every recipient of the announcement, by
// Telegram id, with their role and scope as they are now (a user removed
// since keeps their id and nothing else).
func (db *DB) AnnouncementReaders(ctx context.Context, id int64) ([]AnnouncementReader, error) {
	var rows []struct {
		TelegramID int64      `db:"telegram_id"`
		ReadAt     *time.Time `db:"read_at"`
		Name       *string    `db:"name"`
		Role       *Role      `db:"role"`
		Scope      *string    `db:"scope"`
		Gone       *bool      `db:"gone"`
	}
	err := db.db.SelectContext(ctx, &rows, `SELECT r.telegram_id, r.read_at, u.name, u.role, u.scope, u.gone
		FROM announcement_recipients r LEFT JOIN users u ON u.telegram_id = r.telegram_id
		WHERE r.announcement_id = $1 ORDER BY r.telegram_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: readers of announcement %d: %w", id, err)
	}
	out := make([]AnnouncementReader, len(rows))
	for i, r := range rows {
		u := User{TelegramID: r.TelegramID}
		if r.Name != nil {
			u.Name, u.Role, u.Scope, u.Gone = *r.Name, *r.Role, *r.Scope, *r.Gone
		}
		out[i] = AnnouncementReader{User: u, ReadAt: utcPtr(r.ReadAt)}
	}
	return out, nil
}
