package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// maxAnnouncementText keeps an announcement from the command line within
// one Telegram message, its heading included.
const maxAnnouncementText = 3500

// runAnnounce sends an announcement from the command line, as /thongbao
// does in the chat, or shows who has read one:
//
//	caxbot announce send --scope CODE [--role R] --text TEXT
//	caxbot announce show N
func runAnnounce(ctx context.Context, m *Main, args []string) error {
	p := m.Printer
	fs := m.flags("announce")
	scope := fs.String("scope", "", p.T("flag.announce_scope"))
	role := fs.String("role", "", p.T("flag.announce_role"))
	text := fs.String("text", "", p.T("flag.announce_text"))
	words, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(words) == 1 && words[0] == "send":
		if err := m.need(fs, "scope", "text"); err != nil {
			return err
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.announce(ctx, strings.TrimSpace(*scope), store.Role(strings.TrimSpace(*role)), strings.TrimSpace(*text))
	case len(words) == 2 && words[0] == "show":
		id, err := strconv.ParseInt(words[1], 10, 64)
		if err != nil || id <= 0 {
			return cliError(p.T("announce.bad_number", words[1]))
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.showAnnouncement(ctx, id)
	}
	fs.Usage()
	return errUsage
}

// nationalScope is the code of the whole country, the Ministry's scope
// (users add --role national --scope VN).
const nationalScope = "VN"

// announce puts an announcement to the roles of the whole country
// (nationalScope), a province or a district (all of them when role is
// empty) in the outbox, signed by the scope: the Ministry, as /thongbao
// of a national user, the province or the district.
func (m *Main) announce(ctx context.Context, code string, role store.Role, text string) error {
	p := m.Printer
	var sc store.Scope
	if strings.EqualFold(code, nationalScope) {
		sc = store.Scope{Role: store.RoleNational, Code: nationalScope}
	} else {
		levels := map[int]store.Role{2: store.RoleProvince, 3: store.RoleDistrict}
		level, ok := levels[len(code)]
		if !ok {
			return userError(p.T("announce.bad_scope", code))
		}
		var err error
		if sc, err = m.checkScope(ctx, level, code); err != nil {
			return err
		}
	}
	roles := store.AnnouncementRoles(sc)
	if role != "" {
		if !slices.Contains(roles, role) {
			names := make([]string, len(roles))
			for i, r := range roles {
				names[i] = string(r)
			}
			return userError(p.T("announce.bad_role", string(role), strings.Join(names, ", ")))
		}
		roles = []store.Role{role}
	}
	if text == "" || utf8.RuneCountInString(text) > maxAnnouncementText {
		return userError(p.T("announce.bad_text", p.Num(maxAnnouncementText)))
	}
	users, err := m.DB.AnnouncementRecipients(ctx, sc, roles, 0)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		return userError(p.T("announce.nobody_cli"))
	}
	name, err := m.scopeUnitName(ctx, sc)
	if err != nil {
		return err
	}
	chats := make([]int64, len(users))
	langs := make(map[int64]string, len(users))
	for i, u := range users {
		chats[i], langs[u.TelegramID] = u.TelegramID, u.Lang
	}
	now := m.Now()
	payloads := make(map[string]string) // by language
	payload := func(id, chat int64) (string, error) {
		lang := m.Catalog.Match(langs[chat])
		if langs[chat] == "" {
			lang = locales.Default
		}
		if s, ok := payloads[lang]; ok {
			return s, nil
		}
		pr := m.Catalog.Printer(lang, m.Loc)
		from := pr.Position(string(sc.Role), "", name)
		if sc.All() {
			from = pr.T("role.national") // the Ministry, as the chat signs it
		}
		s, err := reminders.MessagePayload(bot.AnnouncementMessage(pr, html.EscapeString(from), "", now, text, id))
		payloads[lang] = s
		return s, err
	}
	id, err := m.DB.CreateAnnouncement(ctx, store.Announcement{Scope: sc, Roles: roles, Text: text, CreatedAt: now}, chats, payload)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, p.T("announce.queued_cli", strconv.FormatInt(id, 10), p.Num(len(users))))
	return nil
}

