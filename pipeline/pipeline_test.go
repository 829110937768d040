package pipeline

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/handler"
	"github.com/vnetdrift/vnetdrift/state"
)

func TestHandleOpensThenResolves(t *testing.T) {
	s := &sink{name: "test"}
	f := newFixture(t, []alert.Notifier{s})
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

	require.NoError(t, f.p.Reconcile(ctx))
	require.Empty(t, s.got(), "the example estate matches its baseline")

	f.reader.setAddressSpace(t, spoke1, "10.1.0.0/16", "10.101.0.0/16")
	require.NoError(t, f.p.Handle(ctx, []eventgrid.Change{vnetWrite(spoke1, "e1", at)}))
	got := s.got()
	require.Len(t, got, 1)
	assert.Equal(t, []string{"opened " + detector.RuleAddressSpaceDrift + " vnet-spoke-app1-weu"}, items(got[0]))
	by := got[0].By
	assert.Equal(t, "e1", by.EventID)
	assert.Equal(t, "dana@contoso.example", by.Caller)
	assert.Equal(t, "corr-e1", by.CorrelationID)
	assert.Equal(t, "Microsoft.Network/virtualNetworks/write", by.OperationName)
	assert.False(t, got[0].Digest)
	assert.Equal(t, "e1", got[0].Items[0].OpenedBy.EventID)
	reads := f.reader.readArgs()
	assert.Equal(t, []string{spoke1}, reads[len(reads)-1], "the VNet's neighbourhood already holds its declared remote")

	require.NoError(t, f.p.Handle(ctx, []eventgrid.Change{vnetWrite(spoke1, "e1", at)}), "a redelivery")
	assert.Len(t, s.got(), 1, "a redelivered event re-evaluates but opens nothing twice")

	f.reader.setAddressSpace(t, spoke1, "10.1.0.0/16")
	require.NoError(t, f.p.Handle(ctx, []eventgrid.Change{vnetWrite(spoke1, "e2", at.Add(time.Minute))}))
	got = s.got()
	require.Len(t, got, 2)
	assert.Equal(t, []string{"resolved " + detector.RuleAddressSpaceDrift + " vnet-spoke-app1-weu"}, items(got[1]))
	assert.Equal(t, "e2", got[1].By.EventID)

	open, err := f.state.Open(ctx)
	require.NoError(t, err)
	assert.Empty(t, open)
}

func TestReconcileSendsADigest(t *testing.T) {
	s := &sink{name: "test"}
	f := newFixture(t, []alert.Notifier{s})
	f.reader.setAddressSpace(t, spoke3, "10.11.0.0/16", "10.99.0.0/16")
	require.NoError(t, f.p.Reconcile(context.Background()))
	got := s.got()
	require.Len(t, got, 1)
	assert.True(t, got[0].Digest)
	assert.True(t, got[0].By.Reconcile)
	assert.Equal(t, []string{"opened " + detector.RuleAddressSpaceDrift + " vnet-spoke-app3-neu"}, items(got[0]))
	assert.Equal(t, [][]string{nil}, f.reader.readArgs(), "one ReadAll")
}

func TestHandleFailuresAreTransient(t *testing.T) {
	tests := []struct {
		name     string
		sabotage func(*fixture)
	}{
		{"read fails", func(f *fixture) { f.reader.setErr(errBoom) }},
		{"state fails", func(f *fixture) { f.state.recordErr = errBoom }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &sink{name: "test"}
			f := newFixture(t, []alert.Notifier{s})
			f.reader.setAddressSpace(t, spoke1, "10.1.0.0/16", "10.101.0.0/16")
			tt.sabotage(f)
			err := f.p.Handle(context.Background(), []eventgrid.Change{vnetWrite(spoke1, "e1", time.Now())})
			require.Error(t, err)
			assert.True(t, handler.IsTransient(err), "answered 500 so that Event Grid redelivers: %v", err)
			assert.ErrorIs(t, err, errBoom)
			assert.Empty(t, s.got())
		})
	}
}

