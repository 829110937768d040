// Package eventgrid decodes Azure Resource Manager events delivered by Event
// Grid (EventGridSchema or CloudEvents 1.0, directly or wrapped in an Azure
// Functions custom-handler invocation) into normalized Changes. It does no I/O.
package eventgrid

import (
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/messaging/eventgrid/azsystemevents"
)

// Schema names, the values of Change.Schema.
const (
	SchemaEventGrid   = "eventgrid"
	SchemaCloudEvents = "cloudevents"
)

// Change is one resource-change event, normalized.
type Change struct {
	EventID       string
	EventType     string // e.g. "Microsoft.Resources.ResourceWriteSuccess"
	Subject       string // envelope subject; the resource ID for ARM events
	ResourceURI   string // data.resourceUri
	OperationName string // data.operationName, e.g. "Microsoft.Network/virtualNetworks/write"
	Status        string // data.status: "Succeeded", "Failed", "Canceled"

	SubscriptionID string // data.subscriptionId, else taken from the resource ID
	ResourceGroup  string // data.resourceGroup, else taken from the resource ID
	TenantID       string
	CorrelationID  string // ARM operation id; links the events of one deployment

	// EventTime is when the event was raised (eventTime or time), in UTC.
	// It is zero when the event carries no time (optional in CloudEvents).
	EventTime time.Time
	Caller    Caller // who made the change, from data.claims
	Schema    string // SchemaEventGrid or SchemaCloudEvents
}

// Caller identifies who made a change, from the JWT claims ARM copies into
// the event (data.claims), completed by authorization.evidence.principalId.
type Caller struct{ Name, UPN, AppID, ObjectID string }

// String returns the best human label for the caller: the UPN, else the
// display name, else the application ID, else the object ID; "" when the
// event names no caller.
func (c Caller) String() string {
	for _, s := range []string{c.UPN, c.Name, c.AppID, c.ObjectID} {
		if s != "" {
			return s
		}
	}
	return ""
}

// NetworkOperations lists the ARM operations that can change what the drift
// rules look at: virtual networks (address space), peerings, VPN gateways,
// connections and local network gateways. Subnet, NSG or route-table
// operations are left out because no rule reads them. The Event Grid
// subscription filter (data.operationName StringIn) is generated from and
// checked against this list; Event Grid allows 25 filter values in total, so
// keep it short.
var NetworkOperations = []string{
	"Microsoft.Network/virtualNetworks/write",
	"Microsoft.Network/virtualNetworks/delete",
	"Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write",
	"Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete",
	"Microsoft.Network/virtualNetworkGateways/write",
	"Microsoft.Network/virtualNetworkGateways/delete",
	"Microsoft.Network/virtualNetworkGateways/reset/action",
	"Microsoft.Network/connections/write",
	"Microsoft.Network/connections/delete",
	"Microsoft.Network/localNetworkGateways/write",
	"Microsoft.Network/localNetworkGateways/delete",
}

// NetworkEventTypes lists the event types worth subscribing to: the
// successful resource write, delete and action events. Failed and canceled
// operations change nothing.
var NetworkEventTypes = []string{
	azsystemevents.TypeResourceWriteSuccess,
	azsystemevents.TypeResourceDeleteSuccess,
	azsystemevents.TypeResourceActionSuccess,
}

// failedEventTypes are the Microsoft.Resources event types of operations
// that did not complete.
var failedEventTypes = []string{
	azsystemevents.TypeResourceWriteFailure,
	azsystemevents.TypeResourceWriteCancel,
	azsystemevents.TypeResourceDeleteFailure,
	azsystemevents.TypeResourceDeleteCancel,
	azsystemevents.TypeResourceActionFailure,
	azsystemevents.TypeResourceActionCancel,
}

// IsNetwork reports whether the change is one of NetworkOperations, compared
// case-insensitively (ARM does not guarantee the casing of operation names).
func (c Change) IsNetwork() bool {
	return containsFold(NetworkOperations, c.OperationName)
}

// Succeeded reports whether the operation completed: false for the
// Failure/Cancel event types and for status Failed or Canceled.
func (c Change) Succeeded() bool {
	if containsFold(failedEventTypes, c.EventType) {
		return false
	}
	return !containsFold([]string{"Failed", "Canceled", "Cancelled"}, c.Status)
}

// IsValidation reports whether the event is an Event Grid subscription
// validation event rather than a resource change.
func (c Change) IsValidation() bool {
	return strings.EqualFold(c.EventType, azsystemevents.TypeSubscriptionValidation)
}

// ResourceID returns the ID of the changed resource: data.resourceUri,
// falling back to the subject.
func (c Change) ResourceID() string {
	if c.ResourceURI != "" {
		return c.ResourceURI
	}
	return c.Subject
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}
