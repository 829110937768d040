package baseline

import (
	"errors"
	"fmt"
)

// ErrUnsupportedVersion is wrapped by the error Parse returns for a
// baseline whose version is not Version.
var ErrUnsupportedVersion = errors.New("unsupported baseline version")

// maxErrors caps how many problems Parse reports for one file.
const maxErrors = 20

// Error is one problem in a baseline file, located by line and by field
// path, e.g. `hub.yaml:12: vnets[0].peerings[1].remote: bad resource ID …`.
// Parse returns one Error, or several joined with errors.Join.
type Error struct {
	File string // as given to Parse; "" prints as "baseline"
	Line int    // 1-based; 0 if unknown
	Path string // field path, e.g. vnets[0].peerings[1].remote; "" for the document
	Err  error
}

// Error formats the problem as file:line: path: message.
func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = "baseline"
	}
	loc := file
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", file, e.Line)
	}
	if e.Path == "" {
		return fmt.Sprintf("%s: %v", loc, e.Err)
	}
	return fmt.Sprintf("%s: %s: %v", loc, e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
