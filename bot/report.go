package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
	"golang.org/x/text/unicode/norm"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/store"
)

// Steps of the report conversation.
const (
	stepDistrict = "district"
	stepCommune  = "commune"
	stepKind     = "kind"
	stepSlot     = "slot"
	stepStatus   = "status"
	stepHolder   = "holder"
	stepDate     = "date"
	stepConfirm  = "confirm"
)

// reportDraft is what the user has chosen so far.
type reportDraft struct {
	District string         `json:"d,omitempty"`
	Commune  string         `json:"c,omitempty"`
	Kind     store.PostKind `json:"k,omitempty"`
	Slot     int            `json:"l,omitempty"`
	Of       int            `json:"m,omitempty"` // how many posts of the kind the commune had when the slot was chosen
	Old      *store.Post    `json:"o,omitempty"` // the post as shown; nil: a new slot
	Status   store.Status   `json:"s,omitempty"`
	Holder   string         `json:"h,omitempty"`
	Since    string         `json:"t,omitempty"` // YYYY-MM-DD; empty for a vacant post
	// Held is a decision typed before the report was confirmed, given to
	// the decision step once it is.
	Held string `json:"e,omitempty"`
}

func reportWaitsForText(step string) bool {
	return step == stepCommune || step == stepHolder || step == stepDate
}

// reportWaitsForButton says whether the step's only answer is one of its
// buttons.
func reportWaitsForButton(step string) bool {
	return step == stepDistrict || step == stepKind || step == stepSlot || step == stepStatus
}

// report is /baocao: the conversation, or with arguments the short form.
func (b *Bot) report(ctx context.Context, r *request, args string) error {
	if args != "" {
		return b.reportShort(ctx, r, args)
	}
	own := r.scope()
	c := &conversation{Flow: flowReport, User: r.from.ID, Report: &reportDraft{}}
	switch own.Role {
	case store.RoleCommune:
		c.Report.Commune = own.Code
		c.Report.District = b.roster.Load().districtOf(own.Code)
		c.nextStep(stepKind)
	case store.RoleDistrict:
		c.Report.District = own.Code
		c.nextStep(stepCommune)
	default:
		c.nextStep(stepDistrict)
	}
	text, kb, err := b.renderReport(ctx, r, c)
	if err != nil {
		return err
	}
	c.Message = b.send(ctx, r, text, kb)
	return b.startConv(ctx, r, c)
}

// renderReport writes the current step's text and buttons, recording what
// each button means.
func (b *Bot) renderReport(ctx context.Context, r *request, c *conversation) (string, [][]models.InlineKeyboardButton, error) {
	p, d, ro := r.p, c.Report, b.roster.Load()
	var bs []models.InlineKeyboardButton
	perRow := 2
	var prompt string
	switch c.Step {
	case stepDistrict, stepCommune:
		prompt, bs, perRow = placeChoices(r, c, ro, d.District)
	case stepKind:
		prompt = p.T("bot.report.pick_kind")
		perRow = 1
		unit := ro.communes[d.Commune].Type
		for _, k := range store.PostKinds {
			bs = append(bs, c.button(postName(p, k, unit, 0, 0), string(k)))
		}
	case stepSlot:
		prompt = p.T("bot.report.pick_slot")
		perRow = 1
		posts, err := b.db.CommunePosts(ctx, d.Commune)
		if err != nil {
			return "", nil, fmt.Errorf("bot: report posts: %w", err)
		}
		unit := ro.communes[d.Commune].Type
		// The later steps name the post as these buttons do.
		d.Of = kindCounts(posts)[d.Kind]
		last := 0
		for _, po := range posts {
			if po.Kind != d.Kind {
				continue
			}
			last = po.Slot
			v, err := json.Marshal(po)
			if err != nil {
				return "", nil, fmt.Errorf("bot: encode post: %w", err)
			}
			bs = append(bs, c.button(p.T("bot.report.slot", postName(p, po.Kind, unit, po.Slot, d.Of), b.plainState(r, po.Status, po.Holder)), "post:"+string(v)))
		}
		if d.Kind != store.Chief || last == 0 {
			bs = append(bs, c.button(p.T("bot.report.new_slot", postName(p, d.Kind, unit, last+1, d.Of+1)), "new:"+strconv.Itoa(last+1)))
		}
	case stepStatus:
		prompt = p.T("bot.report.pick_status")
		perRow = 3
		for _, s := range []store.Status{store.Regular, store.Semi, store.Vacant} {
			bs = append(bs, c.button(p.T("status."+string(s)), string(s)))
		}
	case stepHolder:
		prompt = p.T("bot.report.type_holder")
		perRow = 1
		if d.Old != nil && d.Old.Holder != "" {
			bs = append(bs, c.button(p.T("bot.report.keep_holder", d.Old.Holder), "keep"))
		}
	case stepDate:
		prompt = p.T("bot.report.type_date")
		bs = append(bs, c.button(p.T("bot.report.today"), "today"))
	case stepConfirm:
		prompt = p.T("bot.report.confirm_prompt")
		bs = append(bs, c.button(p.T("bot.button.confirm"), "ok"))
	}
	return b.reportSummary(r, d) + "\n\n" + prompt, b.withCancel(r, c, rows(bs, perRow)), nil
}

