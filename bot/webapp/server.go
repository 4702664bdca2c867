// Package webapp is the Telegram Mini App: a page opened from the chat
// (the menu button, or a "Mở bảng điều khiển" button) that shows a
// scope's progress, a commune's posts and history, the commune's report
// form and, for those who may invite, the users and invitations of their
// scope. Every API call carries Telegram's initData, checked against the
// bot's token (Validate) and mapped to the stored user, whose role and
// scope decide what they see, by the bot's own rule (store.Scope.Covers).
//
// The pages are embedded (static/): no CDN, no external font or script.
// Telegram's telegram-web-app.js is not loaded (it is served only by
// telegram.org); the page uses window.Telegram.WebApp when a host
// provides it, and otherwise reads the launch parameters Telegram puts
// in the address (#tgWebAppData=...) and speaks Telegram's documented
// web events itself, so that it also works in a plain browser.
package webapp

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
)

//go:embed static
var staticFiles embed.FS

// Deps are what the app is built from; every field but Random and
// Options is required.
type Deps struct {
	DB          *store.DB
	Catalog     *locales.Catalog
	Loc         *time.Location
	Now         func() time.Time
	Logger      *slog.Logger
	Token       string // the bot's token, which signs initData
	BotUsername string // for invitation links
	Random      io.Reader
	Options     Options
}

// Options tune the app; a zero field takes its default.
type Options struct {
	// MaxAge is how old initData may be: a page opened in the morning
	// works through the working day. 12 hours.
	MaxAge time.Duration
	// InvitationTTL is how long an invitation made in the app is valid:
	// 7 days, as the bot's /moi.
	InvitationTTL time.Duration
	// Forecast, when set, gives a milestone's forecast over a scope,
	// shown beside its deadline: the store's (store.DB.Forecast), wired
	// by cmd/caxbot.
	Forecast Forecaster
	// Checks, when set, asks the district's users at once to check a
	// commune's reports written through the form, as the chat's reports
	// are asked: the bot's (bot.Bot.CheckItems, through the outbox, in
	// the reports' transaction), wired by cmd/caxbot. Without it the
	// daily list and /xacnhan show them.
	Checks CheckAsker
	// Demo lists the people a desktop browser may open the app as,
	// without Telegram: /demo signs initData for them with Token. Only
	// `caxbot demo --serve` sets it; never a real service.
	Demo []DemoUser
	// HistoryRows is how many of a commune's latest reports its page
	// shows: 30.
	HistoryRows int
}

// CheckAsker makes the messages that ask the checkers of a report just
// written to check it.
type CheckAsker interface {
	CheckItems(ctx context.Context, c store.Checked) ([]store.OutboxItem, error)
}

// Forecaster predicts when a milestone will be met over a scope.
type Forecaster interface {
	Forecast(ctx context.Context, m store.Milestone, s store.Scope) (Forecast, bool, error)
}

// Forecast is a milestone's predicted completion over a scope: a day, or
// no progress over the last StalledWeeks weeks.
type Forecast struct {
	Date         time.Time // the day it is expected to be met
	OnTime       bool      // by its deadline
	StalledWeeks int       // when not 0: nothing moved in these weeks, and Date is zero
}

// DemoUser is someone of the demo's world.
type DemoUser struct {
	ID    int64
	Name  string
	Label string // who they are, as the demo's transcript names them
}

func (o Options) withDefaults() Options {
	if o.MaxAge <= 0 {
		o.MaxAge = 12 * time.Hour
	}
	if o.InvitationTTL <= 0 {
		o.InvitationTTL = 7 * 24 * time.Hour
	}
	if o.HistoryRows <= 0 {
		o.HistoryRows = 30
	}
	return o
}

// Server serves the app's pages and API.
type Server struct {
	db       *store.DB
	cat      *locales.Catalog
	loc      *time.Location
	now      func() time.Time
	log      *slog.Logger
	token    string
	username string
	random   io.Reader
	opt      Options
	roster   rosterCache
	evals    evalCache
	mux      *http.ServeMux
}

