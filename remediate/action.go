package remediate

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

// APIVersion is the Microsoft.Network API version of every request; it is
// the version the armnetwork/v8 clients send.
const APIVersion = "2025-03-01"

// Kinds of action.
const (
	// KindPeeringSync PUTs a peering unchanged with syncRemoteAddressSpace=true.
	KindPeeringSync = "peering-sync"
	// KindPeeringFlags PUTs a peering with the baseline's four flags.
	KindPeeringFlags = "peering-flags"
	// KindPeeringCreate creates a missing peering half.
	KindPeeringCreate = "peering-create"
	// KindPeeringReinit PUTs a Disconnected half unchanged, which brings it
	// back to Initiated so that its peer can be created.
	KindPeeringReinit = "peering-reinit"
	// KindLocalGatewayPrefixes sets a local network gateway's prefixes.
	KindLocalGatewayPrefixes = "local-gateway-prefixes"
	// KindGatewaySettings sets a VPN gateway's activeActive and enableBgp.
	KindGatewaySettings = "gateway-settings"
)

// actionRules are the rules that have an action; every other rule is alert-only.
var actionRules = []string{
	detector.RulePeeringNotInSync, detector.RulePeeringSettingsDrift, detector.RulePeeringMissing,
	detector.RulePeeringNotConnected, detector.RuleLocalGatewayStale, detector.RuleGatewaySettingsDrift,
}

// HasAction reports whether a rule has an automatic action.
func HasAction(rule string) bool { return slices.Contains(actionRules, rule) }

// Action is one ARM request that would fix (part of) a finding.
type Action struct {
	Finding detector.Finding `json:"finding"`
	// Also lists other findings the same request fixes (deduplicated).
	Also       []detector.Finding `json:"also,omitempty"`
	Kind       string             `json:"kind"`
	Method     string             `json:"method"`
	ResourceID string             `json:"resourceId"`
	// URL is the request path and query, relative to the ARM endpoint.
	URL   string            `json:"url"`
	Query map[string]string `json:"query"`
	// Body is the JSON body computed from the estate Plan saw. Apply
	// re-reads the resource and sends it with only the fields this Kind
	// owns changed, so settable fields the estate does not model are kept.
	Body   json.RawMessage `json:"body,omitempty"`
	Before string          `json:"before,omitempty"`
	After  string          `json:"after,omitempty"`
	Reason string          `json:"reason"`
	Mode   Mode            `json:"mode"`
	// Skipped says why the action will not be sent; "" if it will be.
	Skipped string `json:"skipped,omitempty"`
	// LockVNet is the VNet whose one-operation-at-a-time lock the write takes.
	LockVNet string `json:"lockVnet,omitempty"`
	// AllowDelete is the rule's allowDelete setting (never used today: no
	// action deletes).
	AllowDelete bool `json:"-"`
}

// Findings returns the finding and the other findings the action fixes.
func (a Action) Findings() []detector.Finding {
	return append([]detector.Finding{a.Finding}, a.Also...)
}

// Request renders the request line: "PUT /subscriptions/…?api-version=…".
func (a Action) Request() string { return a.Method + " " + a.URL }

// requestURL builds the path and sorted query of a request on resource id.
func requestURL(id string, query map[string]string) string {
	v := url.Values{}
	for k, q := range query {
		v.Set(k, q)
	}
	return id + "?" + v.Encode()
}

func newAction(f detector.Finding, kind, id string, body any, extra map[string]string) Action {
	q := map[string]string{"api-version": APIVersion}
	for k, v := range extra {
		q[k] = v
	}
	raw, err := json.Marshal(body)
	if err != nil {
		raw = nil // SDK models always marshal; keep the action valid
	}
	return Action{Finding: f, Kind: kind, Method: http.MethodPut, ResourceID: id, URL: requestURL(id, q), Query: q, Body: raw}
}

// writable are the resource types an action may write.
var writable = []string{estate.TypePeering, estate.TypeLocalGateway, estate.TypeGateway}

// Validate enforces the never-list on one action: only PUT (DELETE only
// when the rule sets allowDelete, and never on a VNet), only peerings,
// local network gateways and VPN gateways (so no VNet is ever written and
// no address space can shrink), and the URL names the resource.
func Validate(a Action) error {
	typ := estate.TypeFromID(a.ResourceID)
	switch {
	case a.Method == http.MethodDelete && !a.AllowDelete:
		return fmt.Errorf("action on %q: DELETE is never sent without allowDelete", a.ResourceID)
	case a.Method != http.MethodPut && a.Method != http.MethodDelete:
		return fmt.Errorf("action on %q: method %q is not allowed", a.ResourceID, a.Method)
	case !slices.ContainsFunc(writable, func(t string) bool { return strings.EqualFold(t, typ) }):
		return fmt.Errorf("action on %q: resource type %q is never written", a.ResourceID, typ)
	case !strings.HasPrefix(strings.ToLower(a.URL), strings.ToLower(a.ResourceID)+"?"):
		return fmt.Errorf("action on %q: URL %q does not name the resource", a.ResourceID, a.URL)
	}
	return nil
}
