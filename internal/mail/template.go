package mail

import (
	"bytes"
	"html/template"
	"strings"
	"time"
)

// brand is the product name every email signs with.
const brand = "Pathavana"

// content is what one transactional email says. Each template fills it in
// once and both the text and the HTML part are rendered from it, so the two
// parts can never drift apart and every email has the same shape.
type content struct {
	Subject    string
	Paragraphs []string
	Button     string // label of the call to action; empty when no link
	Link       string
	Footnote   string // small print: why you got this, what to do if it wasn't you
}

// VerifyEmail asks a new user to confirm that they own the address.
func VerifyEmail(to, link string) Message {
	return render(to, content{
		Subject: "Confirm your email address for " + brand,
		Paragraphs: []string{
			"Welcome to " + brand + "! We're glad you're here.",
			"Please confirm your email address so we can keep your account safe and send you your trip updates.",
		},
		Button:   "Confirm my email",
		Link:     link,
		Footnote: "If you didn't create a " + brand + " account, you can ignore this email and nothing will happen.",
	})
}

// ResetPassword sends the link that lets a user choose a new password.
func ResetPassword(to, link string) Message {
	return render(to, content{
		Subject: "Reset your " + brand + " password",
		Paragraphs: []string{
			"Someone (hopefully you) asked to reset the password for your " + brand + " account.",
			"Use the link below to choose a new one. It works only once and expires soon.",
		},
		Button:   "Choose a new password",
		Link:     link,
		Footnote: "If you didn't ask for this, you can ignore this email: your password stays the same.",
	})
}

// AlreadyRegistered answers a sign-up for an address that already has an
// account: the owner learns of it, the person signing up learns nothing.
func AlreadyRegistered(to, resetLink string) Message {
	return render(to, content{
		Subject: "You already have a " + brand + " account",
		Paragraphs: []string{
			"Someone (hopefully you) just tried to sign up for " + brand + " with this email address, but it already has an account.",
			"You can simply sign in. If you forgot your password, you can choose a new one.",
		},
		Button:   "Reset my password",
		Link:     resetLink,
		Footnote: "If this wasn't you, you can ignore this email: nothing about your account has changed.",
	})
}

// AccountLocked tells a user that sign-in is paused after repeated failed
// attempts, and until when, so a real owner is not left guessing.
func AccountLocked(to string, until time.Time) Message {
	when := until.UTC().Format("15:04 MST on Monday, 2 January 2006")
	return render(to, content{
		Subject: "Your " + brand + " account is temporarily locked",
		Paragraphs: []string{
			"We noticed several unsuccessful attempts to sign in to your " + brand + " account, so we've paused sign-ins to keep it safe.",
			"You can try again after " + when + ".",
		},
		Footnote: "If these attempts weren't you, we recommend resetting your password once the lock ends.",
	})
}

// htmlLayout is parsed per message: parsing is cheap next to sending an
// email, and it keeps the package free of shared mutable values.
const htmlLayout = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:24px;background:#f4f6f8;font-family:Helvetica,Arial,sans-serif;color:#1f2933;">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px;">
<p style="margin:0 0 24px;font-size:20px;font-weight:bold;color:#0b6e4f;">{{.Brand}}</p>
<p style="margin:0 0 16px;font-size:16px;line-height:1.5;">Hello,</p>
{{range .Paragraphs}}<p style="margin:0 0 16px;font-size:16px;line-height:1.5;">{{.}}</p>
{{end}}{{if .Link}}<p style="margin:24px 0;"><a href="{{.Link}}" style="background:#0b6e4f;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;display:inline-block;font-size:16px;">{{.Button}}</a></p>
<p style="margin:0 0 16px;font-size:13px;line-height:1.5;color:#52606d;">If the button doesn't work, copy this link into your browser:<br><a href="{{.Link}}" style="color:#0b6e4f;word-break:break-all;">{{.Link}}</a></p>
{{end}}<p style="margin:0 0 16px;font-size:16px;line-height:1.5;">Happy travels,<br>The {{.Brand}} team</p>
{{if .Footnote}}<p style="margin:24px 0 0;font-size:13px;line-height:1.5;color:#52606d;">{{.Footnote}}</p>
{{end}}</div>
</body>
</html>
`

func render(to string, c content) Message {
	var text strings.Builder
	text.WriteString("Hello,\n\n")
	for _, p := range c.Paragraphs {
		text.WriteString(p + "\n\n")
	}
	if c.Link != "" {
		text.WriteString(c.Button + ":\n" + c.Link + "\n\n")
	}
	text.WriteString("Happy travels,\nThe " + brand + " team\n")
	if c.Footnote != "" {
		text.WriteString("\n" + c.Footnote + "\n")
	}

	// html/template escapes every value and refuses non-http(s) link
	// schemes, so a crafted link cannot inject markup or javascript: URLs.
	tmpl := template.Must(template.New("email").Parse(htmlLayout))
	var html bytes.Buffer
	data := struct {
		content
		Brand string
	}{c, brand}
	if err := tmpl.Execute(&html, data); err != nil {
		// Only a broken constant template can get here, and tests render
		// every template; a text-only email is still a working email.
		return Message{To: to, Subject: c.Subject, Text: text.String()}
	}
	return Message{To: to, Subject: c.Subject, Text: text.String(), HTML: html.String()}
}

// BookingSummary is what a booking email tells about the reservation.
type BookingSummary struct {
	Title            string // "Hotel Aurora, Lisbon" or "TP 201 LIS→OPO"
	Dates            string // "10 May 2027 – 13 May 2027"
	Total            string // "EUR 312.00"
	ConfirmationCode string
	CancelNote       string // the cancellation rule in words
}

// BookingConfirmed confirms a reservation with its code and rules.
func BookingConfirmed(to, link string, b BookingSummary) Message {
	return render(to, content{
		Subject: "Booking confirmed: " + b.Title + " (" + b.ConfirmationCode + ")",
		Paragraphs: []string{
			"Your booking is confirmed: " + b.Title + ", " + b.Dates + ".",
			"Confirmation code: " + b.ConfirmationCode + ". Total charged: " + b.Total + ".",
			b.CancelNote,
		},
		Button:   "See my booking",
		Link:     link,
		Footnote: "If you didn't make this booking, sign in and cancel it, then change your password.",
	})
}

// BookingCancelled confirms a cancellation and what is refunded.
func BookingCancelled(to, link string, b BookingSummary, refund string) Message {
	return render(to, content{
		Subject: "Booking cancelled: " + b.Title + " (" + b.ConfirmationCode + ")",
		Paragraphs: []string{
			"Your booking " + b.ConfirmationCode + " (" + b.Title + ", " + b.Dates + ") is cancelled.",
			"Refund: " + refund + ".",
		},
		Button:   "See my bookings",
		Link:     link,
		Footnote: "If you didn't cancel this booking, contact us and change your password.",
	})
}
