package testkit_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func TestNewTestStoreIsMigratedAndIsolated(t *testing.T) {
	ctx := context.Background()
	a, b := testkit.NewTestStore(t), testkit.NewTestStore(t)
	for _, db := range []*store.DB{a, b} {
		if err := db.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema: %v", err)
		}
	}
	if err := a.CreateUser(ctx, model.User{ID: "u1", Email: "u1@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetUser(ctx, "u1"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("stores share data: %v", err)
	}
}

func TestForEachStore(t *testing.T) {
	ran := map[string]bool{}
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ran[string(db.Dialect())] = true
		if err := db.CheckSchema(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	if !ran["sqlite"] {
		t.Error("sqlite subtest did not run")
	}
	if os.Getenv(testkit.PostgresURLEnv) != "" && !ran["postgres"] {
		t.Error("postgres subtest did not run although the URL is set")
	}
}

func TestNewTestStorePGDropsSchema(t *testing.T) {
	base := os.Getenv(testkit.PostgresURLEnv)
	if base == "" {
		t.Skipf("%s not set", testkit.PostgresURLEnv)
	}
	var schema string
	t.Run("inner", func(t *testing.T) {
		db, u := testkit.NewTestStorePGUnmigrated(t)
		parsed, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		schema = parsed.Query().Get("search_path")
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	if schema == "" {
		t.Fatal("no schema in URL")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRow("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = $1", schema).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("schema %s still exists after cleanup", schema)
	}
}
