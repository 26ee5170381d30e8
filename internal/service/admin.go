package service

import (
	"context"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
	"pathavana/internal/store"
)

// AdminGetUser returns any account to an admin.
func (s *Service) AdminGetUser(ctx context.Context, p Principal, id string) (model.User, error) {
	if !p.IsAdmin() {
		return model.User{}, apperr.New(apperr.Forbidden, "this action needs the admin role")
	}
	u, err := s.Store.GetUser(ctx, id)
	if err != nil {
		return model.User{}, err
	}
	return u, s.recordAudit(ctx, s.Store.Queries, p, AuditEvent{Action: model.AuditAdminUserRead, TargetType: "user",
		TargetID: id, SubjectID: id})
}

// OperatorPrincipal acts for whoever runs a pathavana command with the
// database credentials: admin rights, no account. The audit log shows it
// as an actor without an ID.
func OperatorPrincipal() Principal { return Principal{Role: model.RoleAdmin} }

// SetRole grants or withdraws the admin role (command line only: the API
// cannot make admins) and records who did it in the same transaction.
func (s *Service) SetRole(ctx context.Context, p Principal, email string, role model.Role) error {
	if !p.IsAdmin() {
		return apperr.New(apperr.Forbidden, "this action needs the admin role")
	}
	if role != model.RoleUser && role != model.RoleAdmin {
		return apperr.Validation(apperr.FieldError{Field: "role", Message: "must be user or admin"})
	}
	email, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	var id string
	err = s.Store.InTx(ctx, func(q *store.Queries) error {
		u, err := q.GetUserByEmail(ctx, email)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.NotFound, "no account with email %s", email)
		}
		if err != nil {
			return err
		}
		if err := q.SetRole(ctx, u.ID, role); err != nil {
			return err
		}
		id = u.ID
		return s.recordAudit(ctx, q, p, AuditEvent{Action: model.AuditRoleChange, TargetType: "user", TargetID: u.ID,
			SubjectID: u.ID, Details: map[string]any{"from": string(u.Role), "to": string(role)}})
	})
	if err == nil {
		s.forgetUser(ctx, id)
	}
	return err
}
