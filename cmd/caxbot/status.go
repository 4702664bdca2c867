package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/caxbot/caxbot/store"
)

// status is what `caxbot status` reports; its JSON is for scripts.
type status struct {
	At    time.Time `json:"at"`
	Store struct {
		Dialect       string `json:"dialect"`
		Location      string `json:"location"` // the file, or the server without its password
		SchemaVersion int64  `json:"schema_version"`
		SchemaCurrent bool   `json:"schema_current"`
	} `json:"store"`
	SharedState struct {
		Kind     string `json:"kind"` // memory or redis
		Location string `json:"location,omitempty"`
	} `json:"shared_state"`
	BotUsername  string       `json:"bot_username,omitempty"`
	Counts       store.Counts `json:"counts"`
	Plan         *statusPlan  `json:"plan,omitempty"`
	NextDeadline *deadline    `json:"next_deadline,omitempty"`
	LastImport   *lastImport  `json:"last_import,omitempty"`
	Outbox       struct {
		Pending          int     `json:"pending"`
		Due              int     `json:"due"`
		OldestDueSeconds float64 `json:"oldest_due_seconds"`
	} `json:"outbox"`
}

type statusPlan struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Version    int64  `json:"version"`
	Milestones int    `json:"milestones"`
}

type deadline struct {
	Milestone string    `json:"milestone"`
	Title     string    `json:"title"`
	Deadline  time.Time `json:"deadline"`
	Behind    int       `json:"behind"` // communes, or districts for a district_report milestone
	Of        int       `json:"of"`
	Unit      string    `json:"unit"` // communes or districts
}

type lastImport struct {
	Action string    `json:"action"`
	Actor  string    `json:"actor"`
	At     time.Time `json:"at"`
	Detail string    `json:"detail"`
}

