package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/caxbot/caxbot/store"
)

// runUsers manages users:
//
//	caxbot users add --telegram-id N --role commune|district|province --scope CODE --name NAME
//	caxbot users list [--role R --scope CODE]
//	caxbot users remove --telegram-id N
//	caxbot users import FILE [--sheet NAME]
func runUsers(ctx context.Context, m *Main, args []string) error {
	usage := func() { fmt.Fprintln(m.Stderr, m.Printer.T("cmd.users.usage")) }
	if len(args) == 0 {
		usage()
		return errUsage
	}
	if args[0] == "import" {
		fs := m.flags("users import")
		fs.Usage = usage
		sheet := fs.String("sheet", "", m.Printer.T("flag.sheet"))
		words, err := m.parse(fs, args[1:])
		if err != nil {
			return err
		}
		if len(words) != 1 {
			usage()
			return errUsage
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.importFile(ctx, "users", "", words[0], *sheet)
	}
	fs := m.flags("users " + args[0])
	fs.Usage = usage
	id := fs.Int64("telegram-id", 0, m.Printer.T("flag.telegram_id"))
	role := fs.String("role", "", m.Printer.T("flag.role"))
	scope := fs.String("scope", "", m.Printer.T("flag.scope"))
	name := fs.String("name", "", m.Printer.T("flag.name"))
	lang := fs.String("user-lang", "", m.Printer.T("flag.user_lang"))
	if err := m.parseFlags(fs, args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "add":
		if *id <= 0 || strings.TrimSpace(*name) == "" {
			usage()
			return errUsage
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		sc, err := m.checkScope(ctx, store.Role(*role), *scope)
		if err != nil {
			return err
		}
		if *lang != "" && !m.Catalog.Supported(*lang) {
			return fmt.Errorf("%s", m.Printer.T("users.bad_lang", *lang))
		}
		u := store.User{TelegramID: *id, Name: strings.TrimSpace(*name), Role: sc.Role, Scope: sc.Code, Lang: *lang, CreatedAt: m.Now()}
		if err := m.DB.AddUser(ctx, u, cliActor, m.Now()); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.Printer.T("users.added", u.Name, u.TelegramID, m.Printer.T("role."+string(u.Role)), u.Scope))
	case "list":
		if err := m.Open(ctx); err != nil {
			return err
		}
		var sc store.Scope
		if *role != "" || *scope != "" {
			s, err := m.checkScope(ctx, store.Role(*role), *scope)
			if err != nil {
				return err
			}
			sc = s
		}
		users, err := m.DB.Users(ctx, sc)
		if err != nil {
			return err
		}
		return m.printUsers(users)
	case "remove":
		if *id <= 0 {
			usage()
			return errUsage
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		if err := m.DB.RemoveUser(ctx, *id, cliActor, m.Now()); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("%s", m.Printer.T("users.not_found", *id))
			}
			return err
		}
		fmt.Fprintln(m.Stdout, m.Printer.T("users.removed", *id))
	default:
		usage()
		return errUsage
	}
	return nil
}

func (m *Main) printUsers(users []store.User) error {
	p := m.Printer
	if len(users) == 0 {
		fmt.Fprintln(m.Stdout, p.T("users.none"))
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, p.T("users.header"))
	for _, u := range users {
		gone := ""
		if u.Gone {
			gone = p.T("users.gone")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.TelegramID, u.Name, p.T("role."+string(u.Role)), u.Scope, u.Lang, gone)
	}
	return tw.Flush()
}

// checkScope checks that a role and a code name a real place of that
// level: a commune code for commune users, and so on.
func (m *Main) checkScope(ctx context.Context, role store.Role, code string) (store.Scope, error) {
	p := m.Printer
	if !role.Valid() {
		return store.Scope{}, fmt.Errorf("%s", p.T("users.bad_role", role))
	}
	var err error
	switch role {
	case store.RoleCommune:
		_, err = m.DB.Commune(ctx, code)
	case store.RoleDistrict:
		_, err = m.DB.District(ctx, code)
	case store.RoleProvince:
		err = m.findProvince(ctx, code)
	}
	if errors.Is(err, store.ErrNotFound) {
		return store.Scope{}, fmt.Errorf("%s", p.T("users.bad_scope", code, p.T("role."+string(role))))
	}
	if err != nil {
		return store.Scope{}, err
	}
	return store.Scope{Role: role, Code: code}, nil
}

// runInvite creates a one-time invitation and prints its code and link.
func runInvite(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("invite")
	fs.Usage = func() { fmt.Fprintln(m.Stderr, m.Printer.T("cmd.invite.usage")) }
	role := fs.String("role", "", m.Printer.T("flag.role"))
	scope := fs.String("scope", "", m.Printer.T("flag.scope"))
	name := fs.String("name", "", m.Printer.T("flag.invitee"))
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if *role == "" || *scope == "" {
		fs.Usage()
		return errUsage
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	sc, err := m.checkScope(ctx, store.Role(*role), *scope)
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
	p := m.Printer
	fmt.Fprintln(m.Stdout, p.T("invite.created", p.T("role."+string(inv.Role)), inv.Scope))
	fmt.Fprintln(m.Stdout, p.T("invite.code", inv.Code))
	fmt.Fprintln(m.Stdout, p.T("invite.link", store.InviteLink(m.Settings.BotUsername, inv.Code)))
	fmt.Fprintln(m.Stdout, p.T("invite.expires", p.DateTime(inv.ExpiresAt)))
	return nil
}

func (m *Main) findProvince(ctx context.Context, code string) error {
	provinces, err := m.DB.Provinces(ctx)
	if err != nil {
		return err
	}
	for _, p := range provinces {
		if p.Code == code {
			return nil
		}
	}
	return store.ErrNotFound
}
