package cli

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/remediate"
)

func runWithEnv(t *testing.T, vars map[string]string, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, &Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }})
	return code, out.String() + errb.String()
}

func TestServeRejectsBadSettings(t *testing.T) {
	base := map[string]string{envBaseline: exampleBaseline}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for bk, bv := range base {
			if _, set := m[bk]; !set {
				m[bk] = bv
			}
		}
		return m
	}
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no baseline", map[string]string{}, nil, "no baseline: set VNETDRIFT_BASELINE or --baseline"},
		{"bad window", with(envCoalesceWindow, "soon"), nil, `VNETDRIFT_COALESCE_WINDOW="soon": want a positive duration`},
		{"negative repeat", with(envRepeatInterval, "-1h"), nil, "VNETDRIFT_REPEAT_INTERVAL"},
		{"bad log format", with(envLogFormat, "xml"), nil, `VNETDRIFT_LOG_FORMAT="xml": want json or console`},
		{"findings file in a missing directory", with(envFindingsFile, filepath.Join(t.TempDir(), "no", "f.jsonl")), nil, "VNETDRIFT_FINDINGS_FILE: opening findings file"},
		{"bad remediation mode", with("VNETDRIFT_REMEDIATION", "fix-everything"), nil, "VNETDRIFT_REMEDIATION"},
		{"bad hourly cap", with("VNETDRIFT_MAX_WRITES_PER_HOUR", "0"), nil, "VNETDRIFT_MAX_WRITES_PER_HOUR"},
		{"stray argument", base, []string{"extra"}, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out := runWithEnv(t, c.env, append([]string{"serve"}, c.args...)...)
			assert.Equal(t, ExitUsage, code, out)
			assert.Contains(t, out, c.want)
		})
	}
}

func TestServeListenDefaults(t *testing.T) {
	cfg, _, ok := parseServe(&Env{Stderr: &bytes.Buffer{}, Getenv: func(k string) string {
		return map[string]string{envFunctionsPort: "7071", envBaseline: "b.yaml", "VNETDRIFT_SUBSCRIPTIONS": "a, b"}[k]
	}}, nil)
	require.True(t, ok)
	assert.Equal(t, "127.0.0.1:7071", cfg.listen, "the port the Functions host gives")
	assert.Equal(t, []string{"a", "b"}, cfg.handler.Subscriptions)

	cfg, _, ok = parseServe(&Env{Stderr: &bytes.Buffer{}, Getenv: func(string) string { return "" }}, []string{"--baseline", "b.yaml", "--allow-unauthenticated"})
	require.True(t, ok)
	assert.Equal(t, defaultListen, cfg.listen)
	assert.True(t, cfg.handler.AllowUnauthenticated)
}

func TestServeRemediationPolicy(t *testing.T) {
	env := func(vars map[string]string) *Env {
		return &Env{Stderr: &bytes.Buffer{}, Getenv: func(k string) string { return vars[k] }}
	}
	cfg, _, ok := parseServe(env(map[string]string{envBaseline: "b.yaml"}), nil)
	require.True(t, ok)
	assert.Equal(t, remediate.ModeAlert, cfg.policy.Default, "alert-only unless configured")
	assert.False(t, cfg.policy.DryRun)

	vars := map[string]string{envBaseline: "b.yaml", "VNETDRIFT_REMEDIATION": "remediate", "VNETDRIFT_SUBSCRIPTIONS": "s1"}
	cfg, _, ok = parseServe(env(vars), nil)
	require.True(t, ok)
	assert.Equal(t, remediate.ModeRemediate, cfg.policy.ModeFor(nil, "PEERING_NOT_IN_SYNC"))
	assert.Equal(t, []string{"s1"}, cfg.policy.Subscriptions)

	cfg, _, ok = parseServe(env(vars), []string{"--dry-run"})
	require.True(t, ok)
	assert.Equal(t, remediate.ModePlan, cfg.policy.ModeFor(nil, "PEERING_NOT_IN_SYNC"), "--dry-run forces plan")
}

func TestServeLoggerFormat(t *testing.T) {
	var b bytes.Buffer
	env := &Env{Stderr: &b, Getenv: func(k string) string { return map[string]string{envFunctionsPort: "7071"}[k] }}
	log, err := newServeLogger(env, "")
	require.NoError(t, err)
	log.Info("hello")
	assert.Contains(t, b.String(), `"msg":"hello"`, "JSON under the Functions host")

	b.Reset()
	env.Getenv = func(string) string { return "" }
	log, err = newServeLogger(env, "")
	require.NoError(t, err)
	log.Info("hello")
	assert.NotContains(t, b.String(), `"msg"`, "console locally")
	assert.Contains(t, b.String(), "hello")
}
