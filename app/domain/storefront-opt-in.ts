import { isIP } from "node:net";
import type { CountryCode } from "libphonenumber-js/max";
import { z } from "zod";
import { normalizePhone } from "./phone";

// The storefront sign-up as it reaches the app proxy: a JSON body from the form's script, or a plain form post when
// the shopper's browser runs no JavaScript. Everything here is pure: the service adds the shop's settings.

const consentFlag = z
  .union([z.boolean(), z.string(), z.number()])
  .optional()
  .transform(
    (value) => value === true || value === 1 || (typeof value === "string" && /^(on|true|1|yes)$/i.test(value)),
  );

export const SubscribeRequestSchema = z.object({
  phone: z.string().trim().max(64).catch(""),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/)
    .optional()
    .catch(undefined),
  consent: consentFlag.catch(false),
  disclosureVersion: z.string().trim().max(64).optional().catch(undefined),
  pageUrl: z.string().trim().max(2048).optional().catch(undefined),
  source: z.enum(["form", "popup"]).catch("form"),
  // A block may point its legal links elsewhere; the disclosure (and its version) is rebuilt with them.
  termsUrl: z.string().trim().max(2048).optional().catch(undefined),
  privacyUrl: z.string().trim().max(2048).optional().catch(undefined),
});
export type SubscribeRequest = z.infer<typeof SubscribeRequestSchema>;

export type SubscribeField = "phone" | "consent" | "pageUrl";
export type FieldErrors = Partial<Record<SubscribeField, string>>;

export interface ValidSubscription {
  phoneE164: string;
  source: "STOREFRONT_FORM" | "POPUP";
  pageUrl: string | null;
  disclosureVersion: string | null;
  termsUrl: string | null;
  privacyUrl: string | null;
}

export type SubscribeValidation = { ok: true; data: ValidSubscription } | { ok: false; fieldErrors: FieldErrors };

export const FORM_MESSAGES = {
  phoneMissing: "Enter your mobile number.",
  consentMissing: "Check the box to agree to receive text messages.",
  pageUrl: "The page address is not on this store.",
  termsChanged: "The terms changed, please review them and submit again.",
  formOff: "Text sign-up is not available right now.",
  tooMany: "Too many attempts. Please wait a moment and try again.",
} as const;

/** Validates a submission; `defaultCountry` reads a national number when the form sent no country. */
export function validateSubscribeRequest(
  input: unknown,
  options: { shopDomain: string; defaultCountry: CountryCode },
): SubscribeValidation {
  const request = SubscribeRequestSchema.parse(input ?? {});
  const fieldErrors: FieldErrors = {};

  let phoneE164 = "";
  if (!request.phone) {
    fieldErrors.phone = FORM_MESSAGES.phoneMissing;
  } else {
    const phone = normalizePhone(request.phone, (request.country as CountryCode | undefined) ?? options.defaultCountry);
    if (phone.ok) phoneE164 = phone.e164;
    else fieldErrors.phone = phone.message;
  }
  if (!request.consent) fieldErrors.consent = FORM_MESSAGES.consentMissing;

  const pageUrl = request.pageUrl ? resolveOnShop(request.pageUrl, options.shopDomain) : null;
  if (request.pageUrl && !pageUrl) fieldErrors.pageUrl = FORM_MESSAGES.pageUrl;

  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return {
    ok: true,
    data: {
      phoneE164,
      source: request.source === "popup" ? "POPUP" : "STOREFRONT_FORM",
      pageUrl,
      disclosureVersion: request.disclosureVersion || null,
      termsUrl: request.termsUrl ? resolveLink(request.termsUrl, options.shopDomain) : null,
      privacyUrl: request.privacyUrl ? resolveLink(request.privacyUrl, options.shopDomain) : null,
    },
  };
}

/**
 * A page of this store as an absolute address: a relative path ("/products/tee?x=1") is read on the shop's
 * domain; an absolute address must already be on it. Anything else (another site, javascript:…) → null.
 */
export function resolveOnShop(value: string, shopDomain: string): string | null {
  const base = `https://${shopDomain}`;
  if (value.startsWith("/") && !value.startsWith("//")) {
    try {
      const url = new URL(value, base);
      return url.origin === base ? url.toString() : null;
    } catch {
      return null;
    }
  }
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return url.hostname === shopDomain ? url.toString() : null;
  } catch {
    return null;
  }
}

/** A legal link the merchant chose in the block: a page of the store, or any https address. */
export function resolveLink(value: string, shopDomain: string): string | null {
  const onShop = resolveOnShop(value, shopDomain);
  if (onShop) return onShop;
  try {
    const url = new URL(value);
    return url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * The shopper's address. Shopify's app proxy names it in X-Forwarded-For (first hop); `fallback` is the socket's
 * peer when the request did not come through a proxy.
 */
export function clientIp(headers: Headers, fallback?: string | null): string | null {
  const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  if (first && isIP(first)) return first;
  return fallback && isIP(fallback) ? fallback : null;
}

/** The app proxy's logged_in_customer_id ("" for a guest) as the Admin API's gid. */
export function customerGid(loggedInCustomerId: string | null | undefined): string | null {
  return loggedInCustomerId && /^\d+$/.test(loggedInCustomerId) ? `gid://shopify/Customer/${loggedInCustomerId}` : null;
}

export type OptInOutcome = "pending" | "subscribed" | "already_pending" | "already_subscribed" | "blocked_by_stop";

/** What the form tells the shopper after a sign-up. */
export function outcomeMessage(outcome: OptInOutcome, storeNumber: string | null): string {
  switch (outcome) {
    case "pending":
    case "already_pending":
      return "Check your phone: reply Y to confirm.";
    case "subscribed":
      return "You're subscribed!";
    case "already_subscribed":
      return "You're already subscribed.";
    case "blocked_by_stop":
      return storeNumber
        ? `You previously texted STOP. Text START to ${storeNumber} to resubscribe.`
        : "You previously texted STOP. Text START to our number to resubscribe.";
  }
}
