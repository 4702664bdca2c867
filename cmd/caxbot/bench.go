package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"
	"golang.org/x/text/unicode/norm"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
)

// benchToken and benchSecret are the fake bot's credentials: nothing leaves
// the loopback interface.
const (
	benchToken  = "123456:bench"
	benchSecret = "bench-webhook-secret"
	benchActor  = "bench"
	benchUserID = 1_000_000 // first Telegram id of the benchmark's users
)

// runBench measures the bot in webhook mode on the national roster, and in
// the same run the floor: a bare go-telegram/bot webhook handler that
// answers every update with one sendMessage. Both are driven by the same
// load generator against the same fake Bot API server, all on loopback.
//
// The store is a fresh Postgres schema (DATABASE_URL) or a temporary
// SQLite file, and the shared state a key prefix of its own in Redis
// (REDIS_URL) or in-process memory; all of it is removed at the end.
func runBench(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("bench")
	p := m.Printer
	rosterPath := fs.String("roster", "../shared/data/vietnam_communes_2020.csv", p.T("flag.bench.roster"))
	users := fs.Int("users", 5000, p.T("flag.bench.users"))
	clients := fs.Int("clients", 64, p.T("flag.bench.clients"))
	updates := fs.Int("updates", 0, p.T("flag.bench.updates"))
	duration := fs.Duration("duration", 30*time.Second, p.T("flag.bench.duration"))
	rounds := fs.Int("rounds", 3, p.T("flag.bench.rounds"))
	cpuProfile := fs.String("cpuprofile", "", p.T("flag.bench.cpuprofile"))
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if *users < 3 || *clients < 1 || *updates < 0 || *duration <= 0 || *rounds < 1 {
		fs.Usage()
		return errUsage
	}
	// The figures are the bot's, not the logger's: warnings only.
	m.Logger = slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))

	cleanup, err := m.openBench(ctx)
	defer cleanup()
	if err != nil {
		return err
	}

	start := time.Now()
	communes, err := m.loadBenchRoster(ctx, *rosterPath)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, p.T("bench.roster", len(communes), len(communes)*6, p.Decimal(time.Since(start).Seconds(), 2)))
	start = time.Now()
	people, err := m.addBenchUsers(ctx, communes, *users)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, p.T("bench.users", len(people), p.Decimal(time.Since(start).Seconds(), 2)))
	m.settle(ctx)

	api := newFakeAPI()
	apiURL, stopAPI, err := serveLoopback(api)
	if err != nil {
		return err
	}
	defer stopAPI()

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("caxbot: bench: cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("caxbot: bench: cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}

	floorURL, stopFloor, err := m.startFloor(apiURL)
	if err != nil {
		return err
	}
	defer stopFloor()
	botURL, stopBot, err := m.startBot(ctx, apiURL)
	if err != nil {
		return err
	}
	defer stopBot()

	// The phases alternate in rounds, so that a machine whose speed drifts
	// during the run (a shared host) weighs on both alike.
	var nextID atomic.Int64
	floorLoad := newLoad(*clients, people, api, &nextID, false)
	botLoad := newLoad(*clients, people, api, &nextID, true)
	fmt.Fprintln(m.Stdout, p.T("bench.load", duration.String(), *rounds, *clients, len(people)))
	if *updates > 0 {
		fmt.Fprintln(m.Stdout, p.T("bench.cap", *updates))
	}
	var floor, caxbot benchResult
	for i := range *rounds {
		slice := loadSpec{updates: math.MaxInt64, duration: *duration / time.Duration(*rounds)}
		if *updates > 0 {
			slice.updates = int64(*updates / *rounds)
			if i < *updates%*rounds {
				slice.updates++
			}
		}
		floor.add(runLoad(ctx, floorURL, floorLoad, slice))
		caxbot.add(runLoad(ctx, botURL, botLoad, slice))
	}
	floor.finish()
	caxbot.finish()
	m.printBench("bench.floor", floor)
	m.printBench("bench.bot", caxbot)
	fmt.Fprintln(m.Stdout, p.T("bench.ratio", p.Percent(int(math.Round(caxbot.rate())), int(math.Round(floor.rate())))))
	fmt.Fprintln(m.Stdout, p.T("bench.memory_note"))
	return nil
}