func TestHandleUnknownResourceReadsNothing(t *testing.T) {
	f := newFixture(t, nil)
	vm := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"
	require.NoError(t, f.p.Handle(context.Background(), []eventgrid.Change{vnetWrite(vm, "e1", time.Now())}))
	assert.Empty(t, f.reader.readArgs())
}

func TestHandleGivesUpAtItsDeadline(t *testing.T) {
	f := newFixture(t, nil)
	f.reader.block = make(chan struct{}) // the read never returns
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := f.p.Handle(ctx, []eventgrid.Change{vnetWrite(spoke1, "e1", time.Now())})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestRetryableNotifierFailureLeavesTheItemOwed(t *testing.T) {
	ok := &sink{name: "ok"}
	flaky := &sink{name: "flaky", fail: func(call int) (bool, error) {
		if call <= notifyAttempts {
			return true, errBoom
		}
		return false, nil
	}}
	f := newFixture(t, []alert.Notifier{ok, flaky}, state.WithLease(time.Nanosecond))
	f.reader.setAddressSpace(t, spoke1, "10.1.0.0/16", "10.101.0.0/16")
	ctx := context.Background()

	err := f.p.Handle(ctx, []eventgrid.Change{vnetWrite(spoke1, "e1", time.Now())})
	require.Error(t, err)
	assert.True(t, handler.IsTransient(err))
	assert.Equal(t, notifyAttempts, flaky.callCount(), "retried within the evaluation")
	assert.Len(t, ok.got(), 1)
	require.Len(t, f.state.notified, 1)
	it := f.state.notified[0][0]
	assert.True(t, it.Partial)
	assert.Equal(t, []string{"ok"}, it.Delivered)

	require.NoError(t, f.p.Handle(ctx, []eventgrid.Change{vnetWrite(spoke1, "e1", time.Now())}), "the redelivery")
	require.Len(t, flaky.got(), 1, "the failed notifier gets the item again")
	assert.Equal(t, alert.ReasonRetry, flaky.got()[0].Items[0].Reason)
	assert.Len(t, ok.got(), 1, "the notifier that delivered it does not get it twice")
}

func TestPermanentNotifierFailureIsNotRetried(t *testing.T) {
	bad := &sink{name: "bad", fail: func(int) (bool, error) { return false, errBoom }}
	f := newFixture(t, []alert.Notifier{bad})
	f.reader.setAddressSpace(t, spoke1, "10.1.0.0/16", "10.101.0.0/16")
	require.NoError(t, f.p.Handle(context.Background(), []eventgrid.Change{vnetWrite(spoke1, "e1", time.Now())}))
	assert.Equal(t, 1, bad.callCount())
}

func TestMetrics(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	require.NoError(t, f.p.Handle(ctx, []eventgrid.Change{vnetWrite(spoke1, "e1", time.Now()), vnetWrite(spoke2, "e2", time.Now())}))
	require.NoError(t, f.p.Reconcile(ctx))
	var b bytes.Buffer
	_, err := f.m.WriteTo(&b)
	require.NoError(t, err)
	out := b.String()
	assert.Contains(t, out, "vnetdrift_evaluations_total 2\n")
	assert.Contains(t, out, "vnetdrift_arm_calls_total 3\n", "2 VNets read by the fake, then 1 ReadAll")
	assert.Contains(t, out, "vnetdrift_decision_latency_seconds_count 3\n", "two changes and a reconcile")
}

func TestNewRequiresReaderAndState(t *testing.T) {
	_, err := New(Config{State: state.NewMemory()})
	assert.ErrorContains(t, err, "Reader")
	_, err = New(Config{Reader: newFakeReader(t)})
	assert.ErrorContains(t, err, "State")
	_, err = New(Config{Reader: newFakeReader(t), State: state.NewMemory(), CoalesceWindow: -1})
	assert.Error(t, err)
}
