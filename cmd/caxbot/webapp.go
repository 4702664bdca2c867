package main

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/caxbot/caxbot/bot/webapp"
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
	return webapp.New(webapp.Deps{DB: m.DB, Catalog: m.Catalog, Loc: m.Loc, Now: m.Now, Logger: m.Logger,
		Token: token, BotUsername: m.username(), Options: opt})
}

// mountWebApp serves app under path (ending in "/").
func mountWebApp(mux *http.ServeMux, path string, app *webapp.Server) {
	mux.Handle(path, http.StripPrefix(strings.TrimSuffix(path, "/"), app))
}