// openBench opens a store and a shared state of the benchmark's own, so a
// run neither sees nor leaves anything of a deployment's. The returned
// cleanup closes and removes them; it is safe to call after an error.
func (m *Main) openBench(ctx context.Context) (cleanup func(), err error) {
	var undo []func()
	cleanup = func() {
		m.Close()
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	tag := "bench_" + hex.EncodeToString(suffix)

	dbURL := m.Settings.DatabaseURL
	if dbURL == "" {
		dir, err := os.MkdirTemp("", "caxbot-bench-")
		if err != nil {
			return cleanup, fmt.Errorf("caxbot: bench: temporary directory: %w", err)
		}
		undo = append(undo, func() { os.RemoveAll(dir) })
		dbURL = "sqlite:" + filepath.Join(dir, "caxbot.db")
	} else {
		scoped, drop, err := benchSchema(ctx, dbURL, tag)
		if err != nil {
			return cleanup, err
		}
		undo = append(undo, drop)
		dbURL = scoped
	}
	db, err := store.Open(ctx, dbURL, m.Logger)
	if err != nil {
		return cleanup, err
	}
	m.DB = db
	if err := db.Migrate(ctx); err != nil {
		return cleanup, err
	}
	if m.Settings.RedisURL == "" {
		m.State = state.NewMemory(m.Now)
	} else {
		prefix := "caxbot:" + tag + ":"
		r, err := state.OpenRedis(ctx, m.Settings.RedisURL, prefix)
		if err != nil {
			return cleanup, err
		}
		m.State = r
		undo = append(undo, func() { deleteRedisPrefix(m.Settings.RedisURL, prefix) })
	}
	return cleanup, m.ensurePlan(ctx)
}

// benchSchema creates a schema for the run in the database at base and
// returns a URL whose connections use it, and a function that drops it.
func benchSchema(ctx context.Context, base, schema string) (string, func(), error) {
	admin, err := sql.Open("postgres", base)
	if err != nil {
		return "", nil, fmt.Errorf("caxbot: bench: open postgres: %w", err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, fmt.Errorf("caxbot: bench: create schema %s: %w", schema, err)
	}
	drop := func() {
		admin, err := sql.Open("postgres", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, fmt.Errorf("caxbot: bench: database URL: %w", err)
	}
	q := u.Query()
	q.Set("options", "-csearch_path="+schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// deleteRedisPrefix removes the run's keys; they would expire anyway.
func deleteRedisPrefix(rawURL, prefix string) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx := context.Background()
	it := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var keys []string
	for it.Next(ctx) {
		keys = append(keys, it.Val())
		if len(keys) == 1000 {
			c.Del(ctx, keys...)
			keys = keys[:0]
		}
	}
	if len(keys) > 0 {
		c.Del(ctx, keys...)
	}
}

// loadBenchRoster imports the national communes file and six posts for
// each commune (a chief, a deputy, four officers) with statuses and
// holders that depend only on the commune's place in the file.
func (m *Main) loadBenchRoster(ctx context.Context, path string) ([]store.CommuneRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("caxbot: bench: roster: %w", err)
	}
	defer f.Close()
	communes, err := store.ParseCommunes(f)
	if err != nil {
		return nil, fmt.Errorf("caxbot: bench: roster %s: %w", path, err)
	}
	at := m.Now()
	if _, err := m.DB.ImportCommunes(ctx, communes, store.Province{Code: m.Settings.ProvinceCode, Name: m.Settings.ProvinceName}, filepath.Base(path), at); err != nil {
		return nil, err
	}
	statuses := []store.Status{store.Regular, store.Semi, store.Vacant, store.Regular}
	holders := []string{"Nguyễn Văn An", "Bùi Thị Bình", "Đinh Văn Cường", "Hà Thị Dung", "Quách Văn Em"}
	since := time.Date(2019, 7, 1, 0, 0, 0, 0, time.UTC)
	slots := []struct {
		kind store.PostKind
		slot int
	}{{store.Chief, 1}, {store.Deputy, 1}, {store.Officer, 1}, {store.Officer, 2}, {store.Officer, 3}, {store.Officer, 4}}
	posts := make([]store.PostRow, 0, 6*len(communes))
	for i, c := range communes {
		for j, s := range slots {
			po := store.Post{CommuneCode: c.Code, Kind: s.kind, Slot: s.slot, Status: statuses[(i+j)%len(statuses)]}
			if po.Status != store.Vacant {
				po.Holder = holders[(i+j)%len(holders)]
				po.Since = &since
			}
			posts = append(posts, store.PostRow{Line: len(posts) + 2, Post: po})
		}
	}
	if _, err := m.DB.ImportPosts(ctx, posts, "bench-posts.csv", at); err != nil {
		return nil, err
	}
	return communes, nil
}

// settle writes out what loading the roster left in Postgres's buffers, so
// that a checkpoint does not fall inside the measured rounds. CHECKPOINT
// needs a superuser; without one the run is only noisier.
func (m *Main) settle(ctx context.Context) {
	if m.DB.Dialect() != store.DialectPostgres {
		return
	}
	admin, err := sql.Open("postgres", m.Settings.DatabaseURL)
	if err != nil {
		return
	}
	defer admin.Close()
	admin.ExecContext(ctx, "CHECKPOINT")
}

// benchUser is one registered user of the run and the words they use for
// their own place and those in it.
type benchUser struct {
	id       int64
	role     store.Role
	commune  string   // commune users: their commune's name
	district string   // district users: their district's name
	places   []string // names of communes (district users) or districts (province users) in scope
}

// addBenchUsers registers n users straight in the store: 70% commune
// staff, 24% district heads, 6% province users, spread over the country
// by a fixed seed.
func (m *Main) addBenchUsers(ctx context.Context, communes []store.CommuneRow, n int) ([]benchUser, error) {
	ofDistrict := map[string][]string{}
	ofProvince := map[string][]string{}
	districtName := map[string]string{}
	var districts, provinces []string
	for _, c := range communes {
		if _, ok := districtName[c.DistrictCode]; !ok {
			districtName[c.DistrictCode] = c.DistrictName
			districts = append(districts, c.DistrictCode)
			if len(ofProvince[c.ProvinceCode]) == 0 {
				provinces = append(provinces, c.ProvinceCode)
			}
			ofProvince[c.ProvinceCode] = append(ofProvince[c.ProvinceCode], c.DistrictName)
		}
		ofDistrict[c.DistrictCode] = append(ofDistrict[c.DistrictCode], c.Name)
	}
	rng := mrand.New(mrand.NewPCG(2020, 6))
	people := make([]benchUser, n)
	add := make([]store.User, n)
	for i := range people {
		u := benchUser{id: int64(benchUserID + i)}
		su := store.User{TelegramID: u.id, Name: "Cán bộ " + strconv.Itoa(i+1)}
		switch k := i % 50; {
		case k < 35:
			c := communes[rng.IntN(len(communes))]
			u.role, u.commune = store.RoleCommune, c.Name
			su.Role, su.Scope = store.RoleCommune, c.Code
		case k < 47:
			d := districts[rng.IntN(len(districts))]
			u.role, u.district, u.places = store.RoleDistrict, districtName[d], ofDistrict[d]
			su.Role, su.Scope = store.RoleDistrict, d
		default:
			pc := provinces[rng.IntN(len(provinces))]
			u.role, u.places = store.RoleProvince, ofProvince[pc]
			su.Role, su.Scope = store.RoleProvince, pc
		}
		people[i], add[i] = u, su
	}
	// A few writers at once: one transaction per user is what the store offers.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				if err := m.DB.AddUser(ctx, add[i], benchActor, m.Now()); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return people, nil
}

// benchResult is what one phase measured.
type benchResult struct {
	handled   int
	failed    int // answered other than 200
	elapsed   time.Duration
	latencies []time.Duration // sorted
	peakBytes uint64
	mix       [3]int // questions, report steps, commands
}

func (r benchResult) rate() float64 { return float64(r.handled) / r.elapsed.Seconds() }

// add counts one round of a phase in.
func (r *benchResult) add(round benchResult) {
	r.handled += round.handled
	r.failed += round.failed
	r.elapsed += round.elapsed
	r.latencies = append(r.latencies, round.latencies...)
	r.peakBytes = max(r.peakBytes, round.peakBytes)
	for k := range r.mix {
		r.mix[k] += round.mix[k]
	}
}

// finish sorts the latencies for quantile.
func (r *benchResult) finish() { slices.Sort(r.latencies) }

func (r benchResult) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(q*float64(len(r.latencies))))]
}

