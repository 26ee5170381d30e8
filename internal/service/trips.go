package service

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/money"
	"pathavana/internal/store"
)

// Trip limits: generous for real travel, small enough that one request
// cannot make an itinerary nobody can print.
const (
	maxTripDays     = 366
	maxTitle        = 200
	maxDestinations = 30
	maxPartySize    = 9 // what airlines book in one reservation
	maxItemsPerTrip = 500
	maxCostMinor    = 1e15 // keeps every sum far from int64 overflow
)

// PartyInput is who travels.
type PartyInput struct {
	Adults   int `json:"adults"`
	Children int `json:"children"`
	Infants  int `json:"infants"`
}

// TripInput creates a trip (Title, StartsOn, EndsOn required) or patches
// one (only present fields change). Budget is money in Currency.
type TripInput struct {
	Title           *string      `json:"title"`
	Status          *string      `json:"status"`
	StartsOn        *string      `json:"starts_on"`
	EndsOn          *string      `json:"ends_on"`
	Destinations    *[]string    `json:"destinations"`
	CoverCity       *string      `json:"cover_city"`
	Party           *PartyInput  `json:"party"`
	Budget          *money.Money `json:"budget"`
	Currency        *string      `json:"currency"`
	SourceSessionID *string      `json:"source_session_id"`
}

// ItemInput adds an item or patches one. Day and Position apply when
// adding (moves go through MoveTripItem); a Day left out is taken from
// StartsAt, or 0 (unscheduled) without one.
type ItemInput struct {
	Kind     *string         `json:"kind"`
	Title    *string         `json:"title"`
	Day      *int            `json:"day"`
	Position *int            `json:"position"`
	StartsAt *string         `json:"starts_at"`
	EndsAt   *string         `json:"ends_at"`
	TimeZone *string         `json:"time_zone"`
	Place    *string         `json:"place"`
	Cost     *money.Money    `json:"cost"`
	Provider *string         `json:"provider"`
	OfferRef *string         `json:"offer_ref"`
	Details  json.RawMessage `json:"details"`
	URL      *string         `json:"url"`
	Notes    *string         `json:"notes"`
}

// CreateTrip validates in and stores a new trip for the caller.
func (s *Service) CreateTrip(ctx context.Context, p Principal, in TripInput) (model.Trip, error) {
	now := s.now()
	t := model.Trip{ID: newID(), OwnerID: p.UserID, Status: model.TripPlanning, Party: model.Party{Adults: 1},
		Currency: "EUR", CreatedAt: now, UpdatedAt: now, Version: 1}
	v := validator{}
	if in.Title == nil || strings.TrimSpace(*in.Title) == "" {
		v.fail("title", "is required")
	}
	for f, x := range map[string]*string{"starts_on": in.StartsOn, "ends_on": in.EndsOn} {
		if x == nil || *x == "" {
			v.fail(f, "is required (YYYY-MM-DD)")
		}
	}
	if in.Currency == nil && in.Budget != nil {
		t.Currency = in.Budget.Currency // a budget's currency is the natural default
	}
	applyTrip(&v, &t, in)
	// A trip starting yesterday in UTC may start today somewhere west of
	// Greenwich, so "the past" is before yesterday.
	if st, err := time.Parse(model.DateLayout, t.StartsOn); err == nil && st.Before(now.Truncate(24*time.Hour).AddDate(0, 0, -1)) {
		v.fail("starts_on", "is in the past; a new trip must start today or later")
	}
	if len(v.errs) > 0 {
		return model.Trip{}, apperr.Validation(v.errs...)
	}
	if err := s.Store.CreateTrip(ctx, t); err != nil {
		return model.Trip{}, err
	}
	t.Items = []model.TripItem{}
	return t, nil
}

