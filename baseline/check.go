package baseline

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
)

// Resource types (the segment after Microsoft.Network/) that baseline
// fields refer to.
const (
	kindVNet         = "virtualNetworks"
	kindGateway      = "virtualNetworkGateways"
	kindConnection   = "connections"
	kindLocalGateway = "localNetworkGateways"
)

// idPatterns match the resource IDs of each kind, case-insensitively.
var idPatterns = map[string]*regexp.Regexp{
	kindVNet:         idPattern(kindVNet),
	kindGateway:      idPattern(kindGateway),
	kindConnection:   idPattern(kindConnection),
	kindLocalGateway: idPattern(kindLocalGateway),
}

// idPattern matches the resource IDs of a kind. It spells case-insensitive
// letters as [Xx] classes rather than using (?i), so that it means the
// same in Go and in the ECMA-262 regexps of JSON Schema tools (and so that
// 'K' does not match the Kelvin sign). The schema uses the same patterns.
func idPattern(kind string) *regexp.Regexp {
	return regexp.MustCompile("^/" + anyCase("subscriptions") + "/[^/]+/" + anyCase("resourceGroups") + "/[^/]+/" +
		anyCase("providers") + "/" + anyCase("Microsoft") + `\.` + anyCase("Network") + "/" + anyCase(kind) + "/[^/]+$")
}

// anyCase returns a regexp matching an ASCII word in any letter case.
func anyCase(word string) string {
	var b strings.Builder
	for _, r := range word {
		if u, l := unicode.ToUpper(r), unicode.ToLower(r); u != l {
			fmt.Fprintf(&b, "[%c%c]", u, l)
		} else {
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String()
}

// checkID reports why id is not the resource ID of one of kinds; nil if it is.
func checkID(id string, kinds ...string) error {
	for _, k := range kinds {
		if idPatterns[k].MatchString(id) {
			return nil
		}
	}
	want := make([]string, len(kinds))
	for i, k := range kinds {
		want[i] = "/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/" + k + "/<name>"
	}
	return fmt.Errorf("bad resource ID %q: want %s", id, strings.Join(want, " or "))
}

// parsePrefix parses a CIDR prefix that must be in canonical (masked) form.
func parsePrefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return p, fmt.Errorf("bad CIDR %q: %w", s, err)
	}
	if p.Masked() != p {
		return p, fmt.Errorf("bad CIDR %q: host bits set (did you mean %s?)", s, p.Masked())
	}
	return p, nil
}

// parseAddr parses an IP address without a zone.
func parseAddr(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return a, fmt.Errorf("bad IP address %q: %w", s, err)
	}
	if a.Zone() != "" {
		return a, fmt.Errorf("bad IP address %q: zones are not allowed", s)
	}
	return a, nil
}

// parseExpiry parses a date (meaning the end of that day UTC) or an RFC
// 3339 time, and returns the instant from which the exemption is expired.
func parseExpiry(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.AddDate(0, 0, 1), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, fmt.Errorf("bad date %q: want YYYY-MM-DD or an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

// formatExpiry is the inverse of parseExpiry: a midnight UTC instant is
// written as the date of the day before.
func formatExpiry(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	return t.Format(time.RFC3339Nano)
}

// canonical returns the element of allowed that equals s ignoring case.
func canonical(s string, allowed []string) (string, bool) {
	for _, a := range allowed {
		if strings.EqualFold(s, a) {
			return a, true
		}
	}
	return "", false
}

// enumValues converts an SDK enum list into sorted strings.
func enumValues[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	sort.Strings(out)
	return out
}

// Allowed values of the enumerated ARM fields, taken from the SDK.
var (
	gatewayTypes       = enumValues(armnetwork.PossibleVirtualNetworkGatewayTypeValues())
	vpnTypes           = enumValues(armnetwork.PossibleVPNTypeValues())
	gatewaySKUs        = enumValues(armnetwork.PossibleVirtualNetworkGatewaySKUNameValues())
	gatewayGenerations = enumValues(armnetwork.PossibleVPNGatewayGenerationValues())
	connectionTypes    = enumValues(armnetwork.PossibleVirtualNetworkGatewayConnectionTypeValues())
	protocols          = enumValues(armnetwork.PossibleVirtualNetworkGatewayConnectionProtocolValues())
	ipsecEncryptions   = enumValues(armnetwork.PossibleIPSecEncryptionValues())
	ipsecIntegrities   = enumValues(armnetwork.PossibleIPSecIntegrityValues())
	ikeEncryptions     = enumValues(armnetwork.PossibleIkeEncryptionValues())
	ikeIntegrities     = enumValues(armnetwork.PossibleIkeIntegrityValues())
	dhGroups           = enumValues(armnetwork.PossibleDhGroupValues())
	pfsGroups          = enumValues(armnetwork.PossiblePfsGroupValues())
)

// Severities and modes a rule setting accepts.
var (
	severities = []string{"high", "medium", "low"}
	modes      = []string{"alert", "plan", "remediate"}
)
