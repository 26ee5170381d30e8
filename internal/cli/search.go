package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"pathavana/internal/search"
	"pathavana/internal/search/flights"
	"pathavana/internal/service"
)

const searchUsage = `pathavana search places TEXT
       pathavana search flights FROM TO DATE [--return DATE] [--adults N] [--children N] [--infants N]
                [--cabin C] [--max-stops N] [--flex N] [--no-red-eye] [--sort best|price|duration|departure] [--limit N]
       pathavana search calendar FROM TO YYYY-MM [--cabin C] [--max-stops N]
       pathavana search stays CITY CHECK-IN CHECK-OUT [--adults N] [--children N] [--room-type T,...]
                [--allow pets,smoking,parties,children_under_10,visitors] [--max-price P --currency C] [--sort best|price|rating|distance]
       pathavana search restaurants CITY [--cuisine C,...] [--party N]
       pathavana search attractions CITY [--category C,...] [--date YYYY-MM-DD]
       (every form takes --json to print the full answer as JSON)`

// runSearch answers searches from the command line through the same service
// the API uses: same catalog, providers, validation and cache.
func runSearch(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, searchUsage)
	}
	kind, args := args[0], args[1:]
	fs := newFlags("search "+kind, e)
	asJSON := fs.Bool("json", false, "print the whole answer as JSON")
	ret := fs.String("return", "", "return date (round trip)")
	adults := fs.Int("adults", 1, "adults")
	children := fs.Int("children", 0, "children aged 2–11")
	infants := fs.Int("infants", 0, "infants on a lap")
	cabin := fs.String("cabin", "economy", "economy, premium_economy, business or first")
	stops := fs.Int("max-stops", flights.DefaultMaxStops, "0 nonstop, 1 or 2")
	flex := fs.Int("flex", 0, "± days around the dates (0–3)")
	noRedEye := fs.Bool("no-red-eye", false, "no overnight flights")
	sortBy := fs.String("sort", "best", "best, price, duration or departure (flights); best, price, rating or distance")
	roomTypes := fs.String("room-type", "", "stays: comma-separated hotel_room, entire_home, private_room, shared_room")
	allow := fs.String("allow", "", "stays: comma-separated house rules the stay must allow")
	maxPrice := fs.String("max-price", "", "stays: highest price per night; attractions: per adult")
	currency := fs.String("currency", "", "currency of --max-price (default: the place's own)")
	cuisine := fs.String("cuisine", "", "restaurants: comma-separated cuisines")
	party := fs.Int("party", 2, "restaurants: people eating")
	category := fs.String("category", "", "attractions: comma-separated categories")
	date := fs.String("date", "", "attractions: the day of the visit, for opening hours")
	limit := fs.Int("limit", 10, "how many results")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}

	cfg, log, err := loadConfig(e)
	if err != nil {
		return err
	}
	a, err := buildApp(ctx, e, cfg, log, cfg.AutoMigrate())
	if err != nil {
		return err
	}
	defer a.close(context.Background())

	var res any
	switch {
	case kind == "places" && len(pos) >= 1:
		places := a.svc.Places(strings.Join(pos, " "), *limit)
		if *asJSON {
			return printJSON(e.stdout, places)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, p := range places {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Kind, p.Code, p.Name, p.Country, strings.Join(p.Airports, " "))
		}
		return tw.Flush()
	case kind == "flights" && len(pos) == 3:
		req := service.FlightSearchRequest{Slices: []service.SliceRequest{{From: pos[0], To: pos[1], Date: pos[2], Flex: *flex}},
			Adults: *adults, Children: *children, Infants: *infants, Cabin: *cabin, MaxStops: stops,
			NoRedEye: *noRedEye, Sort: *sortBy, Limit: *limit}
		if *ret != "" {
			req.Slices = append(req.Slices, service.SliceRequest{From: pos[1], To: pos[0], Date: *ret, Flex: *flex})
		}
		r, err := a.svc.SearchFlightsText(ctx, req)
		if err != nil {
			return err
		}
		if !*asJSON {
			return printFlights(e.stdout, r)
		}
		res = r
	case kind == "calendar" && len(pos) == 3:
		r, err := a.svc.FlightCalendarText(ctx, service.CalendarRequest{From: pos[0], To: pos[1], Month: pos[2],
			Cabin: *cabin, MaxStops: stops, Adults: *adults, Children: *children, Infants: *infants})
		if err != nil {
			return err
		}
		if !*asJSON {
			printOrigin(e.stdout, r.Origin)
			for _, d := range r.Days {
				price := "—"
				if d.Found {
					price = d.Price.String() + " " + d.Price.Currency
				}
				fmt.Fprintf(e.stdout, "%s  %s\n", d.Date, price)
			}
			return nil
		}
		res = r
	case kind == "stays" && len(pos) == 3:
		r, err := a.svc.SearchStaysText(ctx, service.StayRequest{AreaRequest: service.AreaRequest{City: pos[0]},
			CheckIn: pos[1], CheckOut: pos[2], Adults: *adults, Children: *children, RoomTypes: splitList(*roomTypes),
			Rules: splitList(*allow), MaxPrice: *maxPrice, Currency: *currency, Sort: *sortBy, Limit: *limit})
		if err != nil {
			return err
		}
		if !*asJSON {
			printOrigin(e.stdout, r.Origin)
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			for _, st := range r.Stays {
				fmt.Fprintf(tw, "%s\t%s\t%.1f★\t%s %s/night\t%s %s for %d night(s), %d unit(s)\n", st.Stay.Name, st.Stay.RoomType,
					st.Stay.Rating, st.Stay.PricePerNight, st.Stay.PricePerNight.Currency, st.Total, st.Total.Currency, st.Nights, st.Rooms)
			}
			return tw.Flush()
		}
		res = r
	case kind == "restaurants" && len(pos) >= 1:
		r, err := a.svc.SearchRestaurantsText(ctx, service.RestaurantRequest{AreaRequest: service.AreaRequest{City: strings.Join(pos, " ")},
			Cuisines: splitList(*cuisine), Party: *party, Sort: *sortBy, Limit: *limit})
		if err != nil {
			return err
		}
		if !*asJSON {
			printOrigin(e.stdout, r.Origin)
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			for _, x := range r.Restaurants {
				fmt.Fprintf(tw, "%s\t%s\t%.1f★\t%s %s for %d\n", x.Restaurant.Name, strings.Join(x.Restaurant.Cuisines, ", "),
					x.Restaurant.Rating, x.PartyCost, x.PartyCost.Currency, *party)
			}
			return tw.Flush()
		}
		res = r
	case kind == "attractions" && len(pos) >= 1:
		r, err := a.svc.SearchAttractionsText(ctx, service.AttractionRequest{AreaRequest: service.AreaRequest{City: strings.Join(pos, " ")},
			Categories: splitList(*category), Date: *date, MaxPrice: *maxPrice, Currency: *currency, Adults: *adults,
			Children: *children, Sort: *sortBy, Limit: *limit})
		if err != nil {
			return err
		}
		if !*asJSON {
			printOrigin(e.stdout, r.Origin)
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			for _, x := range r.Attractions {
				fmt.Fprintf(tw, "%s\t%s\t%.1f★\t%s %s\n", x.Attraction.Name, x.Attraction.Category, x.Attraction.Rating,
					x.PartyCost, x.PartyCost.Currency)
			}
			return tw.Flush()
		}
		res = r
	default:
		return fmt.Errorf("%w: %s", errUsage, searchUsage)
	}
	return printJSON(e.stdout, res)
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// parseInterspersed lets flags come after positional arguments, as in
// `search flights LIS JFK 2027-05-10 --adults 2`.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printOrigin(w io.Writer, o search.Origin) {
	fmt.Fprintf(w, "source: %s", o.Source)
	if o.Sandbox {
		fmt.Fprint(w, " (sandbox inventory: generated, not real availability)")
	}
	if o.Fallback != "" {
		fmt.Fprintf(w, "; fallback: %s", o.Fallback)
	}
	fmt.Fprintln(w)
}

func printFlights(w io.Writer, r service.FlightResults) error {
	printOrigin(w, r.Origin)
	if len(r.Itineraries) == 0 {
		_, err := fmt.Fprintln(w, "no flights found; try other dates, more stops or a nearby airport")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, it := range r.Itineraries {
		for j, l := range it.Legs {
			price := ""
			if j == 0 {
				price = it.Price.String() + " " + it.Price.Currency
			}
			var hops []string
			for _, s := range l.Segments {
				hops = append(hops, fmt.Sprintf("%s %s %s→%s %s", s.Flight.Number, s.Flight.From,
					s.Departs.Format("Jan 2 15:04"), s.Flight.To, s.Arrives.Format("Jan 2 15:04")))
			}
			stops := "nonstop"
			if l.Stops > 0 {
				stops = fmt.Sprintf("%d stop(s)", l.Stops)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", i+1, price, l.Duration.Round(time.Minute), stops, strings.Join(hops, " | "))
		}
	}
	return tw.Flush()
}
