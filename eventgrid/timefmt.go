package eventgrid

import (
	"fmt"
	"strings"
	"time"
)

// zonelessLayout is RFC 3339 without the offset, as .NET writes a
// DateTime of unspecified kind. time.Parse accepts any fraction of a second
// after the seconds even though the layout has none.
const zonelessLayout = "2006-01-02T15:04:05"

// parseTime parses an event time: RFC 3339 with any fraction of a second,
// or the same without a zone, read as UTC. "" gives the zero time. The
// result is in UTC.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(zonelessLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("want an RFC 3339 time, got %q", clip(s))
	}
	return t.UTC(), nil
}

// clip shortens input quoted in an error message.
func clip(s string) string {
	const limit = 40
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "…"
}
