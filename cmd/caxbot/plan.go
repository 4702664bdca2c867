package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/caxbot/caxbot/store"
)

// loadPlan reads the plan the settings name: the plan file, or the seed
// plan embedded in the binary. A plan file that cannot be used is told in
// one line: start-up stops on it.
func (m *Main) loadPlan() (store.Plan, error) {
	if m.Settings.PlanFile == "" {
		return store.SeedPlan(m.Loc), nil
	}
	path := m.Settings.PlanFile
	p, pe, err := m.parsePlanFile(path)
	switch {
	case len(pe) > 0:
		return store.Plan{}, userError(m.Printer.N("plan.start_rejected", len(pe), path, m.planErrorText(pe[0])))
	case err != nil:
		return store.Plan{}, err
	}
	return p, nil
}

// readPlanFile reads a plan file for `caxbot plan`, telling every problem
// on a line of its own.
func (m *Main) readPlanFile(path string) (store.Plan, error) {
	p, pe, err := m.parsePlanFile(path)
	if len(pe) > 0 {
		lines := []string{m.Printer.N("plan.rejected", len(pe), path)}
		for _, e := range pe {
			lines = append(lines, "  "+m.planErrorText(e))
		}
		return store.Plan{}, userError(strings.Join(lines, "\n"))
	}
	return p, err
}

