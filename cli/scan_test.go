package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/report"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	exampleEstate   = "../examples/estate.json"
	exampleBaseline = "../examples/baseline.yaml"
	driftedEstate   = "testdata/drifted-estate.json"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestScanExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		out  string // substring of stdout or stderr
	}{
		{"clean", []string{"scan", "--baseline", exampleBaseline, "--estate", exampleEstate}, ExitOK, "No drift: 5 VNets evaluated"},
		{"drift", []string{"scan", "--baseline", exampleBaseline, "--estate", driftedEstate}, ExitDrift, "PEERING_MISSING"},
		{"fail-on high still fails", []string{"scan", "--baseline", exampleBaseline, "--estate", driftedEstate, "--fail-on", "high"}, ExitDrift, "ADDRESS_OVERLAP"},
		{"no baseline: state rules only", []string{"scan", "--estate", driftedEstate, "--format", "json"}, ExitDrift, `"PEERING_NOT_CONNECTED"`},
		{"unknown format", []string{"scan", "--estate", exampleEstate, "--format", "xml"}, ExitUsage, `--format: unknown format "xml"`},
		{"bad fail-on", []string{"scan", "--estate", exampleEstate, "--fail-on", "urgent"}, ExitUsage, `--fail-on: unknown severity "urgent"`},
		{"missing estate file", []string{"scan", "--estate", "nope.json"}, ExitUsage, "nope.json"},
		{"no estate", []string{"scan"}, ExitUsage, "no estate"},
		{"both sources", []string{"scan", "--estate", exampleEstate, "--subscription", "x"}, ExitUsage, "either --estate or --subscription"},
		{"bad baseline", []string{"scan", "--baseline", "testdata/bad-baseline.yaml", "--estate", exampleEstate}, ExitUsage, "testdata/bad-baseline.yaml:3:"},
		{"unknown command", []string{"scna"}, ExitUsage, `unknown command "scna"`},
		{"stray argument", []string{"scan", "--estate", exampleEstate, "extra"}, ExitUsage, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(t, c.args...)
			assert.Equal(t, c.code, code, "stdout:\n%s\nstderr:\n%s", out, errs)
			assert.Contains(t, out+errs, c.out)
		})
	}
}

func TestScanJSONReportsDrift(t *testing.T) {
	code, out, _ := run(t, "scan", "--baseline", exampleBaseline, "--estate", driftedEstate, "--format", "json")
	require.Equal(t, ExitDrift, code)
	var rep report.JSONReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	got := map[string]int{}
	for _, f := range rep.Findings {
		got[f.Rule]++
		assert.NotEmpty(t, f.Fingerprint)
		assert.NotEmpty(t, f.Message)
	}
	want := map[string]int{
		"ADDRESS_SPACE_DRIFT":      1, // spoke1 grew
		"ADDRESS_OVERLAP":          2, // spoke1 ↔ hub, once per side
		"PEERING_NOT_IN_SYNC":      2, // both halves
		"PEERING_SETTINGS_DRIFT":   1, // hub → spoke1 forwarding
		"PEERING_MISSING":          1, // hub → spoke2 deleted
		"PEERING_NOT_CONNECTED":    1, // spoke2 → hub Disconnected
		"CONNECTION_NOT_CONNECTED": 1, // to on-premises
		"GATEWAY_SETTINGS_DRIFT":   1, // neu gateway SKU
	}
	for rule, n := range want {
		assert.Equal(t, n, got[rule], rule)
	}
	assert.Equal(t, len(rep.Findings), rep.Summary.Total)
}

func TestScanSARIFGolden(t *testing.T) {
	dir := t.TempDir()
	outFile := filepath.Join(dir, "drift.sarif")
	code, _, errs := run(t, "scan", "--baseline", exampleBaseline, "--estate", driftedEstate, "--format", "sarif", "-o", outFile)
	require.Equal(t, ExitDrift, code, errs)
	got, err := os.ReadFile(outFile)
	require.NoError(t, err)
	got = bytes.ReplaceAll(got, []byte(`"version": "`+Version+`"`), []byte(`"version": "test"`))
	golden := "testdata/drift.sarif.golden"
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./cli -run SARIF -update to create it")
	assert.Equal(t, string(want), string(got))

	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				Locations []struct {
					Physical *struct {
						Artifact struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(got, &log))
	assert.Equal(t, "2.1.0", log.Version)
	require.Len(t, log.Runs, 1)
	assert.Len(t, log.Runs[0].Tool.Driver.Rules, 18)
	assert.True(t, strings.HasSuffix(log.Runs[0].Tool.Driver.Rules[0].HelpURI, "docs/rules.md#vnet_missing"))
	located := 0
	for _, r := range log.Runs[0].Results {
		if p := r.Locations[0].Physical; p != nil {
			located++
			assert.Equal(t, "../examples/baseline.yaml", p.Artifact.URI)
			assert.Positive(t, p.Region.StartLine)
		}
	}
	assert.Positive(t, located, "findings about baseline VNets point at the baseline file")
}
