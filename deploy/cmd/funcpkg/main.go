// Command funcpkg writes vnetdrift's Azure Functions deployment package, the
// zip azd deploys (`make package` runs it after building the binary):
//
//	funcpkg -root . -bin bin/linux-amd64/vnetdrift [-baseline file] -o dist/vnetdrift-functionapp.zip
//
// It validates host.json and the function folders (package deploy), checks
// that the binary is a static linux/amd64 executable, and places it at the
// path host.json names, with its execute bit.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/vnetdrift/vnetdrift/deploy"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("funcpkg", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "directory holding host.json and the function folders")
	binary := fs.String("bin", "", "the linux/amd64 handler binary")
	baseline := fs.String("baseline", "", "baseline file to add as "+deploy.BaselineName+" (optional)")
	out := fs.String("o", "dist/vnetdrift-functionapp.zip", "zip file to write")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *binary == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: funcpkg -root DIR -bin BINARY [-baseline FILE] -o ZIP")
		return 2
	}
	p, err := deploy.Load(*root)
	if err == nil {
		var entries []deploy.Entry
		if entries, err = deploy.Build(p, *binary, *baseline, *out); err == nil {
			for _, e := range entries {
				fmt.Fprintf(stdout, "  %v %s\n", e.Mode, e.Name)
			}
			fmt.Fprintf(stdout, "wrote %s (%d entries)\n", *out, len(entries))
			return 0
		}
	}
	fmt.Fprintln(stderr, "funcpkg:", err)
	return 1
}
