package demo

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/detector"
)

func TestRunDetectsAndResolvesThroughEvents(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, Run(ctx, &out, nil), out.String())
	text := out.String()
	for _, want := range []string{
		"DETECTED  high   " + detector.RuleAddressSpaceDrift + " on vnet-spoke-app1-weu",
		"by dana@contoso.example",
		"found by the timer reconcile",
		"REMEDIATED  medium " + detector.RulePeeringSettingsDrift + " on vnet-spoke-app3-neu",
		"by network-deploy-pipeline",
		"0 still open",
	} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "FAILED")
}

func TestLoopCloseStopsEverything(t *testing.T) {
	l, err := Start(context.Background(), Options{})
	require.NoError(t, err)
	addrs := []string{strings.TrimPrefix(l.EmulatorURL, "http://"), strings.TrimPrefix(l.ServeURL, "http://")}
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		require.NoError(t, err)
		_ = c.Close()
	}
	l.Close()
	for _, a := range addrs {
		_, err := net.Dial("tcp", a)
		assert.Error(t, err, "%s still accepts connections", a)
	}
}

func TestStartRejectsNonLoopback(t *testing.T) {
	_, err := Start(context.Background(), Options{ServeAddr: "0.0.0.0:0"})
	assert.ErrorContains(t, err, "loopback")
}
