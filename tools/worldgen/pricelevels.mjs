// Relative price levels by country, United States = 1.00.
//
// Meaning: how much the same basket of goods and services costs in the
// country, at market exchange rates, relative to the United States. It is
// the World Bank's "Price level ratio of PPP conversion factor (GDP) to market
// exchange rate" (World Development Indicators series PA.NUS.PPPC.RF, based on
// the International Comparison Program (ICP) 2021 round and its extrapolation
// to 2022), which is 1.00 for the USA by construction.
//
// The values below were written by hand for this project, rounded to two
// digits (most to the nearest 0.05), as approximations of that series for
// 2022. They are not a copy of the dataset and were not fetched at generation
// time; they exist so the sandbox can scale synthetic prices (stays, meals,
// taxis, attractions) plausibly: Zurich dearer than Lisbon, Lisbon dearer than
// Hanoi. Do not use them for anything that needs the real statistics.
// Currencies with high inflation or several exchange rates in 2022
// (Argentina, Türkiye, Egypt, Nigeria, Russia...) are especially rough.
//
// Countries not listed fall back to CONTINENT_FALLBACK below, chosen as a
// rough typical level of the not-listed (mostly lower-income or small island)
// countries of each continent.
export const PRICE_LEVELS = {
  // Americas
  US: 1.00, CA: 0.90, MX: 0.50, BR: 0.50, AR: 0.45, CL: 0.55, CO: 0.40,
  PE: 0.45, EC: 0.50, UY: 0.70, CR: 0.60, PA: 0.50, DO: 0.45, CU: 0.45,
  JM: 0.65, BS: 1.00, PR: 0.85, GT: 0.45, BO: 0.35, PY: 0.40, VE: 0.45,
  BB: 0.95, TT: 0.65,
  // Western and Northern Europe
  CH: 1.15, NO: 1.05, IS: 1.15, DK: 0.90, SE: 0.85, FI: 0.85, IE: 0.90,
  GB: 0.80, LU: 0.90, NL: 0.80, BE: 0.80, AT: 0.80, DE: 0.75, FR: 0.75,
  MC: 1.10, LI: 1.10, IT: 0.65, ES: 0.60, PT: 0.55, MT: 0.65, GR: 0.55,
  CY: 0.65, AD: 0.70,
  // Central and Eastern Europe, Balkans
  CZ: 0.55, SK: 0.55, PL: 0.45, HU: 0.45, SI: 0.60, HR: 0.50, EE: 0.65,
  LV: 0.55, LT: 0.50, RO: 0.40, BG: 0.40, RS: 0.45, ME: 0.45, BA: 0.40,
  AL: 0.40, MK: 0.35, UA: 0.30, RU: 0.40, BY: 0.30, MD: 0.35, GE: 0.35,
  AM: 0.40, AZ: 0.30, TR: 0.35,
  // Middle East and Central Asia
  IL: 1.05, AE: 0.65, QA: 0.65, KW: 0.60, BH: 0.55, OM: 0.50, SA: 0.55,
  JO: 0.50, LB: 0.45, IR: 0.25, EG: 0.25, KZ: 0.35, UZ: 0.30,
  // East and Southeast Asia
  JP: 0.70, KR: 0.65, CN: 0.60, HK: 0.75, MO: 0.70, TW: 0.45, SG: 0.70,
  MY: 0.35, TH: 0.35, VN: 0.35, ID: 0.35, PH: 0.35, KH: 0.35, LA: 0.30,
  MM: 0.25, MN: 0.30, BN: 0.45,
  // South Asia
  IN: 0.25, LK: 0.30, NP: 0.30, BD: 0.30, PK: 0.25, MV: 0.60,
  // Africa
  MA: 0.40, TN: 0.30, DZ: 0.30, ZA: 0.45, KE: 0.40, TZ: 0.35, ET: 0.30,
  NG: 0.35, GH: 0.30, SN: 0.40, MU: 0.40, NA: 0.50, BW: 0.45, RW: 0.35,
  UG: 0.35, SC: 0.70,
  // Oceania
  AU: 1.00, NZ: 0.95, FJ: 0.55, PF: 1.05, NC: 1.05,
};

// Fallback for countries not in PRICE_LEVELS, keyed by continent code
// (countries-list: AF, AN, AS, EU, NA, OC, SA).
export const CONTINENT_FALLBACK = {
  AF: 0.40, // rest of Africa
  AN: 1.00, // Antarctica: expeditions only, priced like the USA
  AS: 0.40, // rest of Asia
  EU: 0.65, // microstates and territories (Faroe, Gibraltar, Jersey...)
  NA: 0.75, // mostly Caribbean islands, dearer than the mainland
  OC: 0.75, // Pacific islands
  SA: 0.45, // rest of South America (Guyana, Suriname, French Guiana...)
};
