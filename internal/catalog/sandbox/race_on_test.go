//go:build race

package sandbox

// raceEnabled slims the slowest checks: the race detector makes the
// catalog parser about ten times slower.
const raceEnabled = true
