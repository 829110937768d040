// Package state keeps the alert lifecycle of every finding where all
// instances of the function see it: in memory for one process (NewMemory),
// or in an Azure Table (NewTable, FromEnv) for a scaled-out Function App.
//
// Both stores share one engine: the decisions are pure functions of the
// stored record, the evaluation and the time (transition.go), and every
// write is an atomic insert or an ETag-conditional replace, retried on
// conflict after re-reading the record. Of several instances recording
// the same transition, exactly one write succeeds, and only the instance
// whose write succeeded gets the item. See docs/ALERTING.md.
package state