// runStatus prints what the store and the shared state hold at a glance:
//
//	caxbot status [--json] [--date YYYY-MM-DD]
func runStatus(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("status")
	asJSON := fs.Bool("json", false, m.Printer.T("flag.json"))
	date := m.dateFlag(fs)
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if err := m.useDate(*date); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	st, err := m.status(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	m.printStatus(st)
	return nil
}

// status reads the overview; with --date, the posts and the next
// deadline's progress as the reports left them at the end of that day.
func (m *Main) status(ctx context.Context) (status, error) {
	var st status
	now := m.Now()
	st.At = now
	st.Store.Dialect = m.DB.Dialect()
	st.Store.Location = m.storeLocation()
	var err error
	if st.Store.SchemaVersion, err = m.DB.SchemaVersion(ctx); err != nil {
		return st, err
	}
	if st.Store.SchemaCurrent, err = m.DB.SchemaCurrent(ctx); err != nil {
		return st, err
	}
	st.SharedState.Kind = "memory"
	if m.Settings.RedisURL != "" {
		st.SharedState.Kind, st.SharedState.Location = "redis", redact(m.Settings.RedisURL)
	}
	if st.BotUsername, err = m.botUsername(ctx); err != nil {
		var ue userError
		if !errors.As(err, &ue) {
			return st, err
		}
		st.BotUsername = ""
	}
	if st.Counts, err = m.DB.AsOf(m.dayEnd).Counts(ctx, now); err != nil {
		return st, err
	}
	plans, err := m.DB.Plans(ctx)
	if err != nil {
		return st, err
	}
	versions, err := m.DB.PlanVersions(ctx)
	if err != nil {
		return st, err
	}
	for _, p := range plans {
		sp := &statusPlan{ID: p.ID, Title: planTitle(p, m.Printer.Lang()), Milestones: len(p.Milestones)}
		if len(versions) > 0 && versions[0].PlanID == p.ID {
			sp.Version = versions[0].Version
		}
		st.Plan = sp
		if st.NextDeadline, err = m.nextDeadline(ctx, p, now); err != nil {
			return st, err
		}
	}
	last, err := m.DB.LastAudit(ctx, "import_communes", "import_posts", "import_users", "set_group", "import_changes")
	switch {
	case err == nil:
		st.LastImport = &lastImport{Action: last.Action, Actor: last.Actor, At: last.At, Detail: last.Detail}
	case !errors.Is(err, store.ErrNotFound):
		return st, err
	}
	ob, err := m.DB.OutboxStats(ctx, now)
	if err != nil {
		return st, err
	}
	st.Outbox.Pending, st.Outbox.Due, st.Outbox.OldestDueSeconds = ob.Pending, ob.Due, ob.Oldest.Seconds()
	return st, nil
}

// nextDeadline is the plan's milestone due soonest from today on, with
// how many communes (or districts) are behind on it.
func (m *Main) nextDeadline(ctx context.Context, p store.Plan, now time.Time) (*deadline, error) {
	y, mo, d := now.In(m.Loc).Date()
	today := time.Date(y, mo, d, 0, 0, 0, 0, m.Loc)
	var next *store.Milestone
	for i, ms := range p.Milestones {
		if !ms.Deadline.Before(today) && (next == nil || ms.Deadline.Before(next.Deadline)) {
			next = &p.Milestones[i]
		}
	}
	if next == nil {
		return nil, nil
	}
	pr, err := m.DB.AsOf(m.dayEnd).Progress(ctx, next.ID, store.Scope{})
	if err != nil {
		return nil, err
	}
	unit := "communes"
	switch {
	case next.ForUnits():
		unit = "units"
	case next.Kind == store.KindDistrictReport:
		unit = "districts"
	}
	return &deadline{Milestone: next.ID, Title: next.Title(m.Printer.Lang()), Deadline: next.Deadline,
		Behind: pr.Total - pr.Done, Of: pr.Total, Unit: unit}, nil
}

// storeLocation names the store without any password: the SQLite file,
// or the Postgres server and database.
func (m *Main) storeLocation() string {
	if m.Settings.DatabaseURL == "" {
		return m.Settings.sqlitePath()
	}
	u, err := url.Parse(m.Settings.DatabaseURL)
	if err != nil {
		return "…"
	}
	u.User, u.RawQuery = nil, ""
	return u.String()
}

func (m *Main) printStatus(st status) {
	p := m.Printer
	w := m.Stdout
	fmt.Fprintln(w, p.T("status.title", m.when(st.At)))
	current := p.T("status.schema_current")
	if !st.Store.SchemaCurrent {
		current = p.T("status.schema_behind")
	}
	fmt.Fprintln(w, p.T("status.store", p.T("status.dialect."+st.Store.Dialect), st.Store.Location, st.Store.SchemaVersion, current))
	if st.SharedState.Kind == "redis" {
		fmt.Fprintln(w, p.T("status.shared_redis", st.SharedState.Location, m.Settings.RedisPrefix))
	} else {
		fmt.Fprintln(w, p.T("status.shared_memory"))
	}
	if st.BotUsername != "" {
		fmt.Fprintln(w, p.T("status.bot", st.BotUsername))
	} else {
		fmt.Fprintln(w, p.T("status.no_bot"))
	}
	c := st.Counts
	communes := 0
	var types []string
	for _, t := range []store.CommuneType{store.Xa, store.ThiTran, store.Phuong} {
		communes += c.Communes[t]
		types = append(types, fmt.Sprintf("%s %s", m.Printer.Num(c.Communes[t]), p.T("commune_type."+string(t))))
	}
	if communes == 0 {
		fmt.Fprintln(w, p.T("status.no_roster"))
	} else {
		fmt.Fprintln(w, p.T("status.roster", m.Printer.Num(c.Districts), m.Printer.Num(communes), strings.Join(types, ", ")))
	}
	for _, k := range store.PostKinds {
		total := 0
		var parts []string
		for _, s := range []store.Status{store.Regular, store.Semi, store.Vacant} {
			total += c.Posts[k][s]
			parts = append(parts, fmt.Sprintf("%s %s", p.T("status.status."+string(s)), m.Printer.Num(c.Posts[k][s])))
		}
		fmt.Fprintln(w, p.T("status.posts", p.T("status.kind."+string(k)), m.Printer.Num(total), strings.Join(parts, ", ")))
	}
	users := 0
	var roles []string
	for _, r := range []store.Role{store.RoleCommune, store.RoleDistrict, store.RoleProvince, store.RoleUnit} {
		if r == store.RoleUnit && c.Users[r] == 0 {
			continue // a province without departments' users is not told of them
		}
		users += c.Users[r]
		roles = append(roles, fmt.Sprintf("%s %s", p.Role(string(r), ""), m.Printer.Num(c.Users[r])))
	}
	fmt.Fprintln(w, p.T("status.users", m.Printer.Num(users), strings.Join(roles, ", "), m.Printer.Num(c.UsersGone)))
	fmt.Fprintln(w, p.T("status.invitations", m.Printer.Num(c.PendingInvitations)))
	if st.Plan != nil {
		fmt.Fprintln(w, p.T("status.plan", st.Plan.Title, st.Plan.ID, st.Plan.Version, st.Plan.Milestones))
	}
	if d := st.NextDeadline; d != nil {
		fmt.Fprintln(w, p.T("status.next_deadline", d.Title, p.Date(d.Deadline), m.Printer.Num(d.Behind), m.Printer.Num(d.Of), p.T("status.unit."+d.Unit)))
	} else {
		fmt.Fprintln(w, p.T("status.no_deadline"))
	}
	if li := st.LastImport; li != nil {
		fmt.Fprintln(w, p.T("status.last_import", m.describeImport(*li), m.when(li.At)))
	} else {
		fmt.Fprintln(w, p.T("status.no_import"))
	}
	if st.Outbox.Due == 0 {
		fmt.Fprintln(w, p.T("status.outbox_idle", m.Printer.Num(st.Outbox.Pending)))
	} else {
		oldest := time.Duration(st.Outbox.OldestDueSeconds * float64(time.Second)).Round(time.Second)
		fmt.Fprintln(w, p.T("status.outbox", m.Printer.Num(st.Outbox.Pending), m.Printer.Num(st.Outbox.Due), oldest.String()))
	}
}

// describeImport says what an import recorded in the audit did.
func (m *Main) describeImport(li lastImport) string {
	p := m.Printer
	source := strings.TrimPrefix(li.Actor, "import:")
	var added, changed, unchanged int
	if _, err := fmt.Sscanf(li.Detail, "added=%d changed=%d unchanged=%d", &added, &changed, &unchanged); err == nil {
		return p.T("status.import."+li.Action, source, added, changed, unchanged)
	}
	if li.Action == "set_group" {
		return p.T("status.import.set_group", li.Detail)
	}
	var lines, created, ended int
	if _, err := fmt.Sscanf(li.Detail, "lines=%d created=%d ended=%d", &lines, &created, &ended); err == nil && li.Action == "import_changes" {
		return p.T("status.import.import_changes", source, lines, created, ended)
	}
	return p.T("status.import.other", li.Action, li.Detail)
}
