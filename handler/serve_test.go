package handler

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

// slowHandler signals when a request arrived and answers once released.
type slowHandler struct{ arrived, release chan struct{} }

func (h slowHandler) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	close(h.arrived)
	<-h.release
	_, _ = io.WriteString(w, "done")
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return ln
}

func TestServeFinishesInFlightRequests(t *testing.T) {
	ln := listen(t)
	addr := ln.Addr().String()
	h := slowHandler{arrived: make(chan struct{}), release: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serveOn(ctx, ln, h, zap.NewNop(), time.Minute) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-h.arrived
	cancel() // shutdown starts while the request is in flight
	close(h.release)
	r := <-got
	require.NoError(t, r.err)
	assert.Equal(t, "done", r.body)
	require.NoError(t, <-served)
	_, err := net.Dial("tcp", addr)
	assert.Error(t, err, "no longer listening")
}

func TestServeGraceExpires(t *testing.T) {
	ln := listen(t)
	h := slowHandler{arrived: make(chan struct{}), release: make(chan struct{})}
	defer close(h.release)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serveOn(ctx, ln, h, nil, time.Millisecond) }()
	go func() {
		if resp, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
			resp.Body.Close()
		}
	}()
	<-h.arrived
	cancel()
	err := <-served
	assert.ErrorContains(t, err, "shutting down")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestServeReadyAtOnce(t *testing.T) {
	// Reserve a free port, then serve the real handler on it.
	ln := listen(t)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, addr, New(&fakePipeline{}, Config{}), zap.NewNop()) }()
	var resp *http.Response
	require.Eventually(t, func() bool {
		var err error
		resp, err = http.Get("http://" + addr + "/")
		return err == nil
	}, 10*time.Second, 5*time.Millisecond)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	cancel()
	assert.NoError(t, <-served)
}

func TestServeListenError(t *testing.T) {
	ln := listen(t)
	defer ln.Close()
	err := Serve(context.Background(), ln.Addr().String(), http.NotFoundHandler(), zap.NewNop())
	assert.ErrorContains(t, err, "listening on "+ln.Addr().String())
}
