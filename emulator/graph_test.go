package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

const fixture = "testdata/estate-from-examples.json"

// networkQuery is the query the azure reader sends.
const networkQuery = `Resources
| where type in~ ('microsoft.network/virtualnetworks', 'microsoft.network/virtualnetworkgateways',
                  'microsoft.network/connections', 'microsoft.network/localnetworkgateways',
                  'microsoft.network/publicipaddresses')
| project id, name, type, location, resourceGroup, subscriptionId, tags, properties
| order by id asc`

func loadFixture(t *testing.T) *estate.Resources {
	t.Helper()
	res, err := estate.ReadFile(fixture)
	require.NoError(t, err)
	return res
}

// queryAll runs a query through the SDK client, following skip tokens.
func queryAll(t *testing.T, e *env, req armresourcegraph.QueryRequest) (rows []map[string]any, pages int, total int64) {
	t.Helper()
	for {
		resp, err := e.graph.Resources(ctx, req, nil)
		require.NoError(t, err)
		pages++
		total = *resp.TotalRecords
		data, ok := resp.Data.([]any)
		require.True(t, ok, "objectArray data, got %T", resp.Data)
		assert.EqualValues(t, len(data), *resp.Count)
		for _, d := range data {
			rows = append(rows, d.(map[string]any))
		}
		if resp.SkipToken == nil || *resp.SkipToken == "" {
			return rows, pages, total
		}
		req.Options.SkipToken = resp.SkipToken
	}
}

func TestResourceGraphPaging(t *testing.T) {
	e := newEnv(t, loadFixture(t), testOptions())
	req := armresourcegraph.QueryRequest{
		Query:   ptr(networkQuery),
		Options: &armresourcegraph.QueryRequestOptions{ResultFormat: ptr(armresourcegraph.ResultFormatObjectArray), Top: ptr[int32](4)},
	}
	rows, pages, total := queryAll(t, e, req)
	// 6 VNets (two IDs differ only in case: one resource), 3 gateways, 4 connections, 3 local gateways.
	assert.EqualValues(t, 15, total)
	assert.Len(t, rows, 15)
	assert.Equal(t, 4, pages)
	for i, row := range rows {
		assert.ElementsMatch(t, []string{"id", "name", "type", "location", "resourceGroup", "subscriptionId", "tags", "properties"}, keys(row))
		assert.Equal(t, strings.ToLower(row["type"].(string)), row["type"], "ARG returns types in lower case")
		if i > 0 {
			assert.Less(t, strings.ToLower(rows[i-1]["id"].(string)), strings.ToLower(row["id"].(string)), "ordered by id")
		}
	}

	// The rows decode as estate input (the Resource Graph response shape).
	data, err := json.Marshal(map[string]any{"data": rows})
	require.NoError(t, err)
	res, err := estate.Decode("arg", data)
	require.NoError(t, err)
	assert.Len(t, res.VNets, 5)
	assert.Len(t, res.Gateways, 3)
	assert.Len(t, res.Connections, 4)
	assert.Len(t, res.LocalGateways, 3)
	assert.Equal(t, pages, e.srv.Requests()["ResourceGraph.Resources"], "one request per page")
}

func TestResourceGraphScopes(t *testing.T) {
	e := newEnv(t, loadFixture(t), testOptions())
	tests := []struct {
		name  string
		query string
		subs  []string
		want  int
	}{
		{"one type", "Resources | where type in~ ('Microsoft.Network/virtualNetworks')", nil, 5},
		{"two types, desc", `Resources | where type in~ ("microsoft.network/connections", "microsoft.network/localnetworkgateways") | order by id desc`, nil, 7},
		{"subscription filter is case-insensitive", networkQuery, []string{"SUBID"}, 15},
		{"other subscription", networkQuery, []string{"other"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := armresourcegraph.QueryRequest{Query: ptr(tt.query), Options: &armresourcegraph.QueryRequestOptions{}}
			for _, s := range tt.subs {
				req.Subscriptions = append(req.Subscriptions, ptr(s))
			}
			rows, _, _ := queryAll(t, e, req)
			assert.Len(t, rows, tt.want)
			if tt.name == "two types, desc" {
				assert.Greater(t, strings.ToLower(rows[0]["id"].(string)), strings.ToLower(rows[1]["id"].(string)))
			}
		})
	}
}

func TestResourceGraphRejects(t *testing.T) {
	e := newEnv(t, loadFixture(t), testOptions())
	tests := []struct {
		name string
		body string
		want string
	}{
		{"other table", `{"query":"ResourceContainers | project id"}`, "emulator supports only"},
		{"other filter", `{"query":"Resources | where type =~ 'microsoft.network/virtualnetworks'"}`, "emulator supports only"},
		{"unknown type", `{"query":"Resources | where type in~ ('microsoft.compute/virtualmachines')"}`, "microsoft.compute/virtualmachines"},
		{"other operator", `{"query":"Resources | where type in~ ('microsoft.network/virtualnetworks') | summarize count()"}`, "unsupported operator"},
		{"unknown column", `{"query":"Resources | where type in~ ('microsoft.network/virtualnetworks') | project id, peerings"}`, "unknown column"},
		{"table format", `{"query":"` + "Resources | where type in~ ('microsoft.network/virtualnetworks')" + `","options":{"resultFormat":"table"}}`, "objectArray"},
		{"top too large", `{"query":"` + "Resources | where type in~ ('microsoft.network/virtualnetworks')" + `","options":{"$top":1001}}`, "$top"},
		{"foreign skip token", `{"query":"` + "Resources | where type in~ ('microsoft.network/virtualnetworks')" + `","options":{"$skipToken":"bm9wZQ"}}`, "$skipToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := rawDo(t, http.MethodPost, e.url+"/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", tt.body,
				map[string]string{"Content-Type": "application/json"})
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			ae := armErrorOf(t, body)
			assert.Equal(t, "BadRequest", ae.Code)
			assert.Contains(t, ae.Message, tt.want)
		})
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
