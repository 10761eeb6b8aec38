import {
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type NumberType,
} from "libphonenumber-js/max";
import { rememberRecent } from "~/lib/remember-recent";

// The "max" metadata is the only libphonenumber-js build that tells a mobile from a landline or pager; the default
// ("min") build returns no type at all. US and Canadian numbers stay FIXED_LINE_OR_MOBILE even with it: the NANP
// does not split ranges by type, so only the provider's line-type lookup (Telnyx line_type) can tell there.

export type PhoneErrorCode =
  "not_a_number" | "invalid_country" | "too_short" | "too_long" | "invalid" | "not_mobile_capable";

export type NormalizedPhone =
  | { ok: true; e164: string; country?: CountryCode; type?: NumberType }
  | { ok: false; code: PhoneErrorCode; message: string };

// Types that cannot receive a text. TOLL_FREE stays allowed: US toll-free numbers are often text-enabled.
// VOIP stays allowed: many shoppers text from Google Voice and similar.
const NOT_TEXTABLE: ReadonlySet<NumberType> = new Set<NumberType>([
  "FIXED_LINE",
  "PREMIUM_RATE",
  "SHARED_COST",
  "PAGER",
  "UAN",
  "VOICEMAIL",
]);

const MESSAGES: Record<PhoneErrorCode, string> = {
  not_a_number: "That is not a phone number.",
  invalid_country: "The country code is not valid.",
  too_short: "The number is too short.",
  too_long: "The number is too long.",
  invalid: "That number does not exist in its country's numbering plan.",
  not_mobile_capable: "That number cannot receive text messages.",
};

function fail(code: PhoneErrorCode, detail?: string): NormalizedPhone {
  return { ok: false, code, message: detail ? `${MESSAGES[code]} ${detail}` : MESSAGES[code] };
}

/** Any way a person types a number → E.164, or why it cannot be texted. */
export function normalizePhone(input: string, defaultCountry: CountryCode = "US"): NormalizedPhone {
  return normalizeRecent(`${defaultCountry} ${input}`);
}

// Parsing with the "max" metadata costs about a quarter of a millisecond, and the same numbers come back on every
// text, receipt and import row: the last 10,000 answers are kept (frozen, as they are shared).
const normalizeRecent = rememberRecent((key: string) => {
  const space = key.indexOf(" ");
  return Object.freeze(parseAndCheck(key.slice(space + 1), key.slice(0, space) as CountryCode));
}, 10_000);

function parseAndCheck(input: string, defaultCountry: CountryCode): NormalizedPhone {
  const text = input.trim().replace(/^(tel|sms):/i, "");
  if (!/\p{Nd}/u.test(text)) return fail("not_a_number");
  // extract: false — the whole input must be the number, so "call me at 305…" is refused, not half-read.
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  if (!parsed || !parsed.isValid()) {
    switch (validatePhoneNumberLength(text, defaultCountry)) {
      case "TOO_SHORT":
        return fail("too_short");
      case "TOO_LONG":
        return fail("too_long");
      case "INVALID_COUNTRY":
        return fail("invalid_country");
      case "NOT_A_NUMBER":
        return fail("not_a_number");
      default:
        return fail("invalid");
    }
  }
  if (parsed.ext) return fail("not_mobile_capable", "Numbers with an extension are office lines.");
  const type = parsed.getType();
  if (type && NOT_TEXTABLE.has(type))
    return fail("not_mobile_capable", `It is a ${type.toLowerCase().replace(/_/g, " ")} number.`);
  return {
    ok: true,
    e164: parsed.number,
    ...(parsed.country ? { country: parsed.country } : {}),
    ...(type ? { type } : {}),
  };
}

/** How staff read a number: national format at home (US/Canada), international otherwise; garbage as given. */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === "US" || parsed.country === "CA" ? parsed.formatNational() : parsed.formatInternational();
}

/** For logs and support screens: "+1 305 ••• ••23" — the area, never the subscriber's digits. */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) {
    const digits = e164.replace(/\D/g, "");
    if (digits.length === 0) return "";
    return (e164.trim().startsWith("+") ? "+" : "") + "•".repeat(Math.max(0, digits.length - 2)) + digits.slice(-2);
  }
  const groups = parsed.formatInternational().split(" ");
  const kept = groups.slice(0, groups.length > 2 ? 2 : 1);
  const rest = groups.slice(kept.length);
  const restDigits = rest.join("").length;
  let seen = 0;
  const masked = rest.map((group) =>
    [...group]
      .map((ch) => {
        seen++;
        return seen > restDigits - 2 ? ch : "•";
      })
      .join(""),
  );
  return [...kept, ...masked].join(" ");
}
