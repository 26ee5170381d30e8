package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
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

// BenchmarkBookLastUnits measures booking with counted inventory: each
// booking takes two nights of one hotel's rooms, serially and from
// parallel goroutines contending for the same rows.
func BenchmarkBookLastUnits(b *testing.B) {
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
			var n atomic.Int64
			book := func(b *testing.B) {
				k := fmt.Sprint(n.Add(1))
				if _, _, err := db.CreateBooking(ctx, newBooking("bench", k), twoNights(1<<30, 1)); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("serial", func(b *testing.B) {
				for b.Loop() {
					book(b)
				}
			})
			b.Run("parallel", func(b *testing.B) {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						book(b)
					}
				})
			})
		})
	}
}
