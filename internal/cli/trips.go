package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"pathavana/internal/model"
	"pathavana/internal/service"
)

const tripsUsage = `pathavana trips list --user EMAIL [--json]
  pathavana trips show --user EMAIL [--json] TRIP_ID
  pathavana trips export-ics --user EMAIL [--out FILE] TRIP_ID
  pathavana trips import-ics --user EMAIL --in FILE TRIP_ID`

// runTrips lets an operator read, export and import a user's trips (for
// support and data requests) with the same rules the API applies.
func runTrips(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, tripsUsage)
	}
	verb := args[0]
	fs := newFlags("trips "+verb, e)
	email := fs.String("user", "", "the account's email")
	asJSON := fs.Bool("json", false, "print JSON")
	out := fs.String("out", "-", "export-ics: write to this file (- for stdout)")
	in := fs.String("in", "", "import-ics: the .ics file to import")
	if err := fs.Parse(args[1:]); err != nil || *email == "" {
		return fmt.Errorf("%w: %s", errUsage, tripsUsage)
	}
	wantArgs := 1
	switch verb {
	case "list":
		wantArgs = 0
	case "show", "export-ics":
	case "import-ics":
		if *in == "" {
			return fmt.Errorf("%w: %s", errUsage, tripsUsage)
		}
	default:
		return fmt.Errorf("%w: %s", errUsage, tripsUsage)
	}
	if fs.NArg() != wantArgs {
		return fmt.Errorf("%w: %s", errUsage, tripsUsage)
	}
	a, err := buildOperatorApp(ctx, e)
	if err != nil {
		return err
	}
	defer a.close(context.Background())
	ctx = operatorContext(ctx)
	p, err := a.svc.TripOwner(ctx, service.OperatorPrincipal(), *email)
	if err != nil {
		return err
	}
	switch verb {
	case "list":
		return listTrips(ctx, e, a.svc, p, *asJSON)
	case "show":
		t, err := a.svc.GetTrip(ctx, p, fs.Arg(0))
		if err != nil {
			return err
		}
		return showTrip(e.stdout, t, *asJSON)
	case "export-ics":
		body, err := a.svc.TripCalendar(ctx, p, fs.Arg(0))
		if err != nil {
			return err
		}
		if *out == "-" {
			_, err = e.stdout.Write(body)
			return err
		}
		return os.WriteFile(*out, body, 0o600)
	default: // import-ics
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		items, ver, err := a.svc.ImportCalendar(ctx, p, fs.Arg(0), 0, f)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "imported %d items; the trip is now at version %d\n", len(items), ver)
		return err
	}
}

func listTrips(ctx context.Context, e env, svc *service.Service, p service.Principal, asJSON bool) error {
	var all []model.Trip
	for cursor := ""; ; {
		page, err := svc.ListTrips(ctx, p, cursor, 100)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) < 100 {
			break
		}
		cursor = page[len(page)-1].ID
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, t := range all {
			if err := enc.Encode(t); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTARTS\tENDS\tSTATUS\tVERSION\tTITLE")
	for _, t := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", t.ID, t.StartsOn, t.EndsOn, t.Status, t.Version, t.Title)
	}
	return tw.Flush()
}

func showTrip(w io.Writer, t model.Trip, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(t)
	}
	fmt.Fprintf(w, "%s  %s\n%s to %s (%d days), %s, version %d\n", t.ID, t.Title, t.StartsOn, t.EndsOn, t.Days(), t.Status, t.Version)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DAY\tPOS\tKIND\tSTARTS\tENDS\tZONE\tTITLE\tBOOKING")
	for _, it := range t.Items {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", it.Day, it.Position, it.Kind, dash(it.StartsAt), dash(it.EndsAt),
			dash(it.TimeZone), it.Title, dash(it.BookingID))
	}
	return tw.Flush()
}
