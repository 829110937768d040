package azure

import (
	"context"
	"errors"
	"time"

	"github.com/vnetdrift/vnetdrift/estate"
	"go.uber.org/zap"
)

// Read paths ReadAll logs.
const (
	pathGraph = "resource-graph"
	pathARM   = "arm"
)

// ReadAll reads every VNet, gateway, connection, local network gateway and
// public IP address in the configured subscriptions. It runs GraphQuery on
// Resource Graph: one query per group of at most 300 subscriptions, paged
// 1,000 rows at a time. When Resource Graph is not permitted (403,
// AuthorizationFailed) or not served by the endpoint (404, 400) it falls
// back to ARM list calls (see readARM for that path's limits). It logs
// which path was used. The result lists each kind of resource in ID order.
func (r *Reader) ReadAll(ctx context.Context) (*estate.Resources, error) {
	if len(r.cfg.Subscriptions) == 0 {
		return nil, errors.New("reading all networks: no subscriptions configured")
	}
	start, calls := time.Now(), r.Calls()
	path := pathGraph
	res, err := r.readGraph(ctx)
	if err != nil && graphUnavailable(err) {
		r.log.Warn("azure: Resource Graph unavailable, reading through ARM instead", zap.Error(err))
		path = pathARM
		res, err = r.readARM(ctx)
	}
	if err != nil {
		return nil, err
	}
	sortResources(res)
	r.log.Info("azure: read all networks",
		zap.String("path", path),
		zap.Int("subscriptions", len(r.cfg.Subscriptions)),
		zap.Int("vnets", len(res.VNets)),
		zap.Int("gateways", len(res.Gateways)),
		zap.Int("connections", len(res.Connections)),
		zap.Int64("calls", r.Calls()-calls),
		zap.Duration("took", time.Since(start)))
	return res, nil
}
