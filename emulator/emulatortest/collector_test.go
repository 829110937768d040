package emulatortest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const delivery = `[{"id":"e1","eventType":"Microsoft.Resources.ResourceWriteSuccess","subject":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v","eventTime":"2026-11-24T10:00:00Z","dataVersion":"2","data":{"operationName":"Microsoft.Network/virtualNetworks/write","resourceUri":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v","subscriptionId":"s","status":"Succeeded"}}]`

func TestCollector(t *testing.T) {
	var c Collector
	srv := httptest.NewServer(&c)
	t.Cleanup(srv.Close)
	post := func(body string) int {
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, post(delivery))
	assert.Equal(t, http.StatusBadRequest, post("{not json"))
	got := c.Take()
	require.Len(t, got, 1)
	assert.Equal(t, "e1", got[0].EventID)
	assert.Empty(t, c.Take(), "Take empties the collector")
}
