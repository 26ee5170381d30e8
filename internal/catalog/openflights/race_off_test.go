//go:build !race

package openflights

const raceEnabled = false
