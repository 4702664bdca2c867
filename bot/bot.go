package bot

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/caxbot/caxbot/bot/understand"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
)

// Deps are what the bot is built from; every field is required but
// Options.
type Deps struct {
	DB          *store.DB
	State       state.State
	Catalog     *locales.Catalog
	Loc         *time.Location
	Now         func() time.Time
	Logger      *slog.Logger
	BotUsername string // without '@', for invitation links
	// Random draws invitation codes; nil means crypto/rand.Reader. Only
	// the demo, whose transcript must not change between runs, sets it.
	Random  io.Reader
	Options Options
}

// Options tune the bot; a zero field takes its default.
type Options struct {
	ConversationTTL time.Duration // 30 minutes
	FloodLimit      int           // messages per FloodWindow and user: 20
	FloodWindow     time.Duration // 1 minute
	MaxTextLength   int           // longer messages are refused: 1000 characters
	DedupTTL        time.Duration // webhook update ids remembered: 24 hours
	InvitationTTL   time.Duration // invitations made with /moi: 7 days
	Workers         int           // dispatcher goroutines: 64
	QueueDepth      int           // updates waiting, per worker: 64 (Workers×QueueDepth in all)
	MaxWebhookBody  int64         // bytes: 1 MiB
	// UpdateDeadline bounds the handling of one update, from its arrival
	// (time in the queue included) to its answer: every store, State and
	// Bot API call it makes ends with it. Well under Telegram's webhook
	// timeout, so that a failed update is answered 500 and retried rather
	// than abandoned by Telegram. 10 seconds.
	UpdateDeadline time.Duration
	// UserCheck is how often the store is asked whether any user changed
	// (store.DB.UsersGeneration): users read from the store are kept until
	// one does, so a removal or a new role made elsewhere (caxbot users,
	// another replica) takes effect within it. 1 second.
	UserCheck time.Duration
	// UserCacheSize bounds the users kept: 10,000.
	UserCacheSize int
	// RosterCheck is how often a running bot asks the store whether
	// communes, groups or plans changed (an import, a plan load, on this
	// replica or another) and reads them again if so: 30 seconds.
	RosterCheck time.Duration
	// MenusPerSync bounds the users' menus waiting in the outbox: a sync
	// (SyncMenus, at start and at each RosterCheck while some are left)
	// queues only as many as leaves no more than that many unsent, so a
	// national deployment's first sync spreads over time, and a reminder
	// waits behind at most that many menus (two calls each, Vietnamese
	// and English), however many replicas sync. 200: 400 calls, about 13
	// seconds of Telegram's 30 a second.
	MenusPerSync int

	// Observe, when set, is told of every update, for monitoring: its
	// kind ("message", "callback" or "other"), its outcome and how long
	// it took on Deps.Now. Outcomes: "ok"; "error" (the webhook answers
	// 500, polling apologises; an update past its deadline is one);
	// "refused" (over the flood limit, or too long); "duplicate" (an update
	// id the webhook already handled); "pending" (an update id another
	// delivery is handling: answered 503, Telegram tries again); "dropped"
	// (it came while the bot was stopping).
	Observe func(kind, outcome string, took time.Duration)
	// FloodLimited, when set, is told each time a user reaches the flood
	// limit: once per user and FloodWindow.
	FloodLimited func()
	// WebAppURL is the Mini App's public HTTPS address (bot/webapp). When
	// set, SetMenuButton makes it the chat's menu button, and /start and
	// /tiendo answer in private chats with a "Mở bảng điều khiển" button.
	WebAppURL string
}

