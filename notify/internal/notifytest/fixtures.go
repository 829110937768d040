// Package notifytest holds what the channel tests share: realistic notices
// of every kind, the every-status retry table and the "leaks no secret"
// assertion.
package notifytest

import (
	"fmt"
	"time"

	"github.com/vnetdrift/vnetdrift/alert"
	"github.com/vnetdrift/vnetdrift/detector"
)

// Sub is the subscription of every fixture resource.
const Sub = "8c5f9a12-3b4d-4e6f-9a1b-2c3d4e5f6a7b"

// VNetID returns the ID of a fixture VNet in rg-network-weu.
func VNetID(name string) string {
	return "/subscriptions/" + Sub + "/resourceGroups/rg-network-weu/providers/Microsoft.Network/virtualNetworks/" + name
}

// PeeringID returns the ID of a peering of a fixture VNet.
func PeeringID(vnet, name string) string { return VNetID(vnet) + "/virtualNetworkPeerings/" + name }

// T0 is the time of the fixture change.
var T0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// Alice is the change that opened the fixture drifts.
var Alice = alert.Attribution{
	EventID: "5b0e7c3a-1f2d-4e8b-9c6a-0d1e2f3a4b5c", Caller: "alice@contoso.com",
	OperationName: "Microsoft.Network/virtualNetworks/write", ResourceID: VNetID("vnet-spoke-app1-weu"),
	CorrelationID: "7d1c2b8e-0f6a-4c51-9e3d-5a2b1c4d6e8f", EventTime: T0,
}

// Bob is the change that fixed them.
var Bob = alert.Attribution{
	EventID: "c9a8b7d6-5e4f-4a3b-8c2d-1e0f9a8b7c6d", Caller: "bob@contoso.com",
	OperationName: "Microsoft.Network/virtualNetworks/write", ResourceID: VNetID("vnet-spoke-app1-weu"),
	CorrelationID: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", EventTime: T0.Add(47 * time.Minute),
}

// Timer is the reconcile sweep.
var Timer = alert.Attribution{Reconcile: true, EventTime: T0.Add(6 * time.Hour)}

// Overlap, SpaceDrift, NotInSync and SettingsDrift are fixture findings.
var (
	Overlap = finding(detector.RuleAddressOverlap, detector.SeverityHigh, VNetID("vnet-spoke-app1-weu"), VNetID("vnet-spoke-app1-weu"),
		"VNet vnet-spoke-app1-weu overlaps local network gateway lgw-onprem-ams (Site-to-Site): 10.101.0.0/16 overlaps 10.101.0.0/17, so traffic to the overlapping addresses cannot reach both networks.",
		"no overlap with lgw-onprem-ams", "10.101.0.0/16 overlaps 10.101.0.0/17")
	SpaceDrift = finding(detector.RuleAddressSpaceDrift, detector.SeverityHigh, VNetID("vnet-spoke-app1-weu"), VNetID("vnet-spoke-app1-weu"),
		"The address space of VNet vnet-spoke-app1-weu differs from the baseline (10.101.0.0/16 added).",
		"10.1.0.0/16", "10.1.0.0/16, 10.101.0.0/16")
	NotInSync = finding(detector.RulePeeringNotInSync, detector.SeverityMedium,
		PeeringID("vnet-spoke-app1-weu", "peer-spoke-app1-to-hub-weu"), VNetID("vnet-spoke-app1-weu"),
		"Peering peer-spoke-app1-to-hub-weu (vnet-spoke-app1-weu → vnet-hub-weu) is RemoteNotInSync: the address space of vnet-spoke-app1-weu changed, so sync the peering on vnet-hub-weu that points back to vnet-spoke-app1-weu.",
		"FullyInSync", "RemoteNotInSync")
	SettingsDrift = finding(detector.RulePeeringSettingsDrift, detector.SeverityMedium,
		PeeringID("vnet-spoke-app3-neu", "peer-spoke-app3-to-hub-neu"), VNetID("vnet-spoke-app3-neu"),
		"Peering peer-spoke-app3-to-hub-neu (vnet-spoke-app3-neu → vnet-hub-neu) differs from the baseline: allowForwardedTraffic is false, expected true.",
		"allowForwardedTraffic: true", "allowForwardedTraffic: false")
	Redundant = finding(detector.RuleRedundantVNet2VNet, detector.SeverityLow, VNetID("vnet-hub-weu"), VNetID("vnet-hub-weu"),
		"VNets vnet-hub-weu and vnet-hub-neu are peered and also joined by the VNet-to-VNet connection cn-hub-weu-to-neu; traffic takes the peering, so the VPN path is idle cost.",
		"", "")
)

func finding(rule string, sev detector.Severity, resource, vnet, msg, expected, actual string) detector.Finding {
	return detector.Finding{Rule: rule, Severity: sev, ResourceID: resource, VNetID: vnet, Message: msg,
		Expected: expected, Actual: actual, Fingerprint: detector.Fingerprint(rule, resource, expected)}
}

func item(f detector.Finding, r alert.Reason, by alert.Attribution) alert.Item {
	return alert.Item{Finding: f, Reason: r, Resolved: r == alert.ReasonResolved, OpenedBy: by, FirstSeen: T0,
		Token: f.Fingerprint}
}

