package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/caxbot/caxbot/bot/webapp"
)

// serveApp keeps the demo's world (its store, its bot over the local Bot
// API server, its clock stopped at the end of the window) and serves the
// Mini App on d.serveAddr until ctx ends. A desktop browser has no
// Telegram to sign its initData, so the app's /demo page signs it for
// the scenario's people with the local server's token.
func (d *demo) serveApp(ctx context.Context) error {
	m := d.m
	var people []webapp.DemoUser
	for _, who := range d.people {
		people = append(people, webapp.DemoUser{ID: who.user.ID, Name: who.user.FirstName, Label: who.label})
	}
	app, err := m.newWebApp(d.local.srv.Token, webapp.Options{Demo: people, MaxAge: m.Settings.WebAppMaxAge})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mountWebApp(mux, "/app/", app)
	mux.Handle("GET /{$}", http.RedirectHandler("/app/demo", http.StatusFound))
	ln, err := net.Listen("tcp", d.serveAddr)
	if err != nil {
		return fmt.Errorf("caxbot: listen %s: %w", d.serveAddr, err)
	}
	srv := newHTTPServer(mux, m.httpLimits(), m.Logger)
	fmt.Fprintln(m.Stdout, m.Printer.T("demo.serving", "http://"+ln.Addr().String()+"/app/demo"))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-done:
		return err
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
