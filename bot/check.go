package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// The decision conversation follows a report (or a report sent back):
// the reporter sends the decision's photo or PDF, types its number and
// day and the holder's standards, in any order, then presses "Đã gửi đủ". The
// check conversation asks a district user why a report is sent back.
const (
	stepDecision = "decision"
	stepReason   = "reason"
)

// checkPrefix starts the data of the buttons under a report sent to its
// district: "v:<report id>:ok" confirms, "v:<report id>:back" sends back.
// The id proves nothing: the checker's scope is checked by the store.
const checkPrefix = "v"

// correctPrefix starts the data of the button under a report sent back:
// "d:<report id>" opens the decision conversation again.
const correctPrefix = "d"

// optDone is the value of the "Đã gửi đủ" button of the decision step.
const optDone = "done"

// decisionDraft is the report whose decision is asked, and what to do
// once the reporter is done.
type decisionDraft struct {
	Report   int64 `json:"r"`
	Replaces bool  `json:"p,omitempty"` // ask what becomes of the person replaced afterwards
	Got      bool  `json:"g,omitempty"` // something was recorded in this conversation
}

// checkDraft is the report a district user sends back, and the message
// whose buttons they pressed.
type checkDraft struct {
	Report  int64 `json:"r"`
	Message int   `json:"m"`
}

// attachment is a photo or file a user sent.
type attachment struct {
	FileID string
	Name   string // "" for a photo
	MIME   string
	Size   int64
}

// attachmentOf returns the photo (its largest size) or document of a
// message, nil when it has neither.
func attachmentOf(m *models.Message) *attachment {
	switch {
	case len(m.Photo) > 0:
		best := m.Photo[0]
		for _, ps := range m.Photo[1:] {
			if ps.Width*ps.Height > best.Width*best.Height {
				best = ps
			}
		}
		return &attachment{FileID: best.FileID, MIME: "image/jpeg", Size: int64(best.FileSize)}
	case m.Document != nil:
		return &attachment{FileID: m.Document.FileID, Name: m.Document.FileName, MIME: m.Document.MimeType, Size: m.Document.FileSize}
	}
	return nil
}

// decisionFileOK says whether a file can be a decision: a photo, an
// image or a PDF, within what a bot may download.
func decisionFileOK(a *attachment) bool {
	if a.Size > store.MaxDecisionFile {
		return false
	}
	if a.Name == "" {
		return true
	}
	name := strings.ToLower(a.Name)
	return a.MIME == "application/pdf" || strings.HasPrefix(a.MIME, "image/") ||
		strings.HasSuffix(name, ".pdf") || strings.HasSuffix(name, ".jpg") || strings.HasSuffix(name, ".jpeg") || strings.HasSuffix(name, ".png")
}

// needsCheck is the check a new report starts with: a commune's waits for
// its district; a district's or the province's is their own check.
func needsCheck(s store.Scope) store.Check {
	if s.Role == store.RoleCommune {
		return store.CheckReported
	}
	return store.CheckVerified
}

// afterReport follows a report written in the chat: a regular holder's
// decision is asked for; otherwise the district was told with the report
// (confirmReport), and the person replaced is asked about. held, typed
// before the report was confirmed, is the step's first input.
func (b *Bot) afterReport(ctx context.Context, r *request, rep store.Report, held string) error {
	if rep.NewStatus == store.Regular {
		if err := b.askDecision(ctx, r, rep.ID, rep.Replaces(), ""); err != nil || held == "" {
			return err
		}
		c, raw, err := b.loadConv(ctx, r)
		if err != nil || c == nil || !decisionWaits(c) {
			return err
		}
		return b.decisionInput(ctx, r, c, raw, held, nil)
	}
	if rep.Replaces() {
		return b.askArrangement(ctx, r, rep)
	}
	return nil
}

// askDecision starts the decision conversation for a report, in a new
// message; head, when set, comes before the question (why it is asked).
func (b *Bot) askDecision(ctx context.Context, r *request, id int64, replaces bool, head string) error {
	c := &conversation{Flow: flowDecision, User: r.from.ID, Decision: &decisionDraft{Report: id, Replaces: replaces}}
	c.nextStep(stepDecision)
	text := r.p.T("bot.decision.ask")
	if head != "" {
		text = head + "\n\n" + text
	}
	if c.Message = b.send(ctx, r, text, rows([]models.InlineKeyboardButton{c.button(r.p.T("bot.decision.later"), optLater)}, 1)); c.Message == 0 {
		return nil
	}
	return b.startConv(ctx, r, c)
}

