package azure

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/vnetdrift/vnetdrift/estate"
	"go.uber.org/zap"
)

// gatewaySubnet is the name Azure requires for a gateway's subnet.
const gatewaySubnet = "GatewaySubnet"

// resourceRef is a parsed resource ID of an expected type.
type resourceRef struct {
	ID           string
	Subscription string
	Group        string
	Name         string
}

// parseRef parses id and checks that it names a resource of type typ
// (case-insensitive), e.g. estate.TypeVNet.
func parseRef(id, typ string) (resourceRef, error) {
	rid, err := arm.ParseResourceID(id)
	if err != nil {
		return resourceRef{}, fmt.Errorf("parsing resource ID %q: %w", id, err)
	}
	if !strings.EqualFold(rid.ResourceType.String(), typ) || rid.ResourceGroupName == "" {
		return resourceRef{}, fmt.Errorf("resource ID %q: want a %s in a resource group", id, typ)
	}
	return resourceRef{ID: id, Subscription: rid.SubscriptionID, Group: rid.ResourceGroupName, Name: rid.Name}, nil
}

// gatewayOfIPConfig returns the gateway ID when id names a virtual network
// gateway's IP configuration (…/virtualNetworkGateways/{gw}/ipConfigurations/{x}),
// and "" for any other IP configuration (NICs, load balancers, …).
func gatewayOfIPConfig(id string) string {
	rid, err := arm.ParseResourceID(id)
	if err != nil || rid.Parent == nil {
		return ""
	}
	if !strings.EqualFold(rid.Parent.ResourceType.String(), estate.TypeGateway) {
		return ""
	}
	return rid.Parent.String()
}

// gatewaysOfVNet returns the IDs of the gateways whose IP configurations sit
// in the VNet's GatewaySubnet, as the VNet's subnet lists them.
func gatewaysOfVNet(v *armnetwork.VirtualNetwork) []string {
	if v.Properties == nil {
		return nil
	}
	var ids []string
	seen := map[estate.Key]bool{}
	for _, s := range v.Properties.Subnets {
		if s == nil || s.Name == nil || !strings.EqualFold(*s.Name, gatewaySubnet) || s.Properties == nil {
			continue
		}
		for _, ipc := range s.Properties.IPConfigurations {
			if ipc == nil || ipc.ID == nil {
				continue
			}
			if gw := gatewayOfIPConfig(*ipc.ID); gw != "" && !seen[estate.KeyOf(gw)] {
				seen[estate.KeyOf(gw)] = true
				ids = append(ids, gw)
			}
		}
	}
	return ids
}

// vnetOfGateway returns the ID of the VNet a gateway is deployed in, from
// the subnet of its IP configurations; "" if none is given.
func vnetOfGateway(g *armnetwork.VirtualNetworkGateway) string {
	if g.Properties == nil {
		return ""
	}
	for _, c := range g.Properties.IPConfigurations {
		if c != nil && c.Properties != nil && c.Properties.Subnet != nil && c.Properties.Subnet.ID != nil {
			if v := estate.ParentVNetID(*c.Properties.Subnet.ID); v != "" {
				return v
			}
		}
	}
	return ""
}

// publicIPsOfGateway returns the IDs of a gateway's public IP addresses.
func publicIPsOfGateway(g *armnetwork.VirtualNetworkGateway) []string {
	if g.Properties == nil {
		return nil
	}
	var ids []string
	for _, c := range g.Properties.IPConfigurations {
		if c != nil && c.Properties != nil && c.Properties.PublicIPAddress != nil && c.Properties.PublicIPAddress.ID != nil {
			ids = append(ids, *c.Properties.PublicIPAddress.ID)
		}
	}
	return ids
}

// ErrNotAuthorized marks a read refused with 403: the identity lacks the
// Reader role on the resource's subscription (for example the remote end of
// a cross-subscription peering). Unlike other read errors it will not go
// away by retrying; test for it with errors.Is.
var ErrNotAuthorized = errors.New("not authorized: grant the Reader role on the subscription")

// readError wraps err with the action described by format and args, and
// with ErrNotAuthorized when ARM answered 403.
func readError(err error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	var re *azcore.ResponseError
	if errors.As(err, &re) && re.StatusCode == http.StatusForbidden {
		return fmt.Errorf("%s: %w: %w", msg, ErrNotAuthorized, err)
	}
	return fmt.Errorf("%s: %w", msg, err)
}

// isNotFound reports whether err is an ARM 404 (resource or resource group
// not found).
func isNotFound(err error) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusNotFound
}

// skipBadID logs and drops an errBadID error: a malformed reference found
// in Azure's data must not fail a whole read.
func skipBadID(log *zap.Logger, err error) error {
	if errors.Is(err, errBadID) {
		log.Warn("azure: skipping a malformed reference", zap.Error(err))
		return nil
	}
	return err
}
