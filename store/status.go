package store

import (
	"context"
	"fmt"
	"time"
)

// Counts are how much the store holds, for an overview.
type Counts struct {
	Provinces          int                         `json:"provinces"`
	Districts          int                         `json:"districts"`
	Communes           map[CommuneType]int         `json:"communes"`
	Posts              map[PostKind]map[Status]int `json:"posts"`
	Users              map[Role]int                `json:"users"`
	UsersGone          int                         `json:"users_gone"` // blocked the bot
	PendingInvitations int                         `json:"pending_invitations"`
}

// Counts counts the roster, the users and the invitations pending at now.
func (db *DB) Counts(ctx context.Context, now time.Time) (Counts, error) {
	c := Counts{Communes: map[CommuneType]int{}, Posts: map[PostKind]map[Status]int{}, Users: map[Role]int{}}
	var da args
	// The districts on the map of the view, the province's own unit
	// (District.Direct) not among them.
	districts := "SELECT count(*) FROM " + db.districtsTable(&da) + " d WHERE d.code <> d.province_code"
	for q, dst := range map[string]*int{
		"SELECT count(*) FROM provinces": &c.Provinces,
		districts:                        &c.Districts,
		"SELECT count(*) FROM users WHERE gone = " + db.boolean(true): &c.UsersGone,
	} {
		var qa []any
		if q == districts {
			qa = da
		}
		if err := db.db.GetContext(ctx, dst, q, qa...); err != nil {
			return Counts{}, fmt.Errorf("store: count: %w", err)
		}
	}
	if err := db.db.GetContext(ctx, &c.PendingInvitations, `SELECT count(*) FROM invitations
		WHERE used_by IS NULL AND revoked_at IS NULL AND expires_at > $1`, utc(now)); err != nil {
		return Counts{}, fmt.Errorf("store: count invitations: %w", err)
	}
	var types []struct {
		Type CommuneType `db:"type"`
		N    int         `db:"n"`
	}
	var ta args
	if err := db.db.SelectContext(ctx, &types, "SELECT c.type, count(*) AS n FROM "+db.communesTable(&ta)+" c GROUP BY c.type", ta...); err != nil {
		return Counts{}, fmt.Errorf("store: count communes: %w", err)
	}
	for _, t := range types {
		c.Communes[t.Type] = t.N
	}
	var posts []struct {
		Kind   PostKind `db:"kind"`
		Status Status   `db:"status"`
		N      int      `db:"n"`
	}
	var a args
	if err := db.db.SelectContext(ctx, &posts, "SELECT p.kind, p.status, count(*) AS n FROM "+db.countedPostsTable(&a, Scope{})+" p GROUP BY p.kind, p.status", a...); err != nil {
		return Counts{}, fmt.Errorf("store: count posts: %w", err)
	}
	for _, p := range posts {
		if c.Posts[p.Kind] == nil {
			c.Posts[p.Kind] = map[Status]int{}
		}
		c.Posts[p.Kind][p.Status] = p.N
	}
	var roles []struct {
		Role Role `db:"role"`
		N    int  `db:"n"`
	}
	if err := db.db.SelectContext(ctx, &roles, "SELECT role, count(*) AS n FROM users GROUP BY role"); err != nil {
		return Counts{}, fmt.Errorf("store: count users: %w", err)
	}
	for _, r := range roles {
		c.Users[r.Role] = r.N
	}
	return c, nil
}

// boolean writes a boolean literal as the dialect stores booleans.
func (db *DB) boolean(v bool) string {
	switch {
	case db.dialect == DialectSQLite && v:
		return "1"
	case db.dialect == DialectSQLite:
		return "0"
	case v:
		return "TRUE"
	}
	return "FALSE"
}

// SchemaVersion is the version of the newest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: schema version of %s: %w", db.dialect, err)
	}
	return v, nil
}

// LastAudit returns the newest audit entry of one of the actions;
// ErrNotFound when there is none.
func (db *DB) LastAudit(ctx context.Context, actions ...string) (AuditEntry, error) {
	var a args
	var e AuditEntry
	err := db.db.GetContext(ctx, &e, "SELECT id, at, actor, action, detail FROM audit WHERE action IN ("+list(&a, actions)+
		") ORDER BY at DESC, id DESC LIMIT 1", a...)
	if isNoRows(err) {
		return AuditEntry{}, fmt.Errorf("store: last %v: %w", actions, ErrNotFound)
	}
	if err != nil {
		return AuditEntry{}, fmt.Errorf("store: last %v: %w", actions, err)
	}
	e.At = e.At.UTC()
	return e, nil
}
