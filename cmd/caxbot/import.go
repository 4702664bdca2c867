package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/sheets"
)

// runImport imports a roster file, CSV or XLSX, all or nothing:
//
//	caxbot import communes FILE [--sheet NAME]
//	caxbot import posts FILE [--sheet NAME]
//	caxbot import group NAME FILE [--sheet NAME]
//	caxbot import candidates FILE [--sheet NAME]
//	caxbot import units FILE [--sheet NAME]
//	caxbot import changes FILE [--sheet NAME]
func runImport(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("import")
	sheet := fs.String("sheet", "", m.Printer.T("flag.sheet"))
	words, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	rest := words
	want := map[string]int{"communes": 2, "posts": 2, "group": 3, "candidates": 2, "units": 2, "changes": 2}
	if len(rest) == 0 || want[rest[0]] != len(rest) {
		fs.Usage()
		return errUsage
	}
	path := rest[len(rest)-1]
	if err := m.Open(ctx); err != nil {
		return err
	}
	return m.importFile(ctx, rest[0], rest[1], path, *sheet)
}

// readSheet opens and reads an import file.
func (m *Main) readSheet(path, sheet string) (*sheets.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, userError(m.Printer.T("import.cannot_open", path))
	}
	defer f.Close()
	t, err := store.ReadSheet(f, sheet)
	if err != nil {
		return nil, m.importError(filepath.Base(path), err)
	}
	return t, nil
}

