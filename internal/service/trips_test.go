package service

import (
	"strings"
	"testing"
	"time"

	"pathavana/internal/apperr"
	"pathavana/internal/ical"
	"pathavana/internal/model"
)

func minor(n int64) *int64 { return &n }

func TestBudgetPerCategoryAndCurrency(t *testing.T) {
	tr := model.Trip{Currency: "EUR", BudgetMinor: minor(100000), Items: []model.TripItem{
		{Kind: model.ItemFlight, CostMinor: minor(30000), Currency: "EUR", BookingID: "b1"},
		{Kind: model.ItemFlight, CostMinor: minor(20000), Currency: "EUR"},
		{Kind: model.ItemStay, CostMinor: minor(45000), Currency: "EUR", BookingID: "b2"},
		{Kind: model.ItemRestaurant, CostMinor: minor(9000), Currency: "JPY"},
		{Kind: model.ItemNote}, // no cost: not counted
	}}
	b := Budget(tr)
	if b.Trip.Planned != 95000 || b.Trip.Booked != 75000 || *b.Remaining != 5000 || len(b.Trip.ByKind) != 2 {
		t.Fatalf("trip totals %+v remaining %d", b.Trip, *b.Remaining)
	}
	if f := b.Trip.ByKind[0]; f.Kind != model.ItemFlight || f.Planned != 50000 || f.Booked != 30000 || f.Items != 2 {
		t.Fatalf("flights %+v", f)
	}
	if len(b.Other) != 1 || b.Other[0].Currency != "JPY" || b.Other[0].Planned != 9000 || b.Other[0].Booked != 0 {
		t.Fatalf("other %+v", b.Other)
	}
	if b := Budget(model.Trip{Currency: "USD"}); b.Remaining != nil || b.Budget != nil || b.Trip.Planned != 0 {
		t.Fatalf("empty %+v", b)
	}
}

func TestImportRefusesEventsOutsideTheTrip(t *testing.T) {
	tr := model.Trip{ID: "t", StartsOn: "2027-03-26", EndsOn: "2027-03-28"}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	events := []ical.Event{
		// 23:30 UTC on the 28th is already the 29th in Tokyo: outside.
		{UID: "a", Summary: "Late flight", Start: time.Date(2027, 3, 29, 8, 30, 0, 0, tokyo)},
		{UID: "b", Summary: "Hotel Lutetia", Start: time.Date(2027, 3, 26, 0, 0, 0, 0, time.UTC), AllDay: true},
		{UID: "c", Summary: "Before", Start: time.Date(2027, 3, 25, 10, 0, 0, 0, time.UTC)},
	}
	_, errs := itemsFromEvents(tr, events, time.Now())
	if len(errs) != 2 || errs[0].Field != "events[0]" || errs[1].Field != "events[2]" || !strings.Contains(errs[0].Message, "2027-03-29") {
		t.Fatalf("errors %+v", errs)
	}
	items, errs := itemsFromEvents(tr, events[1:2], time.Now())
	if len(errs) != 0 || len(items) != 1 || items[0].Day != 1 || items[0].Kind != model.ItemStay || items[0].StartsAt != "" {
		t.Fatalf("items %+v %v", items, errs)
	}
}

func TestApplyTripRules(t *testing.T) {
	for name, c := range map[string]struct {
		in    TripInput
		field string
	}{
		"status":   {TripInput{Status: ptr("lost")}, "status"},
		"currency": {TripInput{Currency: ptr("XTS")}, "currency"}, // well-formed but not money
		"long":     {TripInput{StartsOn: ptr("2027-01-01"), EndsOn: ptr("2028-06-01")}, "ends_on"},
	} {
		v := validator{}
		tr := model.Trip{Currency: "EUR"}
		applyTrip(&v, &tr, c.in)
		if len(v.errs) != 1 || v.errs[0].Field != c.field {
			t.Errorf("%s: %+v", name, v.errs)
		}
	}
	if err := apperr.Validation(apperr.FieldError{Field: "x", Message: "y"}); err.Code != apperr.Invalid {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }
