package deploy

import (
	"archive/zip"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"time"
)

// BaselineName is the package path of a baseline added to the package, the
// default of VNETDRIFT_BASELINE in the deployment.
const BaselineName = "baseline.yaml"

// zipTime is the modification time of every entry, so that the same inputs
// always give the same archive.
var zipTime = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Entry is one file or directory of the deployment package.
type Entry struct {
	Name   string      // slash-separated path in the package; directories end in "/"
	Source string      // file on disk; "" for a directory
	Mode   fs.FileMode // permission bits (and fs.ModeDir) written to the zip
}

// Entries lists the package, sorted by name: host.json, every function
// folder with its function.json, the binary at host.json's
// defaultExecutablePath (mode 0755) and, when baseline is not "", the
// baseline as baseline.yaml. Directories get their own entries.
func (p *Project) Entries(binary, baseline string) []Entry {
	files := []Entry{{Name: HostFile, Source: filepath.Join(p.Root, HostFile), Mode: 0o644}}
	for _, f := range p.Functions {
		files = append(files, Entry{Name: f.Name + "/" + FunctionFile, Source: filepath.Join(p.Root, f.Name, FunctionFile), Mode: 0o644})
	}
	files = append(files, Entry{Name: p.Host.ExecutablePath(), Source: binary, Mode: 0o755})
	if baseline != "" {
		files = append(files, Entry{Name: BaselineName, Source: baseline, Mode: 0o644})
	}
	dirs := map[string]bool{}
	for _, e := range files {
		for d := path.Dir(e.Name); d != "."; d = path.Dir(d) {
			dirs[d+"/"] = true
		}
	}
	for d := range dirs {
		files = append(files, Entry{Name: d, Mode: fs.ModeDir | 0o755})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files
}

// CheckBinary verifies that the handler binary is what the Flex Consumption
// plan runs: a statically linked (CGO-free) Linux x86-64 ELF executable.
func CheckBinary(file string) error {
	f, err := elf.Open(file)
	if err != nil {
		return fmt.Errorf("handler binary %s: not an ELF executable (build with GOOS=linux GOARCH=amd64): %w", file, err)
	}
	defer f.Close()
	if f.Machine != elf.EM_X86_64 || (f.OSABI != elf.ELFOSABI_NONE && f.OSABI != elf.ELFOSABI_LINUX) {
		return fmt.Errorf("handler binary %s: built for %s/%s, want linux/amd64", file, f.OSABI, f.Machine)
	}
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			return fmt.Errorf("handler binary %s: dynamically linked; build with CGO_ENABLED=0", file)
		}
	}
	return nil
}

// WriteZip writes entries to w as a deflated zip archive, keeping their
// permission bits (the host cannot start a handler that lost its execute
// bit) and a fixed modification time.
func WriteZip(w io.Writer, entries []Entry) error {
	zw := zip.NewWriter(w)
	for _, e := range entries {
		if err := addEntry(zw, e); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("finishing zip: %w", err)
	}
	return nil
}

func addEntry(zw *zip.Writer, e Entry) error {
	h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: zipTime}
	h.SetMode(e.Mode)
	if e.Mode.IsDir() {
		h.Method = zip.Store
	}
	dst, err := zw.CreateHeader(h)
	if err != nil || e.Mode.IsDir() {
		return err
	}
	src, err := os.Open(e.Source)
	if err != nil {
		return fmt.Errorf("adding %s: %w", e.Name, err)
	}
	defer src.Close()
	if _, err := io.Copy(dst, src); err != nil {
		return fmt.Errorf("adding %s from %s: %w", e.Name, e.Source, err)
	}
	return nil
}

// Build validates p and the binary, then writes the package to out (through a temporary file renamed into place, so a
// failed build leaves no partial zip) and returns its entries.
func Build(p *Project, binary, baseline, out string) ([]Entry, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := CheckBinary(binary); err != nil {
		return nil, err
	}
	if baseline != "" {
		if _, err := os.Stat(baseline); err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
	}
	entries := p.Entries(binary, baseline)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", filepath.Dir(out), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".funcpkg-*.zip")
	if err != nil {
		return nil, fmt.Errorf("creating package: %w", err)
	}
	err = WriteZip(tmp, entries)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("writing %s: %w", out, err), os.Remove(tmp.Name()))
	}
	return entries, nil
}
