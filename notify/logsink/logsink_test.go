package logsink

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

func TestNotifyLogsOneLinePerItem(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	s := New(zap.New(core))
	opened := alert.Attribution{EventID: "e1", Caller: "dana@contoso.example", OperationName: "Microsoft.Network/virtualNetworks/write", EventTime: time.Unix(100, 0)}
	fixed := alert.Attribution{EventID: "e2", Caller: "ops-pipeline", EventTime: time.Unix(200, 0)}
	f := detector.Finding{Rule: detector.RuleAddressSpaceDrift, Severity: detector.SeverityHigh, VNetID: "/v/a", ResourceID: "/v/a",
		Message: "address space differs", Expected: "10.1.0.0/16", Actual: "10.1.0.0/16, 10.101.0.0/16", Fingerprint: "fp"}
	n := alert.Notice{By: fixed, Items: []alert.Item{
		{Finding: f, Reason: alert.ReasonResolved, Resolved: true, OpenedBy: opened},
		{Finding: f, Reason: alert.ReasonRetry, Original: alert.ReasonOpened, OpenedBy: fixed},
	}}
	retry, err := s.Notify(context.Background(), n)
	require.NoError(t, err)
	assert.False(t, retry)
	require.Equal(t, 2, logs.Len())

	resolved := logs.All()[0]
	assert.Equal(t, "drift resolved", resolved.Message)
	assert.Equal(t, zapcore.InfoLevel, resolved.Level)
	ctx := resolved.ContextMap()
	assert.Equal(t, detector.RuleAddressSpaceDrift, ctx["rule"])
	assert.Equal(t, "high", ctx["severity"])
	assert.Equal(t, "10.1.0.0/16", ctx["expected"])
	assert.Equal(t, "ops-pipeline", ctx["by"].(map[string]any)["caller"])
	assert.Equal(t, "dana@contoso.example", ctx["opened_by"].(map[string]any)["caller"], "who opened what was fixed")

	retried := logs.All()[1]
	assert.Equal(t, "drift opened", retried.Message, "a retry is logged as the message it repeats")
	assert.Equal(t, zapcore.WarnLevel, retried.Level)
	assert.Equal(t, true, retried.ContextMap()["retry"])
	assert.NotContains(t, retried.ContextMap(), "opened_by", "opened by the same change")
}

func TestDigestIsMarked(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	n := alert.Notice{Digest: true, By: alert.Attribution{Reconcile: true},
		Items: []alert.Item{{Finding: detector.Finding{Rule: "X"}, Reason: alert.ReasonRepeat}}}
	_, err := New(zap.New(core)).Notify(context.Background(), n)
	require.NoError(t, err)
	require.Equal(t, 1, logs.Len())
	assert.Equal(t, "drift still open", logs.All()[0].Message)
	assert.Equal(t, true, logs.All()[0].ContextMap()["digest"])
	assert.Equal(t, "log", New(nil).Name())
}
