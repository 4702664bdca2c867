package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// CreateInvitations stores a batch of invitations, all or none, with one
// audit entry for the batch. With replace, the invitations pending in the
// scope at that moment for the roles of the batch are revoked in the same
// transaction: a batch made again takes the place of the earlier one.
func (db *DB) CreateInvitations(ctx context.Context, invs []Invitation, replace *Scope, actor string, at time.Time) (revoked int, err error) {
	err = db.inTx(ctx, func(tx *sqlx.Tx) error {
		if replace != nil {
			var roles []Role
			for _, inv := range invs {
				if !slices.Contains(roles, inv.Role) {
					roles = append(roles, inv.Role)
				}
			}
			old, err := revokePending(ctx, tx, *replace, roles, actor, at)
			if err != nil {
				return err
			}
			revoked = len(old)
		}
		for _, inv := range invs {
			if !inv.Role.Valid() {
				return fmt.Errorf("unknown role %q", inv.Role)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (code, role, scope, name, created_by, created_at, expires_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				inv.Code, inv.Role, inv.Scope, inv.Name, inv.CreatedBy, utc(inv.CreatedAt), utc(inv.ExpiresAt)); err != nil {
				return fmt.Errorf("write invitation: %w", err)
			}
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: actor, Action: "create_invitations",
			Detail: fmt.Sprintf("%d invitations, %d revoked", len(invs), revoked)})
	})
	if err != nil {
		return 0, fmt.Errorf("store: create invitations: %w", err)
	}
	return revoked, nil
}

// invitationsIn is the condition that an invitation's scope lies inside
// s: a province's take in its districts' and communes' invitations.
func invitationsIn(s Scope, a *args) (string, error) {
	switch s.Role {
	case "":
		return "1 = 1", nil
	case RoleProvince:
		p := a.add(s.Code)
		return "((i.role = 'province' AND i.scope = " + p + ") OR id.province_code = " + p + " OR icd.province_code = " + p + " OR iu.province_code = " + p + ")", nil
	case RoleDistrict:
		p := a.add(s.Code)
		return "((i.role = 'district' AND i.scope = " + p + ") OR ic.district_code = " + p + ")", nil
	case RoleCommune:
		return "(i.role = 'commune' AND i.scope = " + a.add(s.Code) + ")", nil
	case RoleUnit:
		return "(i.role = 'unit' AND i.scope = " + a.add(s.Code) + ")", nil
	}
	return "", fmt.Errorf("store: unknown scope role %q", s.Role)
}

const invitationJoins = ` FROM invitations i
	LEFT JOIN districts id ON i.role = 'district' AND id.code = i.scope
	LEFT JOIN communes ic ON i.role = 'commune' AND ic.code = i.scope
	LEFT JOIN districts icd ON icd.code = ic.district_code
	LEFT JOIN units iu ON i.role = 'unit' AND iu.code = i.scope`

// PendingInvitations returns the invitations inside the scope that can
// still be redeemed at now, oldest first.
func (db *DB) PendingInvitations(ctx context.Context, s Scope, now time.Time) ([]Invitation, error) {
	var a args
	where, err := invitationsIn(s, &a)
	if err != nil {
		return nil, err
	}
	q := "SELECT " + invitationColumnsOf("i") + invitationJoins + " WHERE " + where +
		" AND i.used_by IS NULL AND i.revoked_at IS NULL AND i.expires_at > " + a.add(utc(now)) +
		" ORDER BY i.created_at, i.role, i.scope, i.code"
	var out []Invitation
	if err := db.db.SelectContext(ctx, &out, q, a...); err != nil {
		return nil, fmt.Errorf("store: list invitations: %w", err)
	}
	for i := range out {
		out[i] = normaliseInvitation(out[i])
	}
	return out, nil
}

// invitationColumnsOf is invitationColumns of the table named alias.
func invitationColumnsOf(alias string) string {
	cols := strings.Split(invitationColumns, ", ")
	for i, c := range cols {
		cols[i] = alias + "." + c
	}
	return strings.Join(cols, ", ")
}

// RevokeInvitations cancels the pending invitations inside the scope, or
// the one whose code is given when code is not empty, and returns those
// it cancelled. A code that is unknown is ErrInvitationUnknown; one that
// was used, ErrInvitationUsed; one revoked before, ErrInvitationRevoked.
func (db *DB) RevokeInvitations(ctx context.Context, s Scope, code, actor string, now time.Time) ([]Invitation, error) {
	var revoked []Invitation
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		if code != "" {
			inv, err := invitation(ctx, tx, code)
			if err != nil {
				return err
			}
			switch {
			case inv.UsedBy != nil:
				return ErrInvitationUsed
			case inv.RevokedAt != nil:
				return ErrInvitationRevoked
			}
			revoked = []Invitation{inv}
			if err := revoke(ctx, tx, code, actor, now); err != nil {
				return err
			}
		} else {
			var err error
			if revoked, err = revokePending(ctx, tx, s, nil, actor, now); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%d invitations of %s %s", len(revoked), s.Role, s.Code)
		if code != "" {
			detail = "invitation " + code
		}
		return db.audit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "revoke_invitations", Detail: detail})
	})
	if err != nil {
		return nil, fmt.Errorf("store: revoke invitations: %w", err)
	}
	return revoked, nil
}

// revokePending revokes the invitations pending in the scope at now, of
// the roles given (of every role when none is).
func revokePending(ctx context.Context, tx *sqlx.Tx, s Scope, roles []Role, actor string, now time.Time) ([]Invitation, error) {
	var a args
	where, err := invitationsIn(s, &a)
	if err != nil {
		return nil, err
	}
	if len(roles) > 0 {
		where += " AND i.role IN (" + list(&a, roles) + ")"
	}
	q := "SELECT " + invitationColumnsOf("i") + invitationJoins + " WHERE " + where +
		" AND i.used_by IS NULL AND i.revoked_at IS NULL AND i.expires_at > " + a.add(utc(now)) + " ORDER BY i.code"
	var pending []Invitation
	if err := tx.SelectContext(ctx, &pending, q, a...); err != nil {
		return nil, fmt.Errorf("list invitations: %w", err)
	}
	for i, inv := range pending {
		if err := revoke(ctx, tx, inv.Code, actor, now); err != nil {
			return nil, err
		}
		pending[i] = normaliseInvitation(inv)
	}
	return pending, nil
}

func revoke(ctx context.Context, tx *sqlx.Tx, code, actor string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, "UPDATE invitations SET revoked_at = $2, revoked_by = $3 WHERE code = $1", code, utc(now), actor); err != nil {
		return fmt.Errorf("revoke invitation: %w", err)
	}
	return nil
}

// SetServiceFact records something the service learnt about itself, such
// as the bot's username from getMe, for the commands run beside it.
func (db *DB) SetServiceFact(ctx context.Context, name, value string, at time.Time) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO service_facts (name, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, name, value, utc(at))
	if err != nil {
		return fmt.Errorf("store: record %s: %w", name, err)
	}
	return nil
}

// ServiceFact returns a fact SetServiceFact recorded; ErrNotFound if none.
func (db *DB) ServiceFact(ctx context.Context, name string) (string, error) {
	var v string
	err := db.db.GetContext(ctx, &v, "SELECT value FROM service_facts WHERE name = $1", name)
	if isNoRows(err) {
		return "", fmt.Errorf("store: %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("store: read %s: %w", name, err)
	}
	return v, nil
}

// FactBotUsername is the service fact of the bot's username.
const FactBotUsername = "bot_username"
