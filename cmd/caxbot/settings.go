package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
)

// Settings are read from the environment, then from flags, which win.
// Every one is listed in `caxbot --help` and the README.
type Settings struct {
	DatabaseURL   string // DATABASE_URL: Postgres; empty means the SQLite file in DataDir
	DataDir       string // CAXBOT_DATA_DIR: where the embedded SQLite file lives
	RedisURL      string // REDIS_URL: shared state; empty means in-process
	RedisPrefix   string // CAXBOT_REDIS_PREFIX: start of every shared-state key, to share one Redis
	Token         string // TELEGRAM_BOT_TOKEN
	BotUsername   string // CAXBOT_BOT_USERNAME: for invitation links
	TelegramAPI   string // CAXBOT_TELEGRAM_API: Bot API base URL
	WebhookURL    string // CAXBOT_WEBHOOK_URL: public HTTPS URL Telegram posts updates to
	WebhookSecret string // CAXBOT_WEBHOOK_SECRET
	Listen        string // CAXBOT_LISTEN: address of the HTTP server (webhook, health)
	ProvinceCode  string // CAXBOT_PROVINCE_CODE: for rosters without province columns
	ProvinceName  string // CAXBOT_PROVINCE_NAME
	PlanFile      string // CAXBOT_PLAN_FILE: empty means the embedded seed plan
	Lang          string // CAXBOT_LANG: language of the command line's output
	LogLevel      string // CAXBOT_LOG_LEVEL: debug, info, warn, error
	RemindSpec    string // CAXBOT_REMIND_SPEC: cron spec of the daily reminders
	DigestSpec    string // CAXBOT_DIGEST_SPEC: cron spec of the weekly digest
	DigestChat    string // CAXBOT_DIGEST_CHAT: a group chat that also gets the digest
	HolidaysFile  string // CAXBOT_HOLIDAYS_FILE: extra or changed days off
	SendHours     string // CAXBOT_SEND_HOURS: when reminders may go out, "07:00-20:00"
	CatchUp       string // CAXBOT_CATCH_UP: missed occasions older than this are dropped
	RetentionDays string // CAXBOT_RETENTION_DAYS: sent messages keep payload and deliveries this long
	InviteTTL     time.Duration
}

// setting describes one setting for the environment, the flags and --help.
type setting struct {
	env, flag string
	def       string
	help      string // catalog key of the description
	dst       *string
}

func (s *Settings) table() []setting {
	return []setting{
		{"DATABASE_URL", "database-url", "", "setting.database_url", &s.DatabaseURL},
		{"CAXBOT_DATA_DIR", "data-dir", ".", "setting.data_dir", &s.DataDir},
		{"REDIS_URL", "redis-url", "", "setting.redis_url", &s.RedisURL},
		{"CAXBOT_REDIS_PREFIX", "redis-prefix", "caxbot:", "setting.redis_prefix", &s.RedisPrefix},
		{"TELEGRAM_BOT_TOKEN", "token", "", "setting.token", &s.Token},
		{"CAXBOT_BOT_USERNAME", "bot-username", "caxbot_bot", "setting.bot_username", &s.BotUsername},
		{"CAXBOT_TELEGRAM_API", "telegram-api", "https://api.telegram.org", "setting.telegram_api", &s.TelegramAPI},
		{"CAXBOT_WEBHOOK_URL", "webhook-url", "", "setting.webhook_url", &s.WebhookURL},
		{"CAXBOT_WEBHOOK_SECRET", "webhook-secret", "", "setting.webhook_secret", &s.WebhookSecret},
		{"CAXBOT_LISTEN", "listen", ":8080", "setting.listen", &s.Listen},
		{"CAXBOT_PROVINCE_CODE", "province-code", "17", "setting.province_code", &s.ProvinceCode},
		{"CAXBOT_PROVINCE_NAME", "province-name", "Hòa Bình", "setting.province_name", &s.ProvinceName},
		{"CAXBOT_PLAN_FILE", "plan-file", "", "setting.plan_file", &s.PlanFile},
		{"CAXBOT_LANG", "lang", locales.Default, "setting.lang", &s.Lang},
		{"CAXBOT_LOG_LEVEL", "log-level", "", "setting.log_level", &s.LogLevel},
		{"CAXBOT_REMIND_SPEC", "remind-spec", "30 7 * * *", "setting.remind_spec", &s.RemindSpec},
		{"CAXBOT_DIGEST_SPEC", "digest-spec", "30 7 * * 1", "setting.digest_spec", &s.DigestSpec},
		{"CAXBOT_DIGEST_CHAT", "digest-chat", "", "setting.digest_chat", &s.DigestChat},
		{"CAXBOT_HOLIDAYS_FILE", "holidays-file", "", "setting.holidays_file", &s.HolidaysFile},
		{"CAXBOT_SEND_HOURS", "send-hours", "07:00-20:00", "setting.send_hours", &s.SendHours},
		{"CAXBOT_CATCH_UP", "catch-up", "72h", "setting.catch_up", &s.CatchUp},
		{"CAXBOT_RETENTION_DAYS", "retention-days", "90", "setting.retention_days", &s.RetentionDays},
	}
}

