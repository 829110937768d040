package state

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
)

func TestStateDeletesOldResolvedRecords(t *testing.T) {
	for _, impl := range stores {
		t.Run(impl.name, func(t *testing.T) {
			st, _ := impl.pair(t, WithRetention(time.Hour))
			ctx := context.Background()
			deliver := func(at time.Duration, found ...string) {
				var fs2 = fs()
				for _, n := range found {
					fs2 = append(fs2, fnd(n, "ADDRESS_SPACE_DRIFT"))
				}
				items, err := st.Record(ctx, nil, fs2, alice, alert.At(t0.Add(at)), time.Hour)
				require.NoError(t, err)
				require.NoError(t, st.Notified(ctx, items, t0.Add(at)))
			}
			deliver(0, "hub", "spoke")
			deliver(time.Minute, "spoke")
			assert.Equal(t, 2, rowCount(t, st, ""), "resolved, kept")
			deliver(time.Hour+time.Minute, "spoke")
			assert.Equal(t, 2, rowCount(t, st, ""), "resolved exactly a retention ago: kept")
			deliver(time.Hour+2*time.Minute, "spoke")
			assert.Equal(t, 1, rowCount(t, st, ""), "older than the retention: deleted")
		})
	}
}

func TestStateDeletesExpiredEventClaims(t *testing.T) {
	// IDs that share one partition, so that the claims that trigger the
	// collection are in the partition of the expired ones.
	var ids []string
	var part string
	for i := 0; len(ids) < 2*eventGCEvery; i++ {
		id := "event-" + strconv.Itoa(i)
		pk, _ := eventKeys(id)
		if part == "" {
			part = pk
		}
		if pk == part {
			ids = append(ids, id)
		}
	}
	for _, impl := range stores {
		t.Run(impl.name, func(t *testing.T) {
			st, _ := impl.pair(t)
			ctx := context.Background()
			for _, id := range ids[:eventGCEvery] {
				ok, err := st.ClaimEvent(ctx, id, t0, time.Minute)
				require.NoError(t, err)
				require.True(t, ok)
			}
			assert.Equal(t, eventGCEvery, rowCount(t, st, part), "nothing expired at the first collection")
			for _, id := range ids[eventGCEvery:] {
				ok, err := st.ClaimEvent(ctx, id, t0.Add(2*time.Minute), time.Minute)
				require.NoError(t, err)
				require.True(t, ok)
			}
			assert.Equal(t, eventGCEvery, rowCount(t, st, part), "the expired claims were collected")
		})
	}
}

// rowCount counts the rows of partition pk ("": every finding row).
func rowCount(t *testing.T, st alert.State, pk string) int {
	t.Helper()
	rows, err := st.(*store).b.list(context.Background(), pk)
	require.NoError(t, err)
	return len(rows)
}
