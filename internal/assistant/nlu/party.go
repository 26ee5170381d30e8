package nlu

import (
	"regexp"
	"strings"
)

// Party is who travels. Known is false when the request does not say.
type Party struct {
	Adults, Children, Infants int
	Known                     bool
}

// Total is everyone travelling.
func (p Party) Total() int { return p.Adults + p.Children + p.Infants }

const maxParty = 50

var (
	countOf     = regexp.MustCompile(`\b` + numRe + `\s+(?:of\s+us|people|persons|pax|travell?ers|guests|friends|adults?|grown-?ups)\b`)
	kidsCount   = regexp.MustCompile(`\b` + numRe + `\s+(?:kids?|children|child|teenagers?|teens?|sons?|daughters?)\b`)
	babiesCount = regexp.MustCompile(`\b` + numRe + `\s+(?:babies|baby|infants?|toddlers?)\b`)
	familyOf    = regexp.MustCompile(`\bfamily\s+of\s+` + numRe + `\b`)
	solo        = regexp.MustCompile(`\b(?:a\s+single\s+person|solo|just\s+me|only\s+me|by\s+myself|alone|on\s+my\s+own|one\s+person|single\s+traveller|single\s+traveler)\b`)
	couple      = regexp.MustCompile(`\b(?:couple|honeymoon|two\s+of\s+us|both\s+of\s+us)\b`)
	meAnd       = regexp.MustCompile(`\b(?:me|i|myself)\s+and\s+`)
	partnerRe   = regexp.MustCompile(`\bmy\s+(?:wife|husband|partner|girlfriend|boyfriend|fianc[eé]e?|spouse|friend|mom|mum|mother|dad|father|brother|sister|colleague)\b`)
	childRe     = regexp.MustCompile(`\bmy\s+(?:son|daughter|kid|child|boy|girl)\b`)
	childrenRe  = regexp.MustCompile(`\b(?:the|our|my)\s+(?:kids|children)\b`)
	babyRe      = regexp.MustCompile(`\b(?:my|our|a|the)\s+(?:baby|infant|newborn)\b`)
	adultsExtra = regexp.MustCompile(`\b(?:parents|grandparents)\b`)
)

// ParseParty reads the party: "7 people", "4 of us", "me and my wife and
// two kids", "a single person", "2 adults, 1 child and a baby", "family of 5".
func ParseParty(text string) Party {
	s := normalise(text)
	var p Party
	// Children and infants: counted ("two kids") or described ("my son").
	if m := kidsCount.FindStringSubmatch(s); m != nil {
		p.Children = number(m[1])
	} else if p.Children = len(childRe.FindAllString(s, -1)); p.Children == 0 && childrenRe.MatchString(s) {
		p.Children = 2 // "the kids": two unless counted
	}
	if m := babiesCount.FindStringSubmatch(s); m != nil {
		p.Infants = number(m[1])
	} else {
		p.Infants = len(babyRe.FindAllString(s, -1))
	}
	// Adults: counted outright, a family size, or described.
	switch m := countOf.FindStringSubmatch(s); {
	case m != nil:
		p.Adults = number(m[1])
		if !strings.Contains(m[0], "adult") && !strings.Contains(m[0], "grown") && p.Adults > p.Children+p.Infants {
			p.Adults -= p.Children + p.Infants // "6 of us, 2 kids": the kids are among the six
		}
	case familyOf.MatchString(s):
		n := number(familyOf.FindStringSubmatch(s)[1])
		p.Adults, p.Children = min(2, n), max(n-2, 0)
	case meAnd.MatchString(s) || partnerRe.MatchString(s):
		p.Adults = 1 + len(partnerRe.FindAllString(s, -1))
		if adultsExtra.MatchString(s) {
			p.Adults += 2
		}
	case solo.MatchString(s):
		p.Adults = 1
	case couple.MatchString(s):
		p.Adults = 2
	}
	p.Known = p.Adults+p.Children+p.Infants > 0
	if p.Known && p.Adults == 0 {
		p.Adults = 1 // children travel with someone
	}
	if p.Adults > maxParty || p.Children > maxParty || p.Infants > maxParty {
		return Party{}
	}
	return p
}
