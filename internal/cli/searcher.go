package cli

import (
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"pathavana/internal/catalog"
	"pathavana/internal/catalog/world"
	"pathavana/internal/config"
	"pathavana/internal/provider/amadeus"
	"pathavana/internal/search"
)

// catalogBuilder returns the function that turns imported catalogs into the
// searchable catalog: the sandbox (generated from the embedded world data)
// with the overlays on top, or the overlays alone with PATHAVANA_SANDBOX=false.
// The world data loads once, on first use.
func catalogBuilder(cfg config.Config) func([]search.Overlay) (*search.Catalog, error) {
	loadWorld := sync.OnceValues(world.Load)
	return func(overlays []search.Overlay) (*search.Catalog, error) {
		// Nothing below the last replacing import is searched: don't build it.
		for i := len(overlays) - 1; i >= 0; i-- {
			if overlays[i].Replace {
				return search.NewCatalog(&catalog.Data{}, "empty", overlays[i:], time.Now)
			}
		}
		if !cfg.Sandbox {
			return search.NewCatalog(&catalog.Data{}, "empty", overlays, time.Now)
		}
		w, err := loadWorld()
		if err != nil {
			return nil, fmt.Errorf("load world data: %w", err)
		}
		return search.NewSandboxCatalog(w, overlays, time.Now)
	}
}

// providers returns the real providers that are configured.
func providers(cfg config.Config, zone func(string) *time.Location, city func(string) (catalog.City, bool)) (search.Providers, error) {
	if cfg.AmadeusClientID == "" {
		return search.Providers{}, nil
	}
	client, err := amadeus.New(amadeus.Config{BaseURL: cfg.AmadeusURL, ClientID: cfg.AmadeusClientID,
		ClientSecret: cfg.AmadeusClientSecret, HTTPClient: &http.Client{Timeout: cfg.ProviderTimeout},
		Timeout: cfg.ProviderTimeout})
	if err != nil {
		return search.Providers{}, fmt.Errorf("amadeus: %w", err)
	}
	return search.Providers{Flights: &search.AmadeusFlights{Client: client, Zone: zone},
		Stays:       &search.AmadeusStays{Client: client, City: city},
		Attractions: &search.AmadeusAttractions{Client: client, City: city}}, nil
}

// newSearcher makes the searcher with an empty placeholder catalog: the
// service's first ReloadCatalogs builds the real one (the base and the
// stored imports together, so a replacing import never costs a sandbox
// build) before anything is served.
func newSearcher(cfg config.Config, log *slog.Logger) (*search.Searcher, error) {
	c, err := search.NewCatalog(&catalog.Data{}, "loading", nil, time.Now)
	if err != nil {
		return nil, err
	}
	var s *search.Searcher
	zone := func(iata string) *time.Location { return s.AirportZone(iata) }
	city := func(id string) (catalog.City, bool) { return s.Catalog().Places.City(id) }
	p, err := providers(cfg, zone, city)
	if err != nil {
		return nil, err
	}
	s = search.NewSearcher(c, p, log)
	return s, nil
}
