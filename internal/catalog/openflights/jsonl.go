package openflights

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"pathavana/internal/catalog"
)

// WriteJSONL writes d in the catalog's JSON Lines format, one
// {"type":KIND,...} object a line, kinds in the order of catalog.Data's
// fields and entries in the order of its slices, so the same data always
// gives the same bytes (encoding/json sorts map keys). catalog.Parse reads
// it back.
func WriteJSONL(w io.Writer, d *catalog.Data) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	e := &encoder{w: bw}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false) // names like "A&M" stay readable
	writeKind(e, "country", d.Countries)
	writeKind(e, "region", d.Regions)
	writeKind(e, "city", d.Cities)
	writeKind(e, "airport", d.Airports)
	writeKind(e, "airline", d.Airlines)
	writeKind(e, "flight", d.Flights)
	writeKind(e, "stay", d.Stays)
	writeKind(e, "restaurant", d.Restaurants)
	writeKind(e, "attraction", d.Attractions)
	writeKind(e, "ground", d.Ground)
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
}

type encoder struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

// writeKind writes each entry as its JSON object with the "type" member
// spliced in first.
func writeKind[T any](e *encoder, kind string, entries []T) {
	for i := range entries {
		if e.err != nil {
			return
		}
		e.buf.Reset()
		if err := e.enc.Encode(&entries[i]); err != nil {
			e.err = fmt.Errorf("openflights: %s %d: %w", kind, i, err)
			return
		}
		obj := e.buf.Bytes() // "{...}\n"
		e.w.WriteString(`{"type":"` + kind + `"`)
		if len(obj) > 3 { // more than "{}\n"
			e.w.WriteByte(',')
		}
		_, e.err = e.w.Write(obj[1:])
	}
}
