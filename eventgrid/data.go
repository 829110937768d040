package eventgrid

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
)

// resourceData is the data of a Microsoft.Resources.Resource{Write,Delete,
// Action}{Success,Failure,Cancel} event. It has the fields of
// azsystemevents.ResourceWriteSuccessEventData (the nine SDK types are
// identical) but is decoded with encoding/json rather than the SDK's
// UnmarshalJSON, because the SDK types do not fit real payloads:
//   - their UnmarshalJSON matches keys case-sensitively, and real captures
//     spell keys inside authorization in PascalCase ("Scope", "Evidence"),
//     which the SDK silently drops; encoding/json matches struct fields
//     case-insensitively;
//   - Claims is map[string]*string, so one non-string claim (a number, an
//     array of groups) fails the whole event;
//   - pre-2021 payloads carry authorization and claims as JSON strings,
//     which the SDK rejects.
//
// TestSDKModelMismatch shows each case; TestDecodeAgreesWithSDK checks that
// both decoders agree where the SDK type does fit.
type resourceData struct {
	Authorization    json.RawMessage `json:"authorization"`
	Claims           json.RawMessage `json:"claims"`
	CorrelationID    string          `json:"correlationId"`
	OperationName    string          `json:"operationName"`
	ResourceGroup    string          `json:"resourceGroup"`
	ResourceProvider string          `json:"resourceProvider"`
	ResourceURI      string          `json:"resourceUri"`
	Status           string          `json:"status"`
	SubscriptionID   string          `json:"subscriptionId"`
	TenantID         string          `json:"tenantId"`
}

// decodeData decodes an event's data into c. Errors are fieldErrors
// relative to data. Absent or null data leaves c unchanged.
func decodeData(raw json.RawMessage, c *Change) error {
	raw, err := unquoteObject(raw)
	if err != nil || raw == nil {
		return err
	}
	var d resourceData
	if err := json.Unmarshal(raw, &d); err != nil {
		return inFieldOrSelf(err)
	}
	claims, err := parseLoose(d.Claims)
	if err != nil {
		return inField("claims", err)
	}
	auth, err := parseLoose(d.Authorization)
	if err != nil {
		return inField("authorization", err)
	}
	evidence, err := parseLoose(auth["evidence"])
	if err != nil {
		return inField("authorization.evidence", err)
	}
	c.ResourceURI, c.OperationName, c.Status = d.ResourceURI, d.OperationName, d.Status
	c.SubscriptionID, c.ResourceGroup = d.SubscriptionID, d.ResourceGroup
	c.TenantID, c.CorrelationID = d.TenantID, d.CorrelationID
	c.Caller = callerOf(claims, evidence)
	return nil
}

// inFieldOrSelf turns a json.UnmarshalTypeError into a fieldError naming
// its field; other errors (data is not an object) concern data itself.
func inFieldOrSelf(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return &fieldError{field: te.Field, err: err}
	}
	return err
}

// Claim types that identify the caller, in order of preference. ARM copies
// the token's claims; v1 tokens use the long URIs, v2 tokens the short names.
var (
	claimUPN      = []string{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "upn"}
	claimName     = []string{"name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"}
	claimAppID    = []string{"appid", "azp"}
	claimObjectID = []string{"http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"}
)

func callerOf(claims, evidence looseObject) Caller {
	c := Caller{
		UPN:      claims.first(claimUPN),
		Name:     claims.first(claimName),
		AppID:    claims.first(claimAppID),
		ObjectID: claims.first(claimObjectID),
	}
	if c.ObjectID == "" {
		c.ObjectID = evidence.str("principalid")
	}
	return c
}

// looseObject is a JSON object with lower-cased keys.
type looseObject map[string]json.RawMessage

// parseLoose decodes a JSON object, a JSON string holding one (old payloads
// typed authorization and claims as strings), null or nothing. Keys are
// lower-cased; when two keys differ only in case, the lower-case spelling
// wins, otherwise the one sorting last.
func parseLoose(raw json.RawMessage) (looseObject, error) {
	raw, err := unquoteObject(raw)
	if err != nil || raw == nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	out := make(looseObject, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) { // "Scope" sorts before "scope"
		out[strings.ToLower(k)] = m[k]
	}
	return out, nil
}

// str returns the value of key (lower-case) if it is a string, else "".
func (o looseObject) str(key string) string {
	var s string
	if err := json.Unmarshal(o[key], &s); err != nil {
		return ""
	}
	return strings.TrimSpace(s)
}

// first returns the first non-empty string value among keys.
func (o looseObject) first(keys []string) string {
	for _, k := range keys {
		if s := o.str(k); s != "" {
			return s
		}
	}
	return ""
}

var errNotObject = errors.New("want a JSON object or a string holding one")

// unquoteObject returns raw if it is a JSON object, the content of raw if
// it is a JSON string holding an object, and nil for null, "" or nothing.
func unquoteObject(raw json.RawMessage) (json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		raw = bytes.TrimSpace([]byte(s))
	}
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil, nil
	case raw[0] != '{':
		return nil, errNotObject
	}
	return raw, nil
}
