package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
	"pathavana/internal/catalog/openflights"
	"pathavana/internal/catalog/world"
)

const catalogUsage = `pathavana catalog import [--name NAME] [--replace] FILE...
  pathavana catalog import-openflights [--name NAME] [--out FILE] DIR
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
	out := fs.String("out", "", "import-openflights: write the catalog (JSON Lines) to this file instead of importing it")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case verb == "import" && len(pos) > 0, verb == "import-openflights" && len(pos) == 1,
		verb == "list" && len(pos) == 0, verb == "remove" && len(pos) == 1:
	default:
		return fmt.Errorf("%w: %s", errUsage, catalogUsage)
	}
	var sources []catalog.Source
	if verb == "import-openflights" {
		src, err := convertOpenFlights(e, pos[0], *out)
		if err != nil || *out != "" {
			return err
		}
		sources, *replace = []catalog.Source{src}, true
		if *name == "" {
			*name = "openflights"
		}
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
	for _, path := range pos[:len(pos)-len(sources)] {
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
		if ae, ok := apperr.As(err); ok { // the problems are in another import, which this one would break
			return fmt.Errorf("%s (the problems above are in that catalog); nothing was loaded", ae.Message)
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

// convertOpenFlights turns an OpenFlights directory into a catalog, prints
// what was kept and skipped, and writes the catalog to out, or returns it
// for import when out is empty.
func convertOpenFlights(e env, dir, out string) (catalog.Source, error) {
	w, err := world.Load()
	if err != nil {
		return catalog.Source{}, err
	}
	d, report, err := openflights.ReadDir(w, dir)
	var ie *catalog.ImportError
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			fmt.Fprintln(e.stderr, p.Error())
		}
		return catalog.Source{}, fmt.Errorf("%d broken line(s) in the OpenFlights files; nothing was converted", len(ie.Problems))
	}
	if err != nil {
		return catalog.Source{}, err
	}
	fmt.Fprint(e.stdout, report.String())
	if out == "" {
		var buf bytes.Buffer
		if err := openflights.WriteJSONL(&buf, d); err != nil {
			return catalog.Source{}, err
		}
		return catalog.Source{Name: filepath.Join(dir, "openflights.jsonl"), Reader: &buf}, nil
	}
	f, err := os.Create(out)
	if err != nil {
		return catalog.Source{}, err
	}
	bw := bufio.NewWriter(f)
	err = openflights.WriteJSONL(bw, d)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return catalog.Source{}, fmt.Errorf("write %s: %w", out, err)
	}
	_, err = fmt.Fprintf(e.stdout, "wrote %s: %d entries; import it with: pathavana catalog import --replace --name openflights %s\n", out, d.Count(), out)
	return catalog.Source{}, err
}
