package secure

import (
	"fmt"
	"strings"
	"testing"
)

// cheapParams keep tests fast; production strength is covered by the
// benchmark and by TestDummyHashUsesDefaults.
var cheapParams = Argon2Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

func TestHashAndVerifyPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery staple", cheapParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("unexpected encoding %q", h)
	}
	h2, _ := HashPassword("correct horse battery staple", cheapParams)
	if h == h2 {
		t.Fatal("two hashes of the same password must differ (random salt)")
	}
	ok, rehash, err := VerifyPassword(h, "correct horse battery staple")
	if err != nil || !ok || !rehash {
		t.Fatalf("verify = %v, %v, %v; want ok and needsRehash (non-default params)", ok, rehash, err)
	}
	ok, rehash, err = VerifyPassword(h, "correct horse battery stapLe")
	if err != nil || ok || rehash {
		t.Fatalf("wrong password: verify = %v, %v, %v", ok, rehash, err)
	}
}

func TestVerifyPasswordDefaultParamsNoRehash(t *testing.T) {
	h, err := HashPassword("a long enough password", DefaultArgon2Params())
	if err != nil {
		t.Fatal(err)
	}
	ok, rehash, err := VerifyPassword(h, "a long enough password")
	if err != nil || !ok || rehash {
		t.Fatalf("verify = %v, %v, %v; want ok without rehash", ok, rehash, err)
	}
}

func TestHashPasswordRejectsBadParams(t *testing.T) {
	for _, p := range []Argon2Params{
		{},
		{Memory: 64, Iterations: 0, Parallelism: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Iterations: 1, Parallelism: 0, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 8},
		{Memory: maxMemoryKiB + 1, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32},
	} {
		if _, err := HashPassword("x", p); err == nil {
			t.Errorf("HashPassword(%+v) succeeded, want error", p)
		}
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	good, _ := HashPassword("pw", cheapParams)
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	cases := map[string]string{
		"empty":             "",
		"garbage":           "not a hash",
		"bcrypt":            "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":           "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"old version":       "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"missing version":   "$argon2id$m=64,t=1,p=1$" + salt + "$" + key,
		"param order":       "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key,
		"leading zero":      "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key,
		"signed":            "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key,
		"huge memory":       "$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key,
		"overflow":          "$argon2id$v=19$m=99999999999,t=1,p=1$" + salt + "$" + key,
		"huge iterations":   "$argon2id$v=19$m=64,t=1000000,p=1$" + salt + "$" + key,
		"zero parallelism":  "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"p over uint8":      "$argon2id$v=19$m=64,t=1,p=257$" + salt + "$" + key,
		"padded salt":       "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key,
		"bad base64":        "$argon2id$v=19$m=64,t=1,p=1$!!!$" + key,
		"short key":         "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$AAAA",
		"short salt":        "$argon2id$v=19$m=64,t=1,p=1$AAAA$" + key,
		"extra field":       good + "$x",
		"missing hash":      "$argon2id$v=19$m=64,t=1,p=1$" + salt,
		"extra param":       "$argon2id$v=19$m=64,t=1,p=1,k=2$" + salt + "$" + key,
		"no leading dollar": strings.TrimPrefix(good, "$"),
		"too long":          good + strings.Repeat("A", 600),
	}
	for name, enc := range cases {
		t.Run(name, func(t *testing.T) {
			ok, rehash, err := VerifyPassword(enc, "pw")
			if err == nil || ok || rehash {
				t.Fatalf("VerifyPassword = %v, %v, %v; want error", ok, rehash, err)
			}
			if enc != "" && strings.Contains(err.Error(), salt) {
				t.Fatal("error message leaks hash material")
			}
		})
	}
}

func TestDummyHashUsesDefaults(t *testing.T) {
	p, _, _, err := parseHash(dummyHash)
	if err != nil {
		t.Fatal(err)
	}
	if p != DefaultArgon2Params() {
		t.Fatalf("dummyHash params %+v != defaults %+v: regenerate dummyHash so DummyVerify costs what a real login costs", p, DefaultArgon2Params())
	}
	DummyVerify("whatever") // must not panic
}

// FuzzParseHash feeds arbitrary strings to the PHC parser behind
// VerifyPassword: it must never panic, must keep parameters within bounds
// and must accept only the canonical spelling of a hash.
func FuzzParseHash(f *testing.F) {
	good, _ := HashPassword("pw", cheapParams)
	f.Add(good)
	f.Add(dummyHash)
	f.Add("$argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$argon2id$v=19$m=4294967295,t=4294967295,p=255$AAAA$AAAA")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, enc string) {
		p, salt, key, err := parseHash(enc)
		if err != nil {
			return
		}
		if p.validate() != nil {
			t.Fatalf("accepted out-of-bounds params %+v", p)
		}
		canon := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.Memory, p.Iterations, p.Parallelism,
			b64.EncodeToString(salt), b64.EncodeToString(key))
		if canon != enc {
			t.Fatalf("accepted non-canonical hash %q (canonical %q)", enc, canon)
		}
		if p.Memory <= 256 && p.Iterations <= 2 && p.Parallelism <= 4 { // keep the fuzzer fast
			if _, _, err := VerifyPassword(enc, "pw"); err != nil {
				t.Fatalf("VerifyPassword failed on a hash parseHash accepted: %v", err)
			}
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	p := DefaultArgon2Params()
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple", p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	h, _ := HashPassword("correct horse battery staple", DefaultArgon2Params())
	for b.Loop() {
		_, _, _ = VerifyPassword(h, "correct horse battery staple")
	}
}
