package httpapi

import (
	"net/http"

	"pathavana/internal/catalog"
	"pathavana/internal/money"
	"pathavana/internal/service"
)

func areaFromQuery(q *queryReader) service.AreaRequest {
	return service.AreaRequest{City: q.str("city"), Lat: q.float("lat"), Lon: q.float("lon"), RadiusKM: q.float("radius_km")}
}

type stayResponse struct {
	ID            string             `json:"id"`
	Name          string             `json:"name"`
	City          string             `json:"city"`
	Lat           float64            `json:"lat"`
	Lon           float64            `json:"lon"`
	RoomType      catalog.RoomType   `json:"room_type"`
	PricePerNight money.Money        `json:"price_per_night"`
	MaxOccupancy  int                `json:"max_occupancy"`
	MinNights     int                `json:"min_nights"`
	Rules         catalog.HouseRules `json:"rules"`
	Rating        float64            `json:"rating"`
	Rooms         int                `json:"rooms"`
	Nights        int                `json:"nights"`
	NightlyTotal  money.Money        `json:"nightly_total"`
	Total         money.Money        `json:"total"`
	DistanceKM    float64            `json:"distance_km,omitempty"`
}

func (s *Server) handleStaySearch(w http.ResponseWriter, r *http.Request) {
	q := newQueryReader(r)
	req := service.StayRequest{AreaRequest: areaFromQuery(q), CheckIn: q.str("check_in"), CheckOut: q.str("check_out"),
		Adults: q.int("adults", 0), Children: q.int("children", 0), ChildrenUnder10: q.int("children_under_10", 0),
		Rooms: q.int("rooms", 0), RoomTypes: q.list("room_types"), Currency: q.str("currency"),
		MinPrice: q.str("min_price"), MaxPrice: q.str("max_price"), MaxTotal: q.str("max_total"),
		Rules: q.list("rules"), MinRating: q.float("min_rating"), Sort: q.str("sort"), Limit: q.int("limit", 0)}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.svc.SearchStaysText(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeResult(w, r, res.Key, func() any {
		out := make([]stayResponse, 0, len(res.Stays))
		for _, x := range res.Stays {
			st := x.Stay
			out = append(out, stayResponse{ID: st.ID, Name: st.Name, City: st.City, Lat: st.Lat, Lon: st.Lon, RoomType: st.RoomType,
				PricePerNight: st.PricePerNight, MaxOccupancy: st.MaxOccupancy, MinNights: st.MinNights, Rules: st.Rules,
				Rating: st.Rating, Rooms: x.Rooms, Nights: x.Nights, NightlyTotal: x.NightlyTotal, Total: x.Total, DistanceKM: x.DistanceKM})
		}
		return struct {
			originResponse
			Stays []stayResponse `json:"stays"`
		}{originOf(res.Source, res.Sandbox, res.Fallback), out}
	})
}

type restaurantResponse struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	City       string      `json:"city"`
	Lat        float64     `json:"lat"`
	Lon        float64     `json:"lon"`
	Cuisines   []string    `json:"cuisines"`
	AvgCost    money.Money `json:"avg_cost"`
	Rating     float64     `json:"rating"`
	PartyCost  money.Money `json:"party_cost"`
	DistanceKM float64     `json:"distance_km,omitempty"`
}

func (s *Server) handleRestaurantSearch(w http.ResponseWriter, r *http.Request) {
	q := newQueryReader(r)
	req := service.RestaurantRequest{AreaRequest: areaFromQuery(q), Cuisines: q.list("cuisines"), Currency: q.str("currency"),
		MaxCost: q.str("max_cost"), MinRating: q.float("min_rating"), Party: q.int("party", 0), Sort: q.str("sort"),
		Limit: q.int("limit", 0)}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.svc.SearchRestaurantsText(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeResult(w, r, res.Key, func() any {
		out := make([]restaurantResponse, 0, len(res.Restaurants))
		for _, x := range res.Restaurants {
			rs := x.Restaurant
			out = append(out, restaurantResponse{ID: rs.ID, Name: rs.Name, City: rs.City, Lat: rs.Lat, Lon: rs.Lon,
				Cuisines: nonNil(rs.Cuisines), AvgCost: rs.AvgCost, Rating: rs.Rating, PartyCost: x.PartyCost, DistanceKM: x.DistanceKM})
		}
		return struct {
			originResponse
			Restaurants []restaurantResponse `json:"restaurants"`
		}{originOf(res.Source, res.Sandbox, res.Fallback), out}
	})
}

type attractionResponse struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	City       string        `json:"city"`
	Lat        float64       `json:"lat"`
	Lon        float64       `json:"lon"`
	Category   string        `json:"category"`
	Hours      catalog.Hours `json:"hours"`
	OpenToday  string        `json:"open,omitempty"` // hours on the requested date
	Price      money.Money   `json:"price"`
	Minutes    int           `json:"minutes"`
	Rating     float64       `json:"rating"`
	PartyCost  money.Money   `json:"party_cost"`
	DistanceKM float64       `json:"distance_km,omitempty"`
}

func (s *Server) handleAttractionSearch(w http.ResponseWriter, r *http.Request) {
	q := newQueryReader(r)
	req := service.AttractionRequest{AreaRequest: areaFromQuery(q), Categories: q.list("categories"), Currency: q.str("currency"),
		MaxPrice: q.str("max_price"), Date: q.str("date"), Adults: q.int("adults", 0), Children: q.int("children", 0),
		MinRating: q.float("min_rating"), Sort: q.str("sort"), Limit: q.int("limit", 0)}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.svc.SearchAttractionsText(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeResult(w, r, res.Key, func() any {
		out := make([]attractionResponse, 0, len(res.Attractions))
		for _, x := range res.Attractions {
			a := x.Attraction
			ar := attractionResponse{ID: a.ID, Name: a.Name, City: a.City, Lat: a.Lat, Lon: a.Lon, Category: a.Category,
				Hours: a.Hours, Price: a.Price, Minutes: a.Minutes, Rating: a.Rating, PartyCost: x.PartyCost, DistanceKM: x.DistanceKM}
			if x.Open != nil {
				ar.OpenToday = x.Open.Open.String() + "-" + x.Open.Close.String()
			}
			out = append(out, ar)
		}
		return struct {
			originResponse
			Attractions []attractionResponse `json:"attractions"`
		}{originOf(res.Source, res.Sandbox, res.Fallback), out}
	})
}
