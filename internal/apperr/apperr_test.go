package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeOf(t *testing.T) {
	cause := errors.New("disk on fire")
	wrapped := fmt.Errorf("layer: %w", Wrap(cause, NotFound, "trip %s not found", "t1"))
	if got := CodeOf(wrapped); got != NotFound {
		t.Fatalf("CodeOf = %q, want not_found", got)
	}
	if !errors.Is(wrapped, cause) {
		t.Fatal("cause lost through Wrap")
	}
	if got := CodeOf(cause); got != Internal {
		t.Fatalf("plain error code = %q, want internal", got)
	}
	if CodeOf(nil) != "" || Is(nil, Internal) {
		t.Fatal("nil error must have no code")
	}
	v := Validation(FieldError{Field: "email", Message: "is not an email address"})
	if v.Message != "email: is not an email address" || v.Code != Invalid {
		t.Fatalf("single-field validation message = %q", v.Message)
	}
}
