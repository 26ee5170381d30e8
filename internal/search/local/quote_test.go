package local

import (
	"testing"

	"pathavana/internal/apperr"
)

// A quote must equal what search showed for the same stay, party and dates.
func TestQuoteStayMatchesSearch(t *testing.T) {
	src := NewStaticSource(testData(t))
	q := StayQuery{Area: Area{City: "c1"}, CheckIn: date("2027-05-10"), CheckOut: date("2027-05-13"), Guests: Guests{Adults: 3, Children: 1}}
	found, err := SearchStays(src, q, nil)
	if err != nil || len(found) == 0 {
		t.Fatalf("search: %v %v", found, err)
	}
	for _, r := range found {
		got, err := QuoteStay(src, "c1", r.Stay.ID, q)
		if err != nil {
			t.Fatalf("%s: %v", r.Stay.ID, err)
		}
		if got.Total != r.Total || got.Rooms != r.Rooms || got.Nights != r.Nights {
			t.Errorf("%s: quote %v×%d rooms×%d nights, search %v×%d×%d", r.Stay.ID, got.Total, got.Rooms, got.Nights, r.Total, r.Rooms, r.Nights)
		}
	}
}

func TestQuoteStayRefusals(t *testing.T) {
	src := NewStaticSource(testData(t))
	base := StayQuery{CheckIn: date("2027-05-10"), CheckOut: date("2027-05-11"), Guests: Guests{Adults: 2}}
	for _, c := range []struct {
		name, city, id string
		q              StayQuery
		code           apperr.Code
	}{
		{"unknown stay", "c1", "gone", base, apperr.NotFound},
		{"stay of another city", "c2", "hotel", base, apperr.NotFound},
		{"below minimum nights", "c1", "home", base, apperr.Conflict},
		{"children under 10 not taken", "c1", "hostel", StayQuery{CheckIn: base.CheckIn, CheckOut: base.CheckOut,
			Guests: Guests{Adults: 1, Children: 1, ChildrenUnder10: 1}}, apperr.Conflict},
		{"home too small", "c1", "home", StayQuery{CheckIn: base.CheckIn, CheckOut: date("2027-05-14"), Guests: Guests{Adults: 7}}, apperr.Conflict},
		{"no dates", "c1", "hotel", StayQuery{Guests: Guests{Adults: 1}}, apperr.Invalid},
		{"check out first", "c1", "hotel", StayQuery{CheckIn: base.CheckOut, CheckOut: base.CheckIn, Guests: Guests{Adults: 1}}, apperr.Invalid},
		{"no adult", "c1", "hotel", StayQuery{CheckIn: base.CheckIn, CheckOut: base.CheckOut}, apperr.Invalid},
	} {
		_, err := QuoteStay(src, c.city, c.id, c.q)
		if apperr.CodeOf(err) != c.code {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
		}
	}
}

func TestQuoteAttraction(t *testing.T) {
	src := NewStaticSource(testData(t))
	got, err := QuoteAttraction(src, "c1", "museum", date("2027-05-10"), 2, 1) // a Monday
	if err != nil {
		t.Fatal(err)
	}
	if got.PartyCost != usd(t, "37.50") {
		t.Errorf("two adults and a child at 15: %v", got.PartyCost)
	}
	if _, err := QuoteAttraction(src, "c1", "museum", date("2027-05-16"), 1, 0); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("closed on Sunday: %v", err)
	}
	if _, err := QuoteAttraction(src, "c1", "nope", date("2027-05-10"), 1, 0); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("unknown: %v", err)
	}
	if _, err := QuoteAttraction(src, "c1", "museum", date("2027-05-10"), 0, 2); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("no adult: %v", err)
	}
}
