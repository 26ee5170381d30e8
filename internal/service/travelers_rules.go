package service

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/secure"
)

// Genders as passports record them (F, M, X).
var Genders = []string{"female", "male", "unspecified"}

var (
	reTravelerName = regexp.MustCompile(`^[\p{L}\p{M}][\p{L}\p{M} '’.\-]*$`)
	rePassportNo   = regexp.MustCompile(`^[A-Z0-9]{5,20}$`)
	reKTN          = regexp.MustCompile(`^[A-Z0-9]{5,25}$`)
	reLoyaltyNo    = regexp.MustCompile(`^[A-Z0-9]{2,30}$`)
	rePhone        = regexp.MustCompile(`^\+?[0-9][0-9 ().\-]{4,24}$`)
)

const dateLayout = "2006-01-02"

// applyTravelerPatch validates the present fields of in, normalises them
// into t and checks the result as a whole, reporting every problem at once.
func (s *Service) applyTravelerPatch(t *model.Traveler, in TravelerPatch) error {
	v := validator{}
	today := s.now().Truncate(24 * time.Hour)
	v.text("label", in.Label, 60, &t.Label)
	v.personName("given_names", in.GivenNames, &t.GivenNames)
	v.personName("family_name", in.FamilyName, &t.FamilyName)
	if in.DateOfBirth != nil {
		d, ok := v.date("date_of_birth", *in.DateOfBirth)
		switch {
		case !ok:
		case d.IsZero():
			t.DateOfBirth = ""
		case !d.Before(today):
			v.fail("date_of_birth", "must be in the past")
		case d.Before(today.AddDate(-130, 0, 0)):
			v.fail("date_of_birth", "must be within the last 130 years")
		default:
			t.DateOfBirth = d.Format(dateLayout)
		}
	}
	v.oneOf("gender", in.Gender, Genders, &t.Gender)
	v.country("nationality", in.Nationality, &t.Nationality)
	v.country("passport_country", in.PassportCountry, &t.PassportCountry)
	v.docNumber("passport_number", in.PassportNumber, rePassportNo, "5 to 20 letters and digits", &t.PassportNumber)
	v.docNumber("known_traveler_number", in.KnownTravelerNumber, reKTN, "5 to 25 letters and digits", &t.KnownTravelerNumber)
	if in.PassportExpiry != nil {
		d, ok := v.date("passport_expiry", *in.PassportExpiry)
		switch {
		case !ok:
		case d.IsZero():
			t.PassportExpiry = ""
		case d.Before(today.AddDate(-30, 0, 0)) || d.After(today.AddDate(30, 0, 0)):
			v.fail("passport_expiry", "must be a passport's expiry date, within 30 years of today")
		default:
			t.PassportExpiry = d.Format(dateLayout)
		}
	}
	v.longText("dietary_needs", in.DietaryNeeds, &t.DietaryNeeds)
	v.longText("accessibility_needs", in.AccessibilityNeeds, &t.AccessibilityNeeds)
	if in.LoyaltyNumbers != nil {
		v.loyalty(*in.LoyaltyNumbers, &t.LoyaltyNumbers)
	}
	if c := in.EmergencyContact; c != nil {
		v.emergency(*c, &t.EmergencyContact)
	}
	if len(v.errs) == 0 {
		if t.GivenNames == "" {
			v.fail("given_names", "is required: the given names as printed on the passport")
		}
		if t.FamilyName == "" {
			v.fail("family_name", "is required: the family name as printed on the passport")
		}
		if t.PassportNumber != "" && t.PassportCountry == "" {
			v.fail("passport_country", "is required with a passport number")
		}
		if t.PassportNumber != "" && t.PassportExpiry == "" {
			v.fail("passport_expiry", "is required with a passport number")
		}
	}
	if len(v.errs) > 0 {
		return apperr.Validation(v.errs...)
	}
	return nil
}

func (v *validator) personName(field string, in *string, dst *string) {
	if in == nil {
		return
	}
	n := strings.Join(strings.Fields(*in), " ")
	if n != "" && (utf8.RuneCountInString(n) > 100 || !reTravelerName.MatchString(n)) {
		v.fail(field, "must be a name of at most 100 letters, spaces, hyphens, apostrophes and dots")
		return
	}
	*dst = n
}

// date parses YYYY-MM-DD; "" is the zero time (clear the field).
func (v *validator) date(field, in string) (time.Time, bool) {
	in = strings.TrimSpace(in)
	if in == "" {
		return time.Time{}, true
	}
	d, err := time.Parse(dateLayout, in)
	if err != nil {
		v.fail(field, "must be a date like 1985-04-23")
		return time.Time{}, false
	}
	return d, true
}

func (v *validator) country(field string, in *string, dst *string) {
	if in == nil {
		return
	}
	c := strings.ToUpper(strings.TrimSpace(*in))
	if c != "" && !isCountry(c) {
		v.fail(field, "must be an ISO 3166-1 alpha-2 country code like PT or US")
		return
	}
	*dst = c
}

func (v *validator) docNumber(field string, in *string, re *regexp.Regexp, want string, dst *string) {
	if in == nil {
		return
	}
	n := secure.NormalizeDocumentNumber(*in)
	if n != "" && !re.MatchString(n) {
		v.fail(field, "must be "+want+" (spaces and dashes are ignored)")
		return
	}
	*dst = n
}

