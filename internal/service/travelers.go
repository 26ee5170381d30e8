package service

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/secure"
	"pathavana/internal/store"
)

// Travelers hold the most sensitive data in the product. The rules here:
// the store only ever receives ciphertext (sealTraveler), reads return
// masked values, clear values leave only through RevealTraveler and
// TravelersForBooking, and every write, reveal and use is audited in the
// same transaction, so PII is never touched unaudited.

// TravelerPatch is a traveler's input: on create, absent fields are empty;
// on update, only present (non-nil) fields change and "" clears one.
type TravelerPatch struct {
	Label               *string                 `json:"label"`
	GivenNames          *string                 `json:"given_names"`
	FamilyName          *string                 `json:"family_name"`
	DateOfBirth         *string                 `json:"date_of_birth"`
	Gender              *string                 `json:"gender"`
	Nationality         *string                 `json:"nationality"`
	PassportNumber      *string                 `json:"passport_number"`
	PassportCountry     *string                 `json:"passport_country"`
	PassportExpiry      *string                 `json:"passport_expiry"`
	KnownTravelerNumber *string                 `json:"known_traveler_number"`
	LoyaltyNumbers      *[]model.LoyaltyNumber  `json:"loyalty_numbers"`
	DietaryNeeds        *string                 `json:"dietary_needs"`
	AccessibilityNeeds  *string                 `json:"accessibility_needs"`
	EmergencyContact    *model.EmergencyContact `json:"emergency_contact"` // all fields empty: clear
}

const travelerTarget = "traveler"

func (s *Service) requirePII() error {
	if s.PII == nil {
		return apperr.New(apperr.Unavailable, "saved travelers are not available: PII encryption keys are not configured")
	}
	return nil
}

