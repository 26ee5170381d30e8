package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"pathavana/internal/money"
	"pathavana/internal/service"
)

const bookingsUsage = `pathavana bookings list --user EMAIL [--trip ID] [--limit N] [--json]`

// runBookings lists an account's bookings for support; the read is audited.
func runBookings(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "list" {
		return fmt.Errorf("%w: %s", errUsage, bookingsUsage)
	}
	fs := newFlags("bookings list", e)
	email := fs.String("user", "", "the account's email")
	trip := fs.String("trip", "", "only this trip's bookings")
	limit := fs.Int("limit", 50, "at most this many (1-100)")
	asJSON := fs.Bool("json", false, "print JSON lines")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *email == "" {
		return fmt.Errorf("%w: %s", errUsage, bookingsUsage)
	}
	a, err := buildOperatorApp(ctx, e)
	if err != nil {
		return err
	}
	defer a.close(context.Background())
	bs, err := a.svc.BookingsOfUser(operatorContext(ctx), service.OperatorPrincipal(), *email, *trip, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, b := range bs {
			if err := enc.Encode(b); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tKIND\tCODE\tDATES\tTOTAL\tTITLE")
	for _, b := range bs {
		total, _ := money.FromMinor(b.TotalMinor, b.Currency)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s..%s\t%s %s\t%s\n", b.ID, b.State, b.Kind, dash(b.ConfirmationCode),
			b.StartsOn, b.EndsOn, b.Currency, total, b.Title)
	}
	return tw.Flush()
}
