package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Series is one line of the plot: times at estate sizes.
type Series struct {
	Name   string
	Color  string
	Dashed bool
	Points []Point
}

// Point is one measurement.
type Point struct {
	VNets int
	Time  time.Duration
}

// Plot geometry, in SVG user units.
const (
	plotW, plotH           = 720, 440
	padL, padR, padT, padB = 72, 200, 48, 56
)

// axis maps a value's log10 onto [a, b].
type axis struct{ lo, hi, a, b float64 }

func (x axis) at(v float64) float64 {
	return x.a + (math.Log10(v)-x.lo)/(x.hi-x.lo)*(x.b-x.a)
}

// scanSeries returns the plot's lines: scan, bare decode and rule
// evaluation alone, an O(n log n) reference through the first scan point,
// and OPA's scan when measured.
func scanSeries(rows []ScanRow, opa []Point) []Series {
	s := []Series{{Name: "scan (load + evaluate)", Color: "#1f77b4"}, {Name: "bare encoding/json decode", Color: "#ff7f0e"},
		{Name: "rule evaluation alone", Color: "#2ca02c"}, {Name: "n log n through the first scan", Color: "#7f7f7f", Dashed: true}}
	for _, r := range rows {
		s[0].Points = append(s[0].Points, Point{r.VNets, r.Scan.Best})
		s[1].Points = append(s[1].Points, Point{r.VNets, r.Decode.Best})
		s[2].Points = append(s[2].Points, Point{r.VNets, r.Evaluate.Best})
		if len(rows) > 1 {
			ref := float64(rows[0].Scan.Best) * nLogN(r.VNets) / nLogN(rows[0].VNets)
			s[3].Points = append(s[3].Points, Point{r.VNets, time.Duration(ref)})
		}
	}
	if len(rows) < 2 {
		s = s[:3]
	}
	if len(opa) > 0 {
		s = append(s, Series{Name: "OPA scan (bench/opa)", Color: "#d62728", Points: opa})
	}
	return s
}

// plotSVG draws the series on log-log axes with labelled ticks.
func plotSVG(title, subtitle string, series []Series) []byte {
	var b bytes.Buffer
	x, y := axes(series)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", plotW, plotH, plotW, plotH)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", plotW, plotH)
	text(&b, plotW/2, 20, "middle", 15, title)
	text(&b, plotW/2, 38, "middle", 11, subtitle)
	yTicks(&b, y, x)
	xTicks(&b, x, y, series)
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>`+"\n", padL, padT, plotW-padL-padR, plotH-padT-padB)
	for i, s := range series {
		line(&b, s, x, y)
		legend(&b, i, s)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// axes fits log ranges around every point, with some room.
func axes(series []Series) (axis, axis) {
	nLo, nHi, tLo, tHi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, p := range s.Points {
			n, t := float64(p.VNets), ms(p.Time)
			nLo, nHi, tLo, tHi = math.Min(nLo, n), math.Max(nHi, n), math.Min(tLo, t), math.Max(tHi, t)
		}
	}
	if math.IsInf(nLo, 1) { // nothing measured
		nLo, nHi, tLo, tHi = 1000, 10000, 1, 1000
	}
	x := axis{math.Log10(nLo / 1.6), math.Log10(nHi * 1.6), padL, plotW - padR}
	y := axis{math.Log10(math.Max(tLo, 0.001) / 2), math.Log10(math.Max(tHi, 0.001) * 2), plotH - padB, padT}
	return x, y
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// yTicks draws gridlines at 1, 2 and 5 times each power of ten of the
// time axis (only powers of ten when it spans more than two decades).
func yTicks(b *bytes.Buffer, y, x axis) {
	steps := []float64{1, 2, 5}
	if y.hi-y.lo > 2 {
		steps = []float64{1}
	}
	for e := math.Floor(y.lo); e <= math.Ceil(y.hi); e++ {
		for _, m := range steps {
			v := m * math.Pow(10, e)
			if lv := math.Log10(v); lv < y.lo || lv > y.hi {
				continue
			}
			py := y.at(v)
			fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", padL, py, plotW-padR, py)
			text(b, padL-6, py+4, "end", 11, msLabel(v))
		}
	}
	ty := float64(padT+plotH-padB) / 2
	fmt.Fprintf(b, `<text x="16" y="%.1f" text-anchor="middle" transform="rotate(-90 16 %.1f)">time (best of runs, log scale)</text>`+"\n", ty, ty)
}

// xTicks draws a gridline at every measured estate size.
func xTicks(b *bytes.Buffer, x, y axis, series []Series) {
	seen := map[int]bool{}
	for _, s := range series {
		for _, p := range s.Points {
			if seen[p.VNets] {
				continue
			}
			seen[p.VNets] = true
			px := x.at(float64(p.VNets))
			fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", px, padT, px, plotH-padB)
			text(b, px, plotH-padB+16, "middle", 11, vnetLabel(p.VNets))
		}
	}
	text(b, float64(padL+plotW-padR)/2, plotH-14, "middle", 12, "estate size (VNets, log scale)")
}

func line(b *bytes.Buffer, s Series, x, y axis) {
	dash := ""
	if s.Dashed {
		dash = ` stroke-dasharray="6 4"`
	}
	b.WriteString(`<polyline fill="none" stroke="` + s.Color + `" stroke-width="2"` + dash + ` points="`)
	for i, p := range s.Points {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(b, "%.1f,%.1f", x.at(float64(p.VNets)), y.at(ms(p.Time)))
	}
	b.WriteString(`"/>` + "\n")
	if s.Dashed {
		return
	}
	for _, p := range s.Points {
		fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s: %s VNets, %s</title></circle>`+"\n",
			x.at(float64(p.VNets)), y.at(ms(p.Time)), s.Color, escape(s.Name), strconv.Itoa(p.VNets), p.Time.Round(10*time.Microsecond))
	}
}

func legend(b *bytes.Buffer, i int, s Series) {
	lx, ly := float64(plotW-padR+14), float64(padT+14+i*20)
	dash := ""
	if s.Dashed {
		dash = ` stroke-dasharray="6 4"`
	}
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/>`+"\n", lx, ly, lx+22, ly, s.Color, dash)
	text(b, lx+28, ly+4, "start", 11, s.Name)
}

func text(b *bytes.Buffer, x, y float64, anchor string, size int, s string) {
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="%s" font-size="%d">%s</text>`+"\n", x, y, anchor, size, escape(s))
}

func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// msLabel prints a time axis value: 1 ms, 20 ms, 1 s.
func msLabel(v float64) string {
	if v >= 1000 {
		return strconv.FormatFloat(v/1000, 'g', 3, 64) + " s"
	}
	return strconv.FormatFloat(v, 'g', 3, 64) + " ms"
}

// vnetLabel prints an estate size: 1k, 50k, 1500.
func vnetLabel(n int) string {
	if n >= 1000 && n%1000 == 0 {
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.Itoa(n)
}
