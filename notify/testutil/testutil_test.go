package testutil

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/zap"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.failed = append(r.failed, fmt.Sprintf(f, a...)) }
func (r *recorder) Fatalf(f string, a ...any) { r.Errorf(f, a...) }

const secret = "https://prod.logic.azure.com/workflows/x?sig=S3CRET"

func TestAssertNoSecret(t *testing.T) {
	tests := []struct {
		name string
		log  func(*zap.Logger)
		fail bool
	}{
		{"clean", func(l *zap.Logger) { l.Info("posted", zap.String("host", "prod.logic.azure.com")) }, false},
		{"in the message", func(l *zap.Logger) { l.Info("posting to " + secret) }, true},
		{"in a field", func(l *zap.Logger) { l.Warn("failed", zap.String("url", secret)) }, true},
		{"in an error field", func(l *zap.Logger) { l.Error("failed", zap.Error(errors.New("Post "+secret))) }, true},
		{"in a named logger", func(l *zap.Logger) { l.Named(secret).Debug("x") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, logs := Logger()
			tt.log(log)
			r := &recorder{TB: t}
			AssertNoSecret(r, logs, secret)
			assert.Equal(t, tt.fail, len(r.failed) > 0, r.failed)
			for _, f := range r.failed {
				assert.NotContains(t, f, "sig=S3CRET", "the failure message shows only a prefix")
			}
		})
	}
}

func TestAssertErrorHasNoSecret(t *testing.T) {
	r := &recorder{TB: t}
	AssertErrorHasNoSecret(r, errors.New("posting to host prod.logic.azure.com: 500"), secret)
	assert.Empty(t, r.failed)
	AssertErrorHasNoSecret(r, fmt.Errorf("wrapped: %w", errors.New(secret)), secret)
	assert.Len(t, r.failed, 3, "in %%v, %%+v and %%#v")
	r.failed = nil
	AssertErrorHasNoSecret(r, nil, "")
	assert.Len(t, r.failed, 1, "an empty secret is a mistake")
}
