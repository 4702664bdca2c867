package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Snapshot is one district's done/total on one milestone as a weekly
// digest showed it.
type Snapshot struct {
	Week         string    `db:"week"` // the digest's week, YYYY-MM-DD of its Monday
	MilestoneID  string    `db:"milestone_id"`
	DistrictCode string    `db:"district_code"`
	Done         int       `db:"done"`
	Total        int       `db:"total"`
	TakenAt      time.Time `db:"taken_at"`
}

// SaveSnapshots records a digest's figures for its week, replacing what an
// earlier run of the same week recorded, so that next week's change is
// measured against what was sent.
func (db *DB) SaveSnapshots(ctx context.Context, week string, snaps []Snapshot) error {
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM digest_snapshots WHERE week = $1", week); err != nil {
			return fmt.Errorf("clear: %w", err)
		}
		for _, s := range snaps {
			if _, err := tx.ExecContext(ctx, `INSERT INTO digest_snapshots (week, milestone_id, district_code, done, total, taken_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, week, s.MilestoneID, s.DistrictCode, s.Done, s.Total, utc(s.TakenAt)); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save digest snapshots of week %s: %w", week, err)
	}
	return nil
}

// PreviousSnapshots returns the figures of the latest week before week
// (YYYY-MM-DD, which sorts as text), with that week; none when there is
// no earlier digest.
func (db *DB) PreviousSnapshots(ctx context.Context, week string) (string, []Snapshot, error) {
	var prev string
	err := db.db.GetContext(ctx, &prev, "SELECT week FROM digest_snapshots WHERE week < $1 ORDER BY week DESC LIMIT 1", week)
	if isNoRows(err) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("store: digest week before %s: %w", week, err)
	}
	var out []Snapshot
	err = db.db.SelectContext(ctx, &out, `SELECT week, milestone_id, district_code, done, total, taken_at
		FROM digest_snapshots WHERE week = $1 ORDER BY milestone_id, district_code`, prev)
	if err != nil {
		return "", nil, fmt.Errorf("store: digest snapshots of week %s: %w", prev, err)
	}
	return prev, out, nil
}
