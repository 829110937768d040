package emulator

import (
	"net/http"
	"strconv"
)

// listBody is ARM's list envelope.
type listBody[T any] struct {
	Value    []*T   `json:"value"`
	NextLink string `json:"nextLink,omitempty"`
}

// page answers the page of items that the request's $skiptoken (an item
// offset, opaque to clients) selects. While more items remain, nextLink is
// the absolute URL of the next page: the request URL with $skiptoken set,
// api-version kept, as ARM does.
func page[T any](r *http.Request, items []*T, size int) reply {
	q := r.URL.Query()
	tok := q.Get("$skiptoken")
	if tok == "" {
		tok = q.Get("$skipToken")
	}
	start := 0
	if tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 {
			return failed(badRequest("InvalidSkipToken", "The $skiptoken %q is not valid for this list.", tok))
		}
		start = min(n, len(items))
	}
	end := min(start+size, len(items))
	body := listBody[T]{Value: make([]*T, 0, end-start)}
	body.Value = append(body.Value, items[start:end]...)
	if end < len(items) {
		q.Del("$skipToken")
		q.Set("$skiptoken", strconv.Itoa(end))
		body.NextLink = baseURL(r) + r.URL.EscapedPath() + "?" + q.Encode()
	}
	return reply{status: http.StatusOK, body: body}
}
