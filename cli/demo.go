package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/demo"
	"github.com/vnetdrift/vnetdrift/emulator"
)

func runDemo(env *Env, args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	verbose := fs.Bool("v", false, "log every emulator, serve and Azure SDK event")
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	log := zap.NewNop()
	if *verbose {
		log, _ = zap.NewDevelopment()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	if err := demo.Run(ctx, env.Stdout, log); err != nil {
		return fail(env, "demo", err)
	}
	return ExitOK
}

func runDev(env *Env, args []string) int {
	var o demo.Options
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.StringVar(&o.EmulatorAddr, "emulator", "127.0.0.1:8500", "loopback address of the ARM + Event Grid emulator")
	fs.StringVar(&o.ServeAddr, "listen", "127.0.0.1:8080", "loopback address of vnetdrift serve")
	fs.StringVar(&o.FindingsFile, "findings", "vnetdrift-findings.jsonl", "append findings to this JSON Lines file")
	faults := fs.String("faults", "", `emulator faults, e.g. "seed=1,throttle=0.1,5xx=0.05,dup=0.2,delay=500ms"`)
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	var err error
	if o.Faults, err = emulator.ParseFaults(*faults); err != nil {
		return fail(env, "dev", fmt.Errorf("--faults: %w", err))
	}
	log, err := newServeLogger(env, env.Getenv(envLogFormat))
	if err != nil {
		return fail(env, "dev", err)
	}
	o.Logger = log
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := demo.Dev(ctx, env.Stdout, o); err != nil {
		return fail(env, "dev", err)
	}
	return ExitOK
}