// applyTrip validates the present fields of in and writes them into t,
// then checks the rules between fields.
func applyTrip(v *validator, t *model.Trip, in TripInput) {
	if in.Title != nil {
		title := strings.TrimSpace(*in.Title)
		if utf8.RuneCountInString(title) > maxTitle || strings.ContainsAny(title, "\x00\r\n") {
			v.fail("title", fmt.Sprintf("must be a single line of at most %d characters", maxTitle))
		} else if title == "" {
			v.fail("title", "must not be empty")
		}
		t.Title = title
	}
	if in.Status != nil {
		if !slices.Contains(model.TripStatuses, model.TripStatus(*in.Status)) {
			v.fail("status", "must be one of planning, booked, in_progress, completed, cancelled")
		}
		t.Status = model.TripStatus(*in.Status)
	}
	datesOK := true
	for _, d := range []struct {
		field string
		in    *string
		dst   *string
	}{{"starts_on", in.StartsOn, &t.StartsOn}, {"ends_on", in.EndsOn, &t.EndsOn}} {
		if d.in == nil || *d.in == "" {
			continue
		}
		if _, err := time.Parse(model.DateLayout, *d.in); err != nil {
			v.fail(d.field, "must be a date like 2027-03-26")
			datesOK = false
		}
		*d.dst = *d.in
	}
	if datesOK && t.StartsOn != "" && t.EndsOn != "" {
		switch n := (model.Trip{StartsOn: t.StartsOn, EndsOn: t.EndsOn}).Days(); {
		case n == 0:
			v.fail("ends_on", "must not be before starts_on")
		case n > maxTripDays:
			v.fail("ends_on", fmt.Sprintf("makes the trip %d days long; at most %d", n, maxTripDays))
		}
	}
	if in.Destinations != nil {
		ds := make([]string, 0, len(*in.Destinations))
		for _, d := range *in.Destinations {
			d = strings.TrimSpace(d)
			if d == "" || utf8.RuneCountInString(d) > 100 {
				v.fail("destinations", "each destination must be 1 to 100 characters")
				break
			}
			ds = append(ds, d)
		}
		if len(ds) > maxDestinations {
			v.fail("destinations", fmt.Sprintf("at most %d destinations", maxDestinations))
		}
		t.Destinations = ds
	}
	v.text("cover_city", in.CoverCity, 100, &t.CoverCity)
	v.text("source_session_id", in.SourceSessionID, 100, &t.SourceSessionID)
	if pi := in.Party; pi != nil {
		switch {
		case pi.Adults < 1 || pi.Adults > maxPartySize:
			v.fail("party.adults", fmt.Sprintf("must be 1 to %d: every party needs an adult", maxPartySize))
		case pi.Children < 0 || pi.Infants < 0:
			v.fail("party", "children and infants must not be negative")
		case pi.Adults+pi.Children+pi.Infants > maxPartySize:
			v.fail("party", fmt.Sprintf("at most %d travellers in one party", maxPartySize))
		case pi.Infants > pi.Adults:
			v.fail("party.infants", "at most one infant per adult (infants travel on an adult's lap)")
		}
		t.Party = model.Party{Adults: pi.Adults, Children: pi.Children, Infants: pi.Infants}
	}
	if in.Currency != nil {
		if !knownCurrency(*in.Currency) {
			v.fail("currency", "must be an ISO 4217 currency code like EUR")
		}
		t.Currency = *in.Currency
	}
	if b := in.Budget; b != nil {
		switch {
		case !knownCurrency(b.Currency):
			v.fail("budget", "must be in an ISO 4217 currency like EUR")
		case b.Minor < 0 || b.Minor > maxCostMinor:
			v.fail("budget", "must be zero or more")
		case b.Currency != t.Currency:
			v.fail("budget", fmt.Sprintf("must be in the trip currency %s, not %s", t.Currency, b.Currency))
		}
		minor := b.Minor
		t.BudgetMinor = &minor
	}
}

func knownCurrency(c string) bool {
	_, known := money.Exponent(c)
	return known
}

// GetTrip returns one of the caller's trips with its items.
func (s *Service) GetTrip(ctx context.Context, p Principal, id string) (model.Trip, error) {
	return s.Store.GetTrip(ctx, p.UserID, id)
}

// ListTrips returns a page of the caller's trips, newest first.
func (s *Service) ListTrips(ctx context.Context, p Principal, cursor string, limit int) ([]model.Trip, error) {
	return s.Store.ListTrips(ctx, p.UserID, cursor, limit)
}

