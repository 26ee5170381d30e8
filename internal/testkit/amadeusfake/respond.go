package amadeusfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// contentType is what Amadeus APIs send: the bare vendor type, with no
// charset parameter (which breaks clients that compare the whole header).
const contentType = "application/vnd.amadeus+json"

// writeJSON sends a 2xx API answer, applying the Malformed and
// WrongContentType faults.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.mu.Lock()
	malformed, wrongType := take(&s.faults.Malformed), take(&s.faults.WrongContentType)
	s.mu.Unlock()
	ct := contentType
	if wrongType {
		ct, b = "text/html", []byte("<html><body>Gateway says hello</body></html>")
	}
	if malformed {
		b = b[:len(b)/2]
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	w.Write(b)
}

// apiError sends the errors[] shape. With Faults.StringErrors set (and
// always for 38191, as the gateway does) status and code are strings.
func (s *Server) apiError(w http.ResponseWriter, status, code int, title, detail, param string) {
	s.mu.Lock()
	asStrings := s.faults.StringErrors || code == 38191
	s.mu.Unlock()
	e := map[string]any{"status": status, "code": code, "title": title}
	if asStrings {
		e["status"], e["code"] = strconv.Itoa(status), strconv.Itoa(code)
	}
	if detail != "" {
		e["detail"] = detail
	}
	if param != "" {
		e["source"] = map[string]string{"parameter": param}
	}
	b, _ := json.Marshal(map[string]any{"errors": []any{e}})
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	w.Write(b)
}

// badRequest is apiError for 400s about one parameter.
func (s *Server) badRequest(w http.ResponseWriter, code int, title, detail, param string) {
	s.apiError(w, http.StatusBadRequest, code, title, detail, param)
}

// Amadeus 400 codes the fake uses.
const (
	codeInvalidDate   = 425
	codeInvalidFormat = 477
	codeInvalidData   = 4926
	codeMandatory     = 32171
	codePriceChanged  = 37200
)

func (s *Server) missing(w http.ResponseWriter, param string) {
	s.badRequest(w, codeMandatory, "MANDATORY DATA MISSING", "Missing mandatory query parameter", param)
}

func (s *Server) badFormat(w http.ResponseWriter, param, detail string) {
	s.badRequest(w, codeInvalidFormat, "INVALID FORMAT", detail, param)
}

// requireOverride enforces X-HTTP-Method-Override: GET on POSTs that are
// searches; the fake answers 400 without it (Amadeus' exact answer is not
// documented).
func (s *Server) requireOverride(w http.ResponseWriter, r *http.Request) bool {
	if !strings.EqualFold(r.Header.Get("X-HTTP-Method-Override"), http.MethodGet) {
		s.badRequest(w, codeInvalidData, "INVALID DATA RECEIVED", "X-HTTP-Method-Override: GET is required", "X-HTTP-Method-Override")
		return false
	}
	return true
}

// jsonBody reports whether the request carries a JSON content type.
func jsonBody(r *http.Request) bool {
	ct := strings.TrimSpace(strings.Split(r.Header.Get("Content-Type"), ";")[0])
	return ct == contentType || ct == "application/json"
}

// amount formats minor units with the currency's exponent, independently
// of package money so a bug there cannot hide behind a matching bug here.
func amount(minor int64, currency string) string {
	exp := 2
	switch currency {
	case "JPY":
		exp = 0
	case "KWD":
		exp = 3
	}
	if exp == 0 {
		return strconv.FormatInt(minor, 10)
	}
	div := int64(1)
	for range exp {
		div *= 10
	}
	return fmt.Sprintf("%d.%0*d", minor/div, exp, minor%div)
}
