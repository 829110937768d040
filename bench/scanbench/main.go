// Command scanbench measures an offline scan of a synthetic hub-and-spoke
// estate against a bare encoding/json decode of the same file, each in its
// own child process so that peak memory (VmHWM) is per measurement, and
// prints a Markdown table for docs/PERFORMANCE.md.
//
//	go run ./bench/scanbench -vnets 1000,10000
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/vnetdrift/vnetdrift/detector"
	"github.com/vnetdrift/vnetdrift/estate"
	"github.com/vnetdrift/vnetdrift/synth"
)

type result struct {
	Best    time.Duration `json:"best"`
	Allocs  uint64        `json:"allocs"`
	PeakKiB int64         `json:"peakKiB"`
	Finding int           `json:"findings"`
}

func main() {
	sizes := flag.String("vnets", "1000,10000", "comma-separated estate sizes")
	runs := flag.Int("runs", 5, "runs per measurement; the best is reported")
	child := flag.String("child", "", "internal: measure MODE:FILE in this process")
	flag.Parse()
	if *child != "" {
		mode, file, _ := strings.Cut(*child, ":")
		r := measure(mode, file, *runs)
		_ = json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	if err := parent(*sizes, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "scanbench:", err)
		os.Exit(1)
	}
}

func parent(sizes string, runs int) error {
	dir, err := os.MkdirTemp("", "scanbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Printf("machine: %s/%s, %d CPUs, %s\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	fmt.Println("| VNets | peerings | file MiB | scan (best) | bare decode (best) | ratio | scan allocs | decode allocs | scan peak RSS MiB | decode peak RSS MiB |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("bad size %q: %w", s, err)
		}
		if err := row(dir, n, runs); err != nil {
			return err
		}
	}
	return nil
}

func row(dir string, n, runs int) error {
	data, err := synth.JSON(synth.Spec{VNets: n})
	if err != nil {
		return err
	}
	file := filepath.Join(dir, fmt.Sprintf("estate-%d.json", n))
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return err
	}
	scan, err := runChild("scan", file, runs)
	if err != nil {
		return err
	}
	bare, err := runChild("decode", file, runs)
	if err != nil {
		return err
	}
	e, err := estate.Load(file)
	if err != nil {
		return err
	}
	fmt.Printf("| %d | %d | %.1f | %s | %s | %.2f | %d | %d | %.0f | %.0f |\n", n, len(e.Peerings), float64(len(data))/(1<<20),
		scan.Best.Round(time.Millisecond), bare.Best.Round(time.Millisecond), float64(scan.Best)/float64(bare.Best),
		scan.Allocs, bare.Allocs, float64(scan.PeakKiB)/1024, float64(bare.PeakKiB)/1024)
	return nil
}

func runChild(mode, file string, runs int) (result, error) {
	self, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	out, err := exec.Command(self, "-runs", strconv.Itoa(runs), "-child", mode+":"+file).Output()
	if err != nil {
		return result{}, fmt.Errorf("measuring %s: %w", mode, err)
	}
	var r result
	return r, json.Unmarshal(out, &r)
}

func measure(mode, file string, runs int) result {
	var r result
	for i := 0; i < runs; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		r.Finding = once(mode, file)
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		if r.Best == 0 || d < r.Best {
			r.Best = d
		}
		r.Allocs = after.Mallocs - before.Mallocs
	}
	r.PeakKiB = peakRSS()
	return r
}

func once(mode, file string) int {
	if mode == "decode" {
		data, err := os.ReadFile(file)
		must(err)
		var v any
		must(json.Unmarshal(data, &v))
		return 0
	}
	e, err := estate.Load(file)
	must(err)
	return len(detector.Evaluate(detector.Input{Estate: e, Now: time.Now()}))
}

func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kib, _ := strconv.ParseInt(f[1], 10, 64)
			return kib
		}
	}
	return 0
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "scanbench:", err)
		os.Exit(1)
	}
}