func (o Options) withDefaults() Options {
	if o.ConversationTTL <= 0 {
		o.ConversationTTL = 30 * time.Minute
	}
	if o.FloodLimit <= 0 {
		o.FloodLimit = 20
	}
	if o.FloodWindow <= 0 {
		o.FloodWindow = time.Minute
	}
	if o.MaxTextLength <= 0 {
		o.MaxTextLength = 1000
	}
	if o.DedupTTL <= 0 {
		o.DedupTTL = 24 * time.Hour
	}
	if o.InvitationTTL <= 0 {
		o.InvitationTTL = 7 * 24 * time.Hour
	}
	if o.Workers <= 0 {
		o.Workers = 64
	}
	if o.QueueDepth <= 0 {
		o.QueueDepth = 64
	}
	if o.MaxWebhookBody <= 0 {
		o.MaxWebhookBody = 1 << 20
	}
	if o.UpdateDeadline <= 0 {
		o.UpdateDeadline = 10 * time.Second
	}
	if o.UserCheck <= 0 {
		o.UserCheck = time.Second
	}
	if o.UserCacheSize <= 0 {
		o.UserCacheSize = 10000
	}
	if o.RosterCheck <= 0 {
		o.RosterCheck = 30 * time.Second
	}
	if o.MenusPerSync <= 0 {
		o.MenusPerSync = 200
	}
	return o
}

// Bot handles Telegram updates. It is safe for concurrent use.
type Bot struct {
	db       *store.DB
	st       state.State
	cat      *locales.Catalog
	loc      *time.Location
	now      func() time.Time
	log      *slog.Logger
	username string
	random   io.Reader
	opt      Options

	roster atomic.Pointer[roster]
	// plans are read with the roster: answers about deadlines and progress
	// would otherwise read every milestone for every update.
	plans atomic.Pointer[[]store.Plan]
	disp  *dispatcher
	heavy *heavyWork
	users *userCache
	// menusGen is the users' generation the menus were last synced at
	// (SyncMenus); 0 before the first, which checkMenus then makes.
	menusGen atomic.Int64
	// menusMore: the last sync may have left menus to queue (it queued
	// as many as it may), so the next check syncs again.
	menusMore atomic.Bool

	// commands maps a command (without '/') to its handler; callbacks maps
	// the prefix of callback data (before the first ':') to its handler.
	commands  map[string]commandFunc
	callbacks map[string]callbackFunc
	// files downloads the decision files users send.
	files *http.Client
}

// New builds the bot and loads the roster's names once.
func New(ctx context.Context, d Deps) (*Bot, error) {
	switch {
	case d.DB == nil, d.State == nil, d.Catalog == nil, d.Loc == nil, d.Now == nil, d.Logger == nil:
		return nil, errors.New("bot: new: DB, State, Catalog, Loc, Now and Logger are required")
	case d.BotUsername == "":
		return nil, errors.New("bot: new: BotUsername is required")
	}
	b := &Bot{
		db: d.DB, st: d.State, cat: d.Catalog, loc: d.Loc, now: d.Now,
		log: d.Logger.With("component", "bot"), username: d.BotUsername,
		opt: d.Options.withDefaults(), random: d.Random,
	}
	if b.random == nil {
		b.random = rand.Reader
	}
	b.disp = newDispatcher(b.opt.Workers, b.opt.QueueDepth)
	b.heavy = newHeavyWork()
	b.users = newUserCache(b.opt.UserCheck, b.opt.UserCacheSize)
	b.commands = b.commandTable()
	b.callbacks = map[string]callbackFunc{convPrefix: b.onConversationButton, "ack": b.acknowledge, proposePrefix: b.acceptProposal,
		"file": b.fileButton, readPrefix: b.readButton,
		checkPrefix: b.checkButton, correctPrefix: b.correctButton}
	b.files = &http.Client{Timeout: time.Minute}
	if err := b.Reload(ctx); err != nil {
		return nil, err
	}
	if err := b.db.KeepPostsInMemory(ctx); err != nil {
		return nil, fmt.Errorf("bot: new: %w", err)
	}
	return b, nil
}

