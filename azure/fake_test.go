package azure

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"
	rgfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph/fake"
	"github.com/vnetdrift/vnetdrift/estate"
)

// fakeAzure serves an estate in-process through the SDK's fake servers: one
// armnetwork fake per subscription (fake pagers get no subscription) and a
// Resource Graph fake. It counts requests by method and lower-cased path
// and can answer 429 or fail Resource Graph first.
type fakeAzure struct {
	vnets    table[armnetwork.VirtualNetwork]
	gateways table[armnetwork.VirtualNetworkGateway]
	conns    table[armnetwork.VirtualNetworkGatewayConnection]
	lngs     table[armnetwork.LocalNetworkGateway]
	pips     table[armnetwork.PublicIPAddress]
	pageSize int

	mu         sync.Mutex
	requests   map[string]int
	subs       map[string]*fake.ServerFactoryTransport
	graph      *rgfake.ServerTransport
	graphErr   int              // when set, Resource Graph always answers this status
	retryAfter string           // Retry-After of injected 429s
	faults     map[string][]int // lower-cased path → statuses to answer first, in order
}

func newFakeAzure(res *estate.Resources) *fakeAzure {
	f := &fakeAzure{
		vnets:      newTable(res.VNets, func(v *armnetwork.VirtualNetwork) *string { return v.ID }),
		gateways:   newTable(res.Gateways, func(v *armnetwork.VirtualNetworkGateway) *string { return v.ID }),
		conns:      newTable(res.Connections, func(v *armnetwork.VirtualNetworkGatewayConnection) *string { return v.ID }),
		lngs:       newTable(res.LocalGateways, func(v *armnetwork.LocalNetworkGateway) *string { return v.ID }),
		pips:       newTable(res.PublicIPs, func(v *armnetwork.PublicIPAddress) *string { return v.ID }),
		pageSize:   2,
		retryAfter: "1",
		requests:   map[string]int{},
		subs:       map[string]*fake.ServerFactoryTransport{},
		faults:     map[string][]int{},
	}
	f.graph = rgfake.NewServerTransport(&rgfake.Server{Resources: f.query})
	return f
}

// fail makes the next requests to path answer statuses, one each; a 429
// carries Retry-After: f.retryAfter.
func (f *fakeAzure) fail(path string, statuses ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[strings.ToLower(path)] = statuses
}

// count returns how many requests were made with method to path.
func (f *fakeAzure) count(method, path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[method+" "+strings.ToLower(path)]
}

// total returns the number of requests made.
func (f *fakeAzure) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.requests {
		n += c
	}
	return n
}

// Do implements policy.Transporter.
func (f *fakeAzure) Do(req *http.Request) (*http.Response, error) {
	path := strings.ToLower(req.URL.Path)
	f.mu.Lock()
	f.requests[req.Method+" "+path]++
	fault := 0
	if q := f.faults[path]; len(q) > 0 {
		fault, f.faults[path] = q[0], q[1:]
	}
	graphErr, retryAfter := f.graphErr, f.retryAfter
	f.mu.Unlock()
	switch {
	case fault == http.StatusTooManyRequests:
		return errorResponse(req, fault, "TooManyRequests", http.Header{"Retry-After": {retryAfter}}), nil
	case fault != 0:
		return errorResponse(req, fault, errorCode(fault), nil), nil
	case strings.HasPrefix(path, "/providers/microsoft.resourcegraph/"):
		if graphErr != 0 {
			return errorResponse(req, graphErr, errorCode(graphErr), nil), nil
		}
		return f.graph.Do(req.WithContext(context.WithoutCancel(req.Context())))
	}
	// The SDK fakes close their result channel when the request's context
	// ends while the handler goroutine may still send on it (a panic), so
	// they never see cancellation; the handlers return at once anyway.
	return f.network(estate.SubscriptionOf(path)).Do(req.WithContext(context.WithoutCancel(req.Context())))
}

// errorCode is the ARM error code that goes with status.
func errorCode(status int) string {
	if status == http.StatusForbidden {
		return "AuthorizationFailed"
	}
	return strings.ReplaceAll(http.StatusText(status), " ", "")
}

