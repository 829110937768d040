// Package opa compares vnetdrift with the same compliance checks written in
// Rego and evaluated by Open Policy Agent (policy/*.rego): overlapping
// address space between peered VNets, peerings that are not Connected or
// not FullyInSync, and gateways that are PolicyBased where RouteBased is
// needed or whose settings differ from the expected ones.
//
// It builds one estate for both tools (NewCase), converts it to the
// ARM-shaped inventory document the Rego reads (NewDocument), prepares the
// Rego query once (Prepare) and counts the findings both tools report on
// the rules they share (CountFindings, CountViolations). Command
// cmd/opabench times both; the package's tests prove they agree.
//
// It is a nested module so that OPA's dependencies stay out of vnetdrift's
// own go.mod.
package opa
