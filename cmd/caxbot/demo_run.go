package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/reminders/digest"
	"github.com/caxbot/caxbot/store"
)

// demoScale relaxes the local server's limits for the people's own
// conversations, whose answers are not queued; the scheduled messages
// still go through the outbox senders at Telegram's real rates, on the
// simulated clock.
const demoScale = 1000

// runDemo plays the product on the embedded default, in a folder of its
// own, with no token and no servers, through the real handlers, scheduler
// and senders on a simulated clock:
//
//	caxbot demo [--from 2020-03-01] [--to 2020-04-30] [--seed 1] [--out DIR]
func runDemo(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("demo")
	seed := fs.Uint64("seed", 1, m.Printer.T("flag.seed"))
	from := fs.String("from", "2020-03-01", m.Printer.T("flag.demo_from"))
	to := fs.String("to", "2020-04-30", m.Printer.T("flag.demo_to"))
	out := fs.String("out", "", m.Printer.T("flag.out"))
	serve := fs.Bool("serve", false, m.Printer.T("flag.demo_serve"))
	serveAddr := fs.String("serve-addr", "127.0.0.1:8088", m.Printer.T("flag.demo_serve_addr"))
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	first, err := time.ParseInLocation(time.DateOnly, *from, m.Loc)
	if err != nil {
		return m.demoDateError(*from)
	}
	last, err := time.ParseInLocation(time.DateOnly, *to, m.Loc)
	if err != nil {
		return m.demoDateError(*to)
	}
	if last.Before(first) {
		return userError(m.Printer.T("demo.bad_date", *to))
	}
	dir := *out
	if dir == "" {
		if dir, err = os.MkdirTemp("", "caxbot-demo-"); err != nil {
			return fmt.Errorf("caxbot: demo dir: %w", err)
		}
	} else if err := m.demoFolder(dir); err != nil {
		return err
	}
	d := &demo{m: m, seed: *seed, from: first, to: last, dir: dir}
	if *serve {
		d.serveAddr = *serveAddr
	}
	return d.play(ctx)
}

// demoFolder makes the folder a demo is written into: a new one, or one
// that holds an earlier demo, which starts afresh (its files go, others
// stay). A folder with other data, such as a real store, is refused.
func (m *Main) demoFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return userError(m.Printer.T("demo.cannot_create", dir))
		}
		return nil
	case err != nil:
		return userError(m.Printer.T("demo.cannot_create", dir))
	case len(entries) == 0:
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, demoTranscript)); err != nil {
		return userError(m.Printer.T("demo.not_a_demo", dir))
	}
	for _, e := range entries {
		if e.IsDir() || !isDemoFile(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return userError(m.Printer.T("demo.cannot_create", dir))
		}
	}
	fmt.Fprintln(m.Stdout, m.Printer.T("demo.afresh", dir))
	return nil
}

// demoTranscript marks a folder as a demo's.
const demoTranscript = "transcript.txt"

// isDemoFile tells the files a demo writes: its store, its transcript,
// and the charts, workbooks and documents the bot sent.
func isDemoFile(name string) bool {
	switch {
	case strings.HasPrefix(name, "caxbot.db"), name == demoTranscript:
		return true
	}
	ext := filepath.Ext(name)
	return ext == ".png" || ext == ".xlsx" || ext == ".docx"
}

// demo is one run of the scenario.
type demo struct {
	m        *Main
	seed     uint64
	from, to time.Time
	dir      string
	// serveAddr, when set, keeps the world running once played, with the
	// Mini App served there (demo --serve).
	serveAddr string

	clock  *simClock
	local  *localBot
	people []*demoPerson // everyone whose chat the transcript follows
	log    bytes.Buffer  // the transcript, also written to the folder
	day    string        // the day of the last transcript line
	files  int
}

// demoPerson is a user of the scenario.
type demoPerson struct {
	user  tgtest.User
	label string // how the transcript names them
}

// simClock is the demo's clock: it moves only when the scenario moves it,
// or when a sender waits for its rate limit.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock to t, never back.
func (c *simClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

// Sleep is the senders' wait: the simulated time passes at once.
func (c *simClock) Sleep(ctx context.Context, d time.Duration) error {
	c.Set(c.Now().Add(d))
	return ctx.Err()
}

func (d *demo) at(day time.Time, hour, minute int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, d.m.Loc)
}

