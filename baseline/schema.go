package baseline

import _ "embed"

// Schema is the JSON Schema (draft 2020-12) of the baseline format. It
// accepts what Parse accepts, except for checks a schema cannot express
// (duplicate VNets, connections and peerings, host bits in prefixes,
// impossible dates, a connection peer of the wrong type); see docs/BASELINE.md.
// It also checks the routes and receivers blocks, which Parse stores
// unchecked and notify.ParseRouting checks (docs/ALERTING.md).
//
//go:embed schema.json
var Schema []byte

// SchemaURL is where Schema is published; Marshal points editors at it.
const SchemaURL = "https://raw.githubusercontent.com/vnetdrift/vnetdrift/main/baseline/schema.json"
