package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/store"
)

// Steps of the arrangement conversation: which person (from /botri), then
// what becomes of them.
const (
	stepArrangePerson = "person"
	stepArrange       = "arrange"
)

// optLater is the value of the "Trả lời sau" button.
const optLater = "later"

// maxArrangeChoices is how many people /botri offers as buttons.
const maxArrangeChoices = 8

// arrangeDraft is the person whose arrangement is asked: the report that
// replaced them.
type arrangeDraft struct {
	Report int64 `json:"r,omitempty"`
}

// askArrangement follows a report that replaced a semi-professional
// person: it asks the reporter, in a new message, what becomes of them.
// The answer can also come later, through /botri.
func (b *Bot) askArrangement(ctx context.Context, r *request, rep store.Report) error {
	c := &conversation{Flow: flowArrange, User: r.from.ID, Arrange: &arrangeDraft{Report: rep.ID}}
	c.nextStep(stepArrange)
	text, kb := b.arrangeQuestion(r, c, rep)
	if c.Message = b.send(ctx, r, text, kb); c.Message == 0 {
		return nil
	}
	return b.startConv(ctx, r, c)
}

// arrangeQuestion is the question about a replaced person and the four
// answers, and "Trả lời sau".
func (b *Bot) arrangeQuestion(r *request, c *conversation, rep store.Report) (string, [][]models.InlineKeyboardButton) {
	p := r.p
	cm := b.roster.Load().communes[rep.CommuneCode]
	text := p.T("bot.arrange.question", esc(rep.OldHolder), p.Post(string(rep.Kind), string(cm.Type), 0), communeName(p, cm), esc(rep.NewHolder))
	var bs []models.InlineKeyboardButton
	for _, a := range store.Arrangements {
		bs = append(bs, c.button(p.T("arrangement."+string(a)), string(a)))
	}
	bs = append(bs, c.button(p.T("bot.arrange.later"), optLater))
	return text, rows(bs, 2)
}

// arrangements is /botri: the people replaced in the user's scope whose
// arrangement is not known yet ("chưa bố trí"), the most recent first, to
// pick one and answer.
func (b *Bot) arrangements(ctx context.Context, r *request, _ string) error {
	// Up to now included: a report of this very moment counts.
	people, err := b.db.ReplacedPeople(ctx, r.scope(), time.Time{}, b.now().Add(time.Microsecond))
	if err != nil {
		return fmt.Errorf("bot: people replaced: %w", err)
	}
	open := slices.DeleteFunc(people, func(p store.Replaced) bool { return p.Arranged() })
	p := r.p
	if len(open) == 0 {
		b.reply(ctx, r, p.T("bot.arrange.none", p.Num(len(people))))
		return nil
	}
	slices.Reverse(open)
	ro := b.roster.Load()
	c := &conversation{Flow: flowArrange, User: r.from.ID, Arrange: &arrangeDraft{}}
	c.nextStep(stepArrangePerson)
	var bs []models.InlineKeyboardButton
	for _, person := range open[:min(len(open), maxArrangeChoices)] {
		rep := person.Report
		cm := ro.communes[rep.CommuneCode]
		bs = append(bs, c.button(p.T("bot.arrange.person", rep.OldHolder, p.Post(string(rep.Kind), string(cm.Type), 0), cm.Name),
			strconv.FormatInt(rep.ID, 10)))
	}
	text := p.T("bot.arrange.open", p.Num(len(open)), b.scopeName(p, r.scope()))
	if len(open) > maxArrangeChoices {
		text += "\n" + p.T("bot.arrange.more", p.Num(len(open)-maxArrangeChoices))
	}
	c.Message = b.send(ctx, r, text, b.withCancel(r, c, rows(bs, 1)))
	return b.startConv(ctx, r, c)
}

// arrangeButton takes a press in the arrangement conversation: a person
// picked from /botri, or an answer.
func (b *Bot) arrangeButton(ctx context.Context, r *request, c *conversation, raw []byte, v string) error {
	stale := func() error { b.answerCallback(ctx, r, r.p.T("bot.button.stale")); return nil }
	switch c.Step {
	case stepArrangePerson:
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return stale()
		}
		person, ok, err := b.replacedInScope(ctx, r, id)
		if err != nil || !ok {
			return err
		}
		c.Arrange.Report = id
		c.nextStep(stepArrange)
		text, kb := b.arrangeQuestion(r, c, person.Report)
		return b.advance(ctx, r, raw, c, text, kb)
	case stepArrange:
		if v == optLater {
			won, err := b.finish(ctx, r, raw)
			if err != nil || !won {
				return err
			}
			b.edit(ctx, r, c.Message, r.p.T("bot.arrange.later_done"), nil)
			b.answerCallback(ctx, r, "")
			return nil
		}
		arr := store.Arrangement(v)
		if !arr.Valid() {
			return stale()
		}
		person, ok, err := b.replacedInScope(ctx, r, c.Arrange.Report)
		if err != nil || !ok {
			return err
		}
		won, err := b.finish(ctx, r, raw)
		if err != nil || !won {
			return err
		}
		if err := b.db.Arrange(ctx, c.Arrange.Report, arr, r.actor(), b.now()); err != nil {
			return fmt.Errorf("bot: record arrangement: %w", err)
		}
		b.log.Info("arrangement recorded", "user_id", r.from.ID, "update_id", r.upd.ID, "report_id", c.Arrange.Report)
		b.edit(ctx, r, c.Message, r.p.T("bot.arrange.saved", esc(person.Report.OldHolder), r.p.T("arrangement."+string(arr))), nil)
		b.answerCallback(ctx, r, "")
		return nil
	}
	return stale()
}

// replacedInScope looks up the person a report replaced, checking that
// the user's scope covers the post: the id came back from the client and
// proves nothing. ok is false (the press answered as stale) otherwise.
func (b *Bot) replacedInScope(ctx context.Context, r *request, id int64) (store.Replaced, bool, error) {
	person, err := b.db.ReplacedPerson(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return store.Replaced{}, false, fmt.Errorf("bot: person replaced: %w", err)
	case b.roster.Load().covers(r.scope(), store.Scope{Role: store.RoleCommune, Code: person.Report.CommuneCode}):
		return person, true, nil
	}
	b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
	return store.Replaced{}, false, nil
}