func errorResponse(req *http.Request, status int, code string, h http.Header) *http.Response {
	if h == nil {
		h = http.Header{}
	}
	h.Set("x-ms-error-code", code)
	h.Set("Content-Type", "application/json")
	body := `{"error":{"code":"` + code + `","message":"injected by the test"}}`
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: req}
}

// network returns the armnetwork fake of one subscription.
func (f *fakeAzure) network(sub string) *fake.ServerFactoryTransport {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t := f.subs[sub]; t != nil {
		return t
	}
	in := func(typ, rg string) func(string) bool {
		return func(id string) bool {
			return strings.EqualFold(estate.SubscriptionOf(id), sub) && strings.EqualFold(estate.TypeFromID(id), typ) &&
				(rg == "" || strings.EqualFold(estate.ResourceGroupOf(id), rg))
		}
	}
	at := func(rg, typ, name string) string { return resID(sub, rg, typ, name) }
	srv := &fake.ServerFactory{
		VirtualNetworksServer: fake.VirtualNetworksServer{
			Get: func(_ context.Context, rg, name string, _ *armnetwork.VirtualNetworksClientGetOptions) (r azfake.Responder[armnetwork.VirtualNetworksClientGetResponse], e azfake.ErrorResponder) {
				respond(&r, &e, f.vnets.get(at(rg, estate.TypeVNet, name)), func(v armnetwork.VirtualNetwork) armnetwork.VirtualNetworksClientGetResponse {
					return armnetwork.VirtualNetworksClientGetResponse{VirtualNetwork: v}
				})
				return
			},
			NewListAllPager: func(*armnetwork.VirtualNetworksClientListAllOptions) (r azfake.PagerResponder[armnetwork.VirtualNetworksClientListAllResponse]) {
				pages(&r, f.vnets.where(in(estate.TypeVNet, "")), f.pageSize, func(v []*armnetwork.VirtualNetwork) armnetwork.VirtualNetworksClientListAllResponse {
					return armnetwork.VirtualNetworksClientListAllResponse{VirtualNetworkListResult: armnetwork.VirtualNetworkListResult{Value: v}}
				})
				return
			},
		},
		VirtualNetworkGatewaysServer: fake.VirtualNetworkGatewaysServer{
			Get: func(_ context.Context, rg, name string, _ *armnetwork.VirtualNetworkGatewaysClientGetOptions) (r azfake.Responder[armnetwork.VirtualNetworkGatewaysClientGetResponse], e azfake.ErrorResponder) {
				respond(&r, &e, f.gateways.get(at(rg, estate.TypeGateway, name)), func(v armnetwork.VirtualNetworkGateway) armnetwork.VirtualNetworkGatewaysClientGetResponse {
					return armnetwork.VirtualNetworkGatewaysClientGetResponse{VirtualNetworkGateway: v}
				})
				return
			},
			NewListPager: func(rg string, _ *armnetwork.VirtualNetworkGatewaysClientListOptions) (r azfake.PagerResponder[armnetwork.VirtualNetworkGatewaysClientListResponse]) {
				pages(&r, f.gateways.where(in(estate.TypeGateway, rg)), f.pageSize, func(v []*armnetwork.VirtualNetworkGateway) armnetwork.VirtualNetworkGatewaysClientListResponse {
					return armnetwork.VirtualNetworkGatewaysClientListResponse{VirtualNetworkGatewayListResult: armnetwork.VirtualNetworkGatewayListResult{Value: v}}
				})
				return
			},
			NewListConnectionsPager: func(rg, name string, _ *armnetwork.VirtualNetworkGatewaysClientListConnectionsOptions) (r azfake.PagerResponder[armnetwork.VirtualNetworkGatewaysClientListConnectionsResponse]) {
				gw := at(rg, estate.TypeGateway, name)
				if f.gateways.get(gw) == nil {
					r.AddResponseError(http.StatusNotFound, "ResourceNotFound")
					return
				}
				pages(&r, listEntities(f.conns.where(func(string) bool { return true }), gw), f.pageSize,
					func(v []*armnetwork.VirtualNetworkGatewayConnectionListEntity) armnetwork.VirtualNetworkGatewaysClientListConnectionsResponse {
						return armnetwork.VirtualNetworkGatewaysClientListConnectionsResponse{VirtualNetworkGatewayListConnectionsResult: armnetwork.VirtualNetworkGatewayListConnectionsResult{Value: v}}
					})
				return
			},
		},
		VirtualNetworkGatewayConnectionsServer: fake.VirtualNetworkGatewayConnectionsServer{
			NewListPager: func(rg string, _ *armnetwork.VirtualNetworkGatewayConnectionsClientListOptions) (r azfake.PagerResponder[armnetwork.VirtualNetworkGatewayConnectionsClientListResponse]) {
				pages(&r, f.conns.where(in(estate.TypeConnection, rg)), f.pageSize, func(v []*armnetwork.VirtualNetworkGatewayConnection) armnetwork.VirtualNetworkGatewayConnectionsClientListResponse {
					return armnetwork.VirtualNetworkGatewayConnectionsClientListResponse{VirtualNetworkGatewayConnectionListResult: armnetwork.VirtualNetworkGatewayConnectionListResult{Value: v}}
				})
				return
			},
		},
		LocalNetworkGatewaysServer: fake.LocalNetworkGatewaysServer{
			Get: func(_ context.Context, rg, name string, _ *armnetwork.LocalNetworkGatewaysClientGetOptions) (r azfake.Responder[armnetwork.LocalNetworkGatewaysClientGetResponse], e azfake.ErrorResponder) {
				respond(&r, &e, f.lngs.get(at(rg, estate.TypeLocalGateway, name)), func(v armnetwork.LocalNetworkGateway) armnetwork.LocalNetworkGatewaysClientGetResponse {
					return armnetwork.LocalNetworkGatewaysClientGetResponse{LocalNetworkGateway: v}
				})
				return
			},
			NewListPager: func(rg string, _ *armnetwork.LocalNetworkGatewaysClientListOptions) (r azfake.PagerResponder[armnetwork.LocalNetworkGatewaysClientListResponse]) {
				pages(&r, f.lngs.where(in(estate.TypeLocalGateway, rg)), f.pageSize, func(v []*armnetwork.LocalNetworkGateway) armnetwork.LocalNetworkGatewaysClientListResponse {
					return armnetwork.LocalNetworkGatewaysClientListResponse{LocalNetworkGatewayListResult: armnetwork.LocalNetworkGatewayListResult{Value: v}}
				})
				return
			},
		},
		PublicIPAddressesServer: fake.PublicIPAddressesServer{
			Get: func(_ context.Context, rg, name string, _ *armnetwork.PublicIPAddressesClientGetOptions) (r azfake.Responder[armnetwork.PublicIPAddressesClientGetResponse], e azfake.ErrorResponder) {
				respond(&r, &e, f.pips.get(at(rg, estate.TypePublicIP, name)), func(v armnetwork.PublicIPAddress) armnetwork.PublicIPAddressesClientGetResponse {
					return armnetwork.PublicIPAddressesClientGetResponse{PublicIPAddress: v}
				})
				return
			},
		},
	}
	t := fake.NewServerFactoryTransport(srv)
	f.subs[sub] = t
	return t
}