// plainState is stateText for a button label, which is not HTML.
func (b *Bot) plainState(r *request, st store.Status, holder string) string {
	if holder == "" {
		return r.p.T("status." + string(st))
	}
	return r.p.T("bot.state.held", r.p.T("status."+string(st)), holder)
}

// reportSummary shows what has been chosen so far, and at the end the
// change: old → new.
func (b *Bot) reportSummary(r *request, d *reportDraft) string {
	p, ro := r.p, b.roster.Load()
	out := p.T("bot.report.title")
	c := ro.communes[d.Commune]
	if d.Commune != "" {
		out += "\n" + p.T("bot.report.commune", communeName(p, c), esc(p.InSentence(ro.districts[c.DistrictCode].Name)))
	} else if d.District != "" {
		out += "\n" + p.T("bot.report.district", esc(p.InSentence(ro.districts[d.District].Name)))
	}
	if d.Kind != "" {
		out += "\n" + p.T("bot.report.post", postName(p, d.Kind, c.Type, d.Slot, d.Of))
	}
	if d.Slot > 0 {
		old := "–"
		if d.Old != nil {
			old = b.stateText(p, d.Old.Status, d.Old.Holder)
		}
		if d.Status != "" {
			out += "\n" + p.T("bot.report.change", old, b.stateText(p, d.Status, d.Holder))
		} else {
			out += "\n" + p.T("bot.report.now", old)
		}
	}
	if d.Since != "" {
		t, _ := time.Parse(time.DateOnly, d.Since)
		out += "\n" + p.T("bot.report.since", p.Date(dateOf(t)))
	}
	return out
}

// reportButton moves the conversation one step on.
func (b *Bot) reportButton(ctx context.Context, r *request, c *conversation, raw []byte, v string) error {
	d, ro, own := c.Report, b.roster.Load(), r.scope()
	stale := func() error { b.answerCallback(ctx, r, r.p.T("bot.button.stale")); return nil }
	switch c.Step {
	case stepDistrict:
		if !ro.covers(own, store.Scope{Role: store.RoleDistrict, Code: v}) {
			return stale()
		}
		d.District = v
		c.nextStep(stepCommune)
	case stepCommune:
		if !ro.covers(own, store.Scope{Role: store.RoleCommune, Code: v}) {
			return stale()
		}
		d.Commune = v
		c.nextStep(stepKind)
	case stepKind:
		d.Kind = store.PostKind(v)
		c.nextStep(stepSlot)
	case stepSlot:
		if n, ok := strings.CutPrefix(v, "new:"); ok {
			d.Slot, _ = strconv.Atoi(n)
			d.Old = nil
		} else {
			var po store.Post
			if err := json.Unmarshal([]byte(strings.TrimPrefix(v, "post:")), &po); err != nil {
				return stale()
			}
			d.Slot, d.Old = po.Slot, &po
		}
		c.nextStep(stepStatus)
	case stepStatus:
		d.Status = store.Status(v)
		if d.Status == store.Vacant {
			d.Holder, d.Since = "", ""
			c.nextStep(stepConfirm)
		} else {
			c.nextStep(stepHolder)
		}
	case stepHolder:
		if d.Old == nil || d.Old.Holder == "" {
			return stale()
		}
		d.Holder = d.Old.Holder
		c.nextStep(stepDate)
	case stepDate:
		d.Since = b.todayUTC().Format(time.DateOnly)
		c.nextStep(stepConfirm)
	case stepConfirm:
		return b.confirmReport(ctx, r, c, raw)
	default:
		return stale()
	}
	text, kb, err := b.renderReport(ctx, r, c)
	if err != nil {
		return err
	}
	return b.advance(ctx, r, raw, c, text, kb)
}

