// Package secure holds the small, security-critical primitives the rest of
// Pathavana builds on: password hashing and policy, opaque tokens and signed
// access tokens. Everything here is deterministic in its inputs (keys and
// clocks are passed in), so there is no package-level state to leak between
// tests or replicas.
package secure

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the cost parameters of an argon2id hash. They are stored
// inside every encoded hash, so raising them later only affects new hashes;
// VerifyPassword reports old ones as needing a rehash.
type Argon2Params struct {
	Memory      uint32 // KiB
	Iterations  uint32
	Parallelism uint8
	SaltLen     uint32
	KeyLen      uint32
}

// DefaultArgon2Params returns the OWASP Password Storage Cheat Sheet
// recommendation for argon2id (m=19 MiB, t=2, p=1): strong enough against
// GPU cracking while keeping a login under ~50 ms and bounded memory per
// concurrent login on a small replica.
func DefaultArgon2Params() Argon2Params {
	return Argon2Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLen: 16, KeyLen: 32}
}

// Bounds on parameters accepted from an encoded hash. Stored hashes come from
// our own database, but a corrupted or tampered row must not be able to make
// one login allocate gigabytes or spin for minutes.
const (
	maxMemoryKiB   = 256 * 1024
	maxIterations  = 16
	maxParallelism = 16
	minSaltLen     = 8
	maxSaltLen     = 64
	minKeyLen      = 16
	maxKeyLen      = 64
)

// dummyHash is an argon2id hash of a random, discarded password made with
// DefaultArgon2Params. DummyVerify checks against it so a login for an
// unknown email costs the same as one for a real account. A test fails if
// the defaults change without regenerating it.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$Ws/h2A8gpQNCd/f9Qyi00g$1tMDC+TmAKtr/C+OtYBhceKybhza7Xk+Gw0WM9ptvr4"

var b64 = base64.RawStdEncoding.Strict()

// errMalformedHash is deliberately vague: the encoded hash is a secret-ish
// value and never belongs in an error message.
var errMalformedHash = errors.New("secure: malformed password hash")

func (p Argon2Params) validate() error {
	switch {
	case p.Memory < 8*uint32(p.Parallelism) || p.Memory > maxMemoryKiB:
		return fmt.Errorf("secure: argon2 memory %d KiB out of range", p.Memory)
	case p.Iterations < 1 || p.Iterations > maxIterations:
		return fmt.Errorf("secure: argon2 iterations %d out of range", p.Iterations)
	case p.Parallelism < 1 || p.Parallelism > maxParallelism:
		return fmt.Errorf("secure: argon2 parallelism %d out of range", p.Parallelism)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("secure: argon2 salt length %d out of range", p.SaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("secure: argon2 key length %d out of range", p.KeyLen)
	}
	return nil
}

// HashPassword hashes password with argon2id and a fresh random salt and
// returns it in the PHC string format that other tools understand:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(password string, p Argon2Params) (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	salt := randomBytes(int(p.SaltLen))
	key := argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Iterations, p.Parallelism,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the encoded hash, using a
// constant-time comparison. needsRehash is true when the hash was made with
// parameters other than DefaultArgon2Params, so the caller can upgrade it
// while it holds the plaintext (right after a successful login). A malformed
// or out-of-bounds hash is an error, never a panic.
func VerifyPassword(encoded, password string) (ok bool, needsRehash bool, err error) {
	p, salt, want, err := parseHash(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen)
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return false, false, nil
	}
	return true, p != DefaultArgon2Params(), nil
}

// DummyVerify spends the same time and memory as VerifyPassword on a
// default-parameter hash. Callers run it when the email is unknown, so the
// response time of a login does not reveal which accounts exist.
func DummyVerify(password string) {
	_, _, _ = VerifyPassword(dummyHash, password)
}

// parseHash decodes a PHC argon2id string strictly: one canonical spelling
// per hash, bounded parameters, and salt/key lengths within limits.
func parseHash(encoded string) (Argon2Params, []byte, []byte, error) {
	var p Argon2Params
	// encoding/base64 silently skips \r and \n, which would let one hash
	// have many spellings; the PHC alphabet never contains them.
	if len(encoded) > 512 || strings.ContainsAny(encoded, "\r\n") {
		return p, nil, nil, errMalformedHash
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errMalformedHash
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return p, nil, nil, errMalformedHash
	}
	m, okM := paramValue(params[0], "m=", maxMemoryKiB)
	t, okT := paramValue(params[1], "t=", maxIterations)
	par, okP := paramValue(params[2], "p=", maxParallelism)
	if !okM || !okT || !okP {
		return p, nil, nil, errMalformedHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, errMalformedHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return p, nil, nil, errMalformedHash
	}
	p = Argon2Params{Memory: m, Iterations: t, Parallelism: uint8(par),
		SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	if p.validate() != nil {
		return Argon2Params{}, nil, nil, errMalformedHash
	}
	return p, salt, key, nil
}

// paramValue parses "k=123" with no sign, no leading zeros and value ≤ max.
func paramValue(s, prefix string, max uint64) (uint32, bool) {
	v, ok := strings.CutPrefix(s, prefix)
	if !ok || v == "" || len(v) > 10 || (len(v) > 1 && v[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n > max {
		return 0, false
	}
	return uint32(n), true
}
