// Package config turns PATHAVANA_* environment variables into a validated
// Config. It reads nothing global: Load takes a getenv function so tests and
// the CLI pass exactly the environment they mean.
package config

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the whole effective configuration of a pathavana process.
type Config struct {
	Addr        string // listen address, ":8080"
	MetricsAddr string // optional separate listener for /metrics; empty = main listener
	PublicURL   string // where users reach the product; used in email links
	DataDir     string // embedded-mode files (SQLite, generated secrets)

	DatabaseURL  string // "" = SQLite file in DataDir
	DBMaxConns   int
	Migrate      string // "auto" (SQLite: yes, PostgreSQL: no), "true", "false"
	RedisURL     string // "" = in-process cache, limiter and revocations
	RedisPrefix  string
	EmbedWorker  bool // run the job worker inside serve (one-command mode)
	LogLevel     string
	LogFormat    string
	Environment  string // development, staging, production
	TLSCertFile  string
	TLSKeyFile   string
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	// ShutdownTimeout bounds how long in-flight requests may drain.
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64

	RateLimit       int           // requests per RateWindow per client IP
	AuthRateLimit   int           // stricter limit on sign-in, sign-up and reset endpoints
	RateWindow      time.Duration // window for both limits
	TrustedProxies  []netip.Prefix
	CORSOrigins     []string
	JWTSecrets      []string // "kid:secret" or "secret"; first signs
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration
	LockoutAfter    int           // failed sign-ins before the account locks
	LockoutBase     time.Duration // first lock; doubles per further failure
	LockoutMax      time.Duration
	UserCacheTTL    time.Duration // how long a replica may serve a cached GET /me; 0 = off

	MailFrom     string
	SMTPHost     string // "" = log mailer
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string
	SMTPImplicit bool // TLS from the first byte (port 465) instead of STARTTLS

	GoogleClientID     string
	GoogleClientSecret string
	GoogleIssuer       string

	// Travel inventory and providers.
	Sandbox             bool          // the generated world inventory under imported catalogs
	CatalogReload       time.Duration // how often replicas look for newly imported catalogs
	AmadeusClientID     string        // "" = no Amadeus: the catalog answers every search
	AmadeusClientSecret string
	AmadeusURL          string
	ProviderTimeout     time.Duration // per provider call, retries included

	// PII encryption (travelers). Unset: keys generated into DataDir.
	PIIKeys     []string // "id:base64key", first wraps new data keys, all unwrap
	PIIKeysFile string   // the same list read from a file (a mounted secret)
	PIIIndexKey string   // base64 32-byte blind-index key
}

