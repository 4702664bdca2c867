package store

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caxbot/caxbot/store/sheets"
)

// UserColumns is the header of a users file: people whose Telegram ids
// are known, with the role and scope each gets.
var UserColumns = []string{"telegram_id", "role", "scope", "name"}

// UserRow is one line of a users file.
type UserRow struct {
	Line int
	User User
}

// roleWords are what people write in a role column besides the codes:
// the roles' Vietnamese names, read without case or diacritics.
var roleWords = map[string]Role{
	"xa": RoleCommune, "cong an xa": RoleCommune,
	"huyen": RoleDistrict, "lanh dao huyen": RoleDistrict,
	"tinh": RoleProvince, "cong an tinh": RoleProvince,
	"don vi": RoleUnit, "so nganh": RoleUnit, "so, nganh": RoleUnit,
}

// scopeWidths are the digits of the code each role's scope is.
var scopeWidths = map[Role]int{RoleCommune: 5, RoleDistrict: 3, RoleProvince: 2}

// ParseUsers reads a users file: the header UserColumns, then one user
// per line. role is any role Role.Valid accepts (or its Vietnamese name:
// xã, huyện, tỉnh); scope the code of the role's commune, district or
// province; the same Telegram id twice is a problem. Whether each scope
// exists is for the database import to check (unknown_scope).
func ParseUsers(r io.Reader) ([]UserRow, error) {
	return parseReader(r, ParseUsersSheet)
}

// ParseUsersSheet is ParseUsers of a table ReadSheet read. With problems
// it returns them and the rows that have none.
func ParseUsersSheet(t *sheets.Table) ([]UserRow, ParseNotes, error) {
	return parsePeople(t, [][]string{UserColumns}, true)
}

// InviteeColumns is the header of a file of people to invite: the role
// and scope of each, and their name if known (it becomes the user's
// name; without it the name they have on Telegram does).
var (
	InviteeColumns         = []string{"role", "scope", "name"}
	InviteeColumnsNameless = []string{"role", "scope"}
)

// ParseInviteesSheet reads a file of people to invite with the rules of
// ParseUsers; the rows' Telegram ids are 0.
func ParseInviteesSheet(t *sheets.Table) ([]UserRow, ParseNotes, error) {
	return parsePeople(t, [][]string{InviteeColumnsNameless, InviteeColumns}, false)
}

func parsePeople(t *sheets.Table, headers [][]string, withID bool) ([]UserRow, ParseNotes, error) {
	ids := make(map[int64]int) // → line
	return parseTable(t, headers, func(c *rowCells) (UserRow, bool) {
		var u User
		if withID {
			if v, _ := c.value("telegram_id"); v == "" {
				c.fail("telegram_id", ProblemEmptyValue, "")
			} else if id, err := strconv.ParseInt(v, 10, 64); err != nil || id <= 0 {
				c.fail("telegram_id", ProblemBadTelegramID, v)
			} else if first, dup := ids[id]; dup {
				c.clash("telegram_id", ProblemDuplicateUser, v, first)
			} else {
				u.TelegramID, ids[id] = id, c.line
			}
		}
		if v, _ := c.value("role"); v == "" {
			c.fail("role", ProblemEmptyValue, "")
		} else if u.Role = Role(strings.ToLower(v)); !u.Role.Valid() {
			if r, ok := roleWords[foldName(v)]; ok {
				u.Role = r
			} else {
				c.fail("role", ProblemUnknownRole, v)
			}
		}
		if w, ok := scopeWidths[u.Role]; ok {
			u.Scope = c.code("scope", w)
		} else if u.Role == RoleUnit {
			u.Scope = strings.ToUpper(c.text("scope", true))
		} else {
			u.Scope = c.text("scope", true)
		}
		u.Name = c.text("name", withID)
		return UserRow{Line: c.line, User: u}, true
	})
}

// CheckUserRows reports the rows whose scope is not a place of their
// role's level in the store: a commune code for commune users, and so on.
func (db *DB) CheckUserRows(ctx context.Context, rows []UserRow) (ImportErrors, error) {
	var bad ImportErrors
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		bad, err = db.checkUserRows(ctx, tx, rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: check users: %w", err)
	}
	return bad, nil
}

func (db *DB) checkUserRows(ctx context.Context, tx *sqlx.Tx, rows []UserRow) (ImportErrors, error) {
	// The places on today's map: a unit a change ended, or the province's
	// own unit that holds its communes once districts end, is no scope.
	tables := map[Role]string{
		RoleCommune:  "communes WHERE valid_to IS NULL",
		RoleDistrict: "districts WHERE valid_to IS NULL AND code <> province_code",
		RoleProvince: "provinces",
		RoleUnit:     "units",
	}
	known := make(map[Role]map[string]bool)
	for role, table := range tables {
		var codes []string
		if err := tx.SelectContext(ctx, &codes, "SELECT code FROM "+table); err != nil {
			return nil, fmt.Errorf("read %s: %w", table, err)
		}
		known[role] = make(map[string]bool, len(codes))
		for _, c := range codes {
			known[role][c] = true
		}
	}
	var bad ImportErrors
	for _, r := range rows {
		// A role without a table of its own (none yet) has its scope
		// checked where it is used.
		if codes, ok := known[r.User.Role]; ok && !codes[r.User.Scope] {
			bad = append(bad, ImportError{Line: r.Line, Column: "scope", Problem: ProblemUnknownScope, Value: r.User.Scope})
		}
	}
	return bad, nil
}

// ImportUsers adds or updates the users of a users file, all or nothing,
// in one transaction: a scope the store does not know fails the whole
// import, with every such line reported. An existing user keeps the
// language they chose and the day they joined. Added counts new users,
// Changed those whose name, role or scope changed.
func (db *DB) ImportUsers(ctx context.Context, rows []UserRow, source string, at time.Time) (ImportResult, error) {
	var res ImportResult
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		bad, err := db.checkUserRows(ctx, tx, rows)
		if err != nil {
			return err
		}
		if len(bad) > 0 {
			return bad
		}
		for _, r := range rows {
			u := r.User
			old, err := userByID(ctx, tx, u.TelegramID)
			switch {
			case isNoRows(err):
				res.Added++
			case err != nil:
				return fmt.Errorf("read user %d: %w", u.TelegramID, err)
			case old.Name == u.Name && old.Role == u.Role && old.Scope == u.Scope && !old.Gone:
				res.Unchanged++
				continue
			default:
				res.Changed++
			}
			u.CreatedAt = at
			if err := upsertUser(ctx, tx, u); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: "import:" + source, Action: "import_users",
			Detail: fmt.Sprintf("added=%d changed=%d unchanged=%d", res.Added, res.Changed, res.Unchanged)})
	})
	if err != nil {
		if _, ok := err.(ImportErrors); ok {
			return ImportResult{}, err
		}
		return ImportResult{}, fmt.Errorf("store: import users from %s: %w", source, err)
	}
	return res, nil
}

func userByID(ctx context.Context, tx *sqlx.Tx, id int64) (User, error) {
	var u User
	err := tx.GetContext(ctx, &u, "SELECT "+userColumns+" FROM users u WHERE u.telegram_id = $1", id)
	return u, err
}
