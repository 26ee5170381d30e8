package flights

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"pathavana/internal/catalog"

	// Zones must load on images without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Index is an immutable search structure over a catalog's flights. It is
// safe for concurrent searches. It keeps pointers into the Data it was built
// from (Segment.Flight), so that Data must not change afterwards.
type Index struct {
	airports []airportRec
	byCode   map[string]int32
	flights  []flightRec
	routes   []route
	pairs    map[uint64]int32 // from<<32|to → route
	carriers map[string]bool  // every carrier code known to the catalog
	pricer   Pricer
	now      func() time.Time
	scratch  sync.Pool // *scratch: per-search memory for reuse
}

type airportRec struct {
	code     string
	country  string
	lat, lon float64 // radians
	zone     *zoneTable
	mct      [2]int64 // minimum connection minutes: [domestic, international]
	out, in  []int32  // routes departing from / arriving at this airport
}

type flightRec struct {
	f                  *catalog.Flight
	from, to           int32 // airports
	dep, arr           int64 // local clock minutes
	arrDay             int64
	days               catalog.Weekdays
	validFrom, validTo int64 // day numbers, inclusive
	carrier            string
	redEye             bool
	// seats per cabin (catalog.Cabins order); a cabin without a count is
	// taken as having seats, since catalogs may leave availability out.
	seats [4]int
}

// route is every flight between one ordered pair of airports.
type route struct {
	from, to int32
	distKM   float64
	flights  []int32 // by local departure time, then flight number
	// minMinutes is a lower bound on any of its flights' durations on any
	// date in the zone tables' range (schedule time corrected by the
	// extreme offsets of both zones), for pruning before instances exist.
	minMinutes int64
}

// Default minimum connection times, minutes. An airport is "large" when it
// has at least largeAirportWeekly departures a week in the catalog (about
// 100 a day: the hubs where terminals are far apart).
const (
	mctDomestic        = 45
	mctInternational   = 60
	mctIntlLarge       = 90
	largeAirportWeekly = 700
)

// maxProblemsReported caps NewIndex's error list.
const maxProblemsReported = 20

// NewIndex builds indexes over d's airports and flights. Airports give
// zones and countries; an invalid zone, or a flight naming an unknown
// airport or with times out of range, is reported as an error.
func NewIndex(d *catalog.Data, opts Options) (*Index, error) {
	ix := &Index{
		byCode:   make(map[string]int32, len(d.Airports)),
		carriers: make(map[string]bool, len(d.Airlines)),
		pricer:   opts.Pricer,
		now:      opts.Now,
	}
	if ix.pricer == nil {
		ix.pricer = DefaultPricer
	}
	if ix.now == nil {
		ix.now = time.Now
	}
	var problems []string
	fail := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	nowMin := floorDiv(ix.now().Unix(), 60)
	lo, hi := nowMin-60*minutesPerDay, nowMin+3*366*minutesPerDay
	zones := map[string]*zoneTable{}
	for _, a := range d.Airports {
		if _, dup := ix.byCode[a.IATA]; dup {
			fail("airport %s: listed twice", a.IATA)
			continue
		}
		z, ok := zones[a.Zone]
		if !ok {
			loc, err := loadZone(a.Zone)
			if err != nil {
				fail("airport %s: zone %q: %v", a.IATA, a.Zone, err)
				continue
			}
			z = newZoneTable(loc, lo, hi)
			zones[a.Zone] = z
		}
		ix.byCode[a.IATA] = int32(len(ix.airports))
		ix.airports = append(ix.airports, airportRec{
			code: a.IATA, country: a.Country, zone: z,
			lat: a.Lat * math.Pi / 180, lon: a.Lon * math.Pi / 180,
		})
	}
	for _, al := range d.Airlines {
		ix.carriers[al.IATA] = true
	}
	ix.flights = make([]flightRec, 0, len(d.Flights))
	for i := range d.Flights {
		f := &d.Flights[i]
		if msg := flightProblem(f, ix.byCode); msg != "" {
			fail("flight %s %s→%s: %s", f.Number, f.From, f.To, msg)
			continue
		}
		ix.carriers[f.Carrier] = true
		r := newFlightRec(f)
		r.from, r.to = ix.byCode[f.From], ix.byCode[f.To]
		ix.flights = append(ix.flights, r)
	}
	if len(problems) > 0 {
		return nil, problemsError(problems)
	}
	ix.buildRoutes()
	ix.setConnectionTimes(opts.MinConnection)
	return ix, nil
}

func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return nil, errors.New("missing")
	}
	if strings.EqualFold(name, "local") {
		return nil, errors.New("must be an IANA zone name, not Local")
	}
	return time.LoadLocation(name)
}

// flightProblem says what makes f unusable, "" when nothing does.
func flightProblem(f *catalog.Flight, byCode map[string]int32) string {
	_, okFrom := byCode[f.From]
	_, okTo := byCode[f.To]
	switch {
	case !okFrom && !okTo:
		return "unknown airports " + f.From + " and " + f.To
	case !okFrom:
		return "unknown airport " + f.From
	case !okTo:
		return "unknown airport " + f.To
	case f.From == f.To:
		return "departs from and arrives at the same airport"
	case f.Departs < 0 || f.Departs >= minutesPerDay || f.Arrives < 0 || f.Arrives >= minutesPerDay:
		return "departure and arrival must be times of day (00:00–23:59)"
	case f.ArrivalDay < -1 || f.ArrivalDay > 2:
		return "arrival day must be -1, 0, 1 or 2"
	case f.Days == 0:
		return "no days of operation"
	}
	return ""
}

