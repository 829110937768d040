// Package azure reads vnetdrift's networks from Azure Resource Manager and
// Azure Resource Graph with the Azure SDK for Go, into estate.Resources.
//
// A Reader reads in two ways:
//
//   - ReadNeighbourhood (event-driven checks) GETs the VNets an event names
//     and what the drift rules need around them: peered VNets, the gateways
//     in GatewaySubnets with their public IPs, connections and local network
//     gateways, and the far end of Vnet2Vnet connections. A few calls per
//     VNet; nothing is read twice in one call.
//   - ReadAll (sweeps, the CLI) runs one Resource Graph query over the
//     configured subscriptions, paged 1,000 rows at a time, and falls back to
//     ARM list calls when Resource Graph is not permitted or not served.
//
// # Endpoints and credentials
//
// Config.Endpoint ("" = Azure public cloud; the CLI takes it from
// VNETDRIFT_ARM_ENDPOINT) serves both ARM and Resource Graph. The
// credential is DefaultAzureCredential: a managed identity in Azure
// Functions (AZURE_CLIENT_ID selects a user-assigned one), `az login` on a
// laptop. Plain http is accepted only for loopback addresses (the
// emulator), with a static test token; the identity needs only the Reader
// role on each subscription.
//
// # Throttling and errors
//
// Clients retry 408, 429 and 5xx answers (four retries), honouring
// Retry-After up to two minutes: ARM's read quota is a token bucket of 250
// per subscription refilled at 25 a second. Every try is counted (Calls)
// and 429s are logged at warn level with the remaining-read headers. A 404
// means "absent", never an error. Other errors come back wrapped, naming the
// resource, once the retries are spent; callers treat them as transient.
//
// # Concurrency
//
// A Reader is safe for concurrent use. Config.Concurrency (default 8)
// bounds the HTTP calls in flight across all of its reads.
package azure
