package secure

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Envelope encryption for personal data (DESIGN.md: PII never rests in the
// database in clear). Every record gets its own random 256-bit data key
// (DEK); each field is sealed with AES-256-GCM under it, with the record id
// and field name as additional data so a ciphertext copied into another
// record or column fails to open. The DEK is stored wrapped by a master key
// named by a key id, so master keys rotate by re-wrapping 32-byte DEKs,
// never by re-encrypting data, and a KMS can take the master key's place.

// Formats carry a version byte so the layout can change without guessing.
const (
	sealVersion = 1
	wrapVersion = 1
	dekLen      = 32
	nonceLen    = 12
)

// ErrDecrypt is returned for any ciphertext that does not open: wrong key,
// wrong record or field, or tampering. One error for all, so callers learn
// nothing an attacker could use.
var ErrDecrypt = errors.New("secure: ciphertext does not open")

// KeyWrapper protects data keys with master keys. The local Keyring
// implements it; a KMS client can replace it without touching the data.
type KeyWrapper interface {
	// CurrentKeyID names the master key new wraps use.
	CurrentKeyID() string
	// Wrap seals dek under the current master key, bound to aad.
	Wrap(dek, aad []byte) (keyID string, wrapped []byte, err error)
	// Unwrap opens a dek wrapped under keyID with the same aad.
	Unwrap(keyID string, wrapped, aad []byte) ([]byte, error)
}

// MasterKey is one 256-bit key-encryption key.
type MasterKey struct {
	ID  string
	Key []byte
}

var reKeyID = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,40}$`)

// ParseMasterKeys reads "id:base64key" items separated by commas or
// newlines (blank lines and # comments ignored), the format of
// PATHAVANA_PII_KEYS and PATHAVANA_PII_KEYS_FILE. The first is current.
// Errors name the key id, never the key.
func ParseMasterKeys(spec string) ([]MasterKey, error) {
	var out []MasterKey
	seen := map[string]bool{}
	for _, line := range strings.Split(spec, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, item := range strings.Split(line, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			id, b64, ok := strings.Cut(item, ":")
			if !ok || !reKeyID.MatchString(id) {
				return nil, fmt.Errorf("secure: PII key #%d: want id:base64key with an id of letters, digits, . _ -", len(out)+1)
			}
			key, err := DecodeKey(b64)
			if err != nil {
				return nil, fmt.Errorf("secure: PII key %q: %w", id, err)
			}
			if seen[id] {
				return nil, fmt.Errorf("secure: PII key id %q is listed twice", id)
			}
			seen[id] = true
			out = append(out, MasterKey{ID: id, Key: key})
		}
	}
	return out, nil
}

// DecodeKey decodes a base64 (standard or URL, padded or not) 32-byte key.
func DecodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != 32 {
				return nil, fmt.Errorf("key is %d bytes, want 32 (256 bits)", len(b))
			}
			return b, nil
		}
	}
	return nil, errors.New("key is not base64")
}

// NewKeyMaterial returns a fresh random 32-byte key as standard base64.
func NewKeyMaterial() string { return base64.StdEncoding.EncodeToString(randomBytes(32)) }

// Keyring is the local KeyWrapper: several master keys, the first wraps,
// all unwrap, so a new key can be introduced before old wraps are redone.
type Keyring struct {
	current string
	ids     []string
	aeads   map[string]cipher.AEAD
}

// NewKeyring builds a keyring; keys[0] is current.
func NewKeyring(keys []MasterKey) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("secure: a PII keyring needs at least one master key")
	}
	kr := &Keyring{current: keys[0].ID, aeads: map[string]cipher.AEAD{}}
	for _, k := range keys {
		if len(k.Key) != 32 {
			return nil, fmt.Errorf("secure: PII key %q is %d bytes, want 32", k.ID, len(k.Key))
		}
		if _, dup := kr.aeads[k.ID]; dup {
			return nil, fmt.Errorf("secure: PII key id %q is listed twice", k.ID)
		}
		a, err := newGCM(k.Key)
		if err != nil {
			return nil, err
		}
		kr.aeads[k.ID] = a
		kr.ids = append(kr.ids, k.ID)
	}
	return kr, nil
}

// CurrentKeyID implements KeyWrapper.
func (k *Keyring) CurrentKeyID() string { return k.current }

// KeyIDs lists the ids held, current first.
func (k *Keyring) KeyIDs() []string { return append([]string(nil), k.ids...) }

// Wrap implements KeyWrapper.
func (k *Keyring) Wrap(dek, aad []byte) (string, []byte, error) {
	return k.current, seal(k.aeads[k.current], wrapVersion, dek, wrapAAD(k.current, aad)), nil
}

// Unwrap implements KeyWrapper. An unknown key id is its own error, so an
// operator who removed a key too early is told which one is missing.
func (k *Keyring) Unwrap(keyID string, wrapped, aad []byte) ([]byte, error) {
	a, ok := k.aeads[keyID]
	if !ok {
		return nil, fmt.Errorf("secure: PII master key %q is not configured", keyID)
	}
	return open(a, wrapVersion, wrapped, wrapAAD(keyID, aad))
}

// The key id is bound too, so a wrap cannot be relabelled to another key.
func wrapAAD(keyID string, aad []byte) []byte {
	return append([]byte("pathavana/dek/v1\x00"+keyID+"\x00"), aad...)
}

// PII seals records' fields with envelope keys and computes blind indexes.
type PII struct {
	wrapper  KeyWrapper
	indexKey []byte
}

// NewPII combines a key wrapper with the blind-index key. The index key is
// separate from the master keys: it never rotates with them, because every
// stored index would change.
func NewPII(w KeyWrapper, indexKey []byte) (*PII, error) {
	if w == nil {
		return nil, errors.New("secure: PII needs a key wrapper")
	}
	if len(indexKey) != 32 {
		return nil, fmt.Errorf("secure: the PII index key is %d bytes, want 32", len(indexKey))
	}
	return &PII{wrapper: w, indexKey: append([]byte(nil), indexKey...)}, nil
}

// CurrentKeyID names the master key new records are wrapped under.
func (p *PII) CurrentKeyID() string { return p.wrapper.CurrentKeyID() }

// RecordKey is one record's unwrapped data key, ready to seal and open its
// fields. Keep it for the duration of a request only.
type RecordKey struct {
	recordID string
	aead     cipher.AEAD
	KeyID    string // master key the DEK is wrapped under
	Wrapped  []byte // the DEK as stored
}

// NewRecordKey makes a fresh DEK for recordID, wrapped by the current key.
func (p *PII) NewRecordKey(recordID string) (*RecordKey, error) {
	dek := randomBytes(dekLen)
	keyID, wrapped, err := p.wrapper.Wrap(dek, []byte(recordID))
	if err != nil {
		return nil, fmt.Errorf("secure: wrap data key: %w", err)
	}
	a, err := newGCM(dek)
	if err != nil {
		return nil, err
	}
	return &RecordKey{recordID: recordID, aead: a, KeyID: keyID, Wrapped: wrapped}, nil
}

// OpenRecordKey unwraps the stored DEK of recordID.
func (p *PII) OpenRecordKey(recordID, keyID string, wrapped []byte) (*RecordKey, error) {
	dek, err := p.wrapper.Unwrap(keyID, wrapped, []byte(recordID))
	if err != nil {
		return nil, err
	}
	a, err := newGCM(dek)
	if err != nil {
		return nil, err
	}
	return &RecordKey{recordID: recordID, aead: a, KeyID: keyID, Wrapped: wrapped}, nil
}

// Rewrap re-wraps a record's DEK under the current master key. changed is
// false (and nothing is done) when it already is under it.
func (p *PII) Rewrap(recordID, keyID string, wrapped []byte) (newKeyID string, newWrapped []byte, changed bool, err error) {
	if keyID == p.wrapper.CurrentKeyID() {
		return keyID, wrapped, false, nil
	}
	dek, err := p.wrapper.Unwrap(keyID, wrapped, []byte(recordID))
	if err != nil {
		return "", nil, false, err
	}
	newKeyID, newWrapped, err = p.wrapper.Wrap(dek, []byte(recordID))
	if err != nil {
		return "", nil, false, fmt.Errorf("secure: wrap data key: %w", err)
	}
	return newKeyID, newWrapped, true, nil
}

// Seal encrypts one field. An empty value is sealed too (the caller decides
// whether to store it), so every stored ciphertext has the same shape.
func (k *RecordKey) Seal(field string, plaintext []byte) []byte {
	return seal(k.aead, sealVersion, plaintext, fieldAAD(k.recordID, field))
}

// Open decrypts one field sealed for this record and field name.
func (k *RecordKey) Open(field string, ciphertext []byte) ([]byte, error) {
	return open(k.aead, sealVersion, ciphertext, fieldAAD(k.recordID, field))
}

func fieldAAD(recordID, field string) []byte {
	return []byte("pathavana/pii/v1\x00" + recordID + "\x00" + field)
}

// BlindIndex is a keyed hash of a normalised value, for equality lookups
// without storing the value: HMAC-SHA256 over kind, scope (the owner, so
// equal values of different accounts do not link) and value, truncated to
// 128 bits, hex. Truncation keeps collisions negligible per account while
// giving a stolen index less to brute-force against.
func (p *PII) BlindIndex(kind, scope, normalised string) string {
	m := hmac.New(sha256.New, p.indexKey)
	m.Write([]byte("pathavana/bidx/v1\x00" + kind + "\x00" + scope + "\x00" + normalised))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// NormalizeDocumentNumber upper-cases a passport or known-traveler number
// and drops spaces, dashes and dots, the way people type them differently.
func NormalizeDocumentNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if unicode.IsSpace(r) || r == '-' || r == '.' || r == '/' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NormalizeName upper-cases a name and collapses runs of spaces, so
// "  de la  Cruz" and "DE LA CRUZ" index alike.
func NormalizeName(s string) string {
	return strings.Join(strings.Fields(strings.ToUpper(s)), " ")
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secure: %w", err)
	}
	return cipher.NewGCM(block)
}

// seal returns version || nonce || ciphertext+tag. Random 96-bit nonces are
// safe here: each DEK seals a dozen fields per write, far from GCM's limit.
func seal(a cipher.AEAD, version byte, plaintext, aad []byte) []byte {
	out := make([]byte, 1+nonceLen, 1+nonceLen+len(plaintext)+a.Overhead())
	out[0] = version
	copy(out[1:], randomBytes(nonceLen))
	return a.Seal(out, out[1:1+nonceLen], plaintext, aad)
}

func open(a cipher.AEAD, version byte, ct, aad []byte) ([]byte, error) {
	if len(ct) < 1+nonceLen+a.Overhead() || ct[0] != version {
		return nil, ErrDecrypt
	}
	pt, err := a.Open(nil, ct[1:1+nonceLen], ct[1+nonceLen:], aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}
