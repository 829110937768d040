package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/vnetdrift/vnetdrift/eventgrid"
	"github.com/vnetdrift/vnetdrift/handler"
	"github.com/vnetdrift/vnetdrift/state"
)

func TestLazyRetriesAFailedBuild(t *testing.T) {
	var builds atomic.Int32
	reader := newFakeReader(t)
	l := NewLazy(func(context.Context) (*Pipeline, error) {
		if builds.Add(1) == 1 {
			return nil, errBoom
		}
		return New(Config{Reader: reader, Baseline: exampleBaseline(t), State: state.NewMemory(), Settle: time.Millisecond})
	}, nil)
	t.Cleanup(l.Close)
	ctx := context.Background()
	changes := []eventgrid.Change{vnetWrite(spoke1, "e1", time.Now())}

	err := l.Handle(ctx, changes)
	require.Error(t, err)
	assert.True(t, handler.IsTransient(err), "events wait for a redelivery, not dropped")
	assert.ErrorIs(t, err, errBoom)

	assert.Error(t, l.Handle(ctx, changes), "no new build before retryAfter")
	assert.Equal(t, int32(1), builds.Load())

	l.mu.Lock()
	l.retryAfter = 0
	l.mu.Unlock()
	require.NoError(t, l.Handle(ctx, changes))
	require.NoError(t, l.Reconcile(ctx))
	assert.Equal(t, int32(2), builds.Load())
	assert.Len(t, reader.readArgs(), 2)
}

func TestLazyWaitsWithinTheCallersContext(t *testing.T) {
	release := make(chan struct{})
	l := NewLazy(func(ctx context.Context) (*Pipeline, error) {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil, errBoom
	}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, l.Reconcile(ctx), context.DeadlineExceeded)
	close(release)
	l.Close()
	assert.Error(t, l.Handle(context.Background(), nil), "closed")
}

// A failed start is logged without the SAS signature or account key an
// Azure SDK error quotes.
func TestLazyLogsAFailedBuildRedacted(t *testing.T) {
	core, logs := observer.New(zap.InfoLevel)
	leak := errors.New(`creating table: Post "https://acct.table.core.windows.net/Tables?sv=2022&sig=SASSECRET4": dial tcp: no such host; AccountKey=KEYSECRET==`)
	l := NewLazy(func(context.Context) (*Pipeline, error) { return nil, leak }, zap.New(core))
	t.Cleanup(l.Close)
	require.Error(t, l.Handle(context.Background(), []eventgrid.Change{vnetWrite(spoke1, "e1", time.Now())}))
	entries := logs.FilterMessageSnippet("starting the pipeline failed").All()
	require.Len(t, entries, 1)
	text := fmt.Sprint(entries[0].ContextMap())
	assert.Contains(t, text, "acct.table.core.windows.net/Tables?<redacted>")
	assert.NotContains(t, text, "SASSECRET4")
	assert.NotContains(t, text, "KEYSECRET")
}
