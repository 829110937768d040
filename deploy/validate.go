package deploy

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/vnetdrift/vnetdrift/eventgrid"
)

// The extension bundle the host must load: bundle 4.x carries the Event
// Grid and timer triggers for Functions host 4.
const (
	BundleID    = "Microsoft.Azure.Functions.ExtensionBundle"
	BundleRange = "[4.*, 5.0.0)"
)

// Trigger binding types vnetdrift's functions use.
const (
	EventGridTrigger = "eventGridTrigger"
	TimerTrigger     = "timerTrigger"
)

var (
	functionName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,127}$`)
	settingRef   = regexp.MustCompile(`^%([A-Za-z_][A-Za-z0-9_]*)%$`)
)

// Validate checks host.json and the function folders against what the
// Functions host expects of a custom-handler app. It returns every problem
// found, joined, each naming its file.
func (p *Project) Validate() error {
	errs := p.Host.problems()
	if len(p.Functions) == 0 {
		errs = append(errs, fmt.Errorf("%s: no function folder (a folder holding %s)", p.Root, FunctionFile))
	}
	for _, f := range p.Functions {
		errs = append(errs, f.problems()...)
	}
	return errors.Join(errs...)
}

// ExecutablePath returns the package path of the handler binary
// (customHandler.description.defaultExecutablePath), cleaned.
func (h Host) ExecutablePath() string {
	return path.Clean(h.CustomHandler.Description.DefaultExecutablePath)
}

func (h Host) problems() []error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(HostFile+": "+format, args...))
	}
	if h.Version != "2.0" {
		add("version is %q, want \"2.0\"", h.Version)
	}
	exe := h.CustomHandler.Description.DefaultExecutablePath
	switch {
	case exe == "":
		add("customHandler.description.defaultExecutablePath is empty")
	case strings.Contains(exe, `\`) || path.IsAbs(exe) || path.Clean(exe) != exe || strings.HasPrefix(exe, ".."):
		add("customHandler.description.defaultExecutablePath %q: want a clean relative path with forward slashes inside the package", exe)
	}
	if h.ExtensionBundle.ID != BundleID || h.ExtensionBundle.Version != BundleRange {
		add("extensionBundle is %s %s, want %s %s", h.ExtensionBundle.ID, h.ExtensionBundle.Version, BundleID, BundleRange)
	}
	if h.FunctionTimeout != "" {
		if d, err := parseTimeout(h.FunctionTimeout); err != nil || d <= 0 {
			add("functionTimeout %q: want a positive hh:mm:ss", h.FunctionTimeout)
		}
	}
	return errs
}

func (f Function) problems() []error {
	var errs []error
	file := path.Join(f.Name, FunctionFile)
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(file+": "+format, args...))
	}
	if !functionName.MatchString(f.Name) {
		add("folder name %q is not a valid function name", f.Name)
	}
	triggers := 0
	for i, b := range f.Bindings {
		if b.Name == "" || b.Type == "" {
			add("binding %d: type and name are required", i)
		}
		if !isTrigger(b) {
			continue
		}
		triggers++
		if b.Direction != "in" {
			add("trigger %s: direction is %q, want \"in\"", b.Type, b.Direction)
		}
		errs = append(errs, triggerProblems(file, b)...)
	}
	if triggers != 1 {
		add("%d trigger bindings, want exactly 1", triggers)
	}
	return errs
}

// triggerProblems checks what vnetdrift relies on for its trigger types.
func triggerProblems(file string, b Binding) []error {
	switch b.Type {
	case EventGridTrigger:
		if b.Name != eventgrid.TriggerBindingName {
			return []error{fmt.Errorf("%s: eventGridTrigger binding is named %q; the handler reads Data[%q]", file, b.Name, eventgrid.TriggerBindingName)}
		}
	case TimerTrigger:
		if settingRef.MatchString(b.Schedule) {
			return nil
		}
		if len(strings.Fields(b.Schedule)) != 6 {
			return []error{fmt.Errorf("%s: timer schedule %q: want %%APP_SETTING%% or a six-field NCRONTAB expression", file, b.Schedule)}
		}
	}
	return nil
}

// SettingReferences returns the app settings the bindings read through
// %NAME% expressions (the timer schedule), sorted and without duplicates.
func (p *Project) SettingReferences() []string {
	seen := map[string]bool{}
	for _, f := range p.Functions {
		for _, b := range f.Bindings {
			if m := settingRef.FindStringSubmatch(b.Schedule); m != nil {
				seen[m[1]] = true
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func isTrigger(b Binding) bool {
	return strings.HasSuffix(b.Type, "Trigger")
}

// parseTimeout parses the hh:mm:ss (optionally d.hh:mm:ss) form of
// host.json's functionTimeout.
func parseTimeout(s string) (time.Duration, error) {
	days := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if _, err := fmt.Sscanf(s[:i], "%d", &days); err != nil {
			return 0, err
		}
		s = s[i+1:]
	}
	var h, m, sec int
	if _, err := fmt.Sscanf(s, "%d:%d:%d", &h, &m, &sec); err != nil {
		return 0, fmt.Errorf("want hh:mm:ss: %w", err)
	}
	return time.Duration(days*24+h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second, nil
}
