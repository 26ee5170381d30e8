package flights

import (
	"testing"

	"pathavana/internal/apperr"
	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

// TestQuoteMatchesSearch: re-pricing the itinerary a search returned gives
// the search's price, with seat counts; stale or impossible offers are
// refused with the reason.
func TestQuoteMatchesSearch(t *testing.T) {
	f := fl("TP1", "LIS", "OPO", "07:00", "07:55", 0, 6000)
	f.Seats = map[catalog.Cabin]int{catalog.Economy: 3}
	g := fl("TP2", "OPO", "FAO", "09:00", "10:00", 0, 4100)
	biz := fl("TP3", "LIS", "OPO", "08:00", "08:55", 0, 0)
	biz.Fares = map[catalog.Cabin]money.Money{catalog.Business: {Minor: 50000, Currency: "USD"}}
	biz.Seats = map[catalog.Cabin]int{catalog.Business: 0}
	ix := testIndex(t, Options{}, f, g, biz)

	q := oneWay("LIS", "FAO", "2027-03-10")
	q.Passengers = Passengers{Adults: 2, Children: 1, Infants: 1}
	it := search(t, ix, q)[0]
	var refs []SegmentRef
	for _, s := range it.Legs[0].Segments {
		refs = append(refs, SegmentRef{Number: s.Flight.Number, From: s.Flight.From, To: s.Flight.To,
			Date: catalog.Date{Time: s.Departs}})
	}
	got, err := ix.Quote(refs, catalog.Economy, q.Passengers)
	if err != nil {
		t.Fatal(err)
	}
	if got.Price != it.Price || got.PerAdult != it.PerAdult || len(got.Seats) != 2 || got.Seats[0] != 3 || got.Seats[1] != 0 ||
		!got.Segments[1].Departs.Equal(it.Legs[0].Segments[1].Departs) {
		t.Fatalf("quote %+v, search %+v", got, it)
	}

	for name, c := range map[string]struct {
		refs  []SegmentRef
		cabin catalog.Cabin
		pax   Passengers
		code  apperr.Code
	}{
		"unknown flight":  {[]SegmentRef{{Number: "TP9", From: "LIS", To: "OPO", Date: date("2027-03-10")}}, catalog.Economy, Passengers{Adults: 1}, apperr.NotFound},
		"departed":        {[]SegmentRef{{Number: "TP1", From: "LIS", To: "OPO", Date: date("2020-03-10")}}, catalog.Economy, Passengers{Adults: 1}, apperr.Conflict},
		"cabin not sold":  {[]SegmentRef{{Number: "TP1", From: "LIS", To: "OPO", Date: date("2027-03-10")}}, catalog.First, Passengers{Adults: 1}, apperr.Conflict},
		"no seats":        {[]SegmentRef{{Number: "TP3", From: "LIS", To: "OPO", Date: date("2027-03-10")}}, catalog.Business, Passengers{Adults: 1}, apperr.Conflict},
		"no adult":        {refs, catalog.Economy, Passengers{Children: 1}, apperr.Invalid},
		"empty":           {nil, catalog.Economy, Passengers{Adults: 1}, apperr.Invalid},
		"unknown airport": {[]SegmentRef{{Number: "TP1", From: "XXX", To: "OPO", Date: date("2027-03-10")}}, catalog.Economy, Passengers{Adults: 1}, apperr.NotFound},
	} {
		if _, err := ix.Quote(c.refs, c.cabin, c.pax); !apperr.Is(err, c.code) {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
	}
}
