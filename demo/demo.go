// Package demo is the guided walkthrough behind `make run`: it starts the
// ARM emulator on loopback with the embedded example estate, reads it with
// the real Azure SDK clients, applies a scripted series of real changes
// through the emulator's ARM API, and shows each detection and resolution.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/examples"
	"github.com/vnetdrift/vnetdrift/pipeline"
)

// Subscriptions of the example estate.
const (
	SubWEU = "11111111-1111-1111-1111-111111111111"
	SubNEU = "22222222-2222-2222-2222-222222222222"
)

// Run plays the walkthrough, writing a narrative to out. It returns an
// error when an expected detection or resolution did not happen.
func Run(ctx context.Context, out io.Writer, log *zap.Logger) error {
	env, err := start(ctx, log)
	if err != nil {
		return err
	}
	defer env.close()
	fmt.Fprintf(out, "ARM emulator on %s serving the example estate (2 subscriptions, 5 VNets, 2 VPN gateways).\n", env.url)
	failures := 0
	for i, s := range script() {
		fmt.Fprintf(out, "\n[%d] %s\n", i+1, s.title)
		ok, err := env.play(ctx, out, s)
		if err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, s.title, err)
		}
		if !ok {
			failures++
		}
	}
	return env.summary(out, failures)
}

type environment struct {
	url     string
	emu     *emulator.Server
	http    *http.Server
	reader  *azure.Reader
	base    *baseline.Baseline
	tracker *pipeline.Tracker
	opened  int
	closed  int
}

func start(ctx context.Context, log *zap.Logger) (*environment, error) {
	res, err := estate.Decode(examples.EstateName, examples.Estate)
	if err != nil {
		return nil, err
	}
	base, err := baseline.Parse(examples.BaselineName, examples.Baseline)
	if err != nil {
		return nil, err
	}
	emu, err := emulator.New(res, emulator.Options{PollInterval: 50 * time.Millisecond, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("starting the emulator: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		emu.Close()
		return nil, fmt.Errorf("listening on loopback: %w", err)
	}
	env := &environment{url: "http://" + ln.Addr().String(), emu: emu, base: base, tracker: pipeline.NewTracker(),
		http: &http.Server{Handler: emu, ReadHeaderTimeout: 5 * time.Second}}
	go func() { _ = env.http.Serve(ln) }()
	env.reader, err = azure.New(azure.Config{Endpoint: env.url, Subscriptions: []string{SubWEU, SubNEU}, Logger: log, PollFrequency: time.Second})
	if err != nil {
		env.close()
		return nil, err
	}
	return env, nil
}

func (e *environment) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = e.http.Shutdown(ctx)
	e.emu.Close()
}

// evaluate reads fresh state — everything when scope is nil, else the
// neighbourhood of the scoped VNets — and diffs the findings.
func (e *environment) evaluate(ctx context.Context, scope []string) (pipeline.Delta, error) {
	var res *estate.Resources
	var err error
	if scope == nil {
		res, err = e.reader.ReadAll(ctx)
	} else {
		res, err = e.reader.ReadNeighbourhood(ctx, pipeline.ReadSet(e.base, scope))
	}
	if err != nil {
		return pipeline.Delta{}, err
	}
	est, err := estate.Build(res)
	if err != nil {
		return pipeline.Delta{}, err
	}
	var keys []estate.Key
	for _, id := range scope {
		keys = append(keys, estate.KeyOf(id))
	}
	findings := detector.Evaluate(detector.Input{Baseline: e.base, Estate: est, Now: time.Now().UTC(), Scope: keys})
	d := e.tracker.Apply(keys, findings)
	e.opened += len(d.Opened)
	e.closed += len(d.Resolved)
	return d, nil
}

func (e *environment) summary(out io.Writer, failures int) error {
	open := e.tracker.Open()
	fmt.Fprintf(out, "\nSummary: %d drifts detected, %d resolved, %d still open; %d Azure API calls; %d emulator requests.\n",
		e.opened, e.closed, len(open), e.reader.Calls(), total(e.emu.Requests()))
	for _, f := range open {
		fmt.Fprintf(out, "  still open: %s %s\n", f.Rule, f.Message)
	}
	switch {
	case failures > 0:
		return fmt.Errorf("%d steps did not detect or resolve what they should", failures)
	case len(open) > 0:
		return errors.New("drift is still open at the end of the walkthrough")
	}
	fmt.Fprintln(out, "Every expected detection and resolution happened.")
	return nil
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
