package state

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/estate"
)

func TestRowRoundTrip(t *testing.T) {
	f := exempt(hubDrift)
	f.Line = 42
	in := record{
		pk: "fabc", rk: "def", etag: `W/"1"`, finding: f, open: true,
		firstSeen: t0, lastSeen: t0.Add(time.Minute), lastNotified: t0.Add(2 * time.Minute),
		resolvedAt: t0.Add(3 * time.Minute), openedBy: alice, exempt: true, announced: true,
		pending: alert.ReasonExemptionExpired, gen: 7, attempts: 2, delivered: []string{"x/teams/0"},
		leaseUntil: t0.Add(4*time.Minute + time.Nanosecond),
	}
	w, err := toRow(in)
	require.NoError(t, err)
	out, err := fromRow(w)
	require.NoError(t, err)
	assert.True(t, alice.EventTime.Equal(out.openedBy.EventTime))
	out.openedBy.EventTime = alice.EventTime
	assert.Equal(t, in, out)
}

func TestRowTimesAreUTCAndSortAsText(t *testing.T) {
	east := time.FixedZone("east", 5*3600)
	a := formatTime(time.Date(2026, 3, 1, 12, 0, 0, 0, east)) // 07:00 UTC
	b := formatTime(time.Date(2026, 3, 1, 8, 0, 0, 5, time.UTC))
	assert.Equal(t, "2026-03-01T07:00:00.000000000Z", a)
	assert.Less(t, a, b)
	assert.Empty(t, formatTime(time.Time{}))
	_, err := parseTime("LeaseUntil", "yesterday")
	assert.ErrorContains(t, err, "decoding LeaseUntil")
}

func TestRowClipsHugeFindings(t *testing.T) {
	f := hubDrift
	f.Actual = strings.Repeat("é", 40000)
	w, err := toRow(record{finding: f})
	require.NoError(t, err)
	assert.LessOrEqual(t, len(w.Finding), maxFindingJSON)
	out, err := fromRow(w)
	require.NoError(t, err)
	assert.True(t, utf8.ValidString(out.finding.Actual))
	assert.True(t, strings.HasSuffix(out.finding.Actual, "…"))
	assert.Equal(t, f.Expected, out.finding.Expected, "short texts are kept")
}

func TestKeysAreValidTableKeys(t *testing.T) {
	for _, s := range []string{"", "abc123", "a/b", `back\slash`, "hash#", "q?", "pipe|", "ctl\x01", strings.Repeat("x", 300), "ünïcode"} {
		for _, k := range []string{findingRow(s), findingPartition(estate.KeyOf(s))} {
			assert.True(t, safeKey(k), "%q → %q", s, k)
		}
		pk, rk := eventKeys(s)
		assert.True(t, safeKey(pk) && safeKey(rk), "event %q", s)
		assert.True(t, strings.HasPrefix(pk, eventPrefix))
	}
	assert.Equal(t, "0123456789abcdef", findingRow("0123456789abcdef"), "detector fingerprints are kept")
	assert.NotEqual(t, findingRow("a/b"), findingRow("a#b"))
}

func TestParseToken(t *testing.T) {
	pk, rk, gen, err := parseToken(token("fa", "rb", 12))
	require.NoError(t, err)
	assert.Equal(t, []any{"fa", "rb", int32(12)}, []any{pk, rk, gen})
	for _, bad := range []string{"", "a|b", "|b|1", "a||1", "a|b|x", "a|b|1|2", "a|b|99999999999"} {
		_, _, _, err := parseToken(bad)
		assert.Error(t, err, bad)
	}
}
