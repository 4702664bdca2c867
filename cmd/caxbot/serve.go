package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/caxbot/caxbot/bot"
	"github.com/caxbot/caxbot/bot/webapp"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// shutdownGrace is how long a stopping replica may take to finish the
// updates and the sends in hand.
const shutdownGrace = 10 * time.Second

// runServe runs the bot against Telegram: long polling, or the webhook
// when CAXBOT_WEBHOOK_URL is set; the reminders scheduler; the outbox
// senders; and the HTTP server (webhook, /healthz, /readyz, /metrics).
//
// On SIGTERM it stops taking updates, lets those in hand and the sends in
// flight finish, gives back its leases and returns, within shutdownGrace.
func runServe(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("serve")
	senders := fs.Int("senders", 4, m.Printer.T("flag.senders"))
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if !m.Settings.LogLevelSet {
		m.Logger = m.newLogger(slog.LevelInfo)
	}
	if m.Settings.Token == "" {
		return userError(m.Printer.T("serve.need_token"))
	}
	if *senders < 1 {
		fs.Usage()
		return errUsage
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	replica := replicaName()
	m.Logger = m.Logger.With("replica", replica)
	log := m.Logger
	if err := m.learnUsername(ctx); err != nil {
		return err
	}
	pm := newMetrics(prometheus.NewRegistry(), m.DB, m.Now, log)
	opt := m.botOptions()
	opt.Observe, opt.FloodLimited = pm.observeUpdate, pm.observeFlood
	b, err := m.buildBot(ctx, opt)
	if err != nil {
		return err
	}
	tg, err := b.NewClient(m.Settings.Token, m.Settings.TelegramAPI, nil)
	if err != nil {
		return err
	}
	if err := b.RegisterCommands(ctx, tg); err != nil {
		log.Warn("set bot commands", "err", err)
	}
	// Each user's own menu, by role, through the outbox (again whenever
	// the users change).
	if err := b.SyncMenus(ctx); err != nil {
		log.Warn("sync menus", "err", err)
	}
	sched, err := m.scheduler(replica)
	if err != nil {
		return err
	}
	sched.OnRun = pm.observeJob

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", m.ready)
	// /metrics on an address of its own, when given, keeps the figures
	// off the address the webhook is exposed on.
	var metricsMux *http.ServeMux
	if m.Settings.MetricsListen != "" {
		metricsMux = http.NewServeMux()
		metricsMux.Handle("GET /metrics", pm.handler())
	} else {
		mux.Handle("GET /metrics", pm.handler())
	}
	app, err := m.newWebApp(m.Settings.Token, webapp.Options{MaxAge: m.Settings.WebAppMaxAge, Checks: b})
	if err != nil {
		return err
	}
	mountWebApp(mux, m.webAppPath(), app)
	if err := b.SetMenuButton(ctx, tg); err != nil {
		log.Warn("set menu button", "err", err)
	}
	webhook := m.Settings.WebhookURL != ""
	if webhook {
		u, _ := url.Parse(m.Settings.WebhookURL)
		path := u.Path
		if path == "" {
			path = "/"
		}
		mux.Handle("POST "+path, b.WebhookHandler(tg, m.Settings.WebhookSecret))
	}
	limits := m.httpLimits()
	srv := newHTTPServer(mux, limits, log)
	ln, err := net.Listen("tcp", m.Settings.Listen)
	if err != nil {
		return fmt.Errorf("caxbot: listen %s: %w", m.Settings.Listen, err)
	}
	servers := []*http.Server{srv}
	listeners := []net.Listener{ln}
	if metricsMux != nil {
		mln, err := net.Listen("tcp", m.Settings.MetricsListen)
		if err != nil {
			ln.Close()
			return fmt.Errorf("caxbot: listen %s: %w", m.Settings.MetricsListen, err)
		}
		servers, listeners = append(servers, newHTTPServer(metricsMux, limits, log)), append(listeners, mln)
	}
	log.Info("serving", "listen", ln.Addr().String(), "metrics_listen", m.Settings.MetricsListen, "webhook", webhook,
		"store", m.DB.Dialect(), "shared_state", m.Settings.RedisURL != "")

	// work ends when ctx does; the HTTP server is shut down after it so
	// that updates in hand still get their answer.
	work, stopWork := context.WithCancel(context.Background())
	defer stopWork()
	var wg sync.WaitGroup
	errs := make(chan error, 5+*senders)
	goRun := func(name string, f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(); err != nil {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	for i, hs := range servers {
		goRun("http", func() error {
			if err := hs.Serve(listeners[i]); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		})
	}
	goRun("scheduler", func() error { return sched.Start(work) })
	for i := range *senders {
		d := m.drainer(tg, fmt.Sprintf("%s/%d", replica, i))
		d.OnSend, d.ReleaseOnStop = pm.observeSend, true
		goRun("sender", func() error { return d.Run(work, 2*time.Second) })
	}
	if webhook {
		goRun("bot", func() error { b.RunWebhook(work); return nil })
		_, err := tg.SetWebhook(ctx, &tgbot.SetWebhookParams{
			URL:            m.Settings.WebhookURL,
			SecretToken:    m.Settings.WebhookSecret,
			AllowedUpdates: []string{"message", "callback_query", "my_chat_member"},
		})
		if err != nil {
			stopWork()
			return fmt.Errorf("caxbot: set webhook: %w", err)
		}
	} else {
		goRun("bot", func() error { return b.Run(work, tg) })
	}

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errs:
	}
	log.Info("stopping")
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	// First the HTTP server: it takes no more updates and waits for the
	// webhook requests in hand, which the still running workers answer.
	// Then the workers, the scheduler (which gives back its job leases)
	// and the senders (which finish the send in flight and give back the
	// outbox items they did not get to).
	for _, hs := range servers {
		if err := hs.Shutdown(shutdown); err != nil {
			log.Warn("http shutdown", "err", err)
		}
	}
	stopWork()
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
		log.Info("stopped")
	case <-shutdown.Done():
		// A send stuck past the grace: its outbox item is still leased
		// and goes out again once the lease ends.
		log.Warn("shutdown grace over: leaving work unfinished")
	}
	return runErr
}

// learnUsername asks Telegram (getMe) for the bot's username, which
// invitation links and commands addressed to the bot in groups need, and
// records it in the store for the commands run beside the service.
func (m *Main) learnUsername(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tg, err := tgbot.New(m.Settings.Token, tgbot.WithServerURL(m.Settings.TelegramAPI), tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(time.Minute, bot.NewHTTPClient()))
	if err != nil {
		return fmt.Errorf("caxbot: telegram client: %w", err)
	}
	me, err := tg.GetMe(ctx)
	if err != nil {
		return userError(m.Printer.T("serve.getme_failed", oneLine(err.Error())))
	}
	if m.Settings.BotUsername != "" && !strings.EqualFold(m.Settings.BotUsername, me.Username) {
		m.Logger.Warn("CAXBOT_BOT_USERNAME differs from Telegram's; using Telegram's", "setting", m.Settings.BotUsername, "telegram", me.Username)
	}
	m.Settings.BotUsername = me.Username
	return m.DB.SetServiceFact(ctx, store.FactBotUsername, me.Username, m.Now())
}

// httpLimits bound what one connection may hold of the HTTP server: a
// client that sends its headers or its body slowly, or not at all, one
// that reads the answer slowly, and idle keep-alive connections, are cut
// off; headers are small.
type httpLimits struct {
	readHeader, read, write, idle time.Duration
	maxHeaderBytes                int
}

// httpLimits are the server's limits as the settings say. A webhook
// request waits for its update to be handled: writing its answer may take
// up to the update deadline, and a little more.
func (m *Main) httpLimits() httpLimits {
	return httpLimits{readHeader: 5 * time.Second, read: 10 * time.Second, write: m.Settings.UpdateDeadline + 10*time.Second,
		idle: m.Settings.HTTPIdleTimeout, maxHeaderBytes: 16 << 10}
}

// newHTTPServer serves h within l, logging its own errors through log.
func newHTTPServer(h http.Handler, l httpLimits, log *slog.Logger) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: l.readHeader, ReadTimeout: l.read, WriteTimeout: l.write,
		IdleTimeout: l.idle, MaxHeaderBytes: l.maxHeaderBytes, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
}

