package eventgrid

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCallerString(t *testing.T) {
	tests := []struct {
		name   string
		caller Caller
		want   string
	}{
		{"upn first", Caller{Name: "Jane", UPN: "jane@x", AppID: "app", ObjectID: "oid"}, "jane@x"},
		{"then name", Caller{Name: "Jane", AppID: "app", ObjectID: "oid"}, "Jane"},
		{"then appid", Caller{AppID: "app", ObjectID: "oid"}, "app"},
		{"then object id", Caller{ObjectID: "oid"}, "oid"},
		{"nobody", Caller{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.caller.String())
		})
	}
}

func TestIsNetwork(t *testing.T) {
	tests := []struct {
		op   string
		want bool
	}{
		{"Microsoft.Network/virtualNetworks/write", true},
		{"microsoft.network/VIRTUALNETWORKS/delete", true},
		{"Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write", true},
		{"Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete", true},
		{"Microsoft.Network/virtualNetworkGateways/write", true},
		{"Microsoft.Network/virtualNetworkGateways/reset/action", true},
		{"Microsoft.Network/connections/write", true},
		{"Microsoft.Network/connections/delete", true},
		{"Microsoft.Network/localNetworkGateways/write", true},
		{"Microsoft.Network/localNetworkGateways/delete", true},
		{"Microsoft.Network/virtualNetworks/subnets/write", false},
		{"Microsoft.Network/virtualNetworks/peer/action", false},
		{"Microsoft.Network/networkSecurityGroups/write", false},
		{"Microsoft.Storage/storageAccounts/write", false},
		{"Microsoft.Network/virtualNetworks/write/extra", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			assert.Equal(t, tt.want, Change{OperationName: tt.op}.IsNetwork())
		})
	}
}

// The Event Grid filter allows 25 values in total across advanced filters,
// and one StringBeginsWith on the subject is needed next to this list.
func TestNetworkOperationsFitTheEventGridFilter(t *testing.T) {
	assert.LessOrEqual(t, len(NetworkOperations), 24)
	seen := map[string]bool{}
	for _, op := range NetworkOperations {
		assert.False(t, seen[op], "duplicate %s", op)
		seen[op] = true
		assert.LessOrEqual(t, len(op), 512)
		assert.Regexp(t, `^Microsoft\.Network/[A-Za-z/]+/(write|delete|action)$`, op)
	}
}

func TestSucceeded(t *testing.T) {
	tests := []struct {
		eventType, status string
		want              bool
	}{
		{"Microsoft.Resources.ResourceWriteSuccess", "Succeeded", true},
		{"Microsoft.Resources.ResourceDeleteSuccess", "", true},
		{"Microsoft.Resources.ResourceActionSuccess", "Succeeded", true},
		{"Microsoft.Resources.ResourceWriteFailure", "Succeeded", false},
		{"Microsoft.Resources.ResourceWriteCancel", "", false},
		{"Microsoft.Resources.ResourceDeleteFailure", "", false},
		{"Microsoft.Resources.ResourceDeleteCancel", "", false},
		{"Microsoft.Resources.ResourceActionFailure", "", false},
		{"microsoft.resources.resourceactioncancel", "", false},
		{"Microsoft.Resources.ResourceWriteSuccess", "Failed", false},
		{"Microsoft.Resources.ResourceWriteSuccess", "canceled", false},
		{"Microsoft.Resources.ResourceWriteSuccess", "Cancelled", false},
	}
	for _, tt := range tests {
		t.Run(tt.eventType+"/"+tt.status, func(t *testing.T) {
			assert.Equal(t, tt.want, Change{EventType: tt.eventType, Status: tt.status}.Succeeded())
		})
	}
}

func TestResourceID(t *testing.T) {
	assert.Equal(t, "/uri", Change{ResourceURI: "/uri", Subject: "/subject"}.ResourceID())
	assert.Equal(t, "/subject", Change{Subject: "/subject"}.ResourceID())
}

func TestIsValidation(t *testing.T) {
	assert.True(t, Change{EventType: "Microsoft.EventGrid.SubscriptionValidationEvent"}.IsValidation())
	assert.True(t, Change{EventType: "microsoft.eventgrid.subscriptionvalidationevent"}.IsValidation())
	assert.False(t, Change{EventType: "Microsoft.Resources.ResourceWriteSuccess"}.IsValidation())
}
