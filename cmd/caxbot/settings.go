package main

import (
	"errors"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
)

// Settings are read from the environment, then from flags, which win, and
// parsed once into their types. Every one is listed in `caxbot help` and
// the README.
type Settings struct {
	DatabaseURL   string // DATABASE_URL: Postgres; empty means the SQLite file in DataDir
	DataDir       string // CAXBOT_DATA_DIR: where the embedded SQLite file lives
	RedisURL      string // REDIS_URL: shared state; empty means in-process
	RedisPrefix   string // CAXBOT_REDIS_PREFIX: start of every shared-state key, to share one Redis
	Token         string // TELEGRAM_BOT_TOKEN
	BotUsername   string // CAXBOT_BOT_USERNAME: for invitation links; empty: as serve learnt it from getMe
	TelegramAPI   string // CAXBOT_TELEGRAM_API: Bot API base URL
	WebhookURL    string // CAXBOT_WEBHOOK_URL: public HTTPS URL Telegram posts updates to
	WebhookSecret string // CAXBOT_WEBHOOK_SECRET
	Listen        string // CAXBOT_LISTEN: address of the HTTP server (webhook, health)
	ProvinceCode  string // CAXBOT_PROVINCE_CODE: for rosters without province columns
	ProvinceName  string // CAXBOT_PROVINCE_NAME
	PlanFile      string // CAXBOT_PLAN_FILE: empty means the embedded seed plan
	Lang          string // CAXBOT_LANG: language of the command line's output
	LogLevel      slog.Level
	LogLevelSet   bool   // CAXBOT_LOG_LEVEL given; otherwise warn, info for serve, error for chat
	RemindSpec    string // CAXBOT_REMIND_SPEC: cron spec of the daily reminders
	DigestSpec    string // CAXBOT_DIGEST_SPEC: cron spec of the weekly digest
	DigestChat    int64  // CAXBOT_DIGEST_CHAT: a group chat that also gets the digest; 0: none
	HolidaysFile  string // CAXBOT_HOLIDAYS_FILE: extra or changed days off
	Holidays      []reminders.Holiday
	SendHours     reminders.Window // CAXBOT_SEND_HOURS: when reminders may go out
	CatchUp       time.Duration    // CAXBOT_CATCH_UP: missed occasions older than this are dropped
	InviteTTL     time.Duration    // CAXBOT_INVITE_TTL: how long an invitation is valid
	Retention     time.Duration    // CAXBOT_RETENTION_DAYS: sent messages keep payload and deliveries this long
	CheckDays     int              // CAXBOT_CHECK_DAYS: working days a report may wait for its district before the province is told
	MenusPerSync  int              // CAXBOT_MENUS_PER_SYNC: users' command menus waiting in the outbox at most

	// CAXBOT_UPDATE_DEADLINE: how long one update may take, from its
	// arrival to its answer
	UpdateDeadline time.Duration
	// CAXBOT_METRICS_LISTEN: where /metrics is served; empty: on Listen
	MetricsListen string
	// CAXBOT_HTTP_IDLE_TIMEOUT: how long the HTTP server keeps an idle
	// keep-alive connection
	HTTPIdleTimeout time.Duration
	// CAXBOT_WEBAPP_URL: the Mini App's public HTTPS address; empty: no
	// menu button and no app buttons (serve still serves it at /app/)
	WebAppURL string
	// CAXBOT_WEBAPP_MAX_AGE: how old the app's initData may be
	WebAppMaxAge time.Duration
}

// setting is one setting: its variable, its flag, its default and the
// catalog key of its description. set parses a value into its field; a
// wrongValue error says why a value is wrong. A secret's value is never
// shown.
type setting struct {
	env, flag string
	def       string
	help      string
	secret    bool
	set       func(v string) error
}

// wrongValue says why a setting's value is wrong: a catalog key and its
// arguments.
type wrongValue struct {
	key  string
	args []any
}

func (w wrongValue) Error() string { return w.key }

func wrong(key string, args ...any) error { return wrongValue{key, args} }

// table lists every setting. Adding one is one entry here and its field.
func (s *Settings) table(c *locales.Catalog) []setting {
	return []setting{
		{"DATABASE_URL", "database-url", "", "setting.database_url", true, urlOf(&s.DatabaseURL, "setting.want_postgres_url", "postgres", "postgresql")},
		{"CAXBOT_DATA_DIR", "data-dir", ".", "setting.data_dir", false, required(&s.DataDir, "setting.want_dir")},
		{"REDIS_URL", "redis-url", "", "setting.redis_url", true, urlOf(&s.RedisURL, "setting.want_redis_url", "redis", "rediss")},
		{"CAXBOT_REDIS_PREFIX", "redis-prefix", "caxbot:", "setting.redis_prefix", false, text(&s.RedisPrefix)},
		{"TELEGRAM_BOT_TOKEN", "token", "", "setting.token", true, text(&s.Token)},
		{"CAXBOT_BOT_USERNAME", "bot-username", "", "setting.bot_username", false, matching(&s.BotUsername, botUsernameRE, "setting.want_bot_username")},
		{"CAXBOT_TELEGRAM_API", "telegram-api", "https://api.telegram.org", "setting.telegram_api", false, s.setTelegramAPI},
		{"CAXBOT_WEBHOOK_URL", "webhook-url", "", "setting.webhook_url", false, s.setWebhookURL},
		{"CAXBOT_WEBHOOK_SECRET", "webhook-secret", "", "setting.webhook_secret", true, matching(&s.WebhookSecret, secretRE, "setting.want_secret")},
		{"CAXBOT_LISTEN", "listen", ":8080", "setting.listen", false, s.setListen},
		{"CAXBOT_PROVINCE_CODE", "province-code", "17", "setting.province_code", false, matching(&s.ProvinceCode, provinceCodeRE, "setting.want_province_code")},
		{"CAXBOT_PROVINCE_NAME", "province-name", "Hòa Bình", "setting.province_name", false, required(&s.ProvinceName, "setting.want_name")},
		{"CAXBOT_PLAN_FILE", "plan-file", "", "setting.plan_file", false, text(&s.PlanFile)},
		{"CAXBOT_LANG", "lang", locales.Default, "setting.lang", false, func(v string) error {
			if !c.Supported(v) {
				return wrong("setting.want_lang", strings.Join(c.Langs(), ", "))
			}
			s.Lang = v
			return nil
		}},
		{"CAXBOT_LOG_LEVEL", "log-level", "", "setting.log_level", false, s.setLogLevel},
		{"CAXBOT_INVITE_TTL", "invite-ttl", "72h", "setting.invite_ttl", false, duration(&s.InviteTTL)},
		{"CAXBOT_REMIND_SPEC", "remind-spec", "30 7 * * *", "setting.remind_spec", false, cronSpec(&s.RemindSpec)},
		{"CAXBOT_DIGEST_SPEC", "digest-spec", "30 7 * * 1", "setting.digest_spec", false, cronSpec(&s.DigestSpec)},
		{"CAXBOT_DIGEST_CHAT", "digest-chat", "", "setting.digest_chat", false, s.setDigestChat},
		{"CAXBOT_HOLIDAYS_FILE", "holidays-file", "", "setting.holidays_file", false, s.setHolidaysFile},
		{"CAXBOT_SEND_HOURS", "send-hours", "07:00-20:00", "setting.send_hours", false, s.setSendHours},
		{"CAXBOT_CATCH_UP", "catch-up", "72h", "setting.catch_up", false, duration(&s.CatchUp)},
		{"CAXBOT_UPDATE_DEADLINE", "update-deadline", "10s", "setting.update_deadline", false, s.setUpdateDeadline},
		{"CAXBOT_METRICS_LISTEN", "metrics-listen", "", "setting.metrics_listen", false, s.setMetricsListen},
		{"CAXBOT_HTTP_IDLE_TIMEOUT", "http-idle-timeout", "120s", "setting.http_idle_timeout", false, duration(&s.HTTPIdleTimeout)},
		{"CAXBOT_RETENTION_DAYS", "retention-days", "90", "setting.retention_days", false, s.setRetention},
		{"CAXBOT_CHECK_DAYS", "check-days", "3", "setting.check_days", false, s.setCheckDays},
		{"CAXBOT_MENUS_PER_SYNC", "menus-per-sync", "200", "setting.menus_per_sync", false, s.setMenusPerSync},
		{"CAXBOT_WEBAPP_URL", "webapp-url", "", "setting.webapp_url", false, s.setWebAppURL},
		{"CAXBOT_WEBAPP_MAX_AGE", "webapp-max-age", "12h", "setting.webapp_max_age", false, duration(&s.WebAppMaxAge)},
	}
}

