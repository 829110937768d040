package cli

import (
	"errors"

	"github.com/vnetdrift/vnetdrift/estate"
)

// loadLive reads an estate from Azure. Wired to package azure once it lands.
func loadLive(env *Env, subscriptions []string) (*estate.Estate, error) {
	return nil, errors.New("--subscription is not available in this build")
}
