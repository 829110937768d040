package handler

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfigFromEnv(t *testing.T) {
	cfg := ConfigFromEnv(env(map[string]string{
		"VNETDRIFT_SUBSCRIPTIONS": " 00000000-0000-0000-0000-000000000001, 00000000-0000-0000-0000-000000000002;x\n",
		"VNETDRIFT_WEBHOOK_KEY":   " k3y \n",
	}))
	assert.Equal(t, []string{"00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002", "x"}, cfg.Subscriptions)
	assert.True(t, cfg.WebhookKey.Equal("k3y"))

	cfg = ConfigFromEnv(env(nil))
	assert.Empty(t, cfg.Subscriptions)
	assert.Equal(t, Secret(""), cfg.WebhookKey)
}

func TestConfigDefaults(t *testing.T) {
	cfg := Config{}.withDefaults()
	assert.Equal(t, int64(1<<20), cfg.MaxBodyBytes)
	assert.Equal(t, 25*time.Second, cfg.Deadline)
	assert.Equal(t, 4*time.Minute, cfg.ReconcileDeadline)
	assert.Equal(t, 10000, cfg.DedupSize)
	assert.Equal(t, 10*time.Minute, cfg.DedupWindow)
	assert.NotNil(t, cfg.Logger)
	assert.NotNil(t, cfg.Metrics)
	assert.Less(t, DefaultDeadline, ShutdownTimeout, "shutdown lets an invocation finish")

	kept := Config{MaxBodyBytes: 5, Deadline: time.Second}.withDefaults()
	assert.Equal(t, int64(5), kept.MaxBodyBytes)
	assert.Equal(t, time.Second, kept.Deadline)
}

func TestListenAddr(t *testing.T) {
	tests := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"FUNCTIONS_CUSTOMHANDLER_PORT": "49152"}, "127.0.0.1:49152"},
		{map[string]string{"FUNCTIONS_HTTPWORKER_PORT": "7072"}, "127.0.0.1:7072"},
		{map[string]string{"FUNCTIONS_CUSTOMHANDLER_PORT": "1", "FUNCTIONS_HTTPWORKER_PORT": "2"}, "127.0.0.1:1"},
		{nil, ":8080"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ListenAddr(env(tt.vars), ":8080"))
	}
}
