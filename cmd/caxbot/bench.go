package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/caxbot/caxbot/cmd/caxbot/bench"
)

// runBench runs the load benchmark (package bench) with the settings'
// backends:
//
//	caxbot bench [--roster FILE --users N --clients N --duration D --rounds N --updates N --cpuprofile FILE]
func runBench(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("bench")
	p := m.Printer
	var opt bench.LoadOptions
	fs.StringVar(&opt.Roster, "roster", "../shared/data/vietnam_communes_2020.csv", p.T("flag.bench.roster"))
	fs.IntVar(&opt.Users, "users", 5000, p.T("flag.bench.users"))
	fs.IntVar(&opt.Clients, "clients", 64, p.T("flag.bench.clients"))
	fs.IntVar(&opt.Updates, "updates", 0, p.T("flag.bench.updates"))
	fs.DurationVar(&opt.Duration, "duration", 30*time.Second, p.T("flag.bench.duration"))
	fs.IntVar(&opt.Rounds, "rounds", 3, p.T("flag.bench.rounds"))
	fs.StringVar(&opt.CPUProfile, "cpuprofile", "", p.T("flag.bench.cpuprofile"))
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if opt.Users < 3 || opt.Clients < 1 || opt.Updates < 0 || opt.Duration <= 0 || opt.Rounds < 1 {
		fs.Usage()
		return errUsage
	}
	return bench.Load(ctx, m.benchEnv(), opt)
}

// benchEnv is what the benchmarks take from the settings. The figures are
// the bot's, not the logger's: errors only.
func (m *Main) benchEnv() bench.Env {
	return bench.Env{
		DatabaseURL:  m.Settings.DatabaseURL,
		RedisURL:     m.Settings.RedisURL,
		ProvinceCode: m.Settings.ProvinceCode,
		ProvinceName: m.Settings.ProvinceName,
		BotUsername:  m.Settings.BotUsername,
		Catalog:      m.Catalog,
		Printer:      m.Printer,
		Loc:          m.Loc,
		Stdout:       m.Stdout,
		Logger:       slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	}
}
