package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// responseMemo keeps encoded JSON answers of searches by the service's
// result key: a cached search answer is the same bytes every time, and
// encoding twenty itineraries costs more than everything else in the
// request. Bounded and short-lived; the key changes with the catalog
// version and the day.
type responseMemo struct {
	mu      sync.Mutex
	entries map[string]memoBody
}

type memoBody struct {
	body    []byte
	stamp   string // the service's search stamp when the body was made
	expires time.Time
}

const (
	memoEntries = 1_000
	memoTTL     = time.Minute
)

func newResponseMemo() *responseMemo { return &responseMemo{entries: map[string]memoBody{}} }

func (m *responseMemo) get(key, stamp string) ([]byte, bool) {
	m.mu.Lock()
	e, ok := m.entries[key]
	m.mu.Unlock()
	return e.body, ok && e.stamp == stamp && time.Now().Before(e.expires)
}

func (m *responseMemo) put(key, stamp string, body []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.entries) >= memoEntries {
		clear(m.entries)
	}
	m.entries[key] = memoBody{body: body, stamp: stamp, expires: time.Now().Add(memoTTL)}
}

// requestKey names a GET search by its exact URL. The service's answer
// depends only on the query, the catalog and the day (its search stamp),
// so a repeated URL with the same stamp can skip parsing, place resolution
// and the result-key hash altogether.
func requestKey(r *http.Request) string {
	if r.Method != http.MethodGet {
		return ""
	}
	return "url:" + r.URL.Path + "?" + r.URL.RawQuery
}

// memoized answers a GET search from the memo when the same URL was
// answered from the search cache under the current stamp.
func (s *Server) memoized(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if body, ok := s.memo.get(requestKey(r), s.svc.SearchStamp()); ok {
			writeRawJSON(w, body)
			return
		}
		next(w, r)
	}
}

// writeResult answers 200 with the JSON of build(), encoded once per key
// (the service's result key; empty for answers that must not be reused,
// such as fallbacks).
func (s *Server) writeResult(w http.ResponseWriter, r *http.Request, key string, build func() any) {
	stamp := s.svc.SearchStamp()
	if key != "" {
		if body, ok := s.memo.get(key, stamp); ok {
			writeRawJSON(w, body)
			return
		}
	}
	body, err := json.Marshal(build())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	body = append(body, '\n')
	if key != "" {
		s.memo.put(key, stamp, body)
		if rk := requestKey(r); rk != "" {
			s.memo.put(rk, stamp, body)
		}
	}
	writeRawJSON(w, body)
}

func writeRawJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	// A known length spares the chunked encoding of large answers.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
