package openflights

import (
	"strings"
	"testing"
)

// FuzzReadRecords: any input, no panic; every problem names the file and a
// line that exists; good lines have the wanted number of fields.
func FuzzReadRecords(f *testing.F) {
	for _, s := range []string{
		"1,\"Goroka Airport\",\"Goroka\",\"Papua New Guinea\",\"GKA\",\"AYGA\",-6.08,145.39,5282,10,\"U\",\"Pacific/Port_Moresby\",\"airport\",\"OurAirports\"\n",
		"2B,410,AER,2965,KZN,2990,,0,CR2\r\nTP,1,LIS,1,OPO\r\n",
		"\"a\"\"b\",\\N,\"c,d\"\n\"open\n",
		"\xef\xbb\xbfx,y,z\n\xff,\"\",\n",
	} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, in string, want int) {
		want = 1 + (want&0xff)%16
		lines := strings.Count(in, "\n") + 1
		var ps problems
		readRecords("x.dat", strings.NewReader(in), want, &ps, func(line int, fields []string) {
			if len(fields) != want || line < 1 || line > lines {
				t.Fatalf("line %d: %d fields, want %d", line, len(fields), want)
			}
		})
		for _, p := range ps {
			if p.File != "x.dat" || p.Line < 1 || p.Line > lines+1 || p.Message == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
	})
}

// FuzzSplitRecord: splitting never panics, and quoting the fields again
// gives a line that splits back to the same fields.
func FuzzSplitRecord(f *testing.F) {
	for _, s := range []string{`1,"a, b","say ""hi""",\N`, `"x`, `a"b`, `,,`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		fields, err := splitRecord(nil, line)
		if err != nil || strings.ContainsAny(line, "\n") {
			return
		}
		quoted := make([]string, len(fields))
		for i, s := range fields {
			quoted[i] = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		again, err := splitRecord(nil, strings.Join(quoted, ","))
		if err != nil || strings.Join(again, "\x00") != strings.Join(fields, "\x00") {
			t.Fatalf("%q → %q → %q (%v)", line, fields, again, err)
		}
	})
}
