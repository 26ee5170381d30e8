package cli

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"pathavana/internal/cache"
	"pathavana/internal/config"
	"pathavana/internal/jobs"
	"pathavana/internal/mail"
	"pathavana/internal/oidc"
	"pathavana/internal/secure"
	"pathavana/internal/service"
	"pathavana/internal/store"
	"pathavana/internal/telemetry"
)

// app is the dependency graph shared by serve and worker, built explicitly
// in one place.
type app struct {
	cfg        config.Config
	log        *slog.Logger
	store      *store.DB
	cache      *cache.Backend
	metrics    *telemetry.Metrics
	tracer     trace.TracerProvider
	propagator propagation.TextMapPropagator
	svc        *service.Service
	runner     *jobs.Runner
	closers    []func(context.Context) error
}

func loadConfig(e env) (config.Config, *slog.Logger, error) {
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return cfg, nil, fmt.Errorf("configuration: %w", err)
	}
	log, err := telemetry.NewLogger(e.stderr, cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		return cfg, nil, fmt.Errorf("configuration: %w", err)
	}
	return cfg, log, nil
}

// openStore opens the database and makes sure its schema is current,
// migrating when allowed and refusing to run on an old schema otherwise.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger, migrate bool) (*store.DB, error) {
	db, err := openStoreRaw(ctx, cfg.StoreURL(), cfg.DBMaxConns)
	if err != nil {
		return nil, err
	}
	if migrate {
		applied, err := db.Migrate(ctx)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("migrate database: %w", err)
		}
		if len(applied) > 0 {
			log.Info("database migrated", "applied", applied)
		}
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func openStoreRaw(ctx context.Context, url string, maxConns int) (*store.DB, error) {
	db, err := store.Open(ctx, url, store.Options{MaxOpenConns: maxConns})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

func buildApp(ctx context.Context, e env, cfg config.Config, log *slog.Logger, migrate bool) (*app, error) {
	a := &app{cfg: cfg, log: log}
	ok := false
	defer func() {
		if !ok {
			a.close(context.Background())
		}
	}()
	var err error
	if a.store, err = openStore(ctx, cfg, log, migrate); err != nil {
		return nil, err
	}
	a.closers = append(a.closers, func(context.Context) error { return a.store.Close() })

	if cfg.RedisURL != "" {
		if a.cache, err = cache.NewRedis(ctx, cfg.RedisURL, cfg.RedisPrefix, time.Now); err != nil {
			return nil, fmt.Errorf("connect to Redis: %w", err)
		}
	} else {
		a.cache = cache.NewMemory(time.Now)
	}
	a.closers = append(a.closers, func(context.Context) error { return a.cache.Close() })

	a.metrics = telemetry.NewMetrics(Version())
	if err := a.metrics.RegisterDBStats(string(a.store.Dialect()), a.store.Stats); err != nil {
		return nil, err
	}
	err = a.metrics.RegisterJobQueue(func(ctx context.Context) (map[string]int, error) {
		counts, err := a.store.JobCounts(ctx)
		out := make(map[string]int, len(counts))
		for k, v := range counts {
			out[string(k)] = v
		}
		return out, err
	})
	if err != nil {
		return nil, err
	}
	a.cache.Cache = cache.Observed(a.cache.Cache, a.metrics.CacheLookup)

	// Tracing reads the standard OTEL_* variables.
	tp, shutdown, err := telemetry.SetupTracing(ctx, "pathavana", Version(), e.getenv)
	if err != nil {
		return nil, fmt.Errorf("tracing: %w", err)
	}
	a.closers = append(a.closers, shutdown)
	if e.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || e.getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "" {
		// Only pay for span creation on every request when spans go somewhere.
		a.tracer, a.propagator = tp, telemetry.Propagator()
	}

	keys, err := signingKeys(cfg, log)
	if err != nil {
		return nil, err
	}
	signer, err := secure.NewTokenSigner(keys, cfg.PublicURL, "pathavana-api", time.Now)
	if err != nil {
		return nil, fmt.Errorf("access token keys: %w", err)
	}
	mailer, err := newMailer(cfg, log)
	if err != nil {
		return nil, err
	}
	var google *oidc.Client
	if cfg.GoogleClientID != "" {
		google, err = oidc.New(oidc.Config{IssuerURL: cfg.GoogleIssuer, ClientID: cfg.GoogleClientID,
			ClientSecret: cfg.GoogleClientSecret, RedirectURL: cfg.PublicURL + "/api/v1/auth/oidc/google/callback"})
		if err != nil {
			return nil, fmt.Errorf("google sign-in: %w", err)
		}
	}
	buildCatalog := catalogBuilder(cfg)
	searcher, err := newSearcher(cfg, log)
	if err != nil {
		return nil, err
	}
	pii, err := piiKeys(cfg, log)
	if err != nil {
		return nil, err
	}
	a.svc = service.New(service.Deps{
		Store: a.store, Cache: a.cache, Tokens: signer, Google: google, Mailer: mailer, Log: log,
		Events: a.metrics, Now: time.Now, Search: searcher, BuildCatalog: buildCatalog,
		PII: pii,
		Settings: service.Settings{PublicURL: cfg.PublicURL, AccessTTL: cfg.AccessTokenTTL, RefreshTTL: cfg.RefreshTokenTTL,
			LockoutAfter: cfg.LockoutAfter, LockoutBase: cfg.LockoutBase, LockoutMax: cfg.LockoutMax, UserCacheTTL: cfg.UserCacheTTL,
			CatalogReload: cfg.CatalogReload},
	})
	if _, err := a.svc.ReloadCatalogs(ctx); err != nil {
		return nil, fmt.Errorf("imported catalogs: %w", err)
	}
	a.runner = jobs.NewRunner(a.store, log, jobs.Options{Observer: a.metrics})
	a.svc.RegisterJobs(a.runner)
	ok = true
	return a, nil
}

func (a *app) close(ctx context.Context) {
	for i := len(a.closers) - 1; i >= 0; i-- {
		if err := a.closers[i](ctx); err != nil {
			a.log.Warn("shutdown step failed", "err", err)
		}
	}
}

func newMailer(cfg config.Config, log *slog.Logger) (mail.Mailer, error) {
	if cfg.SMTPHost == "" {
		log.Info("mail goes to the log (set PATHAVANA_SMTP_HOST to send real email)")
		return mail.NewLogMailer(log, cfg.MailFrom), nil
	}
	m, err := mail.NewSMTPMailer(mail.SMTPConfig{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
		Password: cfg.SMTPPassword, From: cfg.MailFrom, ImplicitTLS: cfg.SMTPImplicit})
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return m, nil
}

// signingKeys returns the configured access-token keys. Without any, a key
// is generated once and kept in the data directory, which is right for the
// single-process embedded mode; replicas must share configured keys.
func signingKeys(cfg config.Config, log *slog.Logger) ([]secure.SigningKey, error) {
	var keys []secure.SigningKey
	for i, s := range cfg.JWTSecrets {
		kid, secret, ok := strings.Cut(s, ":")
		if !ok {
			kid, secret = fmt.Sprintf("k%d", i), s
		}
		keys = append(keys, secure.SigningKey{ID: kid, Secret: []byte(secret)})
	}
	if len(keys) > 0 {
		return keys, nil
	}
	path := filepath.Join(cfg.DataDir, "jwt-secret")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		raw := make([]byte, 48)
		_, _ = rand.Read(raw)
		b = []byte(base64.RawURLEncoding.EncodeToString(raw))
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return nil, fmt.Errorf("store generated signing key: %w", err)
		}
		log.Info("generated an access-token signing key for this machine", "path", path)
	} else if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	return []secure.SigningKey{{ID: "local", Secret: []byte(strings.TrimSpace(string(b)))}}, nil
}
