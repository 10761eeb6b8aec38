import { describe, expect, test } from "vitest";
import {
  canSend,
  nextConsent,
  NO_CONSENT,
  shopifyConsentEvent,
  type ConsentEvent,
  type ConsentStates,
  type SendPurpose,
} from "./consent";

const S = (marketing: string, transactional: string) => ({ marketing, transactional }) as ConsentStates;
const NONE = NO_CONSENT;
const SUBSCRIBER = S("SUBSCRIBED", "SUBSCRIBED");
const CHATTER = S("NOT_SUBSCRIBED", "SUBSCRIBED"); // texted the shop, never joined marketing
const PENDING = S("PENDING", "NOT_SUBSCRIBED");
const OPTED_OUT = S("UNSUBSCRIBED", "UNSUBSCRIBED");

describe("nextConsent", () => {
  test.each<[string, ConsentStates, ConsentEvent, ConsentStates, string | null]>([
    // A shopper writing first gets replies, not marketing.
    ["first inbound message", NONE, { type: "inbound_message" }, CHATTER, null],
    ["inbound from a pending subscriber", PENDING, { type: "inbound_message" }, S("PENDING", "SUBSCRIBED"), null],
    ["inbound from an opted-out shopper reopens nothing", OPTED_OUT, { type: "inbound_message" }, OPTED_OUT, null],
    // STOP revokes everything at once, with one confirmation.
    ["STOP from a subscriber", SUBSCRIBER, { type: "opt_out", source: "KEYWORD" }, OPTED_OUT, "opt_out_confirmation"],
    ["STOP from a chatter", CHATTER, { type: "opt_out", source: "KEYWORD" }, OPTED_OUT, "opt_out_confirmation"],
    [
      "STOP from someone never subscribed",
      NONE,
      { type: "opt_out", source: "KEYWORD" },
      OPTED_OUT,
      "opt_out_confirmation",
    ],
    ["a second STOP gets no second confirmation", OPTED_OUT, { type: "opt_out", source: "KEYWORD" }, OPTED_OUT, null],
    ["provider 40300 block: no confirmation", SUBSCRIBER, { type: "opt_out", source: "PROVIDER" }, OPTED_OUT, null],
    ["admin do-not-text", SUBSCRIBER, { type: "opt_out", source: "ADMIN" }, OPTED_OUT, null],
    // START restores what the shopper had.
    [
      "START after a subscriber's STOP",
      OPTED_OUT,
      { type: "opt_in_keyword", marketingBeforeOptOut: "SUBSCRIBED" },
      SUBSCRIBER,
      "opt_in_confirmation",
    ],
    [
      "START after a chatter's STOP: no marketing invented",
      OPTED_OUT,
      { type: "opt_in_keyword", marketingBeforeOptOut: "NOT_SUBSCRIBED" },
      S("UNSUBSCRIBED", "SUBSCRIBED"),
      "opt_in_confirmation",
    ],
    [
      "START with unknown history",
      OPTED_OUT,
      { type: "opt_in_keyword" },
      S("UNSUBSCRIBED", "SUBSCRIBED"),
      "opt_in_confirmation",
    ],
    ["START while pending confirms", PENDING, { type: "opt_in_keyword" }, SUBSCRIBER, "opt_in_confirmation"],
    ["START when already subscribed: nothing to say", SUBSCRIBER, { type: "opt_in_keyword" }, SUBSCRIBER, null],
    // Double opt-in.
    [
      "storefront form → pending",
      NONE,
      { type: "marketing_opt_in", source: "STOREFRONT_FORM" },
      PENDING,
      "double_opt_in_request",
    ],
    ["Y confirms", PENDING, { type: "confirm" }, SUBSCRIBER, "welcome"],
    ["a second Y is harmless", SUBSCRIBER, { type: "confirm" }, SUBSCRIBER, null],
    ["Y with nothing pending", CHATTER, { type: "confirm" }, CHATTER, null],
    ["form submitted twice: no second request", PENDING, { type: "marketing_opt_in", source: "POPUP" }, PENDING, null],
    ["pending expires", PENDING, { type: "pending_expired" }, NONE, null],
    [
      "pending expiry remembers an earlier opt-out",
      S("PENDING", "UNSUBSCRIBED"),
      { type: "pending_expired", statusBeforePending: "UNSUBSCRIBED" },
      OPTED_OUT,
      null,
    ],
    ["expiry after confirmation does nothing", SUBSCRIBER, { type: "pending_expired" }, SUBSCRIBER, null],
    // Other sources.
    [
      "checkout, shop runs single opt-in",
      NONE,
      { type: "marketing_opt_in", source: "CHECKOUT", doubleOptIn: false },
      S("SUBSCRIBED", "NOT_SUBSCRIBED"),
      "welcome",
    ],
    [
      "checkout, double opt-in",
      NONE,
      { type: "marketing_opt_in", source: "CHECKOUT" },
      PENDING,
      "double_opt_in_request",
    ],
    [
      "import of confirmed subscribers: no welcome blast",
      NONE,
      { type: "marketing_opt_in", source: "IMPORT", alreadyConfirmed: true },
      S("SUBSCRIBED", "NOT_SUBSCRIBED"),
      null,
    ],
    [
      "admin adds a subscriber → pending",
      NONE,
      { type: "marketing_opt_in", source: "ADMIN" },
      PENDING,
      "double_opt_in_request",
    ],
    [
      "import cannot undo a STOP",
      OPTED_OUT,
      { type: "marketing_opt_in", source: "IMPORT", alreadyConfirmed: true },
      OPTED_OUT,
      null,
    ],
    [
      "admin cannot undo a STOP",
      OPTED_OUT,
      { type: "marketing_opt_in", source: "ADMIN", doubleOptIn: false },
      OPTED_OUT,
      null,
    ],
    [
      "Shopify cannot undo a STOP",
      OPTED_OUT,
      { type: "marketing_opt_in", source: "SHOPIFY", alreadyConfirmed: true },
      OPTED_OUT,
      null,
    ],
    [
      "the shopper's own new form opt-in after a STOP: double opt-in forced",
      OPTED_OUT,
      { type: "marketing_opt_in", source: "STOREFRONT_FORM", doubleOptIn: false },
      S("PENDING", "UNSUBSCRIBED"),
      "double_opt_in_request",
    ],
    ["already subscribed: nothing", SUBSCRIBER, { type: "marketing_opt_in", source: "CHECKOUT" }, SUBSCRIBER, null],
    // Texting the join keyword (JOIN) is the shopper acting, but marketing still waits for the "Y".
    [
      "JOIN from a chatter: double opt-in",
      CHATTER,
      { type: "marketing_opt_in", source: "KEYWORD" },
      S("PENDING", "SUBSCRIBED"),
      "double_opt_in_request",
    ],
    [
      "JOIN after STOP then START (marketing still opted out): double opt-in",
      S("UNSUBSCRIBED", "SUBSCRIBED"),
      { type: "marketing_opt_in", source: "KEYWORD", doubleOptIn: false },
      S("PENDING", "SUBSCRIBED"),
      "double_opt_in_request",
    ],
    [
      "JOIN at a single opt-in shop",
      CHATTER,
      { type: "marketing_opt_in", source: "KEYWORD", doubleOptIn: false },
      SUBSCRIBER,
      "welcome",
    ],
    [
      "checkout consent while a form request is pending: Shopify collected it",
      PENDING,
      { type: "marketing_opt_in", source: "CHECKOUT", alreadyConfirmed: true },
      S("SUBSCRIBED", "NOT_SUBSCRIBED"),
      "welcome",
    ],
    [
      "checkout asks for shipping texts",
      NONE,
      { type: "transactional_opt_in", source: "CHECKOUT" },
      S("NOT_SUBSCRIBED", "SUBSCRIBED"),
      null,
    ],
    [
      "admin cannot reopen shipping texts after STOP",
      OPTED_OUT,
      { type: "transactional_opt_in", source: "ADMIN" },
      OPTED_OUT,
      null,
    ],
    [
      "Shopify unsubscribed",
      SUBSCRIBER,
      { type: "marketing_revoked", source: "SHOPIFY", explicit: true },
      S("UNSUBSCRIBED", "SUBSCRIBED"),
      null,
    ],
    [
      "Shopify not-subscribed echo leaves a chatter alone",
      CHATTER,
      { type: "marketing_revoked", source: "SHOPIFY", explicit: false },
      CHATTER,
      null,
    ],
    [
      "Shopify not-subscribed withdraws a pending opt-in",
      PENDING,
      { type: "marketing_revoked", source: "SHOPIFY", explicit: false },
      S("UNSUBSCRIBED", "NOT_SUBSCRIBED"),
      null,
    ],
  ])("%s", (_name, from, event, to, reply) => {
    const result = nextConsent(from, event);
    expect(result.next).toEqual(to);
    expect(result.reply).toBe(reply);
  });

  test("reports each change for the append-only log", () => {
    expect(nextConsent(SUBSCRIBER, { type: "opt_out", source: "KEYWORD" }).changes).toEqual([
      { purpose: "marketing", from: "SUBSCRIBED", to: "UNSUBSCRIBED" },
      { purpose: "transactional", from: "SUBSCRIBED", to: "UNSUBSCRIBED" },
    ]);
    expect(nextConsent(SUBSCRIBER, { type: "confirm" }).changes).toEqual([]);
  });

  test("says why an opt-in was not applied", () => {
    expect(nextConsent(OPTED_OUT, { type: "marketing_opt_in", source: "IMPORT" }).ignored).toBe("opted_out_by_shopper");
  });

  test("refuses malformed events", () => {
    expect(() => nextConsent(NONE, { type: "opt_out", source: "WEBSITE" } as unknown as ConsentEvent)).toThrow();
  });
});

