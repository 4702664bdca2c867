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
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // schedules run in Asia/Ho_Chi_Minh even in a minimal image

	"github.com/redis/go-redis/v9"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/scrub"
	"github.com/caxbot/caxbot/store/state"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// go-redis prints its connection pool's failures on its own; they come
	// back as errors too, which the command reports in one line.
	redis.SetLogger(quietRedis{})
	m := &Main{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		Now:    time.Now,
	}
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// quietRedis drops go-redis's own log lines.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

// errUsage marks an error whose message was already printed with the
// command's usage.
var errUsage = errors.New("usage")

// userError is a message already written in the reader's language,
// printed as it is.
type userError string

func (e userError) Error() string { return string(e) }

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
	// dayEnd is the end of the day --date gave (midnight after it): the
	// moment the commands that show state show the store as of
	// (store.DB.AsOf); zero without --date.
	dayEnd time.Time
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
		{"status", "cmd.status.help", runStatus},
		{"backup", "cmd.backup.help", runBackup},
		{"healthcheck", "cmd.healthcheck.help", runHealthcheck},
		{"import", "cmd.import.help", runImport},
		{"users", "cmd.users.help", runUsers},
		{"invite", "cmd.invite.help", runInvite},
		{"announce", "cmd.announce.help", runAnnounce},
		{"plan", "cmd.plan.help", runPlan},
		{"progress", "cmd.progress.help", runProgress},
		{"reminders", "cmd.reminders.help", runReminders},
		{"digest", "cmd.digest.help", runDigest},
		{"propose", "cmd.propose.help", runPropose},
		{"review", "cmd.review.help", runReview},
		{"bench", "cmd.bench.help", runBench},
	}
}

// Run runs the command line args and returns the process's exit code:
// 0 done, 1 failed, 2 the command line itself was wrong. Settings' flags
// may come before the command's name or after it.
func (m *Main) Run(ctx context.Context, args []string) int {
	if err := m.setup(args); err != nil {
		fmt.Fprintln(m.Stderr, err)
		return 1
	}
	name, rest := m.commandOf(args)
	if name == "" || name == "help" {
		if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") && m.command(rest[0]) != nil {
			// caxbot help CMD [SUB]: the command's own help.
			return m.run(ctx, m.command(rest[0]), append(rest[1:], "-h"))
		}
		m.usage(m.Stdout)
		return 0
	}
	c := m.command(name)
	if c == nil {
		fmt.Fprintln(m.Stderr, m.Printer.T("cmd.unknown", name))
		m.usage(m.Stderr)
		return 2
	}
	return m.run(ctx, c, rest)
}

// run runs one command and turns its error into the exit code and one
// line (or a list of lines, one per problem) in the user's language,
// with every secret masked.
func (m *Main) run(ctx context.Context, c *command, args []string) int {
	err := c.run(ctx, m, args)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	var ue userError
	var ce cliError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.As(err, &ce):
		m.say(string(ce))
		m.say(m.Printer.T("cmd.see_help", c.name))
		return 2
	case errors.As(err, &ue):
		m.say(string(ue))
	default:
		m.say(m.Printer.T("cmd.failed", oneLine(err.Error())))
	}
	return 1
}

// say prints a message to standard error with every secret masked.
func (m *Main) say(msg string) {
	fmt.Fprintln(m.Stderr, m.scrubber().String(msg))
}

// oneLine keeps a lower layer's error on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// command finds a command by name.
func (m *Main) command(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return &c
		}
	}
	return nil
}

// commandOf finds the command's name among args, after any settings'
// flags, and returns it with the other arguments.
func (m *Main) commandOf(args []string) (string, []string) {
	settings := m.Settings.flagNames(m.Catalog)
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return a, append(append([]string(nil), args[i+1:]...), args[:i]...)
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if _, ok := settings[name]; ok && !hasValue {
			i++ // its value
		}
	}
	return "", args
}

