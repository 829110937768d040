// Package examples embeds the bundled example estate (a hub-and-spoke
// network in two subscriptions with a VPN gateway, a VNet-to-VNet link to a
// second region and an on-premises site) and its baseline, so that
// `vnetdrift demo` and `make run` work with no Azure account and no files.
package examples

import _ "embed"

// Estate is the example estate: a JSON array of ARM resources in REST shape.
//
//go:embed estate.json
var Estate []byte

// EstateName is the name Estate is reported under in errors and SARIF.
const EstateName = "examples/estate.json"

// Baseline is the example estate's baseline, captured from it with
// `vnetdrift baseline capture --estate examples/estate.json`.
//
//go:embed baseline.yaml
var Baseline []byte

// BaselineName is the name Baseline is reported under.
const BaselineName = "examples/baseline.yaml"
