package httpapi

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"pathavana/internal/model"
	"pathavana/internal/money"
	"pathavana/internal/service"
)

// printPage is a self-contained page (inline CSS, no scripts, no external
// resources) so it prints and saves the same offline. html/template
// escapes every value the traveller typed.
const printPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Trip.Title}} · Pathavana</title>
<style>
body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.4}
h1{margin-bottom:.2rem}.meta{color:#555;margin-top:0}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:1.6rem;break-after:avoid}
table{width:100%;border-collapse:collapse}td{padding:.3rem .4rem;vertical-align:top;border-bottom:1px solid #eee}
td.time{white-space:nowrap;width:8rem;color:#333}td.cost{text-align:right;white-space:nowrap}.kind{color:#666;font-size:.85em;text-transform:uppercase}
.notes{color:#444;font-size:.9em;white-space:pre-wrap}.booked{color:#060;font-size:.85em}tr{break-inside:avoid}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
</style></head><body>
<h1>{{.Trip.Title}}</h1>
<p class="meta">{{.Trip.StartsOn}} – {{.Trip.EndsOn}} · {{.Trip.Days}} days · {{.Party}}{{if .Trip.Destinations}} · {{join .Trip.Destinations ", "}}{{end}}{{if .Budget}} · budget {{.Budget}}{{end}}</p>
{{range .Days}}<h2>{{.Label}}</h2>
<table>{{range .Items}}<tr><td class="time">{{.Time}}</td><td><span class="kind">{{.Kind}}</span> <strong>{{.Title}}</strong>{{if .BookingID}} <span class="booked">booked</span>{{end}}
{{if .Place}}<br>{{.Place}}{{end}}{{if .URL}}<br><a href="{{.URL}}">{{.URL}}</a>{{end}}{{if .Notes}}<div class="notes">{{.Notes}}</div>{{end}}</td>
<td class="cost">{{.Cost}}</td></tr>{{end}}</table>
{{end}}{{if .Planned}}<p class="meta">Planned: {{.Planned}}{{range .Other}} · {{.}}{{end}}</p>{{end}}
</body></html>`

type printItem struct {
	Time, Kind, Title, Place, URL, Notes, Cost, BookingID string
}

type printDay struct {
	Label string
	Items []printItem
}

func moneyText(minor *int64, currency string) string {
	if minor == nil {
		return ""
	}
	return money.Money{Minor: *minor, Currency: currency}.String() + " " + currency
}

func (s *Server) handleTripPrint(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.GetTrip(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	tmpl, err := template.New("print").Funcs(template.FuncMap{"join": strings.Join}).Parse(printPage)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b := service.Budget(t)
	data := struct {
		Trip                   model.Trip
		Days                   []printDay
		Party, Budget, Planned string
		Other                  []string
	}{Trip: t, Days: printDays(t), Party: partyText(t.Party), Budget: moneyText(t.BudgetMinor, t.Currency)}
	if len(b.Trip.ByKind) > 0 {
		data.Planned = moneyText(&b.Trip.Planned, t.Currency)
	}
	for _, o := range b.Other {
		data.Other = append(data.Other, moneyText(&o.Planned, o.Currency))
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	_, _ = w.Write(buf.Bytes())
}

func printDays(t model.Trip) []printDay {
	var days []printDay
	byDay := map[int][]printItem{}
	for _, it := range t.Items {
		tm := ""
		if it.StartsAt != "" {
			tm = it.StartsAt[11:]
			if it.EndsAt != "" {
				end := it.EndsAt[11:]
				if it.EndsAt[:10] != it.StartsAt[:10] {
					end = it.EndsAt[:10] + " " + end
				}
				tm += "–" + end
			}
		}
		byDay[it.Day] = append(byDay[it.Day], printItem{Time: tm, Kind: string(it.Kind), Title: it.Title, Place: it.Place,
			URL: it.URL, Notes: it.Notes, Cost: moneyText(it.CostMinor, it.Currency), BookingID: it.BookingID})
	}
	for d := 1; d <= t.Days(); d++ {
		date, _ := t.DayDate(d)
		days = append(days, printDay{Label: "Day " + itoa(d) + " · " + date.Format("Monday 2 January 2006"), Items: byDay[d]})
	}
	if len(byDay[0]) > 0 {
		days = append(days, printDay{Label: "Not yet scheduled", Items: byDay[0]})
	}
	return days
}

func partyText(p model.Party) string {
	parts := []string{plural(p.Adults, "adult")}
	if p.Children > 0 {
		parts = append(parts, plural(p.Children, "child"))
	}
	if p.Infants > 0 {
		parts = append(parts, plural(p.Infants, "infant"))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if word == "child" {
		return itoa(n) + " children"
	}
	return itoa(n) + " " + word + "s"
}

func itoa(n int) string { return strconv.Itoa(n) }
