package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/handler"
	"github.com/vnetdrift/vnetdrift/notify/jsonl"
	"github.com/vnetdrift/vnetdrift/notify/logsink"
	"github.com/vnetdrift/vnetdrift/pipeline"
	"github.com/vnetdrift/vnetdrift/remediate"
	"github.com/vnetdrift/vnetdrift/state"
)

// Settings `vnetdrift serve` reads besides handler.ConfigFromEnv's
// VNETDRIFT_SUBSCRIPTIONS and VNETDRIFT_WEBHOOK_KEY, and state.FromEnv's.
const (
	envBaseline       = "VNETDRIFT_BASELINE"
	envFindingsFile   = "VNETDRIFT_FINDINGS_FILE"
	envCoalesceWindow = "VNETDRIFT_COALESCE_WINDOW"
	envRepeatInterval = "VNETDRIFT_REPEAT_INTERVAL"
	envLogFormat      = "VNETDRIFT_LOG_FORMAT"
	envFunctionsPort  = "FUNCTIONS_CUSTOMHANDLER_PORT"
)

// defaultListen is where serve listens outside the Functions host.
const defaultListen = "127.0.0.1:8080"

// serveConfig is everything serve is configured with.
type serveConfig struct {
	listen       string
	baseline     string
	endpoint     string
	findingsFile string
	logFormat    string
	handler      handler.Config
	window       time.Duration
	repeat       time.Duration
	policy       remediate.Policy
}

func runServe(env *Env, args []string) int {
	cfg, code, ok := parseServe(env, args)
	if !ok {
		return code
	}
	log, err := newServeLogger(env, cfg.logFormat)
	if err != nil {
		return fail(env, "serve", err)
	}
	defer func() { _ = log.Sync() }()
	sinks, closeSinks, err := serveSinks(cfg, log)
	if err != nil {
		return fail(env, "serve", err)
	}
	defer closeSinks()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := handler.NewMetrics()
	p := pipeline.NewLazy(func(ctx context.Context) (*pipeline.Pipeline, error) {
		return buildPipeline(ctx, env, cfg, sinks, log, m)
	}, log)
	defer p.Close()
	cfg.handler.Logger, cfg.handler.Metrics = log, m
	if err := handler.Serve(ctx, cfg.listen, handler.New(p, cfg.handler), log); err != nil {
		log.Error("serve stopped", zap.Error(err))
		return ExitUsage
	}
	return ExitOK
}

// parseServe reads flags and settings. Bad settings are usage errors, so
// that a misconfigured Function App fails at start rather than per event.
func parseServe(env *Env, args []string) (serveConfig, int, bool) {
	cfg := serveConfig{handler: handler.ConfigFromEnv(env.Getenv)}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&cfg.listen, "listen", handler.ListenAddr(env.Getenv, defaultListen),
		"address to serve on (default 127.0.0.1:$"+envFunctionsPort+" under the Functions host, else "+defaultListen+")")
	fs.StringVar(&cfg.baseline, "baseline", env.Getenv(envBaseline), "baseline file or https blob URL ($"+envBaseline+")")
	dryRun := fs.Bool("dry-run", false, "plan every remediation and send nothing, whatever $"+remediate.EnvMode+" and the baseline say")
	fs.BoolVar(&cfg.handler.AllowUnauthenticated, "allow-unauthenticated", false,
		"serve "+handler.WebhookPath+" without $VNETDRIFT_WEBHOOK_KEY (local loops only)")
	if code, ok := parseFlags(env, fs, args); !ok {
		return cfg, code, false
	}
	var err error
	cfg.endpoint = env.Getenv(azure.EndpointEnv)
	cfg.findingsFile = strings.TrimSpace(env.Getenv(envFindingsFile))
	cfg.logFormat = env.Getenv(envLogFormat)
	if cfg.window, err = durationSetting(env, envCoalesceWindow); err == nil {
		cfg.repeat, err = durationSetting(env, envRepeatInterval)
	}
	if err == nil {
		cfg.policy, err = remediate.PolicyFromEnv(env.Getenv)
		cfg.policy.DryRun = cfg.policy.DryRun || *dryRun
	}
	if err == nil && strings.TrimSpace(cfg.baseline) == "" {
		err = errors.New("no baseline: set " + envBaseline + " or --baseline")
	}
	if err != nil {
		return cfg, fail(env, "serve", err), false
	}
	return cfg, 0, true
}