// Reload reads the districts, communes, groups and plans again and
// rebuilds the gazetteer the questions are read with. Run and RunWebhook
// call it when the store's roster generation moves.
func (b *Bot) Reload(ctx context.Context) error {
	// The generation first: a change committed while the rest is read is
	// then read again at the next check rather than missed.
	gen, err := b.db.RosterGeneration(ctx)
	if err != nil {
		return fmt.Errorf("bot: reload roster: %w", err)
	}
	provinces, err := b.db.Provinces(ctx)
	if err != nil {
		return fmt.Errorf("bot: reload roster: %w", err)
	}
	districts, err := b.db.Districts(ctx, store.Scope{})
	if err != nil {
		return fmt.Errorf("bot: reload roster: %w", err)
	}
	communes, err := b.db.Communes(ctx, store.Scope{})
	if err != nil {
		return fmt.Errorf("bot: reload roster: %w", err)
	}
	groups, err := b.db.Groups(ctx)
	if err != nil {
		return fmt.Errorf("bot: reload roster: %w", err)
	}
	plans, err := b.db.Plans(ctx)
	if err != nil {
		return fmt.Errorf("bot: reload plans: %w", err)
	}
	units, err := b.db.ReportingUnits(ctx, store.Scope{})
	if err != nil {
		return fmt.Errorf("bot: reload roster: %w", err)
	}
	former, err := b.db.FormerUnits(ctx)
	if err != nil {
		return fmt.Errorf("bot: reload roster: %w", err)
	}
	ro := newRoster(provinces, districts, communes)
	ro.generation, ro.groups = gen, groups
	for _, u := range units {
		ro.units[u.Code] = u
	}
	ro.former = make(map[string][]store.FormerUnit, len(former))
	for _, f := range former {
		key := understand.NameKey(f.Name)
		ro.former[key] = append(ro.former[key], f)
	}
	b.roster.Store(ro)
	b.plans.Store(&plans)
	return nil
}

// watchRoster reloads the roster whenever the store's generation has
// moved, checking every Options.RosterCheck until ctx ends.
func (b *Bot) watchRoster(ctx context.Context) {
	tick := time.NewTicker(b.opt.RosterCheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		b.checkRoster(ctx)
		b.checkMenus(ctx)
	}
}

// checkRoster reloads the roster if its generation moved, within one
// RosterCheck: a stalled store holds it no longer.
func (b *Bot) checkRoster(run context.Context) {
	ctx, cancel := context.WithTimeout(run, b.opt.RosterCheck)
	defer cancel()
	gen, err := b.db.RosterGeneration(ctx)
	if err != nil {
		if run.Err() == nil {
			b.log.Warn("check roster generation", "err", err)
		}
		return
	}
	if gen == b.roster.Load().generation {
		return
	}
	if err := b.Reload(ctx); err != nil {
		if run.Err() == nil {
			b.log.Warn("reload roster", "err", err)
		}
		return
	}
	b.log.Info("roster reloaded", "generation", gen)
}

// roster is the part of the store that never changes between imports,
// indexed once so that no update does work that grows with the country.
type roster struct {
	generation int64 // the store's roster generation it was read at
	groups     map[string]map[string]bool
	gaz        *understand.Gazetteer
	provinces  map[string]store.Province
	districts  map[string]store.District
	communes   map[string]store.Commune
	ofProvince map[string][]store.District // by code
	ofDistrict map[string][]store.Commune  // by code
	units      map[string]store.ReportingUnit
	// former holds the names no longer on the map by their NameKey, to
	// answer a question about one with what it became.
	former map[string][]store.FormerUnit
}