// importFile imports one file of the given kind and prints what changed;
// name is the group's name for a group file. Every problem of the file,
// its shape's and the store's, is reported at once.
func (m *Main) importFile(ctx context.Context, kind, name, path, sheet string) error {
	t, err := m.readSheet(path, sheet)
	if err != nil {
		return err
	}
	source := filepath.Base(path)
	now := m.Now()
	p := m.Printer
	var notes store.ParseNotes
	var problems store.ImportErrors
	var res store.ImportResult
	switch kind {
	case "communes":
		rows, n, perr := store.ParseCommunesSheet(t)
		notes = n
		if problems, err = collectProblems(perr, nil); err != nil {
			return err
		}
		if len(problems) == 0 {
			province := store.Province{Code: m.Settings.ProvinceCode, Name: m.Settings.ProvinceName}
			res, err = m.DB.ImportCommunes(ctx, rows, province, source, now)
		}
	case "posts":
		rows, n, perr := store.ParsePostsSheet(t)
		notes = n
		codes := make([]string, len(rows))
		for i, r := range rows {
			codes[i] = r.Post.CommuneCode
		}
		known, kerr := m.DB.KnownCommunes(ctx, codes)
		if kerr != nil {
			return kerr
		}
		var unknown store.ImportErrors
		for _, r := range rows {
			if !known[r.Post.CommuneCode] {
				unknown = append(unknown, store.ImportError{Line: r.Line, Column: "commune_code", Problem: store.ProblemUnknownCommune, Value: r.Post.CommuneCode})
			}
		}
		if problems, err = collectProblems(perr, unknown); err != nil {
			return err
		}
		if len(problems) == 0 {
			res, err = m.DB.ImportPosts(ctx, rows, source, now)
		}
	case "group":
		rows, n, perr := store.ParseGroupSheet(t)
		notes = n
		bad, cerr := m.DB.CheckGroupRows(ctx, rows)
		if cerr != nil {
			return cerr
		}
		if problems, err = collectProblems(perr, bad); err != nil {
			return err
		}
		if len(problems) == 0 {
			var gr store.GroupResult
			if gr, err = m.DB.ImportGroup(ctx, name, rows, cliActor, now); err == nil {
				fmt.Fprintln(m.Stdout, p.T("import.group_done", name, source+m.sheetNote(t)))
				m.printGroupChange(ctx, gr)
			}
		}
	case "candidates":
		rows, n, perr := store.ParseCandidatesSheet(t)
		notes = n
		bad, cerr := m.DB.CheckCandidateRows(ctx, rows)
		if cerr != nil {
			return cerr
		}
		if problems, err = collectProblems(perr, bad); err != nil {
			return err
		}
		if len(problems) == 0 {
			var cr store.CandidateResult
			if cr, err = m.DB.ImportCandidates(ctx, rows, source, now); err == nil {
				fmt.Fprintln(m.Stdout, p.T("candidates.import_done", source+m.sheetNote(t), cr.Added, cr.Changed, cr.Unchanged, cr.Withdrawn, cr.Returned))
			}
		}
	case "units":
		rows, n, perr := store.ParseUnitsSheet(t)
		notes = n
		if problems, err = collectProblems(perr, nil); err != nil {
			return err
		}
		if len(problems) == 0 {
			res, err = m.DB.ImportUnits(ctx, rows, m.Settings.ProvinceCode, source, now)
		}
	case "changes":
		rows, n, perr := store.ParseChangesSheet(t, m.Loc)
		notes = n
		var bad store.ImportErrors
		if perr != nil {
			// The good lines are checked too, so that the file's every
			// problem is named at once; nothing is written.
			if bad, err = m.DB.CheckMapChanges(ctx, rows, now); err != nil {
				return err
			}
		}
		if problems, err = collectProblems(perr, bad); err != nil {
			return err
		}
		if len(problems) == 0 {
			var cr store.ChangeResult
			cr, err = m.DB.ImportMapChanges(ctx, rows, source, now, m.tellMovedUser(now))
			switch {
			case err == nil && !cr.ImportedAt.IsZero():
				fmt.Fprintln(m.Stdout, p.T("mapchanges.already_imported", source+m.sheetNote(t), cr.Lines, p.At(cr.ImportedAt)))
			case err == nil:
				fmt.Fprintln(m.Stdout, p.T("mapchanges.done", source+m.sheetNote(t), cr.Lines, cr.Created, cr.Ended, cr.Renamed, cr.Moved,
					cr.DistrictsEnded, cr.PostsCarried, cr.UsersMoved))
			}
		}
	case "users":
		rows, n, perr := store.ParseUsersSheet(t)
		notes = n
		bad, cerr := m.DB.CheckUserRows(ctx, rows)
		if cerr != nil {
			return cerr
		}
		if problems, err = collectProblems(perr, bad); err != nil {
			return err
		}
		if len(problems) == 0 {
			res, err = m.DB.ImportUsers(ctx, rows, source, now)
		}
	}
	if len(problems) > 0 {
		return m.importError(source, problems)
	}
	if err != nil {
		return m.importError(source, err)
	}
	if kind != "group" && kind != "candidates" && kind != "changes" {
		fmt.Fprintln(m.Stdout, p.T("import.done", source+m.sheetNote(t), res.Added, res.Changed, res.Unchanged))
	}
	if notes.RestoredCodes > 0 {
		fmt.Fprintln(m.Stdout, p.N("import.restored", notes.RestoredCodes, notes.RestoredFrom, notes.RestoredTo))
	}
	return nil
}

// collectProblems joins a parse's problems with those found in the
// store, by line; an error that is not about the file is returned as is.
func collectProblems(parseErr error, more store.ImportErrors) (store.ImportErrors, error) {
	var all store.ImportErrors
	if parseErr != nil {
		var ie store.ImportErrors
		if !errors.As(parseErr, &ie) {
			return nil, parseErr
		}
		all = append(all, ie...)
	}
	all = append(all, more...)
	slices.SortStableFunc(all, func(a, b store.ImportError) int { return a.Line - b.Line })
	return all, nil
}

// sheetNote says how a file was read when a person might wonder: which
// sheet of a workbook, or that a CSV was separated by semicolons.
func (m *Main) sheetNote(t *sheets.Table) string {
	switch {
	case t.Format == sheets.XLSX:
		return " " + m.Printer.T("import.read_sheet", t.Sheet)
	case t.Comma != ',':
		return " " + m.Printer.T("import.read_comma", string(t.Comma))
	}
	return ""
}

