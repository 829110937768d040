package remediate

import (
	"net/http"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/baseline"
	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/examples"
)

func offline(t testing.TB) (*baseline.Baseline, *estate.Estate) {
	t.Helper()
	res, err := estate.Decode(examples.EstateName, examples.Estate)
	require.NoError(t, err)
	e, err := estate.Build(res)
	require.NoError(t, err)
	b, err := baseline.Parse(examples.BaselineName, examples.Baseline)
	require.NoError(t, err)
	return b, e
}

func remove(e *estate.Estate, id string) {
	delete(e.Peerings, estate.KeyOf(id))
	e.Index()
}

var remediateAll = Policy{Default: ModeRemediate, Subscriptions: []string{subA, subB}}

// The never-list: whatever the drift, no action deletes, writes a VNet
// (so no address space ever shrinks) or leaves the writable types.
func TestNeverList(t *testing.T) {
	drifts := map[string]func(b *baseline.Baseline, e *estate.Estate){
		"address space shrunk": func(b *baseline.Baseline, e *estate.Estate) {
			e.VNets[estate.KeyOf(spoke1)].Prefixes = nil
		},
		"address space grown": func(b *baseline.Baseline, e *estate.Estate) {
			v := e.VNets[estate.KeyOf(hubWEU)]
			v.Prefixes = append(v.Prefixes, netip.MustParsePrefix("10.200.0.0/16"))
		},
		"unexpected peering, allowDelete": func(b *baseline.Baseline, e *estate.Estate) {
			b.Rules = map[string]baseline.RuleSetting{detector.RulePeeringUnexpected: {Mode: "remediate", AllowDelete: true}}
			b.VNet(estate.KeyOf(hubWEU)).Peerings = b.VNet(estate.KeyOf(hubWEU)).Peerings[:1]
			b.VNet(estate.KeyOf(spoke2)).Peerings = nil
		},
		"vnet missing":     func(b *baseline.Baseline, e *estate.Estate) { delete(e.VNets, estate.KeyOf(spoke2)); e.Index() },
		"both halves gone": func(b *baseline.Baseline, e *estate.Estate) { remove(e, hubToS2); remove(e, s2ToHub) },
		"one half gone": func(b *baseline.Baseline, e *estate.Estate) {
			remove(e, s2ToHub)
			e.Peerings[estate.KeyOf(hubToS2)].State = "Disconnected"
		},
		"flags drift": func(b *baseline.Baseline, e *estate.Estate) {
			e.Peerings[estate.KeyOf(hubToS1)].AllowGatewayTransit = false
		},
		"sync": func(b *baseline.Baseline, e *estate.Estate) {
			e.Peerings[estate.KeyOf(hubToS1)].SyncLevel = "LocalAndRemoteNotInSync"
		},
		"gateway sku drift": func(b *baseline.Baseline, e *estate.Estate) { e.Gateways[estate.KeyOf(gwWEU)].SKU = "VpnGw1" },
		"gateway gone":      func(b *baseline.Baseline, e *estate.Estate) { delete(e.Gateways, estate.KeyOf(gwWEU)); e.Index() },
	}
	for name, drift := range drifts {
		t.Run(name, func(t *testing.T) {
			b, e := offline(t)
			drift(b, e)
			b.Index()
			for _, m := range []Mode{ModePlan, ModeRemediate} {
				p := remediateAll
				p.Default = m
				findings := detector.Evaluate(detector.Input{Baseline: b, Estate: e})
				require.NotEmpty(t, findings)
				for _, a := range Plan(b, e, findings, p) {
					if a.Skipped != "" {
						continue
					}
					require.NoError(t, Validate(a))
					assert.Equal(t, http.MethodPut, a.Method)
					assert.NotEqual(t, estate.TypeVNet, estate.TypeFromID(a.ResourceID), "a VNet is never written")
					assert.True(t, HasAction(a.Finding.Rule))
				}
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		a       Action
		wantErr string
	}{
		{"peering put", Action{Method: http.MethodPut, ResourceID: hubToS1, URL: hubToS1 + "?api-version=x"}, ""},
		{"delete without allowDelete", Action{Method: http.MethodDelete, ResourceID: hubToS1, URL: hubToS1 + "?api-version=x"}, "never sent without allowDelete"},
		{"vnet put", Action{Method: http.MethodPut, ResourceID: hubWEU, URL: hubWEU + "?api-version=x"}, "is never written"},
		{"vnet delete even with allowDelete", Action{Method: http.MethodDelete, AllowDelete: true, ResourceID: hubWEU, URL: hubWEU + "?api-version=x"}, "is never written"},
		{"patch", Action{Method: http.MethodPatch, ResourceID: hubToS1, URL: hubToS1 + "?api-version=x"}, "not allowed"},
		{"url elsewhere", Action{Method: http.MethodPut, ResourceID: hubToS1, URL: hubToS2 + "?api-version=x"}, "does not name the resource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.a)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

// Plan's exact requests and its refusals.
func TestPlanDetails(t *testing.T) {
	tests := []struct {
		name    string
		drift   func(b *baseline.Baseline, e *estate.Estate)
		policy  Policy
		request []string // Request() of the actions, in order
		skipped []string // Skipped of the actions (substring), in order
	}{
		{"sync names the query", func(b *baseline.Baseline, e *estate.Estate) {
			e.Peerings[estate.KeyOf(hubToS1)].SyncLevel = "LocalNotInSync"
		}, remediateAll, []string{"PUT " + hubToS1 + "?api-version=2025-03-01&syncRemoteAddressSpace=true"}, []string{""}},
		{"remote-not-in-sync syncs the other half", func(b *baseline.Baseline, e *estate.Estate) {
			e.Peerings[estate.KeyOf(s2ToHub)].SyncLevel = "RemoteNotInSync"
		}, remediateAll, []string{"PUT " + hubToS2 + "?api-version=2025-03-01&syncRemoteAddressSpace=true"}, []string{""}},
		{"disconnected: re-init before create", func(b *baseline.Baseline, e *estate.Estate) {
			remove(e, s2ToHub)
			e.Peerings[estate.KeyOf(hubToS2)].State = "Disconnected"
		}, remediateAll, []string{"PUT " + hubToS2 + "?api-version=2025-03-01", "PUT " + s2ToHub + "?api-version=2025-03-01"}, []string{"", ""}},
		{"gateway without allowDisruptive", func(b *baseline.Baseline, e *estate.Estate) {
			e.Gateways[estate.KeyOf(gwNEU)].EnableBGP = false
		}, remediateAll, []string{" "}, []string{"allowDisruptive"}},
		{"gateway with other differences", func(b *baseline.Baseline, e *estate.Estate) {
			b.VNet(estate.KeyOf(hubNEU)).Gateway.AllowDisruptive = true
			e.Gateways[estate.KeyOf(gwNEU)].EnableBGP = false
			e.Gateways[estate.KeyOf(gwNEU)].SKU = "VpnGw5"
		}, remediateAll, []string{" "}, []string{"also differs in sku"}},
		{"outside the subscriptions", func(b *baseline.Baseline, e *estate.Estate) {
			e.Peerings[estate.KeyOf(neuToS3)].AllowForwardedTraffic = false
		}, Policy{Default: ModeRemediate, Subscriptions: []string{subA}}, []string{"PUT " + neuToS3 + "?api-version=2025-03-01"}, []string{"not one vnetdrift may write to"}},
		{"no subscriptions configured", func(b *baseline.Baseline, e *estate.Estate) {
			e.Peerings[estate.KeyOf(hubToS1)].AllowForwardedTraffic = false
		}, Policy{Default: ModeRemediate}, []string{"PUT " + hubToS1 + "?api-version=2025-03-01"}, []string{"not one vnetdrift may write to"}},
		{"alert mode plans nothing", func(b *baseline.Baseline, e *estate.Estate) {
			e.Peerings[estate.KeyOf(hubToS1)].AllowForwardedTraffic = false
		}, Policy{Subscriptions: []string{subA}}, nil, nil},
		{"remote VNet gone", func(b *baseline.Baseline, e *estate.Estate) {
			b.Rules = map[string]baseline.RuleSetting{detector.RuleVNetMissing: {Enabled: new(bool)}}
			delete(e.VNets, estate.KeyOf(spoke2))
			remove(e, s2ToHub)
			e.Peerings[estate.KeyOf(hubToS2)].State = "Disconnected"
		}, remediateAll, []string{" "}, []string{"does not exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, e := offline(t)
			tt.drift(b, e)
			b.Index()
			findings := detector.Evaluate(detector.Input{Baseline: b, Estate: e})
			actions := Plan(b, e, findings, tt.policy)
			var req, skip []string
			for _, a := range actions {
				req, skip = append(req, a.Request()), append(skip, a.Skipped)
			}
			assert.Equal(t, tt.request, req)
			require.Len(t, skip, len(tt.skipped))
			for i, s := range tt.skipped {
				if s == "" {
					assert.Empty(t, skip[i])
				} else {
					assert.Contains(t, skip[i], s)
				}
			}
		})
	}
}
