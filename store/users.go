package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
)

const userColumns = "u.telegram_id, u.name, u.role, u.scope, u.lang, u.gone, u.created_at"

func normaliseUser(u User) User {
	u.CreatedAt = u.CreatedAt.UTC()
	return u
}

// AddUser creates or updates the user with u's Telegram id. An existing
// user keeps the language they chose and the day they joined.
func (db *DB) AddUser(ctx context.Context, u User, actor string, at time.Time) error {
	if !u.Role.Valid() {
		return fmt.Errorf("store: add user %d: unknown role %q", u.TelegramID, u.Role)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = at
	}
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := upsertUser(ctx, tx, u); err != nil {
			return err
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: actor, Action: "add_user",
			Detail: fmt.Sprintf("telegram_id=%d role=%s scope=%s", u.TelegramID, u.Role, u.Scope)})
	})
	if err != nil {
		return fmt.Errorf("store: add user %d: %w", u.TelegramID, err)
	}
	return nil
}

func upsertUser(ctx context.Context, tx *sqlx.Tx, u User) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO users (telegram_id, name, role, scope, lang, gone, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (telegram_id) DO UPDATE
		SET name = excluded.name, role = excluded.role, scope = excluded.scope, gone = excluded.gone, gone_at = NULL,
			lang = CASE WHEN excluded.lang <> '' THEN excluded.lang ELSE users.lang END`,
		u.TelegramID, u.Name, u.Role, u.Scope, u.Lang, u.Gone, utc(u.CreatedAt))
	if err != nil {
		return fmt.Errorf("write user: %w", err)
	}
	return nil
}

// User returns one user; ErrNotFound if the id is unknown.
func (db *DB) User(ctx context.Context, telegramID int64) (User, error) {
	var u User
	err := db.getPrepared(ctx, nil, &u, "SELECT "+userColumns+" FROM users u WHERE u.telegram_id = $1", telegramID)
	if isNoRows(err) {
		return User{}, fmt.Errorf("store: user %d: %w", telegramID, ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("store: read user %d: %w", telegramID, err)
	}
	return normaliseUser(u), nil
}

// Users returns the users whose scope lies inside s, by Telegram id: a
// province sees its own users and those of its districts and communes.
func (db *DB) Users(ctx context.Context, s Scope) ([]User, error) {
	var a args
	var where string
	switch s.Role {
	case "", RoleNational:
		where = "1 = 1"
	case RoleProvince:
		p := a.add(s.Code)
		where = "(u.role = 'province' AND u.scope = " + p + ") OR ud.province_code = " + p + " OR ucd.province_code = " + p + " OR uu.province_code = " + p
	case RoleDistrict:
		p := a.add(s.Code)
		where = "(u.role = 'district' AND u.scope = " + p + ") OR uc.district_code = " + p
	case RoleCommune:
		where = "u.role = 'commune' AND u.scope = " + a.add(s.Code)
	case RoleUnit:
		where = "u.role = 'unit' AND u.scope = " + a.add(s.Code)
	default:
		return nil, fmt.Errorf("store: unknown scope role %q", s.Role)
	}
	q := "SELECT " + userColumns + ` FROM users u
		LEFT JOIN districts ud ON u.role = 'district' AND ud.code = u.scope
		LEFT JOIN units uu ON u.role = 'unit' AND uu.code = u.scope
		LEFT JOIN communes uc ON u.role = 'commune' AND uc.code = u.scope
		LEFT JOIN districts ucd ON ucd.code = uc.district_code
		WHERE ` + where + " ORDER BY u.telegram_id"
	var out []User
	if err := db.db.SelectContext(ctx, &out, q, a...); err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	for i := range out {
		out[i] = normaliseUser(out[i])
	}
	return out, nil
}

// UsersIn returns the users of scope s's own role and code, by Telegram
// id: a district's leaders, not its communes' users. One index lookup
// (users_scope_idx), where Users joins the map to find those below.
func (db *DB) UsersIn(ctx context.Context, s Scope) ([]User, error) {
	var out []User
	if err := db.selectPrepared(ctx, nil, &out, "SELECT "+userColumns+" FROM users u WHERE u.role = $1 AND u.scope = $2 ORDER BY u.telegram_id", s.Role, s.Code); err != nil {
		return nil, fmt.Errorf("store: list users of %s %s: %w", s.Role, s.Code, err)
	}
	for i := range out {
		out[i] = normaliseUser(out[i])
	}
	return out, nil
}

// UsersGeneration is a number that moves whenever any user is added,
// changed or removed, by whatever means (a trigger moves it): a process
// that keeps users in memory may keep them while it stands still.
func (db *DB) UsersGeneration(ctx context.Context) (int64, error) {
	var n int64
	if err := db.getPrepared(ctx, nil, &n, "SELECT n FROM generations WHERE name = 'users'"); err != nil {
		return 0, fmt.Errorf("store: read users generation: %w", err)
	}
	return n, nil
}

// UsersOfRole returns the users of one role, by Telegram id: the
// recipients of a job that concerns one role only.
func (db *DB) UsersOfRole(ctx context.Context, role Role) ([]User, error) {
	var out []User
	if err := db.db.SelectContext(ctx, &out, "SELECT "+userColumns+" FROM users u WHERE u.role = $1 ORDER BY u.telegram_id", role); err != nil {
		return nil, fmt.Errorf("store: list %s users: %w", role, err)
	}
	for i := range out {
		out[i] = normaliseUser(out[i])
	}
	return out, nil
}

// UsersByID returns the users with the given Telegram ids that exist, by
// id, with their names, roles and scopes: the people a list of reports
// names, each with their position.
func (db *DB) UsersByID(ctx context.Context, ids []int64) (map[int64]User, error) {
	out := make(map[int64]User, len(ids))
	for chunk := range slices.Chunk(ids, batchRows) {
		a := db.bulkArgs()
		var rows []User
		if err := db.db.SelectContext(ctx, &rows, "SELECT telegram_id, name, role, scope FROM users WHERE telegram_id IN ("+list(a, chunk)+")", a.args...); err != nil {
			return nil, fmt.Errorf("store: %d users by id: %w", len(ids), err)
		}
		for _, u := range rows {
			out[u.TelegramID] = u
		}
	}
	return out, nil
}

// RemoveUser deletes a user; ErrNotFound if the id is unknown.
func (db *DB) RemoveUser(ctx context.Context, telegramID int64, actor string, at time.Time) error {
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM users WHERE telegram_id = $1", telegramID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: actor, Action: "remove_user", Detail: fmt.Sprintf("telegram_id=%d", telegramID)})
	})
	if err != nil {
		return fmt.Errorf("store: remove user %d: %w", telegramID, err)
	}
	return nil
}

// SetUserLang records the language a user chose.
func (db *DB) SetUserLang(ctx context.Context, telegramID int64, lang string) error {
	return db.updateUser(ctx, telegramID, "set language", "UPDATE users SET lang = $2 WHERE telegram_id = $1", lang)
}

// MarkUserGone records that the user blocked the bot: nothing is sent to
// them again until they are added or redeem an invitation anew.
func (db *DB) MarkUserGone(ctx context.Context, telegramID int64, at time.Time) error {
	return db.updateUser(ctx, telegramID, "mark gone", "UPDATE users SET gone = $2, gone_at = $3 WHERE telegram_id = $1", true, utc(at))
}

func (db *DB) updateUser(ctx context.Context, telegramID int64, what, q string, values ...any) error {
	res, err := db.db.ExecContext(ctx, q, append([]any{telegramID}, values...)...)
	if err != nil {
		return fmt.Errorf("store: %s of user %d: %w", what, telegramID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: %s of user %d: %w", what, telegramID, err)
	} else if n == 0 {
		return fmt.Errorf("store: %s of user %d: %w", what, telegramID, ErrNotFound)
	}
	return nil
}

// CreateInvitation stores a new invitation.
func (db *DB) CreateInvitation(ctx context.Context, inv Invitation) error {
	if !inv.Role.Valid() {
		return fmt.Errorf("store: create invitation: unknown role %q", inv.Role)
	}
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO invitations (code, role, scope, name, created_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			inv.Code, inv.Role, inv.Scope, inv.Name, inv.CreatedBy, utc(inv.CreatedAt), utc(inv.ExpiresAt))
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, AuditEntry{At: inv.CreatedAt, Actor: inv.CreatedBy, Action: "create_invitation",
			Detail: fmt.Sprintf("role=%s scope=%s expires=%s", inv.Role, inv.Scope, utc(inv.ExpiresAt).Format(time.RFC3339))})
	})
	if err != nil {
		return fmt.Errorf("store: create invitation: %w", err)
	}
	return nil
}

// Invitation returns one invitation; ErrInvitationUnknown if the code is
// unknown.
func (db *DB) Invitation(ctx context.Context, code string) (Invitation, error) {
	inv, err := invitation(ctx, db.db, code)
	if err != nil {
		return Invitation{}, fmt.Errorf("store: read invitation: %w", err)
	}
	return inv, nil
}

func invitation(ctx context.Context, q sqlx.QueryerContext, code string) (Invitation, error) {
	var inv Invitation
	err := sqlx.GetContext(ctx, q, &inv, "SELECT "+invitationColumns+" FROM invitations WHERE code = $1", code)
	if isNoRows(err) {
		return Invitation{}, ErrInvitationUnknown
	}
	if err != nil {
		return Invitation{}, err
	}
	return normaliseInvitation(inv), nil
}

const invitationColumns = "code, role, scope, name, created_by, created_at, expires_at, used_by, used_at, revoked_at, revoked_by"

func normaliseInvitation(inv Invitation) Invitation {
	inv.CreatedAt, inv.ExpiresAt = inv.CreatedAt.UTC(), inv.ExpiresAt.UTC()
	for _, t := range []**time.Time{&inv.UsedAt, &inv.RevokedAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	return inv
}

// RedeemInvitation binds telegramID to the invitation's role and scope,
// once: of two concurrent redeems exactly one wins. The user is named as
// the inviter wrote, or name when the inviter wrote none.
func (db *DB) RedeemInvitation(ctx context.Context, code string, telegramID int64, name string, at time.Time) (User, error) {
	var u User
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		// The conditional update is the claim: Postgres re-checks used_by
		// after waiting on a concurrent claim's row lock, SQLite has the
		// whole file locked already.
		res, err := tx.ExecContext(ctx, `UPDATE invitations SET used_by = $2, used_at = $3
			WHERE code = $1 AND used_by IS NULL AND revoked_at IS NULL AND expires_at > $3`, code, telegramID, utc(at))
		if err != nil {
			return err
		}
		inv, err := invitation(ctx, tx, code)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			switch {
			case inv.UsedBy != nil:
				return ErrInvitationUsed
			case inv.RevokedAt != nil:
				return ErrInvitationRevoked
			}
			return ErrInvitationExpired
		}
		u = User{TelegramID: telegramID, Name: inv.Name, Role: inv.Role, Scope: inv.Scope, CreatedAt: utc(at)}
		if u.Name == "" {
			u.Name = name
		}
		if err := upsertUser(ctx, tx, u); err != nil {
			return err
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: fmt.Sprintf("user:%d", telegramID), Action: "redeem_invitation",
			Detail: fmt.Sprintf("created_by=%s role=%s scope=%s", inv.CreatedBy, inv.Role, inv.Scope)})
	})
	if err != nil {
		return User{}, fmt.Errorf("store: redeem invitation: %w", err)
	}
	// Read back: an existing user keeps their language and first day.
	return db.User(ctx, telegramID)
}

// Audit records an administrative action.
func (db *DB) Audit(ctx context.Context, e AuditEntry) error {
	if err := db.audit(ctx, nil, e); err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

func (db *DB) audit(ctx context.Context, tx *sqlx.Tx, e AuditEntry) error {
	err := db.execPrepared(ctx, tx, "INSERT INTO audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)",
		utc(e.At), e.Actor, e.Action, e.Detail)
	if err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// AuditLog returns the newest audit entries first, at most limit (all when
// limit is 0 or less).
func (db *DB) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	var a args
	q := "SELECT id, at, actor, action, detail FROM audit ORDER BY at DESC, id DESC"
	if limit > 0 {
		q += " LIMIT " + a.add(limit)
	}
	var out []AuditEntry
	if err := db.db.SelectContext(ctx, &out, q, a...); err != nil {
		return nil, fmt.Errorf("store: read audit log: %w", err)
	}
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out, nil
}
