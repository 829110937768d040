package main

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    options
		wantErr string
	}{
		{"defaults", nil, options{sizes: []int{1000, 10000, 50000}, runs: 3, opaTimeout: 5 * time.Minute}, ""},
		{"all flags", []string{"-vnets", "300, 2000", "-runs", "1", "-json", "-opa-max", "1000", "-opa-timeout", "1m"},
			options{sizes: []int{300, 2000}, runs: 1, json: true, opaMax: 1000, opaTimeout: time.Minute}, ""},
		{"bad size", []string{"-vnets", "1000,lots"}, options{}, `bad size "lots"`},
		{"too small", []string{"-vnets", "1"}, options{}, `bad size "1"`},
		{"no runs", []string{"-runs", "0"}, options{}, "want at least 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseFlags(tc.args)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestJSONContract runs two small sizes, the second above -opa-max, and
// checks the field names the report generator reads.
func TestJSONContract(t *testing.T) {
	var out bytes.Buffer
	o := options{sizes: []int{300, 600}, runs: 1, json: true, opaMax: 500, opaTimeout: time.Minute}
	require.NoError(t, run(o, &out))

	var rows []map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &rows))
	require.Len(t, rows, 2)
	for _, field := range []string{"vnets", "peerings", "gateways", "runs", "estateMiB", "inputMiB",
		"vnetdriftEvalMs", "vnetdriftEvalCpuMs", "vnetdriftScanMs", "vnetdriftScanCpuMs",
		"opaPrepareMs", "opaEvalMs", "opaEvalCpuMs", "opaScanMs", "opaScanCpuMs",
		"evalRatio", "evalCpuRatio", "scanRatio", "scanCpuRatio", "vnetdriftEvalAllocMiB", "opaEvalAllocMiB",
		"drift", "vnetdriftFindings", "vnetdriftCounts", "opaViolations", "opaCounts", "agree",
		"opaSkipped", "opaVersion", "goVersion", "cpus"} {
		assert.Contains(t, rows[0], field)
	}
	measured, skipped := rows[0], rows[1]
	assert.Equal(t, 300.0, measured["vnets"])
	assert.Equal(t, true, measured["agree"])
	assert.Equal(t, false, measured["opaSkipped"])
	assert.Positive(t, measured["opaEvalMs"])
	assert.Positive(t, measured["evalRatio"])
	assert.Equal(t, measured["vnetdriftCounts"], measured["opaCounts"])

	assert.Equal(t, 600.0, skipped["vnets"])
	assert.Equal(t, true, skipped["opaSkipped"])
	assert.Equal(t, "600 VNets is above -opa-max 500", skipped["skipReason"])
	assert.Equal(t, false, skipped["agree"])
	assert.Positive(t, skipped["vnetdriftEvalMs"])
}

func TestTableMarksSkippedSizes(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(options{sizes: []int{300}, runs: 1, opaMax: 100, opaTimeout: time.Minute}, &out))
	assert.Contains(t, out.String(), "| 300 | 598 |")
	assert.Contains(t, out.String(), "OPA skipped at 300 VNets: 300 VNets is above -opa-max 100")
}

func TestOPATimeoutSkips(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(options{sizes: []int{300}, runs: 1, json: true, opaTimeout: time.Nanosecond}, &out))
	var rows []row
	require.NoError(t, json.Unmarshal(out.Bytes(), &rows))
	require.Len(t, rows, 1)
	assert.True(t, rows[0].OPASkipped)
	assert.Contains(t, rows[0].SkipReason, "OPA gave up after -opa-timeout 1ns")
	assert.Zero(t, rows[0].OPAEvalMs)
}