// durationSetting parses an optional Go duration setting ("250ms", "24h").
func durationSetting(env *Env, name string) (time.Duration, error) {
	v := strings.TrimSpace(env.Getenv(name))
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q: want a positive duration such as 250ms or 24h", name, v)
	}
	return d, nil
}

// newServeLogger logs JSON under the Functions host (or when
// VNETDRIFT_LOG_FORMAT=json) and human-readable lines otherwise.
func newServeLogger(env *Env, format string) (*zap.Logger, error) {
	format = strings.ToLower(strings.TrimSpace(format))
	if format == "" {
		format = "console"
		if env.Getenv(envFunctionsPort) != "" {
			format = "json"
		}
	}
	var enc zapcore.Encoder
	switch format {
	case "json":
		ec := zap.NewProductionEncoderConfig()
		ec.EncodeTime = zapcore.ISO8601TimeEncoder
		enc = zapcore.NewJSONEncoder(ec)
	case "console":
		enc = zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig())
	default:
		return nil, fmt.Errorf("%s=%q: want json or console", envLogFormat, format)
	}
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(env.Stderr), zap.InfoLevel)), nil
}

// serveSinks returns the notifiers: the log always, the findings file when
// VNETDRIFT_FINDINGS_FILE is set.
func serveSinks(cfg serveConfig, log *zap.Logger) ([]alert.Notifier, func(), error) {
	sinks := []alert.Notifier{logsink.New(log)}
	if cfg.findingsFile == "" {
		return sinks, func() {}, nil
	}
	f, err := jsonl.Open(cfg.findingsFile)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", envFindingsFile, err)
	}
	return append(sinks, f), func() { _ = f.Close() }, nil
}

// buildPipeline does the slow part of starting, after serve listens: the
// Azure reader and credential, the baseline (possibly a blob) and the
// state store.
func buildPipeline(ctx context.Context, env *Env, cfg serveConfig, sinks []alert.Notifier, log *zap.Logger, m *handler.Metrics) (*pipeline.Pipeline, error) {
	reader, err := azure.New(azure.Config{Endpoint: cfg.endpoint, Subscriptions: cfg.handler.Subscriptions, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("connecting to Azure: %w", err)
	}
	var cred azcore.TokenCredential
	if strings.HasPrefix(strings.ToLower(cfg.baseline), "https://") {
		if cred, err = azure.NewCredential(""); err != nil {
			return nil, err
		}
	}
	b, err := pipeline.LoadBaseline(ctx, cfg.baseline, cred, nil)
	if err != nil {
		return nil, err
	}
	st, err := state.FromEnv(ctx, env.Getenv)
	if err != nil {
		return nil, err
	}
	stateName := fmt.Sprintf("%T", st)
	if s, ok := st.(fmt.Stringer); ok {
		stateName = s.String()
	}
	log.Info("pipeline configured", zap.String("baseline", b.Path), zap.Int("baseline_vnets", len(b.VNets)),
		zap.Strings("subscriptions", cfg.handler.Subscriptions), zap.String("state", stateName))
	d, err := buildDispatcher(env, b, sinks, log)
	if err != nil {
		return nil, err
	}
	repeat := cfg.repeat
	if repeat == 0 {
		repeat = d.RepeatInterval()
	}
	return pipeline.New(pipeline.Config{
		Reader: reader, Baseline: b, State: st, Dispatcher: d, Remediator: newRemediator(reader, st, cfg.policy, log),
		CoalesceWindow: cfg.window, RepeatInterval: repeat, Logger: log, Metrics: m,
	})
}

// newRemediator returns the executor of the event path: writes through the
// reader's clients, the hourly write cap shared with every instance through
// the state store. Which rules it acts on, if any, is the policy's and the
// baseline's business (every rule is alert-only by default).
func newRemediator(reader *azure.Reader, st alert.State, p remediate.Policy, log *zap.Logger) *remediate.Executor {
	x := remediate.New(reader, p, log, nil)
	x.Budget = remediate.SharedBudget(st.ClaimEvent, x.Policy().MaxWritesPerHour)
	log.Info("remediation configured", zap.String("default_mode", string(x.Policy().Default)), zap.Bool("dry_run", p.DryRun),
		zap.Strings("writable_subscriptions", p.Subscriptions), zap.Int("self_ids", len(p.SelfIDs)),
		zap.Int("max_writes_per_evaluation", x.Policy().MaxWritesPerEvaluation), zap.Int("max_writes_per_hour", x.Policy().MaxWritesPerHour))
	return x
}
