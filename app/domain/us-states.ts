// State names as libphonenumber's English geocoder writes them ("Florida", "Washington State",
// "Washington D.C."), mapped to ISO 3166-2 codes; its city answers end in the USPS code ("Miami, FL").
const STATE_CODES: Record<string, string> = {
  alabama: "AL",
  alaska: "AK",
  arizona: "AZ",
  arkansas: "AR",
  california: "CA",
  colorado: "CO",
  connecticut: "CT",
  delaware: "DE",
  "district of columbia": "DC",
  "washington d.c.": "DC",
  "washington dc": "DC",
  florida: "FL",
  georgia: "GA",
  hawaii: "HI",
  idaho: "ID",
  illinois: "IL",
  indiana: "IN",
  iowa: "IA",
  kansas: "KS",
  kentucky: "KY",
  louisiana: "LA",
  maine: "ME",
  maryland: "MD",
  massachusetts: "MA",
  michigan: "MI",
  minnesota: "MN",
  mississippi: "MS",
  missouri: "MO",
  montana: "MT",
  nebraska: "NE",
  nevada: "NV",
  "new hampshire": "NH",
  "new jersey": "NJ",
  "new mexico": "NM",
  "new york": "NY",
  "north carolina": "NC",
  "north dakota": "ND",
  ohio: "OH",
  oklahoma: "OK",
  oregon: "OR",
  pennsylvania: "PA",
  "rhode island": "RI",
  "south carolina": "SC",
  "south dakota": "SD",
  tennessee: "TN",
  texas: "TX",
  utah: "UT",
  vermont: "VT",
  virginia: "VA",
  washington: "WA",
  "washington state": "WA",
  "west virginia": "WV",
  wisconsin: "WI",
  wyoming: "WY",
};
const USPS_CODES = new Set(Object.values(STATE_CODES));

/** "Florida" | "Miami, FL" | "FL" | "fl" | "US-FL" → "US-FL"; anything else → undefined. */
export function usStateRegion(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  const iso = /^US-([A-Z]{2})$/i.exec(trimmed);
  if (iso && USPS_CODES.has(iso[1].toUpperCase())) return `US-${iso[1].toUpperCase()}`;
  const city = /,\s*([A-Z]{2})$/.exec(trimmed);
  if (city && USPS_CODES.has(city[1])) return `US-${city[1]}`;
  if (/^[A-Za-z]{2}$/.test(trimmed) && USPS_CODES.has(trimmed.toUpperCase())) return `US-${trimmed.toUpperCase()}`;
  const named = STATE_CODES[trimmed.toLowerCase()];
  return named ? `US-${named}` : undefined;
}