func newRoster(ps []store.Province, ds []store.District, cs []store.Commune) *roster {
	r := &roster{
		gaz:        understand.NewGazetteer(ps, ds, cs),
		provinces:  make(map[string]store.Province, len(ps)),
		districts:  make(map[string]store.District, len(ds)),
		communes:   make(map[string]store.Commune, len(cs)),
		ofProvince: make(map[string][]store.District),
		ofDistrict: make(map[string][]store.Commune),
		units:      make(map[string]store.ReportingUnit),
	}
	for _, p := range ps {
		r.provinces[p.Code] = p
	}
	for _, d := range ds {
		r.districts[d.Code] = d
		r.ofProvince[d.ProvinceCode] = append(r.ofProvince[d.ProvinceCode], d)
	}
	for _, c := range cs {
		r.communes[c.Code] = c
		r.ofDistrict[c.DistrictCode] = append(r.ofDistrict[c.DistrictCode], c)
	}
	for _, l := range r.ofProvince {
		sort.Slice(l, func(i, j int) bool { return l[i].Code < l[j].Code })
	}
	for _, l := range r.ofDistrict {
		sort.Slice(l, func(i, j int) bool { return l[i].Code < l[j].Code })
	}
	return r
}

func (r *roster) districtOf(commune string) string  { return r.communes[commune].DistrictCode }
func (r *roster) provinceOf(district string) string { return r.districts[district].ProvinceCode }

// covers reports whether a user's scope includes t: a reporting unit lies
// in its province.
func (r *roster) covers(s, t store.Scope) bool {
	if t.Role == store.RoleUnit && !s.All() {
		u, ok := r.units[t.Code]
		return ok && (s == t || s.Role == store.RoleProvince && u.ProvinceCode == s.Code)
	}
	return s.Covers(t, r.districtOf, r.provinceOf)
}

// storeRoster returns the districts and communes of a scope, by code,
// and the groups: the part of store.Roster that the roster keeps.
func (r *roster) storeRoster(s store.Scope) store.Roster {
	out := store.Roster{Groups: r.groups}
	var districts []store.District
	switch s.Role {
	case store.RoleProvince:
		districts = r.ofProvince[s.Code]
	case store.RoleDistrict:
		if d, ok := r.districts[s.Code]; ok {
			districts = []store.District{d}
		}
	case store.RoleCommune:
		if c, ok := r.communes[s.Code]; ok {
			out.Districts = []store.District{r.districts[c.DistrictCode]}
			out.Communes = []store.Commune{c}
		}
		return out
	default:
		districts = slices.SortedFunc(maps.Values(r.districts), func(a, b store.District) int { return strings.Compare(a.Code, b.Code) })
	}
	out.Districts = districts
	n := 0
	for _, d := range districts {
		n += len(r.ofDistrict[d.Code])
	}
	out.Communes = make([]store.Commune, 0, n)
	for _, d := range districts {
		out.Communes = append(out.Communes, r.ofDistrict[d.Code]...)
	}
	return out
}

// storeRoster is store.DB.Roster of milestone m over scope s, now, with
// the districts, communes and groups of the roster kept in memory when
// it is the store's current one: its generation is read for each call,
// so a change made elsewhere (an import, a group or plan saved on
// another replica) is never answered from the old roster; the store's
// roster is read until this replica reloads its own.
func (b *Bot) storeRoster(ctx context.Context, s store.Scope, m store.Milestone) (store.Roster, error) {
	mem := b.roster.Load()
	if s.Role == store.RoleUnit {
		return b.db.Roster(ctx, s, m) // a unit's scope holds no district
	}
	gen, err := b.db.LookedRosterGeneration(ctx)
	if err != nil {
		return store.Roster{}, err
	}
	if gen != mem.generation {
		return b.db.Roster(ctx, s, m)
	}
	return b.db.RosterOver(ctx, s, m, mem.storeRoster(s))
}

// provinceOfScope returns the province a scope lies in.
func (r *roster) provinceOfScope(s store.Scope) string {
	switch s.Role {
	case store.RoleProvince:
		return s.Code
	case store.RoleDistrict:
		return r.provinceOf(s.Code)
	case store.RoleCommune:
		return r.provinceOf(r.districtOf(s.Code))
	case store.RoleUnit:
		return r.units[s.Code].ProvinceCode
	}
	return ""
}
