package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/caxbot/caxbot/store"
)

// runImport imports a roster file, all or nothing:
//
//	caxbot import communes FILE
//	caxbot import posts FILE
//	caxbot import group NAME FILE
func runImport(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("import")
	fs.Usage = func() { fmt.Fprintln(m.Stderr, m.Printer.T("cmd.import.usage")) }
	words, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	rest := words
	want := map[string]int{"communes": 2, "posts": 2, "group": 3}
	if len(rest) == 0 || want[rest[0]] != len(rest) {
		fs.Usage()
		return errUsage
	}
	path := rest[len(rest)-1]
	if err := m.Open(ctx); err != nil {
		return err
	}
	res, err := m.importFile(ctx, rest[0], rest[1], path)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.Printer.T("import.done", filepath.Base(path), res.Added, res.Changed, res.Unchanged))
	return nil
}

// importFile imports one file of the given kind; name is the group's name
// for a group file.
func (m *Main) importFile(ctx context.Context, kind, name, path string) (store.ImportResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("%s", m.Printer.T("import.cannot_open", path))
	}
	defer f.Close()
	source := filepath.Base(path)
	now := m.Now()
	var res store.ImportResult
	switch kind {
	case "communes":
		rows, perr := store.ParseCommunes(f)
		err = perr
		if err == nil {
			province := store.Province{Code: m.Settings.ProvinceCode, Name: m.Settings.ProvinceName}
			res, err = m.DB.ImportCommunes(ctx, rows, province, source, now)
		}
	case "posts":
		rows, perr := store.ParsePosts(f)
		err = perr
		if err == nil {
			res, err = m.DB.ImportPosts(ctx, rows, source, now)
		}
	case "group":
		rows, perr := store.ParseGroup(f)
		err = perr
		if err == nil {
			res, err = m.DB.ImportGroup(ctx, name, rows, cliActor, now)
		}
	}
	return res, m.importError(source, err)
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
	return errors.New(strings.Join(lines, "\n"))
}

// maxShownImportErrors keeps a wholly wrong file from flooding the
// terminal; the first lines are enough to see what is wrong.
const maxShownImportErrors = 50

func (m *Main) describeImportError(e store.ImportError) string {
	p := m.Printer
	why := p.T("import.problem."+string(e.Problem), e.Value)
	if e.FirstLine > 0 {
		why = p.T("import.first_line", why, e.FirstLine)
	}
	if e.Column == "" {
		return p.T("import.at_line", e.Line, why)
	}
	return p.T("import.at_line_column", e.Line, e.Column, why)
}
