import { isSupportedCountry } from "libphonenumber-js/max";
import { z } from "zod";
import { normalizePhone } from "./phone";

// What the storefront web pixel (extensions/parley-pixel) sends, and how one of its events becomes a BrowseEvent
// row. The pixel runs on every storefront and anyone can post to the endpoint with the shop's (public) token, so
// the schema is strict about shape and size and the mapping keeps only what the inbox sidebar shows.

export const BROWSE_EVENT_NAMES = [
  "product_viewed",
  "product_added_to_cart",
  "checkout_started",
  "checkout_completed",
] as const;
export type BrowseEventName = (typeof BROWSE_EVENT_NAMES)[number];

/** A request larger than this is refused before it is parsed. */
export const MAX_PIXEL_BODY_BYTES = 16 * 1024;
/** The pixel flushes every 2 s; more events than this in one request is not a browser. */
export const MAX_PIXEL_BATCH = 25;
export const MAX_TITLE_LENGTH = 255;

const text = (max: number) => z.string().trim().max(max).nullish();

export const PixelEventSchema = z.object({
  name: z.enum(BROWSE_EVENT_NAMES),
  /** The pixel's event id: unique per event, so a replayed request stores nothing twice. */
  id: z.string().trim().min(1).max(128),
  timestamp: z.iso.datetime({ offset: true }),
  /** Shopify's numeric customer id (or its gid) when the shopper is logged in. */
  customerId: text(64),
  productId: text(64),
  variantId: text(64),
  title: text(1_000),
  url: text(2_048),
  /** checkout.phone, else the shipping address's phone: whatever the shopper typed. */
  phone: text(40),
  /** The shipping address's country: how to read a phone typed without its country code. */
  countryCode: text(2),
});
export type PixelEvent = z.infer<typeof PixelEventSchema>;

export const PixelBatchSchema = z.object({
  /** The shop's pixel token (the pixel's `accountID` setting). */
  accountID: z.string().min(1).max(128),
  events: z.array(PixelEventSchema).min(1).max(MAX_PIXEL_BATCH),
});
export type PixelBatch = z.infer<typeof PixelBatchSchema>;

/** One line naming the first problem, for the 400 answer (the pixel cannot show it, a developer can). */
export function describePixelBatchError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid payload";
  const path = issue.path.length > 0 ? issue.path.join(".") : "body";
  return `${path}: ${issue.message}`;
}

export interface BrowseEventRow {
  eventName: BrowseEventName;
  eventId: string;
  shopifyCustomerId: string | null;
  productId: string | null;
  variantId: string | null;
  productTitle: string | null;
  url: string | null;
  occurredAt: Date;
  /** Not stored: the number that links the event to an existing contact (checkout events only). */
  phoneE164: string | null;
}

/**
 * Shopify's ids as the rest of Parley stores them (`gid://shopify/Product/123`). The pixel reports bare numbers;
 * anything else (another type's gid, free text) is dropped rather than trusted.
 */
export function shopifyGid(type: "Customer" | "Product" | "ProductVariant", id: string | null | undefined) {
  if (!id) return null;
  if (/^\d{1,20}$/.test(id)) return `gid://shopify/${type}/${id}`;
  const match = /^gid:\/\/shopify\/(\w+)\/(\d{1,20})$/.exec(id);
  return match && match[1] === type ? id : null;
}

/** The checkout's phone in E.164 when it is a textable number, read in the shipping country when it has no +code. */
export function checkoutPhoneE164(phone: string | null | undefined, countryCode?: string | null): string | null {
  if (!phone) return null;
  const country = countryCode?.toUpperCase();
  const result = normalizePhone(phone, country && isSupportedCountry(country) ? country : "US");
  return result.ok ? result.e164 : null;
}

/** Storefront links only: a `javascript:` or data URL must never reach the inbox as a link. */
function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}

/**
 * A pixel event → the BrowseEvent it becomes. The shopper's clock is not trusted: a time in the future is read
 * as now. Checkout events carry no product; product events carry no phone.
 */
export function toBrowseEventRow(event: PixelEvent, now: Date): BrowseEventRow {
  const at = new Date(event.timestamp);
  const isCheckout = event.name === "checkout_started" || event.name === "checkout_completed";
  return {
    eventName: event.name,
    eventId: event.id,
    shopifyCustomerId: shopifyGid("Customer", event.customerId),
    productId: isCheckout ? null : shopifyGid("Product", event.productId),
    variantId: isCheckout ? null : shopifyGid("ProductVariant", event.variantId),
    productTitle: isCheckout ? null : event.title ? event.title.slice(0, MAX_TITLE_LENGTH) : null,
    url: safeUrl(event.url),
    occurredAt: at.getTime() > now.getTime() ? now : at,
    phoneE164: isCheckout ? checkoutPhoneE164(event.phone, event.countryCode) : null,
  };
}

/** The oldest time still kept under a retention of `days` days. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - Math.max(1, days) * 24 * 3600_000);
}
