// Command vnetdrift detects drift in Azure virtual networks. It runs as an
// Azure Functions custom handler (`vnetdrift serve`) and as a CLI (`scan`,
// `baseline capture`, `emulator`, `demo`). See README.md.
package main

import (
	"os"

	"github.com/vnetdrift/vnetdrift/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv}))
}
