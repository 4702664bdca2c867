package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/caxbot/caxbot/cmd/caxbot/bench"
)

// runBench runs the load benchmark, or with "jobs" the national jobs
// benchmark (package bench), on the settings' backends:
//
//	caxbot bench [--roster FILE --users N --clients N --duration D --rounds N --updates N --cpuprofile FILE]
//	caxbot bench jobs [--roster FILE --cpuprofile FILE]
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
	words, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(words) == 1 && words[0] == "jobs" {
		binary, err := os.Executable()
		if err != nil {
			return fmt.Errorf("caxbot: bench: %w", err)
		}
		return bench.Jobs(ctx, m.benchEnv(), bench.JobsOptions{Roster: opt.Roster, Binary: binary, CPUProfile: opt.CPUProfile})
	}
	if len(words) > 0 {
		fmt.Fprintln(m.Stderr, m.Printer.T("cmd.extra_words", strings.Join(words, " ")))
		fs.Usage()
		return errUsage
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
		BotUsername:  m.username(),
		Catalog:      m.Catalog,
		Printer:      m.Printer,
		Loc:          m.Loc,
		Stdout:       m.Stdout,
		Logger:       m.newLogger(slog.LevelError),
	}
}
