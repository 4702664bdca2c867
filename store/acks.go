package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// EscalationLevel is who a commune behind on a milestone was named to.
type EscalationLevel string

const (
	EscalatedToDistrict EscalationLevel = "district"
	EscalatedToProvince EscalationLevel = "province"
)

// Ack is a district head's acknowledgement ("Đã nhận") of a milestone's
// reminder.
type Ack struct {
	ChatID      int64     `db:"chat_id"`
	MilestoneID string    `db:"milestone_id"`
	At          time.Time `db:"at"`
}

// Escalation records when a commune behind on a milestone was first named
// at a level.
type Escalation struct {
	MilestoneID string          `db:"milestone_id"`
	CommuneCode string          `db:"commune_code"`
	Level       EscalationLevel `db:"level"`
	At          time.Time       `db:"at"`
}

// RecordAck records that the user with Telegram id chatID acknowledged the
// milestone at at. Pressing twice at the same instant records one.
func (db *DB) RecordAck(ctx context.Context, chatID int64, milestoneID string, at time.Time) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO acks (chat_id, milestone_id, at) VALUES ($1, $2, $3)
		ON CONFLICT (chat_id, milestone_id, at) DO NOTHING`, chatID, milestoneID, utc(at))
	if err != nil {
		return fmt.Errorf("store: record ack of milestone %q: %w", milestoneID, err)
	}
	return nil
}

// Acks returns each user's latest acknowledgement of each milestone, by
// chat and milestone.
func (db *DB) Acks(ctx context.Context) ([]Ack, error) {
	var out []Ack
	// The column itself, not max(at): SQLite hands an aggregate back as
	// text, without the declared type that makes it a time.
	err := db.db.SelectContext(ctx, &out, `SELECT a.chat_id, a.milestone_id, a.at FROM acks a
		WHERE a.at = (SELECT max(b.at) FROM acks b WHERE b.chat_id = a.chat_id AND b.milestone_id = a.milestone_id)
		ORDER BY a.chat_id, a.milestone_id`)
	if err != nil {
		return nil, fmt.Errorf("store: read acks: %w", err)
	}
	return out, nil
}

// EscalationKey names a commune behind on a milestone.
type EscalationKey struct {
	MilestoneID string
	CommuneCode string
}

// RecordEscalations records that the communes were named at level for
// their milestones at at, and returns how many were named so for the
// first time: an escalation already recorded keeps its first date. A
// job's escalations, whatever their number, are one statement. (Its
// "WHERE true" tells SQLite that ON CONFLICT is the upsert, not a join.)
func (db *DB) RecordEscalations(ctx context.Context, level EscalationLevel, at time.Time, keys []EscalationKey) (int, error) {
	if len(keys) == 0 {
		return 0, nil
	}
	rows := make([][]any, len(keys))
	for i, k := range keys {
		rows[i] = []any{k.MilestoneID, k.CommuneCode}
	}
	var a args
	from, err := db.jsonRows(&a, rows, "milestone_id TEXT", "commune_code TEXT")
	if err != nil {
		return 0, fmt.Errorf("store: record %d escalations: %w", len(keys), err)
	}
	// In a transaction of its own so that, on SQLite, it waits its turn
	// for the write lock behind a job's other writes (inTx) instead of
	// polling for it.
	var n int64
	err = db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO escalations (milestone_id, commune_code, level, at)
			SELECT r.milestone_id, r.commune_code, `+a.add(string(level))+`, `+a.add(utc(at))+` FROM `+from+` AS r
			WHERE true ON CONFLICT (milestone_id, commune_code, level) DO NOTHING`, a...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: record %d escalations: %w", len(keys), err)
	}
	return int(n), nil
}

// Escalations returns the recorded escalations of a milestone, by commune
// and level.
func (db *DB) Escalations(ctx context.Context, milestoneID string) ([]Escalation, error) {
	var out []Escalation
	err := db.db.SelectContext(ctx, &out, `SELECT milestone_id, commune_code, level, at FROM escalations
		WHERE milestone_id = $1 ORDER BY commune_code, level`, milestoneID)
	if err != nil {
		return nil, fmt.Errorf("store: escalations of milestone %q: %w", milestoneID, err)
	}
	return out, nil
}

// LastRun returns when the named job last completed, and false when it
// never has.
func (db *DB) LastRun(ctx context.Context, job string) (time.Time, bool, error) {
	var at time.Time
	err := db.db.GetContext(ctx, &at, "SELECT last_run FROM job_runs WHERE name = $1", job)
	if isNoRows(err) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: last run of job %q: %w", job, err)
	}
	return at, true, nil
}

// RecordRun records that the named job completed a run covering up to at.
// A record never moves back: a slow replica finishing an older run does
// not undo a newer one.
func (db *DB) RecordRun(ctx context.Context, job string, at time.Time) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO job_runs (name, last_run) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET last_run = excluded.last_run WHERE job_runs.last_run < excluded.last_run`, job, utc(at))
	if err != nil {
		return fmt.Errorf("store: record run of job %q: %w", job, err)
	}
	return nil
}
