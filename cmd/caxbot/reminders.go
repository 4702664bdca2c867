package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/reminders/digest"
	"github.com/caxbot/caxbot/store"
)

// scheduler builds the reminders scheduler from the settings; replica
// names this process as a lease holder.
func (m *Main) scheduler(replica string) (*reminders.Scheduler, error) {
	cal, err := reminders.DefaultCalendar()
	if err != nil {
		return nil, err
	}
	cal.Hours = m.Settings.SendHours
	cal.Add(m.Settings.Holidays...)
	s := &reminders.Scheduler{
		DB:         m.DB,
		Leases:     m.State,
		Catalog:    m.Catalog,
		Calendar:   cal,
		Log:        m.Logger,
		Replica:    replica,
		RemindSpec: m.Settings.RemindSpec,
		DigestSpec: m.Settings.DigestSpec,
		CatchUp:    m.Settings.CatchUp,
		Retention:  m.Settings.Retention,
		CheckSpec:  m.Settings.RemindSpec,
		CheckDays:  m.Settings.CheckDays,
		DigestChat: m.Settings.DigestChat,
		DigestLang: m.Settings.Lang,
	}
	return s, s.Validate()
}

// runReminders previews a day's reminders without sending anything:
//
//	caxbot reminders preview --date 2020-03-24
func runReminders(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("reminders")
	date := fs.String("date", "", m.Printer.T("flag.preview_date"))
	words, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(words) != 1 || words[0] != "preview" {
		fs.Usage()
		return errUsage
	}
	if err := m.useDate(*date); err != nil {
		return err
	}
	y, mo, d := m.Now().In(m.Loc).Date()
	day := time.Date(y, mo, d, 0, 0, 0, 0, m.Loc)
	if err := m.Open(ctx); err != nil {
		return err
	}
	s, err := m.scheduler("preview")
	if err != nil {
		return err
	}
	if *date != "" {
		// As the store stood when that day's reminders were planned.
		s.DB = m.DB.AsOf(time.Date(y, mo, d, reminders.DefaultSendAt.Hour, reminders.DefaultSendAt.Minute, 0, 0, m.Loc))
	}
	lines, err := s.Preview(ctx, day)
	if err != nil {
		return err
	}
	fmt.Fprint(m.Stdout, reminders.FormatPreview(m.Printer, day, lines))
	return nil
}

// runDigest writes the weekly digest of the whole store as files:
//
//	caxbot digest --out FILE.xlsx --chart FILE.png [--milestone ID]
func runDigest(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("digest")
	out := fs.String("out", "", m.Printer.T("flag.xlsx_out"))
	chart := fs.String("chart", "", m.Printer.T("flag.chart_out"))
	milestone := fs.String("milestone", "", m.Printer.T("flag.chart_milestone"))
	date := m.dateFlag(fs)
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if err := m.useDate(*date); err != nil {
		return err
	}
	if *out == "" && *chart == "" {
		fs.Usage()
		return errUsage
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	db := m.DB
	if *date != "" {
		db = db.AsOf(m.Now()) // the digest as it would have been built then
	}
	d, err := reminders.BuildDigest(ctx, db, m.Catalog, m.Printer.Lang(), store.Scope{}, m.Now())
	if err != nil {
		return err
	}
	if len(d.Milestones) == 0 {
		return userError(m.Printer.T("digest.nothing"))
	}
	if *out != "" {
		if err := m.writeFile(*out, func(f *os.File) error { return digest.Workbook(f, d) }); err != nil {
			return err
		}
	}
	if *chart != "" {
		i := chartMilestone(d, *milestone, m.Now())
		if i < 0 {
			return userError(m.Printer.T("progress.unknown_milestone", *milestone))
		}
		if err := m.writeFile(*chart, func(f *os.File) error { return digest.Chart(f, d, i) }); err != nil {
			return err
		}
	}
	return nil
}

// chartMilestone picks the milestone to chart: the one named, or else the
// unfinished one due soonest from now (the one people are working on), or
// else the last one overdue; -1 when the named one is unknown.
func chartMilestone(d digest.Digest, id string, now time.Time) int {
	if id != "" {
		for i, md := range d.Milestones {
			if md.Progress.Milestone.ID == id {
				return i
			}
		}
		return -1
	}
	best := 0
	for i, md := range d.Milestones {
		p := md.Progress
		if p.Done == p.Total {
			continue
		}
		b := d.Milestones[best].Progress
		switch {
		case b.Done == b.Total:
			best = i
		case p.Milestone.Deadline.After(now) && (!b.Milestone.Deadline.After(now) || p.Milestone.Deadline.Before(b.Milestone.Deadline)):
			best = i
		case !p.Milestone.Deadline.After(now) && !b.Milestone.Deadline.After(now) && p.Milestone.Deadline.After(b.Milestone.Deadline):
			best = i
		}
	}
	return best
}

func (m *Main) writeFile(path string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return userError(m.Printer.T("digest.cannot_write", path))
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintln(m.Stdout, m.Printer.T("digest.written", path))
	return nil
}
