package emulator

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/vnetdrift/vnetdrift/estate"
)

const (
	rgPath   = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/"
	vnetPath = rgPath + "virtualNetworks/{vnet}"
)

// routes registers every ARM route. Patterns are written in ARM's casing
// and registered lower-cased: ARM paths are case-insensitive, so requests
// are matched on their lower-cased path and handlers see the wildcard
// values as the client spelled them.
func (s *Server) routes() {
	s.handle("GET "+vnetPath, "VirtualNetworks.Get", s.getVNet)
	s.handle("GET "+rgPath+"virtualNetworks", "VirtualNetworks.List", s.listVNets)
	s.handle("GET /subscriptions/{sub}/providers/Microsoft.Network/virtualNetworks", "VirtualNetworks.ListAll", s.listVNets)
	s.handle("PUT "+vnetPath, "VirtualNetworks.CreateOrUpdate", s.putVNet)
	s.handle("DELETE "+vnetPath, "VirtualNetworks.Delete", s.deleteVNet)

	peering := vnetPath + "/virtualNetworkPeerings/{name}"
	s.handle("GET "+peering, "VirtualNetworkPeerings.Get", s.getPeering)
	s.handle("GET "+vnetPath+"/virtualNetworkPeerings", "VirtualNetworkPeerings.List", s.listPeerings)
	s.handle("PUT "+peering, "VirtualNetworkPeerings.CreateOrUpdate", s.putPeering)
	s.handle("DELETE "+peering, "VirtualNetworkPeerings.Delete", s.deletePeering)

	registerKind(s, gatewayKind)
	s.handle("GET "+rgPath+"virtualNetworkGateways/{name}/connections", "VirtualNetworkGateways.ListConnections", s.listGatewayConnections)
	registerKind(s, connectionKind)
	registerKind(s, localGatewayKind)
	s.handle("GET "+rgPath+"publicIPAddresses/{name}", "PublicIPAddresses.Get", s.getPublicIP)

	ops := "/subscriptions/{sub}/providers/Microsoft.Network/locations/{loc}/"
	s.handle("GET "+ops+"operations/{op}", "AsyncOperations.Get", s.getOperationStatus)
	s.handle("GET "+ops+"operationResults/{op}", "OperationResults.Get", s.getOperationResult)

	s.handle("POST /providers/Microsoft.ResourceGraph/resources", "ResourceGraph.Resources", s.queryResources)
}

type origURLKey struct{}

// handle registers h for pattern, counting its calls under op.
func (s *Server) handle(pattern, op string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.mux.HandleFunc(method+" "+strings.ToLower(path), func(w http.ResponseWriter, r *http.Request) {
		if orig, ok := r.Context().Value(origURLKey{}).(*url.URL); ok {
			restorePathValues(r, path, orig)
			r.URL = orig
		}
		s.count(op)
		h(w, r)
	})
}

// dispatch routes an authenticated ARM request on its lower-cased path.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	lowered := r.Clone(context.WithValue(r.Context(), origURLKey{}, r.URL))
	lowered.URL.Path = strings.ToLower(r.URL.Path)
	lowered.URL.RawPath = strings.ToLower(r.URL.RawPath)
	if _, pattern := s.mux.Handler(lowered); pattern == "" {
		writeError(w, errf(http.StatusNotFound, "NotFound",
			"The emulator serves no route for %s %s; docs/EMULATOR.md lists the routes.", r.Method, r.URL.Path))
		return
	}
	s.mux.ServeHTTP(w, lowered)
}

// restorePathValues sets the wildcard values of pattern from the original
// (not lower-cased) path, segment by segment.
func restorePathValues(r *http.Request, pattern string, orig *url.URL) {
	pseg := strings.Split(strings.Trim(pattern, "/"), "/")
	oseg := strings.Split(strings.Trim(orig.EscapedPath(), "/"), "/")
	for i, p := range pseg {
		if !strings.HasPrefix(p, "{") || i >= len(oseg) {
			continue
		}
		v, err := url.PathUnescape(oseg[i])
		if err != nil {
			v = oseg[i]
		}
		r.SetPathValue(strings.Trim(p, "{}"), v)
	}
}

// baseURL is the scheme and host the client used, for absolute links.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// topID builds the ID of the top-level resource a route names.
func topID(r *http.Request, typ string) (string, estate.Key) {
	id := resourceID(r.PathValue("sub"), r.PathValue("rg"), typ, r.PathValue("name"))
	return id, estate.KeyOf(id)
}
