package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/emulator"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/examples"
)

type emulatorOptions struct {
	estates  listFlag
	listen   string
	eventsTo listFlag
	schema   string
	faults   string
}

func runEmulator(env *Env, args []string) int {
	var o emulatorOptions
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.Var(&o.estates, "estate", "estate JSON file to serve (repeatable); default: the embedded example estate")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8500", "loopback address to listen on")
	fs.Var(&o.eventsTo, "events-to", "deliver Event Grid events to this URL (repeatable)")
	fs.StringVar(&o.schema, "event-schema", emulator.SchemaEventGrid, "event schema: eventgrid or cloudevents")
	fs.StringVar(&o.faults, "faults", "", `faults, e.g. "seed=1,throttle=0.1,5xx=0.05,latency=20ms,dup=0.2,delay=500ms"`)
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	srv, err := newEmulator(o)
	if err != nil {
		return fail(env, "emulator", err)
	}
	defer srv.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serveEmulator(ctx, env, o.listen, srv); err != nil {
		return fail(env, "emulator", err)
	}
	return ExitOK
}

func newEmulator(o emulatorOptions) (*emulator.Server, error) {
	res, err := emulatorEstate(o.estates)
	if err != nil {
		return nil, err
	}
	faults, err := emulator.ParseFaults(o.faults)
	if err != nil {
		return nil, fmt.Errorf("--faults: %w", err)
	}
	log, _ := zap.NewDevelopment()
	return emulator.New(res, emulator.Options{EventsTo: o.eventsTo, EventSchema: o.schema, Faults: faults, Logger: log})
}

func emulatorEstate(files []string) (*estate.Resources, error) {
	if len(files) == 0 {
		return estate.Decode(examples.EstateName, examples.Estate)
	}
	all := &estate.Resources{Skipped: map[string]int{}}
	for _, f := range files {
		r, err := estate.ReadFile(f)
		if err != nil {
			return nil, err
		}
		all.Merge(r)
	}
	return all, nil
}

// serveEmulator listens on a loopback address only: the emulator accepts
// any bearer token and must never be reachable from elsewhere.
func serveEmulator(ctx context.Context, env *Env, addr string, h http.Handler) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--listen %q: the emulator listens on loopback addresses only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening: %w", err)
	}
	fmt.Fprintf(env.Stderr, "vnetdrift emulator: ARM at http://%s (set %s=http://%s)\n", ln.Addr(), "VNETDRIFT_ARM_ENDPOINT", ln.Addr())
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	return nil
}