describe("shopifyConsentEvent", () => {
  test.each([
    [
      { marketingState: "SUBSCRIBED", marketingOptInLevel: "CONFIRMED_OPT_IN", doubleOptIn: true },
      NONE,
      S("SUBSCRIBED", "NOT_SUBSCRIBED"),
    ],
    [{ marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", doubleOptIn: true }, NONE, PENDING],
    [
      { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", doubleOptIn: false },
      NONE,
      S("SUBSCRIBED", "NOT_SUBSCRIBED"),
    ],
    [{ marketingState: "PENDING", doubleOptIn: false }, NONE, PENDING],
    [{ marketingState: "UNSUBSCRIBED", doubleOptIn: true }, SUBSCRIBER, S("UNSUBSCRIBED", "SUBSCRIBED")],
    [{ marketingState: "REDACTED", doubleOptIn: true }, NONE, S("UNSUBSCRIBED", "NOT_SUBSCRIBED")],
    [{ marketingState: "NOT_SUBSCRIBED", doubleOptIn: true }, NONE, NONE],
  ] as const)("%o applied to %o → %o", (input, from, to) => {
    expect(nextConsent(from, shopifyConsentEvent(input)).next).toEqual(to);
  });
});

describe("canSend", () => {
  test.each<[SendPurpose, ConsentStates, true | string]>([
    ["MARKETING", SUBSCRIBER, true],
    ["MARKETING", CHATTER, "no_marketing_consent"],
    ["MARKETING", PENDING, "awaiting_confirmation"],
    ["MARKETING", OPTED_OUT, "opted_out"],
    ["MARKETING", NONE, "no_marketing_consent"],
    ["CONVERSATIONAL", CHATTER, true],
    ["CONVERSATIONAL", NONE, "no_transactional_consent"],
    ["CONVERSATIONAL", OPTED_OUT, "opted_out"],
    ["TRANSACTIONAL", S("SUBSCRIBED", "NOT_SUBSCRIBED"), true],
    ["TRANSACTIONAL", S("SUBSCRIBED", "UNSUBSCRIBED"), "opted_out"],
    ["TRANSACTIONAL", PENDING, "no_transactional_consent"],
    ["TRANSACTIONAL", S("UNSUBSCRIBED", "SUBSCRIBED"), true],
    // The opt-out confirmation and HELP answers go out whatever the state.
    ["SYSTEM", OPTED_OUT, true],
    ["SYSTEM", NONE, true],
  ])("%s to %o → %s", (purpose, states, expected) => {
    const result = canSend(purpose, states);
    expect(result.allowed ? true : result.reason).toBe(expected);
  });
});
