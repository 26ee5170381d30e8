package sandbox

import (
	"math"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
)

// currency of every sandbox price.
const currency = "USD"

// usd is a whole-dollar amount (FromMinor cannot fail for "USD").
func usd(dollars int64) money.Money {
	m, _ := money.FromMinor(dollars*100, currency)
	return m
}

// Economy base fare = economyFixedUSD + economyPerKM × distance^economyExp.
const (
	economyFixedUSD = 25
	economyPerKM    = 0.45
	economyExp      = 0.8
)

// cabinMultiplier scales the economy base fare. Business grows from 2.5×
// on short flights (up to 1,000 km) to 4× on long-haul (6,000 km and more).
func cabinMultiplier(c catalog.Cabin, distKM float64) float64 {
	switch c {
	case catalog.PremiumEconomy:
		return 1.6
	case catalog.Business:
		return 2.5 + 1.5*clamp((distKM-1000)/5000, 0, 1)
	case catalog.First:
		return 6.5
	}
	return 1
}

// baseFareUSD is the base one-way adult fare in whole dollars.
func baseFareUSD(distKM float64, c catalog.Cabin) int64 {
	economy := economyFixedUSD + economyPerKM*math.Pow(math.Max(0, distKM), economyExp)
	return int64(math.Round(economy * cabinMultiplier(c, distKM)))
}

// Fare is the price of one adult seat on flight f in cabin c departing on
// local date day, when bought on date today: the base fare × season ×
// weekday × lead time, rounded to whole currency units. Only the calendar
// dates of day and today count (each in its own location). ok is false when
// the cabin is not sold on f, or when day is before today (no longer on
// sale). Whether f operates on day is the caller's check (f.Days).
func Fare(f *catalog.Flight, c catalog.Cabin, day, today time.Time) (price money.Money, ok bool) {
	if f == nil {
		return money.Money{}, false
	}
	base, sold := f.Fares[c]
	if !sold || base.Minor <= 0 {
		return money.Money{}, false
	}
	lead := daysBetween(today, day)
	if lead < 0 {
		return money.Money{}, false
	}
	factor := seasonFactor(day) * weekdayFactor(day.Weekday()) * leadFactor(lead)
	unit := int64(1)
	if exp, known := money.Exponent(base.Currency); known {
		for i := 0; i < exp; i++ {
			unit *= 10
		}
	}
	units := math.Round(float64(base.Minor) / float64(unit) * factor)
	return money.Money{Minor: int64(units) * unit, Currency: base.Currency}, true
}

// daysBetween counts calendar days from a's date to b's date.
func daysBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	da := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// monthFactor is the season by month (northern-hemisphere travel pattern:
// summer and December peaks, January–February and November troughs).
var monthFactor = [13]float64{0,
	0.90, 0.88, 0.95, 1.00, 1.00, 1.12, 1.25, 1.22, 0.97, 0.98, 0.90, 1.10}

// Holiday peaks replace the month factor.
const (
	christmasFactor = 1.35 // 18 December – 3 January
	easterFactor    = 1.15 // Palm Sunday to Easter Monday + 1 week (Western Easter)
)

// seasonFactor is the month factor, or a holiday peak.
func seasonFactor(day time.Time) float64 {
	y, m, d := day.Date()
	if (m == time.December && d >= 18) || (m == time.January && d <= 3) {
		return christmasFactor
	}
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	easter := easterSunday(y)
	if !date.Before(easter.AddDate(0, 0, -7)) && !date.After(easter.AddDate(0, 0, 8)) {
		return easterFactor
	}
	return monthFactor[m]
}

// easterSunday is Western (Gregorian) Easter, by the anonymous Gregorian
// algorithm (Meeus/Jones/Butcher).
func easterSunday(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// weekdayFactor: Friday and Sunday dearer, Tuesday and Wednesday cheaper.
func weekdayFactor(d time.Weekday) float64 {
	return [7]float64{
		time.Sunday: 1.10, time.Monday: 1.00, time.Tuesday: 0.90, time.Wednesday: 0.92,
		time.Thursday: 1.00, time.Friday: 1.12, time.Saturday: 0.97,
	}[d]
}

// leadPoints is the lead-time curve (days before departure → factor),
// linear between points and flat after the last: last-minute dearest, the
// sweet spot 21–56 days (3–8 weeks) out, far-future a little dearer.
var leadPoints = [][2]float64{
	{0, 1.60}, {7, 1.30}, {14, 1.12}, {21, 0.92}, {56, 0.92}, {120, 1.00}, {240, 1.08}, {330, 1.15},
}

func leadFactor(days int) float64 {
	x := float64(days)
	for k := 1; k < len(leadPoints); k++ {
		p, q := leadPoints[k-1], leadPoints[k]
		if x <= q[0] {
			return p[1] + (q[1]-p[1])*(x-p[0])/(q[0]-p[0])
		}
	}
	return leadPoints[len(leadPoints)-1][1]
}
