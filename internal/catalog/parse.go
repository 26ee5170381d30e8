package catalog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxLineBytes bounds one catalog line; a stay or flight is a few hundred
// bytes, so anything near this is a broken file.
const MaxLineBytes = 1 << 20

// LineError is one problem at a place in an input file.
type LineError struct {
	File    string
	Line    int
	Message string
}

func (e LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message) }

// ImportError lists every problem found; nothing was loaded.
type ImportError struct {
	Problems []LineError
}

// maxProblems caps the report: a wholly wrong file should not print a
// million lines.
const maxProblems = 1000

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s); nothing was loaded", len(e.Problems))
	for i, p := range e.Problems {
		if i == 50 {
			fmt.Fprintf(&b, "\n… and %d more", len(e.Problems)-i)
			break
		}
		b.WriteString("\n" + p.Error())
	}
	return b.String()
}

// Source is one named input.
type Source struct {
	Name   string
	Reader io.Reader
}

// pos remembers where an entry came from, for cross-reference errors.
type pos struct {
	file string
	line int
}

// parser accumulates entries and problems across files.
type parser struct {
	data     Data
	problems []LineError
	where    map[string]pos // kind+key → first definition
}

func (p *parser) fail(at pos, format string, args ...any) {
	if len(p.problems) < maxProblems {
		p.problems = append(p.problems, LineError{File: at.file, Line: at.line, Message: fmt.Sprintf(format, args...)})
	}
}

// Parse reads catalog files in JSON Lines format and validates every entry
// and every reference between entries, against base when layering (base may
// be nil). It returns all problems at once, or the data when there is none.
func Parse(base *Data, sources ...Source) (*Data, error) {
	return parse(true, base, sources)
}

// ParseStored reads a catalog that was validated when it was imported: each
// entry is checked again, references are not, since what they point at lives
// in the layers below, which the caller assembles itself.
func ParseStored(sources ...Source) (*Data, error) {
	return parse(false, nil, sources)
}

func parse(references bool, base *Data, sources []Source) (*Data, error) {
	p := &parser{where: map[string]pos{}}
	for _, s := range sources {
		p.read(s)
	}
	if references {
		p.checkReferences(base)
	}
	if len(p.problems) > 0 {
		return nil, &ImportError{Problems: p.problems}
	}
	return &p.data, nil
}

func (p *parser) read(s Source) {
	r := bufio.NewReaderSize(s.Reader, 64<<10)
	for line := 1; ; line++ {
		raw, err := readLine(r)
		at := pos{s.Name, line}
		if errors.Is(err, io.EOF) && len(raw) == 0 {
			return
		}
		if errors.Is(err, errLineTooLong) {
			p.fail(at, "line longer than %d bytes", MaxLineBytes)
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			p.fail(at, "read: %v", err)
			return
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) > 0 && raw[0] != '#' {
			p.entry(at, raw)
		}
		if errors.Is(err, io.EOF) {
			return
		}
	}
}

var errLineTooLong = errors.New("line too long")

// readLine returns one line without its newline, draining over-long lines.
func readLine(r *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineBytes {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			return nil, errLineTooLong
		}
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(buf, "\r\n"), err
	}
}

// entry decodes one line by its "type" and validates it on its own.
func (p *parser) entry(at pos, raw []byte) {
	typ, rest, err := splitType(raw)
	if err != nil {
		p.fail(at, "not a JSON object: %s", jsonProblem(err))
		return
	}
	kind, ok := kinds[typ]
	if !ok {
		p.fail(at, "unknown type %q; use one of %s", typ, kindNames())
		return
	}
	if err := kind.decode(p, at, rest); err != nil {
		p.fail(at, "%s: %s", typ, jsonProblem(err))
	}
}

// typePrefix is how lines written by programs begin (and the format doc's
// examples): {"type":"…", then the entry's own fields.
var typePrefix = []byte(`{"type":"`)

// splitType returns a line's "type" and the object without it. Lines that
// start with the type, which is what generated catalogs do, are split
// without decoding (decoding hundreds of thousands of lines more than once
// dominated loading a large import); anything else goes through a full
// decode.
func splitType(raw []byte) (string, []byte, error) {
	line := bytes.TrimLeft(raw, " \t")
	if rest, ok := bytes.CutPrefix(line, typePrefix); ok {
		if end := bytes.IndexByte(rest, '"'); end >= 0 && bytes.IndexByte(rest[:end], '\\') < 0 {
			typ, after := string(rest[:end]), bytes.TrimLeft(rest[end+1:], " \t")
			switch {
			case len(after) > 0 && after[0] == ',' && !bytes.HasPrefix(bytes.TrimLeft(after[1:], " \t"), []byte("}")):
				return typ, append([]byte{'{'}, after[1:]...), nil
			case len(after) > 0 && after[0] == '}':
				return typ, []byte("{}"), nil
			}
		}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return "", nil, err
	}
	var typ string
	if t, ok := fields["type"]; ok {
		if err := json.Unmarshal(t, &typ); err != nil {
			return "", nil, fmt.Errorf(`"type" must be a string`)
		}
	}
	delete(fields, "type")
	rest, err := json.Marshal(fields)
	return typ, rest, err
}

// strictDecode decodes an entry (without its "type") into a T, rejecting
// unknown fields and anything after the object.
func strictDecode[T any](raw []byte) (T, error) {
	var out T
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return out, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return out, errors.New("unexpected data after the object")
	}
	return out, nil
}

func jsonProblem(err error) string {
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q has the wrong type (%s)", typ.Field, typ.Value)
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
	default:
		return strings.TrimPrefix(err.Error(), "json: ")
	}
}