// reportText takes what the user typed at a step that asks for it; the
// next step comes as a new message under the user's.
func (b *Bot) reportText(ctx context.Context, r *request, c *conversation, raw []byte, text string) error {
	d, ro := c.Report, b.roster.Load()
	text = strings.TrimSpace(norm.NFC.String(text))
	switch c.Step {
	case stepCommune:
		code, ok := b.typedCommune(r, text, d.District)
		if !ok {
			b.send(ctx, r, r.p.T("bot.report.commune_not_found", esc(text)), nil)
			return nil
		}
		d.Commune, d.District = code, ro.districtOf(code)
		c.nextStep(stepKind)
	case stepHolder:
		name, err := store.CleanHolder(text)
		if name == "" && err == nil {
			err = errNoHolder
		}
		if refused := holderRefusal(r, err); refused != "" {
			b.send(ctx, r, refused, nil)
			return nil
		}
		d.Holder = name
		c.nextStep(stepDate)
	case stepDate:
		day, ok := parseDay(text)
		if !ok || day.After(b.todayUTC()) {
			b.send(ctx, r, r.p.T("bot.report.bad_date"), nil)
			return nil
		}
		d.Since = day.Format(time.DateOnly)
		c.nextStep(stepConfirm)
	}
	text, kb, err := b.renderReport(ctx, r, c)
	if err != nil {
		return err
	}
	prevMsg := c.Message
	c.Message = 0
	ok, err := b.swapConv(ctx, r, raw, c)
	if err != nil || !ok {
		return err
	}
	b.edit(ctx, r, prevMsg, b.reportSummary(r, d), nil)
	msg := b.send(ctx, r, text, kb)
	if msg == 0 {
		return nil
	}
	// Remember the new message; a press racing this store simply finds
	// the conversation changed.
	prev, _ := json.Marshal(c)
	c.Message = msg
	_, err = b.swapConv(ctx, r, prev, c)
	return err
}

// typedCommune finds the commune a user typed, within their scope and,
// when one was chosen, the district.
func (b *Bot) typedCommune(r *request, text, district string) (string, bool) {
	ro := b.roster.Load()
	q := understand.Parse(text, ro.gaz)
	var cands []understand.Place
	for _, m := range q.Places {
		cands = append(cands, m.Candidates...)
	}
	found := ""
	for _, pl := range cands {
		if pl.Level != understand.LevelCommune || district != "" && pl.DistrictCode != district {
			continue
		}
		if !ro.covers(r.scope(), store.Scope{Role: store.RoleCommune, Code: pl.Code}) {
			continue
		}
		if found != "" && found != pl.Code {
			return "", false
		}
		found = pl.Code
	}
	return found, found != ""
}

// errNoHolder is a held post's holder left empty.
var errNoHolder = errors.New("bot: no holder's name")

// holderRefusal explains why a holder's name was refused ("" when err is
// nil): the one check, store.CleanHolder, for every way of reporting.
func holderRefusal(r *request, err error) string {
	var he *store.HolderError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &he) && he.Problem == store.ProblemHolderTooLong:
		return r.p.T("bot.holder.holder_too_long", store.MaxHolderLength)
	case errors.As(err, &he):
		return r.p.T("bot.holder." + string(he.Problem))
	}
	return r.p.T("bot.holder.empty")
}

