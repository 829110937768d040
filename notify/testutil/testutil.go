// Package testutil holds test helpers for the channel packages: assertions
// that no secret (webhook URL, SMTP password, topic key) leaks into logs
// or errors.
package testutil

import (
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// Logger returns a logger that records every entry, debug level and up,
// for AssertNoSecret.
func Logger() (*zap.Logger, *observer.ObservedLogs) {
	core, logs := observer.New(zapcore.DebugLevel)
	return zap.New(core), logs
}

// AssertNoSecret fails the test if any secret appears in a recorded log
// entry: its message, logger name, caller, stack or any field, as the
// JSON encoder writes them. Empty secrets are a mistake in the test and
// fail it.
func AssertNoSecret(t testing.TB, logs *observer.ObservedLogs, secrets ...string) {
	t.Helper()
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	var texts []string
	for _, e := range logs.All() {
		buf, err := enc.EncodeEntry(e.Entry, e.Context)
		if err != nil {
			t.Fatalf("encoding log entry %q: %v", e.Message, err)
		}
		texts = append(texts, buf.String())
		buf.Free()
	}
	assertAbsent(t, texts, secrets)
}

// AssertErrorHasNoSecret fails the test if any secret appears in err as
// %v, %+v or %#v.
func AssertErrorHasNoSecret(t testing.TB, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		assertAbsent(t, nil, secrets)
		return
	}
	assertAbsent(t, []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}, secrets)
}

func assertAbsent(t testing.TB, texts, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			t.Errorf("AssertNoSecret: empty secret")
			continue
		}
		for _, text := range texts {
			if strings.Contains(text, s) {
				t.Errorf("secret %q leaked in: %s", redact(s), strings.ReplaceAll(text, s, "<SECRET>"))
			}
		}
	}
}

// redact shows enough of a secret to recognise it in a failure message.
func redact(s string) string {
	if len(s) <= 8 {
		return "…"
	}
	return s[:8] + "…"
}