// load sets every setting from its flag (flags: by flag name, as given on
// the command line), else its variable, else its default, and returns one
// line per wrong value, in the printer's language.
func (s *Settings) load(c *locales.Catalog, p *locales.Printer, getenv func(string) string, flags map[string]string) []string {
	var bad []string
	for _, st := range s.table(c) {
		v, ok := flags[st.flag]
		if !ok {
			if v = getenv(st.env); v == "" {
				v = st.def
			}
		}
		err := st.set(v)
		var w wrongValue
		if err == nil || !errors.As(err, &w) {
			continue
		}
		shown := v
		switch {
		case st.secret && strings.Contains(v, "://"):
			shown = redact(v)
		case st.secret:
			shown = "…"
		}
		bad = append(bad, p.T("setting.invalid", st.env, shown, p.T(w.key, w.args...)))
	}
	if s.WebhookURL != "" && s.WebhookSecret == "" {
		bad = append(bad, p.T("setting.invalid", "CAXBOT_WEBHOOK_SECRET", "", p.T("setting.want_secret")))
	}
	return bad
}

// flagNames maps each setting's flag to it, to tell settings from a
// command's own flags.
func (s *Settings) flagNames(c *locales.Catalog) map[string]setting {
	out := make(map[string]setting)
	for _, st := range s.table(c) {
		out[st.flag] = st
	}
	return out
}

func text(dst *string) func(string) error {
	return func(v string) error { *dst = v; return nil }
}

func required(dst *string, why string) func(string) error {
	return func(v string) error {
		if strings.TrimSpace(v) == "" {
			return wrong(why)
		}
		*dst = v
		return nil
	}
}

// matching accepts an empty value or one that re matches.
func matching(dst *string, re *regexp.Regexp, why string) func(string) error {
	return func(v string) error {
		if v != "" && !re.MatchString(v) {
			return wrong(why)
		}
		*dst = v
		return nil
	}
}

// urlOf accepts an empty value or a URL of one of the schemes.
func urlOf(dst *string, why string, schemes ...string) func(string) error {
	return func(v string) error {
		if v != "" {
			u, err := url.Parse(v)
			if err != nil || !contains(schemes, u.Scheme) {
				return wrong(why)
			}
		}
		*dst = v
		return nil
	}
}

func duration(dst *time.Duration) func(string) error {
	return func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return wrong("setting.want_duration")
		}
		*dst = d
		return nil
	}
}

func cronSpec(dst *string) func(string) error {
	return func(v string) error {
		if _, err := cron.ParseStandard(v); err != nil {
			return wrong("setting.want_cron")
		}
		*dst = v
		return nil
	}
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

func (s *Settings) setTelegramAPI(v string) error {
	if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return wrong("setting.want_http_url")
	}
	s.TelegramAPI = v
	return nil
}

func (s *Settings) setWebhookURL(v string) error {
	if v != "" {
		u, err := url.Parse(v)
		// Telegram posts only to HTTPS; plain HTTP is allowed on loopback,
		// behind a local TLS proxy or for a local Bot API server.
		if err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname())) {
			return wrong("setting.want_https_url")
		}
	}
	s.WebhookURL = v
	return nil
}

// setWebAppURL takes the Mini App's address: Telegram opens only HTTPS
// ones.
func (s *Settings) setWebAppURL(v string) error {
	if v != "" {
		u, err := url.Parse(v)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return wrong("setting.want_webapp_url")
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		v = u.String()
	}
	s.WebAppURL = v
	return nil
}

func (s *Settings) setListen(v string) error {
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		return wrong("setting.want_listen")
	}
	s.Listen = v
	return nil
}

