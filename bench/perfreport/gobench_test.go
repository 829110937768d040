package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const benchOutput = `goos: linux
goarch: amd64
pkg: github.com/vnetdrift/vnetdrift/bench
cpu: AMD EPYC
BenchmarkEventBurst/in-process/handle=500x20-2         	       2	 552551696 ns/op	         1.000 evals	     45457 events/s	       215.2 p50-ms	       223.5 p99-ms	         1.080 reads/vnet
BenchmarkSingleChange-2                                	      13	  89808012 ns/op	        88.38 p50-ms	        96.05 p99-ms	         9.923 reads/change
BenchmarkEventBurst/in-process/handle=500x20-2         	       1	 600000000 ns/op	         2.000 evals	     40000 events/s	       300.0 p50-ms	       310.0 p99-ms	         2.160 reads/vnet
BenchmarkSingleChange-2                                	      10	  99808012 ns/op	        98.00 p50-ms	       120.00 p99-ms	        10.0 reads/change
BenchmarkSingleChange-2                                	      10	  99808012 ns/op	        40.00 p50-ms	        45.00 p99-ms	        10.0 reads/change
--- FAIL: BenchmarkBroken
BenchmarkNoMetrics
PASS
ok  	github.com/vnetdrift/vnetdrift/bench	40.282s
`

func TestParseBench(t *testing.T) {
	runs := parseBench(strings.NewReader(benchOutput))
	assert.Equal(t, []string{"EventBurst/in-process/handle=500x20", "SingleChange"}, runs.Order)
	require.Len(t, runs.By["SingleChange"], 3)
	assert.InDelta(t, 9.923, runs.By["SingleChange"][0]["reads/change"], 1e-9)
	assert.InDelta(t, 89808012, runs.By["SingleChange"][0]["ns/op"], 1e-9)

	cases := []struct {
		name, bench, unit string
		want              Stat
	}{
		{"odd count: the middle", "SingleChange", "p99-ms", Stat{Median: 96.05, Min: 45, Max: 120, N: 3}},
		{"even count: the mean of the middle two", "EventBurst/in-process/handle=500x20", "reads/vnet", Stat{Median: 1.62, Min: 1.08, Max: 2.16, N: 2}},
		{"unknown unit", "SingleChange", "events/s", Stat{}},
		{"unknown benchmark", "Nothing", "p99-ms", Stat{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runs.Stat(tc.bench, tc.unit)
			assert.Equal(t, tc.want.N, got.N)
			assert.InDelta(t, tc.want.Median, got.Median, 1e-9)
			assert.InDelta(t, tc.want.Min, got.Min, 1e-9)
			assert.InDelta(t, tc.want.Max, got.Max, 1e-9)
		})
	}
}

func TestShellJoin(t *testing.T) {
	assert.Equal(t, `go test -run '^$' -bench '^(A|B)$' ./bench/ 'it'\''s'`,
		"go "+shellJoin([]string{"test", "-run", "^$", "-bench", "^(A|B)$", "./bench/", "it's"}))
}

func TestLastLines(t *testing.T) {
	assert.Equal(t, ": c | d", lastLines("a\nb\n\nc\nd\n", 2))
	assert.Equal(t, "", lastLines("\n \n", 2))
}
