package service

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/ical"
	"pathavana/internal/model"
	"pathavana/internal/store"
)

// BudgetLine is what one category (item kind) costs: planned counts every
// item with a cost, booked only those with a booking.
type BudgetLine struct {
	Kind    model.ItemKind
	Planned int64
	Booked  int64
	Items   int
}

// BudgetTotals are the sums of the items in one currency.
type BudgetTotals struct {
	Currency string
	Planned  int64
	Booked   int64
	ByKind   []BudgetLine // categories with at least one costed item, in model.ItemKinds order
}

// BudgetSummary compares a trip's costs with its budget. Amounts in other
// currencies are listed per currency in Other and never converted: a rate
// picked today would be wrong by the time the traveller pays.
type BudgetSummary struct {
	Budget    *int64 // in Trip.Currency; nil when no budget is set
	Remaining *int64 // Budget - Trip.Planned
	Trip      BudgetTotals
	Other     []BudgetTotals // by currency code
}

// TripBudget sums the caller's trip per category and currency.
func (s *Service) TripBudget(ctx context.Context, p Principal, id string) (BudgetSummary, error) {
	t, err := s.Store.GetTrip(ctx, p.UserID, id)
	if err != nil {
		return BudgetSummary{}, err
	}
	return Budget(t), nil
}

// Budget computes the summary of a loaded trip.
func Budget(t model.Trip) BudgetSummary {
	by := map[string]map[model.ItemKind]*BudgetLine{}
	for _, it := range t.Items {
		if it.CostMinor == nil {
			continue
		}
		cur := it.Currency
		if by[cur] == nil {
			by[cur] = map[model.ItemKind]*BudgetLine{}
		}
		l := by[cur][it.Kind]
		if l == nil {
			l = &BudgetLine{Kind: it.Kind}
			by[cur][it.Kind] = l
		}
		l.Planned += *it.CostMinor
		l.Items++
		if it.BookingID != "" {
			l.Booked += *it.CostMinor
		}
	}
	totals := func(cur string) BudgetTotals {
		bt := BudgetTotals{Currency: cur, ByKind: []BudgetLine{}}
		for _, k := range model.ItemKinds {
			if l := by[cur][k]; l != nil {
				bt.ByKind = append(bt.ByKind, *l)
				bt.Planned += l.Planned
				bt.Booked += l.Booked
			}
		}
		return bt
	}
	sum := BudgetSummary{Budget: t.BudgetMinor, Trip: totals(t.Currency), Other: []BudgetTotals{}}
	if t.BudgetMinor != nil {
		r := *t.BudgetMinor - sum.Trip.Planned
		sum.Remaining = &r
	}
	var others []string
	for cur := range by {
		if cur != t.Currency {
			others = append(others, cur)
		}
	}
	slices.Sort(others)
	for _, cur := range others {
		sum.Other = append(sum.Other, totals(cur))
	}
	return sum
}

// TripCalendar exports the caller's trip as iCalendar: one event per
// scheduled item, timed items in their own zone, items without a time as
// all-day events on their day. Unscheduled items (day 0) have no date and
// are left out.
func (s *Service) TripCalendar(ctx context.Context, p Principal, id string) ([]byte, error) {
	t, err := s.Store.GetTrip(ctx, p.UserID, id)
	if err != nil {
		return nil, err
	}
	cal, err := CalendarOf(t)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := ical.Write(&buf, cal, s.now()); err != nil {
		return nil, fmt.Errorf("service: write calendar: %w", err)
	}
	return buf.Bytes(), nil
}

// CalendarOf turns a loaded trip into calendar events.
func CalendarOf(t model.Trip) (ical.Calendar, error) {
	cal := ical.Calendar{Name: t.Title}
	for _, it := range t.Items {
		if it.Day == 0 {
			continue
		}
		e := ical.Event{UID: it.ID + "@pathavana", Summary: it.Title, Location: it.Place, Description: it.Notes, URL: it.URL,
			Categories: []string{strings.ToUpper(string(it.Kind))}}
		if it.StartsAt == "" {
			day, ok := t.DayDate(it.Day)
			if !ok {
				continue
			}
			e.AllDay, e.Start, e.End = true, day, day.AddDate(0, 0, 1)
		} else {
			loc, err := loadZone(it.TimeZone)
			if err != nil {
				return cal, fmt.Errorf("service: item %s: %w", it.ID, err)
			}
			if e.Start, err = time.ParseInLocation(model.LocalTimeLayout, it.StartsAt, loc); err != nil {
				return cal, fmt.Errorf("service: item %s: %w", it.ID, err)
			}
			e.End = e.Start
			if it.EndsAt != "" {
				if e.End, err = time.ParseInLocation(model.LocalTimeLayout, it.EndsAt, loc); err != nil {
					return cal, fmt.Errorf("service: item %s: %w", it.ID, err)
				}
			}
		}
		cal.Events = append(cal.Events, e)
	}
	return cal, nil
}