// setup loads what every command needs before its flags are parsed: the
// catalogs, the time zone, and the language asked for with --lang or
// CAXBOT_LANG, so that help and errors about flags are in it too.
func (m *Main) setup(args []string) error {
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
	for i, a := range args {
		switch {
		case (a == "--lang" || a == "-lang") && i+1 < len(args):
			lang = args[i+1]
		case strings.HasPrefix(a, "--lang="), strings.HasPrefix(a, "-lang="):
			_, lang, _ = strings.Cut(a, "=")
		}
	}
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
		fmt.Fprintf(w, "  %-12s %s\n", c.name, p.T(c.help))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.T("cmd.settings"))
	var s Settings
	for _, st := range s.table(m.Catalog) {
		fmt.Fprintf(w, "  %-24s --%-16s %s\n", st.env, st.flag, p.T(st.help, st.env))
	}
}

// flags returns the flag set of a command; name is the command's words
// ("users import"), whose first names its usage line in the catalog.
func (m *Main) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() { m.commandHelp(m.Stderr, fs) }
	return fs
}

// commandHelp prints a command's usage and its own flags, in the user's
// language; the settings, common to every command, are in `caxbot help`.
func (m *Main) commandHelp(w io.Writer, fs *flag.FlagSet) {
	p := m.Printer
	cmd, _, _ := strings.Cut(fs.Name(), " ")
	if key := "cmd." + cmd + ".usage"; p.Has(key) {
		fmt.Fprintln(w, p.T(key))
	} else {
		fmt.Fprintln(w, p.T("cmd.usage_of", cmd))
	}
	var lines []string
	fs.VisitAll(func(f *flag.Flag) {
		line := "  --" + f.Name
		if v := valueName(p, f); v != "" {
			line += " " + v
		}
		line = fmt.Sprintf("%-28s %s", line, f.Usage)
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
			line += " " + p.T("cmd.default", f.DefValue)
		}
		lines = append(lines, line)
	})
	if len(lines) > 0 {
		fmt.Fprintln(w, p.T("cmd.flags"))
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
	}
	fmt.Fprintln(w, p.T("cmd.settings_hint"))
}

// valueName is what a flag's value is, as help shows it: "SỐ", "NGÀY"…;
// empty for a switch.
func valueName(p *locales.Printer, f *flag.Flag) string {
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return ""
	}
	if g, ok := f.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case int, int64, uint64:
			return p.T("cmd.value.number")
		case time.Duration:
			return p.T("cmd.value.duration")
		}
	}
	return p.T("cmd.value.text")
}

// parse parses a command's flags and the settings' flags, wherever they
// stand among its words, then loads the settings; the language chosen
// applies from here on. It returns the words that are not flags. -h
// prints the command's help; a flag the command does not have, or a
// value of the wrong kind, is a cliError naming it.
func (m *Main) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	p := m.Printer
	settings := m.Settings.flagNames(m.Catalog)
	given := make(map[string]string)
	var words, bad []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			words = append(words, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" || isNumber(a) {
			words = append(words, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			m.commandHelp(m.Stdout, fs)
			return nil, flag.ErrHelp
		}
		f := fs.Lookup(name)
		_, isSetting := settings[name]
		if f == nil && !isSetting {
			bad = append(bad, p.T("cmd.unknown_flag", name, fs.Name()))
			continue
		}
		isBool := false
		if f != nil {
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok {
				isBool = b.IsBoolFlag()
			}
		}
		if !hasValue && !isBool {
			if i+1 == len(args) {
				bad = append(bad, p.T("cmd.flag_needs_value", name))
				continue
			}
			i++
			value = args[i]
		} else if !hasValue {
			value = "true"
		}
		if isSetting {
			given[name] = value
			continue
		}
		if err := fs.Set(name, value); err != nil {
			bad = append(bad, p.T("cmd.bad_flag_value", name, value, valueName(p, f)))
		}
	}
	if len(bad) > 0 {
		return nil, cliError(strings.Join(bad, "\n"))
	}
	if lines := m.Settings.load(m.Catalog, p, m.Getenv, given); len(lines) > 0 {
		return nil, userError(strings.Join(lines, "\n"))
	}
	m.Printer = m.Catalog.Printer(m.Settings.Lang, m.Loc)
	m.Logger = m.newLogger(m.Settings.LogLevel)
	return words, nil
}

