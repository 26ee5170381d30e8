package store_test

import (
	"context"
	"testing"

	"pathavana/internal/store"
	"pathavana/internal/testkit"
)

// BenchmarkGetUser measures the hottest read (every authenticated request
// loads its user) on each engine, serially and from parallel goroutines.
func BenchmarkGetUser(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{
		{"sqlite", testkit.NewTestStore},
		{"postgres", testkit.NewTestStorePG},
	} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			ctx := context.Background()
			u := newUserValue("bench-user")
			if err := db.CreateUser(ctx, u); err != nil {
				b.Fatal(err)
			}
			b.Run("serial", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := db.GetUser(ctx, u.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("parallel", func(b *testing.B) {
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := db.GetUser(ctx, u.ID); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		})
	}
}