// query answers GraphQuery over the estate, paged by Top with the offset
// as the skip token.
func (f *fakeAzure) query(_ context.Context, q armresourcegraph.QueryRequest, _ *armresourcegraph.ClientResourcesOptions) (r azfake.Responder[armresourcegraph.ClientResourcesResponse], e azfake.ErrorResponder) {
	if q.Query == nil || *q.Query != GraphQuery {
		e.SetResponseError(http.StatusBadRequest, "BadRequest")
		return
	}
	var subs []string
	for _, s := range q.Subscriptions {
		subs = append(subs, strings.ToLower(*s))
	}
	var rows []any
	for _, t := range []interface{ rows([]string) []any }{f.vnets, f.gateways, f.conns, f.lngs, f.pips} {
		rows = append(rows, t.rows(subs)...)
	}
	slices.SortFunc(rows, func(a, b any) int {
		return strings.Compare(a.(map[string]any)["id"].(string), b.(map[string]any)["id"].(string))
	})
	start, top := 0, len(rows)
	if q.Options != nil && q.Options.SkipToken != nil {
		start, _ = strconv.Atoi(*q.Options.SkipToken)
	}
	if q.Options != nil && q.Options.Top != nil {
		top = int(*q.Options.Top)
	}
	end := min(start+top, len(rows))
	resp := armresourcegraph.QueryResponse{
		Data: rows[start:end], Count: to.Ptr(int64(end - start)), TotalRecords: to.Ptr(int64(len(rows))),
		ResultTruncated: to.Ptr(armresourcegraph.ResultTruncatedFalse),
	}
	if end < len(rows) {
		resp.SkipToken = to.Ptr(strconv.Itoa(end))
	}
	r.SetResponse(http.StatusOK, armresourcegraph.ClientResourcesResponse{QueryResponse: resp}, nil)
	return
}

