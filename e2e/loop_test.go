package e2e

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/emulator"
)

const dana = "name=Dana Admin,upn=dana@contoso.example"

func TestChangeOpensAndFixResolves(t *testing.T) {
	l := startLoop(t, loopOptions{})
	ctx := context.Background()
	require.NoError(t, l.actions(dana).SetAddressSpace(ctx, spoke1, "10.1.0.0/16", "10.101.0.0/16"))
	l.settle(t)
	opened, resolved := l.sink.count(detector.RuleAddressSpaceDrift, "vnet-spoke-app1-weu")
	assert.Equal(t, 1, opened)
	assert.Zero(t, resolved)
	l.sink.mu.Lock()
	by := l.sink.by[0]
	l.sink.mu.Unlock()
	assert.Equal(t, "dana@contoso.example", by.Caller, "attributed to the caller in the event's claims")
	assert.Equal(t, "Microsoft.Network/virtualNetworks/write", by.OperationName)
	assert.NotEmpty(t, by.CorrelationID)

	require.NoError(t, l.actions("").SetAddressSpace(ctx, spoke1, "10.1.0.0/16"))
	l.settle(t)
	opened, resolved = l.sink.count(detector.RuleAddressSpaceDrift, "vnet-spoke-app1-weu")
	assert.Equal(t, 1, opened)
	assert.Equal(t, 1, resolved)
	assert.NotContains(t, l.deliveries.all(), http.StatusInternalServerError)
}

func TestDuplicatedAndReorderedDeliveriesOpenOnce(t *testing.T) {
	// Every event is delivered twice, each copy after a random delay of up
	// to 300 ms, so the fix's events can overtake the drift's.
	l := startLoop(t, loopOptions{faults: emulator.Faults{Seed: 7, EventDuplicate: 1, EventDelay: 300 * time.Millisecond}})
	ctx := context.Background()
	a := l.actions(dana)
	require.NoError(t, a.SetForwarding(ctx, s3ToHubN, false))
	l.settle(t)
	opened, resolved := l.sink.count(detector.RulePeeringSettingsDrift, "vnet-spoke-app3-neu")
	assert.Equal(t, 1, opened, "two deliveries of one event: one opening")
	assert.Zero(t, resolved)

	require.NoError(t, a.SetForwarding(ctx, s3ToHubN, true))
	require.NoError(t, a.SetForwarding(ctx, s3ToHubN, false))
	require.NoError(t, a.SetForwarding(ctx, s3ToHubN, true))
	l.settle(t)
	opened, resolved = l.sink.count(detector.RulePeeringSettingsDrift, "vnet-spoke-app3-neu")
	assert.Equal(t, opened, resolved, "whatever the order, the last word is the current state: resolved")
	open, err := l.state.Open(ctx)
	require.NoError(t, err)
	assert.Empty(t, open)
}

func TestARMFailureIsRedeliveredAndNothingIsLost(t *testing.T) {
	l := startLoop(t, loopOptions{evaluationTimeout: 300 * time.Millisecond})
	ctx := context.Background()
	l.armDown.Store(true)
	require.NoError(t, l.actions(dana).SetForwarding(ctx, s3ToHubN, false))
	require.Eventually(t, func() bool { return slices.Contains(l.deliveries.all(), http.StatusInternalServerError) },
		10*time.Second, 5*time.Millisecond, "a read that cannot succeed answers 500")
	opened, _ := l.sink.count(detector.RulePeeringSettingsDrift, "vnet-spoke-app3-neu")
	assert.Zero(t, opened, "nothing decided from a failed read")

	l.armDown.Store(false) // ARM recovers before Event Grid's next attempt
	l.settle(t)
	statuses := l.deliveries.all()
	assert.Equal(t, http.StatusOK, statuses[len(statuses)-1], "the redelivery succeeds: %v", statuses)
	opened, _ = l.sink.count(detector.RulePeeringSettingsDrift, "vnet-spoke-app3-neu")
	assert.Equal(t, 1, opened, "the drift is found on redelivery")
}
