package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/bot"
)

// benchToken and benchSecret are the fake bot's credentials: nothing leaves
// the loopback interface.
const (
	benchToken  = "123456:bench"
	benchSecret = "bench-webhook-secret"
)

// LoadOptions are the load benchmark's flags.
type LoadOptions struct {
	Roster     string        // the national communes file
	Users      int           // users registered, at least 3
	Clients    int           // concurrent senders of updates
	Updates    int           // most updates per side, over all rounds; 0: no limit
	Duration   time.Duration // time per side, over all rounds
	Rounds     int           // how many times the sides take turns
	CPUProfile string        // a file for a pprof CPU profile; empty: none
}

// Load measures the bot in webhook mode on the national roster, and in the
// same run the floor: a bare go-telegram/bot webhook handler that answers
// every update with one sendMessage. Both are driven by the same load
// generator against the same fake Bot API server, all on loopback. For
// each side it prints the throughput, the latencies, the peak memory, and
// the CPU time per update: this process's (getrusage), and on Postgres
// and Redis those servers' (their processes' own accounting), which a
// shared machine's load moves far less than the wall clock.
func Load(ctx context.Context, env Env, opt LoadOptions) error {
	p := env.Printer
	b, err := open(ctx, env)
	defer b.close()
	if err != nil {
		return err
	}

	start := time.Now()
	communes, err := b.loadRoster(ctx, opt.Roster, start)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, p.T("bench.roster", len(communes), len(communes)*6, p.Decimal(time.Since(start).Seconds(), 2)))
	start = time.Now()
	people, users := randomUsers(communes, opt.Users)
	if err := b.addUsers(ctx, users, start); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, p.T("bench.users", len(people), p.Decimal(time.Since(start).Seconds(), 2)))
	b.settle(ctx)

	api := newFakeAPI()
	apiURL, stopAPI, err := serveLoopback(api)
	if err != nil {
		return err
	}
	defer stopAPI()

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

	floorURL, stopFloor, err := startFloor(apiURL)
	if err != nil {
		return err
	}
	defer stopFloor()
	botURL, stopBot, err := b.startBot(ctx, apiURL)
	if err != nil {
		return err
	}
	defer stopBot()
	cpu := newCPUMeter(b)
	defer cpu.close()

	// The phases alternate in rounds, so that a machine whose speed drifts
	// during the run (a shared host) weighs on both alike.
	var nextID atomic.Int64
	floorLoad := newLoad(opt.Clients, people, api, &nextID, false)
	botLoad := newLoad(opt.Clients, people, api, &nextID, true)
	fmt.Fprintln(env.Stdout, p.T("bench.load", opt.Duration.String(), opt.Rounds, opt.Clients, len(people)))
	if opt.Updates > 0 {
		fmt.Fprintln(env.Stdout, p.T("bench.cap", opt.Updates))
	}
	// A warm-up, not counted: every user asks one question of each side,
	// so that the rounds measure a bot in service (its caches of users
	// and statements filled) rather than its first minute after a start.
	warmUp(ctx, floorURL, floorLoad)
	warmUp(ctx, botURL, botLoad)
	fmt.Fprintln(env.Stdout, p.T("bench.warmup", len(people)))
	var floor, caxbot benchResult
	for i := range opt.Rounds {
		slice := loadSpec{updates: math.MaxInt64, duration: opt.Duration / time.Duration(opt.Rounds)}
		if opt.Updates > 0 {
			slice.updates = int64(opt.Updates / opt.Rounds)
			if i < opt.Updates%opt.Rounds {
				slice.updates++
			}
		}
		floor.add(runLoad(ctx, floorURL, floorLoad, slice, cpu))
		caxbot.add(runLoad(ctx, botURL, botLoad, slice, cpu))
	}
	floor.finish()
	caxbot.finish()
	printLoad(env, "bench.floor", floor, cpu)
	printLoad(env, "bench.bot", caxbot, cpu)
	fmt.Fprintln(env.Stdout, p.T("bench.ratio", p.Percent(int(math.Round(caxbot.rate())), int(math.Round(floor.rate())))))
	fmt.Fprintln(env.Stdout, p.T("bench.cpu_ratio", p.Percent(int(floor.cpuPerUpdate().total()), int(caxbot.cpuPerUpdate().total()))))
	fmt.Fprintln(env.Stdout, p.T("bench.memory_note"))
	fmt.Fprintln(env.Stdout, p.T("bench.cpu_note"))
	return nil
}

