import { describe, expect, test } from "vitest";
import {
  clientIp,
  customerGid,
  FORM_MESSAGES,
  outcomeMessage,
  resolveLink,
  resolveOnShop,
  validateSubscribeRequest,
} from "./storefront-opt-in";

const SHOP = "acme.myshopify.com";
const OPTIONS = { shopDomain: SHOP, defaultCountry: "US" as const };
const VALID = { phone: "(415) 555-0134", country: "US", consent: true, disclosureVersion: "d-abc", source: "form" };

describe("validateSubscribeRequest", () => {
  test("a complete JSON submission", () => {
    expect(validateSubscribeRequest({ ...VALID, pageUrl: "/products/tee?variant=1" }, OPTIONS)).toEqual({
      ok: true,
      data: {
        phoneE164: "+14155550134",
        source: "STOREFRONT_FORM",
        pageUrl: "https://acme.myshopify.com/products/tee?variant=1",
        disclosureVersion: "d-abc",
        termsUrl: null,
        privacyUrl: null,
      },
    });
  });

  test.each([
    [{ consent: "on" }, true],
    [{ consent: "true" }, true],
    [{ consent: true }, true],
    [{ consent: false }, false],
    [{ consent: "" }, false],
    [{ consent: "off" }, false],
    [{ consent: undefined }, false],
  ])("consent %j → accepted: %s", (change, accepted) => {
    const result = validateSubscribeRequest({ ...VALID, ...change }, OPTIONS);
    expect(result.ok).toBe(accepted);
    if (!result.ok) expect(result.fieldErrors).toEqual({ consent: FORM_MESSAGES.consentMissing });
  });

  test.each([
    ["", FORM_MESSAGES.phoneMissing],
    ["abc", "That is not a phone number."],
    ["555-01", "The number is too short."],
    ["+44 20 7946 0958", "That number cannot receive text messages. It is a fixed line number."],
  ])("phone %j → %s", (phone, message) => {
    expect(validateSubscribeRequest({ ...VALID, phone }, OPTIONS)).toEqual({
      ok: false,
      fieldErrors: { phone: message },
    });
  });

  test("a national number is read in the chosen country", () => {
    const result = validateSubscribeRequest({ ...VALID, phone: "07911 123456", country: "gb" }, OPTIONS);
    expect(result).toMatchObject({ ok: true, data: { phoneE164: "+447911123456" } });
  });

  test("the popup is its own source; anything unknown is the form", () => {
    expect(validateSubscribeRequest({ ...VALID, source: "popup" }, OPTIONS)).toMatchObject({
      data: { source: "POPUP" },
    });
    expect(validateSubscribeRequest({ ...VALID, source: "admin" }, OPTIONS)).toMatchObject({
      data: { source: "STOREFRONT_FORM" },
    });
  });

  test("every failing field at once", () => {
    expect(validateSubscribeRequest({ pageUrl: "https://evil.example/" }, OPTIONS)).toEqual({
      ok: false,
      fieldErrors: {
        phone: FORM_MESSAGES.phoneMissing,
        consent: FORM_MESSAGES.consentMissing,
        pageUrl: FORM_MESSAGES.pageUrl,
      },
    });
  });

  test("garbage is a validation failure, not a crash", () => {
    expect(validateSubscribeRequest(null, OPTIONS).ok).toBe(false);
    expect(validateSubscribeRequest({ phone: 42, consent: { x: 1 } }, OPTIONS).ok).toBe(false);
  });
});

describe("resolveOnShop", () => {
  test.each([
    ["/", "https://acme.myshopify.com/"],
    ["/collections/all?page=2", "https://acme.myshopify.com/collections/all?page=2"],
    ["https://acme.myshopify.com/cart", "https://acme.myshopify.com/cart"],
    ["//evil.example/x", null],
    ["https://evil.example/", null],
    ["https://acme.myshopify.com.evil.example/", null],
    ["javascript:alert(1)", null],
    ["products/tee", null],
  ])("%j → %j", (value, expected) => expect(resolveOnShop(value, SHOP)).toBe(expected));
});

describe("resolveLink", () => {
  test.each([
    ["/pages/sms-terms", "https://acme.myshopify.com/pages/sms-terms"],
    ["https://legal.acme.example/sms", "https://legal.acme.example/sms"],
    ["http://legal.acme.example/sms", null],
    ["data:text/html,hi", null],
  ])("%j → %j", (value, expected) => expect(resolveLink(value, SHOP)).toBe(expected));
});

describe("clientIp", () => {
  test.each([
    [{ "x-forwarded-for": "203.0.113.9" }, null, "203.0.113.9"],
    [{ "x-forwarded-for": "203.0.113.9, 10.0.0.1" }, "10.0.0.2", "203.0.113.9"],
    [{ "x-forwarded-for": "2001:db8::1" }, null, "2001:db8::1"],
    [{ "x-forwarded-for": "not-an-ip" }, "198.51.100.4", "198.51.100.4"],
    [{}, "198.51.100.4", "198.51.100.4"],
    [{}, null, null],
  ])("%j (socket %j) → %j", (headers, fallback, expected) =>
    expect(clientIp(new Headers(headers), fallback)).toBe(expected),
  );
});

test.each([
  ["123456", "gid://shopify/Customer/123456"],
  ["", null],
  [null, null],
  ["12; drop", null],
])("customerGid(%j) → %j", (id, gid) => expect(customerGid(id)).toBe(gid));

test.each([
  ["pending", "Check your phone: reply Y to confirm."],
  ["already_pending", "Check your phone: reply Y to confirm."],
  ["subscribed", "You're subscribed!"],
  ["already_subscribed", "You're already subscribed."],
  ["blocked_by_stop", "You previously texted STOP. Text START to +15005550100 to resubscribe."],
] as const)("outcome %s → %j", (outcome, message) => expect(outcomeMessage(outcome, "+15005550100")).toBe(message));
