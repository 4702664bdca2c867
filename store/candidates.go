package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caxbot/caxbot/store/sheets"
)

// CandidateStatus is where a person of the register stands.
type CandidateStatus string

const (
	CandidateAvailable CandidateStatus = "available" // may be proposed from AvailableFrom on
	CandidateWithdrawn CandidateStatus = "withdrawn" // taken off the register by a later file
	CandidatePosted    CandidateStatus = "posted"    // accepted for a post
)

// Candidate is a person available for a commune post: a graduate of the
// year or a regular officer who can be transferred.
type Candidate struct {
	ID           string     // the personnel number the province's file gives
	Name         string     // checked as a holder's name (CleanHolder): it becomes one
	Rank         Rank       //
	ServiceSince *time.Time // the day they joined the police, if known (midnight UTC)
	HomeCommune  string     // commune code; the district follows from it
	// Posts are the posts the file lists for them; empty: any that the
	// plan's eligibility rule allows.
	Posts         []PostKind
	AvailableFrom time.Time // midnight UTC
	Notes         string    // e.g. the ethnic languages they speak
	Status        CandidateStatus
	Posted        *PostRef // the post they were accepted for
}

// CandidateEvent is one line of the register's history.
type CandidateEvent struct {
	CandidateID string    `db:"candidate_id"`
	Action      string    `db:"action"` // added, changed, withdrawn, returned, posted
	Detail      string    `db:"detail"` // what changed ("rank: thieu_uy → trung_uy"), or the post
	Actor       string    `db:"actor"`
	Source      string    `db:"source"`
	At          time.Time `db:"at"`
}

// The header of a register file, in this order; the second adds a status
// column that can take a person off the register (or put them back).
var (
	CandidateColumns           = []string{"id", "name", "rank", "service_since", "home_commune_code", "posts", "available_from", "notes"}
	CandidateColumnsWithStatus = append(slices.Clone(CandidateColumns), "status")
)

// Problems of a register file, besides the shared ones:
//
//	bad_candidate_id     an id that is not 1 to 32 letters, digits, "-", "_", "/" or "."
//	duplicate_candidate  the same id twice in the file (FirstLine the first)
//	unknown_rank         a rank that is not one of Ranks
//	unknown_candidate_status  not available (sẵn sàng) or withdrawn (rút)
//	unknown_commune      a home commune the store does not know (checked by the import)
const (
	ProblemBadCandidateID         Problem = "bad_candidate_id"
	ProblemDuplicateCandidate     Problem = "duplicate_candidate"
	ProblemUnknownCandidateStatus Problem = "unknown_candidate_status"
	maxCandidateIDLength                  = 32
	candidateIDChars                      = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/."
	candidateNotesMaxRunes                = 500
)

// CandidateRow is one line of a register file.
type CandidateRow struct {
	Line      int
	Candidate Candidate
	// HasStatus says the file has a status column: without one, a file
	// never takes anyone off the register.
	HasStatus bool
}

// postWords are what people write for a post besides its code.
var postWords = map[string]PostKind{
	"truong": Chief, "truong cong an xa": Chief, "truong ca": Chief, "truong cax": Chief,
	"pho": Deputy, "pho truong": Deputy, "pho truong cong an xa": Deputy, "pho ca": Deputy, "pho cax": Deputy,
	"cong an vien": Officer, "cav": Officer,
}

// ParsePostList reads a list of posts, "chief, deputy" or "Trưởng; Phó;
// công an viên", into kinds in PostKinds order, and the first word it
// does not know.
func ParsePostList(s string) ([]PostKind, string, bool) {
	var out []PostKind
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '/' || r == '+' }) {
		w = strings.TrimSpace(w)
		k := PostKind(strings.ToLower(w))
		if !k.Valid() {
			var ok bool
			if k, ok = postWords[foldName(w)]; !ok {
				return nil, w, false
			}
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b PostKind) int { return slices.Index(PostKinds, a) - slices.Index(PostKinds, b) })
	return out, "", true
}

// candidateStatusWords are what a status column may say.
var candidateStatusWords = map[string]CandidateStatus{
	"available": CandidateAvailable, "san sang": CandidateAvailable, "co": CandidateAvailable,
	"withdrawn": CandidateWithdrawn, "rut": CandidateWithdrawn, "rut khoi danh sach": CandidateWithdrawn, "khong": CandidateWithdrawn,
}

