package emulator

import (
	"context"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

// crud drives one resource type through create, update, get, list and
// delete with the real SDK client.
type crud struct {
	name   string
	client string
	put    func(e *env, name string) (id, state string, err error)
	get    func(e *env, name string) (provisioning string, err error)
	list   func(e *env) ([]string, error)
	delete func(e *env, name string) error
}

var ctx = context.Background()

func gatewayCRUD() crud {
	return crud{
		name: "gateway", client: "VirtualNetworkGateways",
		put: func(e *env, name string) (string, string, error) {
			p, err := e.net.NewVirtualNetworkGatewaysClient().BeginCreateOrUpdate(ctx, testRG, name, gatewayBody("hub"), nil)
			if err != nil {
				return "", "", err
			}
			r, err := p.PollUntilDone(ctx, pollFast)
			return str(r.ID), string(*r.Properties.ProvisioningState), err
		},
		get: func(e *env, name string) (string, error) {
			r, err := e.net.NewVirtualNetworkGatewaysClient().Get(ctx, testRG, name, nil)
			if err != nil {
				return "", err
			}
			return string(*r.Properties.ProvisioningState), nil
		},
		list: func(e *env) ([]string, error) {
			var out []string
			for pg := e.net.NewVirtualNetworkGatewaysClient().NewListPager(testRG, nil); pg.More(); {
				page, err := pg.NextPage(ctx)
				if err != nil {
					return nil, err
				}
				for _, v := range page.Value {
					out = append(out, *v.Name)
				}
			}
			return out, nil
		},
		delete: func(e *env, name string) error {
			p, err := e.net.NewVirtualNetworkGatewaysClient().BeginDelete(ctx, testRG, name, nil)
			if err == nil {
				_, err = p.PollUntilDone(ctx, pollFast)
			}
			return err
		},
	}
}

func localGatewayBody() armnetwork.LocalNetworkGateway {
	return armnetwork.LocalNetworkGateway{Location: ptr(testLoc), Properties: &armnetwork.LocalNetworkGatewayPropertiesFormat{
		GatewayIPAddress:         ptr("203.0.113.10"),
		LocalNetworkAddressSpace: &armnetwork.AddressSpace{AddressPrefixes: ptrs("192.168.0.0/16")},
	}}
}

func localGatewayCRUD() crud {
	return crud{
		name: "local network gateway", client: "LocalNetworkGateways",
		put: func(e *env, name string) (string, string, error) {
			p, err := e.net.NewLocalNetworkGatewaysClient().BeginCreateOrUpdate(ctx, testRG, name, localGatewayBody(), nil)
			if err != nil {
				return "", "", err
			}
			r, err := p.PollUntilDone(ctx, pollFast)
			return str(r.ID), string(*r.Properties.ProvisioningState), err
		},
		get: func(e *env, name string) (string, error) {
			r, err := e.net.NewLocalNetworkGatewaysClient().Get(ctx, testRG, name, nil)
			if err != nil {
				return "", err
			}
			return string(*r.Properties.ProvisioningState), nil
		},
		list: func(e *env) ([]string, error) {
			var out []string
			for pg := e.net.NewLocalNetworkGatewaysClient().NewListPager(testRG, nil); pg.More(); {
				page, err := pg.NextPage(ctx)
				if err != nil {
					return nil, err
				}
				for _, v := range page.Value {
					out = append(out, *v.Name)
				}
			}
			return out, nil
		},
		delete: func(e *env, name string) error {
			p, err := e.net.NewLocalNetworkGatewaysClient().BeginDelete(ctx, testRG, name, nil)
			if err == nil {
				_, err = p.PollUntilDone(ctx, pollFast)
			}
			return err
		},
	}
}

func connectionBody(gw1, gw2 string) armnetwork.VirtualNetworkGatewayConnection {
	return armnetwork.VirtualNetworkGatewayConnection{Location: ptr(testLoc), Properties: &armnetwork.VirtualNetworkGatewayConnectionPropertiesFormat{
		ConnectionType:         ptr(armnetwork.VirtualNetworkGatewayConnectionTypeVnet2Vnet),
		VirtualNetworkGateway1: &armnetwork.VirtualNetworkGateway{ID: ptr(resourceID(testSub, testRG, estate.TypeGateway, gw1))},
		VirtualNetworkGateway2: &armnetwork.VirtualNetworkGateway{ID: ptr(resourceID(testSub, testRG, estate.TypeGateway, gw2))},
		SharedKey:              ptr("not-a-real-key"),
	}}
}

func (e *env) putConnection(name string, body armnetwork.VirtualNetworkGatewayConnection) (armnetwork.VirtualNetworkGatewayConnection, error) {
	p, err := e.net.NewVirtualNetworkGatewayConnectionsClient().BeginCreateOrUpdate(ctx, testRG, name, body, nil)
	if err != nil {
		return armnetwork.VirtualNetworkGatewayConnection{}, err
	}
	r, err := p.PollUntilDone(ctx, pollFast)
	return r.VirtualNetworkGatewayConnection, err
}

func connectionCRUD() crud {
	return crud{
		name: "connection", client: "VirtualNetworkGatewayConnections",
		put: func(e *env, name string) (string, string, error) {
			r, err := e.putConnection(name, connectionBody("hub-gw", "hub-gw"))
			if err != nil {
				return "", "", err
			}
			return str(r.ID), string(*r.Properties.ProvisioningState), nil
		},
		get: func(e *env, name string) (string, error) {
			r, err := e.net.NewVirtualNetworkGatewayConnectionsClient().Get(ctx, testRG, name, nil)
			if err != nil {
				return "", err
			}
			return string(*r.Properties.ProvisioningState), nil
		},
		list: func(e *env) ([]string, error) {
			var out []string
			for pg := e.net.NewVirtualNetworkGatewayConnectionsClient().NewListPager(testRG, nil); pg.More(); {
				page, err := pg.NextPage(ctx)
				if err != nil {
					return nil, err
				}
				for _, v := range page.Value {
					out = append(out, *v.Name)
				}
			}
			return out, nil
		},
		delete: func(e *env, name string) error {
			p, err := e.net.NewVirtualNetworkGatewayConnectionsClient().BeginDelete(ctx, testRG, name, nil)
			if err == nil {
				_, err = p.PollUntilDone(ctx, pollFast)
			}
			return err
		},
	}
}

func TestTopLevelCRUD(t *testing.T) {
	for _, tt := range []crud{gatewayCRUD(), localGatewayCRUD(), connectionCRUD()} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil, testOptions())
			e.putVNet(t, "hub", vnetBody("10.0.255.0/27", "10.0.0.0/16"))
			if tt.client == "VirtualNetworkGatewayConnections" {
				e.putGateway(t, "hub-gw", "hub")
			}
			id, state, err := tt.put(e, "x1")
			require.NoError(t, err)
			assert.Contains(t, id, "/resourceGroups/"+testRG+"/providers/Microsoft.Network/")
			assert.Equal(t, "Succeeded", state)
			_, _, err = tt.put(e, "x1")
			require.NoError(t, err, "update")
			_, _, err = tt.put(e, "x2")
			require.NoError(t, err)

			state, err = tt.get(e, "x1")
			require.NoError(t, err)
			assert.Equal(t, "Succeeded", state)
			names, err := tt.list(e)
			require.NoError(t, err)
			assert.Contains(t, names, "x1")
			assert.Contains(t, names, "x2")

			require.NoError(t, tt.delete(e, "x1"))
			_, err = tt.get(e, "x1")
			code, status := errorCode(t, err)
			assert.Equal(t, "ResourceNotFound", code)
			assert.Equal(t, http.StatusNotFound, status)
			require.NoError(t, tt.delete(e, "x1"), "deleting twice is a no-op")

			counts := e.srv.Requests()
			assert.Equal(t, 3, counts[tt.client+".CreateOrUpdate"])
			assert.Equal(t, 2, counts[tt.client+".Delete"])
		})
	}
}

