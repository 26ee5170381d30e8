package flights

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pathavana/internal/catalog"
)

var mediumNetwork = networkSpec{airports: 220, hubs: 25, hubLinks: 14, trunks: 8, freqScale: 100}

// randomTrip is randomQuery with a return or onward slices sometimes.
func randomTrip(d *catalog.Data, i int) Query {
	q := randomQuery(d, i)
	first := q.Slices[0]
	switch hashOf(uint64(i), 99) % 3 {
	case 1:
		q.Slices = append(q.Slices, Slice{From: first.To, To: first.From, Date: catalog.Date{Time: first.Date.AddDate(0, 0, 1+int(hashOf(uint64(i), 98)%6))}})
	case 2:
		next := d.Airports[hashOf(uint64(i), 97)%uint64(len(d.Airports))].IATA
		if !slices.Contains(first.To, next) {
			q.Slices = append(q.Slices, Slice{From: first.To, To: []string{next}, Date: catalog.Date{Time: first.Date.AddDate(0, 0, 2)}})
		}
	}
	return q
}

func render(its []Itinerary) string {
	var b strings.Builder
	for _, it := range its {
		for _, l := range it.Legs {
			for _, s := range l.Segments {
				fmt.Fprintf(&b, "%s@%s ", s.Flight.Number, s.Departs.UTC().Format(time.RFC3339))
			}
			b.WriteString("| ")
		}
		fmt.Fprintf(&b, "%s %s\n", it.Price, it.Price.Currency)
	}
	return b.String()
}

// The answer depends on the catalog, not on the order of its flights.
func TestDeterministicAcrossInputOrder(t *testing.T) {
	d := syntheticNetwork(t, mediumNetwork)
	shuffled := *d
	shuffled.Flights = slices.Clone(d.Flights)
	for i := len(shuffled.Flights) - 1; i > 0; i-- {
		j := int(hashOf(uint64(i), 7) % uint64(i+1))
		shuffled.Flights[i], shuffled.Flights[j] = shuffled.Flights[j], shuffled.Flights[i]
	}
	now := func() time.Time { return time.Date(2027, 3, 8, 15, 0, 0, 0, time.UTC) }
	a, err := NewIndex(d, Options{Now: now, Pricer: hashPricer})
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewIndex(&shuffled, Options{Now: now, Pricer: hashPricer})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		q := randomTrip(d, i)
		x, y, again := render(search(t, a, q)), render(search(t, b, q)), render(search(t, a, q))
		if x != y || x != again {
			t.Fatalf("query %d differs:\n%s\nvs shuffled\n%s\nvs again\n%s", i, x, y, again)
		}
	}
}

