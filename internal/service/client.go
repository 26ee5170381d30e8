package service

import (
	"context"
	"strings"
)

// ClientInfo describes where a request comes from, for naming sessions
// (devices) and, later, for the audit log.
type ClientInfo struct {
	IP        string
	UserAgent string
}

type clientKey struct{}

// WithClient attaches the caller's client info to ctx.
func WithClient(ctx context.Context, c ClientInfo) context.Context {
	// Headers are client-controlled: keep them short, valid UTF-8 and free
	// of NUL, which PostgreSQL text columns refuse.
	if len(c.UserAgent) > 200 {
		c.UserAgent = c.UserAgent[:200]
	}
	c.UserAgent = strings.ReplaceAll(strings.ToValidUTF8(c.UserAgent, ""), "\x00", "")
	return context.WithValue(ctx, clientKey{}, c)
}

func clientFrom(ctx context.Context) ClientInfo {
	c, _ := ctx.Value(clientKey{}).(ClientInfo)
	return c
}
