package state

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

// race runs f on racers goroutines, alternating between the two
// instances, and returns every item they got.
func race(t *testing.T, st [2]alert.State, racers int, f func(alert.State) ([]alert.Item, error)) []alert.Item {
	t.Helper()
	var (
		mu  sync.Mutex
		all []alert.Item
		wg  sync.WaitGroup
	)
	for i := range racers {
		wg.Go(func() {
			items, err := f(st[i%2])
			assert.NoError(t, err)
			mu.Lock()
			all = append(all, items...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return all
}

func TestStateConcurrentInstancesHandOutEachTransitionOnce(t *testing.T) {
	var findings []detector.Finding
	for v := range 3 {
		for _, rule := range []string{"ADDRESS_SPACE_DRIFT", "PEERING_MISSING", "GATEWAY_MISSING", "VNET_MISSING"} {
			findings = append(findings, fnd(fmt.Sprintf("vnet%d", v), rule))
		}
	}
	for _, impl := range stores {
		t.Run(impl.name, func(t *testing.T) {
			a, b := impl.pair(t)
			st := [2]alert.State{a, b}
			ctx := context.Background()
			const racers = 8

			opened := race(t, st, racers, func(s alert.State) ([]alert.Item, error) {
				return s.Record(ctx, nil, findings, alice, alert.At(t0), time.Hour)
			})
			assert.Equal(t, len(findings), len(opened), "every finding opened exactly once")
			assert.Equal(t, len(findings), countDistinct(opened, alert.ReasonOpened))
			require.NoError(t, a.Notified(ctx, opened, t0))

			resolved := race(t, st, racers, func(s alert.State) ([]alert.Item, error) {
				return s.Record(ctx, keys("vnet0", "vnet1", "vnet2"), nil, bob, alert.At(t0.Add(time.Minute)), time.Hour)
			})
			assert.Equal(t, len(findings), len(resolved), "every finding resolved exactly once")
			assert.Equal(t, len(findings), countDistinct(resolved, alert.ReasonResolved))

			claims := race(t, st, racers, func(s alert.State) ([]alert.Item, error) {
				ok, err := s.ClaimEvent(ctx, "the-event", t0, time.Hour)
				if ok {
					return []alert.Item{{}}, err
				}
				return nil, err
			})
			assert.Len(t, claims, 1, "one claim wins")
		})
	}
}

func TestStateConcurrentPartialDeliveriesMerge(t *testing.T) {
	for _, impl := range stores {
		t.Run(impl.name, func(t *testing.T) {
			a, b := impl.pair(t)
			ctx := context.Background()
			items, err := a.Record(ctx, nil, fs(hubDrift), alice, alert.At(t0), time.Hour)
			require.NoError(t, err)
			require.Len(t, items, 1)
			targets := []string{"a/teams/0", "a/email/0", "b/teams/0", "b/teams/1", "sink/eventgrid", "sink/log"}
			var wg sync.WaitGroup
			for i, target := range targets {
				wg.Go(func() {
					it := items[0]
					it.Delivered, it.Partial = []string{target}, true
					assert.NoError(t, [2]alert.State{a, b}[i%2].Notified(ctx, []alert.Item{it}, t0))
				})
			}
			wg.Wait()
			again, err := b.Record(ctx, nil, fs(hubDrift), timer, alert.At(t0.Add(2*time.Minute)), time.Hour)
			require.NoError(t, err)
			require.Len(t, again, 1)
			assert.ElementsMatch(t, targets, again[0].Delivered, "no report lost")
		})
	}
}

func countDistinct(items []alert.Item, reason alert.Reason) int {
	seen := map[string]bool{}
	for _, it := range items {
		if it.Reason == reason {
			seen[it.Finding.Fingerprint] = true
		}
	}
	return len(seen)
}