func (d *demo) play(ctx context.Context) error {
	m := d.m
	p := m.Printer
	d.clock = &simClock{t: d.at(d.from.AddDate(0, 0, -1), 7, 0)}
	m.Now = d.clock.Now
	m.Settings.DatabaseURL, m.Settings.RedisURL, m.Settings.DataDir = "", "", d.dir
	if err := m.Open(ctx); err != nil {
		return err
	}
	d.line(p.T("demo.title"))
	d.line(p.T("demo.illustrative", pilotCount))
	d.line("")

	staff, err := d.loadRoster(ctx)
	if err != nil {
		return err
	}
	m.botRandom = rand.NewChaCha8(seedBytes(d.seed))
	d.local, err = m.startLocalBot(ctx, demoScale)
	if err != nil {
		return err
	}
	defer d.local.Close()
	sched, err := m.scheduler("demo")
	if err != nil {
		return err
	}
	sender := m.drainer(d.local.tg, "demo")
	sender.Now, sender.Sleep = d.clock.Now, d.clock.Sleep
	sender.Rand = rand.New(rand.NewPCG(d.seed, 7))

	// The scheduler's first run only marks the time; the day before the
	// window makes the first day's reminders due.
	if err := sched.Tick(ctx, d.clock.Now()); err != nil {
		return err
	}
	script, err := d.script(ctx, staff)
	if err != nil {
		return err
	}
	for day := d.from; !day.After(d.to); day = day.AddDate(0, 0, 1) {
		if day.Weekday() == time.Monday || day.Equal(d.from) {
			fmt.Fprintln(m.Stderr, p.T("demo.progress", p.Date(day)))
		}
		d.clock.Set(d.at(day, 7, 30))
		if err := sched.Tick(ctx, d.clock.Now()); err != nil {
			return err
		}
		if err := d.drain(ctx, sender); err != nil {
			return err
		}
		for _, step := range script[day.Format(time.DateOnly)] {
			if err := step(ctx); err != nil {
				return err
			}
			// What a step put in the outbox (a report's request to check
			// it) goes out before the next, as a serving bot's senders
			// send it within seconds; its recipient reads it when they
			// act next.
			if err := d.send(ctx, sender); err != nil {
				return err
			}
		}
	}
	if err := d.finish(ctx); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, p.T("demo.output", d.dir))
	if d.serveAddr != "" {
		return d.serveApp(ctx)
	}
	return nil
}