func (v *validator) longText(field string, in *string, dst *string) {
	if in == nil {
		return
	}
	t := strings.TrimSpace(*in)
	if utf8.RuneCountInString(t) > 500 || strings.ContainsRune(t, 0) {
		v.fail(field, "must be at most 500 characters")
		return
	}
	*dst = t
}

func (v *validator) loyalty(in []model.LoyaltyNumber, dst *[]model.LoyaltyNumber) {
	if len(in) > 20 {
		v.fail("loyalty_numbers", "may hold at most 20 memberships")
		return
	}
	out := make([]model.LoyaltyNumber, 0, len(in))
	for i, l := range in {
		field := fmt.Sprintf("loyalty_numbers[%d]", i)
		prog, num := strings.TrimSpace(l.Program), secure.NormalizeDocumentNumber(l.Number)
		if prog == "" || utf8.RuneCountInString(prog) > 60 || strings.ContainsAny(prog, "\x00\r\n") {
			v.fail(field+".program", "must name the programme in at most 60 characters")
			continue
		}
		if !reLoyaltyNo.MatchString(num) {
			v.fail(field+".number", "must be 2 to 30 letters and digits")
			continue
		}
		out = append(out, model.LoyaltyNumber{Program: prog, Number: num})
	}
	*dst = out
}

func (v *validator) emergency(c model.EmergencyContact, dst **model.EmergencyContact) {
	c.Name, c.Phone, c.Relation = strings.Join(strings.Fields(c.Name), " "), strings.TrimSpace(c.Phone), strings.TrimSpace(c.Relation)
	if c == (model.EmergencyContact{}) {
		*dst = nil
		return
	}
	ok := true
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 100 || strings.ContainsRune(c.Name, 0) {
		v.fail("emergency_contact.name", "is required, at most 100 characters")
		ok = false
	}
	if !rePhone.MatchString(c.Phone) {
		v.fail("emergency_contact.phone", "must be a phone number like +351 912 345 678")
		ok = false
	}
	if utf8.RuneCountInString(c.Relation) > 40 || strings.ContainsAny(c.Relation, "\x00\r\n") {
		v.fail("emergency_contact.relation", "must be at most 40 characters")
		ok = false
	}
	if ok {
		*dst = &c
	}
}

const maskDots = "•••••"

// maskTail hides all but the last few characters behind a fixed-width
// mask (so the length is not shown either); short values show less.
func maskTail(s string, keep int) string {
	if s == "" {
		return ""
	}
	r := []rune(s)
	switch {
	case len(r) >= 2*keep:
	case len(r) >= 4:
		keep = 2
	default:
		keep = 0
	}
	return maskDots + string(r[len(r)-keep:])
}

// MaskTraveler replaces what could identify or impersonate someone with
// masks: passport and known-traveler numbers show their last characters
// (•••••1234), the date of birth its year only, loyalty numbers and the
// emergency phone their ends. Names, nationality, expiry and needs stay:
// the owner needs them to recognise and check a profile.
func MaskTraveler(t model.Traveler) model.Traveler {
	t.PassportNumber = maskTail(t.PassportNumber, 4)
	t.KnownTravelerNumber = maskTail(t.KnownTravelerNumber, 2)
	if len(t.DateOfBirth) == len(dateLayout) {
		t.DateOfBirth = t.DateOfBirth[:4] + "-••-••"
	}
	if len(t.LoyaltyNumbers) > 0 {
		ls := make([]model.LoyaltyNumber, len(t.LoyaltyNumbers))
		for i, l := range t.LoyaltyNumbers {
			ls[i] = model.LoyaltyNumber{Program: l.Program, Number: maskTail(l.Number, 3)}
		}
		t.LoyaltyNumbers = ls
	}
	if c := t.EmergencyContact; c != nil {
		t.EmergencyContact = &model.EmergencyContact{Name: c.Name, Relation: c.Relation, Phone: maskTail(c.Phone, 2)}
	}
	t.Masked = true
	return t
}

// PassportWarnings reports passport problems for a trip ending on
// travelEnd: expired or expiring before the trip ends, or within six months
// after it (many countries refuse entry then). Warnings, not errors: the
// traveler may renew in time, or travel where the rule does not apply.
func PassportWarnings(t model.Traveler, travelEnd time.Time) []string {
	if t.PassportExpiry == "" {
		return nil
	}
	exp, err := time.Parse(dateLayout, t.PassportExpiry)
	if err != nil {
		return nil
	}
	end := time.Date(travelEnd.Year(), travelEnd.Month(), travelEnd.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case exp.Before(end):
		return []string{fmt.Sprintf("the passport expires on %s, before the trip ends on %s", t.PassportExpiry, end.Format(dateLayout))}
	case exp.Before(end.AddDate(0, 6, 0)):
		return []string{fmt.Sprintf("the passport expires on %s, less than 6 months after the trip ends on %s; many countries require 6 months of validity",
			t.PassportExpiry, end.Format(dateLayout))}
	}
	return nil
}

// TravelerWarnings is what a traveler's profile should tell its owner
// today: an expired passport, or one expiring within six months.
func (s *Service) TravelerWarnings(t model.Traveler) []string {
	if t.PassportExpiry == "" {
		return nil
	}
	exp, err := time.Parse(dateLayout, t.PassportExpiry)
	if err != nil {
		return nil
	}
	today := s.now().Truncate(24 * time.Hour)
	switch {
	case exp.Before(today):
		return []string{"the passport expired on " + t.PassportExpiry}
	case exp.Before(today.AddDate(0, 6, 0)):
		return []string{"the passport expires on " + t.PassportExpiry + ", within 6 months"}
	}
	return nil
}
