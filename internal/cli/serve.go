package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"pathavana/internal/config"
	"pathavana/internal/httpapi"
)

func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlags("serve", e)
	addr := fs.String("addr", "", "listen address (overrides PATHAVANA_ADDR)")
	migrate := fs.String("migrate", "", "apply pending migrations at start: true or false (default: PATHAVANA_MIGRATE, auto = SQLite only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, log, err := loadConfig(e)
	if err != nil {
		return err
	}
	if *addr != "" {
		cfg.Addr = *addr
	}
	if *migrate != "" {
		cfg.Migrate = *migrate
		if err := cfg.Validate(); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	a, err := buildApp(ctx, e, cfg, log, cfg.AutoMigrate())
	if err != nil {
		return err
	}
	defer a.close(context.Background())

	api := httpapi.NewServer(httpapi.Options{Config: cfg, Log: log, Service: a.svc, Limiter: a.cache.Limiter,
		Metrics: a.metrics, TracerProvider: a.tracer, Propagator: a.propagator, Version: Version()})
	servers := []*http.Server{newHTTPServer(cfg.Addr, api.Handler(), cfg)}
	if cfg.MetricsAddr != "" {
		servers = append(servers, newHTTPServer(cfg.MetricsAddr, a.metrics.Handler(), cfg))
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	a.svc.Listen(ctx)
	wg.Go(func() { a.svc.WatchCatalogs(ctx) })
	if cfg.EmbedWorker {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = a.runner.Run(ctx)
		}()
	}
	errc := make(chan error, len(servers))
	for _, srv := range servers {
		ln, err := net.Listen("tcp", srv.Addr)
		if err != nil {
			cancel()
			wg.Wait()
			return fmt.Errorf("listen on %s: %w", srv.Addr, err)
		}
		log.Info("listening", "addr", ln.Addr().String(), "tls", cfg.TLSCertFile != "", "database", string(a.store.Dialect()),
			"cache", a.cache.Kind, "embedded_worker", cfg.EmbedWorker, "version", Version())
		go func(srv *http.Server, tlsOn bool) {
			if tlsOn {
				errc <- srv.ServeTLS(ln, cfg.TLSCertFile, cfg.TLSKeyFile)
			} else {
				errc <- srv.Serve(ln)
			}
		}(srv, cfg.TLSCertFile != "" && srv == servers[0])
	}
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	log.Info("shutting down: draining in-flight requests", "timeout", cfg.ShutdownTimeout.String())
	cancel()
	shutdownCtx, done := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer done()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdownCtx); err != nil {
			log.Warn("shutdown did not finish in time", "addr", srv.Addr, "err", err)
		}
	}
	wg.Wait()
	log.Info("stopped")
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return nil
}

// newHTTPServer applies timeouts against slow clients and TLS 1.2+.
func newHTTPServer(addr string, h http.Handler, cfg config.Config) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
	}
}
