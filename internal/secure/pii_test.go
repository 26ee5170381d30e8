package secure

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func testPII(t *testing.T, keys ...MasterKey) *PII {
	t.Helper()
	kr, err := NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPII(kr, testKey(9))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPIIRoundTripAndBinding(t *testing.T) {
	p := testPII(t, MasterKey{"k1", testKey(1)})
	rk, err := p.NewRecordKey("rec-1")
	if err != nil {
		t.Fatal(err)
	}
	ct := rk.Seal("passport_number", []byte("X1234567"))
	if bytes.Contains(ct, []byte("X1234567")) || bytes.Contains(rk.Wrapped, ct[13:]) {
		t.Fatal("ciphertext holds the plaintext")
	}
	again, err := p.OpenRecordKey("rec-1", rk.KeyID, rk.Wrapped)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := again.Open("passport_number", ct); err != nil || string(pt) != "X1234567" {
		t.Fatalf("round trip = %q, %v", pt, err)
	}
	if empty, err := again.Open("gender", rk.Seal("gender", nil)); err != nil || len(empty) != 0 {
		t.Fatalf("empty value = %q, %v", empty, err)
	}
	if _, err := again.Open("known_traveler_number", ct); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("other field opened: %v", err)
	}
	// Another record's key, and the same DEK presented as another record.
	other, _ := p.NewRecordKey("rec-2")
	if _, err := other.Open("passport_number", ct); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("other record's key opened: %v", err)
	}
	if _, err := p.OpenRecordKey("rec-2", rk.KeyID, rk.Wrapped); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("wrapped key moved to another record opened: %v", err)
	}
	for i := range ct {
		bad := bytes.Clone(ct)
		bad[i] ^= 0x01
		if _, err := again.Open("passport_number", bad); !errors.Is(err, ErrDecrypt) {
			t.Fatalf("tampered byte %d opened: %v", i, err)
		}
	}
	if _, err := again.Open("passport_number", ct[:10]); !errors.Is(err, ErrDecrypt) {
		t.Fatal("truncated ciphertext opened")
	}
	bad := bytes.Clone(rk.Wrapped)
	bad[len(bad)-1] ^= 1
	if _, err := p.OpenRecordKey("rec-1", rk.KeyID, bad); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("tampered wrap opened: %v", err)
	}
	// Two seals of the same value differ (random nonces).
	if bytes.Equal(rk.Seal("f", []byte("same")), rk.Seal("f", []byte("same"))) {
		t.Fatal("sealing is deterministic")
	}
}

func TestPIIRotation(t *testing.T) {
	oldRing := testPII(t, MasterKey{"old", testKey(1)})
	rk, _ := oldRing.NewRecordKey("r")
	ct := rk.Seal("family_name", []byte("Silva"))

	both := testPII(t, MasterKey{"new", testKey(2)}, MasterKey{"old", testKey(1)})
	if both.CurrentKeyID() != "new" {
		t.Fatalf("current = %s", both.CurrentKeyID())
	}
	// Old wraps still open; new records wrap under the new key.
	if _, err := both.OpenRecordKey("r", "old", rk.Wrapped); err != nil {
		t.Fatalf("old key no longer unwraps: %v", err)
	}
	if fresh, _ := both.NewRecordKey("s"); fresh.KeyID != "new" {
		t.Fatalf("new wrap under %s", fresh.KeyID)
	}
	keyID, wrapped, changed, err := both.Rewrap("r", "old", rk.Wrapped)
	if err != nil || !changed || keyID != "new" {
		t.Fatalf("rewrap = %s %v %v", keyID, changed, err)
	}
	if _, _, changed, _ := both.Rewrap("r", keyID, wrapped); changed {
		t.Fatal("a record under the current key was rewrapped")
	}
	// Relabelling the new wrap as the old key fails: the key id is bound.
	if _, err := both.OpenRecordKey("r", "old", wrapped); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("relabelled wrap opened: %v", err)
	}
	newOnly := testPII(t, MasterKey{"new", testKey(2)})
	k, err := newOnly.OpenRecordKey("r", keyID, wrapped)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := k.Open("family_name", ct); err != nil || string(pt) != "Silva" {
		t.Fatalf("after rotation = %q, %v", pt, err)
	}
	if _, err := newOnly.OpenRecordKey("r", "old", rk.Wrapped); err == nil || !strings.Contains(err.Error(), `"old" is not configured`) {
		t.Fatalf("removed key: %v", err)
	}
}

func TestParseMasterKeys(t *testing.T) {
	a, b := NewKeyMaterial(), NewKeyMaterial()
	keys, err := ParseMasterKeys("# comment\nk2:" + a + ", k1:" + b + "\n\n")
	if err != nil || len(keys) != 2 || keys[0].ID != "k2" || len(keys[1].Key) != 32 {
		t.Fatalf("parse = %+v, %v", keys, err)
	}
	for _, bad := range []string{"nokey", "k1:short", "k1:" + a + ",k1:" + b, "bad id:" + a, ":" + a} {
		_, err := ParseMasterKeys(bad)
		if err == nil {
			t.Errorf("%q parsed", bad)
		} else if strings.Contains(err.Error(), a) {
			t.Errorf("error shows key material: %v", err)
		}
	}
	if _, err := NewKeyring(nil); err == nil {
		t.Error("empty keyring accepted")
	}
}

func TestBlindIndex(t *testing.T) {
	p := testPII(t, MasterKey{"k", testKey(1)})
	a := p.BlindIndex("passport", "owner-1", NormalizeDocumentNumber("ab 123-456"))
	if a != p.BlindIndex("passport", "owner-1", NormalizeDocumentNumber("AB123456")) || len(a) != 32 {
		t.Fatalf("normalised values index differently: %s", a)
	}
	if a == p.BlindIndex("passport", "owner-2", "AB123456") || a == p.BlindIndex("ktn", "owner-1", "AB123456") {
		t.Fatal("index does not depend on scope and kind")
	}
	other, _ := NewPII(p.wrapper, testKey(8))
	if a == other.BlindIndex("passport", "owner-1", "AB123456") {
		t.Fatal("index does not depend on the index key")
	}
	if NormalizeName("  de la  Cruz ") != "DE LA CRUZ" {
		t.Fatal(NormalizeName("  de la  Cruz "))
	}
}
