package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// Announcements (/thongbao): a province or district user writes a
// message, chooses who of their scope receives it by role, sees how many
// people that is and confirms (a national user first chooses the scope:
// the whole country or one province); the messages go through the outbox, one
// per recipient, with a "Đã đọc" button; /thongbao_N tells the sender who
// has not read announcement N yet.
const (
	// readPrefix starts the callback data of the "Đã đọc" button: "rd:N".
	readPrefix = "rd"
	// announceStatusPrefix starts the command that asks who has not read
	// an announcement: /thongbao_12.
	announceStatusPrefix = "thongbao_"

	stepAnnounceText    = "text"
	stepAnnounceScope   = "scope"
	stepAnnounceRoles   = "roles"
	stepAnnounceConfirm = "confirm"
	optAnnounceAll      = "all"
	optAnnounceSend     = "send"

	// maxNamedUnread is the most people /thongbao_N names; past it, each
	// unit is given with its count, which keeps the answer to a few
	// screens however many did not read.
	maxNamedUnread = 200
)

// announceDraft is an announcement being written: its text, the scope
// chosen by a national user (a province's code, or none for the whole
// country), then the roles chosen.
type announceDraft struct {
	Text     string   `json:"t"`
	Province string   `json:"p,omitempty"`
	Roles    []string `json:"r,omitempty"`
}

// announceScope is where the draft goes: the sender's scope, or the
// province a national user chose.
func announceScope(r *request, d *announceDraft) store.Scope {
	if d.Province != "" && r.scope().All() {
		return store.Scope{Role: store.RoleProvince, Code: d.Province}
	}
	return r.scope()
}

// announceWhere names the scope in a sentence: "tỉnh Hòa Bình", "cả nước".
func (b *Bot) announceWhere(p *locales.Printer, s store.Scope) string {
	if s.All() {
		return p.T("announce.country")
	}
	return b.scopeInSentence(p, s)
}

// announce is /thongbao, with the text after it or asked for.
func (b *Bot) announce(ctx context.Context, r *request, text string) error {
	s := r.scope()
	switch {
	case r.inGroup:
		b.reply(ctx, r, r.p.T("announce.private_only"))
		return nil
	case store.AnnouncementRoles(s) == nil:
		b.reply(ctx, r, r.p.T("announce.not_for_role"))
		return nil
	}
	c := &conversation{Flow: flowAnnounce, User: r.from.ID, Announce: &announceDraft{}}
	if strings.TrimSpace(text) == "" {
		c.nextStep(stepAnnounceText)
		c.Message = b.send(ctx, r, r.p.T("announce.ask_text", r.p.Num(b.opt.MaxTextLength)), b.withCancel(r, c, nil))
		return b.startConv(ctx, r, c)
	}
	msg, kb, ok, err := b.announceNext(ctx, r, c, text)
	if err != nil || !ok {
		return err
	}
	c.Message = b.send(ctx, r, msg, kb)
	return b.startConv(ctx, r, c)
}

// announceNext moves the draft on once its text is known: to the choice
// of scope for a national user, to the choice of roles for the others.
func (b *Bot) announceNext(ctx context.Context, r *request, c *conversation, text string) (string, [][]models.InlineKeyboardButton, bool, error) {
	if r.scope().All() {
		return b.announceScopes(ctx, r, c, text)
	}
	return b.announceRoles(ctx, r, c, text)
}

