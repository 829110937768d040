// Package deploy reads, checks and packages vnetdrift as an Azure Functions
// custom-handler app: host.json, one folder per function with its
// function.json, and the handler binary at the path host.json names. `make
// package` uses it (through cmd/funcpkg) to write the zip azd deploys, and
// the tests use it to hold host.json and the function folders to what the
// Functions host expects.
package deploy

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// HostFile is the name of the host configuration at the package root.
const HostFile = "host.json"

// FunctionFile is the name of a function's configuration in its folder.
const FunctionFile = "function.json"

// Host is the part of host.json that packaging and the checks rely on.
type Host struct {
	Version         string          `json:"version"`
	FunctionTimeout string          `json:"functionTimeout"`
	CustomHandler   CustomHandler   `json:"customHandler"`
	ExtensionBundle ExtensionBundle `json:"extensionBundle"`
}

// CustomHandler is host.json's customHandler section.
type CustomHandler struct {
	Description struct {
		DefaultExecutablePath string   `json:"defaultExecutablePath"`
		WorkingDirectory      string   `json:"workingDirectory"`
		Arguments             []string `json:"arguments"`
	} `json:"description"`
	EnableForwardingHTTPRequest bool `json:"enableForwardingHttpRequest"`
}

// ExtensionBundle is host.json's extensionBundle section.
type ExtensionBundle struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// Binding is one entry of a function.json's bindings.
type Binding struct {
	Type      string `json:"type"`
	Name      string `json:"name"`
	Direction string `json:"direction"`
	Schedule  string `json:"schedule,omitempty"`
}

// Function is one function folder.
type Function struct {
	Name     string    // the folder name, which is the function name
	Bindings []Binding `json:"bindings"`
}

// Project is a Functions app on disk: root holds host.json and the
// function folders.
type Project struct {
	Root      string
	Host      Host
	Functions []Function // sorted by name
}

// Load reads root/host.json and every root/<folder>/function.json. It
// checks only that the files parse; Validate checks their content.
func Load(root string) (*Project, error) {
	p := &Project{Root: root}
	if err := readJSON(filepath.Join(root, HostFile), &p.Host); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("listing function folders: %w", err)
	}
	for _, e := range entries {
		path := filepath.Join(root, e.Name(), FunctionFile)
		if !e.IsDir() || !exists(path) {
			continue
		}
		fn := Function{Name: e.Name()}
		if err := readJSON(path, &fn); err != nil {
			return nil, err
		}
		p.Functions = append(p.Functions, fn)
	}
	sort.Slice(p.Functions, func(i, j int) bool { return p.Functions[i].Name < p.Functions[j].Name })
	return p, nil
}

// FunctionNames returns the names of the functions, sorted.
func (p *Project) FunctionNames() []string {
	names := make([]string, len(p.Functions))
	for i, f := range p.Functions {
		names[i] = f.Name
	}
	return names
}

// Trigger returns the function's trigger binding (the one input binding
// whose type ends in "Trigger"), or false when it has none.
func (f Function) Trigger() (Binding, bool) {
	for _, b := range f.Bindings {
		if isTrigger(b) {
			return b, true
		}
	}
	return Binding{}, false
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("parsing %s: %w", path, err)
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}
