package service

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

// ProfilePatch changes the fields that are present (non-nil); JSON
// null or absence leaves a field as it is.
type ProfilePatch struct {
	DisplayName *string           `json:"display_name"`
	HomeAirport *string           `json:"home_airport"`
	HomeCity    *string           `json:"home_city"`
	Currency    *string           `json:"currency"`
	Language    *string           `json:"language"`
	Preferences *PreferencesPatch `json:"preferences"`
}

// PreferencesPatch changes travel preferences field by field.
type PreferencesPatch struct {
	Cabin          *string   `json:"cabin"`
	Seat           *string   `json:"seat"`
	PreferAirlines *[]string `json:"prefer_airlines"`
	AvoidAirlines  *[]string `json:"avoid_airlines"`
	StayType       *string   `json:"stay_type"`
	Dietary        *[]string `json:"dietary"`
	Interests      *[]string `json:"interests"`
	Pace           *string   `json:"pace"`
}

// Allowed values, shared with the API contract.
var (
	Cabins    = []string{"economy", "premium_economy", "business", "first"}
	Seats     = []string{"window", "aisle", "any"}
	StayTypes = []string{"hotel_room", "entire_home", "private_room", "shared_room"}
	Paces     = []string{"relaxed", "moderate", "packed"}
)

var (
	reIATA     = regexp.MustCompile(`^[A-Z]{3}$`)
	reCurrency = regexp.MustCompile(`^[A-Z]{3}$`)
	reAirline  = regexp.MustCompile(`^[A-Z0-9]{2}$`)
	reLanguage = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
)

// Me returns the caller's account and profile.
func (s *Service) Me(ctx context.Context, p Principal) (model.User, model.Profile, error) {
	if u, prof, ok := s.views.get(p.UserID); ok {
		return u, prof, nil
	}
	gen := s.views.gen.Load()
	u, prof, err := s.Store.GetUserWithProfile(ctx, p.UserID)
	if err != nil {
		return u, prof, err
	}
	s.views.put(p.UserID, gen, u, prof)
	return u, prof, nil
}

// UpdateProfile applies a patch to the caller's profile after validating
// every field, reporting all problems at once.
func (s *Service) UpdateProfile(ctx context.Context, p Principal, patch ProfilePatch) (model.Profile, error) {
	prof, err := s.Store.GetProfile(ctx, p.UserID)
	if err != nil {
		return model.Profile{}, err
	}
	v := validator{}
	v.text("display_name", patch.DisplayName, 100, &prof.DisplayName)
	v.text("home_city", patch.HomeCity, 100, &prof.HomeCity)
	v.code("home_airport", patch.HomeAirport, reIATA, "a 3-letter IATA airport code like BOS", &prof.HomeAirport)
	v.code("currency", patch.Currency, reCurrency, "a 3-letter ISO 4217 currency code like EUR", &prof.Currency)
	v.code("language", patch.Language, reLanguage, "a language tag like en or pt-BR", &prof.Language)
	if pp := patch.Preferences; pp != nil {
		pr := &prof.Preferences
		v.oneOf("preferences.cabin", pp.Cabin, Cabins, &pr.Cabin)
		v.oneOf("preferences.seat", pp.Seat, Seats, &pr.Seat)
		v.oneOf("preferences.stay_type", pp.StayType, StayTypes, &pr.StayType)
		v.oneOf("preferences.pace", pp.Pace, Paces, &pr.Pace)
		v.codes("preferences.prefer_airlines", pp.PreferAirlines, &pr.PreferAirlines)
		v.codes("preferences.avoid_airlines", pp.AvoidAirlines, &pr.AvoidAirlines)
		v.words("preferences.dietary", pp.Dietary, &pr.Dietary)
		v.words("preferences.interests", pp.Interests, &pr.Interests)
	}
	if len(v.errs) > 0 {
		return model.Profile{}, apperr.Validation(v.errs...)
	}
	prof.UpdatedAt = s.now()
	if err := s.Store.UpdateProfile(ctx, prof); err != nil {
		return model.Profile{}, err
	}
	s.forgetUser(ctx, p.UserID)
	return prof, nil
}

// validator applies present patch fields to their targets, collecting errors.
type validator struct{ errs []apperr.FieldError }

func (v *validator) fail(field, msg string) {
	v.errs = append(v.errs, apperr.FieldError{Field: field, Message: msg})
}

func (v *validator) text(field string, in *string, max int, dst *string) {
	if in == nil {
		return
	}
	t := strings.TrimSpace(*in)
	if utf8.RuneCountInString(t) > max || strings.ContainsAny(t, "\x00\r\n") {
		v.fail(field, "must be a single line of at most "+strconv.Itoa(max)+" characters")
		return
	}
	*dst = t
}

func (v *validator) code(field string, in *string, re *regexp.Regexp, want string, dst *string) {
	if in == nil {
		return
	}
	t := strings.TrimSpace(*in)
	if field != "language" {
		t = strings.ToUpper(t)
	}
	if t != "" && !re.MatchString(t) {
		v.fail(field, "must be "+want)
		return
	}
	*dst = t
}

func (v *validator) oneOf(field string, in *string, allowed []string, dst *string) {
	if in == nil {
		return
	}
	for _, a := range allowed {
		if *in == a || *in == "" {
			*dst = *in
			return
		}
	}
	v.fail(field, "must be one of "+strings.Join(allowed, ", "))
}

func (v *validator) codes(field string, in *[]string, dst *[]string) {
	if in == nil {
		return
	}
	out := make([]string, 0, len(*in))
	for _, c := range *in {
		c = strings.ToUpper(strings.TrimSpace(c))
		if !reAirline.MatchString(c) {
			v.fail(field, "must hold 2-character IATA airline codes like TP or BA")
			return
		}
		out = append(out, c)
	}
	if len(out) > 20 {
		v.fail(field, "may hold at most 20 airlines")
		return
	}
	*dst = out
}

func (v *validator) words(field string, in *[]string, dst *[]string) {
	if in == nil {
		return
	}
	out := make([]string, 0, len(*in))
	for _, w := range *in {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" || utf8.RuneCountInString(w) > 40 || strings.ContainsAny(w, "\x00\r\n") {
			v.fail(field, "must hold short single-line words of at most 40 characters")
			return
		}
		out = append(out, w)
	}
	if len(out) > 30 {
		v.fail(field, "may hold at most 30 entries")
		return
	}
	*dst = out
}