// ParseCandidatesSheet reads a register file: the header CandidateColumns
// (or CandidateColumnsWithStatus), then one person a line. id is required
// and unique; name is checked as a holder's name; rank is a rank as
// ParseRank reads it; service_since and available_from are dates
// (available_from required); home_commune_code a commune code; posts a
// list as ParsePostList reads it, empty for any post the plan's rule
// allows; notes free text; status, when the column is there, empty or
// available (sẵn sàng), or withdrawn (rút). Whether each home commune
// exists is for the database import to check (unknown_commune).
func ParseCandidatesSheet(t *sheets.Table) ([]CandidateRow, ParseNotes, error) {
	ids := make(map[string]int) // → line
	return parseTable(t, [][]string{CandidateColumns, CandidateColumnsWithStatus}, func(c *rowCells) (CandidateRow, bool) {
		var cand Candidate
		row := CandidateRow{Line: c.line}
		if v, _ := c.value("id"); v == "" {
			c.fail("id", ProblemEmptyValue, "")
		} else if len(v) > maxCandidateIDLength || strings.Trim(v, candidateIDChars) != "" {
			c.fail("id", ProblemBadCandidateID, v)
		} else if first, dup := ids[v]; dup {
			c.clash("id", ProblemDuplicateCandidate, v, first)
		} else {
			cand.ID, ids[v] = v, c.line
		}
		if v, ok := c.value("name"); ok {
			name, err := CleanHolder(v)
			var he *HolderError
			switch {
			case errors.As(err, &he):
				c.fail("name", he.Problem, he.Value)
			case name == "":
				c.fail("name", ProblemEmptyValue, "")
			}
			cand.Name = name
		}
		if v, _ := c.value("rank"); v == "" {
			c.fail("rank", ProblemEmptyValue, "")
		} else if r, ok := ParseRank(v); !ok {
			c.fail("rank", ProblemUnknownRank, v)
		} else {
			cand.Rank = r
		}
		if v, _ := c.value("service_since"); v != "" {
			if d, ok := parseDate(v, time.UTC); ok {
				cand.ServiceSince = &d
			} else {
				c.fail("service_since", dateProblem(v), v)
			}
		}
		cand.HomeCommune = c.code("home_commune_code", 5)
		if v, _ := c.value("posts"); v != "" {
			if kinds, bad, ok := ParsePostList(v); ok {
				cand.Posts = kinds
			} else {
				c.fail("posts", ProblemUnknownKind, bad)
			}
		}
		if v, _ := c.value("available_from"); v == "" {
			c.fail("available_from", ProblemEmptyValue, "")
		} else if d, ok := parseDate(v, time.UTC); ok {
			cand.AvailableFrom = d
		} else {
			c.fail("available_from", dateProblem(v), v)
		}
		if v, _ := c.value("notes"); len([]rune(v)) > candidateNotesMaxRunes {
			c.fail("notes", ProblemTooLarge, fmt.Sprint(candidateNotesMaxRunes))
		} else {
			cand.Notes = v
		}
		cand.Status = CandidateAvailable
		if v, ok := c.value("status"); ok {
			row.HasStatus = true
			if v != "" {
				if st, known := candidateStatusWords[foldName(v)]; known {
					cand.Status = st
				} else {
					c.fail("status", ProblemUnknownCandidateStatus, v)
				}
			}
		}
		row.Candidate = cand
		return row, true
	})
}

// ParseCandidates is ParseCandidatesSheet of a file.
func ParseCandidates(r io.Reader) ([]CandidateRow, error) {
	return parseReader(r, ParseCandidatesSheet)
}

// candidateRow is a person as stored.
type candidateRow struct {
	ID            string          `db:"id"`
	Name          string          `db:"name"`
	Rank          Rank            `db:"rank"`
	ServiceSince  string          `db:"service_since"`
	HomeCommune   string          `db:"home_commune"`
	Posts         string          `db:"posts"`
	AvailableFrom string          `db:"available_from"`
	Notes         string          `db:"notes"`
	Status        CandidateStatus `db:"status"`
	PostedCommune string          `db:"posted_commune"`
	PostedKind    PostKind        `db:"posted_kind"`
	PostedSlot    int             `db:"posted_slot"`
}

const candidateColumns = "id, name, rank, service_since, home_commune, posts, available_from, notes, status, posted_commune, posted_kind, posted_slot"

func (r candidateRow) candidate() (Candidate, error) {
	c := Candidate{ID: r.ID, Name: r.Name, Rank: r.Rank, HomeCommune: r.HomeCommune, Notes: r.Notes, Status: r.Status}
	if r.ServiceSince != "" {
		d, err := time.Parse(dateLayout, r.ServiceSince)
		if err != nil {
			return Candidate{}, fmt.Errorf("store: candidate %q: service_since %q: %w", r.ID, r.ServiceSince, err)
		}
		c.ServiceSince = &d
	}
	d, err := time.Parse(dateLayout, r.AvailableFrom)
	if err != nil {
		return Candidate{}, fmt.Errorf("store: candidate %q: available_from %q: %w", r.ID, r.AvailableFrom, err)
	}
	c.AvailableFrom = d
	if r.Posts != "" {
		for _, k := range strings.Split(r.Posts, ",") {
			c.Posts = append(c.Posts, PostKind(k))
		}
	}
	if r.PostedCommune != "" {
		c.Posted = &PostRef{CommuneCode: r.PostedCommune, Kind: r.PostedKind, Slot: r.PostedSlot}
	}
	return c, nil
}