// UpdateTrip applies a patch when the trip is still at version expect
// (0: any version) and returns the trip as stored. Shortening a trip
// under its scheduled items is refused, naming how many would fall off.
func (s *Service) UpdateTrip(ctx context.Context, p Principal, id string, expect int, in TripInput) (model.Trip, error) {
	var out model.Trip
	err := s.Store.InTx(ctx, func(q *store.Queries) error {
		t, err := q.GetTripForUpdate(ctx, p.UserID, id)
		if err != nil {
			return err
		}
		if expect > 0 && t.Version != expect {
			return apperr.New(apperr.Precondition, "the trip was changed since you loaded it; reload it and try again")
		}
		v := validator{}
		if in.Currency != nil && *in.Currency != t.Currency && in.Budget == nil && t.BudgetMinor != nil {
			v.fail("currency", "changing the currency needs a budget in the new currency too (amounts are never converted)")
		}
		applyTrip(&v, &t, in)
		if len(v.errs) == 0 {
			if n, days := outside(t); n > 0 {
				v.fail("ends_on", fmt.Sprintf("%d items are scheduled on days past day %d; move them first", n, days))
			}
			if n := misdated(t); n > 0 {
				v.fail("starts_on", fmt.Sprintf("%d timed items would no longer fall on their day; change their times or move them first", n))
			}
		}
		if len(v.errs) > 0 {
			return apperr.Validation(v.errs...)
		}
		t.UpdatedAt = s.now()
		if t.Version, err = q.UpdateTrip(ctx, t, t.Version); err != nil {
			return err
		}
		out = t
		return nil
	})
	return out, err
}

// outside counts the items scheduled after the trip's last day.
func outside(t model.Trip) (int, int) {
	days, n := t.Days(), 0
	for _, it := range t.Items {
		if it.Day > days {
			n++
		}
	}
	return n, days
}

// misdated counts scheduled items whose local start date is not their
// day's date (after the trip's start moved).
func misdated(t model.Trip) int {
	n := 0
	for _, it := range t.Items {
		if it.Day > 0 && it.StartsAt != "" && dayOf(t, it.StartsAt[:10]) != it.Day {
			n++
		}
	}
	return n
}

// DeleteTrip removes one of the caller's trips and its items.
func (s *Service) DeleteTrip(ctx context.Context, p Principal, id string, expect int) error {
	return s.Store.DeleteTrip(ctx, p.UserID, id, expect)
}

// AddTripItem validates in against the trip and adds it; it returns the
// item and the trip's new version (the ETag).
func (s *Service) AddTripItem(ctx context.Context, p Principal, tripID string, expect int, in ItemInput) (model.TripItem, int, error) {
	var out model.TripItem
	var ver int
	err := s.Store.InTx(ctx, func(q *store.Queries) error {
		t, err := tripAt(ctx, q, p, tripID, expect)
		if err != nil {
			return err
		}
		if len(t.Items) >= maxItemsPerTrip {
			return apperr.New(apperr.Conflict, "a trip holds at most %d items", maxItemsPerTrip)
		}
		now := s.now()
		it := model.TripItem{ID: newID(), TripID: tripID, Kind: model.ItemNote, CreatedAt: now, UpdatedAt: now, Details: "{}"}
		v := validator{}
		if in.Kind == nil {
			v.fail("kind", "is required: flight, stay, transport, restaurant, attraction, note or link")
		}
		if in.Title == nil || strings.TrimSpace(*in.Title) == "" {
			v.fail("title", "is required")
		}
		applyItem(&v, &it, in, t)
		if in.Day != nil {
			if *in.Day < 0 || *in.Day > t.Days() {
				v.fail("day", fmt.Sprintf("must be 0 (unscheduled) to %d, the trip's length in days", t.Days()))
			}
			it.Day = *in.Day
			if it.Day > 0 && it.StartsAt != "" && dayOf(t, it.StartsAt[:10]) != it.Day {
				v.fail("day", fmt.Sprintf("is day %d but starts_at falls on day %d", it.Day, dayOf(t, it.StartsAt[:10])))
			}
		} else if it.StartsAt != "" {
			it.Day = dayOf(t, it.StartsAt[:10])
			if it.Day < 1 || it.Day > t.Days() {
				v.fail("starts_at", fmt.Sprintf("is outside the trip (%s to %s)", t.StartsOn, t.EndsOn))
			}
		}
		if in.Position != nil {
			if *in.Position < 0 {
				v.fail("position", "must be 1 or more (0 or absent: the end of the day)")
			}
			it.Position = *in.Position
		}
		if len(v.errs) > 0 {
			return apperr.Validation(v.errs...)
		}
		out, ver, err = q.AddTripItem(ctx, p.UserID, it, t.Version)
		return err
	})
	return out, ver, err
}

