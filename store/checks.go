package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
)

// Check is where a report stands with the district that checks it.
type Check string

const (
	// CheckReported is "đã báo cáo": waiting for the district.
	CheckReported Check = "reported"
	// CheckVerified is "đã xác nhận": a district (or province) user
	// confirmed it against the decision.
	CheckVerified Check = "verified"
	// CheckReturned is "bị trả lại": sent back with a reason, waiting for
	// the reporter's correction.
	CheckReturned Check = "returned"
)

// Valid reports whether c is a known check.
func (c Check) Valid() bool { return c == CheckReported || c == CheckVerified || c == CheckReturned }

// Decision is the written decision a change of holder rests on (quyết
// định điều động / bổ nhiệm). Every field is optional.
type Decision struct {
	Number string     // "125/QĐ-CAT-PX01"
	Date   *time.Time // the day it was signed
	Issuer string     // "Giám đốc Công an tỉnh"
	// FileID is Telegram's file_id of the photo or PDF sent in the chat;
	// our own copy is in DecisionFile.
	FileID   string
	FileName string
}

// Empty reports whether nothing of the decision is known.
func (d Decision) Empty() bool {
	return d.Number == "" && d.Date == nil && d.Issuer == "" && d.FileID == ""
}

// Cell writes the decision for a spreadsheet's cell: its number, day,
// issuer and file name, as recorded, separated by commas.
func (d Decision) Cell() string {
	var parts []string
	for _, s := range []string{d.Number, dateText(d.Date), d.Issuer, d.FileName} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// dateText writes a day as dd/mm/yyyy, "" for none.
func dateText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("02/01/2006")
}

// Standards are the holder's rank, training course and qualification, as
// reported. Rank is one of Ranks; the others are free text, usually one
// of the words the bot offers (TrainingValues, QualificationValues).
type Standards struct {
	Rank          Rank
	Training      string
	Qualification string
}

// Empty reports whether nothing of the standards is known.
func (s Standards) Empty() bool { return s.Rank == "" && s.Training == "" && s.Qualification == "" }

// Details is what stands behind a report: its decision, the holder's
// standards, and its check.
type Details struct {
	ReportID  int64
	Decision  Decision
	Standards Standards
	Check     Check
	CheckedBy string
	CheckedAt *time.Time
	// Note is what the reporter typed that was read as none of the
	// above, as typed, each addition after the last ("; ").
	Note string
	// Reason is why the report was sent back (the last time it was).
	Reason       string
	WaitingSince time.Time
	EscalatedAt  *time.Time
}

// MaxDetailLength bounds each free field of Details, in characters.
const MaxDetailLength = 200

// maxNoteLength bounds the notes of one report, all additions together.
const maxNoteLength = 1000

// ErrNoteFull is the answer to a note added to a report whose notes are
// already maxNoteLength long.
var ErrNoteFull = errors.New("store: the report's notes are full")

// ErrChecked is the answer to a check of a report that is not waiting
// for one any more: someone checked it first, or it was sent back.
var ErrChecked = errors.New("store: report already checked")

// detailsRow is report_details as both drivers scan it.
type detailsRow struct {
	ReportID       int64      `db:"report_id"`
	DecisionNo     string     `db:"decision_no"`
	DecisionDate   nullDate   `db:"decision_date"`
	DecisionIssuer string     `db:"decision_issuer"`
	FileID         string     `db:"file_id"`
	FileName       string     `db:"file_name"`
	Rank           string     `db:"rank"`
	Training       string     `db:"training"`
	Qualification  string     `db:"qualification"`
	CheckState     Check      `db:"check_state"`
	CheckedBy      string     `db:"checked_by"`
	CheckedAt      *time.Time `db:"checked_at"`
	Reason         string     `db:"reason"`
	Note           string     `db:"note"`
	WaitingSince   time.Time  `db:"waiting_since"`
	EscalatedAt    *time.Time `db:"escalated_at"`
}

const detailsColumns = `x.report_id, x.decision_no, x.decision_date, x.decision_issuer, x.file_id, x.file_name,
	x.rank, x.training, x.qualification, x.check_state, x.checked_by, x.checked_at, x.reason, x.note, x.waiting_since, x.escalated_at`

