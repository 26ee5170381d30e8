package search

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"pathavana/internal/catalog"
	"pathavana/internal/search/local"
	"pathavana/internal/testkit/amadeusfake"
)

// amadeusLocal is a searcher over the small catalog (Lisbon, Boston) whose
// stay and attraction providers are Amadeus on a fake. The fake only knows
// some cities, so the catalog's Lisbon is named London to the stay provider
// (whose city code comes from the airport & city search) and placed in
// Madrid for the attraction provider (which searches around coordinates).
type amadeusLocal struct {
	s            *Searcher
	c            *Catalog
	fake         *amadeusfake.Server
	stays        local.StayQuery
	attractions  local.AttractionQuery
	stayCity     string
	activityCity string
}

func newAmadeusLocal(t *testing.T) amadeusLocal {
	t.Helper()
	c := smallCatalog(t)
	if len(c.Data.Stays) == 0 || len(c.Data.Attractions) == 0 {
		t.Fatal("the small catalog has no stays or attractions to fall back to")
	}
	flights, fake := newAmadeus(t)
	stayCity, activityCity := c.Data.Stays[0].City, c.Data.Attractions[0].City
	stays := &AmadeusStays{Client: flights.Client, City: func(id string) (catalog.City, bool) {
		return catalog.City{ID: id, Name: "London", Country: "GB"}, id == stayCity
	}}
	attractions := &AmadeusAttractions{Client: flights.Client, City: func(id string) (catalog.City, bool) {
		return catalog.City{ID: id, Name: "Madrid", Country: "ES", Lat: 40.4165, Lon: -3.70256}, id == activityCity
	}}
	return amadeusLocal{
		s:    NewSearcher(c, Providers{Stays: stays, Attractions: attractions}, slog.New(slog.DiscardHandler)),
		c:    c,
		fake: fake,
		stays: local.StayQuery{Area: local.Area{City: stayCity}, CheckIn: day(30), CheckOut: day(32),
			Guests: local.Guests{Adults: 2}},
		attractions: local.AttractionQuery{Area: local.Area{City: activityCity}, Adults: 1},
		stayCity:    stayCity, activityCity: activityCity,
	}
}

// TestAmadeusLocalAnswersAreMarkedAmadeus: when Amadeus answers, the
// origin says so (real inventory: not sandbox, no fallback) and so do the
// result IDs.
func TestAmadeusLocalAnswersAreMarkedAmadeus(t *testing.T) {
	e := newAmadeusLocal(t)
	ctx := context.Background()

	stays, origin, err := e.s.Stays(ctx, e.stays)
	if err != nil || origin != (Origin{Source: "amadeus"}) || len(stays) != 1 {
		t.Fatalf("stays: %v %+v %+v", err, origin, stays)
	}
	// The fake's London hotel is GBP 716.00 a room a night: two nights,
	// one room for two adults.
	r := stays[0]
	if r.Stay.ID != "amadeus:MCLONGHM" || r.Stay.City != e.stayCity || r.Total.String() != "1432.00" ||
		r.Total.Currency != "GBP" || r.NightlyTotal.String() != "716.00" || r.Nights != 2 || r.Rooms != 1 {
		t.Fatalf("stay %+v", r)
	}

	acts, origin, err := e.s.Attractions(ctx, e.attractions)
	if err != nil || origin != (Origin{Source: "amadeus"}) || len(acts) == 0 {
		t.Fatalf("attractions: %v %+v %+v", err, origin, acts)
	}
	for _, a := range acts {
		if !strings.HasPrefix(a.Attraction.ID, "amadeus:") || a.PartyCost.Currency != "EUR" || a.Attraction.City != e.activityCity {
			t.Fatalf("attraction %+v", a)
		}
	}
}

// TestAmadeusLocalFallsBackWhenAmadeusFails: an Amadeus that keeps
// failing, however it fails, costs the user nothing but the label: the
// catalog answers, the origin names the catalog and why.
func TestAmadeusLocalFallsBackWhenAmadeusFails(t *testing.T) {
	for name, f := range map[string]amadeusfake.Faults{
		"server errors":      {ServerErrors: 1000},
		"rate limited":       {RateLimited: 1000},
		"quota exceeded":     {QuotaExceeded: true},
		"malformed JSON":     {Malformed: 1000},
		"wrong content type": {WrongContentType: 1000},
	} {
		t.Run(name, func(t *testing.T) {
			e := newAmadeusLocal(t) // a fresh client: no breaker state or cached city code
			e.fake.SetFaults(f)
			ctx := context.Background()
			want := Origin{Source: e.c.Label, Sandbox: e.c.Sandbox, Fallback: "amadeus is unavailable"}

			stays, origin, err := e.s.Stays(ctx, e.stays)
			if err != nil || origin != want || len(stays) == 0 {
				t.Fatalf("stays: %v %+v %d", err, origin, len(stays))
			}
			for _, r := range stays {
				if strings.HasPrefix(r.Stay.ID, "amadeus:") || r.Stay.City != e.stayCity {
					t.Fatalf("a fallback stay not from the catalog: %+v", r.Stay)
				}
			}
			acts, origin, err := e.s.Attractions(ctx, e.attractions)
			if err != nil || origin != want || len(acts) == 0 {
				t.Fatalf("attractions: %v %+v %d", err, origin, len(acts))
			}
			for _, a := range acts {
				if strings.HasPrefix(a.Attraction.ID, "amadeus:") || a.Attraction.City != e.activityCity {
					t.Fatalf("a fallback attraction not from the catalog: %+v", a.Attraction)
				}
			}
			// Both providers did ask Amadeus before giving up.
			if len(e.fake.RequestsTo("/v1/reference-data/locations")) == 0 || len(e.fake.RequestsTo("/v1/shopping/activities")) == 0 {
				t.Fatalf("requests %+v", e.fake.Requests())
			}
		})
	}
}
