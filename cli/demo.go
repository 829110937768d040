package cli

import (
	"context"
	"flag"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/demo"
)

func runDemo(env *Env, args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	verbose := fs.Bool("v", false, "log every emulator and Azure SDK event")
	if code, ok := parseFlags(env, fs, args); !ok {
		return code
	}
	log := zap.NewNop()
	if *verbose {
		log, _ = zap.NewDevelopment()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := demo.Run(ctx, env.Stdout, log); err != nil {
		return fail(env, "demo", err)
	}
	return ExitOK
}
