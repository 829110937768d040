package remediate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"go.uber.org/zap"

	"github.com/vnetdrift/vnetdrift/estate"
)

// write re-reads the target, builds the body from what it read with only
// the fields the action's kind owns changed, and PUTs it when it differs
// (controller-runtime's CreateOrUpdate). Nothing to change is not an error.
func (x *Executor) write(ctx context.Context, a Action, reserve func() error, o *Outcome) error {
	f, err := x.clients.Networks(estate.SubscriptionOf(a.ResourceID))
	if err != nil {
		return err
	}
	rg := estate.ResourceGroupOf(a.ResourceID)
	switch a.Kind {
	case KindPeeringSync, KindPeeringFlags, KindPeeringCreate, KindPeeringReinit:
		return x.writePeering(ctx, f.NewVirtualNetworkPeeringsClient(), rg, a, reserve, o)
	case KindLocalGatewayPrefixes:
		return x.writeLocalGateway(ctx, f.NewLocalNetworkGatewaysClient(), rg, a, reserve, o)
	case KindGatewaySettings:
		return x.writeGateway(ctx, f.NewVirtualNetworkGatewaysClient(), rg, a, reserve, o)
	}
	return fmt.Errorf("action on %q: unknown kind %q", a.ResourceID, a.Kind)
}

func (x *Executor) writePeering(ctx context.Context, c *armnetwork.VirtualNetworkPeeringsClient, rg string, a Action, reserve func() error, o *Outcome) error {
	vnet, name := estate.LastSegment(estate.ParentVNetID(a.ResourceID)), estate.LastSegment(a.ResourceID)
	var want armnetwork.VirtualNetworkPeering
	if err := json.Unmarshal(a.Body, &want); err != nil || want.Properties == nil {
		return fmt.Errorf("decoding the planned body of peering %q: %w", a.ResourceID, orNoProperties(err))
	}
	got, err := c.Get(ctx, rg, vnet, name, nil)
	exists := err == nil
	if err != nil && !isStatus(err, http.StatusNotFound) {
		return fmt.Errorf("reading peering %q: %w", a.ResourceID, err)
	}
	if !exists && a.Kind != KindPeeringCreate {
		return fmt.Errorf("peering %q no longer exists", a.ResourceID)
	}
	cur := peeringSettable(&got.VirtualNetworkPeering)
	body, opts := cur, (*armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions)(nil)
	switch a.Kind {
	case KindPeeringCreate:
		if exists {
			return nil // created meanwhile; verification decides
		}
		body = want
	case KindPeeringFlags:
		body = peeringSettable(&got.VirtualNetworkPeering)
		overlayFlags(body.Properties, flagsOf(want.Properties))
		if sameJSON(body, cur) {
			return nil
		}
	case KindPeeringSync:
		if syncLevel(got.Properties) == string(armnetwork.VirtualNetworkPeeringLevelFullyInSync) {
			return nil
		}
		opts = &armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions{SyncRemoteAddressSpace: to.Ptr(armnetwork.SyncRemoteAddressSpaceTrue)}
	case KindPeeringReinit:
		if got.Properties == nil || got.Properties.PeeringState == nil || *got.Properties.PeeringState != armnetwork.VirtualNetworkPeeringStateDisconnected {
			return nil
		}
	}
	return x.put(ctx, a, body, reserve, o, func(ctx context.Context) error {
		p, err := c.BeginCreateOrUpdate(ctx, rg, vnet, name, body, opts)
		return untilDone(ctx, x.clients.PollOptions(), p, err)
	})
}

// untilDone waits for the long-running operation a Begin call started
// (p, err are what it returned).
func untilDone[T any](ctx context.Context, opts *runtime.PollUntilDoneOptions, p *runtime.Poller[T], err error) error {
	if err != nil {
		return err
	}
	_, err = p.PollUntilDone(ctx, opts)
	return err
}

func syncLevel(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) string {
	if p == nil || p.PeeringSyncLevel == nil {
		return ""
	}
	return string(*p.PeeringSyncLevel)
}