// isNumber tells a negative number (a chat id) from a flag.
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// parseFlags is parse for a command that takes flags only.
func (m *Main) parseFlags(fs *flag.FlagSet, args []string) error {
	words, err := m.parse(fs, args)
	if err == nil && len(words) > 0 {
		return cliError(m.Printer.T("cmd.extra_words", strings.Join(words, " ")))
	}
	return err
}

// need names the flags of names that were not given, one line each.
func (m *Main) need(fs *flag.FlagSet, names ...string) error {
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var missing []string
	for _, n := range names {
		if !set[n] {
			missing = append(missing, m.Printer.T("cmd.missing_flag", n, fs.Lookup(n).Usage))
		}
	}
	if len(missing) > 0 {
		return cliError(strings.Join(missing, "\n"))
	}
	return nil
}

// cliError is a mistake in the command line, in the user's language: it
// is printed with where to find the command's help, and exits 2.
type cliError string

func (e cliError) Error() string { return string(e) }

// Open opens the durable store (migrating it) and the shared state, as the
// settings say, and loads the plan if the store has none.
func (m *Main) Open(ctx context.Context) error {
	p := m.Printer
	// A plan file that cannot be used stops start-up before anything is
	// opened; ensurePlan reads it again to store it.
	if m.Settings.PlanFile != "" {
		if _, err := m.loadPlan(); err != nil {
			return err
		}
	}
	url := m.Settings.DatabaseURL
	where := m.storeLocation()
	if url == "" {
		if err := os.MkdirAll(m.Settings.DataDir, 0o750); err != nil {
			return userError(p.T("error.data_dir", m.Settings.DataDir, oneLine(err.Error())))
		}
		url = "sqlite:" + m.Settings.sqlitePath()
	}
	// A store or Redis that does not answer must not hang the command.
	openCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	db, err := store.Open(openCtx, url, m.Logger)
	if err != nil {
		return userError(p.T("error.store_open", where, oneLine(err.Error())))
	}
	db.SetScrubber(m.scrubber())
	m.DB = db
	if err := db.Migrate(ctx); err != nil {
		return userError(p.T("error.store_migrate", where, oneLine(err.Error())))
	}
	if m.Settings.RedisURL != "" {
		r, err := state.OpenRedis(openCtx, m.Settings.RedisURL, m.Settings.RedisPrefix)
		if err != nil {
			return userError(p.T("error.redis_open", redact(m.Settings.RedisURL), oneLine(err.Error())))
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

// dateFlag adds --date, the day a command takes as today.
func (m *Main) dateFlag(fs *flag.FlagSet) *string {
	return fs.String("date", "", m.Printer.T("flag.date"))
}

// useDate makes the command's clock start at 08:00 (Vietnam time) of the
// day given, YYYY-MM-DD or DD/MM/YYYY, and run on from there, and the
// state shown that of the end of that day (m.dayEnd); an empty day
// leaves both alone.
func (m *Main) useDate(day string) error {
	if day == "" {
		return nil
	}
	d, err := m.parseDay(day)
	if err != nil {
		return err
	}
	m.dayEnd = d.AddDate(0, 0, 1)
	start, real := d.Add(8*time.Hour), m.Now
	began := real()
	m.Now = func() time.Time { return start.Add(real().Sub(began)) }
	return nil
}

// parseDay reads a day written YYYY-MM-DD or DD/MM/YYYY as its midnight
// in Vietnam time; a day written otherwise is a mistake of the command
// line, and one written so but not on the calendar (31/02/2020) is said
// to be that, as the imports and the bot say it.
func (m *Main) parseDay(day string) (time.Time, error) {
	for _, layout := range []string{time.DateOnly, "2/1/2006"} {
		if d, err := time.ParseInLocation(layout, day, m.Loc); err == nil {
			return d, nil
		}
	}
	if dayShape.MatchString(day) {
		return time.Time{}, cliError(m.Printer.T("cmd.no_such_date", day))
	}
	return time.Time{}, cliError(m.Printer.T("cmd.bad_date", day))
}

// dayShape is a day written as parseDay reads it, whether or not the day
// exists.
var dayShape = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$`)

// cliActor names the command line in reports and the audit.
const cliActor = store.CommandLineActor