func rowOfCandidate(c Candidate) candidateRow {
	r := candidateRow{ID: c.ID, Name: c.Name, Rank: c.Rank, HomeCommune: c.HomeCommune, Notes: c.Notes, Status: c.Status,
		AvailableFrom: c.AvailableFrom.Format(dateLayout)}
	if c.ServiceSince != nil {
		r.ServiceSince = c.ServiceSince.Format(dateLayout)
	}
	kinds := make([]string, len(c.Posts))
	for i, k := range c.Posts {
		kinds[i] = string(k)
	}
	r.Posts = strings.Join(kinds, ",")
	if c.Posted != nil {
		r.PostedCommune, r.PostedKind, r.PostedSlot = c.Posted.CommuneCode, c.Posted.Kind, c.Posted.Slot
	}
	return r
}

// changes lists, field by field, how the register's row differs from
// what a file says; empty when nothing does.
func (r candidateRow) changes(next candidateRow) []string {
	var out []string
	for _, f := range []struct{ name, old, new string }{
		{"name", r.Name, next.Name}, {"rank", string(r.Rank), string(next.Rank)},
		{"service_since", r.ServiceSince, next.ServiceSince}, {"home_commune", r.HomeCommune, next.HomeCommune},
		{"posts", r.Posts, next.Posts}, {"available_from", r.AvailableFrom, next.AvailableFrom}, {"notes", r.Notes, next.Notes},
	} {
		if f.old != f.new {
			out = append(out, fmt.Sprintf("%s: %s → %s", f.name, f.old, f.new))
		}
	}
	return out
}

// CandidateResult counts what a register import did.
type CandidateResult struct {
	ImportResult
	Withdrawn, Returned int // taken off the register, put back on it
}

// CheckCandidateRows reports the rows whose home commune the store does
// not know.
func (db *DB) CheckCandidateRows(ctx context.Context, rows []CandidateRow) (ImportErrors, error) {
	known, err := db.KnownCommunes(ctx, homeCommunes(rows))
	if err != nil {
		return nil, err
	}
	return unknownHomes(rows, known), nil
}

func homeCommunes(rows []CandidateRow) []string {
	codes := make([]string, 0, len(rows))
	for _, r := range rows {
		codes = append(codes, r.Candidate.HomeCommune)
	}
	return codes
}

func unknownHomes(rows []CandidateRow, known map[string]bool) ImportErrors {
	var bad ImportErrors
	for _, r := range rows {
		if !known[r.Candidate.HomeCommune] {
			bad = append(bad, ImportError{Line: r.Line, Column: "home_commune_code", Problem: ProblemUnknownCommune, Value: r.Candidate.HomeCommune})
		}
	}
	return bad
}

