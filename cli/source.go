package cli

import (
	"errors"
	"flag"
	"fmt"

	"github.com/vnetdrift/vnetdrift/estate"
)

// sourceFlags selects where an estate comes from: files, or live Azure.
type sourceFlags struct {
	estates       listFlag
	subscriptions listFlag
}

func (s *sourceFlags) register(fs *flag.FlagSet) {
	fs.Var(&s.estates, "estate", "estate JSON file (repeatable; merged): ARM resources, {\"value\":[…]}, Resource Graph {\"data\":[…]} or az CLI output")
	fs.Var(&s.subscriptions, "subscription", "read the estate live from Azure in this subscription (repeatable); honours VNETDRIFT_ARM_ENDPOINT")
}

// load reads the estate from files or Azure.
func (s *sourceFlags) load(env *Env) (*estate.Estate, error) {
	switch {
	case len(s.estates) > 0 && len(s.subscriptions) > 0:
		return nil, errors.New("give either --estate or --subscription, not both")
	case len(s.estates) > 0:
		e, err := estate.Load(s.estates...)
		if err != nil {
			return nil, err
		}
		reportSkipped(env, e)
		return e, nil
	case len(s.subscriptions) > 0:
		return loadLive(env, s.subscriptions)
	}
	return nil, errors.New("no estate: give --estate FILE or --subscription ID")
}

func reportSkipped(env *Env, e *estate.Estate) {
	n := 0
	for _, c := range e.Skipped {
		n += c
	}
	if n > 0 {
		fmt.Fprintf(env.Stderr, "vnetdrift: skipped %d resources of types vnetdrift does not model\n", n)
	}
}
