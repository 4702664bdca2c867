package store

import (
	"context"
	"testing"
	"time"
)

// BenchmarkCountStatusesAsOf counts the whole country's posts by commune,
// kind and status as the store is now and as its reports had left it at
// a moment after the import: what a weekly digest's forecasts read.
func BenchmarkCountStatusesAsOf(b *testing.B) {
	communes, posts := nationalRows(b)
	parent := b
	for _, be := range backends {
		var db *DB
		b.Run(be.name, func(b *testing.B) {
			if db == nil {
				db = be.open(b, parent)
				importNational(b, db, communes, posts)
			}
			ctx := context.Background()
			for _, view := range []struct {
				name string
				db   *DB
			}{{"now", db}, {"asof", db.AsOf(at(60))}} {
				b.Run(view.name, func(b *testing.B) {
					for range b.N {
						sc, err := view.db.CountStatuses(ctx, Scope{})
						if err != nil {
							b.Fatal(err)
						}
						if len(sc) != len(communes) {
							b.Fatalf("%d communes counted, want %d", len(sc), len(communes))
						}
					}
				})
			}
			b.Run("now+since", func(b *testing.B) {
				for range b.N {
					_, past, err := db.CountStatusesSince(ctx, Scope{}, []time.Time{at(60)})
					if err != nil {
						b.Fatal(err)
					}
					if len(past[0]) != len(communes) {
						b.Fatalf("%d communes counted, want %d", len(past[0]), len(communes))
					}
				}
			})
		})
	}
}
