// Package api embeds the HTTP contract so the binary serves the exact
// document it was built and tested against.
package api

import _ "embed"

// OpenAPI is api/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