// ImportCalendar adds every new event of an .ics feed (reservations made
// elsewhere) to the caller's trip, on the day of its local start date.
// Events outside the trip's dates are refused together, with a field error
// naming each, and nothing is imported; so is any parse error. Events the
// trip already has (same UID, imported or exported from it) are skipped,
// so re-importing a feed adds only what is new. It returns
// the added items and the trip's new version.
func (s *Service) ImportCalendar(ctx context.Context, p Principal, tripID string, expect int, r io.Reader) ([]model.TripItem, int, error) {
	cal, err := ical.Parse(r)
	if err != nil {
		return nil, 0, apperr.Validation(apperr.FieldError{Field: "calendar", Message: err.Error()})
	}
	if len(cal.Events) == 0 {
		return nil, 0, apperr.Validation(apperr.FieldError{Field: "calendar", Message: "has no events"})
	}
	var added []model.TripItem
	ver := 0
	err = s.Store.InTx(ctx, func(q *store.Queries) error {
		t, err := tripAt(ctx, q, p, tripID, expect)
		if err != nil {
			return err
		}
		if len(t.Items)+len(cal.Events) > maxItemsPerTrip {
			return apperr.New(apperr.Conflict, "a trip holds at most %d items", maxItemsPerTrip)
		}
		items, errs := itemsFromEvents(t, newEvents(t, cal.Events), s.now())
		if len(errs) > 0 {
			return apperr.Validation(errs...)
		}
		ver = t.Version
		for _, it := range items {
			stored, v, err := q.AddTripItem(ctx, p.UserID, it, ver)
			if err != nil {
				return err
			}
			added, ver = append(added, stored), v
		}
		return nil
	})
	return added, ver, err
}

// newEvents drops the events whose UID the trip already holds: an item
// imported from that UID, or an item exported as "<id>@pathavana".
func newEvents(t model.Trip, events []ical.Event) []ical.Event {
	have := map[string]bool{}
	for _, it := range t.Items {
		have[it.ID+"@pathavana"] = true
		var d struct {
			UID string `json:"ical_uid"`
		}
		if json.Unmarshal([]byte(it.Details), &d) == nil && d.UID != "" {
			have[d.UID] = true
		}
	}
	out := events[:0:0]
	for _, e := range events {
		if e.UID == "" || !have[clip(e.UID, 500)] {
			out = append(out, e)
		}
	}
	return out
}

func itemsFromEvents(t model.Trip, events []ical.Event, now time.Time) ([]model.TripItem, []apperr.FieldError) {
	var items []model.TripItem
	var errs []apperr.FieldError
	for i, e := range events {
		label := fmt.Sprintf("events[%d]", i)
		date := e.Start.Format(model.DateLayout) // the local date, in the event's own zone
		day := dayOf(t, date)
		if day < 1 || day > t.Days() {
			errs = append(errs, apperr.FieldError{Field: label, Message: fmt.Sprintf("%q on %s is outside the trip (%s to %s)",
				clip(e.Summary, 80), date, t.StartsOn, t.EndsOn)})
			continue
		}
		details, _ := json.Marshal(map[string]string{"ical_uid": clip(e.UID, 500)})
		it := model.TripItem{ID: newID(), TripID: t.ID, Day: day, Kind: kindOf(e), Title: clip(oneLine(e.Summary), maxTitle),
			Place: clip(oneLine(e.Location), 200), Notes: clip(e.Description, 4000), Provider: "ical",
			Details: string(details), CreatedAt: now, UpdatedAt: now}
		if it.Title == "" {
			it.Title = "Imported event"
		}
		if u, err := url.Parse(e.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && len(e.URL) <= 2000 {
			it.URL = e.URL
		}
		if !e.AllDay {
			it.TimeZone = e.Start.Location().String()
			if e.Floating || it.TimeZone == "" {
				it.TimeZone = "UTC"
			}
			it.StartsAt = e.Start.Format(model.LocalTimeLayout)
			if !e.End.IsZero() {
				it.EndsAt = e.End.In(e.Start.Location()).Format(model.LocalTimeLayout)
			}
		}
		items = append(items, it)
	}
	return items, errs
}

// kindOf takes the kind from CATEGORIES (our own exports put it there),
// else guesses it from the title.
func kindOf(e ical.Event) model.ItemKind {
	for _, c := range e.Categories {
		if k := model.ItemKind(strings.ToLower(c)); slices.Contains(model.ItemKinds, k) {
			return k
		}
	}
	return guessKind(e.Summary)
}

// guessKind files an imported event under a category from words in its
// title; what matches nothing is a note the traveller can re-file.
func guessKind(summary string) model.ItemKind {
	s := strings.ToLower(summary)
	for _, k := range []struct {
		kind  model.ItemKind
		words []string
	}{
		{model.ItemFlight, []string{"flight", "voo", "vuelo", "vol "}},
		{model.ItemStay, []string{"hotel", "stay", "check-in", "hostel", "apartment", "airbnb"}},
		{model.ItemTransport, []string{"train", "bus", "ferry", "car rental", "taxi", "transfer"}},
		{model.ItemRestaurant, []string{"restaurant", "dinner", "lunch", "breakfast", "table for"}},
		{model.ItemAttraction, []string{"museum", "tour", "ticket", "tickets", "show", "concert"}},
	} {
		for _, w := range k.words {
			if strings.Contains(s, w) {
				return k.kind
			}
		}
	}
	return model.ItemNote
}

func oneLine(s string) string {
	return strings.TrimSpace(strings.Join(strings.Fields(strings.ReplaceAll(s, "\x00", "")), " "))
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
