package smtpfake

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"time"
)

// readData reads DATA up to the lone "." line, removing one leading dot from
// stuffed lines (RFC 5321 §4.5.2) but keeping line endings as sent, so tests
// can see bare LFs a client should never send.
func (s *session) readData() (data []byte, tooBig bool, err error) {
	limit := s.srv.opts.MaxMessageBytes
	var buf bytes.Buffer
	lineStart := true
	for {
		line, err := s.r.ReadSlice('\n')
		partial := err == bufio.ErrBufferFull // a very long line: more follows
		if err != nil && !partial {
			return nil, false, err
		}
		if lineStart {
			if string(line) == ".\r\n" || string(line) == ".\n" {
				break
			}
			if line[0] == '.' {
				line = line[1:]
			}
		}
		lineStart = !partial
		if limit > 0 && buf.Len()+len(line) > limit {
			tooBig = true
			continue
		}
		buf.Write(line)
	}
	return buf.Bytes(), tooBig, nil
}

func (s *session) readLine() (string, error) {
	var b []byte
	for {
		chunk, isPrefix, err := s.r.ReadLine()
		if err != nil {
			return "", err
		}
		b = append(b, chunk...)
		if len(b) > maxLine {
			s.reply("500 5.5.6 Line too long")
			return "", errClose
		}
		if !isPrefix {
			return string(b), nil
		}
	}
}

// reply sends one (possibly multi-line) reply after the configured delay.
func (s *session) reply(text string) error {
	if d := s.srv.opts.ReplyDelay; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-s.srv.done:
			t.Stop()
			return errClose
		}
	}
	if _, err := fmt.Fprintf(s.w, "%s\r\n", text); err != nil {
		return err
	}
	return s.w.Flush()
}

// parsePath parses "FROM:<addr> PARAMS" (or "TO:"); the null path <> is
// allowed and returns "".
func parsePath(arg, prefix string) (addr, params string, ok bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", "", false
	}
	rest := strings.TrimLeft(arg[len(prefix):], " ")
	if !strings.HasPrefix(rest, "<") {
		return "", "", false
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", "", false
	}
	return rest[1:end], strings.TrimSpace(rest[end+1:]), true
}
