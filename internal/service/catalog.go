package service

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
	"pathavana/internal/model"
	"pathavana/internal/search"
)

// MaxCatalogBytes bounds one import (all files together, uncompressed).
const MaxCatalogBytes = 512 << 20

// catalogChangedTopic tells the other replicas to reload imported catalogs
// now rather than at their next poll.
const catalogChangedTopic = "catalog.changed"

var catalogNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// catalogState is what this replica has loaded, so a poll that finds the
// same imports does nothing.
type catalogState struct {
	mu          sync.Mutex // serialises reloads
	loaded      bool       // false until the first load: the searcher starts with a placeholder
	fingerprint string
}

func fingerprint(imports []model.CatalogImport) string {
	var b strings.Builder
	for _, c := range imports {
		fmt.Fprintf(&b, "%s:%s:%t;", c.Name, c.Version, c.Replaces)
	}
	return b.String()
}

// ImportCatalog validates catalog files against what they will be layered
// on and stores them under name: all or nothing. Every bad line comes back
// in one *catalog.ImportError. A new name goes on top of the earlier
// imports; an existing one is replaced in place. With replaces the catalog
// stands alone instead of adding to what is below it.
func (s *Service) ImportCatalog(ctx context.Context, name string, replaces bool, files []catalog.Source) (model.CatalogImport, error) {
	if !catalogNameRE.MatchString(name) {
		return model.CatalogImport{}, apperr.New(apperr.Invalid,
			"catalog name %q: use 1-40 lower-case letters, digits, '-' or '_'", name)
	}
	content, err := readCatalogFiles(files)
	if err != nil {
		return model.CatalogImport{}, err
	}
	s.catalogs.mu.Lock()
	defer s.catalogs.mu.Unlock()
	existing, err := s.Store.ListCatalogImports(ctx, true)
	if err != nil {
		return model.CatalogImport{}, err
	}
	below, above := splitAround(existing, name)
	var base *catalog.Data
	if !replaces {
		c, err := s.buildCatalog(below)
		if err != nil {
			return model.CatalogImport{}, err
		}
		base = c.Data
	}
	sources := make([]catalog.Source, len(files))
	for i, f := range files {
		sources[i] = catalog.Source{Name: f.Name, Reader: bytes.NewReader(content.files[i])}
	}
	data, err := catalog.Parse(base, sources...)
	if err != nil {
		return model.CatalogImport{}, err
	}
	if err := checkLayers(stacked(base, data, replaces), above); err != nil {
		return model.CatalogImport{}, apperr.Wrap(err, apperr.Conflict, "catalog %q would break the catalogs above it", name)
	}
	sum := sha256.Sum256(content.all)
	imp := model.CatalogImport{Name: name, Replaces: replaces, Version: hex.EncodeToString(sum[:]),
		Entries: data.Count(), Content: gzipped(content.all), CreatedAt: s.now()}
	// Build the whole stack before storing, so a stored import always makes
	// a catalog every replica can load.
	layers := append(append(append([]model.CatalogImport{}, below...), imp), above...)
	full, err := s.buildCatalog(layers)
	if err != nil {
		return model.CatalogImport{}, apperr.Wrap(err, apperr.Invalid, "catalog %q does not combine with the catalogs around it", name)
	}
	if imp, err = s.Store.PutCatalogImport(ctx, imp); err != nil {
		return model.CatalogImport{}, err
	}
	s.Search.SetCatalog(full)
	s.catalogs.loaded, s.catalogs.fingerprint = true, fingerprint(layers)
	s.announceCatalogChange(ctx)
	imp.Content = nil
	return imp, nil
}

// RemoveCatalog deletes an imported catalog and reloads what is left. It
// refuses when a catalog above still refers to what this one defines, so
// the stored stack always builds (a replica that cannot build it would not
// start).
func (s *Service) RemoveCatalog(ctx context.Context, name string) error {
	err := func() error {
		s.catalogs.mu.Lock()
		defer s.catalogs.mu.Unlock()
		existing, err := s.Store.ListCatalogImports(ctx, true)
		if err != nil {
			return err
		}
		below, above := splitAround(existing, name)
		if len(below) == len(existing) {
			return apperr.New(apperr.NotFound, "no imported catalog is named %q", name)
		}
		if len(above) > 0 {
			c, err := s.buildCatalog(below)
			if err != nil {
				return err
			}
			if err := checkLayers(c.Data, above); err != nil {
				return apperr.Wrap(err, apperr.Conflict, "catalog %q cannot be removed: a catalog above depends on it", name)
			}
		}
		return s.Store.DeleteCatalogImport(ctx, name)
	}()
	if err != nil {
		return err
	}
	s.announceCatalogChange(ctx)
	_, err = s.ReloadCatalogs(ctx)
	return err
}

// checkLayers checks every reference of the stored imports layers against
// what is below each of them, starting from base: what a change below them
// must not break.
func checkLayers(base *catalog.Data, layers []model.CatalogImport) error {
	for _, imp := range layers {
		raw, err := gunzipped(imp.Content)
		if err != nil {
			return fmt.Errorf("catalog %q: %w", imp.Name, err)
		}
		below := base
		if imp.Replaces {
			below = nil
		}
		d, err := catalog.Parse(below, catalog.Source{Name: imp.Name, Reader: bytes.NewReader(raw)})
		if err != nil {
			return fmt.Errorf("catalog %q: %w", imp.Name, err)
		}
		base = stacked(base, d, imp.Replaces)
	}
	return nil
}

