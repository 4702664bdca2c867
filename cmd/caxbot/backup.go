package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/caxbot/caxbot/store"
)

// runBackup writes a consistent copy of the embedded SQLite store, also
// while serve runs:
//
//	caxbot backup FILE
func runBackup(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("backup")
	words, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(words) != 1 {
		fs.Usage()
		return errUsage
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	size, err := m.DB.Backup(ctx, words[0])
	switch {
	case errors.Is(err, store.ErrBackupNotSQLite):
		return userError(m.Printer.T("backup.postgres"))
	case errors.Is(err, os.ErrExist):
		return userError(m.Printer.T("backup.exists", words[0]))
	case err != nil:
		return userError(m.Printer.T("backup.failed", words[0], oneLine(err.Error())))
	}
	fmt.Fprintln(m.Stdout, m.Printer.T("backup.done", words[0], m.Printer.Num(int(size/1024)), m.Settings.sqlitePath()))
	return nil
}

// runHealthcheck asks the local service's /readyz, for a container's
// health check in an image without curl:
//
//	caxbot healthcheck [--url URL]
func runHealthcheck(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("healthcheck")
	target := fs.String("url", "", m.Printer.T("flag.health_url"))
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if *target == "" {
		host, port, _ := net.SplitHostPort(m.Settings.Listen)
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "127.0.0.1"
		}
		*target = "http://" + net.JoinHostPort(host, port) + "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *target, nil)
	if err != nil {
		return cliError(m.Printer.T("health.bad_url", *target))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return userError(m.Printer.T("health.unreachable", *target, oneLine(err.Error())))
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return userError(m.Printer.T("health.not_ready", *target, resp.Status))
	}
	fmt.Fprintln(m.Stdout, m.Printer.T("health.ready", *target))
	return nil
}