// table indexes resources of one kind by key, keeping their order.
type table[T any] struct {
	ids   []string
	items []*T
}

func newTable[T any](items []*T, id func(*T) *string) table[T] {
	t := table[T]{items: items}
	for _, it := range items {
		t.ids = append(t.ids, *id(it))
	}
	return t
}

func (t table[T]) get(id string) *T {
	for i, have := range t.ids {
		if estate.KeyOf(have) == estate.KeyOf(id) {
			return t.items[i]
		}
	}
	return nil
}

func (t table[T]) where(keep func(string) bool) []*T {
	var out []*T
	for i, id := range t.ids {
		if keep(id) {
			out = append(out, t.items[i])
		}
	}
	return out
}

// rows returns the resources in subs as Resource Graph rows.
func (t table[T]) rows(subs []string) []any {
	var out []any
	for i, id := range t.ids {
		if !slices.Contains(subs, strings.ToLower(estate.SubscriptionOf(id))) {
			continue
		}
		var row map[string]any
		data, _ := json.Marshal(t.items[i])
		_ = json.Unmarshal(data, &row)
		row["type"] = strings.ToLower(estate.TypeFromID(id))
		row["resourceGroup"] = strings.ToLower(estate.ResourceGroupOf(id))
		row["subscriptionId"] = estate.SubscriptionOf(id)
		out = append(out, row)
	}
	return out
}

func respond[T, R any](r *azfake.Responder[R], e *azfake.ErrorResponder, v *T, wrap func(T) R) {
	if v == nil {
		e.SetResponseError(http.StatusNotFound, "ResourceNotFound")
		return
	}
	r.SetResponse(http.StatusOK, wrap(*v), nil)
}

func pages[T, R any](r *azfake.PagerResponder[R], items []*T, size int, wrap func([]*T) R) {
	for start := 0; start < len(items) || start == 0; start += size {
		r.AddPage(http.StatusOK, wrap(items[start:min(start+size, len(items))]), nil)
	}
}

// listEntities returns the connections that use gateway, in the list model.
func listEntities(conns []*armnetwork.VirtualNetworkGatewayConnection, gateway string) []*armnetwork.VirtualNetworkGatewayConnectionListEntity {
	var out []*armnetwork.VirtualNetworkGatewayConnectionListEntity
	for _, c := range conns {
		p := c.Properties
		uses := func(g *armnetwork.VirtualNetworkGateway) bool {
			return g != nil && g.ID != nil && estate.KeyOf(*g.ID) == estate.KeyOf(gateway)
		}
		if !uses(p.VirtualNetworkGateway1) && !uses(p.VirtualNetworkGateway2) {
			continue
		}
		var e armnetwork.VirtualNetworkGatewayConnectionListEntity
		data, _ := json.Marshal(c)
		_ = json.Unmarshal(data, &e)
		out = append(out, &e)
	}
	return out
}
