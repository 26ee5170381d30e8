package httpapi

import (
	"encoding/json"
	"net/http"
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
	expires time.Time
}

const (
	memoEntries = 1_000
	memoTTL     = time.Minute
)

func newResponseMemo() *responseMemo { return &responseMemo{entries: map[string]memoBody{}} }

// writeResult answers 200 with the JSON of build(), encoded once per key.
func (s *Server) writeResult(w http.ResponseWriter, r *http.Request, key string, build func() any) {
	m := s.memo
	if key != "" {
		m.mu.Lock()
		e, ok := m.entries[key]
		m.mu.Unlock()
		if ok && time.Now().Before(e.expires) {
			writeRawJSON(w, e.body)
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
		m.mu.Lock()
		if len(m.entries) >= memoEntries {
			clear(m.entries)
		}
		m.entries[key] = memoBody{body: body, expires: time.Now().Add(memoTTL)}
		m.mu.Unlock()
	}
	writeRawJSON(w, body)
}

func writeRawJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