func (r detailsRow) details() (Details, error) {
	date, err := r.DecisionDate.in(time.UTC)
	if err != nil {
		return Details{}, err
	}
	return Details{
		ReportID:  r.ReportID,
		Decision:  Decision{Number: r.DecisionNo, Date: date, Issuer: r.DecisionIssuer, FileID: r.FileID, FileName: r.FileName},
		Standards: Standards{Rank: Rank(r.Rank), Training: r.Training, Qualification: r.Qualification},
		Check:     r.CheckState, CheckedBy: r.CheckedBy, CheckedAt: utcPtr(r.CheckedAt), Reason: r.Reason, Note: r.Note,
		WaitingSince: r.WaitingSince.UTC(), EscalatedAt: utcPtr(r.EscalatedAt),
	}, nil
}

// cleanDetails checks the free fields: within MaxDetailLength, no control
// characters, a known rank.
func cleanDetails(d Decision, s Standards) (Decision, Standards, error) {
	fields := []*string{&d.Number, &d.Issuer, &d.FileName, &s.Training, &s.Qualification}
	for _, f := range fields {
		*f = strings.Join(strings.Fields(*f), " ")
		if utf8.RuneCountInString(*f) > MaxDetailLength {
			return d, s, fmt.Errorf("a field longer than %d characters", MaxDetailLength)
		}
		if strings.ContainsFunc(*f, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return d, s, errors.New("control characters in a field")
		}
	}
	if s.Rank != "" && s.Rank.Level() < 0 {
		return d, s, fmt.Errorf("unknown rank %q", s.Rank)
	}
	return d, s, nil
}

