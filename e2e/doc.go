// Package e2e holds vnetdrift's end-to-end tests: the built binary driven
// the way the Azure Functions host drives a custom handler, and the whole
// event loop (ARM emulator → Event Grid delivery → handler → pipeline →
// sinks) in one process, with duplicated, reordered and failed deliveries.
// It has no code outside its tests.
package e2e
