package config

import (
	"strings"
	"testing"
)

func TestPIIKeySettings(t *testing.T) {
	key, idx := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="
	c, err := Load(envOf(map[string]string{"PATHAVANA_PII_KEYS": "new:" + key + ", old:" + key, "PATHAVANA_PII_INDEX_KEY": idx}))
	if err != nil || len(c.PIIKeys) != 2 || !c.PIIKeysConfigured() {
		t.Fatalf("keys = %v, %v", c.PIIKeys, err)
	}
	r := c.Redacted()
	if r.PIIKeys[0] != "new:[redacted]" || r.PIIIndexKey != "[redacted]" || strings.Contains(strings.Join(r.PIIKeys, ","), key) {
		t.Fatalf("redacted = %v %q", r.PIIKeys, r.PIIIndexKey)
	}
	if c.PIIKeys[0] == r.PIIKeys[0] {
		t.Fatal("redaction changed the original")
	}
	for name, env := range map[string]map[string]string{
		"keys without index":  {"PATHAVANA_PII_KEYS": "k:" + key},
		"index without keys":  {"PATHAVANA_PII_INDEX_KEY": idx},
		"both keys and file":  {"PATHAVANA_PII_KEYS": "k:" + key, "PATHAVANA_PII_KEYS_FILE": "/run/keys", "PATHAVANA_PII_INDEX_KEY": idx},
		"replicas, generated": {"PATHAVANA_ENV": "production", "PATHAVANA_DATABASE_URL": "postgres://db/p", "PATHAVANA_JWT_SECRETS": "k:0123456789abcdef0123456789abcdef"},
	} {
		if _, err := Load(envOf(env)); err == nil || !strings.Contains(err.Error(), "PATHAVANA_PII") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if c, err := Load(envOf(nil)); err != nil || c.PIIKeysConfigured() {
		t.Fatalf("embedded default: %v", err)
	}
}
