package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const opaJSON = `[{"vnets":1000,"peerings":1996,"runs":3,"vnetdriftEvalMs":8.73,"vnetdriftEvalCpuMs":7.79,"vnetdriftScanMs":140,"vnetdriftScanCpuMs":55.35,
"opaPrepareMs":18.07,"opaEvalMs":127,"opaEvalCpuMs":54.79,"opaScanMs":95.48,"opaScanCpuMs":94.49,"evalRatio":14.59,"evalCpuRatio":7.03,
"scanRatio":0.68,"scanCpuRatio":1.71,"vnetdriftEvalAllocMiB":3.67,"opaEvalAllocMiB":2.97,"drift":{"overlaps":5},"vnetdriftFindings":23,
"opaViolations":23,"agree":true,"opaSkipped":false,"opaVersion":"1.22.2"},
{"vnets":50000,"vnetdriftEvalMs":500,"vnetdriftScanMs":3000,"evalRatio":0,"evalCpuRatio":0,"scanRatio":0,"scanCpuRatio":0,"opaEvalMs":0,"opaScanMs":0,
"vnetdriftEvalAllocMiB":1,"opaEvalAllocMiB":0,"vnetdriftFindings":1000,"opaViolations":0,"agree":false,"opaSkipped":true,"skipReason":"above -opa-max"}]`

func TestOPATableKnownShape(t *testing.T) {
	cols, rows, recs, err := opaTable([]byte(opaJSON))
	require.NoError(t, err)
	assert.Equal(t, []string{"VNets", "eval ms: vnetdrift / OPA", "OPA ÷ vnetdrift, eval (wall / CPU)", "scan ms: vnetdrift / OPA",
		"OPA ÷ vnetdrift, scan (wall / CPU)", "eval alloc MiB: vnetdrift / OPA", "findings: vnetdrift / OPA", "agree", "OPA skipped"}, cols)
	require.Len(t, rows, 2)
	assert.Equal(t, []string{"1000", "8.73 / 127", "14.59 / 7.03", "140 / 95.48", "0.68 / 1.71", "3.67 / 2.97", "23 / 23", "true", "—"}, rows[0])
	assert.Equal(t, "above -opa-max", rows[1][8])
	require.Len(t, recs, 2)

	s := OPASection{Records: recs}
	assert.Equal(t, []Point{{VNets: 1000, Time: time.Duration(95.48 * float64(time.Millisecond))}}, s.ScanSeries(), "skipped sizes are not plotted")
	assert.Equal(t, "OPA 1.22.2; query prepared once in 18.07 ms (at 1000 VNets)", s.Info())
}

func TestOPATableUnknownShapeKeepsEveryColumn(t *testing.T) {
	cols, rows, _, err := opaTable([]byte(`[{"size":1000,"opa":{"ms":12.5},"note":"a|b"},{"size":2000,"extra":null}]`))
	require.NoError(t, err)
	assert.Equal(t, []string{"size", "opa", "note", "extra"}, cols, "keys in order of first appearance")
	assert.Equal(t, [][]string{{"1000", `{"ms":12.5}`, `a\|b`, "—"}, {"2000", "—", "—", "—"}}, rows)
}

func TestOPATableErrors(t *testing.T) {
	for in, want := range map[string]string{`{"vnets":1}`: "not a JSON array", `[]`: "empty array", `[1]`: "element 0: not a JSON object"} {
		_, _, _, err := opaTable([]byte(in))
		assert.ErrorContains(t, err, want, in)
	}
}

func TestNumber(t *testing.T) {
	for v, want := range map[float64]string{1000: "1000", 0.68: "0.68", 14.591: "14.59", 127.4: "127", 0.001234: "0.00123", -3: "-3"} {
		assert.Equal(t, want, number(v), "%v", v)
	}
}

// fakeOPA writes a module with a cmd/opabench whose main is body.
func fakeOPA(t *testing.T, body string) (root, dir string) {
	t.Helper()
	root = t.TempDir()
	dir = "opa"
	main := filepath.Join(root, dir, "cmd", "opabench")
	require.NoError(t, os.MkdirAll(main, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, dir, "go.mod"), []byte("module fakeopa\n\ngo 1.22\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(main, "main.go"), []byte("package main\n\nimport (\"fmt\"; \"os\")\n\nfunc main() {\n"+body+"\n}\n"), 0o644))
	return root, dir
}

func TestMeasureOPA(t *testing.T) {
	if testing.Short() {
		t.Skip("builds small modules with the go command")
	}
	cases := []struct {
		name, body string
		check      func(t *testing.T, s OPASection)
	}{
		{"prints its rows", `fmt.Println(` + "`" + `[{"vnets":1000,"opaEvalMs":12,"vnetdriftEvalMs":3}]` + "`" + `); _ = os.Args`,
			func(t *testing.T, s OPASection) {
				require.Empty(t, s.Err)
				assert.Equal(t, []string{"VNets", "eval ms: vnetdrift / OPA"}, s.Columns)
			}},
		{"fails", `fmt.Fprintln(os.Stderr, "rego: boom"); os.Exit(3)`,
			func(t *testing.T, s OPASection) {
				assert.Contains(t, s.Err, "exit status 3")
				assert.Contains(t, s.Err, "rego: boom")
			}},
		{"prints no JSON", `fmt.Println("| vnets |"); _ = os.Args`,
			func(t *testing.T, s OPASection) { assert.Contains(t, s.Err, "not a JSON array") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root, dir := fakeOPA(t, tc.body)
			s := measureOPA(context.Background(), root, dir, []int{1000}, 2, time.Minute)
			assert.False(t, s.Absent)
			assert.Equal(t, "cd opa && go run ./cmd/opabench -vnets 1000 -runs 2 -json", s.Command)
			tc.check(t, s)
		})
	}
}

func TestMeasureOPAAbsent(t *testing.T) {
	assert.True(t, measureOPA(context.Background(), t.TempDir(), "bench/opa", []int{1000}, 1, time.Minute).Absent)
	assert.True(t, measureOPA(context.Background(), t.TempDir(), "", []int{1000}, 1, time.Minute).Absent, "-opa '' skips it")
}
