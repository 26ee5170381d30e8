package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

func TestCatalogImports(t *testing.T) {
	testkit.ForEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		list := func(withContent bool) []model.CatalogImport {
			t.Helper()
			got, err := db.ListCatalogImports(ctx, withContent)
			must(t, err)
			return got
		}
		if got := list(true); len(got) != 0 {
			t.Fatalf("fresh database lists %v", got)
		}
		blob := []byte{0x1f, 0x8b, 0, 0xff, 'x'} // arbitrary bytes, not text
		a, err := db.PutCatalogImport(ctx, model.CatalogImport{Name: "alpha", Version: "v1", Entries: 3, Content: blob, CreatedAt: t0})
		must(t, err)
		b, err := db.PutCatalogImport(ctx, model.CatalogImport{Name: "beta", Replaces: true, Version: "v1", Entries: 1, Content: []byte("b"), CreatedAt: t0})
		must(t, err)
		if a.Seq != 1 || b.Seq != 2 {
			t.Fatalf("seqs = %d, %d; want 1, 2", a.Seq, b.Seq)
		}

		// Re-importing a name keeps its place in the layering.
		later := t0.Add(time.Hour)
		a2, err := db.PutCatalogImport(ctx, model.CatalogImport{Name: "alpha", Version: "v2", Entries: 5, Content: []byte("new"), CreatedAt: later})
		must(t, err)
		if a2.Seq != 1 {
			t.Fatalf("re-imported seq = %d, want 1", a2.Seq)
		}
		got := list(true)
		if len(got) != 2 || got[0].Name != "alpha" || got[1].Name != "beta" {
			t.Fatalf("order = %+v", got)
		}
		if got[0].Version != "v2" || got[0].Entries != 5 || !bytes.Equal(got[0].Content, []byte("new")) || got[0].Replaces {
			t.Fatalf("alpha = %+v", got[0])
		}
		sameTime(t, "alpha CreatedAt", got[0].CreatedAt, later)
		if !got[1].Replaces || got[1].Version != "v1" {
			t.Fatalf("beta = %+v", got[1])
		}
		for _, c := range list(false) {
			if c.Content != nil {
				t.Fatalf("listing without content returned %d bytes for %s", len(c.Content), c.Name)
			}
		}

		// Binary content survives as is.
		_, err = db.PutCatalogImport(ctx, model.CatalogImport{Name: "alpha", Version: "v3", Content: blob, CreatedAt: later})
		must(t, err)
		if c := list(true)[0]; !bytes.Equal(c.Content, blob) {
			t.Fatalf("content = %x, want %x", c.Content, blob)
		}

		wantCode(t, db.DeleteCatalogImport(ctx, "nope"), apperr.NotFound)
		must(t, db.DeleteCatalogImport(ctx, "alpha"))
		c, err := db.PutCatalogImport(ctx, model.CatalogImport{Name: "gamma", Version: "v1", Content: []byte("g"), CreatedAt: later})
		must(t, err)
		if c.Seq != 3 {
			t.Fatalf("gamma seq = %d, want 3 (on top of beta)", c.Seq)
		}
		if got := list(false); len(got) != 2 || got[0].Name != "beta" || got[1].Name != "gamma" {
			t.Fatalf("after delete = %+v", got)
		}
	})
}