func newFlightRec(f *catalog.Flight) flightRec {
	r := flightRec{
		f: f, dep: int64(f.Departs), arr: int64(f.Arrives), arrDay: int64(f.ArrivalDay),
		days: f.Days, carrier: f.Carrier, validFrom: math.MinInt64, validTo: math.MaxInt64,
	}
	if !f.ValidFrom.IsZero() {
		r.validFrom = dayNumber(f.ValidFrom.Time)
	}
	if !f.ValidTo.IsZero() {
		r.validTo = dayNumber(f.ValidTo.Time)
	}
	// A red-eye flies through the traveller's night: it leaves 22:00–23:59
	// and lands on a later date, or leaves 00:00–04:59 (the night began the
	// day before) and lands that day or later. A westbound date-line hop
	// landing the previous date does neither.
	for i, c := range catalog.Cabins {
		r.seats[i] = math.MaxInt
		if n, ok := f.Seats[c]; ok {
			r.seats[i] = n
		}
	}
	r.redEye = (r.dep >= 22*60 && r.arrDay >= 1) || (r.dep < 5*60 && r.arrDay >= 0)
	return r
}

// operates reports whether the flight departs on local day number day.
func (r *flightRec) operates(day int64) bool {
	return day >= r.validFrom && day <= r.validTo && r.days&(1<<isoWeekday(day)) != 0
}

func problemsError(problems []string) error {
	n := len(problems)
	if n > maxProblemsReported {
		problems = append(problems[:maxProblemsReported:maxProblemsReported],
			fmt.Sprintf("… and %d more", n-maxProblemsReported))
	}
	return fmt.Errorf("flight index: %d problem(s):\n%s", n, strings.Join(problems, "\n"))
}

func pairKey(from, to int32) uint64 { return uint64(uint32(from))<<32 | uint64(uint32(to)) }

// buildRoutes puts the flights in a canonical order (origin, destination,
// departure time, number, season), so indexes, and the tie-breaks that use
// them, do not depend on the input order; then groups them by airport pair.
func (ix *Index) buildRoutes() {
	// Airports ranked by code: the canonical order must not depend on the
	// order airports were listed in either.
	byCode := make([]int32, len(ix.airports))
	for i := range byCode {
		byCode[i] = int32(i)
	}
	slices.SortFunc(byCode, func(a, b int32) int { return cmp.Compare(ix.airports[a].code, ix.airports[b].code) })
	rank := make([]int32, len(ix.airports))
	for r, a := range byCode {
		rank[a] = int32(r)
	}
	order := make([]int32, len(ix.flights))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &ix.flights[i], &ix.flights[j]
		if c := cmp.Compare(rank[a.from], rank[b.from]); c != 0 { // cheap keys first: this sort
			return c // dominates NewIndex
		}
		if c := cmp.Compare(rank[a.to], rank[b.to]); c != 0 {
			return c
		}
		if c := cmp.Compare(a.dep, b.dep); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.f.Number, b.f.Number), cmp.Compare(a.validFrom, b.validFrom), cmp.Compare(a.validTo, b.validTo),
			cmp.Compare(a.arrDay*minutesPerDay+a.arr, b.arrDay*minutesPerDay+b.arr), cmp.Compare(a.days, b.days), cmp.Compare(i, j))
	})
	sorted := make([]flightRec, len(order))
	for k, i := range order {
		sorted[k] = ix.flights[i]
	}
	ix.flights = sorted
	ix.pairs = make(map[uint64]int32)
	for i := range ix.flights {
		fi := int32(i)
		from, to := ix.flights[fi].from, ix.flights[fi].to
		key := pairKey(from, to)
		ri, ok := ix.pairs[key]
		if !ok {
			ri = int32(len(ix.routes))
			ix.pairs[key] = ri
			ix.routes = append(ix.routes, route{from: from, to: to,
				distKM: greatCircleKM(&ix.airports[from], &ix.airports[to])})
			ix.airports[from].out = append(ix.airports[from].out, ri)
			ix.airports[to].in = append(ix.airports[to].in, ri)
		}
		r := &ix.routes[ri]
		f := &ix.flights[fi]
		lb := max(0, f.arrDay*minutesPerDay+f.arr-f.dep+ix.airports[from].zone.minOff-ix.airports[to].zone.maxOff)
		if len(r.flights) == 0 || lb < r.minMinutes {
			r.minMinutes = lb
		}
		r.flights = append(r.flights, fi)
	}
}

// setConnectionTimes fixes every airport's minimum connection times once,
// so the search never calls out per connection.
func (ix *Index) setConnectionTimes(custom func(string, bool) time.Duration) {
	weekly := make([]int, len(ix.airports))
	for _, r := range ix.routes {
		for _, fi := range r.flights {
			weekly[r.from] += bitsSet(ix.flights[fi].days)
		}
	}
	for i := range ix.airports {
		a := &ix.airports[i]
		if custom != nil {
			a.mct[0] = durationMinutes(custom(a.code, false))
			a.mct[1] = durationMinutes(custom(a.code, true))
			continue
		}
		a.mct = [2]int64{mctDomestic, mctInternational}
		if weekly[i] >= largeAirportWeekly {
			a.mct[1] = mctIntlLarge
		}
	}
}

// durationMinutes rounds up to whole minutes, never below zero.
func durationMinutes(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Minute - 1) / time.Minute)
}

func bitsSet(w catalog.Weekdays) int {
	n := 0
	for d := 1; d <= 7; d++ {
		if w&(1<<d) != 0 {
			n++
		}
	}
	return n
}