// New builds the app.
func New(d Deps) (*Server, error) {
	if d.DB == nil || d.Catalog == nil || d.Loc == nil || d.Now == nil || d.Logger == nil || d.Token == "" {
		return nil, errors.New("webapp: new: DB, Catalog, Loc, Now, Logger and Token are required")
	}
	s := &Server{db: d.DB, cat: d.Catalog, loc: d.Loc, now: d.Now, log: d.Logger.With("component", "webapp"),
		token: d.Token, username: d.BotUsername, random: d.Random, opt: d.Options.withDefaults()}
	if s.random == nil {
		s.random = rand.Reader
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.Handle("GET /static/", http.StripPrefix("/static/", noCache(http.FileServerFS(static))))
	mux.HandleFunc("GET /api/texts", s.texts)
	mux.Handle("GET /api/me", s.authed(s.me))
	mux.Handle("POST /api/lang", s.authed(s.setLang))
	mux.Handle("GET /api/overview", s.authed(s.overview))
	mux.Handle("GET /api/commune", s.authed(s.commune))
	mux.Handle("POST /api/report/check", s.authed(s.checkReport))
	mux.Handle("POST /api/report", s.authed(s.submitReport))
	mux.Handle("GET /api/people", s.authed(s.people))
	mux.Handle("GET /api/communes", s.authed(s.communesOf))
	mux.Handle("POST /api/invitations", s.authed(s.invite))
	mux.Handle("POST /api/invitations/revoke", s.authed(s.revoke))
	if len(s.opt.Demo) > 0 {
		mux.HandleFunc("GET /demo", s.demoPage)
		mux.HandleFunc("GET /demo/open", s.demoOpen)
	}
	s.mux = mux
	return s, nil
}

// ServeHTTP serves the app at the root; mount it under a path with
// http.StripPrefix.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Everything the page loads is its own: no other origin may serve it
	// a script, a style, a font or an image.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	s.mux.ServeHTTP(w, r)
}

// page is the one HTML page; the script draws every view.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	b, err := staticFiles.ReadFile("static/index.html")
	if err != nil {
		http.Error(w, "page missing", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

// noCache makes browsers ask again for the files of a new version.
func noCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

// textKeys are the catalog keys the page is given: its own and the
// names of posts, statuses, roles and unit types the bot uses too.
var textPrefixes = []string{"webapp.", "post.", "status.regular", "status.semi", "status.vacant", "role.", "commune_type."}

// texts serves a language's texts for the page, before any login: the
// page must be able to say that the login failed.
func (s *Server) texts(w http.ResponseWriter, r *http.Request) {
	lang := s.cat.Match(r.URL.Query().Get("lang"))
	p := s.cat.Printer(lang, s.loc)
	out := map[string]string{}
	for _, k := range s.cat.Keys(lang) {
		for _, pre := range textPrefixes {
			if strings.HasPrefix(k, pre) {
				out[k] = p.T(k)
				break
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"lang": lang, "langs": s.cat.Langs(), "texts": out})
}

// session is who calls, once their initData is checked.
type session struct {
	user store.User
	tg   WebAppUser
	p    *locales.Printer
	ro   *roster
}

func (se *session) scope() store.Scope { return store.ScopeOf(se.user) }

func (se *session) actor() string { return "user:" + strconv.FormatInt(se.user.TelegramID, 10) }

type handler func(ctx context.Context, w http.ResponseWriter, r *http.Request, se *session) error

// apiError is an answer other than 200, with a catalog key the page
// shows and the text in the caller's language.
type apiError struct {
	status int
	key    string
	args   []any
	fields []fieldError // of a form
}

func (e *apiError) Error() string { return e.key }

type fieldError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func refuse(status int, key string, args ...any) *apiError {
	return &apiError{status: status, key: key, args: args}
}

// authed checks initData (header "Authorization: tma <initData>", as
// Telegram's documentation of Mini Apps suggests) and the user behind it,
// then calls h. Forged, foreign or stale initData is 401; a person the
// store does not know is 403.
func (s *Server) authed(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		raw, _ := strings.CutPrefix(r.Header.Get("Authorization"), "tma ")
		guess := s.cat.Printer(s.cat.Match(r.Header.Get("Accept-Language")), s.loc)
		init, err := Validate(raw, s.token, s.now(), s.opt.MaxAge)
		if err != nil {
			s.log.Info("initData refused", "err", err)
			s.fail(w, guess, refuse(http.StatusUnauthorized, "webapp.error.unauthorized"))
			return
		}
		guess = s.cat.Printer(s.cat.Match(init.User.LanguageCode), s.loc)
		u, err := s.db.User(ctx, init.User.ID)
		if errors.Is(err, store.ErrNotFound) {
			s.fail(w, guess, refuse(http.StatusForbidden, "webapp.error.not_registered"))
			return
		}
		if err != nil {
			s.log.Error("read user", "err", err)
			s.fail(w, guess, refuse(http.StatusServiceUnavailable, "webapp.error.unavailable"))
			return
		}
		if u.Role == store.RoleUnit {
			// A department's officer files reports in the chat; the
			// roster the app shows is not theirs to see.
			s.fail(w, guess, refuse(http.StatusForbidden, "webapp.error.unit"))
			return
		}
		ro, err := s.roster.get(ctx, s.db)
		if err != nil {
			s.log.Error("read roster", "err", err)
			s.fail(w, guess, refuse(http.StatusServiceUnavailable, "webapp.error.unavailable"))
			return
		}
		lang := u.Lang
		if lang == "" {
			lang = s.cat.Match(init.User.LanguageCode)
		}
		se := &session{user: u, tg: init.User, p: s.cat.Printer(lang, s.loc), ro: ro}
		if err := h(ctx, w, r, se); err != nil {
			var ae *apiError
			if !errors.As(err, &ae) {
				s.log.Error("api", "path", r.URL.Path, "user_id", u.TelegramID, "err", err)
				ae = refuse(http.StatusServiceUnavailable, "webapp.error.unavailable")
			}
			s.fail(w, se.p, ae)
		}
	})
}

func (s *Server) fail(w http.ResponseWriter, p *locales.Printer, e *apiError) {
	body := map[string]any{"error": strings.TrimPrefix(e.key, "webapp.error."), "message": p.T(e.key, e.args...)}
	if len(e.fields) > 0 {
		body["fields"] = e.fields
	}
	writeJSON(w, e.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return // the client went away
	}
}

// readJSON decodes a request body of at most 64 KiB.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return refuse(http.StatusBadRequest, "webapp.error.bad_request")
	}
	return nil
}

