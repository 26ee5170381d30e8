package oidc

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
)

// flexBool accepts a JSON boolean or the strings "true"/"false": some
// providers (older Google tokens among them) send email_verified as a
// string. Anything else is an error rather than a silent false.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*b = false
	case bool:
		*b = flexBool(x)
	case string:
		switch x {
		case "true":
			*b = true
		case "false":
			*b = false
		default:
			return errors.New("oidc: email_verified is not a boolean")
		}
	default:
		return errors.New("oidc: email_verified is not a boolean")
	}
	return nil
}

// randomString returns 256 random bits, unpadded base64url, for state and
// nonce values.
func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}
