package service

import (
	"context"

	"pathavana/internal/model"
	"pathavana/internal/store"
)

// KeyRotation reports a run of RotateTravelerKeys.
type KeyRotation struct {
	KeyID     string         // the current master key everything was wrapped to
	Rewrapped int            // data keys re-wrapped by this run
	Current   int            // rows already under KeyID when the run ended
	Raced     int            // rows rewritten by a request meanwhile (they hold a fresh key already, or need a re-run)
	Remaining map[string]int // rows per master key id after the run
}

// RotateTravelerKeys re-wraps every traveler's data key still under an
// older master key with the current one. Only the 32-byte data keys are
// touched, never the data. Each batch is its own short transaction, and
// each row is a compare-and-swap on the wrap that was read, so it runs
// beside live traffic: a traveler saved meanwhile already has a fresh key
// under the current master key. Rows whose key is missing from the keyring
// make the run fail, naming that key, so no old key is dropped too early.
func (s *Service) RotateTravelerKeys(ctx context.Context, batch int) (KeyRotation, error) {
	if err := s.requirePII(); err != nil {
		return KeyRotation{}, err
	}
	current := s.PII.CurrentKeyID()
	r := KeyRotation{KeyID: current}
	after := ""
	for {
		var n int
		err := s.Store.InTx(ctx, func(q *store.Queries) error {
			keys, err := q.TravelerKeysNotUnder(ctx, current, after, batch)
			if err != nil {
				return err
			}
			n = len(keys)
			for _, k := range keys {
				keyID, wrapped, _, err := s.PII.Rewrap(k.ID, k.KeyID, k.DataKey)
				if err != nil {
					return err
				}
				ok, err := q.RewrapTravelerKey(ctx, k, keyID, wrapped)
				if err != nil {
					return err
				}
				if ok {
					r.Rewrapped++
				} else {
					r.Raced++
				}
				after = k.ID
			}
			return nil
		})
		if err != nil {
			return r, err
		}
		if n < batch {
			break
		}
	}
	counts, err := s.Store.CountTravelersByKey(ctx)
	if err != nil {
		return r, err
	}
	r.Remaining, r.Current = counts, counts[current]
	err = s.recordAudit(ctx, s.Store.Queries, OperatorPrincipal(), AuditEvent{Action: model.AuditPIIKeyRotate,
		TargetType: "pii_key", TargetID: current, Details: map[string]any{"rewrapped": r.Rewrapped, "raced": r.Raced}})
	return r, err
}
