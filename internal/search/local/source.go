// Package local searches what is in a city: stays, restaurants and
// attractions, by city or by a point and radius, with the party's totals
// (rooms needed for the occupancy, nights, per-person costs).
package local

import "pathavana/internal/catalog"

// Source gives a city's inventory. The sandbox generates it on demand; an
// imported catalog indexes its own; Layered stacks them.
type Source interface {
	Stays(cityID string) []catalog.Stay
	Restaurants(cityID string) []catalog.Restaurant
	Attractions(cityID string) []catalog.Attraction
}

// StaticSource indexes a catalog's stays, restaurants and attractions by
// city.
type StaticSource struct {
	stays       map[string][]catalog.Stay
	restaurants map[string][]catalog.Restaurant
	attractions map[string][]catalog.Attraction
}

// NewStaticSource indexes d.
func NewStaticSource(d *catalog.Data) *StaticSource {
	s := &StaticSource{stays: map[string][]catalog.Stay{}, restaurants: map[string][]catalog.Restaurant{},
		attractions: map[string][]catalog.Attraction{}}
	for _, x := range d.Stays {
		s.stays[x.City] = append(s.stays[x.City], x)
	}
	for _, x := range d.Restaurants {
		s.restaurants[x.City] = append(s.restaurants[x.City], x)
	}
	for _, x := range d.Attractions {
		s.attractions[x.City] = append(s.attractions[x.City], x)
	}
	return s
}

func (s *StaticSource) Stays(city string) []catalog.Stay             { return s.stays[city] }
func (s *StaticSource) Restaurants(city string) []catalog.Restaurant { return s.restaurants[city] }
func (s *StaticSource) Attractions(city string) []catalog.Attraction { return s.attractions[city] }

// Layered returns over on top of base: items of over replace base items
// with the same ID, and the rest of both are kept.
func Layered(base, over Source) Source { return layered{base, over} }

type layered struct{ base, over Source }

func (l layered) Stays(city string) []catalog.Stay {
	return merge(l.base.Stays(city), l.over.Stays(city), func(s catalog.Stay) string { return s.ID })
}

func (l layered) Restaurants(city string) []catalog.Restaurant {
	return merge(l.base.Restaurants(city), l.over.Restaurants(city), func(r catalog.Restaurant) string { return r.ID })
}

func (l layered) Attractions(city string) []catalog.Attraction {
	return merge(l.base.Attractions(city), l.over.Attractions(city), func(a catalog.Attraction) string { return a.ID })
}

func merge[T any](base, over []T, id func(T) string) []T {
	if len(over) == 0 {
		return base
	}
	replaced := make(map[string]bool, len(over))
	for _, o := range over {
		replaced[id(o)] = true
	}
	out := make([]T, 0, len(base)+len(over))
	for _, b := range base {
		if !replaced[id(b)] {
			out = append(out, b)
		}
	}
	return append(out, over...)
}
