package model

import "time"

// CatalogImport is an operator's catalog as stored: validated JSON Lines,
// gzipped, layered over what is below it (or replacing it) in Seq order.
type CatalogImport struct {
	Name      string
	Seq       int
	Replaces  bool
	Version   string // SHA-256 of the uncompressed content
	Entries   int
	Content   []byte // gzip; empty in listings
	CreatedAt time.Time
}