// parseDay reads 15/03/2020, 15-3-2020 or 15.03.2020.
func parseDay(s string) (time.Time, bool) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
	if len(f) != 3 {
		return time.Time{}, false
	}
	var n [3]int
	for i, x := range f {
		v, err := strconv.Atoi(x)
		if err != nil {
			return time.Time{}, false
		}
		n[i] = v
	}
	t := time.Date(n[2], time.Month(n[1]), n[0], 0, 0, 0, 0, time.UTC)
	if n[2] < 1950 || t.Day() != n[0] || int(t.Month()) != n[1] {
		return time.Time{}, false
	}
	return t, true
}

// confirmReport writes the change, once: the conversation ends first, so
// a second press of Confirm finds nothing to confirm.
func (b *Bot) confirmReport(ctx context.Context, r *request, c *conversation, raw []byte) error {
	d := c.Report
	won, err := b.finish(ctx, r, raw)
	if err != nil || !won {
		return err
	}
	// The conversation was built within the user's scope; check again, as
	// a role may have changed since.
	if !b.roster.Load().covers(r.scope(), store.Scope{Role: store.RoleCommune, Code: d.Commune}) {
		b.answerCallback(ctx, r, r.p.T("bot.scope.refused"))
		return nil
	}
	ch := store.Change{
		Ref:    store.PostRef{CommuneCode: d.Commune, Kind: d.Kind, Slot: d.Slot},
		Status: d.Status, Holder: d.Holder,
		Actor: r.actor(), Source: "telegram:" + strconv.FormatInt(r.upd.ID, 10), At: b.now(),
		Expect: d.Old, ExpectNew: d.Old == nil,
		Check: needsCheck(r.scope()),
	}
	if d.Since != "" {
		t, err := time.Parse(time.DateOnly, d.Since)
		if err != nil {
			return fmt.Errorf("bot: stored date %q: %w", d.Since, err)
		}
		ch.Since = &t
	}
	summary := b.reportSummary(r, d)
	// A regular holder's report waits for its decision before the district
	// is asked (decisionButton); any other asks it with the report, in its
	// transaction, so that none is left for the next daily list to tell.
	var tell store.Teller
	if d.Status != store.Regular {
		tell = func(ctx context.Context, c store.Checked) ([]store.OutboxItem, error) {
			return b.checkItems(ctx, c, ch.At)
		}
	}
	rep, err := b.db.ApplyChangeAndTell(ctx, ch, tell)
	switch {
	case errors.Is(err, store.ErrStale):
		b.edit(ctx, r, c.Message, summary+"\n\n"+r.p.T("bot.report.stale"), nil)
		b.answerCallback(ctx, r, "")
		return nil
	case errors.Is(err, store.ErrNoChange):
		b.edit(ctx, r, c.Message, summary+"\n\n"+r.p.T("bot.report.no_change"), nil)
		b.answerCallback(ctx, r, "")
		return nil
	case err != nil:
		// The store failed: put the conversation back, so that Telegram's
		// retry (or the user's next press) finds the confirmation again
		// instead of a stale button and a lost report. Should the write
		// have committed after all, the retry meets ErrStale or
		// ErrNoChange (Expect), never a second report.
		actx, cancel := afterwards(ctx)
		defer cancel()
		if _, rerr := b.st.SwapConversation(actx, r.convKey(), []byte{}, raw, b.opt.ConversationTTL); rerr != nil {
			b.log.Error("restore conversation after a failed report", "update_id", r.upd.ID, "err", rerr)
		}
		return fmt.Errorf("bot: apply report: %w", err)
	}
	b.log.Info("report written", "user_id", r.from.ID, "update_id", r.upd.ID, "post", ch.Ref.String())
	b.edit(ctx, r, c.Message, summary+"\n\n"+r.p.T("bot.report.saved"), nil)
	b.answerCallback(ctx, r, "")
	// The decision behind a regular holder is asked next; the conference
	// asked what becomes of each semi-professional replaced, which is
	// asked after it (afterReport).
	return b.afterReport(ctx, r, rep, d.Held)
}

