package openflights

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"pathavana/internal/catalog"
)

// maxLineBytes bounds one .dat line; the longest real one is about 200
// bytes, so anything near this is not an OpenFlights file.
const maxLineBytes = 64 << 10

// maxProblems caps the structural errors collected, like catalog.Parse: a
// wholly wrong file should not produce a million messages.
const maxProblems = 1000

// problems collects structural errors across the files of one conversion.
type problems []catalog.LineError

func (ps *problems) add(file string, line int, format string, args ...any) {
	if len(*ps) < maxProblems {
		*ps = append(*ps, catalog.LineError{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
	}
}

// readRecords calls fn with the fields of every non-blank line of r. A line
// that is not valid UTF-8, is badly quoted or has another number of fields
// than want is recorded in ps instead; reading goes on so that one run
// reports every broken line. fn's fields are only valid during the call.
func readRecords(name string, r io.Reader, want int, ps *problems, fn func(line int, fields []string)) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLineBytes)
	fields := make([]string, 0, want)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimRight(sc.Bytes(), "\r") // routes.dat has CRLF line ends
		if line == 1 {
			raw = bytes.TrimPrefix(raw, []byte("\uFEFF"))
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		if !utf8.Valid(raw) {
			ps.add(name, line, "not UTF-8 text")
			continue
		}
		var err error
		fields, err = splitRecord(fields[:0], string(raw))
		switch {
		case err != nil:
			ps.add(name, line, "%v", err)
		case len(fields) != want:
			ps.add(name, line, "%d fields, want %d", len(fields), want)
		default:
			fn(line, fields)
		}
	}
	switch err := sc.Err(); {
	case errors.Is(err, bufio.ErrTooLong):
		ps.add(name, line+1, "line longer than %d bytes; reading stopped", maxLineBytes)
	case err != nil:
		ps.add(name, line+1, "read: %v", err)
	}
}

// splitRecord splits one CSV line in the OpenFlights dialect: fields
// separated by commas, optionally in double quotes with "" for a quote; an
// unquoted \N is null and becomes "". A quote inside an unquoted field, text
// after a closing quote or an unterminated quote is an error (the real files
// have none, so such a line is a sign of a damaged file).
func splitRecord(dst []string, line string) ([]string, error) {
	for pos := 0; ; {
		var field string
		if pos < len(line) && line[pos] == '"' {
			var b strings.Builder
			i := pos + 1
			for {
				j := strings.IndexByte(line[i:], '"')
				if j < 0 {
					return dst, fmt.Errorf("field %d: unterminated quoted field", len(dst)+1)
				}
				b.WriteString(line[i : i+j])
				i += j + 1
				if i < len(line) && line[i] == '"' { // "" is an escaped quote
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			if i < len(line) && line[i] != ',' {
				return dst, fmt.Errorf("field %d: text after the closing quote", len(dst)+1)
			}
			field, pos = b.String(), i
		} else {
			end := strings.IndexByte(line[pos:], ',')
			if end < 0 {
				end = len(line) - pos
			}
			field = line[pos : pos+end]
			if strings.IndexByte(field, '"') >= 0 {
				return dst, fmt.Errorf("field %d: quote inside an unquoted field", len(dst)+1)
			}
			if field == `\N` {
				field = ""
			}
			pos += end
		}
		dst = append(dst, field)
		if pos >= len(line) {
			return dst, nil
		}
		pos++ // the comma
	}
}