// CreateTraveler validates and stores a new traveler for the caller and
// returns it masked.
func (s *Service) CreateTraveler(ctx context.Context, p Principal, in TravelerPatch) (model.Traveler, error) {
	if err := s.requirePII(); err != nil {
		return model.Traveler{}, err
	}
	now := s.now()
	t := model.Traveler{ID: newID(), OwnerID: p.UserID, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.applyTravelerPatch(&t, in); err != nil {
		return model.Traveler{}, err
	}
	sealed, err := s.sealTraveler(t)
	if err != nil {
		return model.Traveler{}, err
	}
	err = s.Store.InTx(ctx, func(q *store.Queries) error {
		if err := q.CreateTraveler(ctx, sealed); err != nil {
			return err
		}
		return s.recordAudit(ctx, q, p, AuditEvent{Action: model.AuditTravelerCreate, TargetType: travelerTarget,
			TargetID: t.ID, Details: map[string]any{"fields": setFields(t)}})
	})
	if err != nil {
		return model.Traveler{}, err
	}
	return MaskTraveler(t), nil
}

// GetTraveler returns the caller's traveler, masked. Another account's
// traveler is NotFound, like one that does not exist.
func (s *Service) GetTraveler(ctx context.Context, p Principal, id string) (model.Traveler, error) {
	if err := s.requirePII(); err != nil {
		return model.Traveler{}, err
	}
	sealed, err := s.Store.GetTraveler(ctx, p.UserID, id)
	if err != nil {
		return model.Traveler{}, err
	}
	t, err := s.openTraveler(sealed)
	return MaskTraveler(t), err
}

// FindTravelerByPassport looks a passport number up through its blind
// index, without decrypting every traveler; masked like any read.
func (s *Service) FindTravelerByPassport(ctx context.Context, p Principal, number string) (model.Traveler, error) {
	if err := s.requirePII(); err != nil {
		return model.Traveler{}, err
	}
	sealed, err := s.Store.FindTravelerByPassport(ctx, p.UserID, s.passportIndex(p.UserID, secure.NormalizeDocumentNumber(number)))
	if err != nil {
		return model.Traveler{}, err
	}
	t, err := s.openTraveler(sealed)
	return MaskTraveler(t), err
}

// ListTravelers returns a page of the caller's travelers, masked, and the
// cursor of the next page ("" at the end).
func (s *Service) ListTravelers(ctx context.Context, p Principal, cursor string, limit int) ([]model.Traveler, string, error) {
	if err := s.requirePII(); err != nil {
		return nil, "", err
	}
	if limit == 0 {
		limit = 50
	}
	if limit < 1 || limit > 100 {
		return nil, "", apperr.Validation(apperr.FieldError{Field: "limit", Message: "must be between 1 and 100"})
	}
	rows, err := s.Store.ListTravelers(ctx, p.UserID, cursor, limit)
	if err != nil {
		return nil, "", err
	}
	out := make([]model.Traveler, 0, len(rows))
	for _, r := range rows {
		t, err := s.openTraveler(r)
		if err != nil {
			return nil, "", err
		}
		out = append(out, MaskTraveler(t))
	}
	next := ""
	if len(rows) == limit {
		next = rows[len(rows)-1].ID
	}
	return out, next, nil
}

// UpdateTraveler applies a patch. ifVersion, when not 0, must be the
// current version (If-Match), else Precondition. Every write gets a fresh
// data key under the current master key.
func (s *Service) UpdateTraveler(ctx context.Context, p Principal, id string, ifVersion int, patch TravelerPatch) (model.Traveler, error) {
	if err := s.requirePII(); err != nil {
		return model.Traveler{}, err
	}
	var out model.Traveler
	err := s.Store.InTx(ctx, func(q *store.Queries) error {
		// Locked: without If-Match, concurrent updates apply one after
		// another (last write wins) rather than failing with 412.
		cur, err := q.GetTravelerForUpdate(ctx, p.UserID, id)
		if err != nil {
			return err
		}
		if ifVersion != 0 && ifVersion != cur.Version {
			return staleTraveler()
		}
		before, err := s.openTraveler(cur)
		if err != nil {
			return err
		}
		t := before
		t.LoyaltyNumbers = slices.Clone(before.LoyaltyNumbers)
		if err := s.applyTravelerPatch(&t, patch); err != nil {
			return err
		}
		t.Version, t.UpdatedAt = cur.Version+1, s.now()
		sealed, err := s.sealTraveler(t)
		if err != nil {
			return err
		}
		if err := q.UpdateTraveler(ctx, sealed); err != nil {
			return err
		}
		out = t
		return s.recordAudit(ctx, q, p, AuditEvent{Action: model.AuditTravelerUpdate, TargetType: travelerTarget,
			TargetID: id, Details: map[string]any{"fields": changedFields(before, t), "version": t.Version}})
	})
	if err != nil {
		return model.Traveler{}, err
	}
	return MaskTraveler(out), nil
}

func staleTraveler() error {
	return apperr.New(apperr.Precondition, "the traveler has changed since you read it (If-Match does not match); reload it and apply your change again")
}

// DeleteTraveler removes the caller's traveler (If-Match optional, as for
// updates).
func (s *Service) DeleteTraveler(ctx context.Context, p Principal, id string, ifVersion int) error {
	return s.Store.InTx(ctx, func(q *store.Queries) error {
		cur, err := q.GetTravelerForUpdate(ctx, p.UserID, id)
		if err != nil {
			return err
		}
		if ifVersion != 0 && ifVersion != cur.Version {
			return staleTraveler()
		}
		if err := q.DeleteTraveler(ctx, p.UserID, id); err != nil {
			return err
		}
		return s.recordAudit(ctx, q, p, AuditEvent{Action: model.AuditTravelerDelete, TargetType: travelerTarget, TargetID: id})
	})
}

// RevealTraveler returns the caller's traveler in clear. The audit entry
// is committed before the values are returned: no reveal goes unrecorded.
func (s *Service) RevealTraveler(ctx context.Context, p Principal, id string) (model.Traveler, error) {
	if err := s.requirePII(); err != nil {
		return model.Traveler{}, err
	}
	var out model.Traveler
	err := s.Store.InTx(ctx, func(q *store.Queries) error {
		sealed, err := q.GetTraveler(ctx, p.UserID, id)
		if err != nil {
			return err
		}
		if out, err = s.openTraveler(sealed); err != nil {
			return err
		}
		return s.recordAudit(ctx, q, p, AuditEvent{Action: model.AuditTravelerReveal, TargetType: travelerTarget,
			TargetID: id, Details: map[string]any{"fields": setFields(out)}})
	})
	if err != nil {
		return model.Traveler{}, err
	}
	return out, nil
}

// TravelersForBooking returns the caller's travelers ids in clear, in the
// order given, for a booking to send to a provider; any unknown or other
// account's id is NotFound and nothing is returned. Each use is audited.
func (s *Service) TravelersForBooking(ctx context.Context, p Principal, ids []string) ([]model.Traveler, error) {
	var out []model.Traveler
	err := s.Store.InTx(ctx, func(q *store.Queries) error {
		var err error
		out, err = s.travelersForBooking(ctx, q, p, ids)
		return err
	})
	return out, err
}

// travelersForBooking is TravelersForBooking inside the caller's
// transaction (the booking's), so the traveler.use entries commit or roll
// back with the booking itself.
func (s *Service) travelersForBooking(ctx context.Context, q *store.Queries, p Principal, ids []string) ([]model.Traveler, error) {
	if err := s.requirePII(); err != nil {
		return nil, err
	}
	if len(ids) == 0 || len(ids) > 9 {
		return nil, apperr.Validation(apperr.FieldError{Field: "travelers", Message: "must list 1 to 9 saved travelers"})
	}
	out := make([]model.Traveler, 0, len(ids))
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			return nil, apperr.Validation(apperr.FieldError{Field: "travelers", Message: "lists the same traveler twice"})
		}
		sealed, err := q.GetTraveler(ctx, p.UserID, id)
		if err != nil {
			return nil, err
		}
		t, err := s.openTraveler(sealed)
		if err != nil {
			return nil, err
		}
		if err := s.recordAudit(ctx, q, p, AuditEvent{Action: model.AuditTravelerUse, TargetType: travelerTarget,
			TargetID: id, Details: map[string]any{"fields": setFields(t), "purpose": "booking"}}); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// plainFields is the clear value of every encrypted field ("" = not set);
// structured fields are JSON.
func plainFields(t model.Traveler) (map[string]string, error) {
	v := map[string]string{
		model.TravelerGivenNames: t.GivenNames, model.TravelerFamilyName: t.FamilyName,
		model.TravelerDateOfBirth: t.DateOfBirth, model.TravelerGender: t.Gender,
		model.TravelerNationality: t.Nationality, model.TravelerPassportNumber: t.PassportNumber,
		model.TravelerPassportCountry: t.PassportCountry, model.TravelerPassportExpiry: t.PassportExpiry,
		model.TravelerKnownTravelerNumber: t.KnownTravelerNumber, model.TravelerDietaryNeeds: t.DietaryNeeds,
		model.TravelerAccessibilityNeeds: t.AccessibilityNeeds,
	}
	if len(t.LoyaltyNumbers) > 0 {
		b, err := json.Marshal(t.LoyaltyNumbers)
		if err != nil {
			return nil, err
		}
		v[model.TravelerLoyaltyNumbers] = string(b)
	}
	if t.EmergencyContact != nil {
		b, err := json.Marshal(t.EmergencyContact)
		if err != nil {
			return nil, err
		}
		v[model.TravelerEmergencyContact] = string(b)
	}
	return v, nil
}

// sealTraveler encrypts t under a fresh data key: the only form the store
// receives.
func (s *Service) sealTraveler(t model.Traveler) (model.SealedTraveler, error) {
	values, err := plainFields(t)
	if err != nil {
		return model.SealedTraveler{}, fmt.Errorf("encode traveler: %w", err)
	}
	rk, err := s.PII.NewRecordKey(t.ID)
	if err != nil {
		return model.SealedTraveler{}, err
	}
	out := model.SealedTraveler{ID: t.ID, OwnerID: t.OwnerID, Label: t.Label, Fields: map[string][]byte{},
		KeyID: rk.KeyID, DataKey: rk.Wrapped, Version: t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		NameBidx: s.PII.BlindIndex("name", t.OwnerID, secure.NormalizeName(t.FamilyName)+"\x00"+
			secure.NormalizeName(t.GivenNames)+"\x00"+t.DateOfBirth)}
	for _, f := range model.TravelerFields {
		if v := values[f]; v != "" {
			out.Fields[f] = rk.Seal(f, []byte(v))
		}
	}
	if t.PassportNumber != "" {
		out.PassportBidx = s.passportIndex(t.OwnerID, t.PassportNumber)
	}
	return out, nil
}

func (s *Service) passportIndex(owner, normalised string) string {
	return s.PII.BlindIndex("passport", owner, normalised)
}

// openTraveler decrypts a stored traveler. A failure means a missing
// master key or tampered row: an internal error, never partial data.
func (s *Service) openTraveler(st model.SealedTraveler) (model.Traveler, error) {
	t := model.Traveler{ID: st.ID, OwnerID: st.OwnerID, Label: st.Label, Version: st.Version,
		CreatedAt: st.CreatedAt, UpdatedAt: st.UpdatedAt}
	rk, err := s.PII.OpenRecordKey(st.ID, st.KeyID, st.DataKey)
	if err != nil {
		return model.Traveler{}, fmt.Errorf("traveler %s: data key: %w", st.ID, err)
	}
	dst := map[string]*string{
		model.TravelerGivenNames: &t.GivenNames, model.TravelerFamilyName: &t.FamilyName,
		model.TravelerDateOfBirth: &t.DateOfBirth, model.TravelerGender: &t.Gender,
		model.TravelerNationality: &t.Nationality, model.TravelerPassportNumber: &t.PassportNumber,
		model.TravelerPassportCountry: &t.PassportCountry, model.TravelerPassportExpiry: &t.PassportExpiry,
		model.TravelerKnownTravelerNumber: &t.KnownTravelerNumber, model.TravelerDietaryNeeds: &t.DietaryNeeds,
		model.TravelerAccessibilityNeeds: &t.AccessibilityNeeds,
	}
	for f, ct := range st.Fields {
		pt, err := rk.Open(f, ct)
		if err != nil {
			return model.Traveler{}, fmt.Errorf("traveler %s: field %s: %w", st.ID, f, err)
		}
		switch f {
		case model.TravelerLoyaltyNumbers:
			err = json.Unmarshal(pt, &t.LoyaltyNumbers)
		case model.TravelerEmergencyContact:
			t.EmergencyContact = &model.EmergencyContact{}
			err = json.Unmarshal(pt, t.EmergencyContact)
		default:
			if d, ok := dst[f]; ok {
				*d = string(pt)
			}
		}
		if err != nil {
			return model.Traveler{}, fmt.Errorf("traveler %s: field %s: %w", st.ID, f, err)
		}
	}
	return t, nil
}

// setFields names the fields that hold a value, for audit details.
func setFields(t model.Traveler) []string {
	values, _ := plainFields(t)
	out := []string{}
	for _, f := range model.TravelerFields {
		if values[f] != "" {
			out = append(out, f)
		}
	}
	return out
}

// changedFields names the fields a patch changed (label included).
func changedFields(a, b model.Traveler) []string {
	va, _ := plainFields(a)
	vb, _ := plainFields(b)
	out := []string{}
	if a.Label != b.Label {
		out = append(out, "label")
	}
	for _, f := range model.TravelerFields {
		if va[f] != vb[f] {
			out = append(out, f)
		}
	}
	return out
}