func (x *Executor) writeLocalGateway(ctx context.Context, c *armnetwork.LocalNetworkGatewaysClient, rg string, a Action, reserve func() error, o *Outcome) error {
	name := estate.LastSegment(a.ResourceID)
	var want armnetwork.LocalNetworkGateway
	if err := json.Unmarshal(a.Body, &want); err != nil || want.Properties == nil {
		return fmt.Errorf("decoding the planned body of local network gateway %q: %w", a.ResourceID, orNoProperties(err))
	}
	got, err := c.Get(ctx, rg, name, nil)
	if err != nil {
		return fmt.Errorf("reading local network gateway %q: %w", a.ResourceID, err)
	}
	cur := localGatewayWritable(&got.LocalNetworkGateway)
	body := localGatewayWritable(&got.LocalNetworkGateway)
	body.Properties.LocalNetworkAddressSpace = want.Properties.LocalNetworkAddressSpace
	if sameJSON(body, cur) {
		return nil
	}
	return x.put(ctx, a, body, reserve, o, func(ctx context.Context) error {
		p, err := c.BeginCreateOrUpdate(ctx, rg, name, body, nil)
		return untilDone(ctx, x.clients.PollOptions(), p, err)
	})
}

func (x *Executor) writeGateway(ctx context.Context, c *armnetwork.VirtualNetworkGatewaysClient, rg string, a Action, reserve func() error, o *Outcome) error {
	name := estate.LastSegment(a.ResourceID)
	var want armnetwork.VirtualNetworkGateway
	if err := json.Unmarshal(a.Body, &want); err != nil || want.Properties == nil {
		return fmt.Errorf("decoding the planned body of gateway %q: %w", a.ResourceID, orNoProperties(err))
	}
	got, err := c.Get(ctx, rg, name, nil)
	if err != nil {
		return fmt.Errorf("reading gateway %q: %w", a.ResourceID, err)
	}
	if err := writeOnlySecrets(&got.VirtualNetworkGateway); err != nil {
		return fmt.Errorf("gateway %q: %w", a.ResourceID, err)
	}
	cur := gatewayWritable(&got.VirtualNetworkGateway)
	body := gatewayWritable(&got.VirtualNetworkGateway)
	body.Properties.Active, body.Properties.EnableBgp = want.Properties.Active, want.Properties.EnableBgp
	if sameJSON(body, cur) {
		return nil
	}
	return x.put(ctx, a, body, reserve, o, func(ctx context.Context) error {
		p, err := c.BeginCreateOrUpdate(ctx, rg, name, body, nil)
		return untilDone(ctx, x.clients.PollOptions(), p, err)
	})
}

// put reserves one write and sends it, retrying 409 AnotherOperationInProgress
// with doubling backoff. Other errors are not retried here: the SDK
// pipeline already retried throttling and server errors, and a retried
// write must not be sent twice.
func (x *Executor) put(ctx context.Context, a Action, body any, reserve func() error, o *Outcome, send func(context.Context) error) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encoding the body for %q: %w", a.ResourceID, err)
	}
	if err := reserve(); err != nil {
		return err
	}
	o.Sent = raw
	delay := x.ConflictDelay
	for attempt := 0; ; attempt++ {
		o.Writes++
		err := send(ctx)
		if err == nil {
			return nil
		}
		if !isConflict(err) || attempt >= x.ConflictRetries {
			return fmt.Errorf("writing %q: %w", a.ResourceID, err)
		}
		x.log.Info("another operation is in progress on the VNet; retrying",
			zap.String("resource", a.ResourceID), zap.Duration("after", delay), zap.Int("attempt", attempt+1))
		if err := sleep(ctx, delay); err != nil {
			return fmt.Errorf("writing %q: waiting for the VNet's running operation: %w", a.ResourceID, err)
		}
		delay *= 2
	}
}

// isConflict reports whether err is ARM's "one operation at a time" refusal.
func isConflict(err error) bool {
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		return false
	}
	return strings.Contains(re.ErrorCode, "AnotherOperation") || (re.StatusCode == http.StatusConflict && re.ErrorCode == "")
}

func isStatus(err error, status int) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.StatusCode == status
}

func sameJSON(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errNoProperties is a planned body without "properties".
var errNoProperties = errors.New("no properties")

func orNoProperties(err error) error {
	if err != nil {
		return err
	}
	return errNoProperties
}
