package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// svgElements parses the SVG and counts its elements by name.
func svgElements(t *testing.T, data []byte) (map[string]int, []string) {
	t.Helper()
	count := map[string]int{}
	var texts []string
	dec := xml.NewDecoder(bytes.NewReader(data))
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "well-formed XML")
		switch el := tok.(type) {
		case xml.StartElement:
			count[el.Name.Local]++
			inText = el.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(el))
			}
		case xml.EndElement:
			inText = false
		}
	}
	return count, texts
}

func TestPlotSVG(t *testing.T) {
	rows := rowsGrowing(linear, nLogN, 1000, 10000, 50000)
	opa := []Point{{1000, 90 * time.Millisecond}, {10000, 1200 * time.Millisecond}}
	data := plotSVG("Scan <time>", "machine & date", scanSeries(rows, opa))
	count, texts := svgElements(t, data)

	assert.Equal(t, 5, count["polyline"], "scan, decode, evaluate, n log n reference, OPA")
	assert.Equal(t, 3*3+2, count["circle"], "a point at each measurement; the reference has none")
	all := strings.Join(texts, "\n")
	for _, want := range []string{"1k", "10k", "50k", "Scan <time>", "machine & date", "estate size (VNets, log scale)",
		"scan (load + evaluate)", "bare encoding/json decode", "rule evaluation alone", "n log n through the first scan", "OPA scan (bench/opa)"} {
		assert.Contains(t, all, want)
	}
	assert.Contains(t, all, " ms", "time ticks are labelled")
	assert.NotContains(t, string(data), "NaN")
	assert.NotContains(t, string(data), "Inf")
}

func TestPlotSVGOneSize(t *testing.T) {
	data := plotSVG("t", "s", scanSeries(rowsGrowing(linear, linear, 1000), nil))
	count, _ := svgElements(t, data)
	assert.Equal(t, 3, count["polyline"], "no reference line through a single point")
	assert.Equal(t, 3, count["circle"])
	assert.NotContains(t, string(data), "NaN")
}

func TestPlotSVGPointsRiseWithTime(t *testing.T) {
	x, y := axes([]Series{{Points: []Point{{1000, time.Millisecond}, {10000, time.Second}}}})
	assert.Less(t, x.at(1000), x.at(10000), "larger estates further right")
	assert.Greater(t, y.at(1), y.at(1000), "longer times higher up (smaller y)")
	for _, px := range []float64{x.at(1000), x.at(10000)} {
		assert.True(t, px >= padL && px <= plotW-padR, "inside the plot area: %v", px)
	}
}

func TestLabels(t *testing.T) {
	assert.Equal(t, "50k", vnetLabel(50000))
	assert.Equal(t, "1500", vnetLabel(1500))
	assert.Equal(t, "20 ms", msLabel(20))
	assert.Equal(t, "1 s", msLabel(1000))
	assert.Equal(t, "0.5 ms", msLabel(0.5))
}
