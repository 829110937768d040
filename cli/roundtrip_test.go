package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
)

const sharedExamples = "../../shared/data/arm-examples"

// exampleEstates returns every estate the shared ARM examples hold: the
// derived estate-from-examples.json, and the "200" response body of each
// example file that holds resources.
func exampleEstates(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(sharedExamples, "*.json"))
	require.NoError(t, err)
	if len(files) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("shared/data/arm-examples is missing beside the repository")
		}
		t.Skip("shared/ not beside the repository")
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		name := filepath.Base(f)
		if name == "estate-from-examples.json" {
			out[name] = data
			continue
		}
		var ex struct {
			Responses map[string]struct {
				Body json.RawMessage `json:"body"`
			} `json:"responses"`
		}
		require.NoError(t, json.Unmarshal(data, &ex), name)
		body := ex.Responses["200"].Body
		if _, err := estate.Decode(name, body); err == nil && len(body) > 0 {
			out[name] = body
		}
	}
	return out
}

// Capture followed by scan of the same estate reports no baseline drift.
// Rules that need no baseline may still fire on what is wrong in the
// estate itself; this test says exactly which.
func TestCaptureThenScanReportsNoBaselineDrift(t *testing.T) {
	one, two := []string{"PEERING_NOT_CONNECTED"}, []string{"PEERING_NOT_CONNECTED", "PEERING_NOT_CONNECTED"}
	stateRules := map[string][]string{
		// The public peering examples are one-sided: state Initiated.
		"VirtualNetworkPeeringCreate.json":                                   one,
		"VirtualNetworkPeeringCreateWithRemoteVirtualNetworkEncryption.json": one,
		"VirtualNetworkPeeringGet.json":                                      one,
		"VirtualNetworkPeeringGetWithRemoteVirtualNetworkEncryption.json":    one,
		"VirtualNetworkPeeringSync.json":                                     one,
		"VirtualNetworkPeeringList.json":                                     two,
		"VirtualNetworkPeeringListWithRemoteVirtualNetworkEncryption.json":   two,
		// connS2S is "Connecting".
		"VirtualNetworkGatewayConnectionGet.json": {"CONNECTION_NOT_CONNECTED"},
		// Merged, vnet1 (10.0.0.0/8) reaches on-premises sites localgw and
		// localgw1 (10.1.0.0/16) over its gateway's IPsec connections.
		"estate-from-examples.json": {"ADDRESS_OVERLAP", "ADDRESS_OVERLAP", "CONNECTION_NOT_CONNECTED", "PEERING_NOT_CONNECTED", "PEERING_NOT_CONNECTED"},
	}
	estates := exampleEstates(t)
	require.GreaterOrEqual(t, len(estates), 10)
	for name, data := range estates {
		t.Run(name, func(t *testing.T) {
			res, err := estate.Decode(name, data)
			require.NoError(t, err)
			e, err := estate.Build(res)
			require.NoError(t, err)
			yml, err := baseline.Marshal(baseline.Capture(e))
			require.NoError(t, err)
			b, err := baseline.Parse("captured.yaml", yml)
			require.NoError(t, err, string(yml))
			var fired []string
			for _, f := range detector.Evaluate(detector.Input{Baseline: b, Estate: e, Now: time.Now()}) {
				info, ok := detector.Info(f.Rule)
				require.True(t, ok)
				assert.False(t, info.NeedsBaseline, "baseline rule fired after capture: %s %s", f.Rule, f.Message)
				fired = append(fired, f.Rule)
			}
			sort.Strings(fired)
			assert.Equal(t, strings.Join(stateRules[name], ","), strings.Join(fired, ","))
		})
	}
}
