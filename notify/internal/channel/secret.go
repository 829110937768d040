// Package channel holds what the notification channels (Teams, email,
// Event Grid) share: a Secret type that never prints, the retry policy as
// data, and a failure error that carries its reason and Retry-After.
package channel

// Secret is a string that never prints: String, GoString, MarshalJSON and
// MarshalText all give "<redacted>". Reveal returns the value.
type Secret string

// Redacted is what a Secret prints as.
const Redacted = "<redacted>"

// String returns "<redacted>".
func (Secret) String() string { return Redacted }

// GoString returns "<redacted>", also for %#v.
func (Secret) GoString() string { return Redacted }

// MarshalJSON returns the JSON string "<redacted>".
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText returns "<redacted>".
func (Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// Reveal returns the secret value, for the one place that sends it.
func (s Secret) Reveal() string { return string(s) }