// Opened is one change that opened three drifts.
func Opened() alert.Notice {
	return alert.Notice{By: Alice, Items: []alert.Item{
		item(NotInSync, alert.ReasonOpened, Alice),
		item(SpaceDrift, alert.ReasonOpened, Alice),
		item(Overlap, alert.ReasonOpened, Alice),
	}}
}

// Resolved is the fix of two of them.
func Resolved() alert.Notice {
	return alert.Notice{By: Bob, Items: []alert.Item{
		item(SpaceDrift, alert.ReasonResolved, Alice),
		item(NotInSync, alert.ReasonResolved, Alice),
	}}
}

// ExemptionExpired is an exempted drift whose exemption ran out while it
// is still there, found by the timer.
func ExemptionExpired() alert.Notice {
	return alert.Notice{By: Timer, Items: []alert.Item{item(SettingsDrift, alert.ReasonExemptionExpired, Alice)}}
}

// Digest is a reconcile summary of every reason.
func Digest() alert.Notice {
	return alert.Notice{By: Timer, Digest: true, Items: []alert.Item{
		item(Redundant, alert.ReasonOpened, alert.Attribution{}),
		item(Overlap, alert.ReasonRepeat, Alice),
		item(NotInSync, alert.ReasonRepeat, Alice),
		item(SettingsDrift, alert.ReasonExemptionExpired, Alice),
		item(SpaceDrift, alert.ReasonResolved, Alice),
	}}
}

// Many is one change that opened n drifts on n peerings, enough to overflow
// a card.
func Many(n int) alert.Notice {
	ns := alert.Notice{By: Alice}
	for i := range n {
		id := PeeringID("vnet-hub-weu", fmt.Sprintf("peer-hub-weu-to-spoke-%03d", i))
		f := finding(detector.RulePeeringSettingsDrift, detector.SeverityMedium, id, VNetID("vnet-hub-weu"),
			fmt.Sprintf("Peering peer-hub-weu-to-spoke-%03d (vnet-hub-weu → vnet-spoke-%03d) differs from the baseline: allowGatewayTransit is false, expected true.", i, i),
			"allowGatewayTransit: true", "allowGatewayTransit: false")
		ns.Items = append(ns.Items, item(f, alert.ReasonOpened, Alice))
	}
	return ns
}

// Fix is the planned request that syncs the NotInSync fixture peering.
var Fix = alert.Remediation{
	Status: alert.RemediationPlanned,
	Request: "PUT " + PeeringID("vnet-hub-weu", "peer-hub-weu-to-spoke-app1") +
		"?api-version=2025-03-01&syncRemoteAddressSpace=true",
	Body:   []byte(`{"properties":{"allowForwardedTraffic":true,"allowGatewayTransit":true,"allowVirtualNetworkAccess":true,"remoteVirtualNetwork":{"id":"` + VNetID("vnet-spoke-app1-weu") + `"},"useRemoteGateways":false}}`),
	Before: "peeringSyncLevel: LocalNotInSync", After: "peeringSyncLevel: FullyInSync",
	Reason: "the remote address space of peer-hub-weu-to-spoke-app1 is out of date; syncing it is what the portal's Sync button does",
}

// Planned is the opened drift with the fix plan mode shows.
func Planned() alert.Notice {
	it := item(NotInSync, alert.ReasonOpened, Alice)
	it.Remediation = []alert.Remediation{Fix}
	return alert.Notice{By: Alice, Items: []alert.Item{it}}
}

// Remediated is the drift resolved by vnetdrift's own write.
func Remediated() alert.Notice {
	it := item(NotInSync, alert.ReasonResolved, Alice)
	fix := Fix
	fix.Status = alert.RemediationRemediated
	it.Remediation = []alert.Remediation{fix}
	return alert.Notice{By: alert.Attribution{OperationName: "vnetdrift remediation", EventTime: T0.Add(time.Minute)}, Items: []alert.Item{it}}
}

// RemediationStopped is the loop guard giving up on a peering that a
// pipeline keeps reverting.
func RemediationStopped() alert.Notice {
	it := item(SettingsDrift, alert.ReasonRemediationStopped, Alice)
	fix := Fix
	fix.Status, fix.Request = alert.RemediationLoop, "PUT "+SettingsDrift.ResourceID+"?api-version=2025-03-01"
	fix.Before, fix.After, fix.Body = "allowForwardedTraffic: false", "allowForwardedTraffic: true", nil
	fix.Reason = "the baseline declares allowForwardedTraffic: true"
	fix.Detail = "another controller keeps reverting this (3 re-openings after our fixes within 1h0m0s); remediation of this resource stopped. Changed by: terraform-networking (appid 2f1e0d9c-8b7a-4c6d-9e5f-0a1b2c3d4e5f)"
	fix.Callers = []string{"terraform-networking (appid 2f1e0d9c-8b7a-4c6d-9e5f-0a1b2c3d4e5f)"}
	it.Remediation = []alert.Remediation{fix}
	return alert.Notice{By: Alice, Items: []alert.Item{it}}
}

// Kinds names one notice of each card kind, for golden files and renders.
func Kinds() map[string]alert.Notice {
	return map[string]alert.Notice{
		"opened":              Opened(),
		"resolved":            Resolved(),
		"digest":              Digest(),
		"truncated":           Many(60),
		"exemption-expired":   ExemptionExpired(),
		"planned":             Planned(),
		"remediated":          Remediated(),
		"remediation-stopped": RemediationStopped(),
	}
}