// me is who the caller is and what they may do.
func (s *Server) me(_ context.Context, w http.ResponseWriter, _ *http.Request, se *session) error {
	sc := se.scope()
	writeJSON(w, http.StatusOK, map[string]any{
		"id":        se.user.TelegramID,
		"name":      se.user.Name,
		"role":      se.user.Role,
		"roleName":  se.p.T("webapp.role." + string(se.user.Role)),
		"scope":     scopeParam(sc),
		"scopeName": s.scopeName(se.p, se.ro, sc),
		"lang":      se.p.Lang(),
		"canInvite": sc.Role == store.RoleProvince || sc.Role == store.RoleDistrict,
		"today":     se.p.Date(s.now()),
	})
	return nil
}

// setLang is the language choice, the same as the bot's /ngonngu.
func (s *Server) setLang(ctx context.Context, w http.ResponseWriter, r *http.Request, se *session) error {
	var in struct {
		Lang string `json:"lang"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if !s.cat.Supported(in.Lang) {
		return refuse(http.StatusBadRequest, "webapp.error.bad_request")
	}
	if err := s.db.SetUserLang(ctx, se.user.TelegramID, in.Lang); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"lang": in.Lang})
	return nil
}

// scopeParam writes a scope as the page names it: "district:157",
// "national".
func scopeParam(s store.Scope) string {
	if s.Role == store.RoleNational || s.Role == "" {
		return string(store.RoleNational)
	}
	return string(s.Role) + ":" + s.Code
}

// parseScope reads scopeParam's form.
func parseScope(v string) (store.Scope, bool) {
	if v == string(store.RoleNational) {
		return store.Scope{Role: store.RoleNational, Code: "VN"}, true
	}
	role, code, ok := strings.Cut(v, ":")
	r := store.Role(role)
	if !ok || code == "" || !r.Valid() || r == store.RoleNational {
		return store.Scope{}, false
	}
	return store.Scope{Role: r, Code: code}, true
}

// scopeName is "Toàn tỉnh Hòa Bình", "Huyện Lạc Sơn", "Xã Tân Lập",
// "Toàn quốc".
func (s *Server) scopeName(p *locales.Printer, ro *roster, sc store.Scope) string {
	switch sc.Role {
	case store.RoleProvince:
		return p.T("webapp.place.province", ro.provinces[sc.Code].Name)
	case store.RoleDistrict:
		return ro.districts[sc.Code].Name
	case store.RoleCommune:
		return communeName(p, ro.communes[sc.Code])
	case store.RoleUnit:
		return ro.units[sc.Code].Name
	}
	return p.T("webapp.place.national")
}

// communeName is "Xã Tân Lập", "Thị trấn Mai Châu".
func communeName(p *locales.Printer, c store.Commune) string {
	return p.T("webapp.place.commune", p.T("webapp.unit."+string(c.Type)), c.Name)
}