func (s *Settings) setLogLevel(v string) error {
	s.LogLevelSet = v != ""
	if v == "" {
		// Administration commands print only their results; serve makes
		// it info.
		s.LogLevel = slog.LevelWarn
		return nil
	}
	if err := s.LogLevel.UnmarshalText([]byte(v)); err != nil {
		return wrong("setting.want_log_level")
	}
	return nil
}

// minRetentionDays keeps last week's digest figures, which the next
// digest compares with, and a fortnight of deliveries to look into.
const minRetentionDays = 14

func (s *Settings) setRetention(v string) error {
	days, err := strconv.Atoi(v)
	if err != nil || days < minRetentionDays {
		return wrong("setting.want_retention_days", minRetentionDays)
	}
	s.Retention = time.Duration(days) * 24 * time.Hour
	return nil
}

// setCheckDays reads the working days a report may wait for its
// district: at least one, at most a month of them.
func (s *Settings) setCheckDays(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 22 {
		return wrong("setting.want_check_days")
	}
	s.CheckDays = n
	return nil
}

// maxMenusPerSync bounds CAXBOT_MENUS_PER_SYNC.
const maxMenusPerSync = 10000

// setMenusPerSync reads how many users' menus may wait in the outbox: at
// least one, and no more than a sync's outbox transaction should hold.
func (s *Settings) setMenusPerSync(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxMenusPerSync {
		return wrong("setting.want_menus_per_sync", maxMenusPerSync)
	}
	s.MenusPerSync = n
	return nil
}

// maxUpdateDeadline keeps the update deadline well under Telegram's
// webhook timeout (about a minute): an update given up must be answered
// 500 before Telegram gives up on it.
const maxUpdateDeadline = 50 * time.Second

func (s *Settings) setUpdateDeadline(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Second || d > maxUpdateDeadline {
		return wrong("setting.want_update_deadline")
	}
	s.UpdateDeadline = d
	return nil
}

// setMetricsListen takes an address of its own for /metrics. The settings
// are set in the table's order, so Listen is known here.
func (s *Settings) setMetricsListen(v string) error {
	s.MetricsListen = v
	if v == "" {
		return nil
	}
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" || v == s.Listen {
		return wrong("setting.want_metrics_listen")
	}
	return nil
}

func (s *Settings) setDigestChat(v string) error {
	if v == "" {
		s.DigestChat = 0
		return nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id == 0 {
		return wrong("setting.want_chat_id")
	}
	s.DigestChat = id
	return nil
}

// setHolidaysFile reads the holidays file at once, so that a mistake in
// it stops every command with its line, not the scheduler days later.
func (s *Settings) setHolidaysFile(v string) error {
	s.HolidaysFile, s.Holidays = v, nil
	if v == "" {
		return nil
	}
	f, err := os.Open(v)
	if err != nil {
		return wrong("setting.want_holidays_file")
	}
	defer f.Close()
	days, err := reminders.ParseHolidays(f)
	var he *reminders.HolidaysError
	switch {
	case errors.As(err, &he):
		return wrong("setting.holidays_line", strconv.Itoa(he.Line), he.Value)
	case err != nil:
		return wrong("setting.want_holidays_file")
	}
	s.Holidays = days
	return nil
}

// setSendHours parses "07:00-20:00".
func (s *Settings) setSendHours(v string) error {
	opening, closing, ok := strings.Cut(v, "-")
	if !ok {
		return wrong("setting.want_hours")
	}
	o, err := reminders.ParseTimeOfDay(strings.TrimSpace(opening))
	if err != nil {
		return wrong("setting.want_hours")
	}
	c, err := reminders.ParseTimeOfDay(strings.TrimSpace(closing))
	if err != nil || c.Hour*60+c.Minute <= o.Hour*60+o.Minute {
		return wrong("setting.want_hours")
	}
	s.SendHours = reminders.Window{Open: o, Close: c}
	return nil
}

var provinceCodeRE = regexp.MustCompile(`^[0-9]{2}$`)

// Telegram allows 1-256 characters A-Z a-z 0-9 _ - in a secret token; we
// ask for at least 16.
var secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{16,256}$`)

// Telegram bot usernames: 5-32 characters, ending in "bot".
var botUsernameRE = regexp.MustCompile(`(?i)^[a-z][a-z0-9_]{2,29}bot$`)

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
