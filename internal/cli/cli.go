// Package cli implements the pathavana commands. Each command is a function
// of its arguments, environment and output streams, so tests run them
// in-process exactly as an operator would.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
	"strings"
)

// version is stamped at build time with -ldflags "-X pathavana/internal/cli.version=…".
var version = ""

// Version returns the build's version: the stamped one, else the VCS revision.
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

// env is what every command receives.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":    {"run the API server (and, by default, the job worker)", runServe},
		"worker":   {"run the job worker only", runWorker},
		"migrate":  {"apply (up) or list (status) database migrations", runMigrate},
		"config":   {"print the effective configuration with secrets redacted", runConfig},
		"user":     {"manage accounts: user set-role EMAIL user|admin", runUser},
		"backup":   {"write a verified backup: backup --out DIR|FILE|- [--format logical|sqlite|pg_dump]", runBackup},
		"restore":  {"restore a backup into an empty database: restore --in FILE [--force] [--check]", runRestore},
		"doctor":   {"check a deployment's health: doctor [--json] [--ca FILE] URL", runDoctor},
		"catalog":  {"manage imported catalogs: catalog import|list|remove (see catalog --help)", runCatalog},
		"audit":    {"check or read the audit log: audit verify | audit list [--actor ID] ... (see audit --help)", runAudit},
		"bookings": {"list an account's bookings for support: bookings list --user EMAIL [--json]", runBookings},
		"keys":     {"PII master keys: keys generate | keys rotate [--batch N] (see keys --help)", runKeys},
		"trips":    {"read or move a user's trips: trips list|show|export-ics|import-ics --user EMAIL ... (see trips --help)", runTrips},
		"search":   {"search the travel inventory: search places|flights|calendar ... (see search --help)", runSearch},
		"version": {"print the version", func(_ context.Context, e env, _ []string) error {
			_, err := fmt.Fprintln(e.stdout, Version())
			return err
		}},
	}
}

// errUsage marks a wrong invocation: exit code 2 instead of 1.
var errUsage = errors.New("usage")

// Run executes the command named by args[0] and returns the exit code.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := env{getenv: getenv, stdout: stdout, stderr: stderr}
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout, cmds)
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "pathavana: unknown command %q\n\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	if err := c.run(ctx, e, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "pathavana %s: %v\n", args[0], err)
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Pathavana — AI-enhanced social travel planner\n\nUsage: pathavana <command> [flags]\n\nCommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-8s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nConfiguration comes from PATHAVANA_* environment variables; see README.md.\n")
	_, _ = io.WriteString(w, b.String())
}

func newFlags(name string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet("pathavana "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}
