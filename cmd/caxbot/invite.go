package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/caxbot/caxbot/cmd/caxbot/handout"
	"github.com/caxbot/caxbot/store"
)

// runInvite creates, lists and revokes one-time invitations:
//
//	caxbot invite --role R --scope CODE [--name NAME]
//	caxbot invite --bulk --scope CODE [--role commune|district|unit] --out DIR
//	caxbot invite --bulk --from FILE [--sheet NAME] [--scope CODE] --out DIR
//	caxbot invite list [--scope CODE]
//	caxbot invite revoke CODE | caxbot invite revoke --scope CODE
func runInvite(ctx context.Context, m *Main, args []string) error {
	p := m.Printer
	fs := m.flags("invite")
	role := fs.String("role", "", p.T("flag.role"))
	scope := fs.String("scope", "", p.T("flag.scope"))
	name := fs.String("name", "", p.T("flag.invitee"))
	bulk := fs.Bool("bulk", false, p.T("flag.bulk"))
	from := fs.String("from", "", p.T("flag.invite_from"))
	sheet := fs.String("sheet", "", p.T("flag.sheet"))
	out := fs.String("out", "", p.T("flag.invite_out"))
	replace := fs.Bool("replace", false, p.T("flag.invite_replace"))
	words, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(words) == 1 && words[0] == "list":
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.listInvitations(ctx, *scope)
	case len(words) <= 2 && len(words) > 0 && words[0] == "revoke":
		code := ""
		if len(words) == 2 {
			code = words[1]
		} else if err := m.need(fs, "scope"); err != nil {
			return err
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.revokeInvitations(ctx, code, *scope)
	case len(words) > 0:
		fs.Usage()
		return errUsage
	case *bulk:
		if err := m.need(fs, "out"); err != nil {
			return err
		}
		if *from == "" {
			if err := m.need(fs, "scope"); err != nil {
				return err
			}
		}
		if *replace && *scope == "" {
			return cliError(p.T("invite.replace_needs_scope"))
		}
		if *role != "" && *role != string(store.RoleCommune) && *role != string(store.RoleDistrict) && *role != string(store.RoleUnit) {
			return cliError(p.T("invite.bulk_role", *role))
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.inviteBulk(ctx, store.Role(*role), *scope, *from, *sheet, *out, *replace)
	}
	if err := m.need(fs, "role", "scope"); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	username, err := m.botUsername(ctx)
	if err != nil {
		return err
	}
	sc, err := m.checkLiveScope(ctx, store.Role(*role), *scope)
	if err != nil {
		return err
	}
	inv, err := store.NewInvitation(rand.Reader, sc, strings.TrimSpace(*name), cliActor, m.Now(), m.Settings.InviteTTL)
	if err != nil {
		return err
	}
	if err := m.DB.CreateInvitation(ctx, inv); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, p.T("invite.created", p.T("role."+string(inv.Role)), inv.Scope))
	fmt.Fprintln(m.Stdout, p.T("invite.code", inv.Code))
	fmt.Fprintln(m.Stdout, p.T("invite.link", store.InviteLink(username, inv.Code)))
	fmt.Fprintln(m.Stdout, p.T("invite.expires", p.DateTime(inv.ExpiresAt)))
	return nil
}

// botUsername is the bot's username for invitation links: the setting,
// or else what serve learnt from Telegram's getMe.
func (m *Main) botUsername(ctx context.Context) (string, error) {
	if m.Settings.BotUsername != "" {
		return m.Settings.BotUsername, nil
	}
	name, err := m.DB.ServiceFact(ctx, store.FactBotUsername)
	if errors.Is(err, store.ErrNotFound) {
		return "", userError(m.Printer.T("invite.no_username"))
	}
	return name, err
}

// invitee is someone a bulk invitation is for, and where they sit.
type invitee struct {
	scope    store.Scope
	name     string
	unit     string // as the card names it
	district string
	role     string // as the card names it: "Công an thị trấn"
}