// heldDecision takes text typed while a report waits for its
// confirmation and reports whether it was about a decision: a regular
// holder's is kept for the decision step, and the user is reminded to
// confirm first either way.
func (b *Bot) heldDecision(ctx context.Context, r *request, c *conversation, raw []byte, text string) (bool, error) {
	// A question beside the words of standards ("xã nào có trưởng CA đã
	// qua đào tạo") leaves words unread: it is a question, unless the
	// text names a decision.
	if f := understand.ParseDecision(text); !f.AboutDecision() || f.Note != "" && !f.Named && f.Number == "" {
		return false, nil
	}
	if c.Report.Status != store.Regular {
		b.send(ctx, r, r.p.T("bot.report.confirm_first"), nil)
		return true, nil
	}
	c.Report.Held = strings.TrimSpace(c.Report.Held + "\n" + text)
	ok, err := b.swapConv(ctx, r, raw, c)
	if err != nil {
		return true, err
	}
	if !ok {
		b.send(ctx, r, r.p.T("bot.button.stale"), nil)
		return true, nil
	}
	b.send(ctx, r, r.p.T("bot.report.decision_held"), nil)
	return true, nil
}

// questionAside says whether text typed at the decision step is a
// question rather than anything about the decision: nothing of a decision
// or standards read in it, and a question (not a place's overview, which
// a note naming a place would read as) read in it.
func (b *Bot) questionAside(text string) bool {
	if f := understand.ParseDecision(text); f.AboutDecision() || f.Date != nil || f.BadDate != "" {
		return false
	}
	for _, q := range understand.Read(text, b.roster.Load().gaz, b.now().In(b.loc)).Parts {
		if q.Topic != understand.TopicUnknown && !q.Overview {
			return true
		}
	}
	return false
}

// holderAside says whether text typed where a report asks for the
// holder's name is a question rather than a name: a question about posts
// or statuses read in it, whose every place is one of the roster, not
// written as a name is. A name reads as a place
// unknown ("Nguyen Van Nam": "Nguyen Van"), or beside one it holds ("Bùi
// Văn Quyết Thắng"), and stays a name.
func (b *Bot) holderAside(text string) bool {
	asked := false
	for _, q := range understand.Read(text, b.roster.Load().gaz, b.now().In(b.loc)).Parts {
		for _, pl := range q.Places {
			if pl.Unmatched != "" || len(pl.Candidates) == 0 {
				return false
			}
		}
		// A question names the post it asks about ("tcax") and asks
		// something of it (who, how many, whether): a name's words may
		// read as a post and a status ("truong minh dat": a list of the
		// regular chiefs, the reading of words that ask nothing), not as
		// those.
		asked = asked || q.Topic != understand.TopicUnknown && !q.Overview && len(q.Kinds) > 0 && q.Measure != store.MeasureList
	}
	return asked && !titleCased(text)
}

// titleCased says whether every word of text starts with a capital, as a
// person's name is written ("Bùi Văn An"), and a question is not.
func titleCased(text string) bool {
	words := strings.Fields(text)
	for _, w := range words {
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			return false
		}
	}
	return len(words) > 0
}

// decisionWaits says whether the conversation takes a decision's text
// or file now.
func decisionWaits(c *conversation) bool { return c.Flow == flowDecision && c.Step == stepDecision }

