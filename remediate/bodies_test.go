package remediate

import (
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/assert"
)

// A gateway whose point-to-site uses RADIUS is never PUT as read: ARM
// does not return the RADIUS secret, so the PUT could clear it.
func TestWriteOnlySecretsRefuseGatewayPUT(t *testing.T) {
	tests := []struct {
		name    string
		cfg     *armnetwork.VPNClientConfiguration
		refused bool
	}{
		{"no point-to-site", nil, false},
		{"certificate point-to-site", &armnetwork.VPNClientConfiguration{VPNClientAddressPool: &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs("172.16.0.0/24")}}, false},
		{"single RADIUS server", &armnetwork.VPNClientConfiguration{RadiusServerAddress: to.Ptr("10.0.0.4")}, true},
		{"RADIUS server list", &armnetwork.VPNClientConfiguration{RadiusServers: []*armnetwork.RadiusServer{{RadiusServerAddress: to.Ptr("10.0.0.4")}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &armnetwork.VirtualNetworkGateway{Properties: &armnetwork.VirtualNetworkGatewayPropertiesFormat{VPNClientConfiguration: tt.cfg}}
			err := writeOnlySecrets(g)
			if tt.refused {
				assert.ErrorIs(t, err, errWriteOnlySecret)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}
