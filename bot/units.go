package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// unitCommands are the commands a reporting unit's user may give: the
// commune roster is not theirs to see or change, and every other command
// is about it.
var unitCommands = map[string]bool{"start": true, "trogiup": true, "help": true, "ngonngu": true, "huy": true,
	"nopbaocao": true, "thongbao": true}

// filingFor reports whether m is a report the user of scope s files:
// a milestone asked of the units for a reporting unit's user, one asked
// of the districts for a district head.
func filingFor(m store.Milestone, s store.Scope) bool {
	switch s.Role {
	case store.RoleUnit:
		return m.ForUnits()
	case store.RoleDistrict:
		return m.Kind == store.KindDistrictReport && !m.ForUnits()
	}
	return false
}

// openFilings returns the started report milestones the scope has still
// to file, by plan and order, with the scope's progress on each.
func (b *Bot) openFilings(ctx context.Context, s store.Scope) ([]store.Progress, error) {
	var out []store.Progress
	now := b.now()
	for _, pl := range *b.plans.Load() {
		for _, m := range pl.Milestones {
			if !filingFor(m, s) || m.Start.After(now) {
				continue
			}
			pr, err := b.db.Progress(ctx, m.ID, s)
			if err != nil {
				return nil, fmt.Errorf("bot: open filings: %w", err)
			}
			if pr.Total > 0 && pr.Done < pr.Total {
				out = append(out, pr)
			}
		}
	}
	return out, nil
}

// fileReport is /nopbaocao: a reporting unit (or a district head) says
// it filed what a milestone asks. The milestones it has still to file
// come as buttons; pressing one records the filing.
func (b *Bot) fileReport(ctx context.Context, r *request, _ string) error {
	s := r.scope()
	if s.Role != store.RoleUnit && s.Role != store.RoleDistrict {
		b.reply(ctx, r, r.p.T("units.file.not_for_role"))
		return nil
	}
	open, err := b.openFilings(ctx, s)
	if err != nil {
		return err
	}
	name := b.scopeName(r.p, s)
	if len(open) == 0 {
		b.reply(ctx, r, r.p.T("units.file.nothing", name))
		return nil
	}
	var kb [][]models.InlineKeyboardButton
	for _, pr := range open {
		m := pr.Milestone
		kb = append(kb, []models.InlineKeyboardButton{{Text: m.Title(r.p.Lang()), CallbackData: reminders.FileCallbackData(m.ID)}})
	}
	b.send(ctx, r, r.p.T("units.file.choose", r.p.InSentence(name)), kb)
	return nil
}

// fileButton records a filing from a reminder's "Đã nộp báo cáo" button
// or /nopbaocao's. The data names a milestone only: the presser files
// for their own unit or district, and a press for a milestone that is
// not theirs to file, not started or unknown changes nothing.
func (b *Bot) fileButton(ctx context.Context, r *request, data string) error {
	id, ok := reminders.ParseFileCallback(data)
	s := r.scope()
	if !ok || s.Role != store.RoleUnit && s.Role != store.RoleDistrict {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	m, err := b.db.Milestone(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && (!filingFor(m, s) || m.Start.After(b.now())) {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	if err != nil {
		return fmt.Errorf("bot: file report: %w", err)
	}
	pr, err := b.db.Progress(ctx, id, s)
	if err != nil {
		return fmt.Errorf("bot: file report: %w", err)
	}
	if pr.Total == 0 {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	name := b.scopeName(r.p, s)
	title := esc(m.Title(r.p.Lang()))
	if pr.Done == pr.Total {
		b.answerCallback(ctx, r, r.p.T("units.file.already"))
		b.dropButtons(ctx, r, pressedMessage(r))
		return nil
	}
	if s.Role == store.RoleUnit {
		_, err = b.db.RecordUnitSubmission(ctx, id, s.Code, r.actor(), b.now())
	} else {
		err = b.db.RecordSubmission(ctx, id, s.Code, r.actor(), b.now())
	}
	if err != nil {
		return fmt.Errorf("bot: file report: %w", err)
	}
	b.dropButtons(ctx, r, pressedMessage(r))
	b.send(ctx, r, r.p.T("units.file.done", r.p.InSentence(name), title, r.p.Date(b.now())), nil)
	b.answerCallback(ctx, r, "")
	return nil
}

// pressedMessage is the id of the message whose button was pressed; 0
// when the press came without one (an old message Telegram no longer
// gives).
func pressedMessage(r *request) int {
	if r.cb == nil || r.cb.Message.Message == nil {
		return 0
	}
	return r.cb.Message.Message.ID
}
