package sandbox

import (
	"errors"
	"strconv"

	"pathavana/internal/catalog"
	"pathavana/internal/catalog/world"
)

// Build returns the sandbox catalog: the world's countries, regions,
// cities, airports and airlines converted to catalog entries (City.ID is
// the decimal GeoNames id; made-up towns keep their negative id), the
// flights Schedule(Network(w)), and ground legs between nearby cities.
// Stays, restaurants and attractions are not materialised: LocalFor makes
// them per city on demand. The result is the same for the same world.
func Build(w *world.World) (*catalog.Data, error) {
	if w == nil {
		return nil, errors.New("sandbox: no world data")
	}
	d := &catalog.Data{
		Countries: make([]catalog.Country, len(w.Countries)),
		Regions:   make([]catalog.Region, len(w.Regions)),
		Cities:    make([]catalog.City, len(w.Cities)),
		Airports:  make([]catalog.Airport, len(w.Airports)),
		Airlines:  make([]catalog.Airline, len(w.Airlines)),
	}
	for i, c := range w.Countries {
		d.Countries[i] = catalog.Country{Code: c.Code, Name: c.Name, Currency: c.Currency, PriceLevel: c.PriceLevel, Zones: c.Zones}
	}
	for i, r := range w.Regions {
		d.Regions[i] = catalog.Region{Code: r.Code, Name: r.Name, Country: r.Country}
	}
	ids := make(map[int64]string, len(w.Cities))
	for i, c := range w.Cities {
		id := CityID(c.ID)
		ids[c.ID] = id
		d.Cities[i] = catalog.City{ID: id, Name: c.Name, AltNames: c.AltNames, Region: c.Region, Country: c.Country,
			Lat: c.Lat, Lon: c.Lon, Population: c.Population, Zone: c.Zone}
	}
	airports := make(map[string]catalog.Airport, len(w.Airports))
	for i, a := range w.Airports {
		city, ok := ids[a.CityID]
		if !ok {
			city = CityID(a.CityID)
		}
		d.Airports[i] = catalog.Airport{IATA: a.IATA, ICAO: a.ICAO, Name: a.Name, City: city, Country: a.Country,
			Lat: a.Lat, Lon: a.Lon, Zone: a.Zone}
		airports[a.IATA] = d.Airports[i]
	}
	for i, a := range w.Airlines {
		d.Airlines[i] = catalog.Airline{IATA: a.IATA, ICAO: a.ICAO, Name: a.Name, Country: a.Country}
	}
	d.Flights = Schedule(Network(w), airports)
	d.Ground = groundLegs(w, d.Cities)
	return d, nil
}

// CityID is the catalog id of a world city: its GeoNames id in decimal
// ("2267057"; made-up towns keep their sign, "-12").
func CityID(id int64) string { return strconv.FormatInt(id, 10) }
