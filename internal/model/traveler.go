package model

import "time"

// Traveler is a saved traveler profile in clear, as the service works with
// it after decryption. It is never stored in this form: the store only sees
// SealedTraveler. Dates are YYYY-MM-DD; countries ISO 3166-1 alpha-2.
type Traveler struct {
	ID                  string
	OwnerID             string
	Label               string // the owner's nickname for the profile; not encrypted
	GivenNames          string
	FamilyName          string
	DateOfBirth         string
	Gender              string
	Nationality         string
	PassportNumber      string
	PassportCountry     string
	PassportExpiry      string
	KnownTravelerNumber string
	LoyaltyNumbers      []LoyaltyNumber
	DietaryNeeds        string
	AccessibilityNeeds  string
	EmergencyContact    *EmergencyContact
	// Masked is true when the sensitive fields hold masks ("•••••1234"),
	// not values: what every read returns unless the owner reveals.
	Masked    bool
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// LoyaltyNumber is a frequent-flyer or hotel programme membership.
type LoyaltyNumber struct {
	Program string `json:"program"`
	Number  string `json:"number"`
}

// EmergencyContact is whom to call when something happens on a trip.
type EmergencyContact struct {
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	Relation string `json:"relation"`
}

// Names of the encrypted traveler fields: column names, the additional
// data each ciphertext is bound to, and what audit entries list.
const (
	TravelerGivenNames          = "given_names"
	TravelerFamilyName          = "family_name"
	TravelerDateOfBirth         = "date_of_birth"
	TravelerGender              = "gender"
	TravelerNationality         = "nationality"
	TravelerPassportNumber      = "passport_number"
	TravelerPassportCountry     = "passport_country"
	TravelerPassportExpiry      = "passport_expiry"
	TravelerKnownTravelerNumber = "known_traveler_number"
	TravelerLoyaltyNumbers      = "loyalty_numbers"
	TravelerDietaryNeeds        = "dietary_needs"
	TravelerAccessibilityNeeds  = "accessibility_needs"
	TravelerEmergencyContact    = "emergency_contact"
)

// TravelerFields lists the encrypted fields in column order.
var TravelerFields = []string{TravelerGivenNames, TravelerFamilyName, TravelerDateOfBirth, TravelerGender,
	TravelerNationality, TravelerPassportNumber, TravelerPassportCountry, TravelerPassportExpiry,
	TravelerKnownTravelerNumber, TravelerLoyaltyNumbers, TravelerDietaryNeeds, TravelerAccessibilityNeeds,
	TravelerEmergencyContact}

// SealedTraveler is a traveler as stored: ciphertexts (nil = not set), the
// wrapped data key and its master key id, and blind indexes.
type SealedTraveler struct {
	ID           string
	OwnerID      string
	Label        string
	Fields       map[string][]byte // field name → ciphertext; absent = not set
	KeyID        string
	DataKey      []byte
	PassportBidx string // "" when there is no passport number
	NameBidx     string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TravelerKey is a row's wrapped data key, what key rotation rewrites.
type TravelerKey struct {
	ID      string
	KeyID   string
	DataKey []byte
}