// decisionInput takes what the reporter sent at the decision step: text,
// or a photo or file with an optional caption.
func (b *Bot) decisionInput(ctx context.Context, r *request, c *conversation, raw []byte, text string, att *attachment) error {
	p := r.p
	form := understand.ParseDecision(text)
	if form.BadDate != "" {
		b.send(ctx, r, p.T("bot.decision.bad_date", esc(form.BadDate)), nil)
		return nil
	}
	if att == nil && form.Empty() {
		b.send(ctx, r, p.T("bot.decision.not_read"), nil)
		return nil
	}
	if len([]rune(form.Note)) > store.MaxDetailLength {
		b.send(ctx, r, p.T("bot.decision.note_long", store.MaxDetailLength), nil)
		return nil
	}
	if att != nil && !decisionFileOK(att) {
		b.send(ctx, r, p.T("bot.decision.bad_file", store.MaxDecisionFile>>20), nil)
		return nil
	}
	corr := store.Correction{ReportID: c.Decision.Report, Scope: r.scope(), Actor: r.actor(), At: b.now(),
		Decision:  store.Decision{Number: form.Number, Issuer: form.Issuer},
		Standards: store.Standards{Rank: form.Rank, Training: form.Training, Qualification: form.Qualified}, Note: form.Note}
	if form.Date != nil {
		t := form.Date.In(b.loc)
		if t.After(b.now()) {
			b.send(ctx, r, p.T("bot.decision.future"), nil)
			return nil
		}
		day := form.Date.In(time.UTC)
		corr.Decision.Date = &day
	}
	if att != nil {
		data, err := b.download(ctx, r, att.FileID)
		if err != nil {
			return err
		}
		name := att.Name
		if name == "" {
			name = "quyet-dinh-" + strconv.FormatInt(c.Decision.Report, 10) + ".jpg"
		}
		if err := b.db.KeepDecisionFile(ctx, store.DecisionFile{FileID: att.FileID, ReportID: c.Decision.Report, Name: name, MIME: att.MIME, Data: data}, b.now()); err != nil {
			return fmt.Errorf("bot: keep decision file: %w", err)
		}
		corr.Decision.FileID, corr.Decision.FileName = att.FileID, att.Name
	}
	got, err := b.db.CorrectReport(ctx, corr)
	switch {
	case errors.Is(err, store.ErrNoteFull):
		b.send(ctx, r, p.T("bot.decision.note_full"), nil)
		return nil
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrChecked):
		_, _ = b.finish(ctx, r, raw)
		b.send(ctx, r, p.T("bot.decision.closed"), nil)
		return nil
	case err != nil:
		return fmt.Errorf("bot: record decision: %w", err)
	}
	b.log.Info("decision recorded", "user_id", r.from.ID, "update_id", r.upd.ID, "report_id", got.Report.ID, "file", att != nil)
	prevMsg := c.Message
	c.Decision.Got = true
	c.nextStep(stepDecision)
	kb := rows([]models.InlineKeyboardButton{c.button(p.T("bot.decision.done"), optDone)}, 1)
	c.Message = 0
	ok, err := b.swapConv(ctx, r, raw, c)
	if err != nil || !ok {
		return err
	}
	b.dropButtons(ctx, r, prevMsg)
	msg := b.send(ctx, r, p.T("bot.decision.recorded", b.detailsText(p, got.Details))+"\n\n"+p.T("bot.decision.more"), kb)
	if msg == 0 {
		return nil
	}
	prev, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("bot: encode conversation: %w", err)
	}
	c.Message = msg
	_, err = b.swapConv(ctx, r, prev, c)
	return err
}

