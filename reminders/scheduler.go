package reminders

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/robfig/cron/v3"
	"golang.org/x/sync/errgroup"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

// The scheduled jobs, as named in the job-run record and the leases.
const (
	JobReminders = "job:reminders"
	JobDigest    = "job:digest"
	JobPrune     = "job:prune"
)

// Defaults of the Scheduler's settings.
const (
	DefaultRemindSpec = "30 7 * * *" // every day at 07:30
	DefaultDigestSpec = "30 7 * * 1" // Mondays at 07:30
	DefaultCatchUp    = 72 * time.Hour
	defaultJobLease   = 10 * time.Minute
	// DefaultPruneSpec runs the retention job at night, when nothing is
	// sent.
	DefaultPruneSpec = "0 3 * * *"
	// DefaultRetention is how long sent messages keep their payload and
	// deliveries.
	DefaultRetention = 90 * 24 * time.Hour
)

// DefaultSendAt is when on its day an occasion's reminders are due.
var DefaultSendAt = TimeOfDay{Hour: 7, Minute: 30}

// Outbox item kinds.
const (
	KindReminder = "reminder"
	KindDigest   = "digest"
)

// Leaser takes the named lease that makes a job run on one replica only
// (store/state implements it).
type Leaser interface {
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Scheduler runs the daily reminders, the weekly digest and the nightly
// retention job (JobPrune). Each run of the first two
// writes its messages into the outbox, keyed by occasion and recipient,
// before anything is sent; a Drainer sends them. Every replica may run a
// Scheduler: a lease lets one of them run a job at a time, the job-run
// record lets a restarted one catch up, and the outbox keys make a second
// run of the same occasion write nothing.
//
// DB, Leases, Catalog and Calendar are needed; fields left zero take the
// defaults named on them.
type Scheduler struct {
	DB       *store.DB
	Leases   Leaser
	Catalog  *locales.Catalog
	Calendar *Calendar
	Log      *slog.Logger // default: discard
	Replica  string       // lease holder, such as the host name; default "caxbot"

	RemindSpec string // cron spec of the reminders job; default DefaultRemindSpec
	DigestSpec string // cron spec of the digest job; default DefaultDigestSpec
	PruneSpec  string // cron spec of the retention job; default DefaultPruneSpec
	// CheckSpec is the cron spec of the daily list of reports waiting for
	// their district's check (JobChecks); default DefaultRemindSpec.
	CheckSpec string
	// CheckDays is how many working days a report may wait for its
	// district before the province is told; default DefaultCheckDays.
	CheckDays int
	// Retention is how long the outbox keeps a settled message's payload
	// and deliveries; the retention job then leaves a compact record of
	// it (store.DB.Prune). Default DefaultRetention.
	Retention time.Duration
	SendAt    TimeOfDay     // when an occasion is due on its day; default DefaultSendAt
	CatchUp   time.Duration // occasions missed longer ago are dropped; default DefaultCatchUp
	AckPause  time.Duration // how long "Đã nhận" pauses the repeats; default DefaultAckPause
	// DigestChat, when not 0, also gets the weekly digest of the whole
	// store (a group of the provincial police), in DigestLang.
	DigestChat int64
	DigestLang string
	JobLease   time.Duration // how long a job may hold its lease; default 10 minutes

	// OnRun, when set, is told of each run of a job on this replica, for
	// monitoring: the job's name and "ok", "caught_up" (a firing missed
	// while no replica ran, done late), "skipped" (missed past the
	// catch-up cut-off) or "error".
	OnRun func(job, result string)
}

// lateAfter is how long after its firing a run counts as a catch-up
// rather than the firing itself.
const lateAfter = time.Minute

type job struct {
	name string
	spec string
	// run does the job's work for the firing due, the last one since the
	// job's previous run at last.
	run func(ctx context.Context, last, due, now time.Time) error
}

func (s *Scheduler) jobs() []job {
	return []job{
		{JobReminders, or(s.RemindSpec, DefaultRemindSpec), s.runReminders},
		{JobDigest, or(s.DigestSpec, DefaultDigestSpec), s.runDigest},
		{JobPrune, or(s.PruneSpec, DefaultPruneSpec), s.runPrune},
		{JobChecks, or(s.CheckSpec, DefaultRemindSpec), s.runChecks},
	}
}

// Validate checks the settings, so that a bad cron spec fails at start.
func (s *Scheduler) Validate() error {
	if s.DB == nil || s.Leases == nil || s.Catalog == nil || s.Calendar == nil {
		return errors.New("reminders: scheduler needs DB, Leases, Catalog and Calendar")
	}
	for _, j := range s.jobs() {
		if _, err := cron.ParseStandard(j.spec); err != nil {
			return fmt.Errorf("reminders: schedule of %s %q: %w", j.name, j.spec, err)
		}
	}
	return nil
}

// Start runs the jobs on their cron schedules with the real clock, in the
// calendar's zone, until ctx is done; it first catches up on what was
// missed while the service was down. It returns once running jobs have
// finished.
func (s *Scheduler) Start(ctx context.Context) error {
	if err := s.Validate(); err != nil {
		return err
	}
	c := cron.New(cron.WithLocation(s.Calendar.Location()))
	tick := func() {
		if err := s.Tick(ctx, time.Now()); err != nil {
			s.log().Error("scheduled jobs", "err", err)
		}
	}
	for _, j := range s.jobs() {
		if _, err := c.AddFunc(j.spec, tick); err != nil {
			return fmt.Errorf("reminders: schedule %s: %w", j.name, err)
		}
	}
	tick()
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// Tick runs every job whose schedule fired between its last recorded run
// and now, once, as of now. A job never run before only records now, so
// that a new deployment does not replay the past. Tests call Tick with a
// simulated clock; Start calls it from cron.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	if err := s.Validate(); err != nil {
		return err
	}
	var errs []error
	for _, j := range s.jobs() {
		if err := s.tickJob(ctx, j, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Scheduler) tickJob(ctx context.Context, j job, now time.Time) error {
	sched, err := cron.ParseStandard(j.spec)
	if err != nil {
		return fmt.Errorf("reminders: schedule of %s %q: %w", j.name, j.spec, err)
	}
	last, ok, err := s.DB.LastRun(ctx, j.name)
	if err != nil {
		return err
	}
	if !ok {
		return s.DB.RecordRun(ctx, j.name, now)
	}
	if sched.Next(last.In(s.Calendar.Location())).After(now) {
		return nil
	}
	holder := or(s.Replica, "caxbot")
	got, err := s.Leases.AcquireLease(ctx, j.name, holder, durationOr(s.JobLease, defaultJobLease))
	if err != nil {
		return fmt.Errorf("reminders: lease of %s: %w", j.name, err)
	}
	if !got {
		return nil // another replica runs it
	}
	defer func() {
		if err := s.Leases.ReleaseLease(context.WithoutCancel(ctx), j.name, holder); err != nil {
			s.log().Warn("release job lease", "job", j.name, "err", err)
		}
	}()
	// Another replica may have run it between our read and our lease.
	if last, _, err = s.DB.LastRun(ctx, j.name); err != nil {
		return err
	}
	due := lastFiring(sched, last.In(s.Calendar.Location()), now)
	if due.IsZero() {
		return nil
	}
	start := time.Now()
	result := "ok"
	switch {
	case due.Before(now.Add(-s.catchUp())):
		result = "skipped"
		s.log().Warn("job missed for longer than the catch-up cut-off: skipped", "job", j.name, "due", due)
	case now.Sub(due) > lateAfter:
		result = "caught_up"
	}
	if result != "skipped" {
		if err := j.run(ctx, last, due, now); err != nil {
			s.observe(j.name, "error")
			return fmt.Errorf("reminders: run %s: %w", j.name, err)
		}
	}
	s.observe(j.name, result)
	s.log().Info("job ran", "job", j.name, "due", due, "took", time.Since(start))
	return s.DB.RecordRun(ctx, j.name, now)
}

// lastFiring returns the schedule's last firing in (after, now], or zero.
func lastFiring(sched cron.Schedule, after, now time.Time) time.Time {
	var last time.Time
	for t := sched.Next(after); !t.IsZero() && !t.After(now); t = sched.Next(t) {
		last = t
	}
	return last
}

// runReminders writes into the outbox the reminders of the occasions due
// in (last, now], leaving out those older than the catch-up cut-off, and
// records the communes they name as escalated, in one statement.
func (s *Scheduler) runReminders(ctx context.Context, last, _, now time.Time) error {
	from := last
	if cut := now.Add(-s.catchUp()); from.Before(cut) {
		from = cut
	}
	planned, err := s.plan(ctx, from, now, now)
	if err != nil {
		return err
	}
	items := make([]store.OutboxItem, 0, len(planned))
	var escalated []store.EscalationKey
	for _, p := range planned {
		payload, err := MessagePayload(p.message)
		if err != nil {
			return err
		}
		items = append(items, store.OutboxItem{Key: p.key, ChatID: p.recipient.ChatID, Kind: KindReminder, Payload: payload, DueAt: p.due})
		for _, c := range p.escalated {
			escalated = append(escalated, store.EscalationKey{MilestoneID: p.milestoneID, CommuneCode: c.Commune.Code})
		}
	}
	// The reminders and the escalations they name are written side by
	// side: on the national roster each is a large write of its own
	// table (on Postgres, 0.07–0.3 s), and neither reads the other. If one
	// fails, the run fails and the next tick runs it whole again; an
	// escalation already recorded keeps its first date, which is when a
	// job first decided to name the commune, as it is anyway when the
	// reminder waits in the outbox for the send time.
	var n int
	eg, egCtx := errgroup.WithContext(ctx)
	eg.Go(func() error {
		var err error
		n, err = s.DB.Enqueue(egCtx, items)
		return err
	})
	eg.Go(func() error {
		_, err := s.DB.RecordEscalations(egCtx, store.EscalatedToDistrict, now, escalated)
		return err
	})
	if err := eg.Wait(); err != nil {
		return err
	}
	s.log().Info("reminders planned", "items", len(items), "new", n)
	return nil
}

// planned is one reminder rendered for its recipient: what the outbox
// item is made of, and the communes it names as escalated. It keeps
// neither the Reminder (600 bytes, most of them the milestone's) nor the
// item's JSON payload, which only the reminders job needs: a national
// preview plans about 15,000 of them.
type planned struct {
	recipient   Recipient
	key         string
	due         time.Time
	message     Message
	milestoneID string
	escalated   []store.CommuneProgress
}

// plan computes the reminders of the occasions due in (from, to], as of
// now. When a milestone has several occasions in the window (after a
// downtime) only the latest goes out: the others would say the same.
// Messages due in quiet hours or on a day off are due at the next send
// time. Its work grows with the users plus the communes behind (Plan).
func (s *Scheduler) plan(ctx context.Context, from, to, now time.Time) ([]planned, error) {
	plans, err := s.DB.Plans(ctx)
	if err != nil {
		return nil, err
	}
	sendAt := s.SendAt
	if sendAt == (TimeOfDay{}) {
		sendAt = DefaultSendAt
	}
	// Each milestone's latest occasion in the window.
	type due struct {
		milestone store.Milestone
		occasion  Occasion
	}
	var dues []due
	for _, p := range plans {
		for _, m := range p.Milestones {
			if occs := Occasions(m, from.Add(time.Nanosecond), to.Add(time.Nanosecond), s.Calendar, sendAt); len(occs) > 0 {
				dues = append(dues, due{milestone: m, occasion: occs[len(occs)-1]})
			}
		}
	}
	if len(dues) == 0 {
		return nil, nil
	}
	// The recipients and the roster are read side by side: on the
	// national roster each is tens of milliseconds of waiting on the
	// store, and neither needs the other.
	var users []store.User
	var acks Acks
	var all *roster
	eg, egCtx := errgroup.WithContext(ctx)
	eg.Go(func() error {
		var err error
		users, acks, err = s.recipients(egCtx)
		return err
	})
	eg.Go(func() error {
		var err error
		all, err = readRoster(egCtx, s.DB, store.Scope{})
		return err
	})
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	loc := s.Calendar.Location()
	dueAt := s.Calendar.NextSendTime(now)
	printers := make(map[string]*locales.Printer)
	printer := func(lang string) *locales.Printer {
		lang = s.Catalog.Match(lang)
		p, ok := printers[lang]
		if !ok {
			p = s.Catalog.Printer(lang, loc)
			printers[lang] = p
		}
		return p
	}
	var out []planned
	for _, d := range dues {
		m, o := d.milestone, d.occasion
		progress := all.progress(o.Stage(m))
		due := o.Due
		if due.Before(dueAt) {
			due = dueAt
		}
		rs := Plan(o, progress, users, acks, now)
		keyPrefix := o.Key() + ":"
		out = slices.Grow(out, len(rs))
		for _, r := range rs {
			out = append(out, planned{
				recipient:   r.Recipient,
				key:         keyPrefix + strconv.FormatInt(r.Recipient.ChatID, 10),
				due:         due,
				message:     renderReminder(printer(r.Recipient.Lang), r, now, loc, s.ackPause()),
				milestoneID: m.ID,
				escalated:   r.Escalated,
			})
		}
	}
	return out, nil
}

// recipients reads who may be reminded: the users, and the groups bound
// to a district, which get that district's reminders as its head does;
// and the heads' acknowledgements.
func (s *Scheduler) recipients(ctx context.Context) ([]store.User, Acks, error) {
	users, err := s.DB.Users(ctx, store.Scope{})
	if err != nil {
		return nil, Acks{}, err
	}
	groups, err := s.DB.GroupChats(ctx)
	if err != nil {
		return nil, Acks{}, err
	}
	for _, g := range groups {
		if g.Role == store.RoleDistrict {
			users = append(users, store.User{TelegramID: g.ChatID, Role: g.Role, Scope: g.Scope, Lang: g.Lang})
		}
	}
	ackList, err := s.DB.Acks(ctx)
	if err != nil {
		return nil, Acks{}, err
	}
	acks := Acks{At: make(map[AckKey]time.Time, len(ackList)), Pause: s.ackPause()}
	for _, a := range ackList {
		acks.At[AckKey{a.ChatID, a.MilestoneID}] = a.At
	}
	return users, acks, nil
}

// runPrune removes from the outbox what was settled longer than the
// retention ago, keeping a compact record of who was sent what and when.
func (s *Scheduler) runPrune(ctx context.Context, _, _, now time.Time) error {
	pruned, err := s.DB.Prune(ctx, now.Add(-durationOr(s.Retention, DefaultRetention)))
	if err != nil {
		return err
	}
	s.log().Info("outbox pruned", "items", pruned.Items, "files", pruned.Files, "snapshots", pruned.Snapshots)
	return nil
}

func (s *Scheduler) observe(job, result string) {
	if s.OnRun != nil {
		s.OnRun(job, result)
	}
}

func (s *Scheduler) catchUp() time.Duration { return durationOr(s.CatchUp, DefaultCatchUp) }

func (s *Scheduler) ackPause() time.Duration { return durationOr(s.AckPause, DefaultAckPause) }

func (s *Scheduler) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
