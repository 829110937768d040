// Package cli is vnetdrift's command line: it parses arguments, wires the
// packages together and maps outcomes to exit codes (0 clean, 1 drift found,
// 2 usage or input error).
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitDrift = 1
	ExitUsage = 2
)

// Version is set at build time with -ldflags "-X …/cli.Version=…".
var Version = "dev"

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(env *Env, args []string) int
}

// Env is what a command may touch: its output streams and environment.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Getenv         func(string) string
}

func commands() []command {
	return []command{
		{"scan", "evaluate an estate (files or live Azure) against a baseline", runScan},
		{"baseline", "baseline capture: write a baseline from an estate", runBaseline},
		{"emulator", "serve the ARM + Event Grid emulator on loopback", runEmulator},
		{"serve", "serve the Azure Functions custom handler / Event Grid webhook (the event-driven detector)", runServe},
		{"demo", "the whole loop on the embedded example estate and the emulator (make run)", runDemo},
		{"dev", "keep the emulator and serve running for experiments until Ctrl-C (make dev)", runDev},
		{"remediate", "remediate plan|apply: show or send the guarded fixes for drift the baseline allows", runRemediate},
		{"replay", "re-send dead-lettered Event Grid events to vnetdrift (after an outage)", runReplay},
		{"version", "print the version", func(env *Env, _ []string) int {
			fmt.Fprintln(env.Stdout, "vnetdrift", Version)
			return ExitOK
		}},
	}
}

// Main runs the command line and returns the process exit code.
func Main(args []string, env *Env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "vnetdrift: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: vnetdrift <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'vnetdrift <command> -h' for a command's flags.")
}

// parseFlags parses args with fs and reports a usage error on failure.
// It returns ok=false with the exit code to use.
func parseFlags(env *Env, fs *flag.FlagSet, args []string) (int, bool) {
	fs.SetOutput(env.Stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, false
		}
		return ExitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "vnetdrift %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return ExitUsage, false
	}
	return 0, true
}

// fail prints an input or usage error and returns ExitUsage.
func fail(env *Env, cmd string, err error) int {
	fmt.Fprintf(env.Stderr, "vnetdrift %s: %v\n", cmd, err)
	return ExitUsage
}

// listFlag is a repeatable string flag that also splits on commas.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}
