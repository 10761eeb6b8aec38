import { describe, expect, test } from "vitest";
import type { ConsentStatus } from "./consent";
import {
  blockedByStop,
  confirmationRequestText,
  type ConsentSourceName,
  optInGate,
  type OptInView,
  pendingHasExpired,
  sourceTag,
  welcomePercent,
  welcomeText,
} from "./opt-in";

const NOW = new Date("2026-03-02T12:00:00Z");
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

const view = (
  marketing: [ConsentStatus, ConsentSourceName | null],
  transactional: [ConsentStatus, ConsentSourceName | null] = ["NOT_SUBSCRIBED", null],
  since: Date | null = null,
): OptInView => ({
  marketing: { status: marketing[0], source: marketing[1] },
  transactional: { status: transactional[0], source: transactional[1] },
  marketingSince: since,
});

const PROGRAM = { brandName: "Acme Tees", supportContact: "help@acme.test", frequency: "Up to 4 msgs/month" };

describe("optInGate", () => {
  test.each<[string, OptInView, ReturnType<typeof optInGate>["kind"], boolean?]>([
    ["nobody yet", view(["NOT_SUBSCRIBED", null]), "proceed", false],
    ["a chatter", view(["NOT_SUBSCRIBED", null], ["SUBSCRIBED", "INBOUND_MESSAGE"]), "proceed", false],
    ["already subscribed", view(["SUBSCRIBED", "STOREFRONT_FORM"]), "already_subscribed"],
    ["pending, fresh", view(["PENDING", "POPUP"], undefined, ago(1)), "already_pending"],
    ["pending, one minute before expiry", view(["PENDING", "POPUP"], undefined, ago(71.98)), "already_pending"],
    ["pending, lapsed", view(["PENDING", "POPUP"], undefined, ago(72)), "proceed", true],
    ["STOP by text", view(["UNSUBSCRIBED", "KEYWORD"], ["UNSUBSCRIBED", "KEYWORD"]), "blocked_by_stop"],
    ["provider 40300 block", view(["UNSUBSCRIBED", "PROVIDER"], ["UNSUBSCRIBED", "PROVIDER"]), "blocked_by_stop"],
    [
      "STOP then START (marketing stays out)",
      view(["UNSUBSCRIBED", "KEYWORD"], ["SUBSCRIBED", "KEYWORD"]),
      "proceed",
      false,
    ],
    ["staff do-not-text", view(["UNSUBSCRIBED", "ADMIN"], ["UNSUBSCRIBED", "ADMIN"]), "proceed", false],
    ["unsubscribed in Shopify", view(["UNSUBSCRIBED", "SHOPIFY"]), "proceed", false],
    [
      "subscribed wins over an old block",
      view(["SUBSCRIBED", "KEYWORD"], ["UNSUBSCRIBED", "KEYWORD"]),
      "already_subscribed",
    ],
  ])("%s → %s", (_label, v, kind, expireFirst) => {
    const gate = optInGate(v, { expiryHours: 72, now: NOW });
    expect(gate.kind).toBe(kind);
    if (gate.kind === "proceed") expect(gate.expirePendingFirst).toBe(expireFirst);
    if (gate.kind === "already_pending")
      expect(gate.expiresAt).toEqual(new Date(v.marketingSince!.getTime() + 72 * HOUR));
  });

  test("a confirmed opt-in (checkout) completes a pending request instead of waiting for it", () => {
    const pending = view(["PENDING", "POPUP"], undefined, ago(1));
    expect(optInGate(pending, { expiryHours: 72, now: NOW, alreadyConfirmed: true })).toEqual({
      kind: "proceed",
      expirePendingFirst: false,
    });
    const lapsed = view(["PENDING", "POPUP"], undefined, ago(100));
    expect(optInGate(lapsed, { expiryHours: 72, now: NOW, alreadyConfirmed: true })).toEqual({
      kind: "proceed",
      expirePendingFirst: true,
    });
  });

  test("blockedByStop looks at the conversational state START reopens", () => {
    expect(blockedByStop(view(["UNSUBSCRIBED", "KEYWORD"], ["UNSUBSCRIBED", "KEYWORD"]))).toBe(true);
    expect(blockedByStop(view(["UNSUBSCRIBED", "KEYWORD"], ["SUBSCRIBED", "KEYWORD"]))).toBe(false);
  });

  test.each<[Date | null, number, boolean]>([
    [null, 72, false],
    [ago(1), 1, true],
    [ago(0.5), 1, false],
    [ago(200), 720, false],
  ])("pendingHasExpired(%s, %i h) → %s", (since, hours, expired) => {
    expect(pendingHasExpired(since, hours, NOW)).toBe(expired);
  });
});

