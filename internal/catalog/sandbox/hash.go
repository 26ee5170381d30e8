package sandbox

import "math"

// rng is a small deterministic generator (splitmix64) seeded from stable
// keys. It replaces math/rand so that results never depend on a global
// source or on the Go version's generator.
type rng struct{ state uint64 }

// newRNG seeds a generator from the FNV-1a hash of the keys, separated so
// that ("ab","c") and ("a","bc") differ.
func newRNG(keys ...string) *rng {
	return &rng{state: hashKeys(keys...)}
}

// hashKeys is FNV-1a (64-bit) over the keys with a separator byte.
func hashKeys(keys ...string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, k := range keys {
		for i := 0; i < len(k); i++ {
			h ^= uint64(k[i])
			h *= prime
		}
		h ^= 0xff
		h *= prime
	}
	return h
}

// next returns the next 64 pseudo-random bits (splitmix64).
func (r *rng) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn returns a number in [0, n); n must be positive.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a number in [lo, hi).
func (r *rng) between(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// pick returns one of the items with probability proportional to its
// weight; weights must not all be zero.
func pickWeighted[T any](r *rng, items []T, weight func(T) float64) T {
	total := 0.0
	for _, it := range items {
		total += weight(it)
	}
	x := r.float() * total
	for _, it := range items {
		x -= weight(it)
		if x < 0 {
			return it
		}
	}
	return items[len(items)-1]
}

// clamp limits v to [lo, hi].
func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
