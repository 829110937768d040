package cli

import (
	"flag"
	"fmt"
	"os"

	"github.com/vnetdrift/vnetdrift/baseline"
)

func runBaseline(env *Env, args []string) int {
	if len(args) == 0 || args[0] != "capture" {
		fmt.Fprintln(env.Stderr, "usage: vnetdrift baseline capture (--estate FILE … | --subscription ID …) [-o baseline.yaml]")
		return ExitUsage
	}
	var src sourceFlags
	var out string
	fs := flag.NewFlagSet("baseline capture", flag.ContinueOnError)
	src.register(fs)
	fs.StringVar(&out, "o", "", "write the baseline to this file instead of standard output")
	if code, ok := parseFlags(env, fs, args[1:]); !ok {
		return code
	}
	est, err := src.load(env)
	if err != nil {
		return fail(env, "baseline capture", err)
	}
	data, err := baseline.Marshal(baseline.Capture(est))
	if err != nil {
		return fail(env, "baseline capture", err)
	}
	if out == "" {
		_, err = env.Stdout.Write(data)
	} else {
		err = os.WriteFile(out, data, 0o644)
	}
	if err != nil {
		return fail(env, "baseline capture", fmt.Errorf("writing baseline: %w", err))
	}
	return ExitOK
}
