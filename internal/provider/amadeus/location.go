package amadeus

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"pathavana/internal/apperr"
)

// LocationQuery holds the parameters of GET /v1/reference-data/locations.
type LocationQuery struct {
	SubTypes    []string // AIRPORT and/or CITY
	Keyword     string
	CountryCode string // ISO 3166-1 alpha-2
	PageLimit   int    // per page; 0 = Amadeus default (10)
	Sort        string // analytics.travelers.score
	View        string // LIGHT or FULL
}

// Location is an airport or city.
type Location struct {
	Type, SubType  string
	ID             string
	IATACode       string
	Name           string
	DetailedName   string
	TimeZoneOffset string // "+02:00" at the time of the request; use the IANA zone for arithmetic
	GeoCode        GeoCode
	CityName       string
	CityCode       string
	CountryCode    string
	TravelersScore int
}

// maxLocationPages bounds paging even if a server keeps sending "next".
const maxLocationPages = 20

// Locations searches airports and cities, following meta.links.next from
// page to page until limit results (0 means 50) or the last page. Amadeus
// paginates with page[offset] links; ignoring them silently truncates
// results to the first page.
func (c *Client) Locations(ctx context.Context, q LocationQuery, limit int) ([]Location, error) {
	var fe []apperr.FieldError
	if len(q.SubTypes) == 0 {
		fe = append(fe, apperr.FieldError{Field: "subType", Message: "AIRPORT, CITY or both"})
	}
	for _, s := range q.SubTypes {
		if s != "AIRPORT" && s != "CITY" {
			fe = append(fe, apperr.FieldError{Field: "subType", Message: "must be AIRPORT or CITY"})
		}
	}
	if kw := strings.TrimSpace(q.Keyword); kw == "" || len(kw) > 50 {
		fe = append(fe, apperr.FieldError{Field: "keyword", Message: "is required (at most 50 characters)"})
	}
	if q.CountryCode != "" && !upperCode(q.CountryCode, 2, false) {
		fe = append(fe, apperr.FieldError{Field: "countryCode", Message: "must be a 2-letter country code"})
	}
	if q.PageLimit < 0 || limit < 0 {
		fe = append(fe, apperr.FieldError{Field: "page[limit]", Message: "cannot be negative"})
	}
	if len(fe) > 0 {
		return nil, apperr.Validation(fe...)
	}
	if limit == 0 {
		limit = 50
	}
	v := url.Values{"subType": {strings.Join(q.SubTypes, ",")}, "keyword": {q.Keyword}}
	if q.PageLimit > 0 {
		v.Set("page[limit]", strconv.Itoa(q.PageLimit))
	}
	setList(v, "countryCode", []string{q.CountryCode})
	setList(v, "sort", []string{q.Sort})
	setList(v, "view", []string{q.View})
	r := request{method: http.MethodGet, path: "/v1/reference-data/locations", query: v, idempotent: true}
	var out []Location
	seen := map[string]bool{}
	for page := 0; page < maxLocationPages && len(out) < limit; page++ {
		items, next, err := c.locationPage(ctx, r)
		if err != nil {
			return nil, err
		}
		for _, l := range items {
			if len(out) < limit {
				out = append(out, l)
			}
		}
		if next == nil || len(items) == 0 || seen[next.String()] {
			break
		}
		seen[next.String()] = true
		r = request{method: http.MethodGet, next: next, idempotent: true}
	}
	return out, nil
}

// locationPage fetches one page and returns the next link, if any.
func (c *Client) locationPage(ctx context.Context, r request) ([]Location, *url.URL, error) {
	var w struct {
		Meta struct {
			Links struct {
				Next string `json:"next"`
			} `json:"links"`
		} `json:"meta"`
		Data []struct {
			Type           string  `json:"type"`
			SubType        string  `json:"subType"`
			ID             string  `json:"id"`
			IATACode       string  `json:"iataCode"`
			Name           string  `json:"name"`
			DetailedName   string  `json:"detailedName"`
			TimeZoneOffset string  `json:"timeZoneOffset"`
			GeoCode        wireGeo `json:"geoCode"`
			Address        struct {
				CityName    string `json:"cityName"`
				CityCode    string `json:"cityCode"`
				CountryCode string `json:"countryCode"`
			} `json:"address"`
			Analytics struct {
				Travelers struct {
					Score flexInt `json:"score"`
				} `json:"travelers"`
			} `json:"analytics"`
		} `json:"data"`
	}
	if err := c.getJSON(ctx, r, &w); err != nil {
		return nil, nil, err
	}
	items := make([]Location, 0, len(w.Data))
	for _, d := range w.Data {
		items = append(items, Location{Type: d.Type, SubType: d.SubType, ID: d.ID, IATACode: d.IATACode, Name: d.Name,
			DetailedName: d.DetailedName, TimeZoneOffset: d.TimeZoneOffset, GeoCode: d.GeoCode.geo(),
			CityName: d.Address.CityName, CityCode: d.Address.CityCode, CountryCode: d.Address.CountryCode,
			TravelersScore: int(d.Analytics.Travelers.Score)})
	}
	if w.Meta.Links.Next == "" {
		return items, nil, nil
	}
	next, err := c.sameOrigin(w.Meta.Links.Next)
	if err != nil {
		return nil, nil, unusable(r.op(), "bad next link", err)
	}
	return items, next, nil
}

// sameOrigin resolves a paging link against the base URL and refuses links
// to any other scheme or host: following one would send our bearer token
// to whoever the link names.
func (c *Client) sameOrigin(link string) (*url.URL, error) {
	ref, err := url.Parse(link)
	if err != nil {
		return nil, err
	}
	u := c.base.ResolveReference(ref)
	if u.Scheme != c.base.Scheme || u.Host != c.base.Host || !strings.HasPrefix(u.EscapedPath(), c.base.EscapedPath()+"/") {
		return nil, fmt.Errorf("paging link %q leaves the Amadeus base URL", link)
	}
	u.Fragment = ""
	return u, nil
}
