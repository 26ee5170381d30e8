package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/service"
)

// travelerResponse is the wire form of a traveler. It is built only from
// what the service returns, which is masked unless revealed; "masked" says
// which it is.
type travelerResponse struct {
	ID                  string                  `json:"id"`
	Label               string                  `json:"label"`
	GivenNames          string                  `json:"given_names"`
	FamilyName          string                  `json:"family_name"`
	DateOfBirth         string                  `json:"date_of_birth"`
	Gender              string                  `json:"gender"`
	Nationality         string                  `json:"nationality"`
	PassportNumber      string                  `json:"passport_number"`
	PassportCountry     string                  `json:"passport_country"`
	PassportExpiry      string                  `json:"passport_expiry"`
	KnownTravelerNumber string                  `json:"known_traveler_number"`
	LoyaltyNumbers      []model.LoyaltyNumber   `json:"loyalty_numbers"`
	DietaryNeeds        string                  `json:"dietary_needs"`
	AccessibilityNeeds  string                  `json:"accessibility_needs"`
	EmergencyContact    *model.EmergencyContact `json:"emergency_contact"`
	Masked              bool                    `json:"masked"`
	Warnings            []string                `json:"warnings"`
	Version             int                     `json:"version"`
	CreatedAt           time.Time               `json:"created_at"`
	UpdatedAt           time.Time               `json:"updated_at"`
}

func (s *Server) toTravelerResponse(t model.Traveler) travelerResponse {
	loyalty := t.LoyaltyNumbers
	if loyalty == nil {
		loyalty = []model.LoyaltyNumber{}
	}
	return travelerResponse{ID: t.ID, Label: t.Label, GivenNames: t.GivenNames, FamilyName: t.FamilyName,
		DateOfBirth: t.DateOfBirth, Gender: t.Gender, Nationality: t.Nationality, PassportNumber: t.PassportNumber,
		PassportCountry: t.PassportCountry, PassportExpiry: t.PassportExpiry, KnownTravelerNumber: t.KnownTravelerNumber,
		LoyaltyNumbers: loyalty, DietaryNeeds: t.DietaryNeeds, AccessibilityNeeds: t.AccessibilityNeeds,
		EmergencyContact: t.EmergencyContact, Masked: t.Masked, Warnings: nonNil(s.svc.TravelerWarnings(t)),
		Version: t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

// writeTraveler answers with one traveler, its ETag, and no-store: personal
// data must not linger in shared or browser caches.
func (s *Server) writeTraveler(w http.ResponseWriter, status int, t model.Traveler) {
	w.Header().Set("ETag", travelerETag(t.Version))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, s.toTravelerResponse(t))
}

func travelerETag(version int) string { return `"v` + strconv.Itoa(version) + `"` }

// ifMatchVersion reads an optional If-Match of the form "v<version>" (weak
// or strong); 0 means none was sent.
func ifMatchVersion(r *http.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	tag := strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	n, err := strconv.Atoi(strings.TrimPrefix(tag, "v"))
	if !strings.HasPrefix(tag, "v") || err != nil || n < 1 {
		return 0, apperr.New(apperr.Precondition, `If-Match must be the ETag of the traveler, like "v3"`)
	}
	return n, nil
}

func (s *Server) handleTravelerList(w http.ResponseWriter, r *http.Request) {
	q := newQueryReader(r)
	cursor, limit := q.str("cursor"), q.int("limit", 50)
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	list, next, err := s.svc.ListTravelers(r.Context(), principal(r), cursor, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]travelerResponse, 0, len(list))
	for _, t := range list {
		out = append(out, s.toTravelerResponse(t))
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, struct {
		Travelers  []travelerResponse `json:"travelers"`
		NextCursor string             `json:"next_cursor,omitempty"`
	}{out, next})
}

func (s *Server) handleTravelerCreate(w http.ResponseWriter, r *http.Request) {
	var in service.TravelerPatch
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	t, err := s.svc.CreateTraveler(r.Context(), principal(r), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/travelers/"+t.ID)
	s.writeTraveler(w, http.StatusCreated, t)
}

func (s *Server) handleTravelerGet(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.GetTraveler(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeTraveler(w, http.StatusOK, t)
}

func (s *Server) handleTravelerUpdate(w http.ResponseWriter, r *http.Request) {
	version, err := ifMatchVersion(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var patch service.TravelerPatch
	if err := decodeJSON(r, &patch); err != nil {
		s.writeError(w, r, err)
		return
	}
	t, err := s.svc.UpdateTraveler(r.Context(), principal(r), r.PathValue("id"), version, patch)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeTraveler(w, http.StatusOK, t)
}

func (s *Server) handleTravelerDelete(w http.ResponseWriter, r *http.Request) {
	version, err := ifMatchVersion(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.svc.DeleteTraveler(r.Context(), principal(r), r.PathValue("id"), version); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleTravelerReveal is a POST, not a GET: revealing is an audited act,
// and POST responses are not cached or prefetched.
func (s *Server) handleTravelerReveal(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.RevealTraveler(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeTraveler(w, http.StatusOK, t)
}
