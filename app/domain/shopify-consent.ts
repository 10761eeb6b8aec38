import { z } from "zod";
import type { ConsentStatus } from "./consent";

// Parley's marketing status ↔ the Shopify customer's SMS marketing consent. The service does the I/O; the
// decisions are here so they can be table-tested.
//
// Decisions:
// - Shopify hears only SUBSCRIBED and UNSUBSCRIBED. PENDING (double opt-in not answered yet) and NOT_SUBSCRIBED
//   (a request that lapsed) are Parley's business: the customer never told Shopify otherwise.
// - CONFIRMED_OPT_IN means the shopper answered a double opt-in request (PENDING → SUBSCRIBED); every other way
//   into SUBSCRIBED (START after a STOP, an import) is SINGLE_OPT_IN.
// - A Shopify consent older than the change Parley holds is stale (webhooks arrive late and out of order, and an
//   echo of Parley's own earlier push must not undo a newer change).

export const SHOPIFY_SMS_STATES = ["NOT_SUBSCRIBED", "PENDING", "SUBSCRIBED", "UNSUBSCRIBED", "REDACTED"] as const;
export type ShopifySmsState = (typeof SHOPIFY_SMS_STATES)[number];
export const SHOPIFY_OPT_IN_LEVELS = ["SINGLE_OPT_IN", "CONFIRMED_OPT_IN", "UNKNOWN"] as const;
export type ShopifyOptInLevel = (typeof SHOPIFY_OPT_IN_LEVELS)[number];

export type ShopifySmsConsent = { marketingState: ShopifySmsState; marketingOptInLevel: ShopifyOptInLevel | null };

/** What Parley pushes: the mutation's `smsMarketingConsent` minus the time. */
export type ShopifyConsentTarget =
  | { marketingState: "SUBSCRIBED"; marketingOptInLevel: "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" }
  | { marketingState: "UNSUBSCRIBED" };

/** The consent the Shopify customer should carry for Parley's marketing status; null: nothing to tell Shopify. */
export function shopifyConsentTarget(
  status: ConsentStatus,
  previousStatus: ConsentStatus | null,
): ShopifyConsentTarget | null {
  switch (status) {
    case "SUBSCRIBED":
      return {
        marketingState: "SUBSCRIBED",
        marketingOptInLevel: previousStatus === "PENDING" ? "CONFIRMED_OPT_IN" : "SINGLE_OPT_IN",
      };
    case "UNSUBSCRIBED":
      return { marketingState: "UNSUBSCRIBED" };
    case "PENDING":
    case "NOT_SUBSCRIBED":
      return null;
  }
}

/** True when the customer's consent already says what the target says (then the mutation is skipped). */
export function shopifyConsentMatches(current: ShopifySmsConsent | null, target: ShopifyConsentTarget): boolean {
  if (!current || current.marketingState !== target.marketingState) return false;
  return target.marketingState !== "SUBSCRIBED" || current.marketingOptInLevel === target.marketingOptInLevel;
}

/** `consentUpdatedAt` for the mutation: when the change happened, never later than now (Shopify refuses the future). */
export function consentUpdatedAt(occurredAt: Date, now: Date): string {
  return new Date(Math.min(occurredAt.getTime(), now.getTime())).toISOString();
}

// Webhook payloads use REST names and lower case: { state: "subscribed", opt_in_level: "single_opt_in", … }.
export const RestSmsConsentSchema = z.object({
  state: z.string(),
  opt_in_level: z.string().nullish(),
  consent_updated_at: z.string().nullish(),
  consent_collected_from: z.string().nullish(),
});
export type RestSmsConsent = z.infer<typeof RestSmsConsentSchema>;

export type ParsedShopifyConsent = ShopifySmsConsent & { updatedAt: Date | null; collectedFrom: string | null };

/** A webhook's `sms_marketing_consent` in GraphQL terms; null when absent or a state Parley does not know. */
export function fromRestSmsConsent(rest: RestSmsConsent | null | undefined): ParsedShopifyConsent | null {
  if (!rest) return null;
  const state = rest.state.trim().toUpperCase();
  if (!(SHOPIFY_SMS_STATES as readonly string[]).includes(state)) return null;
  const level = rest.opt_in_level?.trim().toUpperCase() ?? null;
  const updatedAt = rest.consent_updated_at ? new Date(rest.consent_updated_at) : null;
  return {
    marketingState: state as ShopifySmsState,
    marketingOptInLevel:
      level && (SHOPIFY_OPT_IN_LEVELS as readonly string[]).includes(level) ? (level as ShopifyOptInLevel) : null,
    updatedAt: updatedAt && !Number.isNaN(updatedAt.getTime()) ? updatedAt : null,
    collectedFrom: rest.consent_collected_from ?? null,
  };
}

/** NOT_SUBSCRIBED with no consent time is where every customer starts: no decision by anyone, so no news. */
export function isShopifyDefaultConsent(consent: Pick<ParsedShopifyConsent, "marketingState" | "updatedAt">): boolean {
  return consent.marketingState === "NOT_SUBSCRIBED" && consent.updatedAt === null;
}

/**
 * Shopify's consent time is before the change Parley already holds: old news, not to be applied. Compared in whole
 * seconds, as webhooks carry them: within the same second nextConsent decides (and an opt-out still wins).
 */
export function isStaleShopifyConsent(shopifyUpdatedAt: Date | null, parleyChangedAt: Date | null): boolean {
  if (shopifyUpdatedAt === null || parleyChangedAt === null) return false;
  return Math.floor(shopifyUpdatedAt.getTime() / 1000) < Math.floor(parleyChangedAt.getTime() / 1000);
}

export const SYNC_MAX_ATTEMPTS = 12;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 3_600_000;

/**
 * How long to wait before the next attempt after `attempts` failures: exponential from 5 s, capped at an hour,
 * with ±20 % jitter so a shop's backlog does not retry in lockstep. A THROTTLED answer says how long the bucket
 * needs to refill; that wins when it is longer. 12 attempts span about 3½ hours.
 */
export function syncRetryDelayMs(attempts: number, options: { throttledForMs?: number; random?: number } = {}): number {
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  const jitter = 0.8 + 0.4 * (options.random ?? Math.random());
  return Math.max(Math.round(exponential * jitter), Math.ceil(options.throttledForMs ?? 0));
}

/** Milliseconds until a THROTTLED query can run, from Shopify's `extensions.cost`; null when the cost is missing. */
export function throttledForMs(cost: unknown): number | null {
  const parsed = z
    .object({
      requestedQueryCost: z.number(),
      throttleStatus: z.object({ currentlyAvailable: z.number(), restoreRate: z.number().positive() }),
    })
    .safeParse(cost);
  if (!parsed.success) return null;
  const { requestedQueryCost, throttleStatus } = parsed.data;
  const missing = Math.max(0, requestedQueryCost - throttleStatus.currentlyAvailable);
  return Math.max(1000, Math.ceil((missing / throttleStatus.restoreRate) * 1000));
}
