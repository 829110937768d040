package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Azure Resource Graph: POST /providers/Microsoft.ResourceGraph/resources.
// The emulator answers one query shape (whitespace-insensitive):
//
//	Resources | where type in~ ('microsoft.network/virtualnetworks', …)
//	[| project id, name, type, location, resourceGroup, subscriptionId, tags, properties]
//	[| order by id asc]
//
// with result format objectArray, $top (1–1000, default 1000), $skip and
// $skipToken paging, scoped to the request's subscriptions (all if none).

const maxTop = 1000

// graphTypes are the resource types a query may ask for, as ARG spells them.
var graphTypes = []string{
	strings.ToLower(estate.TypeVNet), strings.ToLower(estate.TypeGateway), strings.ToLower(estate.TypeConnection),
	strings.ToLower(estate.TypeLocalGateway), strings.ToLower(estate.TypePublicIP),
}

// graphColumns are the columns of the ARG resources table.
var graphColumns = []string{"id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId",
	"managedBy", "sku", "plan", "properties", "tags", "identity", "zones", "extendedLocation"}

// graphQuery is a parsed query.
type graphQuery struct {
	types   []string
	columns []string // nil: all
	desc    bool
}

func graphError(format string, a ...any) *armError {
	return badRequest("BadRequest", "emulator supports only queries of the form \"Resources | where type in~ ('microsoft.network/virtualnetworks', …) [| project …] [| order by id asc|desc]\": "+format, a...)
}

// parseQuery parses the one query shape the emulator answers.
func parseQuery(q string) (*graphQuery, *armError) {
	norm := strings.Join(strings.Fields(q), " ")
	const prefix = "resources | where type in~ ("
	if !strings.HasPrefix(strings.ToLower(norm), prefix) {
		return nil, graphError("the query does not start with %q", "Resources | where type in~ (")
	}
	list, tail, ok := strings.Cut(norm[len(prefix):], ")")
	if !ok {
		return nil, graphError("the type list has no closing parenthesis")
	}
	gq := &graphQuery{}
	for _, item := range strings.Split(list, ",") {
		typ := strings.ToLower(strings.Trim(strings.TrimSpace(item), `'"`))
		if !slices.Contains(graphTypes, typ) {
			return nil, graphError("type %s is not one of %s", strings.TrimSpace(item), strings.Join(graphTypes, ", "))
		}
		gq.types = append(gq.types, typ)
	}
	if strings.TrimSpace(tail) == "" {
		return gq, nil
	}
	if !strings.HasPrefix(strings.TrimSpace(tail), "|") {
		return nil, graphError("unexpected %q after the type list", strings.TrimSpace(tail))
	}
	for _, op := range strings.Split(strings.TrimSpace(tail), "|")[1:] {
		if e := gq.addOperator(strings.TrimSpace(op)); e != nil {
			return nil, e
		}
	}
	return gq, nil
}

func (gq *graphQuery) addOperator(op string) *armError {
	fields := strings.Fields(strings.ReplaceAll(op, ",", " "))
	switch {
	case len(fields) > 1 && fields[0] == "project" && gq.columns == nil:
		for _, c := range fields[1:] {
			if !slices.Contains(graphColumns, c) {
				return graphError("unknown column %q in project", c)
			}
		}
		gq.columns = fields[1:]
	case len(fields) >= 3 && (fields[0] == "order" || fields[0] == "sort") && fields[1] == "by" && fields[2] == "id" && len(fields) <= 4:
		// KQL sorts descending unless told otherwise.
		gq.desc = len(fields) == 3 || fields[3] == "desc"
		if len(fields) == 4 && fields[3] != "asc" && fields[3] != "desc" {
			return graphError("unknown sort direction %q", fields[3])
		}
	default:
		return graphError("unsupported operator %q", op)
	}
	return nil
}

func (s *Server) queryResources(w http.ResponseWriter, r *http.Request) {
	req, e := decodeBody[armresourcegraph.QueryRequest](r)
	if e != nil {
		writeError(w, e)
		return
	}
	w.Header().Set("x-ms-user-quota-remaining", "14")
	w.Header().Set("x-ms-user-quota-resets-after", "00:00:05")
	s.serve(w, func() reply { return s.answerQuery(req) })
}

