package catalog

import "fmt"

// checkReferences reports entries that name something neither the new data
// nor the base it will be layered on defines.
func (p *parser) checkReferences(base *Data) {
	if base == nil {
		base = &Data{}
	}
	d := &p.data
	countries := keySet(base.Countries, d.Countries)
	cities := keySet(base.Cities, d.Cities)
	airports := keySet(base.Airports, d.Airports)
	airlines := keySet(base.Airlines, d.Airlines)
	at := func(v keyed) pos { return p.where[fmt.Sprintf("%T:%s", v, v.Key())] }
	missing := func(v keyed, field, kind, value string) {
		p.fail(at(v), "%s: no %s %q in this catalog or the one it is layered on", field, kind, value)
	}
	for _, r := range d.Regions {
		if !countries[r.Country] {
			missing(r, "country", "country", r.Country)
		}
	}
	for _, c := range d.Cities {
		if !countries[c.Country] {
			missing(c, "country", "country", c.Country)
		}
	}
	for _, a := range d.Airports {
		if !cities[a.City] {
			missing(a, "city", "city", a.City)
		}
	}
	for _, f := range d.Flights {
		if !airlines[f.Carrier] {
			missing(f, "carrier", "airline", f.Carrier)
		}
		for _, code := range []string{f.From, f.To} {
			if !airports[code] {
				missing(f, "from/to", "airport", code)
			}
		}
	}
	for _, s := range d.Stays {
		if !cities[s.City] {
			missing(s, "city", "city", s.City)
		}
	}
	for _, r := range d.Restaurants {
		if !cities[r.City] {
			missing(r, "city", "city", r.City)
		}
	}
	for _, a := range d.Attractions {
		if !cities[a.City] {
			missing(a, "city", "city", a.City)
		}
	}
	for _, g := range d.Ground {
		for _, c := range []string{g.From, g.To} {
			if !cities[c] {
				missing(g, "from/to", "city", c)
			}
		}
	}
}

func keySet[T keyed](lists ...[]T) map[string]bool {
	set := map[string]bool{}
	for _, l := range lists {
		for _, v := range l {
			set[v.Key()] = true
		}
	}
	return set
}
