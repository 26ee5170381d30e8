package cli

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// runWorker runs background jobs without serving the API, for deployments
// that scale workers separately. With --once it drains due jobs and exits,
// which is what a Kubernetes CronJob wants.
func runWorker(ctx context.Context, e env, args []string) error {
	fs := newFlags("worker", e)
	once := fs.Bool("once", false, "run the jobs that are due now, then exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, log, err := loadConfig(e)
	if err != nil {
		return err
	}
	a, err := buildApp(ctx, e, cfg, log, cfg.AutoMigrate())
	if err != nil {
		return err
	}
	defer a.close(context.Background())
	if *once {
		n, err := a.runner.Drain(ctx)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "ran %d jobs\n", n)
		return err
	}
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.metrics.Handler())
		mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
		srv := newHTTPServer(cfg.MetricsAddr, mux, cfg)
		go func() {
			if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
				log.Error("metrics listener", "err", err)
			}
		}()
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		}()
	}
	return a.runner.Run(ctx)
}