// inviteBulk makes one invitation per commune (of the plan: xã and thị
// trấn) and per district of the scope, or per row of a file, and writes
// the printable sheets into dir.
func (m *Main) inviteBulk(ctx context.Context, role store.Role, scope, from, sheet, dir string, replace bool) error {
	p := m.Printer
	username, err := m.botUsername(ctx)
	if err != nil {
		return err
	}
	var sc store.Scope
	if scope != "" {
		if sc, err = m.scopeOfCode(ctx, scope); err != nil {
			return err
		}
	}
	var people []invitee
	if from != "" {
		people, err = m.inviteesFromFile(ctx, sc, from, sheet)
	} else {
		people, err = m.inviteesOfScope(ctx, sc, role)
	}
	if err != nil {
		return err
	}
	if len(people) == 0 {
		return userError(p.T("invite.bulk_none", scope))
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return userError(p.T("invite.cannot_write", dir))
	}
	now := m.Now()
	var earlier []store.Invitation
	if scope != "" && !replace {
		if earlier, err = m.DB.PendingInvitations(ctx, sc, now); err != nil {
			return err
		}
	}
	invs := make([]store.Invitation, len(people))
	cards := make([]handout.Card, len(people))
	for i, who := range people {
		inv, err := store.NewInvitation(rand.Reader, who.scope, who.name, cliActor, now, m.Settings.InviteTTL)
		if err != nil {
			return err
		}
		invs[i] = inv
		link := store.InviteLink(username, inv.Code)
		cards[i] = handout.Card{District: who.district, Unit: who.unit, Role: who.role,
			Name: who.name, Code: inv.Code, Link: link, Expires: m.when(inv.ExpiresAt)}
	}
	labels := m.handoutLabels()
	xlsx := filepath.Join(dir, "invitations.xlsx")
	pdf := filepath.Join(dir, "invitations.pdf")
	if err := writeAtomically(xlsx, func(f *os.File) error { return handout.Workbook(f, labels, cards) }); err != nil {
		return userError(p.T("invite.cannot_write", xlsx) + " " + oneLine(err.Error()))
	}
	if err := writeAtomically(pdf, func(f *os.File) error { return handout.PDF(f, labels, cards) }); err != nil {
		return userError(p.T("invite.cannot_write", pdf) + " " + oneLine(err.Error()))
	}
	// The files first, then the codes: a failure to write leaves no
	// invitation nobody can see.
	var replaced *store.Scope
	if replace {
		replaced = &sc
	}
	revoked, err := m.DB.CreateInvitations(ctx, invs, replaced, cliActor, now)
	if err != nil {
		return err
	}
	byRole := map[store.Role]int{}
	for _, inv := range invs {
		byRole[inv.Role]++
	}
	var parts []string
	for _, r := range []store.Role{store.RoleCommune, store.RoleDistrict, store.RoleUnit, store.RoleProvince} {
		if n := byRole[r]; n > 0 {
			parts = append(parts, p.T("invite.bulk_count", n, p.Role(string(r), "")))
		}
	}
	fmt.Fprintln(m.Stdout, p.N("invite.bulk_done", len(invs), strings.Join(parts, ", "), m.when(invs[0].ExpiresAt)))
	fmt.Fprintln(m.Stdout, "  "+xlsx)
	fmt.Fprintln(m.Stdout, "  "+p.N("invite.bulk_pdf", handout.Pages(len(invs)), pdf))
	switch {
	case revoked > 0:
		fmt.Fprintln(m.Stdout, p.N("invite.replaced", revoked))
	case len(earlier) > 0:
		// Codes made before stay valid: say so, for a batch made again.
		fmt.Fprintln(m.Stdout, p.N("invite.earlier_pending", len(earlier)))
	}
	return nil
}