// Load reads the configuration from getenv, applying the defaults of the
// original infrastructure documents, and validates it.
func Load(getenv func(string) string) (Config, error) {
	e := env{get: getenv}
	c := Config{
		Addr:            e.str("PATHAVANA_ADDR", ":8080"),
		MetricsAddr:     e.str("PATHAVANA_METRICS_ADDR", ""),
		PublicURL:       strings.TrimRight(e.str("PATHAVANA_PUBLIC_URL", "http://localhost:8080"), "/"),
		DataDir:         e.str("PATHAVANA_DATA_DIR", "data"),
		DatabaseURL:     e.str("PATHAVANA_DATABASE_URL", ""),
		DBMaxConns:      e.int("PATHAVANA_DB_MAX_CONNS", 20),
		Migrate:         e.str("PATHAVANA_MIGRATE", "auto"),
		RedisURL:        e.str("PATHAVANA_REDIS_URL", ""),
		RedisPrefix:     e.str("PATHAVANA_REDIS_PREFIX", "pathavana:"),
		EmbedWorker:     e.bool("PATHAVANA_EMBED_WORKER", true),
		LogLevel:        e.str("PATHAVANA_LOG_LEVEL", "info"),
		LogFormat:       e.str("PATHAVANA_LOG_FORMAT", "json"),
		Environment:     e.str("PATHAVANA_ENV", "development"),
		TLSCertFile:     e.str("PATHAVANA_TLS_CERT_FILE", ""),
		TLSKeyFile:      e.str("PATHAVANA_TLS_KEY_FILE", ""),
		ReadTimeout:     e.dur("PATHAVANA_READ_TIMEOUT", 15*time.Second),
		WriteTimeout:    e.dur("PATHAVANA_WRITE_TIMEOUT", 60*time.Second),
		IdleTimeout:     e.dur("PATHAVANA_IDLE_TIMEOUT", 120*time.Second),
		ShutdownTimeout: e.dur("PATHAVANA_SHUTDOWN_TIMEOUT", 25*time.Second),
		MaxBodyBytes:    int64(e.int("PATHAVANA_MAX_BODY_BYTES", 1<<20)),
		RateLimit:       e.int("PATHAVANA_RATE_LIMIT", 100),
		AuthRateLimit:   e.int("PATHAVANA_AUTH_RATE_LIMIT", 10),
		RateWindow:      e.dur("PATHAVANA_RATE_WINDOW", time.Minute),
		CORSOrigins:     e.list("PATHAVANA_CORS_ORIGINS"),
		JWTSecrets:      e.list("PATHAVANA_JWT_SECRETS"),
		AccessTokenTTL:  e.dur("PATHAVANA_ACCESS_TOKEN_TTL", 15*time.Minute),
		RefreshTokenTTL: e.dur("PATHAVANA_REFRESH_TOKEN_TTL", 30*24*time.Hour),
		LockoutAfter:    e.int("PATHAVANA_LOCKOUT_AFTER", 5),
		LockoutBase:     e.dur("PATHAVANA_LOCKOUT_BASE", time.Minute),
		LockoutMax:      e.dur("PATHAVANA_LOCKOUT_MAX", time.Hour),
		UserCacheTTL:    e.dur("PATHAVANA_USER_CACHE_TTL", 5*time.Second),
		MailFrom:        e.str("PATHAVANA_MAIL_FROM", "Pathavana <no-reply@pathavana.local>"),
		SMTPHost:        e.str("PATHAVANA_SMTP_HOST", ""),
		SMTPPort:        e.int("PATHAVANA_SMTP_PORT", 587),
		SMTPUsername:    e.str("PATHAVANA_SMTP_USERNAME", ""),
		SMTPPassword:    e.str("PATHAVANA_SMTP_PASSWORD", ""),
		SMTPImplicit:    e.bool("PATHAVANA_SMTP_IMPLICIT_TLS", false),

		GoogleClientID:     e.str("PATHAVANA_GOOGLE_CLIENT_ID", ""),
		GoogleClientSecret: e.str("PATHAVANA_GOOGLE_CLIENT_SECRET", ""),
		GoogleIssuer:       e.str("PATHAVANA_GOOGLE_ISSUER", "https://accounts.google.com"),

		Sandbox:             e.bool("PATHAVANA_SANDBOX", true),
		CatalogReload:       e.dur("PATHAVANA_CATALOG_RELOAD", 30*time.Second),
		AmadeusClientID:     e.str("PATHAVANA_AMADEUS_CLIENT_ID", ""),
		AmadeusClientSecret: e.str("PATHAVANA_AMADEUS_CLIENT_SECRET", ""),
		AmadeusURL:          strings.TrimRight(e.str("PATHAVANA_AMADEUS_URL", "https://test.api.amadeus.com"), "/"),
		ProviderTimeout:     e.dur("PATHAVANA_PROVIDER_TIMEOUT", 8*time.Second),

		PIIKeys:     e.list("PATHAVANA_PII_KEYS"),
		PIIKeysFile: e.str("PATHAVANA_PII_KEYS_FILE", ""),
		PIIIndexKey: e.str("PATHAVANA_PII_INDEX_KEY", ""),
	}
	for _, p := range e.list("PATHAVANA_TRUSTED_PROXIES") {
		prefix, err := parsePrefix(p)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("PATHAVANA_TRUSTED_PROXIES: %q is not an IP or CIDR", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix)
	}
	if err := errors.Join(e.errs...); err != nil {
		return Config{}, err
	}
	return c, c.Validate()
}

