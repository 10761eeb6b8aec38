import { describe, expect, test } from "vitest";
import type { ConsentStatus } from "./consent";
import {
  consentUpdatedAt,
  fromRestSmsConsent,
  isShopifyDefaultConsent,
  isStaleShopifyConsent,
  shopifyConsentMatches,
  shopifyConsentTarget,
  type ShopifyConsentTarget,
  type ShopifySmsConsent,
  syncRetryDelayMs,
  throttledForMs,
} from "./shopify-consent";

describe("shopifyConsentTarget", () => {
  test.each<[ConsentStatus, ConsentStatus | null, ShopifyConsentTarget | null]>([
    ["SUBSCRIBED", "PENDING", { marketingState: "SUBSCRIBED", marketingOptInLevel: "CONFIRMED_OPT_IN" }],
    ["SUBSCRIBED", "UNSUBSCRIBED", { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" }],
    ["SUBSCRIBED", "NOT_SUBSCRIBED", { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" }],
    ["SUBSCRIBED", null, { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" }],
    ["UNSUBSCRIBED", "SUBSCRIBED", { marketingState: "UNSUBSCRIBED" }],
    ["UNSUBSCRIBED", "NOT_SUBSCRIBED", { marketingState: "UNSUBSCRIBED" }],
    ["UNSUBSCRIBED", "PENDING", { marketingState: "UNSUBSCRIBED" }],
    ["PENDING", "NOT_SUBSCRIBED", null],
    ["PENDING", "UNSUBSCRIBED", null],
    ["NOT_SUBSCRIBED", "PENDING", null],
  ])("%s after %s → %j", (status, previous, expected) => {
    expect(shopifyConsentTarget(status, previous)).toEqual(expected);
  });
});

describe("shopifyConsentMatches", () => {
  const subscribed = (level: ShopifySmsConsent["marketingOptInLevel"]): ShopifySmsConsent => ({
    marketingState: "SUBSCRIBED",
    marketingOptInLevel: level,
  });
  test.each<[string, ShopifySmsConsent | null, ShopifyConsentTarget, boolean]>([
    [
      "same state and level",
      subscribed("CONFIRMED_OPT_IN"),
      { marketingState: "SUBSCRIBED", marketingOptInLevel: "CONFIRMED_OPT_IN" },
      true,
    ],
    [
      "a confirmation upgrades a single opt-in",
      subscribed("SINGLE_OPT_IN"),
      { marketingState: "SUBSCRIBED", marketingOptInLevel: "CONFIRMED_OPT_IN" },
      false,
    ],
    [
      "unknown level is not a match",
      subscribed("UNKNOWN"),
      { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" },
      false,
    ],
    [
      "unsubscribed whatever the level",
      { marketingState: "UNSUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" },
      { marketingState: "UNSUBSCRIBED" },
      true,
    ],
    [
      "different state",
      { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: null },
      { marketingState: "UNSUBSCRIBED" },
      false,
    ],
    ["no consent on the customer", null, { marketingState: "UNSUBSCRIBED" }, false],
  ])("%s", (_name, current, target, expected) => {
    expect(shopifyConsentMatches(current, target)).toBe(expected);
  });
});

describe("consentUpdatedAt", () => {
  const now = new Date("2026-03-01T12:00:00.000Z");
  test("is the event time", () => {
    expect(consentUpdatedAt(new Date("2026-03-01T11:59:00.500Z"), now)).toBe("2026-03-01T11:59:00.500Z");
  });
  test("is never in the future, which Shopify refuses", () => {
    expect(consentUpdatedAt(new Date("2026-03-01T12:00:03.000Z"), now)).toBe("2026-03-01T12:00:00.000Z");
  });
});

describe("fromRestSmsConsent", () => {
  test.each([
    [
      "a checkout subscription",
      {
        state: "subscribed",
        opt_in_level: "single_opt_in",
        consent_updated_at: "2026-02-10T09:30:00-05:00",
        consent_collected_from: "SHOPIFY",
      },
      {
        marketingState: "SUBSCRIBED",
        marketingOptInLevel: "SINGLE_OPT_IN",
        updatedAt: new Date("2026-02-10T14:30:00Z"),
        collectedFrom: "SHOPIFY",
      },
    ],
    [
      "a confirmed opt-in set by an app",
      {
        state: "subscribed",
        opt_in_level: "confirmed_opt_in",
        consent_updated_at: "2026-02-10T14:30:00.123Z",
        consent_collected_from: "OTHER",
      },
      {
        marketingState: "SUBSCRIBED",
        marketingOptInLevel: "CONFIRMED_OPT_IN",
        updatedAt: new Date("2026-02-10T14:30:00.123Z"),
        collectedFrom: "OTHER",
      },
    ],
    [
      "an unsubscribe without a level or time",
      { state: "unsubscribed" },
      { marketingState: "UNSUBSCRIBED", marketingOptInLevel: null, updatedAt: null, collectedFrom: null },
    ],
    [
      "redacted",
      { state: "redacted", opt_in_level: null, consent_updated_at: null },
      { marketingState: "REDACTED", marketingOptInLevel: null, updatedAt: null, collectedFrom: null },
    ],
    [
      "an unknown level and an unreadable time are dropped, not guessed",
      { state: "pending", opt_in_level: "double_secret", consent_updated_at: "yesterday-ish" },
      { marketingState: "PENDING", marketingOptInLevel: null, updatedAt: null, collectedFrom: null },
    ],
  ])("%s", (_name, rest, expected) => {
    expect(fromRestSmsConsent(rest)).toEqual(expected);
  });

  test("no consent object, or a state Parley does not know, is no consent", () => {
    expect(fromRestSmsConsent(null)).toBeNull();
    expect(fromRestSmsConsent(undefined)).toBeNull();
    expect(fromRestSmsConsent({ state: "invalid" })).toBeNull();
  });
});

describe("isShopifyDefaultConsent", () => {
  test.each<[string, { marketingState: ShopifySmsConsent["marketingState"]; updatedAt: Date | null }, boolean]>([
    ["never subscribed, never touched", { marketingState: "NOT_SUBSCRIBED", updatedAt: null }, true],
    ["not subscribed at a known time", { marketingState: "NOT_SUBSCRIBED", updatedAt: new Date() }, false],
    ["unsubscribed without a time is still an unsubscribe", { marketingState: "UNSUBSCRIBED", updatedAt: null }, false],
  ])("%s → %s", (_name, consent, expected) => {
    expect(isShopifyDefaultConsent(consent)).toBe(expected);
  });
});

describe("isStaleShopifyConsent", () => {
  const t = (s: string) => new Date(`2026-02-10T10:00:${s}Z`);
  test.each<[string, Date | null, Date | null, boolean]>([
    ["older than Parley's change", t("00"), t("05"), true],
    ["the echo of Parley's own push (same time)", t("05"), t("05"), false],
    ["the same second, truncated by the webhook", t("05"), new Date("2026-02-10T10:00:05.870Z"), false],
    ["a second earlier, even if only by milliseconds", new Date("2026-02-10T10:00:04.990Z"), t("05"), true],
    ["newer than Parley's change", t("09"), t("05"), false],
    ["Shopify gives no time", null, t("05"), false],
    ["Parley has no change yet", t("00"), null, false],
  ])("%s → %s", (_name, shopify, parley, expected) => {
    expect(isStaleShopifyConsent(shopify, parley)).toBe(expected);
  });
});

describe("syncRetryDelayMs", () => {
  test.each([
    [1, 5_000],
    [2, 10_000],
    [5, 80_000],
    [10, 2_560_000],
    [11, 3_600_000],
    [30, 3_600_000],
  ])("attempt %i without jitter → %i ms", (attempts, expected) => {
    expect(syncRetryDelayMs(attempts, { random: 0.5 })).toBe(expected);
  });

  test("jitter stays within ±20 %", () => {
    expect(syncRetryDelayMs(3, { random: 0 })).toBe(16_000);
    expect(syncRetryDelayMs(3, { random: 1 })).toBe(24_000);
  });

  test("a throttle that needs longer wins; a shorter one does not shorten the backoff", () => {
    expect(syncRetryDelayMs(1, { random: 0.5, throttledForMs: 9_000 })).toBe(9_000);
    expect(syncRetryDelayMs(3, { random: 0.5, throttledForMs: 1_000 })).toBe(20_000);
  });
});

describe("throttledForMs", () => {
  test("waits for the bucket to refill what the query needs", () => {
    const cost = {
      requestedQueryCost: 250,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 50, restoreRate: 100 },
    };
    expect(throttledForMs(cost)).toBe(2_000);
  });
  test("at least a second, even when the bucket looks full", () => {
    const cost = {
      requestedQueryCost: 10,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 },
    };
    expect(throttledForMs(cost)).toBe(1_000);
  });
  test("no cost, no estimate", () => {
    expect(throttledForMs(undefined)).toBeNull();
    expect(throttledForMs({ requestedQueryCost: 10 })).toBeNull();
  });
});
