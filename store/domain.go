// Package store holds caxbot's domain types and their durable persistence:
// Postgres (sqlx + lib/pq) in production, an embedded SQLite file by default.
// Both speak the same SQL through one DB type; the few differences live in
// the migrations of each dialect.
package store

import (
	"fmt"
	"time"
)

// PostKind is one of the three posts of a commune police station.
type PostKind string

const (
	Chief   PostKind = "chief"   // Trưởng Công an xã, one per commune
	Deputy  PostKind = "deputy"  // Phó Trưởng Công an xã
	Officer PostKind = "officer" // công an viên
)

// PostKinds lists the kinds in the order they are shown.
var PostKinds = []PostKind{Chief, Deputy, Officer}

// Valid reports whether k is a known kind.
func (k PostKind) Valid() bool { return k == Chief || k == Deputy || k == Officer }

// Status says who holds a post.
type Status string

const (
	Regular Status = "regular" // chính quy: the target state
	Semi    Status = "semi"    // bán chuyên trách: to be replaced
	Vacant  Status = "vacant"  // trống
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == Regular || s == Semi || s == Vacant }

// CommuneType is the kind of commune-level unit, spelled as in the
// statistics office's list.
type CommuneType string

const (
	Xa      CommuneType = "xã"
	ThiTran CommuneType = "thị trấn"
	Phuong  CommuneType = "phường"
)

// Valid reports whether t is a known commune type.
func (t CommuneType) Valid() bool { return t == Xa || t == ThiTran || t == Phuong }

// Role is what a user may see and do.
type Role string

const (
	RoleCommune  Role = "commune"  // one commune: its staff
	RoleDistrict Role = "district" // one district: its heads
	RoleProvince Role = "province" // one province: the provincial police
	// RoleNational sees the whole roster (the Ministry); its scope code
	// is not a place and is not read.
	RoleNational Role = "national"
	// RoleUnit is a reporting unit's user (a sở, a ngành, a department of
	// the provincial police): its scope is the unit's code. It files what
	// the unit's milestones ask and receives announcements; the roster of
	// communes is not its to see.
	RoleUnit Role = "unit"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleCommune || r == RoleDistrict || r == RoleProvince || r == RoleNational || r == RoleUnit
}

// Province is a province-level unit.
type Province struct {
	Code string `db:"code"`
	Name string `db:"name"`
}

// District is a district-level unit (huyện, thành phố thuộc tỉnh).
type District struct {
	Code         string `db:"code"`
	Name         string `db:"name"`
	ProvinceCode string `db:"province_code"`
}

// ReportingUnit is a reporting unit besides the districts: a department (sở,
// ngành) of the province, or one of the provincial police, that files its
// own implementation plan. Its code has a letter first (SNV, PTCCB), so
// that it is never a district's or a commune's.
type ReportingUnit struct {
	Code         string `db:"code"`
	Name         string `db:"name"`
	ProvinceCode string `db:"province_code"`
}

// Direct reports whether d is the province itself, holding its communes
// directly once the district level is abolished (ImportMapChanges makes
// it, with the province's code).
func (d District) Direct() bool { return d.Code == d.ProvinceCode }

// Commune is a commune-level unit (xã, phường, thị trấn).
type Commune struct {
	Code         string      `db:"code"`
	Name         string      `db:"name"`
	Type         CommuneType `db:"type"`
	DistrictCode string      `db:"district_code"`
}

// InPlan reports whether the plan covers the commune by default: wards
// (phường) had regular police before the plan and are outside it.
func (c Commune) InPlan() bool { return c.Type == Xa || c.Type == ThiTran }

// Post is one seat of a commune police station: (commune, kind, slot) is
// its identity; slots count from 1 within a kind.
type Post struct {
	CommuneCode string     `db:"commune_code"`
	Kind        PostKind   `db:"kind"`
	Slot        int        `db:"slot"`
	Status      Status     `db:"status"`
	Holder      string     `db:"holder"`
	Since       *time.Time `db:"since"` // the day the holder took the post, if known
}

// PostRef names a post without its state.
type PostRef struct {
	CommuneCode string
	Kind        PostKind
	Slot        int
}