// ImportCandidates brings the people of a register file into the
// register, all or nothing, in one transaction: new people are added,
// listed ones updated, and (with a status column) taken off or put back;
// people the file does not list stay as they are. Every change is kept in
// the register's history (actor "import:<source>", source
// "<source>:<line>"). A person already accepted for a post keeps that
// post whatever the file says of their status. Importing the same file
// twice changes nothing.
func (db *DB) ImportCandidates(ctx context.Context, rows []CandidateRow, source string, at time.Time) (CandidateResult, error) {
	var res CandidateResult
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		known, err := db.existingCommunes(ctx, tx, homeCommunes(rows))
		if err != nil {
			return err
		}
		if bad := unknownHomes(rows, known); len(bad) > 0 {
			return bad
		}
		current, err := db.candidatesByID(ctx, tx)
		if err != nil {
			return err
		}
		var events []CandidateEvent
		for _, r := range rows {
			next := rowOfCandidate(r.Candidate)
			ev := CandidateEvent{CandidateID: next.ID, Actor: "import:" + source, Source: fmt.Sprintf("%s:%d", source, r.Line), At: utc(at)}
			old, ok := current[next.ID]
			if !ok {
				res.Added++
				ev.Action = "added"
				events = append(events, ev)
				if next.Status == CandidateWithdrawn {
					res.Withdrawn++
					events = append(events, CandidateEvent{CandidateID: next.ID, Action: "withdrawn", Actor: ev.Actor, Source: ev.Source, At: ev.At})
				}
				if err := db.upsertCandidate(ctx, tx, next, at); err != nil {
					return err
				}
				continue
			}
			// The register's own facts stay: a posted person keeps their
			// post, and without a status column nobody changes status.
			next.PostedCommune, next.PostedKind, next.PostedSlot = old.PostedCommune, old.PostedKind, old.PostedSlot
			if old.Status == CandidatePosted || !r.HasStatus {
				next.Status = old.Status
			}
			changes := old.changes(next)
			if len(changes) > 0 {
				ev.Action, ev.Detail = "changed", strings.Join(changes, "; ")
				events = append(events, ev)
			}
			if next.Status != old.Status {
				action := "withdrawn"
				if next.Status == CandidateAvailable {
					action = "returned"
					res.Returned++
				} else {
					res.Withdrawn++
				}
				events = append(events, CandidateEvent{CandidateID: next.ID, Action: action, Actor: ev.Actor, Source: ev.Source, At: ev.At})
			}
			if len(changes) == 0 && next.Status == old.Status {
				res.Unchanged++
				continue
			}
			res.Changed++
			if err := db.upsertCandidate(ctx, tx, next, at); err != nil {
				return err
			}
		}
		if err := insertCandidateEvents(ctx, db, tx, events); err != nil {
			return err
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: "import:" + source, Action: "import_candidates",
			Detail: fmt.Sprintf("added=%d changed=%d unchanged=%d withdrawn=%d returned=%d", res.Added, res.Changed, res.Unchanged, res.Withdrawn, res.Returned)})
	})
	if err != nil {
		if _, ok := err.(ImportErrors); ok {
			return CandidateResult{}, err
		}
		return CandidateResult{}, fmt.Errorf("store: import candidates from %s: %w", source, err)
	}
	db.logger.Info("candidates imported", "source", source, "added", res.Added, "changed", res.Changed, "unchanged", res.Unchanged)
	return res, nil
}

func (db *DB) candidatesByID(ctx context.Context, q sqlx.QueryerContext) (map[string]candidateRow, error) {
	var rows []candidateRow
	if err := sqlx.SelectContext(ctx, q, &rows, "SELECT "+candidateColumns+" FROM candidates"); err != nil {
		return nil, fmt.Errorf("read candidates: %w", err)
	}
	out := make(map[string]candidateRow, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

func (db *DB) upsertCandidate(ctx context.Context, tx *sqlx.Tx, r candidateRow, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO candidates (`+candidateColumns+`, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, rank = excluded.rank, service_since = excluded.service_since,
			home_commune = excluded.home_commune, posts = excluded.posts, available_from = excluded.available_from,
			notes = excluded.notes, status = excluded.status, posted_commune = excluded.posted_commune,
			posted_kind = excluded.posted_kind, posted_slot = excluded.posted_slot, updated_at = excluded.updated_at`,
		r.ID, r.Name, r.Rank, r.ServiceSince, r.HomeCommune, r.Posts, r.AvailableFrom, r.Notes, r.Status,
		r.PostedCommune, r.PostedKind, r.PostedSlot, utc(at))
	if err != nil {
		return fmt.Errorf("write candidate %q: %w", r.ID, err)
	}
	return nil
}

func insertCandidateEvents(ctx context.Context, db *DB, tx *sqlx.Tx, events []CandidateEvent) error {
	for chunk := range slices.Chunk(events, batchRows) {
		a := db.bulkArgs()
		values := make([]string, len(chunk))
		for i, e := range chunk {
			values[i] = "(" + list(a, []any{e.CandidateID, e.Action, e.Detail, e.Actor, e.Source, utc(e.At)}) + ")"
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO candidate_events (candidate_id, action, detail, actor, source, at) VALUES "+
			strings.Join(values, ", "), a.args...); err != nil {
			return fmt.Errorf("write candidate history: %w", err)
		}
	}
	return nil
}

// Candidates returns the register, by id.
func (db *DB) Candidates(ctx context.Context) ([]Candidate, error) {
	var rows []candidateRow
	if err := db.db.SelectContext(ctx, &rows, "SELECT "+candidateColumns+" FROM candidates ORDER BY id"); err != nil {
		return nil, fmt.Errorf("store: list candidates: %w", err)
	}
	out := make([]Candidate, 0, len(rows))
	for _, r := range rows {
		c, err := r.candidate()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// CandidateHistory returns a person's history in the register, oldest
// first.
func (db *DB) CandidateHistory(ctx context.Context, id string) ([]CandidateEvent, error) {
	var out []CandidateEvent
	if err := db.db.SelectContext(ctx, &out, `SELECT candidate_id, action, detail, actor, source, at FROM candidate_events
		WHERE candidate_id = $1 ORDER BY at, id`, id); err != nil {
		return nil, fmt.Errorf("store: history of candidate %q: %w", id, err)
	}
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out, nil
}
