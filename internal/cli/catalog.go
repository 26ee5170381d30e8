package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"

	"pathavana/internal/catalog"
)

const catalogUsage = `pathavana catalog import [--name NAME] [--replace] FILE...
  pathavana catalog list
  pathavana catalog remove NAME`

// runCatalog manages imported catalogs. Imports are stored in the database,
// so every replica searches them (within PATHAVANA_CATALOG_RELOAD).
func runCatalog(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, catalogUsage)
	}
	verb, args := args[0], args[1:]
	fs := newFlags("catalog "+verb, e)
	name := fs.String("name", "", "name of the import (default: the first file's name)")
	replace := fs.Bool("replace", false, "the catalog stands alone instead of being layered over the sandbox and earlier imports")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case verb == "import" && len(pos) > 0, verb == "list" && len(pos) == 0, verb == "remove" && len(pos) == 1:
	default:
		return fmt.Errorf("%w: %s", errUsage, catalogUsage)
	}
	cfg, log, err := loadConfig(e)
	if err != nil {
		return err
	}
	a, err := buildApp(ctx, e, cfg, log, cfg.AutoMigrate())
	if err != nil {
		return err
	}
	defer a.close(context.Background())

	switch verb {
	case "list":
		list, err := a.svc.ListCatalogs(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LAYER\tNAME\tMODE\tENTRIES\tVERSION\tIMPORTED")
		for _, c := range list {
			mode := "layered"
			if c.Replaces {
				mode = "replaces"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%.12s\t%s\n", c.Seq, c.Name, mode, c.Entries, c.Version,
				c.CreatedAt.UTC().Format("2006-01-02 15:04:05Z"))
		}
		return tw.Flush()
	case "remove":
		if err := a.svc.RemoveCatalog(ctx, pos[0]); err != nil {
			return err
		}
		_, err := fmt.Fprintf(e.stdout, "removed catalog %s\n", pos[0])
		return err
	}
	if *name == "" {
		*name = defaultCatalogName(pos[0])
	}
	var sources []catalog.Source
	for _, path := range pos {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sources = append(sources, catalog.Source{Name: path, Reader: f})
	}
	imp, err := a.svc.ImportCatalog(ctx, *name, *replace, sources)
	var ie *catalog.ImportError
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			fmt.Fprintln(e.stderr, p.Error())
		}
		return fmt.Errorf("%d problem(s) in the catalog; nothing was loaded", len(ie.Problems))
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "imported catalog %s: %d entries, layer %d, version %.12s\n",
		imp.Name, imp.Entries, imp.Seq, imp.Version)
	return err
}

var nonName = regexp.MustCompile(`[^a-z0-9_-]+`)

// defaultCatalogName turns "/x/Negotiated Rates.jsonl" into "negotiated-rates".
func defaultCatalogName(path string) string {
	base := strings.ToLower(filepath.Base(path))
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	base = strings.Trim(nonName.ReplaceAllString(base, "-"), "-_")
	if len(base) > 40 {
		base = base[:40]
	}
	if base == "" {
		return "imported"
	}
	return base
}
