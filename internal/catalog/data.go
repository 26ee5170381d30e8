package catalog

import "slices"

// Data is a set of catalog entries. It is a plain container: the search
// package builds its own indexes over it.
type Data struct {
	Countries   []Country
	Regions     []Region
	Cities      []City
	Airports    []Airport
	Airlines    []Airline
	Flights     []Flight
	Stays       []Stay
	Restaurants []Restaurant
	Attractions []Attraction
	Ground      []GroundLeg
}

// Count is the number of entries of every kind.
func (d *Data) Count() int {
	return len(d.Countries) + len(d.Regions) + len(d.Cities) + len(d.Airports) + len(d.Airlines) +
		len(d.Flights) + len(d.Stays) + len(d.Restaurants) + len(d.Attractions) + len(d.Ground)
}

// Keys identify entries for layering: an overlay entry with the same key
// replaces the base entry.
func (c Country) Key() string    { return c.Code }
func (r Region) Key() string     { return r.Code }
func (c City) Key() string       { return c.ID }
func (a Airport) Key() string    { return a.IATA }
func (a Airline) Key() string    { return a.IATA }
func (s Stay) Key() string       { return s.ID }
func (r Restaurant) Key() string { return r.ID }
func (a Attraction) Key() string { return a.ID }
func (g GroundLeg) Key() string  { return g.From + ">" + g.To + ":" + string(g.Mode) }
func (f Flight) Key() string {
	return f.Number + ":" + f.From + ">" + f.To + ":" + f.ValidFrom.String()
}

type keyed interface{ Key() string }

// Layer returns base with overlay on top: overlay entries replace base
// entries with the same key and add the others. Neither input changes.
func Layer(base, overlay *Data) *Data {
	return &Data{
		Countries:   merge(base.Countries, overlay.Countries),
		Regions:     merge(base.Regions, overlay.Regions),
		Cities:      merge(base.Cities, overlay.Cities),
		Airports:    merge(base.Airports, overlay.Airports),
		Airlines:    merge(base.Airlines, overlay.Airlines),
		Flights:     merge(base.Flights, overlay.Flights),
		Stays:       merge(base.Stays, overlay.Stays),
		Restaurants: merge(base.Restaurants, overlay.Restaurants),
		Attractions: merge(base.Attractions, overlay.Attractions),
		Ground:      merge(base.Ground, overlay.Ground),
	}
}

func merge[T keyed](base, over []T) []T {
	if len(over) == 0 {
		return slices.Clone(base)
	}
	replaced := make(map[string]int, len(over))
	for i, o := range over {
		replaced[o.Key()] = i
	}
	out := make([]T, 0, len(base)+len(over))
	for _, b := range base {
		if i, ok := replaced[b.Key()]; ok {
			out = append(out, over[i])
			delete(replaced, b.Key())
			continue
		}
		out = append(out, b)
	}
	for _, o := range over {
		if i, ok := replaced[o.Key()]; ok && over[i].Key() == o.Key() {
			out = append(out, o)
			delete(replaced, o.Key())
		}
	}
	return out
}
