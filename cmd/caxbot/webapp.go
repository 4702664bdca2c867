package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/caxbot/caxbot/bot/webapp"
	"github.com/caxbot/caxbot/store"
)

// webAppPath is where the HTTP server serves the Mini App: the path of
// CAXBOT_WEBAPP_URL (a proxy in front passes it on unchanged), or /app/.
func (m *Main) webAppPath() string {
	if u, err := url.Parse(m.Settings.WebAppURL); err == nil && m.Settings.WebAppURL != "" && u.Path != "" {
		return u.Path
	}
	return "/app/"
}

// newWebApp builds the Mini App over what Open opened; token is the bot
// token that signs the initData it accepts.
func (m *Main) newWebApp(token string, opt webapp.Options) (*webapp.Server, error) {
	if opt.InvitationTTL == 0 {
		opt.InvitationTTL = m.Settings.InviteTTL
	}
	if opt.Forecast == nil {
		opt.Forecast = &forecaster{db: m.DB, now: m.Now, loc: m.Loc}
	}
	return webapp.New(webapp.Deps{DB: m.DB, Catalog: m.Catalog, Loc: m.Loc, Now: m.Now, Logger: m.Logger,
		Token: token, BotUsername: m.username(), Options: opt})
}

// mountWebApp serves app under path (ending in "/").
func mountWebApp(mux *http.ServeMux, path string, app *webapp.Server) {
	mux.Handle(path, http.StripPrefix(strings.TrimSuffix(path, "/"), app))
}

// forecaster gives the Mini App the store's forecasts (store.DB.Forecast),
// each computed once a day per milestone and scope: a forecast is the pace
// of the last weeks, which a day does not change much, and computing one
// reads the scope as it was weeks ago, too much for every overview of the
// whole country.
type forecaster struct {
	db  *store.DB
	now func() time.Time
	loc *time.Location

	mu   sync.Mutex
	day  string
	kept map[string]forecastResult
}

type forecastResult struct {
	f  webapp.Forecast
	ok bool
}

func (f *forecaster) Forecast(ctx context.Context, m store.Milestone, s store.Scope) (webapp.Forecast, bool, error) {
	if m.Kind != store.KindPosts {
		return webapp.Forecast{}, false, nil
	}
	now := f.now()
	day := now.In(f.loc).Format(time.DateOnly)
	key := m.ID + "|" + string(s.Role) + "|" + s.Code
	f.mu.Lock()
	if f.day != day {
		f.day, f.kept = day, make(map[string]forecastResult)
	}
	r, found := f.kept[key]
	f.mu.Unlock()
	if found {
		return r.f, r.ok, nil
	}
	pf, err := f.db.Forecast(ctx, m.ID, s, now)
	if err != nil {
		return webapp.Forecast{}, false, err
	}
	stage := m.StageAt(now)
	switch pf.Scope.State {
	case store.ForecastExpected:
		r = forecastResult{webapp.Forecast{Date: pf.Scope.Expected, OnTime: !pf.Scope.Late(stage.Deadline)}, true}
	case store.ForecastStalled:
		r = forecastResult{webapp.Forecast{StalledWeeks: pf.Scope.Weeks()}, true}
	}
	f.mu.Lock()
	if f.day == day {
		f.kept[key] = r
	}
	f.mu.Unlock()
	return r.f, r.ok, nil
}
