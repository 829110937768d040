// Command scanbench measures an offline scan of a synthetic hub-and-spoke
// estate against a bare encoding/json decode of the same file, each in its
// own child process so that peak memory (VmHWM) is per measurement, and
// prints a Markdown table, or with -json the rows as a JSON array (what
// bench/perfreport reads for docs/PERFORMANCE.md). Each row also times
// rule evaluation alone (detector.Evaluate of the loaded estate).
//
//	go run ./bench/scanbench -vnets 1000,10000
//	go run ./bench/scanbench -vnets 1000,10000,50000 -runs 3 -json
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
	// Peerings is the estate's peering count (evaluate mode only).
	Peerings int `json:"peerings,omitempty"`
}

// Row is the measurement of one estate size, as -json prints it.
type Row struct {
	VNets     int    `json:"vnets"`
	Peerings  int    `json:"peerings"`
	FileBytes int    `json:"fileBytes"`
	Scan      result `json:"scan"`     // estate.Load + detector.Evaluate
	Decode    result `json:"decode"`   // os.ReadFile + json.Unmarshal into any
	Evaluate  result `json:"evaluate"` // detector.Evaluate alone
}

func main() {
	sizes := flag.String("vnets", "1000,10000", "comma-separated estate sizes")
	runs := flag.Int("runs", 5, "runs per measurement; the best is reported")
	child := flag.String("child", "", "internal: measure MODE:FILE in this process")
	asJSON := flag.Bool("json", false, "print the rows as a JSON array instead of a Markdown table")
	flag.Parse()
	if *child != "" {
		mode, file, _ := strings.Cut(*child, ":")
		r := measure(mode, file, *runs)
		_ = json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	if err := parent(*sizes, *runs, *asJSON); err != nil {
		fmt.Fprintln(os.Stderr, "scanbench:", err)
		os.Exit(1)
	}
}

func parent(sizes string, runs int, asJSON bool) error {
	dir, err := os.MkdirTemp("", "scanbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if !asJSON {
		fmt.Printf("machine: %s/%s, %d CPUs, %s\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
		fmt.Println("| VNets | peerings | file MiB | scan (best) | bare decode (best) | ratio | scan allocs | decode allocs | scan peak RSS MiB | decode peak RSS MiB | evaluate (best) |")
		fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	}
	rows := []Row{}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("bad size %q: %w", s, err)
		}
		r, err := row(dir, n, runs)
		if err != nil {
			return fmt.Errorf("estate of %d VNets: %w", n, err)
		}
		if !asJSON {
			printRow(r)
		}
		rows = append(rows, r)
	}
	if asJSON {
		return json.NewEncoder(os.Stdout).Encode(rows)
	}
	return nil
}

func printRow(r Row) {
	fmt.Printf("| %d | %d | %.1f | %s | %s | %.2f | %d | %d | %.0f | %.0f | %s |\n", r.VNets, r.Peerings, float64(r.FileBytes)/(1<<20),
		r.Scan.Best.Round(time.Millisecond), r.Decode.Best.Round(time.Millisecond), float64(r.Scan.Best)/float64(r.Decode.Best),
		r.Scan.Allocs, r.Decode.Allocs, float64(r.Scan.PeakKiB)/1024, float64(r.Decode.PeakKiB)/1024,
		r.Evaluate.Best.Round(100*time.Microsecond))
}

func row(dir string, n, runs int) (Row, error) {
	data, err := synth.JSON(synth.Spec{VNets: n})
	if err != nil {
		return Row{}, err
	}
	file := filepath.Join(dir, fmt.Sprintf("estate-%d.json", n))
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return Row{}, err
	}
	r := Row{VNets: n, FileBytes: len(data)}
	for _, m := range []struct {
		mode string
		into *result
	}{{"scan", &r.Scan}, {"decode", &r.Decode}, {"evaluate", &r.Evaluate}} {
		if *m.into, err = runChild(m.mode, file, runs); err != nil {
			return Row{}, err
		}
	}
	r.Peerings = r.Evaluate.Peerings
	return r, nil
}

func runChild(mode, file string, runs int) (result, error) {
	self, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	cmd := exec.Command(self, "-runs", strconv.Itoa(runs), "-child", mode+":"+file)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("measuring %s of %s: %w", mode, file, err)
	}
	var r result
	return r, json.Unmarshal(out, &r)
}

func measure(mode, file string, runs int) result {
	var r result
	once, peerings := once(mode, file)
	r.Peerings = peerings
	for i := 0; i < runs; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		r.Finding = once()
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

// once returns one measured run of mode, which returns its findings. The
// evaluate mode loads the estate beforehand, untimed, and also returns
// its number of peerings.
func once(mode, file string) (run func() int, peerings int) {
	switch mode {
	case "decode":
		return func() int {
			data, err := os.ReadFile(file)
			must(err)
			var v any
			must(json.Unmarshal(data, &v))
			return 0
		}, 0
	case "evaluate":
		e, err := estate.Load(file)
		must(err)
		return func() int {
			return len(detector.Evaluate(detector.Input{Estate: e, Now: time.Now()}))
		}, len(e.Peerings)
	}
	return func() int {
		e, err := estate.Load(file)
		must(err)
		return len(detector.Evaluate(detector.Input{Estate: e, Now: time.Now()}))
	}, 0
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
