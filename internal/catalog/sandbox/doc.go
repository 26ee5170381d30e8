// Package sandbox generates the default sandbox travel inventory from the
// real-world base data in package world: a route network, timetables, base
// fares and a fare model, ground legs, and (on demand, per city) stays,
// restaurants and attractions.
//
// Everything is a pure function of its inputs: no clock, no global random
// source, no map iteration order reaches the output. Pseudo-random choices
// come from a stable hash of stable keys (IATA codes, GeoNames ids), so the
// same world gives the same inventory on every machine, forever. The model
// (formulas and constants) is described in docs/sandbox-model.md; keep the
// two in step.
//
// The inventory is sandbox data: plausible, not real availability.
package sandbox
