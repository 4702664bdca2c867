package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
)

// Posting is one accepted row of a posting proposal: a person of the
// register to a post, as the proposal saw the post (its status and
// holder, or no post at all in that slot).
type Posting struct {
	Line        int // of the workbook or button list it came from, for problems
	CandidateID string
	Ref         PostRef
	Expect      Post // Status "" when the proposal saw no post in the slot
	Day         time.Time
}

// Problems of accepted postings, besides duplicate_candidate and
// duplicate_slot (a person, or a post, accepted twice):
//
//	unknown_candidate        no such person in the register
//	candidate_not_available  the person was posted or withdrawn since
//	post_changed             the post changed since the proposal; Value is its state now
const (
	ProblemUnknownCandidate      Problem = "unknown_candidate"
	ProblemCandidateNotAvailable Problem = "candidate_not_available"
	ProblemPostChanged           Problem = "post_changed"
)

// AcceptPostings makes accepted proposals real, all or nothing, in one
// transaction: each post becomes regular, held by the person from the
// posting's day, through the same reports any change of a post writes
// (actor as given, source "<source>:<line>"), and each person is marked
// posted in the register, with its history. A posting whose person is no
// longer available, or whose post changed since the proposal saw it, is
// a problem of its line (ImportErrors), and nothing is written.
func (db *DB) AcceptPostings(ctx context.Context, postings []Posting, actor, source string, at time.Time) ([]Report, error) {
	var problems ImportErrors
	byCandidate, byPost := make(map[string]int), make(map[PostRef]int)
	for _, p := range postings {
		if first, dup := byCandidate[p.CandidateID]; dup {
			problems = append(problems, ImportError{Line: p.Line, Column: "id", Problem: ProblemDuplicateCandidate, Value: p.CandidateID, FirstLine: first})
		} else {
			byCandidate[p.CandidateID] = p.Line
		}
		if first, dup := byPost[p.Ref]; dup {
			problems = append(problems, ImportError{Line: p.Line, Column: "slot", Problem: ProblemDuplicateSlot, Value: p.Ref.String(), FirstLine: first})
		} else {
			byPost[p.Ref] = p.Line
		}
	}
	var reports []Report
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		people, err := db.candidatesByID(ctx, tx)
		if err != nil {
			return err
		}
		codes := make([]string, 0, len(postings))
		for _, p := range postings {
			codes = append(codes, p.Ref.CommuneCode)
		}
		slices.Sort(codes)
		current, err := db.postsOfCommunes(ctx, tx, slices.Compact(codes))
		if err != nil {
			return err
		}
		var posts []Post
		var events []CandidateEvent
		for _, p := range postings {
			person, ok := people[p.CandidateID]
			switch {
			case !ok:
				problems = append(problems, ImportError{Line: p.Line, Column: "id", Problem: ProblemUnknownCandidate, Value: p.CandidateID})
				continue
			case person.Status != CandidateAvailable:
				problems = append(problems, ImportError{Line: p.Line, Column: "id", Problem: ProblemCandidateNotAvailable, Value: person.Name})
				continue
			}
			cur, exists := current[p.Ref]
			if exists != (p.Expect.Status != "") || (exists && (cur.Status != p.Expect.Status || cur.Holder != p.Expect.Holder)) {
				now := "-"
				if exists {
					now = string(cur.Status) + " " + cur.Holder
				}
				problems = append(problems, ImportError{Line: p.Line, Column: "slot", Problem: ProblemPostChanged, Value: quoteBack(now)})
				continue
			}
			holder, err := CleanHolder(person.Name)
			var he *HolderError
			if errors.As(err, &he) {
				problems = append(problems, ImportError{Line: p.Line, Column: "name", Problem: he.Problem, Value: he.Value})
				continue
			}
			since := day(&p.Day)
			next := Post{CommuneCode: p.Ref.CommuneCode, Kind: p.Ref.Kind, Slot: p.Ref.Slot, Status: Regular, Holder: holder, Since: since}
			rep := Report{CommuneCode: next.CommuneCode, Kind: next.Kind, Slot: next.Slot, NewStatus: Regular, NewHolder: holder,
				Since: since, Actor: actor, Source: fmt.Sprintf("%s:%d", source, p.Line), At: at}
			if exists {
				rep.OldStatus, rep.OldHolder = cur.Status, cur.Holder
			}
			posts = append(posts, next)
			reports = append(reports, rep)
			person.Status = CandidatePosted
			person.PostedCommune, person.PostedKind, person.PostedSlot = p.Ref.CommuneCode, p.Ref.Kind, p.Ref.Slot
			if err := db.upsertCandidate(ctx, tx, person, at); err != nil {
				return err
			}
			events = append(events, CandidateEvent{CandidateID: person.ID, Action: "posted", Detail: p.Ref.String(),
				Actor: actor, Source: rep.Source, At: at})
		}
		if len(problems) > 0 {
			slices.SortStableFunc(problems, func(a, b ImportError) int { return a.Line - b.Line })
			return problems
		}
		if err := db.upsertPosts(ctx, tx, posts); err != nil {
			return err
		}
		if err := db.insertReports(ctx, tx, reports); err != nil {
			return err
		}
		if err := insertCandidateEvents(ctx, db, tx, events); err != nil {
			return err
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: actor, Action: "accept_postings",
			Detail: fmt.Sprintf("%s: %d postings", source, len(postings))})
	})
	if err != nil {
		if _, ok := err.(ImportErrors); ok {
			return nil, err
		}
		return nil, fmt.Errorf("store: accept postings from %s: %w", source, err)
	}
	db.logger.Info("postings accepted", "source", source, "postings", len(postings))
	return reports, nil
}
