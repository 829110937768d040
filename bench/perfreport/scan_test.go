package main

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSizes(t *testing.T) {
	cases := []struct {
		in      string
		want    []int
		wantErr string
	}{
		{"1000,10000,50000", []int{1000, 10000, 50000}, ""},
		{" 1000 , 2000", []int{1000, 2000}, ""},
		{"1000,x", nil, `"x"`},
		{"1", nil, "at least 2"},
		{"10000,1000", nil, "increasing"},
		{"", nil, `""`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseSizes(tc.in)
			if tc.wantErr != "" {
				assert.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// rowsGrowing returns rows whose scan grows as f and evaluation as g.
func rowsGrowing(f, g func(int) float64, sizes ...int) []ScanRow {
	var rows []ScanRow
	for _, n := range sizes {
		rows = append(rows, ScanRow{VNets: n,
			Scan:     Measured{Best: time.Duration(f(n) * 1000)},
			Decode:   Measured{Best: time.Duration(f(n) * 800)},
			Evaluate: Measured{Best: time.Duration(g(n) * 100)}})
	}
	return rows
}

func TestScalingShowsTheOrderOfGrowth(t *testing.T) {
	s := scaling(rowsGrowing(linear, nLogN, 1000, 10000, 50000))
	require.Len(t, s, 3)
	for i, r := range s {
		assert.InDelta(t, 1, r.ScanPerN, 1e-6, "row %d: linear scan is flat per n", i)
		assert.InDelta(t, 1, r.EvalPerNLogN, 1e-6, "row %d: n log n evaluation is flat per n log n", i)
	}
	assert.InDelta(t, math.Log(50000)/math.Log(1000), s[2].EvalPerN, 1e-4, "n log n grows per n by the log ratio")
	assert.Less(t, s[2].ScanPerNLogN, 1.0, "linear falls per n log n")
	assert.Nil(t, scaling(nil))
}

func TestDecodeScan(t *testing.T) {
	rows, err := decodeScan([]byte(`[{"vnets":1000,"peerings":1996,"fileBytes":2237449,"scan":{"best":34000000,"allocs":87470,"peakKiB":20480},"decode":{"best":30000000},"evaluate":{"best":9000000,"peerings":1996}}]`))
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, 34*time.Millisecond, rows[0].Scan.Best)
	assert.InDelta(t, 34.0/30, rows[0].Ratio(), 1e-9)
	assert.InDelta(t, 2.13, rows[0].FileMiB(), 0.01)

	_, err = decodeScan([]byte(`[]`))
	assert.ErrorContains(t, err, "no estate size")
	_, err = decodeScan([]byte(`| VNets |`))
	assert.ErrorContains(t, err, "scanbench's JSON")
}