// benchResult is what one phase measured.
type benchResult struct {
	handled   int
	failed    int // answered other than 200
	elapsed   time.Duration
	latencies []time.Duration // sorted
	peakBytes uint64
	mix       [3]int // questions, report steps, commands
	cpu       cpuTime
	allocs    allocated
}

func (r benchResult) rate() float64 { return float64(r.handled) / r.elapsed.Seconds() }

// cpuPerUpdate is the CPU time per update handled, in nanoseconds.
func (r benchResult) cpuPerUpdate() cpuTime {
	if r.handled == 0 {
		return cpuTime{}
	}
	n := time.Duration(r.handled)
	return cpuTime{process: r.cpu.process / n, postgres: r.cpu.postgres / n, redis: r.cpu.redis / n}
}

// add counts one round of a phase in.
func (r *benchResult) add(round benchResult) {
	r.handled += round.handled
	r.failed += round.failed
	r.elapsed += round.elapsed
	r.latencies = append(r.latencies, round.latencies...)
	r.peakBytes = max(r.peakBytes, round.peakBytes)
	r.cpu = r.cpu.add(round.cpu)
	r.allocs.bytes += round.allocs.bytes
	r.allocs.objects += round.allocs.objects
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

func printLoad(env Env, key string, r benchResult, cpu *cpuMeter) {
	p := env.Printer
	ms := func(d time.Duration) string { return p.Decimal(float64(d.Microseconds())/1000, 1) }
	fmt.Fprintln(env.Stdout, p.T(key))
	fmt.Fprintln(env.Stdout, p.T("bench.figures", r.handled, r.failed, p.Decimal(r.elapsed.Seconds(), 2), int(math.Round(r.rate())),
		ms(r.quantile(0.50)), ms(r.quantile(0.95)), ms(r.quantile(0.99)), int(r.peakBytes>>20)))
	total := r.mix[0] + r.mix[1] + r.mix[2]
	fmt.Fprintln(env.Stdout, p.T("bench.mix", p.Percent(r.mix[0], total), p.Percent(r.mix[1], total), p.Percent(r.mix[2], total)))
	per := func(d time.Duration) string { return p.T("bench.ms", msPer(p, d, r.handled)) }
	pg, rd := p.T("bench.cpu_unknown"), p.T("bench.cpu_unknown")
	if cpu.known.postgres {
		pg = per(r.cpu.postgres)
	}
	if cpu.known.redis {
		rd = per(r.cpu.redis)
	}
	fmt.Fprintln(env.Stdout, p.T("bench.cpu", per(r.cpu.total()), per(r.cpu.process), pg, rd))
	if r.handled > 0 {
		n := uint64(r.handled)
		fmt.Fprintln(env.Stdout, p.T("bench.allocs", p.Decimal(float64(r.allocs.bytes/n)/1024, 1), int(r.allocs.objects/n)))
	}
}

// startBot serves the real bot behind its real webhook handler and
// returns the webhook's URL.
func (b *backend) startBot(ctx context.Context, apiURL string) (string, func(), error) {
	env := b.env
	bt, err := bot.New(ctx, bot.Deps{
		DB: b.db, State: b.state, Catalog: env.Catalog, Loc: env.Loc, Now: time.Now, Logger: env.Logger,
		BotUsername: env.BotUsername,
		// The load generator's users write faster than people do; the
		// flood check still runs, but lets them through. Update ids need
		// not outlive the run.
		Options: bot.Options{FloodLimit: 1 << 20, DedupTTL: 10 * time.Minute},
	})
	if err != nil {
		return "", nil, err
	}
	tg, err := bt.NewClient(benchToken, apiURL, nil, tgbot.WithSkipGetMe())
	if err != nil {
		return "", nil, err
	}
	work, stop := context.WithCancel(ctx)
	go bt.RunWebhook(work)
	mux := http.NewServeMux()
	mux.Handle("POST /telegram", bt.WebhookHandler(tg, benchSecret))
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
func startFloor(apiURL string) (string, func(), error) {
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
		return "", nil, fmt.Errorf("bench: floor client: %w", err)
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
