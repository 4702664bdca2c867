package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// JobsOptions are the national jobs benchmark's flags.
type JobsOptions struct {
	Roster string // the national communes file
	// Binary is the caxbot executable whose `progress` and `digest`
	// commands are measured as separate processes, as an operator runs
	// them.
	Binary string
	// CPUProfile names a file for a pprof CPU profile of the measured
	// jobs (not the commands); empty: none.
	CPUProfile string
}

// The days the jobs are measured on, in the seed plan's last year: the
// Monday digest of 01/07/2024; the reminders of Tuesday 02/07/2024, when
// the Q1/2020 chief milestone's weekly repeat names, with escalations,
// every commune still without a regular chief; and 04/07/2024, 180 days
// before the 2024 deadline of deputies and officers, when nearly every
// commune user and district head is reminded.
var (
	jobsDigestDay  = time.Date(2024, 7, 1, 7, 30, 0, 0, time.UTC)
	jobsRemindDay  = time.Date(2024, 7, 2, 7, 30, 0, 0, time.UTC)
	jobsPreviewDay = time.Date(2024, 7, 4, 0, 0, 0, 0, time.UTC)
)

// Jobs builds the national roster with one district head per district,
// one commune user per commune and one province user per province, on the
// backends env names, and measures what the whole country costs the
// scheduled jobs and the commands that read the whole store: the weekly
// digest job, the daily reminders job (with its escalations), a reminders
// preview, and the `progress` and `digest` commands. It prints each one's
// wall time, CPU time and peak memory. The jobs run in this process beside
// a bot built over the same store, as they do in a serving replica; the
// commands run as processes of their own.
func Jobs(ctx context.Context, env Env, opt JobsOptions) error {
	p := env.Printer
	b, err := open(ctx, env)
	defer b.close()
	if err != nil {
		return err
	}
	loc := env.Loc
	at := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, loc)
	}

	start := time.Now()
	// The roster as it stood a month before: the digest's week holds the
	// reports of people, not an import's rows.
	communes, err := b.loadRoster(ctx, opt.Roster, at(jobsDigestDay).AddDate(0, -1, 0))
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, p.T("bench.roster", len(communes), len(communes)*6, p.Decimal(time.Since(start).Seconds(), 2)))
	start = time.Now()
	users, reporters := nationalUsers(communes)
	if err := b.addUsers(ctx, users, at(jobsDigestDay).AddDate(0, -1, 0)); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, p.T("bench.users", len(users), p.Decimal(time.Since(start).Seconds(), 2)))
	if err := weekOfReports(ctx, b.db, reporters, at(jobsDigestDay).AddDate(0, 0, -4)); err != nil {
		return err
	}
	cal, err := reminders.DefaultCalendar()
	if err != nil {
		return err
	}
	sched := &reminders.Scheduler{DB: b.db, Leases: b.state, Catalog: env.Catalog, Calendar: cal, Log: env.Logger, Replica: "bench"}
	// Last week's digest, for this week's changes, and a first run of the
	// code paths before anything is measured.
	if err := runJob(ctx, b.db, sched, reminders.JobDigest, at(jobsDigestDay).AddDate(0, 0, -7)); err != nil {
		return err
	}
	b.settle(ctx)

	// A serving replica holds the bot's roster while the jobs run.
	bt, err := bot.New(ctx, bot.Deps{DB: b.db, State: b.state, Catalog: env.Catalog, Loc: loc, Now: time.Now, Logger: env.Logger, BotUsername: env.BotUsername})
	if err != nil {
		return err
	}
	cpu := newCPUMeter(b)
	defer cpu.close()
	if opt.CPUProfile != "" {
		f, err := os.Create(opt.CPUProfile)
		if err != nil {
			return fmt.Errorf("bench: cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("bench: cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Fprintln(env.Stdout, p.T("bench.jobs.header", len(communes), b.db.Dialect()))

	// measure runs job, then describe, which tells what the job made
	// and is not measured.
	measure := func(label string, job func() error, describe func() (string, error)) error {
		f, err := measureJob(ctx, cpu, job)
		if err != nil {
			return err
		}
		if f.what, err = describe(); err != nil {
			return err
		}
		printJob(env, label, f, cpu)
		return nil
	}
	countItems := func(prefix string) (int, error) {
		items, err := b.db.OutboxItems(ctx, prefix)
		return len(items), err
	}
	err = measure(p.T("bench.jobs.digest", p.Date(at(jobsDigestDay))), func() error {
		return runJob(ctx, b.db, sched, reminders.JobDigest, at(jobsDigestDay))
	}, func() (string, error) {
		n, err := countItems("digest:" + reminders.WeekOf(at(jobsDigestDay), loc))
		return p.T("bench.jobs.digest_items", n), err
	})
	if err != nil {
		return err
	}
	reminded, err := countItems("remind:")
	if err != nil {
		return err
	}
	err = measure(p.T("bench.jobs.reminders", p.Date(at(jobsRemindDay))), func() error {
		return runJob(ctx, b.db, sched, reminders.JobReminders, at(jobsRemindDay))
	}, func() (string, error) {
		n, err := countItems("remind:")
		if err != nil {
			return "", err
		}
		escalations, err := b.db.Escalations(ctx, "chief-q1-2020")
		toDistricts := 0
		for _, e := range escalations {
			if e.Level == store.EscalatedToDistrict {
				toDistricts++
			}
		}
		return p.T("bench.jobs.reminder_items", n-reminded, toDistricts), err
	})
	if err != nil {
		return err
	}
	var lines []reminders.PreviewLine
	err = measure(p.T("bench.jobs.preview", p.Date(at(jobsPreviewDay))), func() error {
		lines, err = sched.Preview(ctx, at(jobsPreviewDay))
		return err
	}, func() (string, error) {
		return p.T("bench.jobs.preview_lines", len(lines)), nil
	})
	if err != nil {
		return err
	}
	runtime.KeepAlive(bt)
	pprof.StopCPUProfile()

	if opt.Binary == "" {
		return nil
	}
	out, err := os.MkdirTemp("", "caxbot-bench-out-")
	if err != nil {
		return fmt.Errorf("bench: temporary directory: %w", err)
	}
	defer os.RemoveAll(out)
	for _, args := range [][]string{
		{"progress"},
		{"digest", "--out", filepath.Join(out, "digest.xlsx"), "--chart", filepath.Join(out, "chart.png")},
	} {
		f, err := b.command(ctx, opt.Binary, args...)
		if err != nil {
			return err
		}
		printJob(env, p.T("bench.jobs.command", args[0]), f, cpu)
	}
	fmt.Fprintln(env.Stdout, p.T("bench.jobs.note"))
	return nil
}

// nationalUsers is one district head per district, one commune user per
// commune and one province user per province, with ids from firstUserID,
// and the commune users by commune code.
func nationalUsers(communes []store.CommuneRow) ([]store.User, map[string]int64) {
	pl := placesOf(communes)
	var users []store.User
	add := func(role store.Role, scope, name string) int64 {
		id := int64(firstUserID + len(users))
		users = append(users, store.User{TelegramID: id, Name: name, Role: role, Scope: scope, Lang: "vi"})
		return id
	}
	for _, code := range pl.provinces {
		add(store.RoleProvince, code, "Phòng Tham mưu "+code)
	}
	for _, code := range pl.districts {
		add(store.RoleDistrict, code, "Lãnh đạo "+pl.districtName[code])
	}
	reporters := make(map[string]int64, len(communes))
	for _, c := range communes {
		reporters[c.Code] = add(store.RoleCommune, c.Code, "Trưởng Công an "+c.Name)
	}
	return users, reporters
}

// weekOfReports has one commune in twenty report its new regular chief
// during the digest's week, as people do, one report at a time.
func weekOfReports(ctx context.Context, db *store.DB, reporters map[string]int64, at time.Time) error {
	codes := make([]string, 0, len(reporters))
	for code := range reporters {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for i := 0; i < len(codes); i += 20 {
		code := codes[i]
		_, err := db.ApplyChange(ctx, store.Change{
			Ref:    store.PostRef{CommuneCode: code, Kind: store.Chief, Slot: 1},
			Status: store.Regular, Holder: "Đại úy Nguyễn Văn " + code,
			Actor: "user:" + strconv.FormatInt(reporters[code], 10), Source: "bench",
			At: at.Add(time.Duration(i) * time.Second),
		})
		if err != nil && !errors.Is(err, store.ErrNoChange) {
			return err
		}
	}
	return nil
}

// runJob runs one scheduled job as of now, through the Scheduler's Tick
// and lease: the job's last run is set a firing back, and the other job's
// to now, so that only this one is due.
func runJob(ctx context.Context, db *store.DB, s *reminders.Scheduler, job string, now time.Time) error {
	for _, j := range []string{reminders.JobReminders, reminders.JobDigest} {
		last := now
		switch {
		case j != job:
		case job == reminders.JobDigest:
			last = now.AddDate(0, 0, -7)
		default:
			last = now.AddDate(0, 0, -1)
		}
		if err := db.RecordRun(ctx, j, last); err != nil {
			return err
		}
	}
	return s.Tick(ctx, now)
}

// jobFigures is what one job or command cost.
type jobFigures struct {
	wall, cpu  time.Duration
	postgres   time.Duration
	peak, idle uint64 // bytes the Go runtime held from the system; RSS for a command
	// peakLive and idleLive are the live heap (what the last collection
	// kept), which does not depend on GOGC as the memory held does.
	peakLive, idleLive uint64
	what               string // what the job made, for the reader
	separateProc       bool
}

// measureJob runs job in this process and measures its wall and CPU time,
// the Postgres backends' CPU time, and the peak memory against the idle
// process just before.
func measureJob(ctx context.Context, cpu *cpuMeter, job func() error) (jobFigures, error) {
	runtime.GC()
	debug.FreeOSMemory()
	idle, idleLive := heldMemory(), liveHeap()
	peak, peakLive := make(chan uint64), make(chan uint64)
	stop := make(chan struct{})
	go samplePeak(stop, peak)
	go sampleLive(stop, peakLive)
	before := cpu.read(ctx)
	start := time.Now()
	err := job()
	f := jobFigures{wall: time.Since(start), idle: idle, idleLive: idleLive}
	used := cpu.read(ctx).sub(before)
	close(stop)
	f.peak, f.peakLive = <-peak, <-peakLive
	f.cpu, f.postgres = used.process, used.postgres
	return f, err
}

// command runs a caxbot command on the run's store as a process of its
// own and measures it from its rusage. (The Postgres backends it used end
// with it, before their CPU time can be read.)
func (b *backend) command(ctx context.Context, binary string, args ...string) (jobFigures, error) {
	cmd := exec.CommandContext(ctx, binary, args...)
	// The last value of a variable wins: the run's store, no Redis
	// (the commands need none).
	cmd.Env = append(os.Environ(), "REDIS_URL=", "CAXBOT_LANG="+b.env.Printer.Lang())
	if b.dataDir != "" {
		cmd.Env = append(cmd.Env, "DATABASE_URL=", "CAXBOT_DATA_DIR="+b.dataDir)
	} else {
		cmd.Env = append(cmd.Env, "DATABASE_URL="+b.dbURL)
	}
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return jobFigures{}, fmt.Errorf("bench: caxbot %s: %w\n%s", args[0], err, out)
	}
	f := jobFigures{wall: time.Since(start), separateProc: true, what: b.env.Printer.T("bench.jobs.output", len(out))}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		f.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		f.peak = uint64(ru.Maxrss) << 10
	}
	return f, nil
}

func printJob(env Env, label string, f jobFigures, cpu *cpuMeter) {
	p := env.Printer
	sec := func(d time.Duration) string { return p.Decimal(d.Seconds(), 3) }
	mib := func(n uint64) string { return p.Decimal(float64(n)/(1<<20), 1) }
	if f.separateProc {
		fmt.Fprintln(env.Stdout, p.T("bench.jobs.command_line", label, sec(f.wall), sec(f.cpu), mib(f.peak), f.what))
		return
	}
	pg := ""
	if cpu.known.postgres {
		pg = p.T("bench.jobs.postgres", sec(f.postgres))
	}
	above := func(peak, idle uint64) string { return mib(peak - min(peak, idle)) }
	fmt.Fprintln(env.Stdout, p.T("bench.jobs.line", label, sec(f.wall), sec(f.cpu), pg, mib(f.peak), above(f.peak, f.idle),
		mib(f.peakLive), above(f.peakLive, f.idleLive), f.what))
}
