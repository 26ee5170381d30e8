package service

import (
	"context"

	"pathavana/internal/apperr"
	"pathavana/internal/model"
)

// AdminGetUser returns any account to an admin.
func (s *Service) AdminGetUser(ctx context.Context, p Principal, id string) (model.User, error) {
	if !p.IsAdmin() {
		return model.User{}, apperr.New(apperr.Forbidden, "this action needs the admin role")
	}
	return s.Store.GetUser(ctx, id)
}