// tripAt loads the caller's trip and checks it is at version expect.
func tripAt(ctx context.Context, q *store.Queries, p Principal, id string, expect int) (model.Trip, error) {
	t, err := q.GetTripForUpdate(ctx, p.UserID, id)
	if err != nil {
		return t, err
	}
	if expect > 0 && t.Version != expect {
		return t, apperr.New(apperr.Precondition, "the trip was changed since you loaded it; reload it and try again")
	}
	return t, nil
}

// dayOf returns the 1-based trip day of a local date (0 or less: before).
func dayOf(t model.Trip, date string) int {
	d, err1 := time.Parse(model.DateLayout, date)
	s, err2 := time.Parse(model.DateLayout, t.StartsOn)
	if err1 != nil || err2 != nil {
		return -1
	}
	return int(d.Sub(s).Hours()/24) + 1
}

// applyItem validates the present fields of in into it, then the rules
// between them (times parse in the zone, end not before start).
func applyItem(v *validator, it *model.TripItem, in ItemInput, t model.Trip) {
	if in.Kind != nil {
		if !slices.Contains(model.ItemKinds, model.ItemKind(*in.Kind)) {
			v.fail("kind", "must be one of flight, stay, transport, restaurant, attraction, note, link")
		}
		it.Kind = model.ItemKind(*in.Kind)
	}
	if in.Title != nil {
		v.text("title", in.Title, maxTitle, &it.Title)
		if strings.TrimSpace(*in.Title) == "" {
			v.fail("title", "must not be empty")
		}
	}
	v.text("place", in.Place, 200, &it.Place)
	v.text("provider", in.Provider, 50, &it.Provider)
	v.text("offer_ref", in.OfferRef, 500, &it.OfferRef)
	if in.Notes != nil {
		if utf8.RuneCountInString(*in.Notes) > 4000 {
			v.fail("notes", "at most 4000 characters")
		}
		it.Notes = *in.Notes
	}
	if in.URL != nil {
		u, err := url.Parse(*in.URL)
		if *in.URL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(*in.URL) > 2000) {
			v.fail("url", "must be an http or https address")
		}
		it.URL = *in.URL
	}
	if in.Details != nil {
		var obj map[string]any
		if len(in.Details) > 32<<10 || json.Unmarshal(in.Details, &obj) != nil || obj == nil {
			v.fail("details", "must be a JSON object of at most 32 KiB")
		} else {
			it.Details = string(in.Details)
		}
	}
	if c := in.Cost; c != nil {
		switch {
		case !knownCurrency(c.Currency):
			v.fail("cost", "must be in an ISO 4217 currency like EUR")
		case c.Minor < 0 || c.Minor > maxCostMinor:
			v.fail("cost", "must be zero or more")
		}
		minor := c.Minor
		it.CostMinor, it.Currency = &minor, c.Currency
	}
	if in.TimeZone != nil {
		if _, err := loadZone(*in.TimeZone); err != nil {
			v.fail("time_zone", "must be an IANA time zone like Europe/Lisbon")
		}
		it.TimeZone = *in.TimeZone
	}
	for _, f := range []struct {
		name string
		in   *string
		dst  *string
	}{{"starts_at", in.StartsAt, &it.StartsAt}, {"ends_at", in.EndsAt, &it.EndsAt}} {
		if f.in == nil {
			continue
		}
		if *f.in != "" {
			if _, err := time.Parse(model.LocalTimeLayout, *f.in); err != nil {
				v.fail(f.name, "must be a local date and time like 2027-03-26T09:30")
				continue
			}
		}
		*f.dst = *f.in
	}
	if it.EndsAt != "" && it.StartsAt == "" {
		v.fail("ends_at", "needs starts_at")
	}
	if it.StartsAt != "" && it.TimeZone == "" {
		v.fail("time_zone", "is required with starts_at, so the time means the same everywhere")
	}
	if it.StartsAt != "" && it.EndsAt != "" && it.EndsAt < it.StartsAt {
		v.fail("ends_at", "must not be before starts_at")
	}
}

// loadZone accepts IANA names only: "Local" would mean the server's zone.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("time zone %q", name)
	}
	return time.LoadLocation(name)
}