// scopeUnitName is the name of a province's or a district's unit; the
// whole country's is the Ministry's, which the message names itself.
func (m *Main) scopeUnitName(ctx context.Context, s store.Scope) (string, error) {
	if s.All() {
		return "", nil
	}
	if s.Role == store.RoleDistrict {
		d, err := m.DB.District(ctx, s.Code)
		return d.Name, err
	}
	provinces, err := m.DB.Provinces(ctx)
	if err != nil {
		return "", err
	}
	for _, pr := range provinces {
		if pr.Code == s.Code {
			return pr.Name, nil
		}
	}
	return "", fmt.Errorf("province %s: %w", s.Code, store.ErrNotFound)
}

// showAnnouncement prints an announcement, how many read it, and who has
// not, by unit, to be copied into a report.
func (m *Main) showAnnouncement(ctx context.Context, id int64) error {
	p := m.Printer
	a, err := m.DB.Announcement(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return userError(p.T("announce.unknown_cli", strconv.FormatInt(id, 10)))
	}
	if err != nil {
		return err
	}
	readers, err := m.DB.AnnouncementReaders(ctx, id)
	if err != nil {
		return err
	}
	positions, err := m.positions(ctx)
	if err != nil {
		return err
	}
	read := 0
	type row struct{ unit, name, id, note string }
	var unread []row
	for _, r := range readers {
		if r.ReadAt != nil {
			read++
			continue
		}
		u := r.User
		note := ""
		if u.Gone {
			note = p.T("users.gone")
		}
		unread = append(unread, row{positions(store.ScopeOf(u)), u.Name, strconv.FormatInt(u.TelegramID, 10), note})
	}
	slices.SortStableFunc(unread, func(x, y row) int { return strings.Compare(x.unit, y.unit) })
	fmt.Fprintln(m.Stdout, p.T("announce.show_head", strconv.FormatInt(id, 10), p.At(a.CreatedAt), p.Num(len(readers)),
		p.Num(read), p.Percent(read, len(readers))))
	fmt.Fprintln(m.Stdout, a.Text)
	if len(unread) == 0 {
		return nil
	}
	fmt.Fprintln(m.Stdout)
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, p.T("announce.show_header"))
	for _, r := range unread {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.unit, r.name, r.id, r.note)
	}
	return tw.Flush()
}

// positions returns a function naming the unit of a user's scope as the
// chat does: "Công an xã Tân Lập", "Lãnh đạo huyện Lạc Sơn", "Sở Nội vụ".
func (m *Main) positions(ctx context.Context) (func(store.Scope) string, error) {
	p := m.Printer
	provinces, err := m.DB.Provinces(ctx)
	if err != nil {
		return nil, err
	}
	districts, err := m.DB.Districts(ctx, store.Scope{})
	if err != nil {
		return nil, err
	}
	communes, err := m.DB.Communes(ctx, store.Scope{})
	if err != nil {
		return nil, err
	}
	units, err := m.DB.ReportingUnits(ctx, store.Scope{})
	if err != nil {
		return nil, err
	}
	names := make(map[store.Scope]string)
	for _, x := range provinces {
		names[store.Scope{Role: store.RoleProvince, Code: x.Code}] = p.Position(string(store.RoleProvince), "", x.Name)
	}
	for _, x := range districts {
		names[store.Scope{Role: store.RoleDistrict, Code: x.Code}] = p.Position(string(store.RoleDistrict), "", x.Name)
	}
	for _, x := range communes {
		names[store.Scope{Role: store.RoleCommune, Code: x.Code}] = p.Position(string(store.RoleCommune), string(x.Type), x.Name)
	}
	for _, x := range units {
		names[store.Scope{Role: store.RoleUnit, Code: x.Code}] = x.Name
	}
	return func(s store.Scope) string {
		if n, ok := names[s]; ok {
			return n
		}
		return p.T("announce.status.removed")
	}, nil
}