// inviteesOfScope lists a scope's districts and its communes of the plan
// (xã and thị trấn; wards had regular police before it), each district
// followed by its communes; for role unit, the province's departments
// (import units) instead.
func (m *Main) inviteesOfScope(ctx context.Context, sc store.Scope, role store.Role) ([]invitee, error) {
	p := m.Printer
	if role == store.RoleUnit {
		units, err := m.DB.ReportingUnits(ctx, sc)
		if err != nil {
			return nil, err
		}
		var out []invitee
		for _, u := range units {
			out = append(out, invitee{scope: store.Scope{Role: store.RoleUnit, Code: u.Code}, unit: u.Name, role: p.Role(string(store.RoleUnit), "")})
		}
		return out, nil
	}
	districts, err := m.DB.Districts(ctx, sc)
	if err != nil {
		return nil, err
	}
	communes, err := m.DB.Communes(ctx, sc)
	if err != nil {
		return nil, err
	}
	byDistrict := make(map[string][]store.Commune)
	for _, c := range communes {
		if c.InPlan() {
			byDistrict[c.DistrictCode] = append(byDistrict[c.DistrictCode], c)
		}
	}
	var out []invitee
	for _, d := range districts {
		if role != store.RoleCommune && sc.Role != store.RoleCommune {
			out = append(out, invitee{scope: store.Scope{Role: store.RoleDistrict, Code: d.Code}, unit: d.Name,
				role: p.Role(string(store.RoleDistrict), "")})
		}
		if role == store.RoleDistrict {
			continue
		}
		for _, c := range byDistrict[d.Code] {
			out = append(out, invitee{scope: store.Scope{Role: store.RoleCommune, Code: c.Code}, district: d.Name,
				unit: upperFirst(p.T("commune_type."+string(c.Type))) + " " + c.Name, role: p.Role(string(store.RoleCommune), string(c.Type))})
		}
	}
	return out, nil
}

// inviteesFromFile reads the people of a file (role, scope, name), all of
// them inside sc when sc is given.
func (m *Main) inviteesFromFile(ctx context.Context, sc store.Scope, path, sheet string) ([]invitee, error) {
	t, err := m.readSheet(path, sheet)
	if err != nil {
		return nil, err
	}
	source := filepath.Base(path)
	rows, _, perr := store.ParseInviteesSheet(t)
	bad, err := m.DB.CheckUserRows(ctx, rows)
	if err != nil {
		return nil, err
	}
	problems, err := collectProblems(perr, bad)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, m.importError(source, problems)
	}
	var out []invitee
	var outside store.ImportErrors
	for _, r := range rows {
		who := invitee{scope: store.ScopeOf(r.User), name: r.User.Name}
		if err := m.describeUnit(ctx, &who); err != nil {
			return nil, err
		}
		if sc.Role != "" && !m.covers(ctx, sc, who.scope) {
			outside = append(outside, store.ImportError{Line: r.Line, Column: "scope", Problem: store.ProblemOutsideScope, Value: r.User.Scope})
		}
		out = append(out, who)
	}
	if len(outside) > 0 {
		return nil, m.importError(source, outside)
	}
	return out, nil
}

// describeUnit names the unit of an invitee's scope, and its district.
func (m *Main) describeUnit(ctx context.Context, who *invitee) error {
	p := m.Printer
	switch who.scope.Role {
	case store.RoleCommune:
		c, err := m.DB.Commune(ctx, who.scope.Code)
		if err != nil {
			return err
		}
		d, err := m.DB.District(ctx, c.DistrictCode)
		if err != nil {
			return err
		}
		who.unit, who.district = upperFirst(p.T("commune_type."+string(c.Type)))+" "+c.Name, d.Name
		who.role = p.Role(string(store.RoleCommune), string(c.Type))
	case store.RoleDistrict:
		d, err := m.DB.District(ctx, who.scope.Code)
		if err != nil {
			return err
		}
		who.unit = d.Name
		who.role = p.Role(string(store.RoleDistrict), "")
	case store.RoleUnit:
		u, err := m.DB.ReportingUnit(ctx, who.scope.Code)
		if err != nil {
			return err
		}
		who.unit = u.Name
		who.role = p.Role(string(store.RoleUnit), "")
	default:
		who.role = p.Role(string(store.RoleProvince), "")
		who.unit = p.Position(string(store.RoleProvince), "", m.Settings.ProvinceName)
	}
	return nil
}