func (m *Main) printBench(key string, r benchResult) {
	p := m.Printer
	ms := func(d time.Duration) string { return p.Decimal(float64(d.Microseconds())/1000, 1) }
	fmt.Fprintln(m.Stdout, p.T(key))
	fmt.Fprintln(m.Stdout, p.T("bench.figures", r.handled, r.failed, p.Decimal(r.elapsed.Seconds(), 2), int(math.Round(r.rate())),
		ms(r.quantile(0.50)), ms(r.quantile(0.95)), ms(r.quantile(0.99)), int(r.peakBytes>>20)))
	total := r.mix[0] + r.mix[1] + r.mix[2]
	fmt.Fprintln(m.Stdout, p.T("bench.mix", p.Percent(r.mix[0], total), p.Percent(r.mix[1], total), p.Percent(r.mix[2], total)))
}

// startBot serves the real bot behind its real webhook handler and
// returns the webhook's URL.
func (m *Main) startBot(ctx context.Context, apiURL string) (string, func(), error) {
	b, err := bot.New(ctx, bot.Deps{
		DB: m.DB, State: m.State, Catalog: m.Catalog, Loc: m.Loc, Now: m.Now, Logger: m.Logger,
		BotUsername: m.username(),
		// The load generator's users write faster than people do; the
		// flood check still runs, but lets them through. Update ids need
		// not outlive the run.
		Options: bot.Options{FloodLimit: 1 << 20, DedupTTL: 10 * time.Minute},
	})
	if err != nil {
		return "", nil, err
	}
	tg, err := b.NewClient(benchToken, apiURL, nil, tgbot.WithSkipGetMe())
	if err != nil {
		return "", nil, err
	}
	work, stop := context.WithCancel(ctx)
	go b.RunWebhook(work)
	mux := http.NewServeMux()
	mux.Handle("POST /telegram", b.WebhookHandler(tg, benchSecret))
	hookURL, stopHook, err := serveLoopback(mux)
	if err != nil {
		stop()
		return "", nil, err
	}
	return hookURL + "/telegram", func() { stopHook(); stop() }, nil
}

