// Package redact removes credentials from text before it is logged or
// returned: URL queries (SAS signatures, Functions keys) and the secret
// pairs of storage connection strings.
package redact

import "regexp"

// Placeholder replaces what was removed.
const Placeholder = "<redacted>"

// Patterns of credentials that an error from below (the state store, a
// channel, the Azure SDK) may quote: the query of a URL, which holds a
// SAS signature (sig=) or a Functions key (code=), and the secret pairs of
// a storage connection string. A transport error of the SDK quotes the
// whole request URL, SAS included.
var (
	urlQuery    = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>?]+)\?([^\s"'<>]*[^\s"'<>:;,.)])?`)
	secretPairs = regexp.MustCompile(`(?i)\b(AccountKey|SharedAccessSignature|sig|code|password)=[^\s;&"'<>]+`)
)

// String returns text with every URL query and every secret pair
// replaced by "<redacted>": the form in which an error's text is logged
// and returned to the Functions host.
func String(text string) string {
	text = urlQuery.ReplaceAllString(text, "${1}?"+Placeholder)
	return secretPairs.ReplaceAllString(text, "${1}="+Placeholder)
}
