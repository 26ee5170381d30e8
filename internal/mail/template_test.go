package mail

import (
	"net/mail"
	"strings"
	"testing"
	"time"
)

func TestTemplates(t *testing.T) {
	link := "https://app.pathavana.test/t?token=a&b=c"
	booking := BookingSummary{Title: "Hotel Aurora, Lisbon", Dates: "10 May 2027 – 13 May 2027", Total: "EUR 312.00",
		ConfirmationCode: "PV7K2M", CancelNote: "Free cancellation until 8 May 2027."}
	until := time.Date(2031, 3, 4, 15, 30, 0, 0, time.FixedZone("CET", 3600))
	for name, tc := range map[string]struct {
		msg  Message
		want []string // in both parts
	}{
		"verify":    {VerifyEmail("ana@example.com", link), []string{"Confirm", "Pathavana"}},
		"reset":     {ResetPassword("ana@example.com", link), []string{"new password", "Pathavana"}},
		"locked":    {AccountLocked("ana@example.com", until), []string{"14:30 UTC on Tuesday, 4 March 2031", "Pathavana"}},
		"already":   {AlreadyRegistered("ana@example.com", link), []string{"already has an account", "Pathavana"}},
		"booked":    {BookingConfirmed("ana@example.com", link, booking), []string{"PV7K2M", "EUR 312.00", "Hotel Aurora, Lisbon", "Free cancellation"}},
		"cancelled": {BookingCancelled("ana@example.com", link, booking, "EUR 312.00"), []string{"PV7K2M", "is cancelled", "Refund: EUR 312.00"}},
	} {
		t.Run(name, func(t *testing.T) {
			m := tc.msg
			if m.To != "ana@example.com" || m.Subject == "" || m.Text == "" || m.HTML == "" {
				t.Fatalf("incomplete message: %+v", m)
			}
			if _, err := m.recipient(); err != nil {
				t.Fatalf("template produces an invalid message: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(m.Text, w) || !strings.Contains(m.HTML, w) {
					t.Errorf("%q missing from text or HTML", w)
				}
			}
			if name != "locked" {
				if !strings.Contains(m.Text, link) {
					t.Error("text part lacks the raw link")
				}
				if !strings.Contains(m.HTML, `href="https://app.pathavana.test/t?token=a&amp;b=c"`) {
					t.Errorf("HTML part lacks the escaped link:\n%s", m.HTML)
				}
			}
			if _, err := buildMessage(mustAddr(t, testFrom), mustAddr(t, m.To), m, time.Now()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestTemplateEscapesHostileLinks(t *testing.T) {
	m := VerifyEmail("ana@example.com", `javascript:alert(1)"><script>x</script>`)
	if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, `href="javascript:`) {
		t.Fatalf("hostile link not neutralised:\n%s", m.HTML)
	}
}

func mustAddr(t *testing.T, s string) *mail.Address {
	t.Helper()
	a, err := mail.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
