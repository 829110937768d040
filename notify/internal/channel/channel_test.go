package channel

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetrierCheck(t *testing.T) {
	tests := []struct {
		status    int
		ok, retry bool
		reason    Reason
	}{
		{200, true, false, ReasonOther},
		{202, true, false, ReasonOther},
		{204, true, false, ReasonOther},
		{400, false, false, ReasonClientError},
		{401, false, false, ReasonAuthError},
		{403, false, false, ReasonAuthError},
		{404, false, false, ReasonClientError},
		{408, false, true, ReasonClientError},
		{413, false, false, ReasonClientError},
		{429, false, true, ReasonRateLimited},
		{500, false, true, ReasonServerError},
		{503, false, true, ReasonServerError},
		{302, false, false, ReasonOther},
	}
	for _, tt := range tests {
		ok, retry, reason := HTTPRetrier.Check(tt.status)
		assert.Equal(t, []any{tt.ok, tt.retry, tt.reason}, []any{ok, retry, reason}, "status %d", tt.status)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"30":                            30 * time.Second,
		"-5":                            0,
		"later":                         0,
		"Sat, 14 Mar 2026 09:01:30 GMT": 90 * time.Second,
		"Sat, 14 Mar 2026 08:00:00 GMT": 0,
	}
	for v, want := range tests {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		assert.Equal(t, want, RetryAfter(h, now), "%q", v)
	}
}

func TestErrorCarriesReasonAndRetryAfter(t *testing.T) {
	cause := errors.New("HTTP 429")
	err := fmt.Errorf("notifying: %w", &Error{Reason: ReasonRateLimited, StatusCode: 429, After: 3 * time.Second, Err: cause})
	var ra interface{ RetryAfter() time.Duration }
	require.ErrorAs(t, err, &ra)
	assert.Equal(t, 3*time.Second, ra.RetryAfter())
	assert.Equal(t, ReasonRateLimited, ReasonOf(err))
	assert.Equal(t, "rateLimited", ReasonOf(err).String())
	assert.ErrorIs(t, err, cause)
	assert.Equal(t, ReasonOther, ReasonOf(cause))
}

func TestStripURL(t *testing.T) {
	const sig = "c2lnbmF0dXJlLXNlY3JldA"
	err := &url.Error{Op: "Post", URL: "https://prod.logic.azure.com/workflows/x?sig=" + sig, Err: errors.New("connection refused")}
	got := StripURL(fmt.Errorf("wrapped: %w", err))
	assert.Equal(t, "Post request: connection refused", got.Error())
	assert.NotContains(t, fmt.Sprintf("%+v", got), sig)
	plain := errors.New("plain")
	assert.Equal(t, plain, StripURL(plain))
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("p@ss-w0rd")
	type cfg struct{ Password Secret }
	c := cfg{s}
	j, err := json.Marshal(c)
	require.NoError(t, err)
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s", c, c, c, s), string(j)} {
		assert.NotContains(t, out, "p@ss-w0rd")
		assert.Contains(t, out, "redacted")
	}
	assert.Equal(t, "p@ss-w0rd", s.Reveal())
}