// parsePlanFile reads a plan file and returns the plan, or its problems,
// or why it could not be read.
func (m *Main) parsePlanFile(path string) (store.Plan, store.PlanErrors, error) {
	f, err := os.Open(path)
	if err != nil {
		return store.Plan{}, nil, userError(m.Printer.T("plan.cannot_open", path))
	}
	defer f.Close()
	p, err := store.ParsePlan(f, m.Loc)
	var pe store.PlanErrors
	if errors.As(err, &pe) {
		return store.Plan{}, pe, nil
	}
	if err != nil {
		return store.Plan{}, nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil, nil
}

func (m *Main) planErrorText(e store.PlanError) string {
	why := m.Printer.T("import.problem."+string(e.Problem), e.Value)
	return m.Printer.T("plan.error_at", strconv.Itoa(e.Line), e.Milestone, e.Field, why)
}

// ensurePlan loads the configured plan file at every start (the file is
// the source of truth; an unchanged file adds no version), or the seed
// plan when the store has no plan yet.
func (m *Main) ensurePlan(ctx context.Context) error {
	source := seedPlanSource
	if m.Settings.PlanFile == "" {
		plans, err := m.DB.Plans(ctx)
		if err != nil {
			return err
		}
		if len(plans) > 0 {
			return m.versionStoredPlan(ctx, plans)
		}
	} else {
		source = filepath.Base(m.Settings.PlanFile)
	}
	p, err := m.loadPlan()
	if err != nil {
		return err
	}
	_, _, err = m.DB.LoadPlan(ctx, p, source, cliActor, m.Now())
	return err
}

// versionStoredPlan records the plan of a store older than plan versions
// as its first version.
func (m *Main) versionStoredPlan(ctx context.Context, plans []store.Plan) error {
	versions, err := m.DB.PlanVersions(ctx)
	if err != nil || len(versions) > 0 {
		return err
	}
	_, _, err = m.DB.LoadPlan(ctx, plans[0], storedPlanSource, cliActor, m.Now())
	return err
}

// storedPlanSource names, among plan versions, a plan stored before
// versions were kept.
const storedPlanSource = "(store)"

// seedPlanSource names the embedded seed plan among plan versions.
const seedPlanSource = "seedplan.yaml"

// runPlan shows, lists, checks or loads plans, and records the reports
// that district_report milestones wait for:
//
//	caxbot plan show [--version N]
//	caxbot plan list
//	caxbot plan check FILE
//	caxbot plan load FILE
//	caxbot plan submit --milestone ID --district CODE
//	caxbot plan submit --milestone ID --unit CODE
func runPlan(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("plan")
	milestone := fs.String("milestone", "", m.Printer.T("flag.milestone"))
	district := fs.String("district", "", m.Printer.T("flag.district"))
	unit := fs.String("unit", "", m.Printer.T("flag.unit"))
	version := fs.Int64("version", 0, m.Printer.T("flag.plan_version"))
	words, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	rest := words
	switch {
	case len(rest) == 1 && rest[0] == "submit" && *unit != "":
		if err := m.need(fs, "milestone"); err != nil {
			return err
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.submitUnit(ctx, *milestone, *unit)
	case len(rest) == 1 && rest[0] == "submit":
		if err := m.need(fs, "milestone", "district"); err != nil {
			return err
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.submit(ctx, *milestone, *district)
	case len(rest) == 1 && rest[0] == "show":
		if err := m.Open(ctx); err != nil {
			return err
		}
		if *version > 0 {
			p, err := m.DB.PlanOfVersion(ctx, *version)
			if errors.Is(err, store.ErrNotFound) {
				return userError(m.Printer.T("plan.no_version", *version))
			}
			if err != nil {
				return err
			}
			m.printPlan(m.Stdout, p)
			return nil
		}
		plans, err := m.DB.Plans(ctx)
		if err != nil {
			return err
		}
		for _, p := range plans {
			m.printPlan(m.Stdout, p)
		}
		return nil
	case len(rest) == 1 && rest[0] == "list":
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.listPlans(ctx)
	case len(rest) == 2 && (rest[0] == "check" || rest[0] == "load"):
		p, err := m.readPlanFile(rest[1])
		if err != nil {
			return err
		}
		if err := m.Open(ctx); err != nil {
			return err
		}
		bad, err := m.DB.CheckPlan(ctx, p)
		if err != nil {
			return err
		}
		if len(bad) > 0 {
			return m.planRefused(rest[1], bad)
		}
		if rest[0] == "check" {
			m.printPlan(m.Stdout, p)
			fmt.Fprintln(m.Stdout, m.Printer.T("plan.valid", rest[1]))
			return nil
		}
		before, err := m.DB.Plans(ctx)
		if err != nil {
			return err
		}
		v, added, err := m.DB.LoadPlan(ctx, p, filepath.Base(rest[1]), cliActor, m.Now())
		if err != nil {
			return err
		}
		if !added {
			fmt.Fprintln(m.Stdout, m.Printer.T("plan.unchanged", p.ID, v))
			return nil
		}
		fmt.Fprintln(m.Stdout, m.Printer.T("plan.loaded", p.ID, len(p.Milestones)))
		for _, old := range before {
			fmt.Fprintln(m.Stdout, m.Printer.T("plan.replaced", old.ID, v))
		}
		return nil
	}
	fs.Usage()
	return errUsage
}

// planRefused says why a plan cannot be this store's, one line each.
func (m *Main) planRefused(path string, bad store.PlanErrors) error {
	p := m.Printer
	lines := []string{p.N("plan.refused", len(bad), path)}
	for _, e := range bad {
		lines = append(lines, "  "+p.T("plan.error_milestone", e.Milestone, e.Field, p.T("import.problem."+string(e.Problem), e.Value)))
	}
	return userError(strings.Join(lines, "\n"))
}

// listPlans prints every plan version, the active one marked.
func (m *Main) listPlans(ctx context.Context) error {
	p := m.Printer
	versions, err := m.DB.PlanVersions(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, p.T("plan.list_header"))
	for _, v := range versions {
		active := ""
		if v.Active {
			active = p.T("plan.active")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\n", v.Version, active, v.PlanID, v.Milestones, m.when(v.LoadedAt), v.Source, v.LoadedBy)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, p.T("plan.list_hint"))
	return nil
}

func (m *Main) printPlan(w io.Writer, p store.Plan) {
	pr := m.Printer
	fmt.Fprintln(w, pr.T("plan.header", planTitle(p, pr.Lang()), p.ID))
	for _, ms := range p.Milestones {
		fmt.Fprintln(w, pr.T("plan.milestone", ms.ID, ms.Title(pr.Lang()), pr.Date(ms.Start), pr.Date(ms.Deadline), pr.Quarter(ms.Deadline)))
	}
}

func planTitle(p store.Plan, lang string) string {
	if lang == "en" && p.TitleEN != "" {
		return p.TitleEN
	}
	return p.TitleVI
}

// runProgress prints each milestone's progress per district:
//
//	caxbot progress [--milestone ID] [--district CODE]
func runProgress(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("progress")
	milestone := fs.String("milestone", "", m.Printer.T("flag.milestone"))
	district := fs.String("district", "", m.Printer.T("flag.district"))
	date := fs.String("date", "", m.Printer.T("flag.progress_date"))
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if err := m.useDate(*date); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	var sc store.Scope
	if *district != "" {
		s, err := m.checkScope(ctx, store.RoleDistrict, *district)
		if err != nil {
			return err
		}
		sc = s
	}
	return m.printProgress(ctx, m.Stdout, sc, *milestone, m.dayEnd)
}

// printProgress prints the progress of one milestone, or of all when id
// is empty, over the scope: as the posts are now, or as the reports left
// them at asOf when it is not zero.
func (m *Main) printProgress(ctx context.Context, w io.Writer, sc store.Scope, id string, asOf time.Time) error {
	plans, err := m.DB.Plans(ctx)
	if err != nil {
		return err
	}
	found := false
	for _, p := range plans {
		for _, ms := range p.Milestones {
			if id != "" && ms.ID != id {
				continue
			}
			found = true
			pr, err := m.DB.AsOf(asOf).Progress(ctx, ms.ID, sc)
			if err != nil {
				return err
			}
			m.printMilestoneProgress(w, pr)
		}
	}
	if !found && id != "" {
		return userError(m.Printer.T("progress.unknown_milestone", id))
	}
	return nil
}

func (m *Main) printMilestoneProgress(w io.Writer, pr store.Progress) {
	p := m.Printer
	ms := pr.Milestone
	fmt.Fprintln(w, p.T("progress.milestone", ms.Title(p.Lang()), p.Date(ms.Deadline), p.Quarter(ms.Deadline)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	unit := "progress.header_communes"
	switch {
	case ms.ForUnits():
		unit = "progress.header_units"
	case ms.Kind == store.KindDistrictReport:
		unit = "progress.header_districts"
	}
	fmt.Fprintln(tw, p.T(unit))
	for _, d := range pr.Districts {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t\n", d.District.Name, d.Done, d.Total, p.Percent(d.Done, d.Total))
	}
	fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t\n", p.T("progress.all"), pr.Done, pr.Total, p.Percent(pr.Done, pr.Total))
	tw.Flush()
	fmt.Fprintln(w)
}

// runMigrate applies the embedded schema migrations and exits.
func runMigrate(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("migrate")
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.Printer.T("migrate.done", m.DB.Dialect()))
	return nil
}

// submit records that a district filed what a district_report milestone
// asks for.
func (m *Main) submit(ctx context.Context, milestoneID, districtCode string) error {
	p := m.Printer
	ms, err := m.DB.Milestone(ctx, milestoneID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (ms.Kind != store.KindDistrictReport || ms.ForUnits())) {
		return userError(p.T("plan.not_a_report", milestoneID))
	}
	if err != nil {
		return err
	}
	d, err := m.DB.District(ctx, districtCode)
	if errors.Is(err, store.ErrNotFound) {
		return userError(p.T("users.bad_scope", districtCode, p.T("role.district")))
	}
	if err != nil {
		return err
	}
	if err := m.DB.RecordSubmission(ctx, ms.ID, d.Code, cliActor, m.Now()); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, p.T("plan.submitted", p.InSentence(d.Name), ms.Title(p.Lang())))
	return nil
}

// submitUnit records that a reporting unit filed what a milestone asks of
// the units.
func (m *Main) submitUnit(ctx context.Context, milestoneID, unitCode string) error {
	p := m.Printer
	ms, err := m.DB.Milestone(ctx, milestoneID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !ms.ForUnits()) {
		return userError(p.T("plan.not_a_unit_report", milestoneID))
	}
	if err != nil {
		return err
	}
	u, err := m.DB.ReportingUnit(ctx, strings.ToUpper(unitCode))
	if errors.Is(err, store.ErrNotFound) {
		return userError(p.T("users.bad_scope", unitCode, p.T("role.unit")))
	}
	if err != nil {
		return err
	}
	if _, err := m.DB.RecordUnitSubmission(ctx, ms.ID, u.Code, cliActor, m.Now()); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, p.T("plan.submitted", u.Name, ms.Title(p.Lang())))
	return nil
}
