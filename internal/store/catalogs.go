package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"pathavana/internal/model"
)

// PutCatalogImport stores an imported catalog. A new name goes on top of the
// others; an existing name keeps its place in the layering and gets the new
// content, so re-importing a fixed file changes nothing else.
func (q *Queries) PutCatalogImport(ctx context.Context, c model.CatalogImport) (model.CatalogImport, error) {
	err := q.atomic(ctx, func(q *Queries) error {
		err := q.queryRow(ctx, `SELECT seq FROM catalog_imports WHERE name = ?`, c.Name).Scan(&c.Seq)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: catalog seq: %w", err)
		}
		if err != nil { // a new name
			if err := q.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_imports`).Scan(&c.Seq); err != nil {
				return fmt.Errorf("store: next catalog seq: %w", err)
			}
			_, err = q.exec(ctx, `INSERT INTO catalog_imports (name, seq, replaces, version, entries, content, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Name, c.Seq, c.Replaces, c.Version, c.Entries, c.Content, c.CreatedAt)
			return storeErr(err, "insert catalog")
		}
		_, err = q.exec(ctx, `UPDATE catalog_imports SET replaces = ?, version = ?, entries = ?, content = ?, created_at = ?
			WHERE name = ?`, c.Replaces, c.Version, c.Entries, c.Content, c.CreatedAt, c.Name)
		return storeErr(err, "update catalog")
	})
	if isUniqueViolation(err) {
		return c, fmt.Errorf("store: catalog %q was imported concurrently; retry: %w", c.Name, err)
	}
	return c, err
}

// ListCatalogImports returns every imported catalog in layering order, with
// its content only when asked (a replica polls the listing to notice
// changes, and fetches content only then).
func (q *Queries) ListCatalogImports(ctx context.Context, withContent bool) ([]model.CatalogImport, error) {
	cols := `name, seq, replaces, version, entries, created_at`
	if withContent {
		cols += `, content`
	}
	rows, err := q.query(ctx, `SELECT `+cols+` FROM catalog_imports ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("store: list catalogs: %w", err)
	}
	defer rows.Close()
	var out []model.CatalogImport
	for rows.Next() {
		var c model.CatalogImport
		var created timeCol
		dst := []any{&c.Name, &c.Seq, &c.Replaces, &c.Version, &c.Entries, &created}
		if withContent {
			dst = append(dst, &c.Content)
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("store: scan catalog: %w", err)
		}
		c.CreatedAt = created.t
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list catalogs: %w", err)
	}
	return out, nil
}

// DeleteCatalogImport removes an imported catalog by name.
func (q *Queries) DeleteCatalogImport(ctx context.Context, name string) error {
	return q.execOne(ctx, notFound("catalog"), `DELETE FROM catalog_imports WHERE name = ?`, name)
}

func storeErr(err error, what string) error {
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}
