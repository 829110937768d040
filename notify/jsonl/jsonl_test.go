package jsonl

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

var (
	at     = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	change = alert.Attribution{EventID: "e1", Caller: "dana@contoso.example", OperationName: "Microsoft.Network/virtualNetworks/write", EventTime: at}
	drift  = detector.Finding{Rule: detector.RuleAddressSpaceDrift, Severity: detector.SeverityHigh, VNetID: "/v/a", ResourceID: "/v/a",
		Message: "address space differs", Fingerprint: "fp1"}
)

func TestNotifyAppendsOneRecordPerItem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "findings.jsonl")
	s, err := Open(path)
	require.NoError(t, err)
	s.now = func() time.Time { return at.Add(time.Second) }
	ctx := context.Background()

	retry, err := s.Notify(ctx, alert.Notice{By: change, Items: []alert.Item{{Finding: drift, Reason: alert.ReasonOpened, OpenedBy: change, FirstSeen: at}}})
	require.NoError(t, err)
	assert.False(t, retry)
	sweep := alert.Attribution{Reconcile: true, EventTime: at.Add(time.Hour)}
	_, err = s.Notify(ctx, alert.Notice{By: sweep, Digest: true, Items: []alert.Item{
		{Finding: drift, Reason: alert.ReasonRetry, Original: alert.ReasonResolved, Resolved: true, OpenedBy: change},
	}})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	recs, err := ReadFile(path)
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "opened", recs[0].Event)
	assert.Equal(t, drift.Rule, recs[0].Rule)
	assert.Equal(t, detector.SeverityHigh, recs[0].Severity)
	assert.Equal(t, "dana@contoso.example", recs[0].By.Caller)
	assert.Equal(t, at.Add(time.Second), recs[0].Time)
	assert.Equal(t, at, recs[0].FirstSeen)
	assert.Equal(t, "resolved", recs[1].Event)
	assert.True(t, recs[1].Retry)
	assert.True(t, recs[1].Digest)
	require.NotNil(t, recs[1].OpenedBy)
	assert.Equal(t, "e1", recs[1].OpenedBy.EventID)

	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	first := strings.SplitN(string(raw), "\n", 2)[0]
	assert.Contains(t, first, `"rule":"ADDRESS_SPACE_DRIFT"`, "finding fields are top-level")
	assert.Contains(t, first, `"severity":"high"`)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

func TestOpenAppendsToAnExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "findings.jsonl")
	n := alert.Notice{By: change, Items: []alert.Item{{Finding: drift, Reason: alert.ReasonOpened}}}
	for range 2 {
		s, err := Open(path)
		require.NoError(t, err)
		_, err = s.Notify(context.Background(), n)
		require.NoError(t, err)
		require.NoError(t, s.Close())
	}
	recs, err := ReadFile(path)
	require.NoError(t, err)
	assert.Len(t, recs, 2)
}

func TestConcurrentNoticesDoNotInterleave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "findings.jsonl")
	s, err := Open(path)
	require.NoError(t, err)
	n := alert.Notice{By: change, Items: []alert.Item{{Finding: drift, Reason: alert.ReasonOpened}, {Finding: drift, Reason: alert.ReasonOpened}}}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, err := s.Notify(context.Background(), n)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	require.NoError(t, s.Close())
	recs, err := ReadFile(path)
	require.NoError(t, err)
	assert.Len(t, recs, 40)
}

func TestWriteFailureIsRetryable(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "findings.jsonl"))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	retry, err := s.Notify(context.Background(), alert.Notice{Items: []alert.Item{{Finding: drift, Reason: alert.ReasonOpened}}})
	require.Error(t, err)
	assert.True(t, retry)
	assert.Equal(t, "jsonl", s.Name())
}

func TestOpenAndReadErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(dir) // a directory
	assert.Error(t, err)
	bad := filepath.Join(dir, "bad.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte("{}\nnot json\n"), 0o600))
	_, err = ReadFile(bad)
	assert.ErrorContains(t, err, "line 2")
}