// stacked is what a layer makes of the data below it.
func stacked(below, layer *catalog.Data, replaces bool) *catalog.Data {
	if replaces || below == nil {
		return layer
	}
	return catalog.Layer(below, layer)
}

// ListCatalogs lists imported catalogs in layering order, without content.
func (s *Service) ListCatalogs(ctx context.Context) ([]model.CatalogImport, error) {
	return s.Store.ListCatalogImports(ctx, false)
}

// ReloadCatalogs makes this replica search what the database holds: the
// base catalog with every import on top. The first call always builds; later
// ones do nothing when the imports have not changed, and keep the current
// catalog when the new one fails to build.
func (s *Service) ReloadCatalogs(ctx context.Context) (changed bool, err error) {
	s.catalogs.mu.Lock()
	defer s.catalogs.mu.Unlock()
	listing, err := s.Store.ListCatalogImports(ctx, false)
	if err != nil {
		return false, err
	}
	if s.catalogs.loaded && fingerprint(listing) == s.catalogs.fingerprint {
		return false, nil
	}
	imports, err := s.Store.ListCatalogImports(ctx, true)
	if err != nil {
		return false, err
	}
	start := time.Now()
	c, err := s.buildCatalog(imports)
	if err != nil {
		return false, fmt.Errorf("reload catalogs: %w", err)
	}
	s.Search.SetCatalog(c)
	s.catalogs.loaded, s.catalogs.fingerprint = true, fingerprint(imports)
	s.Log.InfoContext(ctx, "travel catalog loaded", "catalog", c.Label, "imports", len(imports),
		"flights", len(c.Data.Flights), "airports", len(c.Data.Airports),
		"took", time.Since(start).Round(time.Millisecond).String())
	return true, nil
}

// WatchCatalogs reloads imported catalogs when another replica announces a
// change, and every interval in case an announcement was missed, until ctx
// ends.
func (s *Service) WatchCatalogs(ctx context.Context) {
	kick := make(chan struct{}, 1)
	s.Cache.Bus.Subscribe(ctx, catalogChangedTopic, func(string) {
		select {
		case kick <- struct{}{}:
		default:
		}
	})
	every := s.Settings.CatalogReload
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-kick:
		}
		if _, err := s.ReloadCatalogs(ctx); err != nil && ctx.Err() == nil {
			s.Log.ErrorContext(ctx, "imported catalogs not reloaded; still searching the previous catalog", "err", err)
		}
	}
}

func (s *Service) announceCatalogChange(ctx context.Context) {
	if err := s.Cache.Bus.Publish(ctx, catalogChangedTopic, "1"); err != nil {
		s.Log.WarnContext(ctx, "catalog change not announced; other replicas pick it up at their next poll", "err", err)
	}
}

// buildCatalog makes the searchable catalog from stored imports.
func (s *Service) buildCatalog(imports []model.CatalogImport) (*search.Catalog, error) {
	overlays := make([]search.Overlay, 0, len(imports))
	for _, imp := range imports {
		raw, err := gunzipped(imp.Content)
		if err != nil {
			return nil, fmt.Errorf("catalog %q: %w", imp.Name, err)
		}
		d, err := catalog.ParseStored(catalog.Source{Name: imp.Name, Reader: bytes.NewReader(raw)})
		if err != nil {
			return nil, fmt.Errorf("catalog %q: %w", imp.Name, err)
		}
		overlays = append(overlays, search.Overlay{Name: imp.Name, Version: imp.Version, Replace: imp.Replaces, Data: d})
	}
	return s.BuildCatalog(overlays)
}

// splitAround returns the imports below and above name's place (the top
// when name is new), leaving name itself out.
func splitAround(imports []model.CatalogImport, name string) (below, above []model.CatalogImport) {
	for i, c := range imports {
		if c.Name == name {
			return imports[:i], imports[i+1:]
		}
	}
	return imports, nil
}

type catalogContent struct {
	files [][]byte
	all   []byte // the files joined, each ending in a newline
}

func readCatalogFiles(files []catalog.Source) (catalogContent, error) {
	if len(files) == 0 {
		return catalogContent{}, apperr.New(apperr.Invalid, "no catalog files given")
	}
	var out catalogContent
	for _, f := range files {
		b, err := io.ReadAll(io.LimitReader(f.Reader, MaxCatalogBytes+1-int64(len(out.all))))
		if err != nil {
			return catalogContent{}, fmt.Errorf("read %s: %w", f.Name, err)
		}
		if len(out.all)+len(b) > MaxCatalogBytes {
			return catalogContent{}, apperr.New(apperr.Invalid, "catalog larger than %d MiB", MaxCatalogBytes>>20)
		}
		out.files = append(out.files, b)
		out.all = append(out.all, b...)
		if len(b) > 0 && b[len(b)-1] != '\n' {
			out.all = append(out.all, '\n')
		}
	}
	return out, nil
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b) // writes to memory cannot fail
	_ = zw.Close()
	return buf.Bytes()
}

func gunzipped(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
