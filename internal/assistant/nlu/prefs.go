package nlu

import (
	"regexp"
	"slices"
	"strings"
)

// Prefs are the local constraints and preferences of a request. Room
// types and cuisines use the catalog's vocabulary (hotel_room,
// entire_home, private_room, shared_room; cuisine names title-cased).
type Prefs struct {
	Cabin     string // economy, premium_economy, business, first; "" unsaid
	Nonstop   bool
	NoRedEye  bool
	NoFlights bool // "no flights", "self-driving only": ground transport
	SelfDrive bool
	RoomTypes []string
	Rules     HouseRules
	Cuisines  []string
}

// HouseRules a stay must allow.
type HouseRules struct {
	Smoking, Parties, ChildrenUnder10, Pets, Visitors bool
}

var (
	cabinRes = []struct {
		re    *regexp.Regexp
		cabin string
	}{
		{regexp.MustCompile(`\bpremium[\s-]economy\b`), "premium_economy"},
		{regexp.MustCompile(`\bbusiness(?:\s+class)?\b`), "business"},
		{regexp.MustCompile(`\bfirst[\s-]class\b`), "first"},
		{regexp.MustCompile(`\b(?:economy|coach)\b`), "economy"},
	}
	nonstopRe   = regexp.MustCompile(`\b(?:non[\s-]?stop|direct\s+flights?|no\s+(?:connections|layovers|stops))\b`)
	redEyeRe    = regexp.MustCompile(`\bno\s+red[\s-]?eyes?\b`)
	noFlightsRe = regexp.MustCompile(`\b(?:no\s+(?:flights?|flying|planes?)|(?:don'?t|do\s+not|won'?t)\s+(?:want\s+to\s+)?fly|road\s+trip|self[\s-]?driv(?:e|ing)(?:\s+only)?|by\s+car|drive\s+(?:there|ourselves))\b`)
	selfDriveRe = regexp.MustCompile(`\b(?:self[\s-]?driv(?:e|ing)|road\s+trip|by\s+car|drive\s+(?:there|ourselves)|rent(?:al)?\s+(?:a\s+)?car)\b`)
	roomRes     = []struct {
		re   *regexp.Regexp
		kind string
	}{
		{regexp.MustCompile(`\b(?:entire\s+(?:room|home|house|place|apartment|flat)|whole\s+(?:house|place|apartment|flat)|(?:an?\s+)?(?:apartment|villa|cabin|cottage))\b`), "entire_home"},
		{regexp.MustCompile(`\bprivate\s+rooms?\b`), "private_room"},
		{regexp.MustCompile(`\b(?:shared\s+rooms?|hostel|dorm(?:itory)?)\b`), "shared_room"},
		{regexp.MustCompile(`\bhotels?\b`), "hotel_room"},
	}
	allowRe = regexp.MustCompile(`\b(?:allow(?:s|ing)?|must\s+allow|accept(?:s|ing)?|friendly|ok\s+with|okay\s+with|welcome|permit(?:s|ted)?)\b`)
	ruleRes = []struct {
		re  *regexp.Regexp
		set func(*HouseRules)
	}{
		{regexp.MustCompile(`\b(?:pets?|dogs?|cats?)\b`), func(h *HouseRules) { h.Pets = true }},
		{regexp.MustCompile(`\bpart(?:y|ies)\b`), func(h *HouseRules) { h.Parties = true }},
		{regexp.MustCompile(`\bsmok(?:e|ing|ers?)\b`), func(h *HouseRules) { h.Smoking = true }},
		{regexp.MustCompile(`\b(?:children|kids)\s+under\s+10\b|\btoddlers?\b`), func(h *HouseRules) { h.ChildrenUnder10 = true }},
		{regexp.MustCompile(`\b(?:visitors|guests\s+over)\b`), func(h *HouseRules) { h.Visitors = true }},
	}
	cuisineWords = []string{"American", "Brazilian", "Chinese", "French", "Greek", "Indian", "Italian", "Japanese",
		"Korean", "Lebanese", "Mediterranean", "Mexican", "Middle Eastern", "Portuguese", "Seafood", "Spanish",
		"Steakhouse", "Thai", "Turkish", "Vegan", "Vegetarian", "Vietnamese"}
	cuisineRe = regexp.MustCompile(`\b(american|brazilian|chinese|french|greek|indian|italian|japanese|korean|lebanese|mediterranean|mexican|middle\s+eastern|portuguese|seafood|spanish|steak(?:house)?|thai|turkish|vegan|vegetarian|veggie|vietnamese|sushi|tacos|pizza)\b`)
	cuisineOf = map[string]string{"steak": "Steakhouse", "veggie": "Vegetarian", "sushi": "Japanese", "tacos": "Mexican", "pizza": "Italian"}
)

// ParsePrefs reads the local constraints of a request.
func ParsePrefs(text string) Prefs {
	s := normalise(text)
	var p Prefs
	for _, c := range cabinRes {
		if c.re.MatchString(s) {
			p.Cabin = c.cabin
			break
		}
	}
	p.Nonstop = nonstopRe.MatchString(s)
	p.NoRedEye = redEyeRe.MatchString(s)
	p.NoFlights = noFlightsRe.MatchString(s)
	p.SelfDrive = selfDriveRe.MatchString(s)
	for _, r := range roomRes {
		if r.re.MatchString(s) && !slices.Contains(p.RoomTypes, r.kind) {
			p.RoomTypes = append(p.RoomTypes, r.kind)
		}
	}
	// House rules count only where the request asks for them to be allowed:
	// "no smoking" is not a requirement to allow smoking.
	if allowRe.MatchString(s) || strings.Contains(s, "bring") || strings.Contains(s, "with our dog") {
		for _, r := range ruleRes {
			for _, at := range r.re.FindAllStringIndex(s, -1) {
				if before := s[max(0, at[0]-4):at[0]]; !strings.HasSuffix(before, "no ") && !strings.HasSuffix(before, "non-") {
					r.set(&p.Rules)
				}
			}
		}
	}
	for _, m := range cuisineRe.FindAllString(s, -1) {
		name := cuisineOf[m]
		if name == "" {
			name = titleCase(strings.Join(strings.Fields(m), " "))
			if !slices.Contains(cuisineWords, name) {
				continue
			}
		}
		if !slices.Contains(p.Cuisines, name) {
			p.Cuisines = append(p.Cuisines, name)
		}
	}
	return p
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}
