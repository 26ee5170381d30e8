// Command pathavana is the whole product in one binary: the API server, the
// job worker and the operator commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	// The binary carries its own time-zone database: flight times are
	// airport-local and container images have no /usr/share/zoneinfo.
	_ "time/tzdata"

	"pathavana/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
