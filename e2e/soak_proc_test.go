package e2e

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// procMem is a process's memory from /proc/<pid>/status, in KiB.
type procMem struct {
	rss, hwm int // VmRSS, VmHWM (peak RSS)
	threads  int
}

func readProcMem(pid int) (procMem, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procMem{}, fmt.Errorf("reading memory of process %d: %w", pid, err)
	}
	defer f.Close()
	var m procMem
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, _ := strconv.Atoi(strings.Fields(v + " 0")[0])
		switch k {
		case "VmRSS":
			m.rss = n
		case "VmHWM":
			m.hwm = n
		case "Threads":
			m.threads = n
		}
	}
	return m, sc.Err()
}

func (m procMem) String() string {
	return fmt.Sprintf("RSS %.1f MiB (peak %.1f MiB), %d threads", float64(m.rss)/1024, float64(m.hwm)/1024, m.threads)
}

// metricsOf reads an instance's /metrics: series (name with labels) →
// value.
func metricsOf(h *host) (map[string]float64, error) {
	resp, err := http.Get(h.url + "/metrics")
	if err != nil {
		return nil, fmt.Errorf("reading %s/metrics: %w", h.url, err)
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if v, err := strconv.ParseFloat(line[i+1:], 64); i > 0 && err == nil {
			out[line[:i]] = v
		}
	}
	return out, sc.Err()
}

// sumFamily adds up the series of one metric family.
func sumFamily(m map[string]float64, name string) float64 {
	var s float64
	for k, v := range m {
		if k == name || strings.HasPrefix(k, name+"{") {
			s += v
		}
	}
	return s
}

// goroutineHeader starts each goroutine of a Go traceback ("goroutine 7
// [select]:", or "goroutine 7 gp=… m=… [select]:" under GOTRACEBACK=all);
// goroutine 0 is the scheduler's own stack, not a goroutine.
var goroutineHeader = regexp.MustCompile(`(?m)^goroutine [1-9][0-9]* [^\n]*\[`)

// dumpGoroutines stops the instance with SIGQUIT, which makes the Go
// runtime print every goroutine's stack (GOTRACEBACK=all), and counts
// them. The instance is gone afterwards.
func dumpGoroutines(h *host) (int, error) {
	before := len(h.output.String())
	if err := h.cmd.Process.Signal(syscall.SIGQUIT); err != nil {
		return 0, fmt.Errorf("signalling %s: %w", h.url, err)
	}
	select {
	case <-h.exited:
	case <-time.After(10 * time.Second):
		return 0, fmt.Errorf("%s did not exit on SIGQUIT", h.url)
	}
	dump := h.output.String()[before:]
	n := len(goroutineHeader.FindAllStringIndex(dump, -1))
	if n == 0 {
		return 0, fmt.Errorf("no goroutine dump from %s", h.url)
	}
	return n, nil
}
