package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// Values travel through a backup in one canonical Go form per ColumnType:
// string for text, decimal, timestamp, date, json and bytes; int64 for
// integer; float64 for real; bool for boolean; nil for NULL. Reading a
// database, reading an archive and converting between engines all end in
// that form, so a row hashes the same wherever it came from.

// timestampLayout is the canonical instant: UTC, at most microseconds
// (what PostgreSQL keeps and what the store writes on both engines).
const timestampLayout = "2006-01-02T15:04:05.999999Z07:00"

// fromDB turns a value scanned from the database into canonical form.
func fromDB(v any, t ColumnType) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t {
	case TypeText:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			if !utf8.Valid(x) {
				return nil, errors.New("text value is not valid UTF-8")
			}
			return string(x), nil
		}
	case TypeInteger:
		if x, ok := v.(int64); ok {
			return x, nil
		}
	case TypeReal:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case int64:
			return float64(x), nil
		}
	case TypeDecimal:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64), nil
		}
	case TypeBoolean:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		}
	case TypeTimestamp:
		var c timeCol
		if err := c.Scan(v); err != nil {
			return nil, err
		}
		return dbTime(c.t).Format(timestampLayout), nil
	case TypeDate:
		switch x := v.(type) {
		case time.Time:
			return x.Format(time.DateOnly), nil
		case string, []byte:
			return canonicalDate(toString(x))
		}
	case TypeJSON:
		switch x := v.(type) {
		case string, []byte:
			return canonicalJSON(toString(x))
		}
	case TypeBytes:
		switch x := v.(type) {
		case []byte:
			return base64.StdEncoding.EncodeToString(x), nil
		case string:
			return base64.StdEncoding.EncodeToString([]byte(x)), nil
		}
	}
	return nil, fmt.Errorf("unexpected %T value %v for a %s column", v, v, t)
}

// fromArchive validates a value decoded (with UseNumber) from an archive
// and returns its canonical form.
func fromArchive(v any, t ColumnType) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t {
	case TypeText, TypeDecimal:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case TypeInteger:
		if n, ok := v.(json.Number); ok {
			return n.Int64()
		}
	case TypeReal:
		if n, ok := v.(json.Number); ok {
			return n.Float64()
		}
	case TypeBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case TypeTimestamp:
		if s, ok := v.(string); ok {
			ts, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return nil, err
			}
			return dbTime(ts).Format(timestampLayout), nil
		}
	case TypeDate:
		if s, ok := v.(string); ok {
			return canonicalDate(s)
		}
	case TypeJSON:
		if s, ok := v.(string); ok {
			return canonicalJSON(s)
		}
	case TypeBytes:
		if s, ok := v.(string); ok {
			if _, err := base64.StdEncoding.DecodeString(s); err != nil {
				return nil, err
			}
			return s, nil
		}
	default:
		return nil, fmt.Errorf("unknown column type %q", t)
	}
	return nil, fmt.Errorf("%T value %v is not a valid %s", v, v, t)
}

// convert maps a canonical value of one column type onto another, for a
// restore whose target column is declared differently (JSON kept as TEXT
// on SQLite and JSONB on PostgreSQL; booleans as INTEGER on SQLite).
func convert(v any, from, to ColumnType) (any, error) {
	if v == nil || from == to {
		return v, nil
	}
	switch {
	case from == TypeText && to == TypeJSON:
		return canonicalJSON(v.(string))
	case to == TypeText && (from == TypeJSON || from == TypeDecimal || from == TypeDate):
		return v, nil
	case from == TypeText && (to == TypeDecimal || to == TypeDate):
		return fromArchive(v, to)
	case from == TypeBoolean && to == TypeInteger:
		if v.(bool) {
			return int64(1), nil
		}
		return int64(0), nil
	case from == TypeInteger && to == TypeBoolean:
		return v.(int64) != 0, nil
	case from == TypeInteger && to == TypeReal:
		return float64(v.(int64)), nil
	case from == TypeInteger && to == TypeDecimal:
		return strconv.FormatInt(v.(int64), 10), nil
	case from == TypeReal && to == TypeDecimal:
		return strconv.FormatFloat(v.(float64), 'f', -1, 64), nil
	case from == TypeReal && to == TypeInteger:
		f := v.(float64)
		if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return nil, fmt.Errorf("real %v does not fit an integer column", f)
		}
		return int64(f), nil
	}
	return nil, fmt.Errorf("a %s value cannot be restored into a %s column", from, to)
}

// toDB turns a canonical value into an argument for INSERT.
func toDB(v any, t ColumnType) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t {
	case TypeTimestamp:
		return time.Parse(time.RFC3339Nano, v.(string))
	case TypeBytes:
		return base64.StdEncoding.DecodeString(v.(string))
	}
	return v, nil
}

func toString(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v.(string)
}

func canonicalDate(s string) (string, error) {
	if len(s) < len(time.DateOnly) {
		return "", fmt.Errorf("invalid date %q", s)
	}
	d, err := time.Parse(time.DateOnly, s[:len(time.DateOnly)])
	if err != nil {
		return "", err
	}
	return d.Format(time.DateOnly), nil
}

// canonicalJSON re-encodes a JSON document compactly with object keys
// sorted and numbers kept digit for digit: the same document stored as
// TEXT on SQLite and as JSONB on PostgreSQL (which reorders keys and adds
// spaces) comes out identical.
func canonicalJSON(s string) (string, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("invalid JSON value: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", errors.New("invalid JSON value: trailing data")
	}
	b, err := encodeJSON(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// encodeJSON is json.Marshal without HTML escaping and without the
// trailing newline: the one encoding used for rows and their checksums.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// digest is the checksum of a table: the sum modulo 2^256 of the SHA-256
// of every row's canonical encoding. Being a sum, it does not depend on
// the order rows come back in, which can differ between engines (text
// collation, NULL placement), so the same rows give the same digest on
// SQLite and PostgreSQL; any changed, lost or extra row changes it.
type digest struct {
	sum  [sha256.Size]byte
	rows int64
}

func (d *digest) add(row []byte) {
	h := sha256.Sum256(row)
	var carry uint16
	for i := len(d.sum) - 1; i >= 0; i-- {
		s := uint16(d.sum[i]) + uint16(h[i]) + carry
		d.sum[i], carry = byte(s), s>>8
	}
	d.rows++
}

func (d *digest) hex() string { return hex.EncodeToString(d.sum[:]) }