// inviteTTLEnv is the one setting that is not a string.
const inviteTTLEnv = "CAXBOT_INVITE_TTL"

// register adds every setting to fs, with defaults taken from the
// environment, so that a flag given on the command line wins.
func (s *Settings) register(fs *flag.FlagSet, getenv func(string) string, p *locales.Printer) {
	for _, st := range s.table() {
		def := st.def
		if v := getenv(st.env); v != "" {
			def = v
		}
		fs.StringVar(st.dst, st.flag, def, p.T(st.help, st.env))
	}
	ttl := 72 * time.Hour
	if v := getenv(inviteTTLEnv); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			ttl = d
		} else {
			ttl = -1 // reported by validate, with the variable's name
		}
	}
	fs.DurationVar(&s.InviteTTL, "invite-ttl", ttl, p.T("setting.invite_ttl", inviteTTLEnv))
}

var provinceCodeRE = regexp.MustCompile(`^[0-9]{2}$`)

// validate returns the first wrong setting as one clear line.
func (s *Settings) validate(c *locales.Catalog, p *locales.Printer) error {
	bad := func(name, value, why string) error {
		return fmt.Errorf("%s", p.T("setting.invalid", name, value, why))
	}
	if s.DatabaseURL != "" {
		u, err := url.Parse(s.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return bad("DATABASE_URL", redact(s.DatabaseURL), p.T("setting.want_postgres_url"))
		}
	}
	if s.RedisURL != "" {
		u, err := url.Parse(s.RedisURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			return bad("REDIS_URL", redact(s.RedisURL), p.T("setting.want_redis_url"))
		}
	}
	if s.DataDir == "" {
		return bad("CAXBOT_DATA_DIR", s.DataDir, p.T("setting.want_dir"))
	}
	if s.WebhookURL != "" {
		u, err := url.Parse(s.WebhookURL)
		// Telegram posts only to HTTPS; plain HTTP is allowed on loopback,
		// behind a local TLS proxy or for a local Bot API server.
		if err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname())) {
			return bad("CAXBOT_WEBHOOK_URL", s.WebhookURL, p.T("setting.want_https_url"))
		}
		if len(s.WebhookSecret) < 16 || !secretRE.MatchString(s.WebhookSecret) {
			return bad("CAXBOT_WEBHOOK_SECRET", "…", p.T("setting.want_secret"))
		}
	}
	if u, err := url.Parse(s.TelegramAPI); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return bad("CAXBOT_TELEGRAM_API", s.TelegramAPI, p.T("setting.want_http_url"))
	}
	if !provinceCodeRE.MatchString(s.ProvinceCode) {
		return bad("CAXBOT_PROVINCE_CODE", s.ProvinceCode, p.T("setting.want_province_code"))
	}
	if strings.TrimSpace(s.ProvinceName) == "" {
		return bad("CAXBOT_PROVINCE_NAME", s.ProvinceName, p.T("setting.want_name"))
	}
	if !c.Supported(s.Lang) {
		return bad("CAXBOT_LANG", s.Lang, p.T("setting.want_lang", strings.Join(c.Langs(), ", ")))
	}
	if _, err := s.level(); err != nil {
		return bad("CAXBOT_LOG_LEVEL", s.LogLevel, p.T("setting.want_log_level"))
	}
	if s.InviteTTL <= 0 {
		return bad(inviteTTLEnv, "", p.T("setting.want_duration"))
	}
	if !botUsernameRE.MatchString(s.BotUsername) {
		return bad("CAXBOT_BOT_USERNAME", s.BotUsername, p.T("setting.want_bot_username"))
	}
	for _, spec := range []struct{ name, value string }{{"CAXBOT_REMIND_SPEC", s.RemindSpec}, {"CAXBOT_DIGEST_SPEC", s.DigestSpec}} {
		if _, err := cron.ParseStandard(spec.value); err != nil {
			return bad(spec.name, spec.value, p.T("setting.want_cron"))
		}
	}
	if _, err := s.digestChat(); err != nil {
		return bad("CAXBOT_DIGEST_CHAT", s.DigestChat, p.T("setting.want_chat_id"))
	}
	if _, err := s.sendHours(); err != nil {
		return bad("CAXBOT_SEND_HOURS", s.SendHours, p.T("setting.want_hours"))
	}
	if d, err := time.ParseDuration(s.CatchUp); err != nil || d <= 0 {
		return bad("CAXBOT_CATCH_UP", s.CatchUp, p.T("setting.want_duration"))
	}
	if _, err := s.retention(); err != nil {
		return bad("CAXBOT_RETENTION_DAYS", s.RetentionDays, p.T("setting.want_retention_days", minRetentionDays))
	}
	return nil
}