func TestConnectionStatus(t *testing.T) {
	e := newEnv(t, nil, testOptions())
	e.putVNet(t, "a", vnetBody("10.1.255.0/27", "10.1.0.0/16"))
	e.putVNet(t, "b", vnetBody("10.2.255.0/27", "10.2.0.0/16"))
	e.putGateway(t, "a-gw", "a")
	e.putGateway(t, "b-gw", "b")
	cc := e.net.NewVirtualNetworkGatewayConnectionsClient()
	status := func(name string) armnetwork.VirtualNetworkGatewayConnectionStatus {
		r, err := cc.Get(ctx, testRG, name, nil)
		require.NoError(t, err)
		return *r.Properties.ConnectionStatus
	}

	ab, err := e.putConnection("a-b", connectionBody("a-gw", "b-gw"))
	require.NoError(t, err)
	assert.Equal(t, armnetwork.VirtualNetworkGatewayConnectionStatusNotConnected, *ab.Properties.ConnectionStatus, "one direction only")
	_, err = e.putConnection("b-a", connectionBody("b-gw", "a-gw"))
	require.NoError(t, err)
	assert.Equal(t, armnetwork.VirtualNetworkGatewayConnectionStatusConnected, status("a-b"))
	assert.Equal(t, armnetwork.VirtualNetworkGatewayConnectionStatusConnected, status("b-a"))

	wrongKey := connectionBody("b-gw", "a-gw")
	wrongKey.Properties.SharedKey = ptr("another-key")
	_, err = e.putConnection("b-a", wrongKey)
	require.NoError(t, err)
	assert.Equal(t, armnetwork.VirtualNetworkGatewayConnectionStatusNotConnected, status("a-b"), "shared keys differ")

	p, err := e.net.NewVirtualNetworkGatewaysClient().BeginDelete(ctx, testRG, "b-gw", nil)
	require.NoError(t, err)
	_, err = p.PollUntilDone(ctx, pollFast)
	require.NoError(t, err)
	assert.Equal(t, armnetwork.VirtualNetworkGatewayConnectionStatusNotConnected, status("b-a"))

	var listed []string
	for pg := e.net.NewVirtualNetworkGatewaysClient().NewListConnectionsPager(testRG, "a-gw", nil); pg.More(); {
		page, err := pg.NextPage(ctx)
		require.NoError(t, err)
		for _, c := range page.Value {
			listed = append(listed, *c.Name)
		}
	}
	assert.Equal(t, []string{"a-b", "b-a"}, listed, "connections where the gateway is gateway 1 or 2")
	assert.Equal(t, 1, e.srv.Requests()["VirtualNetworkGateways.ListConnections"])

	_, err = e.putConnection("bad", armnetwork.VirtualNetworkGatewayConnection{Location: ptr(testLoc),
		Properties: &armnetwork.VirtualNetworkGatewayConnectionPropertiesFormat{}})
	code, _ := errorCode(t, err)
	assert.Equal(t, "InvalidRequestFormat", code)
}

func TestPublicIPGet(t *testing.T) {
	pip := armnetwork.PublicIPAddress{
		ID:         ptr(resourceID(testSub, testRG, estate.TypePublicIP, "gw-pip")),
		Location:   ptr(testLoc),
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{IPAddress: ptr("198.51.100.7")},
	}
	e := newEnv(t, &estate.Resources{PublicIPs: []*armnetwork.PublicIPAddress{&pip}}, testOptions())
	got, err := e.net.NewPublicIPAddressesClient().Get(ctx, testRG, "gw-pip", nil)
	require.NoError(t, err)
	assert.Equal(t, "198.51.100.7", *got.Properties.IPAddress)
	_, err = e.net.NewPublicIPAddressesClient().Get(ctx, testRG, "other", nil)
	code, _ := errorCode(t, err)
	assert.Equal(t, "ResourceNotFound", code)
}
