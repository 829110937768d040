package email

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
)

func TestConfigFromEnv(t *testing.T) {
	cred := &staticCred{token: "t"}
	env := map[string]string{
		EnvAddr: "smtp.azurecomm.net:587", EnvUsername: acsUser, EnvPassword: "pw-from-env", EnvAuth: " XOAUTH2 ",
		EnvFrom: "DoNotReply@contoso.example", EnvTo: "netops@contoso.example, secops@contoso.example,",
	}
	cfg, ok := ConfigFromEnv(func(k string) string { return env[k] }, cred)
	require.True(t, ok)
	assert.Equal(t, Config{Addr: "smtp.azurecomm.net:587", Username: acsUser, Password: "pw-from-env", Auth: AuthXOAUTH2,
		Credential: cred, From: "DoNotReply@contoso.example", To: []string{"netops@contoso.example", "secops@contoso.example"}}, cfg)
	_, err := New(cfg)
	require.NoError(t, err)

	env[EnvAuth] = ""
	cfg, _ = ConfigFromEnv(func(k string) string { return env[k] }, cred)
	assert.Nil(t, cfg.Credential, "the credential is only for xoauth2")
	n, err := New(cfg)
	require.NoError(t, err)
	assert.Equal(t, AuthPlain, n.cfg.Auth, "default")

	_, ok = ConfigFromEnv(func(string) string { return "" }, nil)
	assert.False(t, ok)
}

func TestNewRejectsBadConfig(t *testing.T) {
	const pw = "hunter2-hunter2"
	good := Config{Addr: "smtp.example.com:587", Username: "u", Password: pw, From: "a@example.com", To: []string{"b@example.com"}}
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"no port", func(c *Config) { c.Addr = "smtp.example.com" }, "want host:port"},
		{"bad port", func(c *Config) { c.Addr = "smtp.example.com:smtp" }, "bad port"},
		{"bad sender", func(c *Config) { c.From = "not an address" }, "sender"},
		{"no recipients", func(c *Config) { c.To = nil }, "no recipients"},
		{"bad recipient", func(c *Config) { c.To = []string{"b@example.com", "nobody"} }, `recipient "nobody"`},
		{"no password", func(c *Config) { c.Password = "" }, "password is empty"},
		{"xoauth2 without credential", func(c *Config) { c.Auth = AuthXOAUTH2 }, "token credential"},
		{"unknown auth", func(c *Config) { c.Auth = "cram-md5" }, `"cram-md5"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.mutate(&cfg)
			_, err := New(cfg)
			require.ErrorContains(t, err, tt.want)
			assert.NotContains(t, err.Error(), pw)
		})
	}
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", good, good, good), pw, "a Config prints without its password")
}

func TestSTARTTLSUnlessLoopback(t *testing.T) {
	for addr, want := range map[string]string{
		"smtp.azurecomm.net:587": "TLSMandatory", "10.0.0.5:25": "TLSMandatory",
		"127.0.0.1:1025": "TLSOpportunistic", "[::1]:1025": "TLSOpportunistic", "localhost:1025": "TLSOpportunistic",
	} {
		n, err := New(Config{Addr: addr, Username: "u", Password: "p", From: "a@example.com", To: []string{"b@example.com"}})
		require.NoError(t, err)
		c, err := n.client(context.Background())
		require.NoError(t, err)
		assert.Equal(t, want, c.TLSPolicy(), addr)
	}
}

func TestNotifyEmptyNoticeSendsNothing(t *testing.T) {
	n, err := New(Config{Addr: "127.0.0.1:1", From: "a@example.com", To: []string{"b@example.com"}})
	require.NoError(t, err)
	retry, err := n.Notify(context.Background(), alert.Notice{})
	assert.NoError(t, err, "nothing to say: no connection attempted")
	assert.False(t, retry)
}
