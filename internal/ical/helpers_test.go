package ical

import (
	"bufio"
	"io"
	"unicode/utf8"
)

func bufioWriter(w io.Writer) *bufio.Writer { return bufio.NewWriter(w) }

func utf8Valid(s string) bool { return utf8.ValidString(s) }