describe("texts", () => {
  test("the confirmation request names the brand, the program, frequency, rates, Y and STOP", () => {
    const text = confirmationRequestText(PROGRAM);
    for (const part of [
      "Acme Tees",
      "marketing texts",
      "Up to 4 msgs/month",
      "Msg & data rates may apply",
      "Reply Y to confirm",
      "STOP to cancel",
    ])
      expect(text).toContain(part);
  });

  test("a non-compliant override falls back to the default request", () => {
    expect(confirmationRequestText(PROGRAM, "Acme: sale now!")).toBe(confirmationRequestText(PROGRAM));
  });

  test.each<[string, { welcomeMessage?: string; keywordOverride?: string }, RegExp]>([
    ["default", {}, /^Acme Tees: Thanks for subscribing/],
    [
      "the shop's welcome message with placeholders",
      {
        welcomeMessage:
          "Welcome to {brand_name} texts! {frequency}. Msg & data rates may apply. Reply HELP for help, STOP to cancel.",
      },
      /^Welcome to Acme Tees texts! Up to 4 msgs\/month\./,
    ],
    [
      "a welcome message without STOP: the keyword override, else the default",
      {
        welcomeMessage: "Welcome!",
        keywordOverride:
          "{brand_name} welcomes you. {frequency} Msg & data rates may apply. Reply HELP for help, STOP to cancel.",
      },
      /^Acme Tees welcomes you\./,
    ],
    [
      "a welcome message with an offer is refused",
      { welcomeMessage: "Acme Tees: 20% off today! Up to 4 msgs/month Msg & data rates may apply. HELP STOP" },
      /^Acme Tees: Thanks for subscribing/,
    ],
  ])("welcome: %s", (_label, wording, expected) => {
    const text = welcomeText(PROGRAM, wording);
    expect(text).toMatch(expected);
    expect(text).toMatch(/STOP/);
    expect(text).not.toMatch(/code/i);
  });

  test("the welcome code is appended only when there is one", () => {
    const text = welcomeText(PROGRAM, {}, { code: "ACME-7KQ2M9", percent: 10, validDays: 14 });
    expect(text).toMatch(
      /^Acme Tees: Thanks for subscribing.*10% off your next order with code ACME-7KQ2M9 \(one use, valid 14 days\)\.$/,
    );
  });
});

describe("sourceTag and welcomePercent", () => {
  test.each<[ConsentSourceName, string]>([
    ["STOREFRONT_FORM", "parley-storefront"],
    ["POPUP", "parley-storefront"],
    ["KEYWORD", "parley-keyword"],
    ["CHECKOUT", "parley-checkout"],
    ["ADMIN", "parley-admin"],
  ])("%s → %s", (source, tag) => expect(sourceTag(source)).toBe(tag));

  test.each([
    [10, 20, 10],
    [30, 20, 20],
    [0, 20, 1],
  ])("welcome %i%% with a %i%% guardrail → %i%%", (welcome, max, expected) => {
    expect(welcomePercent({ welcomeDiscountPercent: welcome, discountMaxPercent: max })).toBe(expected);
  });
});
