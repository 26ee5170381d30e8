// Package service holds the business rules: accounts, sessions, profiles.
// It decides who may do what, runs multi-step changes in one transaction and
// returns apperr codes; it knows nothing about HTTP.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"pathavana/internal/cache"
	"pathavana/internal/jobs"
	"pathavana/internal/mail"
	"pathavana/internal/oidc"
	"pathavana/internal/search"
	"pathavana/internal/secure"
	"pathavana/internal/store"
)

// Events counts business events (sign-ups, sign-ins) for metrics.
type Events interface{ Event(name string) }

// Settings are the policy knobs of the account rules.
type Settings struct {
	PublicURL      string
	AccessTTL      time.Duration
	RefreshTTL     time.Duration
	VerifyTokenTTL time.Duration
	ResetTokenTTL  time.Duration
	LockoutAfter   int
	LockoutBase    time.Duration
	LockoutMax     time.Duration
	UserCacheTTL   time.Duration // 0: GET /me always reads the store
	SearchTTLs     SearchTTLs    // zero value: DefaultSearchTTLs
	CatalogReload  time.Duration // how often to look for newly imported catalogs
	Argon2         secure.Argon2Params
}

// Deps is everything the service needs, passed explicitly by the caller.
type Deps struct {
	Store  *store.DB
	Cache  *cache.Backend
	Tokens *secure.TokenSigner
	Google *oidc.Client // nil when Google sign-in is not configured
	Search *search.Searcher
	// BuildCatalog makes the searchable catalog from imported overlays
	// (the sandbox below them unless switched off).
	BuildCatalog func([]search.Overlay) (*search.Catalog, error)
	Mailer       mail.Mailer
	Log          *slog.Logger
	Events       Events
	Now          func() time.Time
	Settings     Settings

	// PII seals travelers' personal fields; nil refuses traveler use cases.
	PII *secure.PII
}

// Service implements the use cases behind the API.
type Service struct {
	Deps
	views    *userViews
	searchL1 *searchMemo
	catalogs catalogState
}

// New returns a service, filling unset policy knobs with safe defaults.
func New(d Deps) *Service {
	s := &d.Settings
	if s.AccessTTL == 0 {
		s.AccessTTL = 15 * time.Minute
	}
	if s.RefreshTTL == 0 {
		s.RefreshTTL = 30 * 24 * time.Hour
	}
	if s.VerifyTokenTTL == 0 {
		s.VerifyTokenTTL = 48 * time.Hour
	}
	if s.ResetTokenTTL == 0 {
		s.ResetTokenTTL = time.Hour
	}
	if s.LockoutAfter == 0 {
		s.LockoutAfter = 5
	}
	if s.LockoutBase == 0 {
		s.LockoutBase = time.Minute
	}
	if s.LockoutMax == 0 {
		s.LockoutMax = time.Hour
	}
	if s.SearchTTLs == (SearchTTLs{}) {
		s.SearchTTLs = DefaultSearchTTLs
	}
	if s.Argon2 == (secure.Argon2Params{}) {
		s.Argon2 = secure.DefaultArgon2Params()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Events == nil {
		d.Events = noEvents{}
	}
	return &Service{Deps: d, views: newUserViews(s.UserCacheTTL, 10_000, d.Now), searchL1: newSearchMemo(2_000, d.Now)}
}

type noEvents struct{}

func (noEvents) Event(string) {}

func (s *Service) now() time.Time { return s.Now().UTC() }

// newID returns a time-ordered UUID, so recent rows sit together in indexes.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// RegisterJobs attaches the service's job handlers to a runner.
func (s *Service) RegisterJobs(r *jobs.Runner) {
	r.Handle(JobSendMail, s.runSendMail)
	r.Handle(JobCleanup, s.runCleanup)
	r.Every(JobCleanup, time.Hour)
}

// Ping checks the dependencies a request needs, for readiness.
func (s *Service) Ping(ctx context.Context) error { return s.Store.Ping(ctx) }
