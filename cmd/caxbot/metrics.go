package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/caxbot/caxbot/store"
)

// promMetrics are what /metrics shows of one replica. The bot and reminders
// packages know nothing of Prometheus: they call the hooks below.
type promMetrics struct {
	reg          *prometheus.Registry
	updates      *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	sends        *prometheus.CounterVec
	jobRuns      *prometheus.CounterVec
	floodLimited prometheus.Counter
}

// newMetrics registers the collectors on reg, the outbox's among them,
// which asks db at each scrape.
func newMetrics(reg *prometheus.Registry, db *store.DB, now func() time.Time, log *slog.Logger) *promMetrics {
	m := &promMetrics{
		reg: reg,
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "caxbot_updates_total",
			Help: "Telegram updates by kind (message, callback, other) and outcome (ok, error, refused, duplicate, pending, dropped).",
		}, []string{"kind", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "caxbot_update_duration_seconds",
			Help:    "Time to handle a Telegram update, by kind.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"kind"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "caxbot_outbox_sends_total",
			Help: "Sends of outbox messages to Telegram by result (ok, 429, 403, error).",
		}, []string{"result"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "caxbot_job_runs_total",
			Help: "Scheduled job runs on this replica by job and result (ok, caught_up, skipped, error).",
		}, []string{"job", "result"}),
		floodLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "caxbot_flood_limited_users_total",
			Help: "Times a user reached the flood limit (once per user and window).",
		}),
	}
	reg.MustRegister(m.updates, m.latency, m.sends, m.jobRuns, m.floodLimited,
		outboxCollector{db: db, now: now, log: log},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observeUpdate is bot.Options.Observe.
func (m *promMetrics) observeUpdate(kind, outcome string, took time.Duration) {
	m.updates.WithLabelValues(kind, outcome).Inc()
	m.latency.WithLabelValues(kind).Observe(took.Seconds())
}

// observeSend is reminders.Drainer.OnSend.
func (m *promMetrics) observeSend(result string) { m.sends.WithLabelValues(result).Inc() }

// observeJob is reminders.Scheduler.OnRun.
func (m *promMetrics) observeJob(job, result string) { m.jobRuns.WithLabelValues(job, result).Inc() }

// observeFlood is bot.Options.FloodLimited.
func (m *promMetrics) observeFlood() { m.floodLimited.Inc() }

// handler serves the registry in Prometheus's text format.
func (m *promMetrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

var (
	outboxPendingDesc = prometheus.NewDesc("caxbot_outbox_pending",
		"Outbox items not yet delivered: due (ready to send) or scheduled (due later).", []string{"state"}, nil)
	outboxOldestDesc = prometheus.NewDesc("caxbot_outbox_oldest_due_seconds",
		"How long the oldest due outbox item has waited; 0 when none is due.", nil, nil)
)

// outboxCollector reads the outbox's backlog from the store at each scrape:
// it is shared by every replica, so each reports the same figures.
type outboxCollector struct {
	db  *store.DB
	now func() time.Time
	log *slog.Logger
}

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxPendingDesc
	ch <- outboxOldestDesc
}

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := c.db.OutboxStats(ctx, c.now())
	if err != nil {
		c.log.Warn("metrics: outbox stats", "err", err)
		ch <- prometheus.NewInvalidMetric(outboxPendingDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxPendingDesc, prometheus.GaugeValue, float64(s.Due), "due")
	ch <- prometheus.MustNewConstMetric(outboxPendingDesc, prometheus.GaugeValue, float64(s.Pending-s.Due), "scheduled")
	ch <- prometheus.MustNewConstMetric(outboxOldestDesc, prometheus.GaugeValue, s.Oldest.Seconds())
}
