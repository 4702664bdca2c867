// Command caxbot runs the caxbot service and its administration tools.
//
// Usage: caxbot <command> [flags]; `caxbot help` lists the commands and
// every setting.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // schedules run in Asia/Ho_Chi_Minh even in a minimal image

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/scrub"
	"github.com/caxbot/caxbot/store/state"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		Now:    time.Now,
	}
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// errUsage marks an error whose message was already printed with the
// command's usage.
var errUsage = errors.New("usage")

// Main is the program: its inputs, its settings and what it opened. Tests
// drive it with the real wiring, as `caxbot demo` and `caxbot chat` do.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time

	Settings Settings
	Catalog  *locales.Catalog
	Printer  *locales.Printer // the command line's language
	Loc      *time.Location
	Logger   *slog.Logger

	DB    *store.DB
	State state.State

	// botRandom draws the bot's invitation codes; nil means crypto/rand.
	// Only the demo sets it, so that its transcript does not change.
	botRandom io.Reader
}

// command is one subcommand: its name, the catalog key of its one-line
// help, and what it does with the arguments after its name.
type command struct {
	name string
	help string
	run  func(ctx context.Context, m *Main, args []string) error
}

func commands() []command {
	return []command{
		{"demo", "cmd.demo.help", runDemo},
		{"serve", "cmd.serve.help", runServe},
		{"chat", "cmd.chat.help", runChat},
		{"migrate", "cmd.migrate.help", runMigrate},
		{"import", "cmd.import.help", runImport},
		{"users", "cmd.users.help", runUsers},
		{"invite", "cmd.invite.help", runInvite},
		{"plan", "cmd.plan.help", runPlan},
		{"progress", "cmd.progress.help", runProgress},
		{"reminders", "cmd.reminders.help", runReminders},
		{"digest", "cmd.digest.help", runDigest},
		{"bench", "cmd.bench.help", runBench},
	}
}

// Run runs the command line args and returns the process's exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	if err := m.setup(); err != nil {
		fmt.Fprintln(m.Stderr, err)
		return 1
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		m.usage(m.Stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, m, args[1:])
		if cerr := m.Close(); err == nil {
			err = cerr
		}
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		}
		fmt.Fprintln(m.Stderr, m.scrubber().String(err.Error()))
		return 1
	}
	fmt.Fprintln(m.Stderr, m.Printer.T("cmd.unknown", args[0]))
	m.usage(m.Stderr)
	return 2
}

// setup loads what every command needs before its flags are parsed.
func (m *Main) setup() error {
	c, err := locales.Load()
	if err != nil {
		return err
	}
	m.Catalog = c
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return fmt.Errorf("caxbot: load time zone: %w", err)
	}
	m.Loc = loc
	lang := m.Getenv("CAXBOT_LANG")
	if !c.Supported(lang) {
		lang = locales.Default
	}
	m.Printer = c.Printer(lang, loc)
	if m.Logger == nil {
		m.Logger = m.newLogger(slog.LevelWarn)
	}
	return nil
}

// newLogger writes records of level and above to standard error, without
// the secrets the settings hold or anything shaped like one: errors of
// the Bot API client, of a proxy or of a driver may quote them.
func (m *Main) newLogger(level slog.Level) *slog.Logger {
	return slog.New(m.scrubber().Handler(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: level})))
}

// scrubber knows the secrets of the settings, as parsed or, before that,
// as the environment gives them.
func (m *Main) scrubber() *scrub.Scrubber {
	var secrets []string
	for _, s := range []struct{ value, env string }{
		{m.Settings.Token, "TELEGRAM_BOT_TOKEN"},
		{m.Settings.WebhookSecret, "CAXBOT_WEBHOOK_SECRET"},
		{scrub.URLPassword(m.Settings.DatabaseURL), ""},
		{scrub.URLPassword(m.Settings.RedisURL), ""},
		{scrub.URLPassword(m.Getenv("DATABASE_URL")), ""},
		{scrub.URLPassword(m.Getenv("REDIS_URL")), ""},
	} {
		secrets = append(secrets, s.value)
		if s.env != "" {
			secrets = append(secrets, m.Getenv(s.env))
		}
	}
	return scrub.New(secrets...)
}

func (m *Main) usage(w io.Writer) {
	p := m.Printer
	fmt.Fprintln(w, p.T("cmd.usage"))
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.T("cmd.commands"))
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, p.T(c.help))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.T("cmd.settings"))
	var s Settings
	for _, st := range s.table() {
		fmt.Fprintf(w, "  %-24s --%-16s %s\n", st.env, st.flag, p.T(st.help, st.env))
	}
	fmt.Fprintf(w, "  %-24s --%-16s %s\n", inviteTTLEnv, "invite-ttl", p.T("setting.invite_ttl", inviteTTLEnv))
}

// flags returns a flag set for a subcommand with every setting on it.
func (m *Main) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("caxbot "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	m.Settings.register(fs, m.Getenv, m.Printer)
	return fs
}

// parse parses a subcommand's flags, wherever they stand among its words,
// and checks the settings; the language chosen with --lang applies from
// here on. It returns the words that are not flags.
func (m *Main) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if err := m.Settings.validate(m.Catalog, m.Printer); err != nil {
		return nil, err
	}
	m.Printer = m.Catalog.Printer(m.Settings.Lang, m.Loc)
	level, _ := m.Settings.level()
	m.Logger = m.newLogger(level)
	return words, nil
}

// parseFlags is parse for a command that takes flags only.
func (m *Main) parseFlags(fs *flag.FlagSet, args []string) error {
	words, err := m.parse(fs, args)
	if err == nil && len(words) > 0 {
		fmt.Fprintln(m.Stderr, m.Printer.T("cmd.extra_words", strings.Join(words, " ")))
		fs.Usage()
		return errUsage
	}
	return err
}

// Open opens the durable store (migrating it) and the shared state, as the
// settings say, and loads the plan if the store has none.
func (m *Main) Open(ctx context.Context) error {
	// A plan file that cannot be used stops start-up before anything is
	// opened; ensurePlan reads it again to store it.
	if m.Settings.PlanFile != "" {
		if _, err := m.loadPlan(); err != nil {
			return err
		}
	}
	url := m.Settings.DatabaseURL
	if url == "" {
		if err := os.MkdirAll(m.Settings.DataDir, 0o750); err != nil {
			return fmt.Errorf("caxbot: data dir: %w", err)
		}
		url = "sqlite:" + m.Settings.sqlitePath()
	}
	db, err := store.Open(ctx, url, m.Logger)
	if err != nil {
		return err
	}
	db.SetScrubber(m.scrubber())
	m.DB = db
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	if m.Settings.RedisURL != "" {
		r, err := state.OpenRedis(ctx, m.Settings.RedisURL, m.Settings.RedisPrefix)
		if err != nil {
			return err
		}
		m.State = r
	} else {
		m.State = state.NewMemory(m.Now)
	}
	return m.ensurePlan(ctx)
}

// Close closes what Open opened.
func (m *Main) Close() error {
	var errs []error
	if m.State != nil {
		errs = append(errs, m.State.Close())
		m.State = nil
	}
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
		m.DB = nil
	}
	return errors.Join(errs...)
}

// cliActor names the command line in reports and the audit.
const cliActor = "cli"