// decisionButton takes "Đã gửi đủ" or "Gửi sau": the conversation ends, the
// district is told, and the person replaced is asked about.
func (b *Bot) decisionButton(ctx context.Context, r *request, c *conversation, raw []byte, v string) error {
	if v != optDone && v != optLater {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	won, err := b.finish(ctx, r, raw)
	if err != nil || !won {
		return err
	}
	waits, err := b.tellCheckers(ctx, r, c.Decision.Report)
	if err != nil {
		return err
	}
	note := "bot.decision.finished"
	switch {
	case !waits && c.Decision.Got:
		note = "bot.decision.finished_own"
	case !waits:
		note = "bot.decision.later_own"
	case !c.Decision.Got:
		note = "bot.decision.later_done"
	}
	b.edit(ctx, r, c.Message, r.p.T(note), nil)
	b.answerCallback(ctx, r, "")
	if c.Decision.Replaces {
		rep, err := b.db.ReplacedPerson(ctx, c.Decision.Report)
		if err != nil {
			return fmt.Errorf("bot: person replaced: %w", err)
		}
		return b.askArrangement(ctx, r, rep.Report)
	}
	return nil
}

// tellCheckers asks the district's users (the province's when the
// district has none) to check a report written in the chat, through the
// outbox as the Mini App's reports are (queueChecks), and reports whether
// it waits. A report that waits for nothing is not sent.
func (b *Bot) tellCheckers(ctx context.Context, _ *request, id int64) (bool, error) {
	n, err := b.queueChecks(ctx, []int64{id})
	return n > 0, err
}

// checkers are who is asked to check a report: the district's users,
// the province's when the district has none.
func (b *Bot) checkers(ctx context.Context, c store.Checked) ([]store.User, error) {
	ro := b.roster.Load()
	district := ro.districtOf(c.Report.CommuneCode)
	to, err := b.usersIn(ctx, store.Scope{Role: store.RoleDistrict, Code: district})
	if err != nil || len(to) > 0 {
		return to, err
	}
	return b.usersIn(ctx, store.Scope{Role: store.RoleProvince, Code: ro.provinceOf(district)})
}

// usersIn returns the users of scope s's own role still registered, from
// the user cache while no user changed since they were read (userCache),
// so that a report costs no read of the users.
func (b *Bot) usersIn(ctx context.Context, s store.Scope) ([]store.User, error) {
	gen, genErr := b.usersGeneration(ctx)
	if genErr == nil {
		if to, ok := b.users.getRole(s, gen); ok {
			return to, nil
		}
	}
	users, err := b.db.UsersIn(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("bot: checkers: %w", err)
	}
	var to []store.User
	for _, u := range users {
		if !u.Gone {
			to = append(to, u)
		}
	}
	if genErr == nil {
		b.users.putRole(s, to, gen)
	}
	return to, nil
}

// usersGeneration is the users generation as the user cache last read
// it, within its check interval.
func (b *Bot) usersGeneration(ctx context.Context) (int64, error) {
	return b.users.generation(b.now(), func() (int64, error) { return b.db.UsersGeneration(ctx) })
}

// cachedUser returns the registered user with Telegram id id, from the
// user cache when no user changed since it was read.
func (b *Bot) cachedUser(ctx context.Context, id int64) (store.User, error) {
	gen, genErr := b.usersGeneration(ctx)
	if genErr == nil {
		if u, ok := b.users.get(id, gen); ok {
			return u, nil
		}
	}
	u, err := b.db.User(ctx, id)
	if err != nil {
		return store.User{}, err
	}
	if genErr == nil {
		b.users.put(u, gen)
	}
	return u, nil
}

// sendCheck sends a chat a report waiting for its check: the decision's
// file, then the report with Xác nhận and Trả lại.
func (b *Bot) sendCheck(ctx context.Context, r *request, chat int64, p *locales.Printer, c store.Checked) error {
	text, err := b.checkAsk(ctx, p, c)
	if err != nil {
		return err
	}
	b.sendFile(ctx, r, chat, c.Details.Decision)
	var kb [][]models.InlineKeyboardButton
	for _, row := range checkButtons(p, c.Report.ID) {
		var line []models.InlineKeyboardButton
		for _, bt := range row {
			line = append(line, models.InlineKeyboardButton{Text: bt.Text, CallbackData: bt.Data})
		}
		kb = append(kb, line)
	}
	b.sendTo(ctx, r, chat, text, kb)
	return nil
}

// checkAsk is the message that asks a checker about a report.
func (b *Bot) checkAsk(ctx context.Context, p *locales.Printer, c store.Checked) (string, error) {
	by, err := b.personName(ctx, p, c.Report.Actor)
	if err != nil {
		return "", err
	}
	return p.T("bot.check.ask", b.checkedText(p, c), by), nil
}

// checkButtons are Xác nhận and Trả lại under a report.
func checkButtons(p *locales.Printer, id int64) [][]reminders.Button {
	idText := strconv.FormatInt(id, 10)
	return [][]reminders.Button{{
		{Text: p.T("bot.check.verify"), Data: checkPrefix + ":" + idText + ":ok"},
		{Text: p.T("bot.check.return"), Data: checkPrefix + ":" + idText + ":back"},
	}}
}

// CheckItems are the outbox items that ask the checkers of c, a report
// just written, to check it, none when it does not wait for its check:
// how the Mini App's reports reach the district, written with them
// (store.DB.ApplyChangesAndTell), as the chat's are.
func (b *Bot) CheckItems(ctx context.Context, c store.Checked) ([]store.OutboxItem, error) {
	return b.checkItems(ctx, c, b.now())
}

// queueChecks enqueues, for each of the reports ids that waits for its
// check, its decision's file (by Telegram's file_id) then the report
// with Xác nhận and Trả lại, to each of its checkers, and returns how
// many wait. One item per report, time it started waiting and checker:
// a report queued twice is asked once, and asked again once corrected
// after it was sent back.
func (b *Bot) queueChecks(ctx context.Context, ids []int64) (int, error) {
	now := b.now()
	var items []store.OutboxItem
	waiting := 0
	for _, id := range ids {
		c, err := b.db.CheckedReport(ctx, store.Scope{}, id)
		if err != nil {
			return 0, fmt.Errorf("bot: queue check of report %d: %w", id, err)
		}
		if c.Details.Check == store.CheckReported {
			waiting++
		}
		its, err := b.checkItems(ctx, c, now)
		if err != nil {
			return 0, err
		}
		items = append(items, its...)
	}
	if len(items) == 0 {
		return waiting, nil
	}
	if _, err := b.db.Enqueue(ctx, items); err != nil {
		return 0, fmt.Errorf("bot: queue checks: %w", err)
	}
	return waiting, nil
}

// checkItems are the outbox items that ask c's checkers to check it,
// none when it does not wait for its check.
func (b *Bot) checkItems(ctx context.Context, c store.Checked, now time.Time) ([]store.OutboxItem, error) {
	if c.Details.Check != store.CheckReported {
		return nil, nil
	}
	to, err := b.checkers(ctx, c)
	if err != nil {
		return nil, err
	}
	id := c.Report.ID
	round := "check:" + strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(c.Details.WaitingSince.UnixMicro(), 10) + ":"
	// The decision's photo or file is the same message to every checker.
	var filePayload string
	if file := decisionFileMessage(c.Details.Decision); file != nil {
		if filePayload, err = reminders.MessagePayload(*file); err != nil {
			return nil, err
		}
	}
	var items []store.OutboxItem
	for _, u := range to {
		key := round + strconv.FormatInt(u.TelegramID, 10)
		if filePayload != "" {
			items = append(items, store.OutboxItem{Key: key + ":file", ChatID: u.TelegramID, Kind: reminders.KindChecks, Payload: filePayload, DueAt: now})
		}
		p := b.printerOf(u)
		text, err := b.checkAsk(ctx, p, c)
		if err != nil {
			return nil, err
		}
		payload, err := reminders.MessagePayload(reminders.Message{Text: text, ParseMode: "HTML", Buttons: checkButtons(p, id)})
		if err != nil {
			return nil, err
		}
		items = append(items, store.OutboxItem{Key: key, ChatID: u.TelegramID, Kind: reminders.KindChecks, Payload: payload, DueAt: now})
	}
	return items, nil
}

// decisionFileMessage is the message that sends a decision's photo or
// file again by the file_id Telegram gave it, nil when it has none.
func decisionFileMessage(d store.Decision) *reminders.Message {
	switch {
	case d.FileID == "":
		return nil
	case d.FileName == "":
		return &reminders.Message{Photo: &reminders.File{FileID: d.FileID}}
	}
	return &reminders.Message{Document: &reminders.File{Name: d.FileName, FileID: d.FileID}}
}

// maxChecksShown is how many reports /xacnhan sends at once.
const maxChecksShown = 10

// checks is /xacnhan: for district and province users, the reports in
// their scope waiting for a check, the longest waiting first, each with
// its buttons; for commune users, their reports sent back, each with the
// button to add the decision.
func (b *Bot) checks(ctx context.Context, r *request, _ string) error {
	p, s := r.p, r.scope()
	state := store.CheckReported
	if s.Role == store.RoleCommune {
		state = store.CheckReturned
	}
	list, err := b.db.WaitingReports(ctx, s, state)
	if err != nil {
		return fmt.Errorf("bot: reports waiting: %w", err)
	}
	if state == store.CheckReturned {
		if len(list) == 0 {
			b.reply(ctx, r, p.T("bot.checks.none_returned"))
			return nil
		}
		b.send(ctx, r, p.T("bot.checks.returned", p.Num(len(list))), nil)
		for _, c := range list[:min(len(list), maxChecksShown)] {
			kb := [][]models.InlineKeyboardButton{{{Text: p.T("bot.check.correct"), CallbackData: correctPrefix + ":" + strconv.FormatInt(c.Report.ID, 10)}}}
			by, err := b.personName(ctx, p, c.Details.CheckedBy)
			if err != nil {
				return err
			}
			b.send(ctx, r, p.T("bot.check.returned_note", b.checkedText(p, c), esc(c.Details.Reason), by), kb)
		}
		return nil
	}
	if len(list) == 0 {
		b.reply(ctx, r, p.T("bot.checks.none", p.InSentence(b.scopeName(p, s))))
		return nil
	}
	head := p.T("bot.checks.head", p.Num(len(list)), p.InSentence(b.scopeName(p, s)))
	if len(list) > maxChecksShown {
		head += "\n" + p.T("bot.checks.more", p.Num(maxChecksShown))
	}
	b.send(ctx, r, head, nil)
	for _, c := range list[:min(len(list), maxChecksShown)] {
		if err := b.sendCheck(ctx, r, r.chat, p, c); err != nil {
			return err
		}
	}
	return nil
}

// checkedText is a report and its details as a checker reads them.
func (b *Bot) checkedText(p *locales.Printer, c store.Checked) string {
	ro := b.roster.Load()
	cm := ro.communes[c.Report.CommuneCode]
	rep := c.Report
	text := p.T("bot.check.report", upperFirst(communeName(p, cm)), esc(p.InSentence(ro.districts[cm.DistrictCode].Name)),
		postName(p, rep.Kind, cm.Type, rep.Slot, 0), b.stateText(p, rep.OldStatus, rep.OldHolder), b.stateText(p, rep.NewStatus, rep.NewHolder))
	if rep.Since != nil {
		text += "\n" + p.T("bot.report.since", p.Date(dateOf(*rep.Since)))
	}
	if d := b.detailsText(p, c.Details); d != "" {
		text += "\n" + d
	}
	return text
}

// detailsText writes a report's decision and the holder's standards, ""
// when nothing is known.
func (b *Bot) detailsText(p *locales.Printer, d store.Details) string {
	var lines []string
	if dec := b.decisionText(p, d.Decision); dec != "" {
		lines = append(lines, p.T("bot.decision.line", dec))
	} else {
		lines = append(lines, p.T("bot.decision.none"))
	}
	var std []string
	if d.Standards.Rank != "" {
		std = append(std, p.T("rank."+string(d.Standards.Rank)))
	}
	if d.Standards.Training != "" {
		std = append(std, esc(d.Standards.Training))
	}
	if d.Standards.Qualification != "" {
		std = append(std, p.T("bot.decision.qualification", esc(d.Standards.Qualification)))
	}
	if len(std) > 0 {
		lines = append(lines, p.T("bot.decision.standards", strings.Join(std, "; ")))
	}
	if d.Note != "" {
		lines = append(lines, p.T("bot.decision.note", esc(d.Note)))
	}
	return strings.Join(lines, "\n")
}

// decisionText writes a decision: "số 125/QĐ-CAT ngày 10/03/2020 của
// Giám đốc Công an tỉnh (có ảnh)".
func (b *Bot) decisionText(p *locales.Printer, d store.Decision) string {
	var parts []string
	if d.Number != "" {
		parts = append(parts, p.T("bot.decision.number", esc(d.Number)))
	}
	if d.Date != nil {
		parts = append(parts, p.T("bot.decision.date", p.Date(dateOf(*d.Date))))
	}
	if d.Issuer != "" {
		parts = append(parts, p.T("bot.decision.issuer", esc(d.Issuer)))
	}
	switch {
	case d.FileID != "" && d.FileName == "":
		parts = append(parts, p.T("bot.decision.photo"))
	case d.FileID != "":
		parts = append(parts, p.T("bot.decision.file", esc(d.FileName)))
	}
	return strings.Join(parts, " ")
}

// checkButton takes a press of Xác nhận or Trả lại under a report. The
// checker's scope decides: a press from a commune user, or from a
// district the report is not in, changes nothing.
func (b *Bot) checkButton(ctx context.Context, r *request, data string) error {
	parts := strings.Split(data, ":")
	var id int64
	var err error
	if len(parts) == 3 {
		id, err = strconv.ParseInt(parts[1], 10, 64)
	}
	if len(parts) != 3 || err != nil || parts[2] != "ok" && parts[2] != "back" {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	if r.scope().Role == store.RoleCommune {
		b.answerCallback(ctx, r, r.p.T("bot.check.not_yours"))
		return nil
	}
	msgID := 0
	if m := r.cb.Message.Message; m != nil {
		msgID = m.ID
	}
	if parts[2] == "back" {
		c, err := b.db.CheckedReport(ctx, r.scope(), id)
		if errors.Is(err, store.ErrNotFound) {
			return b.checkNotFound(ctx, r, id)
		} else if err != nil {
			return fmt.Errorf("bot: report to send back: %w", err)
		}
		if c.Details.Check != store.CheckReported {
			b.answerCallback(ctx, r, r.p.T("bot.check.already"))
			return nil
		}
		if c.Superseded {
			return b.checkSuperseded(ctx, r, id, msgID)
		}
		conv := &conversation{Flow: flowCheck, User: r.from.ID, Check: &checkDraft{Report: id, Message: msgID}}
		conv.nextStep(stepReason)
		b.answerCallback(ctx, r, "")
		if conv.Message = b.send(ctx, r, r.p.T("bot.check.ask_reason"), b.withCancel(r, conv, nil)); conv.Message == 0 {
			return nil
		}
		return b.startConv(ctx, r, conv)
	}
	got, err := b.db.CheckReport(ctx, store.Verdict{ReportID: id, Scope: r.scope(), Verify: true, Actor: r.actor(), At: b.now()})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return b.checkNotFound(ctx, r, id)
	case errors.Is(err, store.ErrChecked):
		b.answerCallback(ctx, r, r.p.T("bot.check.already"))
		return nil
	case errors.Is(err, store.ErrSuperseded):
		return b.checkSuperseded(ctx, r, id, msgID)
	case err != nil:
		return fmt.Errorf("bot: verify report: %w", err)
	}
	b.log.Info("report verified", "user_id", r.from.ID, "update_id", r.upd.ID, "report_id", id)
	by, err := b.personName(ctx, r.p, r.actor())
	if err != nil {
		return err
	}
	b.edit(ctx, r, msgID, b.checkedText(r.p, got)+"\n\n"+r.p.T("bot.check.verified", by), nil)
	b.answerCallback(ctx, r, r.p.T("bot.check.verified_short"))
	return b.tellReporter(ctx, r, got, "bot.check.verified_note", nil)
}

// checkNotFound answers a press on a report the checker's scope does not
// find: a report that does not exist (a forged or mangled button) is a
// button no longer valid; one that exists is out of their scope.
func (b *Bot) checkNotFound(ctx context.Context, r *request, id int64) error {
	_, err := b.db.CheckedReport(ctx, store.Scope{}, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	case err != nil:
		return fmt.Errorf("bot: report to check: %w", err)
	}
	b.log.Warn("check of a report out of scope refused", "user_id", r.from.ID, "report_id", id)
	b.answerCallback(ctx, r, r.p.T("bot.check.not_yours"))
	return nil
}

// checkSuperseded answers a press on a report a later report of the same
// post replaced: nothing changes, and the message under which it was
// pressed says so, its buttons gone.
func (b *Bot) checkSuperseded(ctx context.Context, r *request, id int64, msgID int) error {
	c, err := b.db.CheckedReport(ctx, r.scope(), id)
	if err != nil {
		return fmt.Errorf("bot: superseded report: %w", err)
	}
	b.log.Info("check of a superseded report refused", "user_id", r.from.ID, "report_id", id)
	b.edit(ctx, r, msgID, b.checkedText(r.p, c)+"\n\n"+r.p.T("bot.check.superseded"), nil)
	b.answerCallback(ctx, r, r.p.T("bot.check.superseded_short"))
	return nil
}

// reasonText takes the reason a district user typed: the report is sent
// back and the reporter told, with a button to correct it.
func (b *Bot) reasonText(ctx context.Context, r *request, c *conversation, raw []byte, text string) error {
	reason := strings.Join(strings.Fields(text), " ")
	if reason == "" || len([]rune(reason)) > store.MaxDetailLength {
		b.send(ctx, r, r.p.T("bot.check.bad_reason", store.MaxDetailLength), nil)
		return nil
	}
	won, err := b.swapConv(ctx, r, raw, nil)
	if err != nil || !won {
		return err
	}
	got, err := b.db.CheckReport(ctx, store.Verdict{ReportID: c.Check.Report, Scope: r.scope(), Reason: reason, Actor: r.actor(), At: b.now()})
	switch {
	case errors.Is(err, store.ErrNotFound):
		b.send(ctx, r, r.p.T("bot.check.not_yours"), nil)
		return nil
	case errors.Is(err, store.ErrChecked):
		b.send(ctx, r, r.p.T("bot.check.already"), nil)
		return nil
	case errors.Is(err, store.ErrSuperseded):
		b.send(ctx, r, r.p.T("bot.check.superseded"), nil)
		return nil
	case err != nil:
		return fmt.Errorf("bot: send back report: %w", err)
	}
	b.log.Info("report sent back", "user_id", r.from.ID, "update_id", r.upd.ID, "report_id", got.Report.ID)
	b.edit(ctx, r, c.Message, r.p.T("bot.check.ask_reason"), nil)
	b.edit(ctx, r, c.Check.Message, b.checkedText(r.p, got)+"\n\n"+r.p.T("bot.check.returned", esc(reason)), nil)
	b.send(ctx, r, r.p.T("bot.check.returned_done"), nil)
	kb := func(p *locales.Printer) [][]models.InlineKeyboardButton {
		return [][]models.InlineKeyboardButton{{{Text: p.T("bot.check.correct"), CallbackData: correctPrefix + ":" + strconv.FormatInt(got.Report.ID, 10)}}}
	}
	return b.tellReporter(ctx, r, got, "bot.check.returned_note", kb)
}

// correctButton is the reporter's press of "Bổ sung, sửa báo cáo" under a
// report sent back: the decision conversation again, within their scope.
func (b *Bot) correctButton(ctx context.Context, r *request, data string) error {
	id, err := strconv.ParseInt(strings.TrimPrefix(data, correctPrefix+":"), 10, 64)
	if err != nil {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	c, err := b.db.CheckedReport(ctx, r.scope(), id)
	if errors.Is(err, store.ErrNotFound) {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	} else if err != nil {
		return fmt.Errorf("bot: report to correct: %w", err)
	}
	if c.Superseded {
		b.answerCallback(ctx, r, r.p.T("bot.check.superseded_short"))
		return nil
	}
	if c.Details.Check != store.CheckReturned {
		b.answerCallback(ctx, r, r.p.T("bot.decision.closed"))
		return nil
	}
	b.answerCallback(ctx, r, "")
	return b.askDecision(ctx, r, id, false, b.checkedText(r.p, c))
}

// tellReporter sends the reporter a note about their report, in their
// language: key takes the report, the reason and who checked it.
func (b *Bot) tellReporter(ctx context.Context, r *request, c store.Checked, key string, kb func(*locales.Printer) [][]models.InlineKeyboardButton) error {
	a := store.ParseActor(c.Report.Actor)
	if a.UserID == 0 {
		return nil
	}
	u, err := b.db.User(ctx, a.UserID)
	if errors.Is(err, store.ErrNotFound) || err == nil && u.Gone {
		return nil
	} else if err != nil {
		return fmt.Errorf("bot: reporter: %w", err)
	}
	p := b.printerOf(u)
	var buttons [][]models.InlineKeyboardButton
	if kb != nil {
		buttons = kb(p)
	}
	by, err := b.personName(ctx, p, c.Details.CheckedBy)
	if err != nil {
		return err
	}
	b.sendTo(ctx, r, u.TelegramID, p.T(key, b.checkedText(p, c), esc(c.Details.Reason), by), buttons)
	return nil
}

// printerOf speaks to a user in their language, Vietnamese until they
// choose.
func (b *Bot) printerOf(u store.User) *locales.Printer {
	if u.Lang == "" {
		return b.cat.Printer(locales.Default, b.loc)
	}
	return b.cat.Printer(b.cat.Match(u.Lang), b.loc)
}

// dropButtons removes the buttons under one of the bot's messages, its
// text kept.
func (b *Bot) dropButtons(ctx context.Context, r *request, msgID int) {
	if msgID == 0 {
		return
	}
	b.flush(ctx, r)
	_, err := r.tg.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{ChatID: r.chat, MessageID: msgID, ReplyMarkup: markup(nil)})
	if err != nil {
		b.log.Warn("remove buttons", "update_id", r.upd.ID, "chat_id", r.chat, "err", err)
	}
}

// personName names a user as "Bùi Văn Thắng (Lãnh đạo huyện Lạc Sơn)";
// one removed since, by their Telegram id.
func (b *Bot) personName(ctx context.Context, p *locales.Printer, actor string) (string, error) {
	a := store.ParseActor(actor)
	if a.UserID == 0 {
		return esc(actor), nil
	}
	u, err := b.cachedUser(ctx, a.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return esc(actor), nil
	}
	if err != nil {
		return "", fmt.Errorf("bot: name %s: %w", actor, err)
	}
	return p.T("bot.check.person", esc(u.Name), b.position(p, store.ScopeOf(u))), nil
}

// sendTo writes an HTML message to another chat than the request's;
// failures are logged (the daily list is the durable way).
func (b *Bot) sendTo(ctx context.Context, r *request, chat int64, text string, kb [][]models.InlineKeyboardButton) {
	p := &tgbot.SendMessageParams{ChatID: chat, Text: text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}}
	if len(kb) > 0 {
		p.ReplyMarkup = markup(kb)
	}
	if _, err := r.tg.SendMessage(ctx, p); err != nil {
		b.log.Warn("send message", "update_id", r.upd.ID, "chat_id", chat, "err", err)
	}
}