// startFloor serves the framework's floor: go-telegram/bot's own handling
// of a webhook update (ProcessUpdate, the handler inline) that answers
// "ok" with one sendMessage, then 200, through the same HTTP client as the
// bot's. The library's WebhookHandler answers 200 before its handler
// runs, which would time the queue, not the handling; this times the same
// thing as the bot's handler does.
func (m *Main) startFloor(apiURL string) (string, func(), error) {
	reply := func(ctx context.Context, tg *tgbot.Bot, upd *models.Update) {
		var chat int64
		switch {
		case upd.Message != nil:
			chat = upd.Message.Chat.ID
		case upd.CallbackQuery != nil:
			chat = upd.CallbackQuery.From.ID
		}
		tg.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chat, Text: "ok"})
	}
	tg, err := tgbot.New(benchToken, tgbot.WithServerURL(apiURL), tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(time.Minute, bot.NewHTTPClient()), tgbot.WithNotAsyncHandlers(),
		tgbot.WithDefaultHandler(reply))
	if err != nil {
		return "", nil, fmt.Errorf("caxbot: bench: floor client: %w", err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != benchSecret {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var upd models.Update
		if err := json.NewDecoder(r.Body).Decode(&upd); err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		tg.ProcessUpdate(r.Context(), &upd)
	})
	return serveLoopback(h)
}

// serveLoopback serves h on a free loopback port until the returned
// function is called.
func serveLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("caxbot: bench: listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// loadSpec is one round of a phase: it ends after updates are sent or
// duration has passed, whichever comes first.
type loadSpec struct {
	updates  int64
	duration time.Duration
}

// Kinds of update in the mix, in percent: 60 questions, 30 steps of
// report conversations, 10 commands.
const (
	mixQuestion = iota
	mixReport
	mixCommand
)

// newLoad makes the concurrent clients of a phase, each speaking for its
// share of the users, so the updates of one chat go one after the other as
// a person's do. They keep their users' report conversations from one
// round to the next.
func newLoad(clients int, people []benchUser, api *fakeAPI, ids *atomic.Int64, useButtons bool) []*loadClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 2 * clients
	tr.MaxIdleConnsPerHost = 2 * clients
	hc := &http.Client{Transport: tr, Timeout: time.Minute}
	var out []*loadClient
	for c := range clients {
		cl := &loadClient{hc: hc, api: api, ids: ids, useButtons: useButtons,
			rng: mrand.New(mrand.NewPCG(uint64(c), 42)), inReport: map[int64]int{}}
		for i := c; i < len(people); i += clients {
			cl.users = append(cl.users, &people[i])
		}
		if len(cl.users) > 0 {
			out = append(out, cl)
		}
	}
	return out
}