func (r PostRef) String() string { return fmt.Sprintf("%s/%s/%d", r.CommuneCode, r.Kind, r.Slot) }

// Ref returns the post's identity.
func (p Post) Ref() PostRef { return PostRef{p.CommuneCode, p.Kind, p.Slot} }

// Report is one change of a post, append-only: the audit trail of the
// roster. Actor is "user:<telegram id>" or "import:<file name>".
type Report struct {
	ID          int64      `db:"id"`
	CommuneCode string     `db:"commune_code"`
	Kind        PostKind   `db:"kind"`
	Slot        int        `db:"slot"`
	OldStatus   Status     `db:"old_status"` // empty when the post did not exist
	NewStatus   Status     `db:"new_status"`
	OldHolder   string     `db:"old_holder"`
	NewHolder   string     `db:"new_holder"`
	Since       *time.Time `db:"since"`
	Actor       string     `db:"actor"`
	Source      string     `db:"source"` // the message or file line it came through
	// Carried is, for a report a map change wrote when it carried a post
	// to the commune that took over its own, the post it was
	// ("04852/chief/1"); empty for a change of the post.
	Carried string    `db:"carried"`
	At      time.Time `db:"at"`
}

// User is a person known to the bot.
type User struct {
	TelegramID int64     `db:"telegram_id"`
	Name       string    `db:"name"`
	Role       Role      `db:"role"`
	Scope      string    `db:"scope"` // a commune, district or province code, by Role
	Lang       string    `db:"lang"`  // "vi" or "en"; empty until chosen
	Gone       bool      `db:"gone"`  // blocked the bot: never send again
	CreatedAt  time.Time `db:"created_at"`
}

// Invitation is a one-time code that binds whoever redeems it to a role
// and scope.
type Invitation struct {
	Code      string     `db:"code"`
	Role      Role       `db:"role"`
	Scope     string     `db:"scope"`
	Name      string     `db:"name"` // who it is meant for, as the inviter wrote it
	CreatedBy string     `db:"created_by"`
	CreatedAt time.Time  `db:"created_at"`
	ExpiresAt time.Time  `db:"expires_at"`
	UsedBy    *int64     `db:"used_by"`
	UsedAt    *time.Time `db:"used_at"`
	RevokedAt *time.Time `db:"revoked_at"`
	RevokedBy string     `db:"revoked_by"`
}

// Pending reports whether the invitation can still be redeemed at now.
func (inv Invitation) Pending(now time.Time) bool {
	return inv.UsedBy == nil && inv.RevokedAt == nil && now.Before(inv.ExpiresAt)
}

// AuditEntry records one administrative action.
type AuditEntry struct {
	ID     int64     `db:"id"`
	At     time.Time `db:"at"`
	Actor  string    `db:"actor"`
	Action string    `db:"action"`
	Detail string    `db:"detail"`
}

// OutboxState is where an outbox item is in its life.
type OutboxState string

const (
	OutboxPending OutboxState = "pending" // waiting to be sent or retried
	OutboxSent    OutboxState = "sent"
	OutboxGone    OutboxState = "gone"   // the recipient blocked the bot
	OutboxFailed  OutboxState = "failed" // gave up after retries
)

// OutboxItem is one scheduled message to one chat. Key is unique:
// (occasion, recipient), so that an occasion is never sent twice.
type OutboxItem struct {
	ID      int64  `db:"id"`
	Key     string `db:"key"`
	ChatID  int64  `db:"chat_id"`
	Kind    string `db:"kind"`    // reminder, digest, ...
	Payload string `db:"payload"` // JSON understood by the sender
	// FileRef names the stored file the payload sends (PutOutboxFile),
	// if any: the retention job keeps a file while an item names it.
	FileRef     string      `db:"file_hash"`
	DueAt       time.Time   `db:"due_at"`
	State       OutboxState `db:"state"`
	Attempts    int         `db:"attempts"`
	NextAttempt time.Time   `db:"next_attempt"`
	SentAt      *time.Time  `db:"sent_at"`
	LastError   string      `db:"last_error"`
	CreatedAt   time.Time   `db:"created_at"`
}