// seedBytes spreads a seed over the 32 bytes ChaCha8 wants.
func seedBytes(seed uint64) [32]byte {
	var b [32]byte
	for i := range 4 {
		v := seed*0x9E3779B97F4A7C15 + uint64(i)
		for j := range 8 {
			b[i*8+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// loadRoster imports the seed province and the illustrative staffing.
func (d *demo) loadRoster(ctx context.Context) (Staffing, error) {
	m, p := d.m, d.m.Printer
	rows, err := store.ParseCommunes(bytes.NewReader(demoRoster))
	if err != nil {
		return Staffing{}, fmt.Errorf("caxbot: demo roster: %w", err)
	}
	province := store.Province{Code: m.Settings.ProvinceCode, Name: m.Settings.ProvinceName}
	res, err := m.DB.ImportCommunes(ctx, rows, province, "hoabinh_communes_2020.csv", m.Now())
	if err != nil {
		return Staffing{}, err
	}
	d.line(p.T("import.done", "hoabinh_communes_2020.csv", res.Added, res.Changed, res.Unchanged))
	communes := make([]store.Commune, 0, len(rows))
	for _, r := range rows {
		communes = append(communes, store.Commune{Code: r.Code, Name: r.Name, Type: r.Type, DistrictCode: r.DistrictCode})
	}
	staff := IllustrativeStaffing(communes, d.seed, parseNames(demoNames), m.Loc)
	if res, err = m.DB.ImportPosts(ctx, staff.Posts, demoStaffFile, m.Now()); err != nil {
		return Staffing{}, err
	}
	d.line(p.T("import.done", demoStaffFile, res.Added, res.Changed, res.Unchanged))
	if err := m.DB.SetGroup(ctx, store.SeedPilotGroup, staff.Pilot, cliActor, m.Now()); err != nil {
		return Staffing{}, err
	}
	return staff, nil
}

// demoStaffFile names the illustrative staffing as the file a province
// would import it from; the history of a commune cites it.
const demoStaffFile = "chuc-danh-minh-hoa.csv"

// drain sends everything due, then shows it.
func (d *demo) drain(ctx context.Context, sender *reminders.Drainer) error {
	if err := d.send(ctx, sender); err != nil {
		return err
	}
	for _, who := range d.people {
		for _, o := range d.local.changes(who.user.ID) {
			d.botLine(who, o)
		}
	}
	return nil
}

// send sends everything due in the outbox.
func (d *demo) send(ctx context.Context, sender *reminders.Drainer) error {
	for {
		n, err := sender.Drain(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
	}
}

// finish writes the digest as it stands at the end, and the transcript.
func (d *demo) finish(ctx context.Context) error {
	m, p := d.m, d.m.Printer
	dg, err := reminders.BuildDigest(ctx, m.DB, m.Catalog, p.Lang(), store.Scope{}, m.Now())
	if err != nil {
		return err
	}
	wb := filepath.Join(d.dir, "digest-final.xlsx")
	if err := writeWith(wb, func(f *os.File) error { return digest.Workbook(f, dg) }); err != nil {
		return err
	}
	chart := filepath.Join(d.dir, "chart-final.png")
	i := chartMilestone(dg, "chief-q1-2020", m.Now())
	if i < 0 {
		i = chartMilestone(dg, "", m.Now())
	}
	if err := writeWith(chart, func(f *os.File) error { return digest.Chart(f, dg, i) }); err != nil {
		return err
	}
	d.line("")
	d.line(p.T("demo.final", p.Date(m.Now()), wb, chart))
	if err := m.printProgress(ctx, &d.log, store.Scope{}, "chief-q1-2020", time.Time{}); err != nil {
		return err
	}
	out := d.log.Bytes()
	if _, err := m.Stdout.Write(out); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(d.dir, demoTranscript), out, 0o640)
}

func writeWith(path string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("caxbot: %w", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// line adds a line to the transcript.
func (d *demo) line(s string) { d.log.WriteString(s + "\n") }

// stamp starts a transcript line with the time, and a heading when the
// day changed.
func (d *demo) stamp() string {
	now := d.clock.Now().In(d.m.Loc)
	if day := d.m.Printer.Date(now); day != d.day {
		d.day = day
		d.line("")
		d.line(d.m.Printer.T("demo.day", day, d.m.Printer.T(fmt.Sprintf("demo.weekday.%d", now.Weekday()))))
	}
	return now.Format("15:04") + "  "
}

func (d *demo) typedLine(who *demoPerson, text string) {
	d.line(d.stamp() + d.m.Printer.T("demo.typed", who.label, text))
}

func (d *demo) pressedLine(who *demoPerson, label string) {
	d.line(d.stamp() + d.m.Printer.T("demo.pressed", who.label, label))
}

func (d *demo) noteLine(text string) { d.line(d.stamp() + text) }

// botLine shows what the bot sent who, and keeps its files.
func (d *demo) botLine(who *demoPerson, o outgoing) {
	d.line(d.stamp() + d.m.Printer.T("demo.bot_to", who.label))
	var buf bytes.Buffer
	d.m.printOutgoing(&buf, o, "       ")
	d.log.Write(buf.Bytes())
	for _, f := range []*tgtest.File{o.Message.Photo, o.Message.Document} {
		if f == nil || o.Edited {
			continue
		}
		d.files++
		name := fmt.Sprintf("%s-%02d-%s", d.clock.Now().In(d.m.Loc).Format(time.DateOnly), d.files, f.Name)
		if err := os.WriteFile(filepath.Join(d.dir, name), f.Content, 0o640); err != nil {
			d.m.Logger.Warn("demo file", "err", err)
		}
	}
}

// say types text as who at the clock's time.
func (d *demo) say(ctx context.Context, who *demoPerson, text string) error {
	d.typedLine(who, text)
	out, err := d.local.say(ctx, who.user, text)
	if err != nil {
		return err
	}
	for _, o := range out {
		d.botLine(who, o)
	}
	return nil
}

// photo sends a picture of a paper as who, with its caption.
func (d *demo) photo(ctx context.Context, who *demoPerson, content []byte, caption string) error {
	d.line(d.stamp() + d.m.Printer.T("demo.sent_photo", who.label, caption))
	out, err := d.local.photo(ctx, who.user, content, caption)
	if err != nil {
		return err
	}
	for _, o := range out {
		d.botLine(who, o)
	}
	return nil
}

// received shows what the bot sent who on its own since last shown: a
// report another person made, waiting for who's check.
func (d *demo) received(who *demoPerson) {
	for _, o := range d.local.changes(who.user.ID) {
		d.botLine(who, o)
	}
}

// sayAndWait types text as who and waits until the bot has sent n
// messages in answer, some of which (a review's files) it sends once
// built, after the update.
func (d *demo) sayAndWait(ctx context.Context, who *demoPerson, text string, n int) error {
	before := len(d.local.srv.Messages(who.user.ID))
	if err := d.say(ctx, who, text); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := d.local.srv.WaitMessages(wctx, who.user.ID, before+n); err != nil {
		return fmt.Errorf("caxbot: demo: waiting for the answer to %q: %w", text, err)
	}
	for _, o := range d.local.changes(who.user.ID) {
		d.botLine(who, o)
	}
	return nil
}

// press presses the button of who's newest keyboard whose label is
// label, or, when label is empty, the first button.
func (d *demo) press(ctx context.Context, who *demoPerson, label string) error {
	msg, ok := d.local.lastWithButtons(who.user.ID)
	if !ok {
		return fmt.Errorf("caxbot: demo: %s has no buttons to press", who.label)
	}
	data := ""
	for _, row := range msg.Keyboard {
		for _, b := range row {
			if data == "" && (label == "" || b.Text == label) {
				data, label = b.CallbackData, b.Text
			}
		}
	}
	if data == "" {
		return fmt.Errorf("caxbot: demo: no button %q under %q", label, msg.PlainText)
	}
	d.pressedLine(who, label)
	out, err := d.local.press(ctx, who.user, msg, data)
	if err != nil {
		return err
	}
	for _, o := range out {
		d.botLine(who, o)
	}
	return nil
}

var inviteLinkRE = regexp.MustCompile(`\?start=([A-Za-z0-9_-]+)`)

// invite has the province user invite someone with /moi and the buttons,
// and returns the code of the link the bot gave.
func (d *demo) invite(ctx context.Context, by *demoPerson, name string, role store.Role, district store.District, commune *store.Commune) (string, error) {
	p := d.m.Printer
	if err := d.say(ctx, by, "/moi "+name); err != nil {
		return "", err
	}
	if err := d.press(ctx, by, p.T("role."+string(role))); err != nil {
		return "", err
	}
	if err := d.press(ctx, by, district.Name); err != nil {
		return "", err
	}
	if commune != nil {
		if err := d.press(ctx, by, commune.Name); err != nil {
			return "", err
		}
	}
	msgs := d.local.srv.Messages(by.user.ID)
	code := inviteLinkRE.FindStringSubmatch(msgs[len(msgs)-1].PlainText)
	if code == nil {
		return "", errors.New("caxbot: demo: the bot gave no invitation link")
	}
	return code[1], nil
}

// pickBehind returns the first commune of the district, in code order,
// that is not in the pilot group and whose chief is semi-professional:
// the one a regular chief replaces in the scenario.
func (d *demo) pickBehind(ctx context.Context, district string, pilot []string) (store.Commune, error) {
	communes, err := d.m.DB.Communes(ctx, store.Scope{Role: store.RoleDistrict, Code: district})
	if err != nil {
		return store.Commune{}, err
	}
	for _, c := range communes {
		if !c.InPlan() || strings.Contains(strings.Join(pilot, ","), c.Code) {
			continue
		}
		posts, err := d.m.DB.CommunePosts(ctx, c.Code)
		if err != nil {
			return store.Commune{}, err
		}
		for _, po := range posts {
			if po.Kind == store.Chief && po.Status == store.Semi {
				return c, nil
			}
		}
	}
	return store.Commune{}, fmt.Errorf("caxbot: demo: no commune behind in district %s", district)
}

// demoDateError says what is wrong with a demo's day that did not parse:
// not on the calendar (2020-02-30), or not written YYYY-MM-DD.
func (m *Main) demoDateError(day string) error {
	if dayShape.MatchString(day) && strings.Contains(day, "-") {
		return userError(m.Printer.T("cmd.no_such_date", day))
	}
	return userError(m.Printer.T("demo.bad_date", day))
}