// One index serves concurrent searches (run with -race).
func TestConcurrentSearches(t *testing.T) {
	d := syntheticNetwork(t, mediumNetwork)
	ix, err := NewIndex(d, Options{Now: func() time.Time { return time.Date(2027, 3, 8, 15, 0, 0, 0, time.UTC) }, Pricer: hashPricer})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]string, 16)
	for i := range want {
		want[i] = render(search(t, ix, randomTrip(d, i)))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(want))
	for range 4 {
		wg.Go(func() {
			for i := range want {
				its, err := ix.Search(context.Background(), randomTrip(d, i))
				if err != nil || render(its) != want[i] {
					errs <- fmt.Sprintf("query %d: %v", i, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// Every itinerary of random one-way, round-trip and multi-city queries
// obeys the rules, whatever the sort.
func TestItineraryInvariants(t *testing.T) {
	d := syntheticNetwork(t, mediumNetwork)
	now := time.Date(2027, 3, 8, 15, 0, 0, 0, time.UTC)
	ix, err := NewIndex(d, Options{Now: func() time.Time { return now }, Pricer: hashPricer})
	if err != nil {
		t.Fatal(err)
	}
	n := 120
	if testing.Short() {
		n = 30
	}
	multi := 0
	for i := range n {
		q := randomTrip(d, 1000+i)
		its := search(t, ix, q)
		if len(q.Slices) > 1 && len(its) > 0 {
			multi++
		}
		if err := checkItineraries(ix, q, its, now); err != nil {
			t.Fatalf("query %d (%+v): %v\n%s", i, q, err, render(its))
		}
	}
	if multi < n/10 {
		t.Fatalf("only %d multi-slice queries found itineraries", multi)
	}
}

// checkItineraries verifies the rules every answer must obey.
func checkItineraries(ix *Index, q Query, its []Itinerary, now time.Time) error {
	limit := q.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	if len(its) > limit {
		return fmt.Errorf("%d itineraries, limit %d", len(its), limit)
	}
	pax := q.Passengers
	if pax == (Passengers{}) {
		pax.Adults = 1
	}
	cabin := q.Cabin
	if cabin == "" {
		cabin = catalog.Economy
	}
	seen := map[string]bool{}
	for _, it := range its {
		if len(it.Legs) != len(q.Slices) {
			return fmt.Errorf("%d legs for %d slices", len(it.Legs), len(q.Slices))
		}
		key := render([]Itinerary{it})
		if seen[key] {
			return fmt.Errorf("duplicate itinerary %s", key)
		}
		seen[key] = true
		for li, l := range it.Legs {
			sl := q.Slices[li]
			if l.Stops != len(l.Segments)-1 || l.Stops > q.MaxStops {
				return fmt.Errorf("leg %d: %d stops, max %d", li, l.Stops, q.MaxStops)
			}
			first, last := l.Segments[0], l.Segments[len(l.Segments)-1]
			if !slices.Contains(normalCodes(sl.From), first.Flight.From) || !slices.Contains(normalCodes(sl.To), last.Flight.To) {
				return fmt.Errorf("leg %d flies %s→%s", li, first.Flight.From, last.Flight.To)
			}
			if l.Duration != last.Arrives.Sub(first.Departs) || (q.MaxDuration > 0 && l.Duration > q.MaxDuration) {
				return fmt.Errorf("leg %d duration %v", li, l.Duration)
			}
			if first.Departs.Before(now) {
				return fmt.Errorf("leg %d departs in the past", li)
			}
			if li > 0 {
				prev := it.Legs[li-1].Segments[len(it.Legs[li-1].Segments)-1].Arrives
				if first.Departs.Sub(prev) < minSliceGapMinutes*time.Minute {
					return fmt.Errorf("leg %d departs %v after leg %d lands", li, first.Departs.Sub(prev), li-1)
				}
			}
			visited := map[string]bool{first.Flight.From: true}
			for si, s := range l.Segments {
				f := s.Flight
				if visited[f.To] {
					return fmt.Errorf("leg %d revisits %s", li, f.To)
				}
				visited[f.To] = true
				if n, ok := f.Seats[cabin]; ok && n < pax.Adults+pax.Children {
					return fmt.Errorf("%s has %d seats for %d travellers", f.Number, n, pax.Adults+pax.Children)
				}
				if slices.Contains(normalCodes(q.ExcludeAirlines), f.Carrier) {
					return fmt.Errorf("%s is excluded", f.Number)
				}
				if s.Departs.Format("15:04") != f.Departs.String() || s.Arrives.Format("15:04") != f.Arrives.String() {
					return fmt.Errorf("%s times %v→%v do not match the schedule", f.Number, s.Departs, s.Arrives)
				}
				if !f.Days.Has(s.Departs.Weekday()) {
					return fmt.Errorf("%s does not fly on %s", f.Number, s.Departs.Weekday())
				}
				if si > 0 {
					prev := l.Segments[si-1]
					layover := s.Departs.Sub(prev.Arrives)
					mct := time.Duration(ix.airports[ix.byCode[f.From]].mct[0]) * time.Minute
					if prev.Flight.To != f.From || layover < mct || layover > time.Duration(relaxedBounds.maxLayover)*time.Minute {
						return fmt.Errorf("bad connection %s→%s: %v", prev.Flight.Number, f.Number, layover)
					}
				}
			}
		}
	}
	return nil
}

func normalCodes(codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	return out
}
