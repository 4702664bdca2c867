package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/caxbot/caxbot/locales"
)

// Settings are read from the environment, then from flags, which win.
// Every one is listed in `caxbot --help` and the README.
type Settings struct {
	DatabaseURL   string // DATABASE_URL: Postgres; empty means the SQLite file in DataDir
	DataDir       string // CAXBOT_DATA_DIR: where the embedded SQLite file lives
	RedisURL      string // REDIS_URL: shared state; empty means in-process
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
		if err != nil || u.Scheme != "https" || u.Host == "" {
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
	return nil
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
