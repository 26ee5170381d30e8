package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/service"
)

const auditUsage = `pathavana audit verify
  pathavana audit list [--actor ID] [--subject ID] [--action NAME|PREFIX.] [--from RFC3339] [--to RFC3339] [--after SEQ] [--limit N] [--json]`

// runAudit checks the audit log's hash chain or lists entries. verify
// exits 1 when the chain is broken, so a CronJob or CI step can alert.
func runAudit(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "list") {
		return fmt.Errorf("%w: %s", errUsage, auditUsage)
	}
	verb := args[0]
	fs := newFlags("audit "+verb, e)
	var f model.AuditFilter
	fs.StringVar(&f.ActorID, "actor", "", "entries by this user ID")
	fs.StringVar(&f.SubjectID, "subject", "", "entries about this user ID's data")
	fs.StringVar(&f.Action, "action", "", "one action (auth.sign_in) or a family (traveler.)")
	fs.Int64Var(&f.AfterSeq, "after", 0, "entries after this sequence number")
	fs.IntVar(&f.Limit, "limit", 100, "at most this many entries (1-1000)")
	from := fs.String("from", "", "entries at or after this time (RFC 3339)")
	to := fs.String("to", "", "entries before this time (RFC 3339)")
	asJSON := fs.Bool("json", false, "print JSON lines")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || (verb == "verify" && len(args) > 1) {
		return fmt.Errorf("%w: %s", errUsage, auditUsage)
	}
	for _, t := range []struct {
		s   string
		dst *time.Time
	}{{*from, &f.From}, {*to, &f.To}} {
		if t.s == "" {
			continue
		}
		v, err := time.Parse(time.RFC3339, t.s)
		if err != nil {
			return fmt.Errorf("%w: %q is not an RFC 3339 time (2026-12-01T00:00:00Z)", errUsage, t.s)
		}
		*t.dst = v
	}
	a, err := buildOperatorApp(ctx, e)
	if err != nil {
		return err
	}
	defer a.close(context.Background())
	if verb == "verify" {
		return printAuditReport(ctx, e, a.svc)
	}
	entries, err := a.svc.AuditLog(operatorContext(ctx), service.OperatorPrincipal(), f)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, x := range entries {
			if err := enc.Encode(x); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tAT\tACTION\tOUTCOME\tACTOR\tSUBJECT\tTARGET\tIP")
	for _, x := range entries {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.Seq, x.At.Format(time.RFC3339), x.Action, x.Outcome,
			dash(x.ActorID), dash(x.SubjectID), dash(x.TargetType+" "+x.TargetID), dash(x.IP))
	}
	return tw.Flush()
}

func printAuditReport(ctx context.Context, e env, svc *service.Service) error {
	r, err := svc.VerifyAudit(ctx, service.OperatorPrincipal())
	if err != nil {
		return err
	}
	if r.Broken != nil {
		return fmt.Errorf("audit log chain is BROKEN at entry %d: %s (%d entries verified before it)", r.Broken.Seq, r.Broken.Reason, r.Entries)
	}
	if r.Entries == 0 {
		_, err = fmt.Fprintln(e.stdout, "audit log is empty")
		return err
	}
	pruned := ""
	if r.FirstSeq > 1 {
		pruned = fmt.Sprintf(" (entries before %d were removed by retention)", r.FirstSeq)
	}
	_, err = fmt.Fprintf(e.stdout, "audit log OK: %d entries, %d to %d%s\nhead hash %s\n", r.Entries, r.FirstSeq, r.LastSeq, pruned, r.HeadHash)
	return err
}

func dash(s string) string {
	if s == "" || s == " " {
		return "-"
	}
	return s
}
