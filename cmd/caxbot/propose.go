package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/caxbot/caxbot/reminders/propose"
	"github.com/caxbot/caxbot/store"
)

// runPropose proposes postings from the register, or accepts the rows of
// a proposal workbook marked accepted:
//
//	caxbot propose [--date D] [--district CODE] --out FILE.xlsx
//	caxbot propose accept FILE.xlsx [--sheet NAME]
func runPropose(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("propose")
	out := fs.String("out", "", m.Printer.T("flag.propose_out"))
	district := fs.String("district", "", m.Printer.T("flag.propose_district"))
	sheet := fs.String("sheet", "", m.Printer.T("flag.sheet"))
	date := m.dateFlag(fs)
	words, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if err := m.useDate(*date); err != nil {
		return err
	}
	switch {
	case len(words) == 2 && words[0] == "accept":
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.acceptProposal(ctx, words[1], *sheet)
	case len(words) > 0:
		fs.Usage()
		return errUsage
	}
	if err := m.need(fs, "out"); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	p := m.Printer
	if *district != "" {
		if _, err := m.DB.District(ctx, *district); errors.Is(err, store.ErrNotFound) {
			return userError(p.T("propose.no_district", *district))
		} else if err != nil {
			return err
		}
	}
	day := midnight(m.Now(), m.Loc)
	in, err := propose.Read(ctx, m.DB, day, *district)
	if err != nil {
		return err
	}
	prop := propose.Make(in)
	if err := m.writeFile(*out, func(f *os.File) error { return propose.Workbook(f, p, prop) }); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, p.T("propose.written", p.Date(day), *out, p.Num(len(prop.Rows)), p.Num(prop.Seats),
		p.Num(len(prop.Unplaced)), p.Num(prop.Waiting)))
	if met, first := metNeeds(prop); met > 0 {
		fmt.Fprintln(m.Stdout, p.T("propose.completes", p.Num(met), first.Milestone.Title(p.Lang())))
	}
	if len(prop.Rows) > 0 {
		fmt.Fprintln(m.Stdout, p.T("propose.accept_hint", *out))
	}
	return nil
}

// metNeeds counts the needs the proposal meets in full, and returns the
// most urgent of them.
func metNeeds(prop propose.Proposal) (int, propose.Need) {
	seen := make(map[string]bool)
	var first propose.Need
	for _, r := range prop.Rows {
		for _, n := range r.Completes {
			key := n.Milestone.ID + "/" + n.Commune.Code
			if seen[key] {
				continue
			}
			if len(seen) == 0 || n.Milestone.Deadline.Before(first.Milestone.Deadline) {
				first = n
			}
			seen[key] = true
		}
	}
	return len(seen), first
}

// acceptProposal reads a proposal workbook back and makes the rows marked
// accepted reports, all or nothing.
func (m *Main) acceptProposal(ctx context.Context, path, sheet string) error {
	t, err := m.readSheet(path, sheet)
	if err != nil {
		return err
	}
	source := filepath.Base(path)
	p := m.Printer
	postings, err := propose.Accepted(t, m.Loc)
	if err != nil {
		return m.importError(source, err)
	}
	if len(postings) == 0 {
		fmt.Fprintln(m.Stdout, p.T("propose.nothing_accepted", source))
		return nil
	}
	reports, err := propose.Accept(ctx, m.DB, postings, cliActor, source, m.Now())
	if err != nil {
		return m.importError(source, err)
	}
	fmt.Fprintln(m.Stdout, p.T("propose.accepted", p.Num(len(reports)), source))
	return nil
}

// midnight is the start of t's day in loc.
func midnight(t time.Time, loc *time.Location) time.Time {
	y, mo, d := t.In(loc).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, loc)
}
