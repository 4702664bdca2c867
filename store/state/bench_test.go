package state

import (
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkTake measures one Take on each backend, from parallel
// goroutines as the senders of several replicas would call it. The bucket
// is large enough that most takes are granted; granted/op shows how many.
func BenchmarkTake(b *testing.B) {
	backends := []struct {
		name string
		open func(b *testing.B) State
	}{
		{name: "memory", open: func(b *testing.B) State {
			m := NewMemory(time.Now)
			b.Cleanup(func() { _ = m.Close() })
			return m
		}},
		{name: "redis", open: func(b *testing.B) State {
			return openTestRedis(b, testPrefix(b))
		}},
	}
	for _, bk := range backends {
		b.Run(bk.name, func(b *testing.B) {
			st := bk.open(b)
			ctx := b.Context()
			var granted, taken atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				var g, n int64
				for pb.Next() {
					ok, _, err := st.Take(ctx, "send:all", 1e9, 1000)
					if err != nil {
						b.Error(err)
						return
					}
					n++
					if ok {
						g++
					}
				}
				granted.Add(g)
				taken.Add(n)
			})
			if n := taken.Load(); n > 0 {
				b.ReportMetric(float64(granted.Load())/float64(n), "granted/op")
			}
		})
	}
}
