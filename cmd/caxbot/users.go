package main

import (
	"context"
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
	fs := m.flags("users")
	id := fs.Int64("telegram-id", 0, m.Printer.T("flag.telegram_id"))
	role := fs.String("role", "", m.Printer.T("flag.role"))
	scope := fs.String("scope", "", m.Printer.T("flag.scope"))
	name := fs.String("name", "", m.Printer.T("flag.name"))
	lang := fs.String("user-lang", "", m.Printer.T("flag.user_lang"))
	sheet := fs.String("sheet", "", m.Printer.T("flag.sheet"))
	words, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		fs.Usage()
		return errUsage
	}
	switch {
	case words[0] == "import" && len(words) == 2:
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.importFile(ctx, "users", "", words[1], *sheet)
	case words[0] == "add" && len(words) == 1:
		if err := m.need(fs, "telegram-id", "role", "scope", "name"); err != nil {
			return err
		}
		if *id <= 0 || strings.TrimSpace(*name) == "" {
			return cliError(m.Printer.T("users.bad_id_or_name"))
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		sc, err := m.checkLiveScope(ctx, store.Role(*role), *scope)
		if err != nil {
			return err
		}
		if *lang != "" && !m.Catalog.Supported(*lang) {
			return userError(m.Printer.T("users.bad_lang", *lang))
		}
		u := store.User{TelegramID: *id, Name: strings.TrimSpace(*name), Role: sc.Role, Scope: sc.Code, Lang: *lang, CreatedAt: m.Now()}
		if err := m.DB.AddUser(ctx, u, cliActor, m.Now()); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.Printer.T("users.added", u.Name, u.TelegramID, m.Printer.T("role."+string(u.Role)), u.Scope))
	case words[0] == "list" && len(words) == 1:
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
	case words[0] == "remove" && len(words) == 1:
		if err := m.need(fs, "telegram-id"); err != nil {
			return err
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		if err := m.DB.RemoveUser(ctx, *id, cliActor, m.Now()); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return userError(m.Printer.T("users.not_found", *id))
			}
			return err
		}
		fmt.Fprintln(m.Stdout, m.Printer.T("users.removed", *id))
	default:
		fs.Usage()
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
		return store.Scope{}, userError(p.T("users.bad_role", role))
	}
	var err error
	switch role {
	case store.RoleCommune:
		_, err = m.DB.Commune(ctx, code)
	case store.RoleDistrict:
		_, err = m.DB.District(ctx, code)
	case store.RoleProvince:
		err = m.findProvince(ctx, code)
	case store.RoleUnit:
		code = strings.ToUpper(code)
		_, err = m.DB.ReportingUnit(ctx, code)
	}
	if errors.Is(err, store.ErrNotFound) {
		return store.Scope{}, userError(p.T("users.bad_scope", code, p.T("role."+string(role))))
	}
	if err != nil {
		return store.Scope{}, err
	}
	return store.Scope{Role: role, Code: code}, nil
}

// checkLiveScope is checkScope for a scope to give someone: a commune or
// district a map change ended is named with what took it over instead.
func (m *Main) checkLiveScope(ctx context.Context, role store.Role, code string) (store.Scope, error) {
	sc, err := m.checkScope(ctx, role, code)
	if err != nil {
		return store.Scope{}, err
	}
	if role == store.RoleDistrict {
		// The province's own unit, once districts end, is the province.
		d, err := m.DB.District(ctx, code)
		if err != nil {
			return store.Scope{}, err
		}
		if d.Direct() {
			return store.Scope{}, userError(m.Printer.T("users.bad_scope", code, m.Printer.T("role."+string(role))))
		}
	}
	successor, ended, err := m.DB.Successor(ctx, role, code)
	if err != nil || !ended {
		return sc, err
	}
	return store.Scope{}, userError(m.Printer.T("mapchanges.scope_gone", code, m.Printer.T("role."+string(role)), successor))
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