// UpdateTripItem patches an item's content and returns it with the trip's
// new version. Day and position change through MoveTripItem.
func (s *Service) UpdateTripItem(ctx context.Context, p Principal, tripID, itemID string, expect int, in ItemInput) (model.TripItem, int, error) {
	var out model.TripItem
	var ver int
	err := s.Store.InTx(ctx, func(q *store.Queries) error {
		t, err := tripAt(ctx, q, p, tripID, expect)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(t.Items, func(it model.TripItem) bool { return it.ID == itemID })
		if i < 0 {
			return apperr.New(apperr.NotFound, "trip item not found")
		}
		it := t.Items[i]
		v := validator{}
		if in.Day != nil || in.Position != nil {
			v.fail("day", "day and position change through POST …/items/{itemId}/move")
		}
		applyItem(&v, &it, in, t)
		if it.StartsAt != "" && it.Day > 0 {
			if d := dayOf(t, it.StartsAt[:10]); d != it.Day {
				v.fail("starts_at", fmt.Sprintf("falls on day %d but the item is on day %d; move it first", d, it.Day))
			}
		}
		if len(v.errs) > 0 {
			return apperr.Validation(v.errs...)
		}
		it.UpdatedAt = s.now()
		ver, err = q.UpdateTripItem(ctx, p.UserID, it, t.Version)
		out = it
		return err
	})
	return out, ver, err
}

// MoveTripItem moves an item to a day (0: unscheduled) and position (0:
// the end) and returns the trip's new version.
func (s *Service) MoveTripItem(ctx context.Context, p Principal, tripID, itemID string, expect, day, position int) (int, error) {
	var ver int
	err := s.Store.InTx(ctx, func(q *store.Queries) error {
		t, err := tripAt(ctx, q, p, tripID, expect)
		if err != nil {
			return err
		}
		v := validator{}
		if day < 0 || day > t.Days() {
			v.fail("day", fmt.Sprintf("must be 0 (unscheduled) to %d, the trip's length in days", t.Days()))
		}
		if position < 0 {
			v.fail("position", "must be 1 or more (0: the end of the day)")
		}
		// A timed item belongs to the day of its start: moving it elsewhere
		// would put it on the wrong date in calendars and print-outs.
		if i := slices.IndexFunc(t.Items, func(it model.TripItem) bool { return it.ID == itemID }); i >= 0 {
			if it := t.Items[i]; day > 0 && it.StartsAt != "" && dayOf(t, it.StartsAt[:10]) != day {
				v.fail("day", fmt.Sprintf("the item starts on day %d (%s); change starts_at to move it to another day", dayOf(t, it.StartsAt[:10]), it.StartsAt[:10]))
			}
		}
		if len(v.errs) > 0 {
			return apperr.Validation(v.errs...)
		}
		ver, err = q.MoveTripItem(ctx, p.UserID, tripID, itemID, day, position, t.Version, s.now())
		return err
	})
	return ver, err
}

// DeleteTripItem removes an item and returns the trip's new version.
func (s *Service) DeleteTripItem(ctx context.Context, p Principal, tripID, itemID string, expect int) (int, error) {
	return s.Store.DeleteTripItem(ctx, p.UserID, tripID, itemID, expect, s.now())
}

// TripOwner returns the principal of the account with email, for operator
// commands that read or export a user's trips (support, data requests).
// Only an admin principal (the operator) may ask.
func (s *Service) TripOwner(ctx context.Context, operator Principal, email string) (Principal, error) {
	if !operator.IsAdmin() {
		return Principal{}, apperr.New(apperr.Forbidden, "this action needs the admin role")
	}
	email, err := NormalizeEmail(email)
	if err != nil {
		return Principal{}, err
	}
	u, err := s.Store.GetUserByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) {
		return Principal{}, apperr.New(apperr.NotFound, "no account with email %s", email)
	}
	if err != nil {
		return Principal{}, err
	}
	// The operator now acts as the account: the log says who looked.
	if err := s.recordAudit(ctx, s.Store.Queries, operator, AuditEvent{Action: model.AuditAdminUserRead, TargetType: "trips",
		TargetID: u.ID, SubjectID: u.ID}); err != nil {
		return Principal{}, err
	}
	return Principal{UserID: u.ID, Role: u.Role}, nil
}
