package azure

import (
	"encoding/json"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
)

// toConnection converts a connection list entry into the connection model
// through their common REST shape.
func toConnection(e *armnetwork.VirtualNetworkGatewayConnectionListEntity) (*armnetwork.VirtualNetworkGatewayConnection, error) {
	data, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encoding connection %q: %w", deref(e.ID), err)
	}
	c := new(armnetwork.VirtualNetworkGatewayConnection)
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("decoding connection %q: %w", deref(e.ID), err)
	}
	return c, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
