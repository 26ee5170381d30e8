package sandbox

import (
	"math"
	"slices"

	"pathavana/internal/catalog"
)

// departuresPerDay is the demand model: the product of the two airports'
// partner counts (plus degOffset each) to the power freqExponent, over
// freqDivisor, damped beyond 1,500 km by (1500/distance)^0.4, shared among
// the carriers flying the pair.
func departuresPerDay(degA, degB int, distKM float64, carriers int) float64 {
	factor := math.Min(1, math.Pow(1500/math.Max(distKM, 1), 0.4))
	size := float64((degA + degOffset) * (degB + degOffset))
	return math.Pow(size, freqExponent) / freqDivisor * factor / float64(max(1, carriers))
}

// departureCount turns demand into departures a day, capped by distance.
func departureCount(perDay, distKM float64) int {
	limit := 2
	switch {
	case distKM < 1500:
		limit = 10
	case distKM < 4000:
		limit = 6
	case distKM < 8000:
		limit = 3
	}
	return int(clamp(math.Round(perDay), 1, float64(limit)))
}

// operatingDays is daily from dailyThreshold departures a day; thinner
// routes fly round(7×perDay) days a week (2–6), spread over the week from
// a hashed first day. Both directions fly the same days.
func operatingDays(perDay float64, key routeKey) catalog.Weekdays {
	if perDay >= dailyThreshold {
		return catalog.Daily
	}
	count := int(clamp(math.Round(7*perDay), 2, 6))
	first := newRNG("days", key.carrier, key.lo, key.hi).intn(7)
	var w catalog.Weekdays
	for i := 0; i < count; i++ {
		iso := (first+i*7/count)%7 + 1 // 1 Monday … 7 Sunday
		w |= 1 << iso
	}
	return w
}

// arrival is the local arrival clock and day offset of a departure at local
// minute dep with the given block time and zone difference (destination
// minus origin standard offset).
func arrival(dep, block, zoneDiff int) (clock, day int) {
	total := dep + block + zoneDiff
	day = int(math.Floor(float64(total) / 1440))
	return total - day*1440, day
}

// departureTimes spreads count departures over 06:00–22:00 with hashed
// jitter, moves long-haul departures whose arrival would fall in the
// 00:30–05:30 curfew, and turns the last departure of some long routes
// into a red-eye. The result is sorted and has no duplicates.
func departureTimes(key routeKey, from string, count, block, zoneDiff int) []int {
	r := newRNG("times", key.carrier, key.lo, key.hi, from)
	spacing := float64(dayEnd-dayStart) / float64(count)
	jitter := math.Min(25, spacing/4)
	times := make([]int, 0, count)
	for i := 0; i < count; i++ {
		t := float64(dayStart) + (float64(i)+0.5)*spacing + r.between(-jitter, jitter)
		dep := int(math.Round(t/5)) * 5
		if block >= longBlock {
			dep = avoidCurfew(dep, block, zoneDiff)
		}
		times = append(times, dep)
	}
	if block >= redEyeBlock && count >= 2 && r.chance(redEyeChance) {
		target := 6*60 + 5*r.intn(30) // arrive 06:00–08:25 next morning
		dep := ((target-block-zoneDiff)%1440 + 1440) % 1440
		if dep >= dayEnd && dep < 1440 {
			if _, day := arrival(dep, block, zoneDiff); day >= 1 {
				times[count-1] = dep
			}
		}
	}
	slices.Sort(times)
	for i := 1; i < len(times); i++ {
		if times[i] <= times[i-1] {
			times[i] = times[i-1] + 10
		}
	}
	for len(times) > 0 && times[len(times)-1] >= 1440 {
		times = times[:len(times)-1]
	}
	return times
}

// avoidCurfew shifts dep by the smallest multiple of 30 minutes (earlier
// first) that keeps it within 06:00–22:00 and lands outside the curfew.
func avoidCurfew(dep, block, zoneDiff int) int {
	inCurfew := func(d int) bool {
		a, _ := arrival(d, block, zoneDiff)
		return a >= curfewFrom && a < curfewTo
	}
	if !inCurfew(dep) {
		return dep
	}
	for shift := 30; shift <= 12*60; shift += 30 {
		for _, d := range []int{dep - shift, dep + shift} {
			if d >= dayStart && d < dayEnd && !inCurfew(d) {
				return d
			}
		}
	}
	return dep
}