// runLoad fires updates at hookURL from the clients until spec's round
// ends. A report conversation goes on from the buttons of the bot's last
// message to that chat.
func runLoad(ctx context.Context, hookURL string, clients []*loadClient, spec loadSpec) benchResult {
	runtime.GC()
	debug.FreeOSMemory()
	peak := make(chan uint64)
	stopSampling := make(chan struct{})
	go samplePeak(stopSampling, peak)

	var budget atomic.Int64
	budget.Store(spec.updates)
	deadline := time.Now().Add(spec.duration)
	results := make([]benchResult, len(clients))
	var wg sync.WaitGroup
	start := time.Now()
	for i, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl.url, cl.res = hookURL, benchResult{}
			for budget.Add(-1) >= 0 && time.Now().Before(deadline) && ctx.Err() == nil {
				cl.step(ctx)
			}
			results[i] = cl.res
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopSampling)

	round := benchResult{elapsed: elapsed, peakBytes: <-peak}
	for _, r := range results {
		round.add(r)
	}
	return round
}

// samplePeak reports the most memory the Go runtime held from the
// operating system (runtime/metrics: all mapped memory less the heap
// returned to the system), sampled every 10 ms until stop is closed.
func samplePeak(stop <-chan struct{}, out chan<- uint64) {
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	var peak uint64
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(samples)
		peak = max(peak, samples[0].Value.Uint64()-samples[1].Value.Uint64())
		select {
		case <-stop:
			out <- peak
			return
		case <-tick.C:
		}
	}
}

// loadClient is one concurrent sender of updates and the users it speaks
// for.
type loadClient struct {
	hc         *http.Client
	url        string
	api        *fakeAPI
	ids        *atomic.Int64
	useButtons bool
	rng        *mrand.Rand
	users      []*benchUser
	next       int           // the next user to speak, round robin
	inReport   map[int64]int // users in a report conversation: steps taken
	reporting  []*benchUser
	res        benchResult
}

// step sends one update of the mix.
func (c *loadClient) step(ctx context.Context) {
	kind := mixCommand
	switch n := c.rng.IntN(100); {
	case n < 60:
		kind = mixQuestion
	case n < 90:
		kind = mixReport
	}
	c.res.mix[kind]++
	if kind == mixReport {
		c.reportStep(ctx)
		return
	}
	u := c.idleUser()
	if kind == mixCommand {
		c.send(ctx, c.message(u, []string{"/moc", "/tiendo", "/trogiup"}[c.rng.IntN(3)]))
		return
	}
	c.send(ctx, c.message(u, c.question(u)))
}

// idleUser is the next user not in the middle of a report.
func (c *loadClient) idleUser() *benchUser {
	for range c.users {
		u := c.users[c.next%len(c.users)]
		c.next++
		if _, busy := c.inReport[u.id]; !busy {
			return u
		}
	}
	return c.users[0]
}

// question is a free question, or /thieu, about the user's own scope, in
// the words people type: often without diacritics.
func (c *loadClient) question(u *benchUser) string {
	pick := func(names []string) string { return names[c.rng.IntN(len(names))] }
	var q string
	switch n := c.rng.IntN(4); {
	case n == 0:
		q = "/thieu"
	case u.role == store.RoleCommune && n == 1:
		q = "xã " + u.commune + " có trưởng chính quy chưa"
	case u.role == store.RoleCommune:
		q = "còn thiếu phó trưởng công an không"
	case u.role == store.RoleDistrict && n == 1:
		q = strings.ToLower(u.district) + " còn bao nhiêu xã chưa có trưởng công an chính quy"
	case u.role == store.RoleDistrict:
		q = "xã " + pick(u.places) + " có trưởng chính quy chưa"
	case n == 1:
		q = "tiến độ toàn tỉnh"
	default:
		q = strings.ToLower(pick(u.places)) + " còn bao nhiêu xã chưa có trưởng công an chính quy"
	}
	if c.rng.IntN(2) == 0 {
		q = plain(q)
	}
	return q
}