// insertDetails writes the details row of a report just written in tx.
func (db *DB) insertDetails(ctx context.Context, tx *sqlx.Tx, id int64, ch Change) error {
	d := ch.Check
	by, at := "", (*time.Time)(nil)
	if d == CheckVerified {
		by, at = ch.Actor, utcPtr(&ch.At)
	}
	return db.execPrepared(ctx, tx, `INSERT INTO report_details (report_id, decision_no, decision_date, decision_issuer, file_id, file_name,
		rank, training, qualification, check_state, checked_by, checked_at, waiting_since)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		id, ch.Decision.Number, dateValue(day(ch.Decision.Date)), ch.Decision.Issuer, ch.Decision.FileID, ch.Decision.FileName,
		string(ch.Standards.Rank), ch.Standards.Training, ch.Standards.Qualification, d, by, at, utc(ch.At))
}

// ReportDetails returns the details of the reports among ids that have
// any, by report id.
func (db *DB) ReportDetails(ctx context.Context, ids []int64) (map[int64]Details, error) {
	out := make(map[int64]Details, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	for start := 0; start < len(ids); start += batchRows {
		chunk := ids[start:min(start+batchRows, len(ids))]
		var a args
		var rows []detailsRow
		q := "SELECT " + detailsColumns + " FROM report_details x WHERE x.report_id IN (" + list(&a, chunk) + ")"
		if err := db.db.SelectContext(ctx, &rows, q, a...); err != nil {
			return nil, fmt.Errorf("store: report details: %w", err)
		}
		for _, r := range rows {
			d, err := r.details()
			if err != nil {
				return nil, fmt.Errorf("store: report details: %w", err)
			}
			out[d.ReportID] = d
		}
	}
	return out, nil
}

// Checked is a report with its details, as the district's list shows it.
type Checked struct {
	Report  Report
	Details Details
	// Superseded: a later report of the same post says what it is now;
	// this one waits for nothing (read by CheckedReport only).
	Superseded bool
}

// checkedRow is a report with its details as both drivers scan them.
type checkedRow struct {
	reportRow
	detailsRow
	Superseded int `db:"superseded"`
}

func (db *DB) checkedOf(row checkedRow) (Checked, error) {
	reps, err := db.reportsOf([]reportRow{row.reportRow})
	if err != nil {
		return Checked{}, err
	}
	det, err := row.detailsRow.details()
	if err != nil {
		return Checked{}, err
	}
	return Checked{Report: reps[0], Details: det, Superseded: row.Superseded != 0}, nil
}

// inScope reads a report and its details when s covers its commune;
// ErrNotFound otherwise, which says nothing of reports out of scope.
func (db *DB) inScope(ctx context.Context, tx *sqlx.Tx, s Scope, id int64) (Checked, error) {
	var a args
	where, err := scopeWhere(s, &a)
	if err != nil {
		return Checked{}, err
	}
	var row checkedRow
	q := "SELECT " + reportColumns + ", " + detailsColumns + ", CASE WHEN " + latestOnPost + ` THEN 0 ELSE 1 END AS superseded FROM reports r
		JOIN report_details x ON x.report_id = r.id
		JOIN communes c ON c.code = r.commune_code JOIN districts d ON d.code = c.district_code
		WHERE r.id = ` + a.add(id) + " AND " + where
	// Prepared: its text is fixed per scope role, and every step of a
	// correction reads it (Postgres planned it afresh each time).
	if err := db.getPrepared(ctx, tx, &row, q, a...); err != nil {
		if isNoRows(err) {
			return Checked{}, ErrNotFound
		}
		return Checked{}, err
	}
	return db.checkedOf(row)
}

// CheckedReport returns a report with its details when s covers it;
// ErrNotFound otherwise.
func (db *DB) CheckedReport(ctx context.Context, s Scope, id int64) (Checked, error) {
	c, err := db.inScope(ctx, nil, s, id)
	if err != nil {
		return Checked{}, fmt.Errorf("store: report %d: %w", id, err)
	}
	return c, nil
}

// Verdict is a district's answer to a report waiting for it.
type Verdict struct {
	ReportID int64
	// Scope is the checker's: a report it does not cover is not found.
	Scope  Scope
	Verify bool   // true: confirmed; false: sent back
	Reason string // why it is sent back; required then
	Actor  string
	At     time.Time
}

// ErrSuperseded is the answer to a check of a report a later report of
// the same post replaced: that one is what waits now.
var ErrSuperseded = errors.New("store: report superseded by a later one")

// CheckReport records a verdict on a report that waits for one, with an
// audit entry. A report outside the checker's scope is ErrNotFound; one
// checked or sent back already is ErrChecked; one a later report of its
// post replaced is ErrSuperseded; a checker cannot check their own report.
func (db *DB) CheckReport(ctx context.Context, v Verdict) (Checked, error) {
	v.Reason = strings.Join(strings.Fields(v.Reason), " ")
	switch {
	case v.Actor == "":
		return Checked{}, fmt.Errorf("store: check report %d: no actor", v.ReportID)
	case !v.Verify && v.Reason == "":
		return Checked{}, fmt.Errorf("store: check report %d: no reason to send it back", v.ReportID)
	case utf8.RuneCountInString(v.Reason) > MaxDetailLength:
		return Checked{}, fmt.Errorf("store: check report %d: reason longer than %d characters", v.ReportID, MaxDetailLength)
	}
	var out Checked
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		c, err := db.inScope(ctx, tx, v.Scope, v.ReportID)
		if err != nil {
			return err
		}
		if c.Details.Check != CheckReported {
			return ErrChecked
		}
		if c.Superseded {
			return ErrSuperseded
		}
		state, action, detail := CheckVerified, "verify_report", ""
		if !v.Verify {
			state, action, detail = CheckReturned, "return_report", " reason="+v.Reason
		}
		// The state in the WHERE makes a second checker racing this one
		// change nothing.
		res, err := tx.ExecContext(ctx, `UPDATE report_details SET check_state = $1, checked_by = $2, checked_at = $3, reason = $4
			WHERE report_id = $5 AND check_state = 'reported'`, state, v.Actor, utc(v.At), v.Reason, v.ReportID)
		if err != nil {
			return fmt.Errorf("write check: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrChecked
		}
		c.Details.Check, c.Details.CheckedBy, c.Details.CheckedAt, c.Details.Reason = state, v.Actor, utcPtr(&v.At), v.Reason
		out = c
		return db.audit(ctx, tx, AuditEntry{At: v.At, Actor: v.Actor, Action: action,
			Detail: fmt.Sprintf("report=%d post=%s reporter=%s%s", v.ReportID, PostRef{c.Report.CommuneCode, c.Report.Kind, c.Report.Slot}, c.Report.Actor, detail)})
	})
	if err != nil {
		return Checked{}, fmt.Errorf("store: check report %d: %w", v.ReportID, err)
	}
	return out, nil
}

// Correction is what a reporter adds to a report: its decision, the
// holder's standards, or both. Fields left empty keep what was recorded.
type Correction struct {
	ReportID  int64
	Scope     Scope // the reporter's: a report it does not cover is not found
	Decision  Decision
	Standards Standards
	Note      string // added after what was noted before
	Actor     string
	At        time.Time
}

// CorrectReport records a decision or standards given after the report,
// with an audit entry. A report that was sent back waits for the district
// again, from now; one verified by someone else is refused with
// ErrChecked, since they confirmed what they saw (a district's or the
// province's own report, its own check, takes its decision still).
func (db *DB) CorrectReport(ctx context.Context, c Correction) (Checked, error) {
	dec, std, err := cleanDetails(c.Decision, c.Standards)
	if err != nil {
		return Checked{}, fmt.Errorf("store: correct report %d: %w", c.ReportID, err)
	}
	note := strings.Join(strings.Fields(c.Note), " ")
	if utf8.RuneCountInString(note) > MaxDetailLength || strings.ContainsFunc(note, func(r rune) bool { return r == 0x7f }) {
		return Checked{}, fmt.Errorf("store: correct report %d: a note longer than %d characters", c.ReportID, MaxDetailLength)
	}
	if c.Actor == "" {
		return Checked{}, fmt.Errorf("store: correct report %d: no actor", c.ReportID)
	}
	var out Checked
	err = db.inTx(ctx, func(tx *sqlx.Tx) error {
		cur, err := db.inScope(ctx, tx, c.Scope, c.ReportID)
		if err != nil {
			return err
		}
		if cur.Details.Check == CheckVerified && cur.Details.CheckedBy != c.Actor {
			return ErrChecked
		}
		d := &cur.Details
		keep := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		keep(&d.Decision.Number, dec.Number)
		keep(&d.Decision.Issuer, dec.Issuer)
		keep(&d.Decision.FileID, dec.FileID)
		keep(&d.Decision.FileName, dec.FileName)
		if dec.Date != nil {
			d.Decision.Date = day(dec.Date)
		}
		if std.Rank != "" {
			d.Standards.Rank = std.Rank
		}
		keep(&d.Standards.Training, std.Training)
		keep(&d.Standards.Qualification, std.Qualification)
		switch {
		case note == "":
		case d.Note == "":
			d.Note = note
		case utf8.RuneCountInString(d.Note)+2+utf8.RuneCountInString(note) > maxNoteLength:
			return fmt.Errorf("notes over %d characters: %w", maxNoteLength, ErrNoteFull)
		default:
			d.Note += "; " + note
		}
		if d.Check == CheckReturned {
			d.Check, d.WaitingSince, d.EscalatedAt = CheckReported, utc(c.At), nil
		}
		if err := db.execPrepared(ctx, tx, `UPDATE report_details SET decision_no = $1, decision_date = $2, decision_issuer = $3,
			file_id = $4, file_name = $5, rank = $6, training = $7, qualification = $8, check_state = $9, waiting_since = $10, escalated_at = $11, note = $13
			WHERE report_id = $12`, d.Decision.Number, dateValue(d.Decision.Date), d.Decision.Issuer, d.Decision.FileID, d.Decision.FileName,
			string(d.Standards.Rank), d.Standards.Training, d.Standards.Qualification, d.Check, d.WaitingSince, d.EscalatedAt, c.ReportID, d.Note); err != nil {
			return fmt.Errorf("write details: %w", err)
		}
		out = cur
		return db.audit(ctx, tx, AuditEntry{At: c.At, Actor: c.Actor, Action: "correct_report",
			Detail: fmt.Sprintf("report=%d decision=%q file=%s rank=%s training=%q qualification=%q note=%q", c.ReportID,
				d.Decision.Number, d.Decision.FileID, d.Standards.Rank, d.Standards.Training, d.Standards.Qualification, note)})
	})
	if err != nil {
		return Checked{}, fmt.Errorf("store: correct report %d: %w", c.ReportID, err)
	}
	return out, nil
}

// WaitingReports returns the scope's reports in state, oldest waiting
// first: the district's list of reports to check (CheckReported), or
// those sent back and not corrected yet (CheckReturned). A report a later
// report of the same post superseded (the post reported again, or
// imported) waits no more: the later one says what the post is.
func (db *DB) WaitingReports(ctx context.Context, s Scope, state Check) ([]Checked, error) {
	var a args
	where, err := scopeWhere(s, &a)
	if err != nil {
		return nil, err
	}
	var rows []checkedRow
	q := "SELECT " + reportColumns + ", " + detailsColumns + ` FROM report_details x
		JOIN reports r ON r.id = x.report_id
		JOIN communes c ON c.code = r.commune_code JOIN districts d ON d.code = c.district_code
		WHERE x.check_state = ` + a.add(state) + " AND " + where + " AND " + latestOnPost + " ORDER BY x.waiting_since, r.id"
	if err := db.db.SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, fmt.Errorf("store: reports waiting: %w", err)
	}
	out := make([]Checked, 0, len(rows))
	for _, row := range rows {
		c, err := db.checkedOf(row)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// MarkEscalated records that the reports were named to the province for
// waiting too long, the first time only.
func (db *DB) MarkEscalated(ctx context.Context, ids []int64, at time.Time) error {
	for start := 0; start < len(ids); start += batchRows {
		chunk := ids[start:min(start+batchRows, len(ids))]
		a := db.bulkArgs()
		when := a.add(utc(at))
		q := "UPDATE report_details SET escalated_at = " + when + " WHERE escalated_at IS NULL AND report_id IN (" + list(a, chunk) + ")"
		if _, err := db.db.ExecContext(ctx, q, a.args...); err != nil {
			return fmt.Errorf("store: mark escalated: %w", err)
		}
	}
	return nil
}

// DecisionFile is our own copy of a decision's photo or PDF.
type DecisionFile struct {
	FileID   string `db:"file_id"` // Telegram's file_id
	ReportID int64  `db:"report_id"`
	Name     string `db:"name"`
	MIME     string `db:"mime"`
	Data     []byte `db:"data"`
}

// MaxDecisionFile bounds a decision file we keep a copy of: Telegram lets
// a bot download files up to 20 MB.
const MaxDecisionFile = 20 << 20

// KeepDecisionFile stores our copy of a decision file; keeping the same
// file_id again changes nothing.
func (db *DB) KeepDecisionFile(ctx context.Context, f DecisionFile, at time.Time) error {
	if f.FileID == "" || len(f.Data) == 0 || len(f.Data) > MaxDecisionFile {
		return fmt.Errorf("store: keep decision file %q: no id, empty, or over %d bytes", f.FileID, MaxDecisionFile)
	}
	_, err := db.db.ExecContext(ctx, `INSERT INTO decision_files (file_id, report_id, name, mime, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (file_id) DO NOTHING`, f.FileID, f.ReportID, f.Name, f.MIME, f.Data, utc(at))
	if err != nil {
		return fmt.Errorf("store: keep decision file %q: %w", f.FileID, err)
	}
	return nil
}

// DecisionFileOf returns our copy of a decision file; ErrNotFound when we
// have none.
func (db *DB) DecisionFileOf(ctx context.Context, fileID string) (DecisionFile, error) {
	var f DecisionFile
	err := db.db.GetContext(ctx, &f, "SELECT file_id, report_id, name, mime, data FROM decision_files WHERE file_id = $1", fileID)
	if isNoRows(err) {
		return DecisionFile{}, fmt.Errorf("store: decision file %q: %w", fileID, ErrNotFound)
	}
	if err != nil {
		return DecisionFile{}, fmt.Errorf("store: decision file %q: %w", fileID, err)
	}
	return f, nil
}

// CheckStamp changes whenever a report's check does (a confirmation, a
// return, a correction): what a cache of counts keys on besides the
// newest report, since a check writes no report.
func (db *DB) CheckStamp(ctx context.Context) (string, error) {
	var stamp string
	err := db.getPrepared(ctx, nil, &stamp, `SELECT COALESCE(CAST(max(checked_at) AS TEXT), '') || '/' || COALESCE(CAST(max(waiting_since) AS TEXT), '') || '/' ||
		CAST(count(*) AS TEXT) FROM report_details`)
	if err != nil {
		return "", fmt.Errorf("store: check stamp: %w", err)
	}
	return stamp, nil
}

// The plans table's ways of counting (Plan.CountVerified).
const (
	countsReported = "reported"
	countsVerified = "verified"
)

// latestOnPost is the condition that report r is its post's last.
const latestOnPost = `NOT EXISTS (SELECT 1 FROM reports l WHERE l.commune_code = r.commune_code AND l.kind = r.kind AND l.slot = r.slot
	AND (l.at > r.at OR l.at = r.at AND l.id > r.id))`

// UnverifiedCounts counts the scope's posts whose last report waits for
// its district's check or was sent back (as of the view's moment, see
// waitingTable), by commune, kind and reported status: the verified
// share shown beside a milestone's figures (Unverify). It reads the
// reports with details only, a few per commune at most.
func (db *DB) UnverifiedCounts(ctx context.Context, s Scope) (StatusCounts, error) {
	if _, err := scopeWhere(s, &args{}); err != nil {
		return nil, err
	}
	live, err := db.livePosts(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: unverified posts: %w", err)
	}
	if live != nil {
		return live.unverified(s), nil
	}
	return db.unverifiedSQL(ctx, s)
}

// unverifiedSQL is UnverifiedCounts in SQL, for a view of the past or a
// store whose posts are not kept in memory.
func (db *DB) unverifiedSQL(ctx context.Context, s Scope) (StatusCounts, error) {
	// The scope narrows the waiting reports themselves (their communes on
	// the map of the view): no join after, which Postgres plans for every
	// call.
	var a args
	q := `SELECT w.commune_code, w.kind, w.new_status, count(*) AS n FROM ` + db.waitingTable(&a, false, &s) + ` w
		GROUP BY w.commune_code, w.kind, w.new_status`
	var rows []struct {
		Commune string   `db:"commune_code"`
		Kind    PostKind `db:"kind"`
		Status  Status   `db:"new_status"`
		N       int      `db:"n"`
	}
	// Prepared: its text is fixed per scope role, and every progress
	// answer runs it.
	if err := db.selectPrepared(ctx, nil, &rows, q, a...); err != nil {
		return nil, fmt.Errorf("store: unverified posts: %w", err)
	}
	out := make(StatusCounts)
	for _, r := range rows {
		if out[r.Commune] == nil {
			out[r.Commune] = new([3][3]int)
		}
		out[r.Commune][kindIndex(r.Kind)][statusIndex(r.Status)] += r.N
	}
	return out, nil
}

// Unverify records in pc, counted for m, the posts reported at m's target
// status that wait for their district's check. The counts themselves
// already follow the plan's way of counting (countedPostsTable): when it
// counts verified changes, AtTarget leaves these posts out.
func (pc PostCounts) Unverify(m Milestone, u StatusCounts) {
	target := statusIndex(m.target())
	for commune, c := range u {
		copied := false // StatusCounts.For shares a commune's map with others
		for _, k := range m.Posts {
			n := c[kindIndex(k)][target]
			if n == 0 {
				continue
			}
			if !copied {
				pc[commune] = maps.Clone(pc[commune])
				copied = true
			}
			kc := pc[commune][k]
			kc.Unverified = n
			pc.add(commune, k, kc)
		}
	}
}

// Fact is something a post's last report says of its holder (Details),
// which questions ask about.
type Fact string

const (
	// FactDecision: the report rests on a decision (a number or a file).
	FactDecision Fact = "decision"
	// FactTrained: the holder is reported trained ("đã qua đào tạo", or a
	// course named).
	FactTrained Fact = "trained"
	// FactVerified: the report was checked; a report without details (an
	// import) is the province's own and counts as checked.
	FactVerified Fact = "verified"
)

// FactCond asks for a fact, or (Lacks) for its absence.
type FactCond struct {
	Fact  Fact
	Lacks bool
}

// untrained are the training answers that say the holder is not trained.
const untrained = "('chưa qua đào tạo', 'đang đào tạo')"

// sql is the condition on a post p that its last report says the fact (or
// not): one indexed read of the post's newest report, then its details.
func (f FactCond) sql() string {
	cond, unknown := "", "0"
	switch f.Fact {
	case FactDecision:
		cond = "x.decision_no <> '' OR x.file_id <> ''"
	case FactTrained:
		cond = "x.training <> '' AND x.training NOT IN " + untrained
	case FactVerified:
		cond, unknown = "x.check_state = 'verified'", "1"
	default:
		cond = "1 = 0"
	}
	latest := `(SELECT r.id FROM reports r WHERE r.commune_code = p.commune_code AND r.kind = p.kind AND r.slot = p.slot
		ORDER BY r.at DESC, r.id DESC LIMIT 1)`
	expr := "COALESCE((SELECT CASE WHEN " + cond + " THEN 1 ELSE 0 END FROM report_details x WHERE x.report_id = " + latest + "), " + unknown + ")"
	if f.Lacks {
		return expr + " = 0"
	}
	return expr + " = 1"
}
