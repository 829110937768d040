package cli

import (
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/azure"
	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/notify"
	"github.com/vnetdrift/vnetdrift/notify/email"
	"github.com/vnetdrift/vnetdrift/notify/eventgridpub"
	"github.com/vnetdrift/vnetdrift/notify/teams"
)

// buildDispatcher wires the alert channels: routing from the baseline, a
// Teams and an email target per receiver (secrets from app settings, never
// from the baseline), and the sinks (log, JSON lines, Event Grid topic)
// that get every item.
func buildDispatcher(env *Env, b *baseline.Baseline, sinks []alert.Notifier, log *zap.Logger) (*notify.Dispatcher, error) {
	routing, err := notify.ParseRouting(b)
	if err != nil {
		return nil, fmt.Errorf("baseline routing: %w", err)
	}
	cred, err := channelCredential(env)
	if err != nil {
		return nil, err
	}
	targets, err := notify.Build(routing, env.Getenv, notify.Factories{
		notify.KindTeams: func(c notify.Channel) (alert.Notifier, error) {
			return teams.New(teams.Config{Name: c.Key(), URL: teams.Secret(c.URL), Logger: log})
		},
		notify.KindEmail: func(c notify.Channel) (alert.Notifier, error) {
			cfg, ok := email.ConfigFromEnv(env.Getenv, cred)
			if !ok {
				return nil, fmt.Errorf("receiver %q has email recipients but %s is not set", c.Receiver, email.EnvAddr)
			}
			cfg.Name, cfg.To, cfg.Logger = c.Key(), c.To, log
			return email.New(cfg)
		},
	})
	if err != nil {
		return nil, err
	}
	if cfg, ok := eventgridpub.ConfigFromEnv(env.Getenv, cred); ok {
		cfg.Logger = log
		pub, err := eventgridpub.New(cfg)
		if err != nil {
			return nil, fmt.Errorf("event grid topic: %w", err)
		}
		sinks = append(sinks, pub)
	}
	return notify.New(notify.Config{Routing: routing, Receivers: targets, Sinks: sinks, Logger: log}), nil
}

// channelCredential is the managed identity (or az login) for channels that
// authenticate with Entra: XOAUTH2 SMTP and an Event Grid topic without a
// key. It is created only when one of them is configured.
func channelCredential(env *Env) (azcore.TokenCredential, error) {
	xoauth := strings.EqualFold(env.Getenv(email.EnvAuth), string(email.AuthXOAUTH2))
	topicEntra := env.Getenv(eventgridpub.EnvTopicEndpoint) != "" && env.Getenv(eventgridpub.EnvTopicKey) == ""
	if !xoauth && !topicEntra {
		return nil, nil
	}
	return azure.NewCredential("")
}