// Validate reports every inconsistent setting at once.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("PATHAVANA_PUBLIC_URL must be an absolute http(s) URL, got %q", c.PublicURL)
	}
	switch c.Migrate {
	case "auto", "true", "false":
	default:
		bad("PATHAVANA_MIGRATE must be auto, true or false, got %q", c.Migrate)
	}
	if c.IsPostgres() || c.RedisURL != "" {
		if len(c.JWTSecrets) == 0 && c.Environment != "development" {
			bad("PATHAVANA_JWT_SECRETS is required outside development when replicas share a database: every replica must sign with the same key")
		}
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		bad("PATHAVANA_TLS_CERT_FILE and PATHAVANA_TLS_KEY_FILE must be set together")
	}
	if c.RateLimit < 1 || c.AuthRateLimit < 1 || c.RateWindow <= 0 {
		bad("rate limits must be positive")
	}
	if c.AccessTokenTTL < time.Minute || c.AccessTokenTTL > 24*time.Hour {
		bad("PATHAVANA_ACCESS_TOKEN_TTL must be between 1m and 24h, got %s", c.AccessTokenTTL)
	}
	if c.RefreshTokenTTL < c.AccessTokenTTL {
		bad("PATHAVANA_REFRESH_TOKEN_TTL must be at least PATHAVANA_ACCESS_TOKEN_TTL")
	}
	if c.MaxBodyBytes < 1024 {
		bad("PATHAVANA_MAX_BODY_BYTES must be at least 1024")
	}
	if c.LockoutAfter < 1 || c.LockoutBase <= 0 || c.LockoutMax < c.LockoutBase {
		bad("lockout settings must be positive and PATHAVANA_LOCKOUT_MAX ≥ PATHAVANA_LOCKOUT_BASE")
	}
	if c.UserCacheTTL < 0 || c.UserCacheTTL > time.Minute {
		bad("PATHAVANA_USER_CACHE_TTL must be between 0 (off) and 1m, got %s", c.UserCacheTTL)
	}
	if (c.AmadeusClientID == "") != (c.AmadeusClientSecret == "") {
		bad("PATHAVANA_AMADEUS_CLIENT_ID and PATHAVANA_AMADEUS_CLIENT_SECRET must be set together")
	}
	if c.ProviderTimeout < 100*time.Millisecond || c.ProviderTimeout > time.Minute {
		bad("PATHAVANA_PROVIDER_TIMEOUT must be between 100ms and 1m, got %s", c.ProviderTimeout)
	}
	if c.CatalogReload < time.Second {
		bad("PATHAVANA_CATALOG_RELOAD must be at least 1s, got %s", c.CatalogReload)
	}
	if (c.GoogleClientID == "") != (c.GoogleClientSecret == "") {
		bad("PATHAVANA_GOOGLE_CLIENT_ID and PATHAVANA_GOOGLE_CLIENT_SECRET must be set together")
	}
	if c.SMTPHost != "" && (c.SMTPPort < 1 || c.SMTPPort > 65535) {
		bad("PATHAVANA_SMTP_PORT must be a TCP port")
	}
	if len(c.PIIKeys) > 0 && c.PIIKeysFile != "" {
		bad("set PATHAVANA_PII_KEYS or PATHAVANA_PII_KEYS_FILE, not both")
	}
	if (len(c.PIIKeys) > 0 || c.PIIKeysFile != "") != (c.PIIIndexKey != "") {
		bad("PATHAVANA_PII_INDEX_KEY must be set together with PATHAVANA_PII_KEYS or PATHAVANA_PII_KEYS_FILE")
	}
	// Keys generated into one replica's data directory would make every
	// other replica unable to read travelers.
	if (c.IsPostgres() || c.RedisURL != "") && c.Environment != "development" && !c.PIIKeysConfigured() {
		bad("PATHAVANA_PII_KEYS (or PATHAVANA_PII_KEYS_FILE) and PATHAVANA_PII_INDEX_KEY are required outside development when replicas share a database")
	}
	for _, o := range c.CORSOrigins {
		if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
			bad("PATHAVANA_CORS_ORIGINS: %q is not an origin like https://app.example.com", o)
		}
	}
	return errors.Join(errs...)
}

// PIIKeysConfigured reports whether PII keys come from the environment
// rather than being generated into the data directory.
func (c Config) PIIKeysConfigured() bool {
	return (len(c.PIIKeys) > 0 || c.PIIKeysFile != "") && c.PIIIndexKey != ""
}

// IsPostgres reports whether the database is PostgreSQL rather than the
// embedded SQLite file.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// StoreURL is the database URL to open: the configured one, or the
// embedded SQLite file under DataDir.
func (c Config) StoreURL() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return "sqlite:" + filepath.Join(c.DataDir, "pathavana.db")
}

// AutoMigrate says whether serve applies pending migrations at start.
func (c Config) AutoMigrate() bool {
	if c.Migrate == "auto" {
		return !c.IsPostgres()
	}
	return c.Migrate == "true"
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// env reads typed values and collects every parse error.
type env struct {
	get  func(string) string
	errs []error
}

func (e *env) str(key, def string) string {
	if v := strings.TrimSpace(e.get(key)); v != "" {
		return v
	}
	return def
}

func (e *env) int(key string, def int) int {
	v := e.str(key, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not a whole number", key, v))
	}
	return n
}

func (e *env) bool(key string, def bool) bool {
	v := e.str(key, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not true or false", key, v))
	}
	return b
}

func (e *env) dur(key string, def time.Duration) time.Duration {
	v := e.str(key, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not a duration like 15m or 30s", key, v))
	}
	return d
}

func (e *env) list(key string) []string {
	var out []string
	for _, p := range strings.Split(e.get(key), ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
