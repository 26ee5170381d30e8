package config

import (
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsAreTheEmbeddedProduct(t *testing.T) {
	c, err := Load(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.RateLimit != 100 || c.RateWindow != time.Minute || c.AccessTokenTTL != 15*time.Minute {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if c.IsPostgres() || c.StoreURL() != "sqlite:data/pathavana.db" || !c.AutoMigrate() {
		t.Fatalf("default store must be an auto-migrated SQLite file, got %q", c.StoreURL())
	}
}

func TestPostgresNeedsExplicitMigrateAndSharedSecret(t *testing.T) {
	c, err := Load(envOf(map[string]string{"PATHAVANA_DATABASE_URL": "postgres://u:pw@db/pathavana"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.AutoMigrate() {
		t.Fatal("PostgreSQL must not migrate unless told to")
	}
	_, err = Load(envOf(map[string]string{"PATHAVANA_DATABASE_URL": "postgres://db/x", "PATHAVANA_ENV": "production"}))
	if err == nil || !strings.Contains(err.Error(), "PATHAVANA_JWT_SECRETS") {
		t.Fatalf("production without JWT secrets must fail, got %v", err)
	}
}

func TestEveryBadValueIsReported(t *testing.T) {
	_, err := Load(envOf(map[string]string{
		"PATHAVANA_RATE_LIMIT":       "lots",
		"PATHAVANA_ACCESS_TOKEN_TTL": "forever",
		"PATHAVANA_TRUSTED_PROXIES":  "10.0.0.0/8, not-an-ip",
		"PATHAVANA_EMBED_WORKER":     "maybe",
	}))
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{"PATHAVANA_RATE_LIMIT", "PATHAVANA_ACCESS_TOKEN_TTL", "not-an-ip", "PATHAVANA_EMBED_WORKER"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
	_, err = Load(envOf(map[string]string{"PATHAVANA_CORS_ORIGINS": "https://ok.example, https://bad.example/path", "PATHAVANA_TLS_CERT_FILE": "c.pem"}))
	if err == nil || !strings.Contains(err.Error(), "bad.example") || !strings.Contains(err.Error(), "TLS") {
		t.Fatalf("validation errors missing: %v", err)
	}
}

func TestTrustedProxiesAcceptAddressesAndPrefixes(t *testing.T) {
	c, err := Load(envOf(map[string]string{"PATHAVANA_TRUSTED_PROXIES": "10.0.0.0/8,127.0.0.1,::1"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 3 || c.TrustedProxies[1].Bits() != 32 || c.TrustedProxies[2].Bits() != 128 {
		t.Fatalf("proxies = %v", c.TrustedProxies)
	}
}

func TestRedactedHidesSecrets(t *testing.T) {
	c, err := Load(envOf(map[string]string{
		"PATHAVANA_DATABASE_URL":         "postgres://app:hunter2hunter2@db:5432/p",
		"PATHAVANA_REDIS_URL":            "redis://:redispass@cache:6379/0",
		"PATHAVANA_JWT_SECRETS":          "k2:supersecretsupersecretsupersecret",
		"PATHAVANA_SMTP_PASSWORD":        "smtp-pass",
		"PATHAVANA_GOOGLE_CLIENT_ID":     "cid",
		"PATHAVANA_GOOGLE_CLIENT_SECRET": "gsecret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	r := c.Redacted()
	dump := strings.Join([]string{r.DatabaseURL, r.RedisURL, r.JWTSecrets[0], r.SMTPPassword, r.GoogleClientSecret}, " ")
	for _, secret := range []string{"hunter2", "redispass", "supersecret", "smtp-pass", "gsecret"} {
		if strings.Contains(dump, secret) {
			t.Errorf("redacted config still holds %q: %s", secret, dump)
		}
	}
	if r.JWTSecrets[0] != "k2:[redacted]" || c.JWTSecrets[0] == r.JWTSecrets[0] {
		t.Errorf("key id must stay visible and the original untouched: %v / %v", r.JWTSecrets, c.JWTSecrets)
	}
}