// plain strips Vietnamese diacritics: "Lạc Sơn" → "Lac Son".
func plain(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			sb.WriteRune('d')
		case r == 'Đ':
			sb.WriteRune('D')
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// reportStep starts a report conversation, or takes the next step of one
// by pressing a button of the bot's last message to the chat; commune
// staff sometimes report in one line instead.
func (c *loadClient) reportStep(ctx context.Context) {
	if len(c.reporting) > 0 && (c.rng.IntN(4) != 0 || len(c.reporting) >= len(c.users)/2) {
		u := c.reporting[0]
		kb, msgID := c.api.keyboard(u.id)
		var choices []string
		if len(kb) > 1 { // the last row is Cancel
			for _, row := range kb[:len(kb)-1] {
				choices = append(choices, row...)
			}
		}
		if len(choices) > 0 {
			c.send(ctx, c.callback(u, msgID, choices[c.rng.IntN(len(choices))]))
		} else {
			c.send(ctx, c.message(u, "Nguyễn Văn Hải")) // the step asks for the holder's name
		}
		c.inReport[u.id]++
		c.afterReportStep(u)
		return
	}
	u := c.idleUser()
	if u.role == store.RoleCommune && c.rng.IntN(3) == 0 {
		c.send(ctx, c.message(u, "/baocao truong chinh quy Nguyen Van A"))
		return
	}
	c.send(ctx, c.message(u, "/baocao"))
	c.inReport[u.id] = 0
	c.reporting = append(c.reporting, u)
	c.afterReportStep(u)
}

// afterReportStep ends the user's conversation when the bot's last
// message has no buttons left, or after more steps than any report takes.
func (c *loadClient) afterReportStep(u *benchUser) {
	kb, _ := c.api.keyboard(u.id)
	if c.useButtons && len(kb) > 0 && c.inReport[u.id] < 10 {
		return
	}
	delete(c.inReport, u.id)
	c.reporting = slices.DeleteFunc(c.reporting, func(x *benchUser) bool { return x == u })
}

// The JSON of the updates the load generator sends: only the fields a
// Bot API server fills for a private chat.
type (
	benchUpdate struct {
		UpdateID      int64          `json:"update_id"`
		Message       *benchMessage  `json:"message,omitempty"`
		CallbackQuery *benchCallback `json:"callback_query,omitempty"`
	}
	benchMessage struct {
		MessageID int           `json:"message_id"`
		Date      int64         `json:"date"`
		Chat      benchChat     `json:"chat"`
		From      *benchFrom    `json:"from,omitempty"`
		Text      string        `json:"text,omitempty"`
		Entities  []benchEntity `json:"entities,omitempty"`
	}
	benchCallback struct {
		ID           string       `json:"id"`
		From         benchFrom    `json:"from"`
		Message      benchMessage `json:"message"`
		ChatInstance string       `json:"chat_instance"`
		Data         string       `json:"data"`
	}
	benchChat struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	}
	benchFrom struct {
		ID           int64  `json:"id"`
		IsBot        bool   `json:"is_bot"`
		FirstName    string `json:"first_name"`
		LanguageCode string `json:"language_code"`
	}
	benchEntity struct {
		Type   string `json:"type"`
		Offset int    `json:"offset"`
		Length int    `json:"length"`
	}
)

func (c *loadClient) message(u *benchUser, text string) benchUpdate {
	id := c.ids.Add(1)
	from := benchFrom{ID: u.id, FirstName: "Cán bộ", LanguageCode: "vi"}
	msg := &benchMessage{MessageID: int(id), Date: time.Now().Unix(), Chat: benchChat{ID: u.id, Type: "private"}, From: &from, Text: text}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		msg.Entities = []benchEntity{{Type: "bot_command", Length: len(cmd)}}
	}
	return benchUpdate{UpdateID: id, Message: msg}
}

func (c *loadClient) callback(u *benchUser, msgID int, data string) benchUpdate {
	id := c.ids.Add(1)
	from := benchFrom{ID: u.id, FirstName: "Cán bộ", LanguageCode: "vi"}
	return benchUpdate{UpdateID: id, CallbackQuery: &benchCallback{
		ID: "cb" + strconv.FormatInt(id, 10), From: from, ChatInstance: strconv.FormatInt(u.id, 10), Data: data,
		Message: benchMessage{MessageID: msgID, Date: time.Now().Unix(), Chat: benchChat{ID: u.id, Type: "private"}},
	}}
}

