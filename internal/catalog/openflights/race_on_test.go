//go:build race

package openflights

// raceEnabled skips the second full conversion: the race detector makes
// the catalog parser about ten times slower.
const raceEnabled = true