// announceScopes offers a national user the whole country and each
// province that has someone to receive it, each with how many.
func (b *Bot) announceScopes(ctx context.Context, r *request, c *conversation, text string) (string, [][]models.InlineKeyboardButton, bool, error) {
	users, ok, err := b.everyRecipient(ctx, r, r.scope())
	if err != nil || !ok {
		return "", nil, false, err
	}
	ro := b.roster.Load()
	byProvince := make(map[string]int)
	for _, u := range users {
		if code := ro.provinceOfScope(store.ScopeOf(u)); code != "" {
			byProvince[code]++
		}
	}
	codes := make([]string, 0, len(byProvince))
	for code := range byProvince {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	c.Announce.Text = strings.TrimSpace(text)
	c.nextStep(stepAnnounceScope)
	bs := []models.InlineKeyboardButton{c.button(r.p.T("announce.scope.all", r.p.Num(len(users))), optAnnounceAll)}
	for _, code := range codes {
		name := upperFirst(r.p.Province(ro.provinces[code].Name))
		bs = append(bs, c.button(r.p.T("announce.role.one", name, r.p.Num(byProvince[code])), code))
	}
	msg := r.p.T("announce.choose_scope") + "\n\n" + esc(c.Announce.Text)
	return msg, b.withCancel(r, c, rows(bs, 1)), true, nil
}

// announceText takes the text typed after /thongbao and asks for the
// roles in a new message.
func (b *Bot) announceText(ctx context.Context, r *request, c *conversation, raw []byte, text string) error {
	msg, kb, ok, err := b.announceNext(ctx, r, c, text)
	if err != nil {
		return err
	}
	if !ok {
		_, err := b.swapConv(ctx, r, raw, nil)
		return err
	}
	c.Message = b.send(ctx, r, msg, kb)
	_, err = b.swapConv(ctx, r, raw, c)
	return err
}

// everyRecipient is who an announcement to every role of s reaches; ok
// is false when nobody would, which the user is told.
func (b *Bot) everyRecipient(ctx context.Context, r *request, s store.Scope) ([]store.User, bool, error) {
	users, err := b.db.AnnouncementRecipients(ctx, s, store.AnnouncementRoles(s), r.from.ID)
	if err != nil {
		return nil, false, fmt.Errorf("bot: announcement recipients: %w", err)
	}
	if len(users) == 0 {
		b.reply(ctx, r, r.p.T("announce.nobody"))
		return nil, false, nil
	}
	return users, true, nil
}

// announceRoles moves the draft to the choice of roles: a button per role
// that has someone to receive it, each with how many, and one for all.
// ok is false when nobody would receive it, which the user is told.
func (b *Bot) announceRoles(ctx context.Context, r *request, c *conversation, text string) (string, [][]models.InlineKeyboardButton, bool, error) {
	s := announceScope(r, c.Announce)
	users, ok, err := b.everyRecipient(ctx, r, s)
	if err != nil || !ok {
		return "", nil, false, err
	}
	byRole := make(map[store.Role]int)
	for _, u := range users {
		byRole[u.Role]++
	}
	c.Announce.Text = strings.TrimSpace(text)
	c.nextStep(stepAnnounceRoles)
	bs := []models.InlineKeyboardButton{c.button(r.p.T("announce.role.all", r.p.Num(len(users))), optAnnounceAll)}
	for _, role := range store.AnnouncementRoles(s) {
		if n := byRole[role]; n > 0 {
			bs = append(bs, c.button(r.p.T("announce.role.one", r.p.T("role."+string(role)), r.p.Num(n)), string(role)))
		}
	}
	msg := r.p.T("announce.choose_roles", b.announceWhere(r.p, s)) + "\n\n" + esc(c.Announce.Text)
	return msg, b.withCancel(r, c, rows(bs, 1)), true, nil
}

// announceButton handles the choice of roles, then the confirmation.
func (b *Bot) announceButton(ctx context.Context, r *request, c *conversation, raw []byte, v string) error {
	d := c.Announce
	if d == nil {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	switch {
	case c.Step == stepAnnounceScope:
		if _, ok := b.roster.Load().provinces[v]; !r.scope().All() || v != optAnnounceAll && !ok {
			b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
			return nil
		}
		if v != optAnnounceAll {
			d.Province = v
		}
		msg, kb, ok, err := b.announceRoles(ctx, r, c, d.Text)
		if err != nil {
			return err
		}
		if !ok { // the province's last recipient left since
			_, err := b.finish(ctx, r, raw)
			return err
		}
		return b.advance(ctx, r, raw, c, msg, kb)
	}
	s := announceScope(r, d)
	switch {
	case c.Step == stepAnnounceRoles:
		roles := store.AnnouncementRoles(s)
		if v != optAnnounceAll {
			if !slices.Contains(roles, store.Role(v)) {
				b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
				return nil
			}
			roles = []store.Role{store.Role(v)}
		}
		users, err := b.db.AnnouncementRecipients(ctx, s, roles, r.from.ID)
		if err != nil {
			return fmt.Errorf("bot: announcement recipients: %w", err)
		}
		d.Roles = make([]string, len(roles))
		for i, role := range roles {
			d.Roles[i] = string(role)
		}
		c.nextStep(stepAnnounceConfirm)
		kb := b.withCancel(r, c, [][]models.InlineKeyboardButton{{c.button(r.p.T("announce.button.send", r.p.Num(len(users))), optAnnounceSend)}})
		text := r.p.T("announce.preview", r.p.Num(len(users)), b.audienceName(r.p, s, roles), b.announceWhere(r.p, s)) +
			"\n\n" + esc(d.Text)
		return b.advance(ctx, r, raw, c, text, kb)
	case c.Step == stepAnnounceConfirm && v == optAnnounceSend:
		ok, err := b.finish(ctx, r, raw)
		if err != nil || !ok {
			return err
		}
		return b.sendAnnouncement(ctx, r, c)
	}
	b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
	return nil
}

// audienceName says whom the roles are: "tất cả", or the role's name.
func (b *Bot) audienceName(p *locales.Printer, s store.Scope, roles []store.Role) string {
	if len(roles) == len(store.AnnouncementRoles(s)) {
		return p.T("announce.audience.all")
	}
	return p.T("role." + string(roles[0]))
}

// sendAnnouncement records the confirmed announcement and puts its
// messages in the outbox, for whoever is in the scope with the chosen
// roles now.
func (b *Bot) sendAnnouncement(ctx context.Context, r *request, c *conversation) error {
	d, now := c.Announce, b.now()
	s := announceScope(r, d)
	roles := make([]store.Role, len(d.Roles))
	for i, role := range d.Roles {
		roles[i] = store.Role(role)
	}
	users, err := b.db.AnnouncementRecipients(ctx, s, roles, r.from.ID)
	if err != nil {
		return fmt.Errorf("bot: announcement recipients: %w", err)
	}
	if len(users) == 0 {
		b.edit(ctx, r, c.Message, r.p.T("announce.nobody"), nil)
		b.answerCallback(ctx, r, "")
		return nil
	}
	chats := make([]int64, len(users))
	langs := make(map[int64]string, len(users))
	for i, u := range users {
		chats[i], langs[u.TelegramID] = u.TelegramID, u.Lang
	}
	sender := r.user.Name
	payloads := make(map[string]string) // by language: the same message for all who read it
	payload := func(id, chat int64) (string, error) {
		lang := langs[chat]
		if p, ok := payloads[lang]; ok {
			return p, nil
		}
		pr := b.cat.Printer(b.cat.Match(lang), b.loc)
		if lang == "" {
			pr = b.cat.Printer(locales.Default, b.loc)
		}
		p, err := reminders.MessagePayload(AnnouncementMessage(pr, b.position(pr, r.scope()), sender, now, d.Text, id))
		payloads[lang] = p
		return p, err
	}
	id, err := b.db.CreateAnnouncement(ctx, store.Announcement{SenderID: r.from.ID, Scope: s, Roles: roles, Text: d.Text, CreatedAt: now}, chats, payload)
	if err != nil {
		return fmt.Errorf("bot: send announcement: %w", err)
	}
	n := strconv.FormatInt(id, 10)
	b.edit(ctx, r, c.Message, r.p.T("announce.queued", n, r.p.Num(len(users)))+"\n\n"+esc(d.Text), nil)
	b.answerCallback(ctx, r, "")
	return nil
}

// AnnouncementMessage is what a recipient reads of announcement id: from
// whom (from, the sender's position, in HTML; sender, their name, empty
// when it came from the command line), when, the text, and the “Đã đọc”
// button.
func AnnouncementMessage(p *locales.Printer, from, sender string, at time.Time, text string, id int64) reminders.Message {
	head := p.T("announce.message_unsigned", from, p.At(at))
	if sender != "" {
		head = p.T("announce.message", from, esc(sender), p.At(at))
	}
	return reminders.Message{Text: head + "\n\n" + esc(text), ParseMode: "HTML",
		Buttons: [][]reminders.Button{{{Text: p.T("announce.button.read"), Data: readCallbackData(id)}}}}
}

// readCallbackData is the data of announcement id's "Đã đọc" button.
func readCallbackData(id int64) string { return readPrefix + ":" + strconv.FormatInt(id, 10) }

// readButton records a recipient's "Đã đọc". The data names the
// announcement only: a press by someone it was not sent to, or of an
// announcement that does not exist, changes nothing.
func (b *Bot) readButton(ctx context.Context, r *request, data string) error {
	id, err := strconv.ParseInt(strings.TrimPrefix(data, readPrefix+":"), 10, 64)
	if err != nil || id <= 0 {
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	}
	recipient, first, err := b.db.MarkAnnouncementRead(ctx, id, r.from.ID, b.now())
	if err != nil {
		return fmt.Errorf("bot: read announcement: %w", err)
	}
	switch {
	case !recipient:
		b.answerCallback(ctx, r, r.p.T("bot.button.stale"))
		return nil
	case first:
		b.answerCallback(ctx, r, r.p.T("announce.read.done"))
	default:
		b.answerCallback(ctx, r, r.p.T("announce.read.again"))
	}
	b.dropButtons(ctx, r, pressedMessage(r))
	return nil
}

// announcementStatus is /thongbao_N: how many read announcement N, and
// who has not, by unit. Its sender may ask, and anyone whose scope covers
// the announcement's; to anyone else it does not exist.
func (b *Bot) announcementStatus(ctx context.Context, r *request, n string) error {
	p := r.p
	id, err := strconv.ParseInt(n, 10, 64)
	unknown := func() error { b.reply(ctx, r, p.T("announce.status.unknown", esc(n))); return nil }
	if err != nil || id <= 0 {
		return unknown()
	}
	a, err := b.db.Announcement(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return unknown()
	}
	if err != nil {
		return fmt.Errorf("bot: announcement status: %w", err)
	}
	ro := b.roster.Load()
	own := r.scope()
	if a.SenderID != r.from.ID && (own.Role != store.RoleProvince && !own.All() || !ro.covers(own, a.Scope)) {
		return unknown()
	}
	readers, err := b.db.AnnouncementReaders(ctx, id)
	if err != nil {
		return fmt.Errorf("bot: announcement status: %w", err)
	}
	read := 0
	groups := make(map[store.Scope][]string)
	for _, rd := range readers {
		if rd.ReadAt != nil {
			read++
			continue
		}
		u := rd.User
		name := esc(u.Name)
		switch {
		case u.Name == "":
			name = strconv.FormatInt(u.TelegramID, 10)
		case u.Gone:
			name = p.T("announce.status.gone", name)
		}
		groups[store.ScopeOf(u)] = append(groups[store.ScopeOf(u)], name)
	}
	lines := []string{
		p.T("announce.status.head", strconv.FormatInt(id, 10), p.At(a.CreatedAt), p.Num(len(readers))),
		"“" + esc(excerpt(a.Text, 80)) + "”",
		p.T("announce.status.read", p.Num(read), p.Num(len(readers)), p.Percent(read, len(readers))),
	}
	unread := len(readers) - read
	if unread == 0 {
		lines = append(lines, p.T("announce.status.all_read"))
	} else {
		head := "announce.status.unread"
		if unread > maxNamedUnread {
			head = "announce.status.unread_counts"
		}
		lines = append(lines, "", p.T(head, p.Num(unread)))
		scopes := make([]store.Scope, 0, len(groups))
		for s := range groups {
			scopes = append(scopes, s)
		}
		order := func(s store.Scope) string {
			switch s.Role {
			case store.RoleProvince:
				return "0" + s.Code
			case store.RoleDistrict:
				return "1" + s.Code
			case store.RoleCommune:
				return "1" + ro.districtOf(s.Code) + s.Code
			case store.RoleUnit:
				return "2" + s.Code
			}
			return "3" + s.Code
		}
		sort.Slice(scopes, func(i, j int) bool { return order(scopes[i]) < order(scopes[j]) })
		for _, s := range scopes {
			label := p.T("announce.status.removed")
			if s.Role != "" {
				label = b.position(p, s)
			}
			names := groups[s]
			if unread > maxNamedUnread {
				lines = append(lines, p.T("announce.status.group_count", label, p.Num(len(names))))
				continue
			}
			lines = append(lines, p.T("announce.status.group", label, p.Num(len(names)), strings.Join(names, ", ")))
		}
	}
	for _, part := range reminders.SplitText(strings.Join(lines, "\n"), reminders.MaxTextLen) {
		b.send(ctx, r, part, nil)
	}
	return nil
}

// excerpt is the start of text, at most n characters, on one line.
func excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	runes := []rune(text)
	if len(runes) <= n {
		return text
	}
	return strings.TrimSpace(string(runes[:n])) + "…"
}