// covers reports whether the scope sc holds t: a department lies in its
// province.
func (m *Main) covers(ctx context.Context, sc, t store.Scope) bool {
	if t.Role == store.RoleUnit && !sc.All() {
		u, err := m.DB.ReportingUnit(ctx, t.Code)
		return err == nil && (sc == t || sc.Role == store.RoleProvince && u.ProvinceCode == sc.Code)
	}
	districtOf := func(commune string) string {
		d, _ := m.DB.DistrictOf(ctx, commune)
		return d
	}
	provinceOf := func(district string) string {
		pr, _ := m.DB.ProvinceOfDistrict(ctx, district)
		return pr
	}
	return sc.Covers(t, districtOf, provinceOf)
}

// scopeOfCode reads a code as the scope it names: two digits a province,
// three a district, five a commune.
func (m *Main) scopeOfCode(ctx context.Context, code string) (store.Scope, error) {
	role := map[int]store.Role{2: store.RoleProvince, 3: store.RoleDistrict, 5: store.RoleCommune}[len(code)]
	if role == "" {
		return store.Scope{}, userError(m.Printer.T("invite.bad_scope", code))
	}
	return m.checkLiveScope(ctx, role, code)
}

// listInvitations prints the pending invitations inside a scope.
func (m *Main) listInvitations(ctx context.Context, code string) error {
	p := m.Printer
	var sc store.Scope
	if code != "" {
		s, err := m.scopeOfCode(ctx, code)
		if err != nil {
			return err
		}
		sc = s
	}
	invs, err := m.DB.PendingInvitations(ctx, sc, m.Now())
	if err != nil {
		return err
	}
	if len(invs) == 0 {
		fmt.Fprintln(m.Stdout, p.T("invite.none_pending"))
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, p.T("invite.list_header"))
	for _, inv := range invs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", inv.Code, p.T("role."+string(inv.Role)), inv.Scope, inv.Name,
			p.DateTime(inv.CreatedAt), p.DateTime(inv.ExpiresAt))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, p.N("invite.pending_count", len(invs)))
	return nil
}

// revokeInvitations cancels one invitation by its code, or every pending
// one inside a scope.
func (m *Main) revokeInvitations(ctx context.Context, code, scope string) error {
	p := m.Printer
	var sc store.Scope
	if code == "" {
		s, err := m.scopeOfCode(ctx, scope)
		if err != nil {
			return err
		}
		sc = s
	}
	revoked, err := m.DB.RevokeInvitations(ctx, sc, code, cliActor, m.Now())
	switch {
	case errors.Is(err, store.ErrInvitationUnknown):
		return userError(p.T("invite.unknown", code))
	case errors.Is(err, store.ErrInvitationUsed):
		return userError(p.T("invite.already_used", code))
	case errors.Is(err, store.ErrInvitationRevoked):
		return userError(p.T("invite.already_revoked", code))
	case err != nil:
		return err
	}
	if code != "" {
		fmt.Fprintln(m.Stdout, p.T("invite.revoked_one", code))
		return nil
	}
	fmt.Fprintln(m.Stdout, p.N("invite.revoked_scope", len(revoked), scope))
	return nil
}

func (m *Main) handoutLabels() handout.Labels {
	p := m.Printer
	return handout.Labels{
		Title:        p.T("handout.title", p.Position(string(store.RoleProvince), "", m.Settings.ProvinceName)),
		Instructions: p.T("handout.instructions"),
		Page:         p.T("handout.page"),
		Code:         p.T("handout.code"),
		Expires:      p.T("handout.expires"),
		Columns: [8]string{p.T("handout.col.number"), p.T("handout.col.district"), p.T("handout.col.unit"), p.T("handout.col.role"),
			p.T("handout.col.name"), p.T("handout.col.code"), p.T("handout.col.link"), p.T("handout.col.expires")},
	}
}

// writeAtomically writes a file under a temporary name and renames it, so
// that a reader never sees half of it.
func writeAtomically(path string, write func(*os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o640); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// when writes a moment the Vietnamese way, "08:05 ngày 04/03/2020", in
// Vietnam time.
func (m *Main) when(t time.Time) string {
	t = t.In(m.Loc)
	return m.Printer.T("time.at", t.Format("15:04"), t.Format("02/01/2006"))
}

// upperFirst capitalises a unit's type at the start of a line: "Xã".
func upperFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
