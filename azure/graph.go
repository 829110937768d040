package azure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"
	"github.com/vnetdrift/vnetdrift/estate"
)

// GraphQuery is the Resource Graph query ReadAll runs: every resource of
// the modelled types, in ARM REST shape, in ID order (needed for stable
// paging with the skip token).
const GraphQuery = "Resources" +
	" | where type in~ ('microsoft.network/virtualnetworks', 'microsoft.network/virtualnetworkgateways'," +
	" 'microsoft.network/connections', 'microsoft.network/localnetworkgateways', 'microsoft.network/publicipaddresses')" +
	" | project id, name, type, location, resourceGroup, subscriptionId, tags, properties" +
	" | order by id asc"

// Resource Graph limits: at most 1,000 rows a page; fewer than 300
// subscriptions a query is recommended.
const (
	graphPageSize     = 1000
	graphSubsPerQuery = 300
)

// readGraph reads the configured subscriptions with GraphQuery, in groups
// of at most graphSubsPerQuery subscriptions, following skip tokens.
func (r *Reader) readGraph(ctx context.Context) (*estate.Resources, error) {
	all := &estate.Resources{Skipped: map[string]int{}}
	for start := 0; start < len(r.cfg.Subscriptions); start += graphSubsPerQuery {
		end := min(start+graphSubsPerQuery, len(r.cfg.Subscriptions))
		res, err := r.queryGraph(ctx, r.cfg.Subscriptions[start:end])
		if err != nil {
			return nil, err
		}
		all.Merge(res)
	}
	return all, nil
}

// queryGraph runs GraphQuery over subs, page by page.
func (r *Reader) queryGraph(ctx context.Context, subs []string) (*estate.Resources, error) {
	top := r.cfg.graphTop
	if top == 0 {
		top = graphPageSize
	}
	req := armresourcegraph.QueryRequest{
		Query:         to.Ptr(GraphQuery),
		Subscriptions: to.SliceOfPtrs(subs...),
		Options: &armresourcegraph.QueryRequestOptions{
			ResultFormat: to.Ptr(armresourcegraph.ResultFormatObjectArray),
			Top:          to.Ptr(top),
		},
	}
	out := &estate.Resources{Skipped: map[string]int{}}
	for page := 1; ; page++ {
		resp, err := call(ctx, r, func(ctx context.Context) (armresourcegraph.ClientResourcesResponse, error) {
			return r.graph.Resources(ctx, req, nil)
		})
		if err != nil {
			return nil, fmt.Errorf("querying Resource Graph (page %d): %w", page, err)
		}
		res, err := decodeGraphPage(page, resp.Data)
		if err != nil {
			return nil, err
		}
		out.Merge(res)
		if resp.SkipToken == nil || *resp.SkipToken == "" {
			if resp.ResultTruncated != nil && *resp.ResultTruncated == armresourcegraph.ResultTruncatedTrue {
				return nil, fmt.Errorf("querying Resource Graph (page %d): result truncated without a skip token", page)
			}
			return out, nil
		}
		req.Options.SkipToken = resp.SkipToken
	}
}

// decodeGraphPage decodes the rows of one page (ARM REST shape) with
// estate.Decode, as a Resource Graph response {"data":[…]}.
func decodeGraphPage(page int, data any) (*estate.Resources, error) {
	if data == nil {
		data = []any{}
	}
	body, err := json.Marshal(struct {
		Data any `json:"data"`
	}{data})
	if err != nil {
		return nil, fmt.Errorf("re-encoding Resource Graph page %d: %w", page, err)
	}
	return estate.Decode(fmt.Sprintf("Resource Graph page %d", page), body)
}

// graphUnavailable reports whether err means Resource Graph cannot be used
// here: not permitted (403, AuthorizationFailed) or not served by the
// endpoint (404, 400).
func graphUnavailable(err error) bool {
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		return false
	}
	switch re.StatusCode {
	case http.StatusForbidden, http.StatusNotFound, http.StatusBadRequest:
		return true
	}
	return re.ErrorCode == "AuthorizationFailed"
}