// send posts one update to the webhook and times it to the answer.
func (c *loadClient) send(ctx context.Context, upd benchUpdate) {
	body, err := json.Marshal(upd)
	if err != nil {
		c.res.failed++
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, strings.NewReader(string(body)))
	if err != nil {
		c.res.failed++
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", benchSecret)
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.res.failed++
		return
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil || resp.StatusCode != http.StatusOK {
		c.res.failed++
		return
	}
	if len(answer) > 0 {
		c.api.performAnswer(answer)
	}
	c.res.handled++
	c.res.latencies = append(c.res.latencies, took)
}

// fakeAPI is a Bot API server that costs next to nothing: it answers
// every call with a canned success and remembers, per chat, the buttons of
// the bot's last message, which the load generator presses. bot/tgtest
// checks every call against the Bot API's rules and keeps every message,
// which would make the benchmark measure tgtest rather than the bot.
type fakeAPI struct {
	nextMsg atomic.Int64
	shards  [64]fakeShard
}

type fakeShard struct {
	mu    sync.Mutex
	chats map[int64]fakeChat
}

// fakeChat is the bot's last message with buttons to a chat: the callback
// data, row by row.
type fakeChat struct {
	msgID    int
	keyboard [][]string
}

func newFakeAPI() *fakeAPI {
	a := &fakeAPI{}
	for i := range a.shards {
		a.shards[i].chats = map[int64]fakeChat{}
	}
	return a
}

func (a *fakeAPI) shard(chat int64) *fakeShard {
	return &a.shards[uint64(chat)%uint64(len(a.shards))]
}

// keyboard returns the buttons of the bot's last message to chat and its id.
func (a *fakeAPI) keyboard(chat int64) ([][]string, int) {
	s := a.shard(chat)
	s.mu.Lock()
	defer s.mu.Unlock()
	fc := s.chats[chat]
	return fc.keyboard, fc.msgID
}

func (a *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "sendMessage", "editMessageText":
	default:
		io.WriteString(w, `{"ok":true,"result":true}`)
		return
	}
	fields := formFields(r, "chat_id", "message_id", "reply_markup")
	chat, _ := strconv.ParseInt(fields["chat_id"], 10, 64)
	msgID, _ := strconv.Atoi(fields["message_id"])
	msgID = a.message(method, chat, msgID, []byte(fields["reply_markup"]))
	fmt.Fprintf(w, `{"ok":true,"result":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"}}}`, msgID, time.Now().Unix(), chat)
}

// performAnswer does what Telegram does with a webhook answer that names a
// method: the bot's reply in it becomes the chat's last message.
func (a *fakeAPI) performAnswer(body []byte) {
	var call struct {
		Method      string          `json:"method"`
		ChatID      int64           `json:"chat_id"`
		MessageID   int             `json:"message_id"`
		ReplyMarkup json.RawMessage `json:"reply_markup"`
	}
	if json.Unmarshal(body, &call) != nil {
		return
	}
	switch call.Method {
	case "sendMessage", "editMessageText":
		a.message(call.Method, call.ChatID, call.MessageID, call.ReplyMarkup)
	}
}

// message remembers a sent or edited message's buttons as the chat's
// last, and returns its id.
func (a *fakeAPI) message(method string, chat int64, msgID int, markup []byte) int {
	if method == "sendMessage" {
		msgID = int(a.nextMsg.Add(1))
	}
	var mk struct {
		InlineKeyboard [][]struct {
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if len(markup) > 0 {
		json.Unmarshal(markup, &mk)
	}
	var kb [][]string
	for _, row := range mk.InlineKeyboard {
		var out []string
		for _, b := range row {
			if b.CallbackData != "" {
				out = append(out, b.CallbackData)
			}
		}
		if len(out) > 0 {
			kb = append(kb, out)
		}
	}
	s := a.shard(chat)
	s.mu.Lock()
	s.chats[chat] = fakeChat{msgID: msgID, keyboard: kb}
	s.mu.Unlock()
	return msgID
}

// formFields reads the named fields of a multipart/form-data body, the
// only kind go-telegram/bot sends, and skips the rest.
func formFields(r *http.Request, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return out
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			return out // io.EOF, or a body cut short: what was read is all there is
		}
		if slices.Contains(names, part.FormName()) {
			v, _ := io.ReadAll(io.LimitReader(part, 1<<20))
			out[part.FormName()] = string(v)
		}
		part.Close()
	}
}
