// Package search answers travel searches: over a catalog (the sandbox, an
// imported catalog, or one layered over the other) and, when configured,
// over real providers (Amadeus), falling back to the catalog when a provider
// fails. Results say where they came from.
//
// The engines live in sub-packages: places (place resolution), flights
// (schedules and connections), local (stays, restaurants, attractions). This
// package assembles them and holds the provider plumbing.
package search

import (
	"fmt"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/catalog/sandbox"
	"pathavana/internal/catalog/world"
	"pathavana/internal/money"
	"pathavana/internal/search/flights"
	"pathavana/internal/search/local"
	"pathavana/internal/search/places"
)

// Overlay is an imported catalog and how it combines with what is below it.
type Overlay struct {
	Name string
	// Version identifies the content (its SHA-256), for cache keys.
	Version string
	// Replace makes the overlay the whole catalog; otherwise its entries
	// replace same-key entries below and add the rest.
	Replace bool
	Data    *catalog.Data
}

// Catalog is the searchable inventory with its indexes. It is immutable:
// importing a catalog builds a new one.
type Catalog struct {
	Data    *catalog.Data
	Places  *places.Resolver
	Flights *flights.Index
	Local   local.Source
	// Label names what is in it: "sandbox", "sandbox+<name>", "<name>".
	Label string
	// Version changes whenever the content does (search cache keys use it).
	Version string
	// Sandbox is true when any of it is generated sandbox inventory rather
	// than real availability, which the API and UI must say.
	Sandbox bool
}

// NewSandboxCatalog builds the default catalog from the world data, with the
// overlays applied in order.
func NewSandboxCatalog(w *world.World, overlays []Overlay, now func() time.Time) (*Catalog, error) {
	base, err := sandbox.Build(w)
	if err != nil {
		return nil, fmt.Errorf("search: building the sandbox: %w", err)
	}
	return newCatalog(base, newSandboxSource(base), "sandbox", true, overlays, flights.Pricer(sandbox.Fare), now)
}

// NewCatalog builds a catalog from data alone (no sandbox), overlays applied
// in order. Fares are the catalog's own, unchanged by date.
func NewCatalog(d *catalog.Data, label string, overlays []Overlay, now func() time.Time) (*Catalog, error) {
	return newCatalog(d, local.NewStaticSource(d), label, false, overlays, nil, now)
}

func newCatalog(d *catalog.Data, src local.Source, label string, isSandbox bool, overlays []Overlay,
	pricer flights.Pricer, now func() time.Time) (*Catalog, error) {
	version := label
	imported := map[string]bool{} // keys of flights layered over a priced base
	for _, o := range overlays {
		static := local.NewStaticSource(o.Data)
		version += "+" + o.Name + ":" + o.Version
		if o.Replace {
			d, src, label, isSandbox, pricer = o.Data, static, o.Name, false, nil
			if !hasLocal(o.Data) {
				// A network without places to stay or eat (an OpenFlights
				// import) still gets the generated ones of its cities.
				src, label, isSandbox = newSandboxSource(o.Data), o.Name+"+sandbox-local", true
			}
			continue
		}
		d = catalog.Layer(d, o.Data)
		src = local.Layered(src, static)
		for _, f := range o.Data.Flights {
			imported[f.Key()] = true
		}
		label += "+" + o.Name
	}
	ix, err := flights.NewIndex(d, flights.Options{Pricer: keepImportedFares(d, imported, pricer), Now: now})
	if err != nil {
		return nil, fmt.Errorf("search: indexing flights of %s: %w", label, err)
	}
	return &Catalog{Data: d, Places: places.NewResolver(d), Flights: ix, Local: src, Label: label, Version: version, Sandbox: isSandbox}, nil
}

// keepImportedFares prices imported flights at their own fares and the rest
// with pricer: the sandbox's season and lead-time model must not change a
// negotiated fare layered over it. It matches flights by address (the index
// prices &d.Flights[i]), so the hot path does no key building.
func keepImportedFares(d *catalog.Data, imported map[string]bool, pricer flights.Pricer) flights.Pricer {
	if pricer == nil || len(imported) == 0 {
		return pricer
	}
	own := make(map[*catalog.Flight]bool, len(imported))
	for i := range d.Flights {
		if imported[d.Flights[i].Key()] {
			own[&d.Flights[i]] = true
		}
	}
	return func(f *catalog.Flight, c catalog.Cabin, day, today time.Time) (money.Money, bool) {
		if own[f] {
			return flights.DefaultPricer(f, c, day, today)
		}
		return pricer(f, c, day, today)
	}
}

func hasLocal(d *catalog.Data) bool {
	return len(d.Stays)+len(d.Restaurants)+len(d.Attractions) > 0
}

// sandboxSource generates a city's stays, restaurants and attractions on
// demand (sandbox.LocalFor is deterministic), so the thousands of cities
// cost no memory until someone looks at them.
type sandboxSource struct {
	cities    map[string]catalog.City
	countries map[string]catalog.Country
}

func newSandboxSource(d *catalog.Data) *sandboxSource {
	s := &sandboxSource{cities: make(map[string]catalog.City, len(d.Cities)),
		countries: make(map[string]catalog.Country, len(d.Countries))}
	for _, c := range d.Cities {
		s.cities[c.ID] = c
	}
	for _, c := range d.Countries {
		s.countries[c.Code] = c
	}
	return s
}

func (s *sandboxSource) local(cityID string) sandbox.Local {
	city, ok := s.cities[cityID]
	if !ok {
		return sandbox.Local{}
	}
	return sandbox.LocalFor(city, s.countries[city.Country])
}

func (s *sandboxSource) Stays(cityID string) []catalog.Stay { return s.local(cityID).Stays }
func (s *sandboxSource) Restaurants(cityID string) []catalog.Restaurant {
	return s.local(cityID).Restaurants
}
func (s *sandboxSource) Attractions(cityID string) []catalog.Attraction {
	return s.local(cityID).Attractions
}
