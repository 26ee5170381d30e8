package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"pathavana/internal/model"
	"pathavana/internal/service"
)

func runMigrate(ctx context.Context, e env, args []string) error {
	if len(args) != 1 || (args[0] != "up" && args[0] != "status") {
		return fmt.Errorf("%w: pathavana migrate up|status", errUsage)
	}
	cfg, log, err := loadConfig(e)
	if err != nil {
		return err
	}
	db, err := openStoreRaw(ctx, cfg.StoreURL(), cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "up" {
		applied, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		log.Info("migrations applied", "count", len(applied))
		_, err = fmt.Fprintf(e.stdout, "applied %d migrations %v\n", len(applied), applied)
		return err
	}
	states, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED")
	for _, s := range states {
		applied := "pending"
		if s.AppliedAt != nil {
			applied = s.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
		}
		fmt.Fprintf(tw, "%04d\t%s\t%s\n", s.Version, s.Name, applied)
	}
	return tw.Flush()
}

func runConfig(_ context.Context, e env, args []string) error {
	cfg, _, err := loadConfig(e)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(cfg.Redacted())
}

// runUser manages accounts from the command line; granting admin is
// deliberately not possible through the API.
func runUser(ctx context.Context, e env, args []string) error {
	if len(args) != 3 || args[0] != "set-role" || (args[2] != string(model.RoleUser) && args[2] != string(model.RoleAdmin)) {
		return fmt.Errorf("%w: pathavana user set-role EMAIL user|admin", errUsage)
	}
	a, err := buildOperatorApp(ctx, e)
	if err != nil {
		return err
	}
	defer a.close(context.Background())
	if err := a.svc.SetRole(operatorContext(ctx), service.OperatorPrincipal(), args[1], model.Role(args[2])); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "%s is now %s (takes effect at the next sign-in or token refresh)\n", args[1], args[2])
	return err
}

// buildOperatorApp wires the service for a one-shot operator command on a
// migrated database.
func buildOperatorApp(ctx context.Context, e env) (*app, error) {
	cfg, log, err := loadConfig(e)
	if err != nil {
		return nil, err
	}
	return buildApp(ctx, e, cfg, log, false)
}

// operatorContext marks what an operator command does as coming from the
// command line, for the audit log.
func operatorContext(ctx context.Context) context.Context {
	return service.WithClient(ctx, service.ClientInfo{UserAgent: "pathavana-cli/" + Version()})
}