// ready answers 200 when the store is reachable with its schema up to date
// and the shared state answers.
func (m *Main) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	current, err := m.DB.SchemaCurrent(ctx)
	if err != nil || !current {
		http.Error(w, "store not ready", http.StatusServiceUnavailable)
		return
	}
	if _, _, err := m.State.GetConversation(ctx, "readyz"); err != nil {
		http.Error(w, "shared state not ready", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

// newBot builds the bot over what Open opened.
func (m *Main) newBot(ctx context.Context) (*bot.Bot, error) {
	return m.buildBot(ctx, m.botOptions())
}

// botOptions are the bot's options as the settings say.
func (m *Main) botOptions() bot.Options {
	return bot.Options{InvitationTTL: m.Settings.InviteTTL, UpdateDeadline: m.Settings.UpdateDeadline, WebAppURL: m.Settings.WebAppURL,
		MenusPerSync: m.Settings.MenusPerSync}
}

// buildBot builds the bot with opt over what Open opened.
func (m *Main) buildBot(ctx context.Context, opt bot.Options) (*bot.Bot, error) {
	return bot.New(ctx, bot.Deps{
		DB:          m.DB,
		State:       m.State,
		Catalog:     m.Catalog,
		Loc:         m.Loc,
		Now:         m.Now,
		Logger:      m.Logger,
		BotUsername: m.username(),
		Random:      m.botRandom,
		Options:     opt,
	})
}

// username is the bot's username: as set or learnt from Telegram, or the
// local Bot API server's for the commands that run one.
func (m *Main) username() string {
	if m.Settings.BotUsername == "" {
		return localBotUsername
	}
	return m.Settings.BotUsername
}

// drainer is one outbox sender; several share the rate buckets in the
// shared state, so together they keep to Telegram's limits.
func (m *Main) drainer(tg *tgbot.Bot, owner string) *reminders.Drainer {
	return &reminders.Drainer{
		Outbox:  m.DB,
		Sender:  bot.TelegramSender{Client: tg},
		Limiter: m.State,
		Log:     m.Logger,
		Now:     m.Now,
		Sleep:   reminders.SleepContext,
		Rand:    rand.New(rand.NewPCG(uint64(m.Now().UnixNano()), uint64(len(owner)))),
		Owner:   owner,
	}
}

// replicaName names this process among the replicas, for leases.
func replicaName() string {
	host, err := os.Hostname()
	if err != nil {
		host = "caxbot"
	}
	return host + ":" + strconv.Itoa(os.Getpid())
}