// printGroupChange names the communes an import added to a group and
// removed from it.
func (m *Main) printGroupChange(ctx context.Context, gr store.GroupResult) {
	p := m.Printer
	names := func(codes []string) string {
		const shown = 10
		var out []string
		for i, code := range codes {
			if i == shown {
				out = append(out, p.N("import.group_more", len(codes)-shown))
				break
			}
			c, err := m.DB.Commune(ctx, code)
			if err != nil {
				out = append(out, code)
				continue
			}
			out = append(out, p.T("import.group_commune", p.T("commune_type."+string(c.Type)), c.Name, code))
		}
		return strings.Join(out, ", ")
	}
	if len(gr.Added) > 0 {
		fmt.Fprintln(m.Stdout, "  "+p.N("import.group_added", len(gr.Added), names(gr.Added)))
	}
	if len(gr.Removed) > 0 {
		fmt.Fprintln(m.Stdout, "  "+p.N("import.group_removed", len(gr.Removed), names(gr.Removed)))
	}
	fmt.Fprintln(m.Stdout, "  "+p.N("import.group_kept", len(gr.Kept)))
}

// importError renders the errors of a rejected file in the user's
// language, one line each, and says that nothing was written.
func (m *Main) importError(source string, err error) error {
	var ie store.ImportErrors
	if !errors.As(err, &ie) {
		return err
	}
	p := m.Printer
	lines := []string{p.N("import.rejected", len(ie), source)}
	for i, e := range ie {
		if i == maxShownImportErrors {
			lines = append(lines, p.N("import.more_errors", len(ie)-i))
			break
		}
		lines = append(lines, "  "+m.describeImportError(e))
	}
	return userError(strings.Join(lines, "\n"))
}

// maxShownImportErrors keeps a wholly wrong file from flooding the
// terminal; the first lines are enough to see what is wrong.
const maxShownImportErrors = 50

func (m *Main) describeImportError(e store.ImportError) string {
	p := m.Printer
	why := p.T("import.problem."+string(e.Problem), e.Value)
	if e.FirstLine > 0 {
		why = p.T("import.first_line", why, strconv.Itoa(e.FirstLine))
	}
	switch {
	case e.Line == 0:
		return why
	case e.Column == "":
		return p.T("import.at_line", strconv.Itoa(e.Line), why)
	}
	column := e.Column
	if key := "import.column." + column; p.Has(key) {
		column = p.T("import.column_named", column, p.T(key))
	}
	return p.T("import.at_line_column", strconv.Itoa(e.Line), column, why)
}

// tellMovedUser writes the message that tells a user whose unit a map
// change ended where their account now belongs, in their language, due
// at once; the outbox key makes a second import of the same change tell
// nobody twice.
func (m *Main) tellMovedUser(now time.Time) store.Notifier {
	return func(mu store.MovedUser) (store.OutboxItem, error) {
		p := m.Catalog.Printer(m.Catalog.Match(mu.User.Lang), m.Loc)
		name := func(u store.MapUnit) string {
			switch {
			case u.Type != "":
				return p.T("import.group_commune", p.T("commune_type."+string(u.Type)), u.Name, u.Code)
			case u.Province:
				return p.Province(u.Name)
			}
			return p.InSentence(u.Name)
		}
		key := "mapchanges.moved_commune"
		switch mu.Role {
		case store.RoleDistrict:
			key = "mapchanges.moved_district"
		case store.RoleProvince:
			key = "mapchanges.moved_province"
		}
		payload, err := reminders.MessagePayload(reminders.Message{Text: p.T(key, p.Date(mu.Effective), name(mu.From), name(mu.To))})
		if err != nil {
			return store.OutboxItem{}, err
		}
		return store.OutboxItem{
			Key:    fmt.Sprintf("mapchange:%s:%d:%s:%s", mu.Effective.Format(time.DateOnly), mu.User.TelegramID, mu.Role, mu.Scope),
			ChatID: mu.User.TelegramID, Kind: kindMapChange, Payload: payload, DueAt: now,
		}, nil
	}
}

// kindMapChange is the outbox kind of the message that tells a user what
// a map change did to their account.
const kindMapChange = "map_change"
