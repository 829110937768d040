package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/estate"
)

// loadLive reads every network resource in the subscriptions from Azure
// (or from VNETDRIFT_ARM_ENDPOINT) with one Resource Graph query, falling
// back to ARM list calls where Resource Graph is not permitted.
func loadLive(env *Env, subscriptions []string) (*estate.Estate, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := azure.New(azure.Config{
		Endpoint:      env.Getenv(azure.EndpointEnv),
		Subscriptions: subscriptions,
		Logger:        cliLogger(env),
	})
	if err != nil {
		return nil, fmt.Errorf("connecting to Azure: %w", err)
	}
	res, err := r.ReadAll(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the estate from Azure: %w", err)
	}
	e, err := estate.Build(res)
	if err != nil {
		return nil, fmt.Errorf("reading the estate from Azure: %w", err)
	}
	fmt.Fprintf(env.Stderr, "vnetdrift: read %d VNets from %d subscriptions with %d Azure calls\n", len(e.VNets), len(subscriptions), r.Calls())
	return e, nil
}

// cliLogger logs warnings (throttling, fallbacks) to standard error.
func cliLogger(env *Env) *zap.Logger {
	cfg := zap.NewDevelopmentConfig()
	cfg.Level = zap.NewAtomicLevelAt(zap.WarnLevel)
	cfg.DisableStacktrace = true
	log, err := cfg.Build()
	if err != nil {
		return zap.NewNop()
	}
	return log
}