// sendFile sends a decision's photo or file to a chat by its file_id.
func (b *Bot) sendFile(ctx context.Context, r *request, chat int64, d store.Decision) {
	if d.FileID == "" {
		return
	}
	var err error
	if d.FileName == "" {
		_, err = r.tg.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: chat, Photo: &models.InputFileString{Data: d.FileID}})
	} else {
		_, err = r.tg.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: chat, Document: &models.InputFileString{Data: d.FileID}})
	}
	if err != nil {
		b.log.Warn("send decision file", "update_id", r.upd.ID, "chat_id", chat, "err", err)
	}
}

// download fetches a file a user sent, for our own copy.
func (b *Bot) download(ctx context.Context, r *request, fileID string) ([]byte, error) {
	f, err := r.tg.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, fmt.Errorf("bot: get file: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.tg.FileDownloadLink(f), nil)
	if err != nil {
		return nil, fmt.Errorf("bot: download file: %w", err)
	}
	resp, err := b.files.Do(req)
	if err != nil {
		return nil, fmt.Errorf("bot: download file: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("bot: download file: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, store.MaxDecisionFile+1))
	if err != nil {
		return nil, fmt.Errorf("bot: download file: %w", err)
	}
	if len(data) > store.MaxDecisionFile || len(data) == 0 {
		return nil, fmt.Errorf("bot: download file: %d bytes", len(data))
	}
	return data, nil
}
