package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// The test principal used when a request names no caller: no JWT bearer
// token and no x-emulator-caller header. All IDs are obviously fake.
const (
	DefaultTenantID       = "00000000-0000-0000-0000-00000000feed"
	DefaultCallerAppID    = "00000000-0000-0000-0000-00000000a99d"
	DefaultCallerObjectID = "00000000-0000-0000-0000-0000000000b1"
	DefaultCallerName     = "vnetdrift-emulator-test"
)

// CallerHeader names the caller of a request for the event's claims, as
// comma-separated JWT claims, e.g. "name=alice,upn=alice@contoso.com,oid=…".
// Claims it does not give come from the default test principal. It wins
// over the bearer token.
const CallerHeader = "x-emulator-caller"

// reqInfo is what an event needs to know about the request that caused it.
type reqInfo struct {
	method, url     string
	clientRequestID string
	clientIP        string
	correlationID   string
	caller          caller
}

// requestInfoOf captures the request's details; call it after stampHeaders.
func requestInfoOf(w http.ResponseWriter, r *http.Request) reqInfo {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	return reqInfo{
		method:          r.Method,
		url:             baseURL(r) + r.URL.RequestURI(),
		clientRequestID: r.Header.Get("x-ms-client-request-id"),
		clientIP:        ip,
		correlationID:   w.Header().Get("x-ms-correlation-request-id"),
		caller:          callerOf(r),
	}
}

// caller is the identity ARM copies into an event.
type caller struct {
	claims        map[string]string // as ARM writes them: long claim-type URIs for the mapped claims
	tenantID      string
	objectID      string
	principalType string // User | ServicePrincipal
}

// callerOf reads the caller from CallerHeader, else from the bearer token
// if it is a JWT (decoded, never verified), else the default principal.
func callerOf(r *http.Request) caller {
	raw := defaultClaims()
	if h := r.Header.Get(CallerHeader); h != "" {
		for _, kv := range strings.Split(h, ",") {
			if k, v, ok := strings.Cut(kv, "="); ok && strings.TrimSpace(k) != "" {
				raw[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
	} else if jwt := jwtClaims(r.Header.Get("Authorization")); jwt != nil {
		raw = jwt
	}
	c := caller{claims: armClaims(raw), principalType: "ServicePrincipal"}
	c.tenantID = cmpOr(stringClaim(raw["tid"]), DefaultTenantID)
	c.objectID = stringClaim(raw["oid"])
	if raw["upn"] != nil || raw["unique_name"] != nil {
		c.principalType = "User"
	}
	return c
}

func defaultClaims() map[string]any {
	return map[string]any{
		"aud": "https://management.azure.com", "iss": "https://sts.windows.net/" + DefaultTenantID + "/",
		"appid": DefaultCallerAppID, "appidacr": "1", "idtyp": "app", "name": DefaultCallerName,
		"oid": DefaultCallerObjectID, "sub": DefaultCallerObjectID, "tid": DefaultTenantID, "ver": "1.0",
	}
}

// jwtClaims decodes the payload of a bearer JWT without verifying it;
// nil if the token is not a JWT.
func jwtClaims(auth string) map[string]any {
	_, token, _ := strings.Cut(auth, " ")
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		return nil
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil
	}
	var claims map[string]any
	if json.Unmarshal(payload, &claims) != nil {
		return nil
	}
	return claims
}

// claimURIs maps JWT claim names to the claim types ARM writes into
// events (the inbound mapping of .NET's JwtSecurityTokenHandler, as seen in
// the Microsoft.Resources event examples).
var claimURIs = map[string]string{
	"oid":         "http://schemas.microsoft.com/identity/claims/objectidentifier",
	"tid":         "http://schemas.microsoft.com/identity/claims/tenantid",
	"scp":         "http://schemas.microsoft.com/identity/claims/scope",
	"idp":         "http://schemas.microsoft.com/identity/claims/identityprovider",
	"amr":         "http://schemas.microsoft.com/claims/authnmethodsreferences",
	"acr":         "http://schemas.microsoft.com/claims/authnclassreference",
	"sub":         "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
	"upn":         "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
	"unique_name": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
	"given_name":  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
	"family_name": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
}

// armClaims converts raw JWT claims to the string map of an event.
func armClaims(raw map[string]any) map[string]string {
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		if uri, ok := claimURIs[k]; ok {
			k = uri
		}
		out[k] = stringClaim(v)
	}
	return out
}

// stringClaim renders a claim value the way ARM does in events: numbers
// in decimal, string arrays comma-joined, objects as JSON.
func stringClaim(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = stringClaim(e)
		}
		return strings.Join(parts, ",")
	default:
		return string(mustJSON(x))
	}
}