// reportShort reads "/baocao truong chinh quy Bùi Văn An 15/03/2020" and
// shows the confirmation before anything is written.
func (b *Bot) reportShort(ctx context.Context, r *request, args string) error {
	ro := b.roster.Load()
	form, err := understand.ParseReport(args, ro.gaz)
	var fe *understand.FormError
	if errors.As(err, &fe) {
		key := "bot.report.form." + string(fe.Problem)
		switch fe.Problem {
		case understand.ProblemEmpty, understand.ProblemMissingKind, understand.ProblemMissingStatus, understand.ProblemMissingHolder:
			b.send(ctx, r, r.p.T(key), nil)
		default:
			b.send(ctx, r, r.p.T(key, esc(fe.Words)), nil)
		}
		return nil
	} else if err != nil {
		return fmt.Errorf("bot: read report: %w", err)
	}
	holder, err := store.CleanHolder(form.Holder)
	if refused := holderRefusal(r, err); refused != "" {
		b.send(ctx, r, refused, nil)
		return nil
	}
	form.Holder = holder
	own := r.scope()
	code := ""
	switch {
	case form.Commune != nil:
		code = form.Commune.Code
	case own.Role == store.RoleCommune:
		code = own.Code
	default:
		b.send(ctx, r, r.p.T("bot.report.form.name_commune"), nil)
		return nil
	}
	if !ro.covers(own, store.Scope{Role: store.RoleCommune, Code: code}) {
		b.send(ctx, r, r.p.T("bot.scope.refused"), nil)
		return nil
	}
	posts, err := b.db.CommunePosts(ctx, code)
	if err != nil {
		return fmt.Errorf("bot: report posts: %w", err)
	}
	d := &reportDraft{Commune: code, District: ro.districtOf(code), Kind: form.Kind, Slot: form.Slot, Status: form.Status, Holder: form.Holder,
		Of: kindCounts(posts)[form.Kind]}
	last := 0
	for _, po := range posts {
		if po.Kind != form.Kind {
			continue
		}
		last = po.Slot
		if po.Slot == form.Slot {
			d.Old = &po
		}
	}
	if d.Old == nil && (form.Slot != last+1 || form.Kind == store.Chief && form.Slot != 1) {
		c := ro.communes[code]
		b.send(ctx, r, r.p.T("bot.report.form.no_slot", postName(r.p, form.Kind, c.Type, form.Slot, d.Of+1), communeName(r.p, c)), nil)
		return nil
	}
	if form.Status != store.Vacant {
		day := b.todayUTC()
		if form.Since != nil {
			day = form.Since.In(time.UTC)
		}
		if day.After(b.todayUTC()) {
			b.send(ctx, r, r.p.T("bot.report.bad_date"), nil)
			return nil
		}
		d.Since = day.Format(time.DateOnly)
	}
	c := &conversation{Flow: flowReport, User: r.from.ID, Report: d}
	c.nextStep(stepConfirm)
	text, kb, err := b.renderReport(ctx, r, c)
	if err != nil {
		return err
	}
	c.Message = b.send(ctx, r, text, kb)
	return b.startConv(ctx, r, c)
}

// placeChoices is the prompt and buttons of a district or commune step,
// which the report and the invitation conversations share: the districts
// of the user's province, or the communes of the chosen district.
func placeChoices(r *request, c *conversation, ro *roster, district string) (string, []models.InlineKeyboardButton, int) {
	var bs []models.InlineKeyboardButton
	if c.Step == stepDistrict {
		for _, dist := range ro.ofProvince[ro.provinceOfScope(r.scope())] {
			bs = append(bs, c.button(dist.Name, dist.Code))
		}
		return r.p.T("bot.report.pick_district"), bs, 2
	}
	for _, cm := range ro.ofDistrict[district] {
		bs = append(bs, c.button(cm.Name, cm.Code))
	}
	return r.p.T("bot.report.pick_commune"), bs, 3
}
