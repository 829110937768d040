// Package emulatortest holds what tests that drive the ARM emulator share:
// a webhook that collects the Event Grid events the emulator delivers.
package emulatortest

import (
	"io"
	"net/http"
	"sync"

	"github.com/vnetdrift/vnetdrift/eventgrid"
)

// Collector is an Event Grid webhook (an http.Handler) that decodes every
// delivery and keeps the changes until Take. It is safe for concurrent use.
type Collector struct {
	mu      sync.Mutex
	changes []eventgrid.Change
}

// ServeHTTP decodes a delivery; an undecodable one is answered 400.
func (c *Collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	changes, _, err := eventgrid.DecodeBatch(body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.changes = append(c.changes, changes...)
	c.mu.Unlock()
}

// Take returns the changes collected since the last Take.
func (c *Collector) Take() []eventgrid.Change {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.changes
	c.changes = nil
	return out
}
