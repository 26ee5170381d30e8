package telemetry

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// jobQueueTimeout bounds the queue count query run at scrape time, so a slow
// or locked database delays a scrape by at most this much instead of making
// Prometheus time out and lose every other metric.
const jobQueueTimeout = 2 * time.Second

// RegisterDBStats exports the connection-pool statistics of one database
// handle as pathavana_db_* with an engine label. stats (normally
// (*sql.DB).Stats) is called at scrape time, so the values are always current
// and nothing polls in the background.
//
// It returns an error if the engine is already registered on m; callers that
// ignore the result still compile, but should not.
func (m *Metrics) RegisterDBStats(engine string, stats func() sql.DBStats) error {
	// engine is a constant label (not a variable one) so that several
	// collectors, one per engine, can coexist in one registry.
	labels := prometheus.Labels{"engine": engine}
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("pathavana_db_"+name, help, nil, labels)
	}
	c := &dbStatsCollector{
		stats:     stats,
		open:      desc("open_connections", "Established connections, in use or idle."),
		inUse:     desc("in_use_connections", "Connections currently in use."),
		idle:      desc("idle_connections", "Idle connections in the pool."),
		maxOpen:   desc("max_open_connections", "Configured pool size limit (0 = unlimited)."),
		waitCount: desc("wait_count_total", "Times a caller waited for a free connection."),
		waitSecs:  desc("wait_seconds_total", "Total time callers waited for a free connection."),
	}
	if err := m.reg.Register(c); err != nil {
		return fmt.Errorf("telemetry: register db stats for %q: %w", engine, err)
	}
	return nil
}

type dbStatsCollector struct {
	stats                                           func() sql.DBStats
	open, inUse, idle, maxOpen, waitCount, waitSecs *prometheus.Desc
}

func (c *dbStatsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.open, c.inUse, c.idle, c.maxOpen, c.waitCount, c.waitSecs} {
		ch <- d
	}
}

func (c *dbStatsCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	ch <- prometheus.MustNewConstMetric(c.open, prometheus.GaugeValue, float64(s.OpenConnections))
	ch <- prometheus.MustNewConstMetric(c.inUse, prometheus.GaugeValue, float64(s.InUse))
	ch <- prometheus.MustNewConstMetric(c.idle, prometheus.GaugeValue, float64(s.Idle))
	ch <- prometheus.MustNewConstMetric(c.maxOpen, prometheus.GaugeValue, float64(s.MaxOpenConnections))
	ch <- prometheus.MustNewConstMetric(c.waitCount, prometheus.CounterValue, float64(s.WaitCount))
	ch <- prometheus.MustNewConstMetric(c.waitSecs, prometheus.CounterValue, s.WaitDuration.Seconds())
}

// RegisterJobQueue exports pathavana_jobs{state} (queued, running, failed,
// … whatever states counts returns) read at scrape time. counts gets a
// context with a short timeout; if it fails the gauge is simply absent from
// that scrape — a missing series is what alerting on absent() expects, and
// logging here would spam once per scrape.
//
// It returns an error if a job queue is already registered on m.
func (m *Metrics) RegisterJobQueue(counts func(ctx context.Context) (map[string]int, error)) error {
	c := &jobQueueCollector{
		counts:  counts,
		timeout: jobQueueTimeout,
		desc: prometheus.NewDesc("pathavana_jobs",
			"Jobs in the queue, by state, read at scrape time.", []string{"state"}, nil),
	}
	if err := m.reg.Register(c); err != nil {
		return fmt.Errorf("telemetry: register job queue: %w", err)
	}
	return nil
}

type jobQueueCollector struct {
	counts  func(ctx context.Context) (map[string]int, error)
	timeout time.Duration
	desc    *prometheus.Desc
}

func (c *jobQueueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *jobQueueCollector) Collect(ch chan<- prometheus.Metric) {
	// Collect has no context of its own; the scrape's request context is not
	// passed through by promhttp, so bound the query independently.
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	counts, err := c.counts(ctx)
	if err != nil {
		return
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), state)
	}
}
