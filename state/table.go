package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"

	"github.com/vnetdrift/vnetdrift/alert"
)

// NewTable returns a State kept in the Azure Table named table of the
// account svc addresses, creating the table if it does not exist. Every
// instance of the function pointing at the same table shares the state.
// See docs/ALERTING.md for the layout.
func NewTable(ctx context.Context, svc *aztables.ServiceClient, table string, opts ...Option) (alert.State, error) {
	if !tableName.MatchString(table) {
		return nil, fmt.Errorf("state table name %q: want 3-63 letters and digits, starting with a letter", table)
	}
	client := svc.NewClient(table)
	if _, err := client.CreateTable(ctx, nil); err != nil && !isStatus(err, http.StatusConflict) {
		return nil, fmt.Errorf("creating state table %q: %w", table, err)
	}
	return &store{b: &tableBackend{c: client}, o: newOptions(opts), name: fmt.Sprintf("Azure table %q", table)}, nil
}

// tableName is what Azure accepts as a table name.
var tableName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{2,62}$`)

// tableBackend is a backend over an Azure Table.
type tableBackend struct {
	c *aztables.Client
}

// tableParallelism is how many requests one call makes at once.
const tableParallelism = 16

func (t *tableBackend) parallelism() int { return tableParallelism }

func (t *tableBackend) list(ctx context.Context, pk string) ([]row, error) {
	filter := fmt.Sprintf("PartitionKey eq '%s'", pk)
	if pk == "" {
		filter = fmt.Sprintf("PartitionKey ge '%s' and PartitionKey lt '%s'", findingPrefix, string(rune(findingPrefix[0]+1)))
	}
	return t.query(ctx, &aztables.ListEntitiesOptions{Filter: &filter}, 0)
}

func (t *tableBackend) expired(ctx context.Context, pk, before string, limit int) ([]row, error) {
	filter := fmt.Sprintf("PartitionKey eq '%s' and Expires lt '%s'", pk, before)
	top := int32(limit)
	return t.query(ctx, &aztables.ListEntitiesOptions{Filter: &filter, Top: &top}, limit)
}

// query runs a query to its end, or until limit rows (0: no limit).
// Keys and times in filters never contain quotes: they are hex, prefixes
// and timeLayout values.
func (t *tableBackend) query(ctx context.Context, opts *aztables.ListEntitiesOptions, limit int) ([]row, error) {
	var out []row
	pager := t.c.NewListEntitiesPager(opts)
	for pager.More() && (limit == 0 || len(out) < limit) {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("querying %s: %w", *opts.Filter, err)
		}
		for _, e := range page.Entities {
			r, err := decodeEntity(e, "")
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

func (t *tableBackend) get(ctx context.Context, pk, rk string) (row, error) {
	resp, err := t.c.GetEntity(ctx, pk, rk, nil)
	if isStatus(err, http.StatusNotFound) {
		return row{}, errNotFound
	}
	if err != nil {
		return row{}, fmt.Errorf("reading row %s/%s: %w", pk, rk, err)
	}
	return decodeEntity(resp.Value, string(resp.ETag))
}

func (t *tableBackend) insert(ctx context.Context, r row) (row, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return row{}, fmt.Errorf("encoding row %s/%s: %w", r.PartitionKey, r.RowKey, err)
	}
	resp, err := t.c.AddEntity(ctx, body, nil)
	if isStatus(err, http.StatusConflict) {
		return row{}, errConflict
	}
	if err != nil {
		return row{}, fmt.Errorf("inserting row %s/%s: %w", r.PartitionKey, r.RowKey, err)
	}
	r.ETag = string(resp.ETag)
	return r, nil
}

func (t *tableBackend) replace(ctx context.Context, r row) (row, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return row{}, fmt.Errorf("encoding row %s/%s: %w", r.PartitionKey, r.RowKey, err)
	}
	etag := azcore.ETag(r.ETag)
	resp, err := t.c.UpdateEntity(ctx, body, &aztables.UpdateEntityOptions{IfMatch: &etag, UpdateMode: aztables.UpdateModeReplace})
	switch {
	case isStatus(err, http.StatusPreconditionFailed):
		return row{}, errPrecondition
	case isStatus(err, http.StatusNotFound):
		return row{}, errNotFound
	case err != nil:
		return row{}, fmt.Errorf("replacing row %s/%s: %w", r.PartitionKey, r.RowKey, err)
	}
	r.ETag = string(resp.ETag)
	return r, nil
}

func (t *tableBackend) remove(ctx context.Context, r row) error {
	etag := azcore.ETag(r.ETag)
	_, err := t.c.DeleteEntity(ctx, r.PartitionKey, r.RowKey, &aztables.DeleteEntityOptions{IfMatch: &etag})
	if err != nil && !isStatus(err, http.StatusNotFound) && !isStatus(err, http.StatusPreconditionFailed) {
		return fmt.Errorf("deleting row %s/%s: %w", r.PartitionKey, r.RowKey, err)
	}
	return nil
}

// decodeEntity reads an entity's JSON; its ETag is etag, or the
// "odata.etag" property of a queried entity.
func decodeEntity(data []byte, etag string) (row, error) {
	var r struct {
		row
		ODataETag string `json:"odata.etag"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return row{}, fmt.Errorf("decoding table entity: %w", err)
	}
	if etag == "" {
		etag = r.ODataETag
	}
	r.row.ETag = etag
	return r.row, nil
}

// isStatus reports whether err is a Table service response with code.
func isStatus(err error, code int) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.StatusCode == code
}