// minRetentionDays keeps last week's digest figures, which the next
// digest compares with, and a fortnight of deliveries to look into.
const minRetentionDays = 14

// retention is how long sent messages keep their payload and deliveries.
func (s *Settings) retention() (time.Duration, error) {
	days, err := strconv.Atoi(s.RetentionDays)
	if err != nil || days < minRetentionDays {
		return 0, fmt.Errorf("retention %q: want whole days, at least %d", s.RetentionDays, minRetentionDays)
	}
	return time.Duration(days) * 24 * time.Hour, nil
}

// digestChat is the group chat id that also gets the digest, 0 for none.
func (s *Settings) digestChat() (int64, error) {
	if s.DigestChat == "" {
		return 0, nil
	}
	return strconv.ParseInt(s.DigestChat, 10, 64)
}

// sendHours parses "07:00-20:00".
func (s *Settings) sendHours() (reminders.Window, error) {
	opening, closing, ok := strings.Cut(s.SendHours, "-")
	if !ok {
		return reminders.Window{}, fmt.Errorf("no '-' in %q", s.SendHours)
	}
	o, err := reminders.ParseTimeOfDay(strings.TrimSpace(opening))
	if err != nil {
		return reminders.Window{}, err
	}
	c, err := reminders.ParseTimeOfDay(strings.TrimSpace(closing))
	if err != nil {
		return reminders.Window{}, err
	}
	if c.Hour*60+c.Minute <= o.Hour*60+o.Minute {
		return reminders.Window{}, fmt.Errorf("%q closes before it opens", s.SendHours)
	}
	return reminders.Window{Open: o, Close: c}, nil
}

// Telegram allows 1-256 characters A-Z a-z 0-9 _ - in a secret token.
var secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Telegram bot usernames: 5-32 characters, ending in "bot".
var botUsernameRE = regexp.MustCompile(`(?i)^[a-z][a-z0-9_]{2,29}bot$`)

// level is the log level; unset, it is "warn", so that administration
// commands print only their results (serve makes it "info").
func (s *Settings) level() (slog.Level, error) {
	if s.LogLevel == "" {
		return slog.LevelWarn, nil
	}
	var l slog.Level
	err := l.UnmarshalText([]byte(s.LogLevel))
	return l, err
}

// sqlitePath is where the embedded store lives when DATABASE_URL is unset.
func (s *Settings) sqlitePath() string { return filepath.Join(s.DataDir, "caxbot.db") }

// redact hides a URL's password so that it never reaches a terminal or log.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "…"
	}
	return u.Redacted()
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
