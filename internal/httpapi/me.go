package httpapi

import (
	"net/http"
	"time"

	"pathavana/internal/model"
	"pathavana/internal/service"
)

type userResponse struct {
	ID            string    `json:"id"`
	Email         string    `json:"email"`
	EmailVerified bool      `json:"email_verified"`
	Role          string    `json:"role"`
	HasPassword   bool      `json:"has_password"`
	CreatedAt     time.Time `json:"created_at"`
}

type preferencesResponse struct {
	Cabin          string   `json:"cabin"`
	Seat           string   `json:"seat"`
	PreferAirlines []string `json:"prefer_airlines"`
	AvoidAirlines  []string `json:"avoid_airlines"`
	StayType       string   `json:"stay_type"`
	Dietary        []string `json:"dietary"`
	Interests      []string `json:"interests"`
	Pace           string   `json:"pace"`
}

type profileResponse struct {
	DisplayName string              `json:"display_name"`
	HomeAirport string              `json:"home_airport"`
	HomeCity    string              `json:"home_city"`
	Currency    string              `json:"currency"`
	Language    string              `json:"language"`
	Preferences preferencesResponse `json:"preferences"`
	UpdatedAt   time.Time           `json:"updated_at"`
}

type meResponse struct {
	userResponse
	Profile profileResponse `json:"profile"`
}

func toUserResponse(u model.User) userResponse {
	return userResponse{ID: u.ID, Email: u.Email, EmailVerified: u.EmailVerifiedAt != nil,
		Role: string(u.Role), HasPassword: u.PasswordHash != "", CreatedAt: u.CreatedAt}
}

// nonNil keeps empty lists as [] in JSON so clients need no null checks.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func toProfileResponse(p model.Profile) profileResponse {
	pr := p.Preferences
	return profileResponse{DisplayName: p.DisplayName, HomeAirport: p.HomeAirport, HomeCity: p.HomeCity,
		Currency: p.Currency, Language: p.Language, UpdatedAt: p.UpdatedAt,
		Preferences: preferencesResponse{Cabin: pr.Cabin, Seat: pr.Seat, StayType: pr.StayType, Pace: pr.Pace,
			PreferAirlines: nonNil(pr.PreferAirlines), AvoidAirlines: nonNil(pr.AvoidAirlines),
			Dietary: nonNil(pr.Dietary), Interests: nonNil(pr.Interests)}}
}

func (s *Server) handleMeGet(w http.ResponseWriter, r *http.Request) {
	u, p, err := s.svc.Me(r.Context(), principal(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, meResponse{userResponse: toUserResponse(u), Profile: toProfileResponse(p)})
}

func (s *Server) handleProfileUpdate(w http.ResponseWriter, r *http.Request) {
	var patch service.ProfilePatch
	if err := decodeJSON(r, &patch); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.svc.UpdateProfile(r.Context(), principal(r), patch)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toProfileResponse(p))
}

type adminUserResponse struct {
	userResponse
	FailedLogins int        `json:"failed_logins"`
	LockedUntil  *time.Time `json:"locked_until"`
}

func (s *Server) handleAdminUserGet(w http.ResponseWriter, r *http.Request) {
	u, err := s.svc.AdminGetUser(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, adminUserResponse{userResponse: toUserResponse(u), FailedLogins: u.FailedLogins, LockedUntil: u.LockedUntil})
}

type sessionInfo struct {
	ID         string    `json:"id"`
	Device     string    `json:"device"`
	Current    bool      `json:"current"`
	StartedAt  time.Time `json:"started_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

type sessionList struct {
	Sessions []sessionInfo `json:"sessions"`
}

func (s *Server) handleSessionList(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	sessions, err := s.svc.Sessions(r.Context(), p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := sessionList{Sessions: make([]sessionInfo, 0, len(sessions))}
	for _, ss := range sessions {
		out.Sessions = append(out.Sessions, sessionInfo{ID: ss.ID, Device: ss.UserAgent, Current: ss.ID == p.SessionID,
			StartedAt: ss.StartedAt, LastUsedAt: ss.LastUsedAt, ExpiresAt: ss.ExpiresAt})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleSessionDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.EndSession(r.Context(), principal(r), r.PathValue("id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
