package pipeline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func hintsFor(vnets ...int) []hint {
	hs := make([]hint, len(vnets))
	for i, v := range vnets {
		hs[i] = hint{id: vnetN(v), act: true}
	}
	return hs
}

func TestCoalescerLoneChangeDelay(t *testing.T) {
	cases := []struct {
		name  string
		lone  int
		vnets []int
		want  time.Duration
	}{
		{"one VNet starts at once", LoneChangeVNets, []int{1}, 0},
		{"a peering's two VNets start at once", LoneChangeVNets, []int{1, 2}, 0},
		{"lone VNets start at once", LoneChangeVNets, []int{1, 2, 3, 4}, 0},
		{"more than lone VNets wait settle", LoneChangeVNets, []int{1, 2, 3, 4, 5}, 10 * time.Millisecond},
		{"lone 0 always waits settle", 0, []int{1}, 10 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecorder()
			c, mt, _ := newTestCoalescer(t, r)
			c.lone = tc.lone
			w, err := c.add(hintsFor(tc.vnets...))
			require.NoError(t, err)
			assert.Equal(t, tc.want, mt.armedFor())
			mt.fireUntilDone(t, w)
			require.Len(t, r.snapshot(), 1)
			assert.Len(t, r.snapshot()[0], len(tc.vnets))
		})
	}
}

func TestCoalescerLoneChangeBackToBack(t *testing.T) {
	r := newRecorder()
	c, mt, clock := newTestCoalescer(t, r)
	for i := range 3 { // lone changes of different VNets, each after the last was decided
		clock.set(clockStart.Add(time.Duration(i) * time.Millisecond))
		w, err := c.add(hintsFor(i))
		require.NoError(t, err)
		assert.Equal(t, time.Duration(0), mt.armedFor(), "change %d: idle again, starts at once", i)
		mt.fireUntilDone(t, w)
		c.quiesce()
	}
	assert.Equal(t, [][]string{{vnetN(0)}, {vnetN(1)}, {vnetN(2)}}, r.snapshot())
}

func TestCoalescerLoneChangeKeepsThrottle(t *testing.T) {
	r := newRecorder()
	c, mt, clock := newTestCoalescer(t, r)
	w, err := c.add(hintsFor(1))
	require.NoError(t, err)
	mt.fireUntilDone(t, w)
	c.quiesce()

	clock.set(clockStart.Add(20 * time.Millisecond))
	w, err = c.add(hintsFor(1))
	require.NoError(t, err)
	assert.Equal(t, 230*time.Millisecond, mt.armedFor(), "evaluated 20 ms ago: waits until window after that start")
	clock.set(clockStart.Add(250 * time.Millisecond))
	mt.fireUntilDone(t, w)
	assert.Len(t, r.snapshot(), 2)
}

func TestCoalescerLoneChangeThenBurst(t *testing.T) {
	r := newRecorder()
	c, mt, _ := newTestCoalescer(t, r)
	release := r.holdNext(t, vnetN(0))
	first, err := c.add(hintsFor(0))
	require.NoError(t, err)
	assert.Equal(t, time.Duration(0), mt.armedFor(), "the burst's first change starts at once")
	require.True(t, mt.fire())
	require.Eventually(t, func() bool { return len(r.snapshot()) == 1 }, 10*time.Second, time.Millisecond)

	var ws []*waiter
	for i := 1; i <= 20; i++ { // the rest of the burst arrives while it runs
		w, err := c.add(hintsFor(i))
		require.NoError(t, err)
		ws = append(ws, w)
	}
	assert.False(t, mt.isArmed(), "one batch at a time")
	release()
	<-first.done
	c.quiesce()
	assert.Equal(t, 10*time.Millisecond, mt.armedFor(), "what arrived meanwhile is not lone: it waits settle")
	for _, w := range ws {
		mt.fireUntilDone(t, w)
	}
	batches := r.snapshot()
	require.Len(t, batches, 2, "the burst costs one extra, small evaluation")
	assert.Len(t, batches[1], 20)
}

func TestCoalescerHintJoiningALoneChange(t *testing.T) {
	r := newRecorder()
	c, mt, _ := newTestCoalescer(t, r)
	w1, err := c.add(hintsFor(1))
	require.NoError(t, err)
	w2, err := c.add(hintsFor(2)) // arrives before the first started: not idle
	require.NoError(t, err)
	assert.Equal(t, time.Duration(0), mt.armedFor(), "the lone change still starts at once")
	c.mu.Lock()
	eager := map[string]bool{}
	for _, s := range c.slots {
		eager[s.id] = s.eager
	}
	c.mu.Unlock()
	assert.Equal(t, map[string]bool{vnetN(1): true, vnetN(2): false}, eager)
	require.True(t, mt.fire())
	<-w1.done
	<-w2.done
	assert.Equal(t, [][]string{{vnetN(1), vnetN(2)}}, r.snapshot(), "and takes the other along: one read")
}

func TestCoalescerNoLoneStartRightAfterALargeBatch(t *testing.T) {
	cases := []struct {
		name  string
		after time.Duration // since the large batch ended
		want  time.Duration
	}{
		{"the rest of a burst, released by the batch's end, waits settle", 5 * time.Millisecond, 10 * time.Millisecond},
		{"quiet for settle: a lone change again", 10 * time.Millisecond, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecorder()
			c, mt, clock := newTestCoalescer(t, r)
			w, err := c.add(hintsFor(1, 2, 3, 4, 5, 6))
			require.NoError(t, err)
			mt.fireUntilDone(t, w)
			c.quiesce()

			clock.set(clockStart.Add(tc.after))
			w, err = c.add(hintsFor(7))
			require.NoError(t, err)
			assert.Equal(t, tc.want, mt.armedFor())
			mt.fireUntilDone(t, w)
			assert.Len(t, r.snapshot(), 2)
		})
	}
}