// answerQuery runs a query against the store. The caller holds s.mu.
func (s *Server) answerQuery(req *armresourcegraph.QueryRequest) reply {
	gq, e := parseQuery(str(req.Query))
	if e != nil {
		return failed(e)
	}
	opts := req.Options
	if opts == nil {
		opts = &armresourcegraph.QueryRequestOptions{}
	}
	if opts.ResultFormat != nil && *opts.ResultFormat != armresourcegraph.ResultFormatObjectArray {
		return failed(graphError("resultFormat %q is not supported, use objectArray", *opts.ResultFormat))
	}
	top := int32(maxTop)
	if opts.Top != nil {
		if *opts.Top < 1 || *opts.Top > maxTop {
			return failed(badRequest("BadRequest", "options.$top must be between 1 and %d, not %d.", maxTop, *opts.Top))
		}
		top = *opts.Top
	}
	rows := s.graphRows(gq, req.Subscriptions)
	scope := queryHash(req)
	start := 0
	if opts.Skip != nil {
		start = int(*opts.Skip)
	}
	if tok := str(opts.SkipToken); tok != "" {
		off, ok := decodeSkipToken(tok, scope)
		if !ok {
			return failed(badRequest("BadRequest", "options.$skipToken is not valid for this query and scope."))
		}
		start = off
	}
	start = min(max(start, 0), len(rows))
	end := min(start+int(top), len(rows))
	resp := armresourcegraph.QueryResponse{
		TotalRecords:    ptr(int64(len(rows))),
		Count:           ptr(int64(end - start)),
		Data:            rows[start:end],
		ResultTruncated: ptr(armresourcegraph.ResultTruncatedFalse),
		Facets:          []armresourcegraph.FacetClassification{},
	}
	if end < len(rows) {
		resp.SkipToken = ptr(encodeSkipToken(end, scope))
	}
	return reply{status: http.StatusOK, body: resp}
}

// graphRows returns the rows of the queried types in the given
// subscriptions (all if none), ordered by ID, with the projected columns.
func (s *Server) graphRows(gq *graphQuery, subs []*string) []map[string]any {
	type keyed struct {
		key estate.Key
		row map[string]any
	}
	var all []keyed
	add := func(key estate.Key, typ string, v any) {
		if slices.Contains(gq.types, strings.ToLower(typ)) && inSubscriptions(key, subs) {
			all = append(all, keyed{key, graphRow(v, typ)})
		}
	}
	for k, v := range s.st.vnets {
		add(k, estate.TypeVNet, s.st.view(v))
	}
	for k, v := range s.st.gateways {
		add(k, estate.TypeGateway, v)
	}
	for k, v := range s.st.conns {
		add(k, estate.TypeConnection, v)
	}
	for k, v := range s.st.lngs {
		add(k, estate.TypeLocalGateway, v)
	}
	for k, v := range s.st.pips {
		add(k, estate.TypePublicIP, v)
	}
	slices.SortFunc(all, func(a, b keyed) int { return strings.Compare(string(a.key), string(b.key)) })
	if gq.desc {
		slices.Reverse(all)
	}
	rows := make([]map[string]any, len(all))
	for i, k := range all {
		rows[i] = project(k.row, gq.columns)
	}
	return rows
}

// graphRow renders a resource as an ARG row: the resources table's
// columns, type and resource group lower-cased as ARG returns them.
func graphRow(v any, typ string) map[string]any {
	m := toMap(v)
	id, _ := m["id"].(string)
	tags := m["tags"]
	if tags == nil {
		tags = map[string]any{}
	}
	return map[string]any{
		"id": id, "name": m["name"], "type": strings.ToLower(typ), "tenantId": DefaultTenantID, "kind": "",
		"location": m["location"], "resourceGroup": strings.ToLower(estate.ResourceGroupOf(id)),
		"subscriptionId": estate.SubscriptionOf(id), "managedBy": "", "sku": m["sku"], "plan": nil,
		"properties": m["properties"], "tags": tags, "identity": m["identity"], "zones": m["zones"],
		"extendedLocation": m["extendedLocation"],
	}
}

// project keeps the given columns of a row; nil keeps them all.
func project(row map[string]any, columns []string) map[string]any {
	if columns == nil {
		return row
	}
	out := make(map[string]any, len(columns))
	for _, c := range columns {
		out[c] = row[c]
	}
	return out
}

func inSubscriptions(key estate.Key, subs []*string) bool {
	if len(subs) == 0 {
		return true
	}
	sub := estate.SubscriptionOf(string(key))
	return slices.ContainsFunc(subs, func(s *string) bool { return strings.EqualFold(str(s), sub) })
}

// queryHash ties a skip token to the query text and scope it pages.
func queryHash(req *armresourcegraph.QueryRequest) string {
	h := sha256.New()
	fmt.Fprint(h, strings.Join(strings.Fields(str(req.Query)), " "))
	for _, s := range req.Subscriptions {
		fmt.Fprint(h, "|", strings.ToLower(str(s)))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

type skipToken struct {
	Offset int    `json:"o"`
	Scope  string `json:"q"`
}

func encodeSkipToken(offset int, scope string) string {
	return base64.RawURLEncoding.EncodeToString(mustJSON(skipToken{Offset: offset, Scope: scope}))
}

func decodeSkipToken(tok, scope string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	var t skipToken
	if json.Unmarshal(raw, &t) != nil || t.Scope != scope || t.Offset < 0 {
		return 0, false
	}
	return t.Offset, true
}
