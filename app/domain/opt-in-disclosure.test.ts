import { describe, expect, test } from "vitest";
import { buildDisclosure, defaultPolicyUrls, disclosureVersion } from "./opt-in-disclosure";

const BASE = {
  brandName: "Acme Outfitters",
  frequency: "Up to 4 msgs/month",
  termsUrl: "https://acme.example/terms",
  privacyUrl: "https://acme.example/privacy",
};

describe("buildDisclosure", () => {
  test("says everything compliance.md §2 requires", () => {
    const { text, body } = buildDisclosure(BASE);
    expect(body).toBe(
      "By checking this box and submitting, you agree to receive recurring automated marketing text messages from " +
        "Acme Outfitters at the number provided. Consent is not a condition of purchase. Up to 4 msgs/month. " +
        "Msg & data rates may apply. Reply HELP for help, STOP to cancel.",
    );
    expect(text).toBe(`${body} Terms: https://acme.example/terms · Privacy: https://acme.example/privacy`);
  });

  test.each([
    ["brand", "Acme Outfitters"],
    ["not a condition", "Consent is not a condition of purchase."],
    ["frequency", "Up to 4 msgs/month."],
    ["rates", "Msg & data rates may apply."],
    ["help and stop", "Reply HELP for help, STOP to cancel."],
    ["terms link", "Terms: https://acme.example/terms"],
    ["privacy link", "Privacy: https://acme.example/privacy"],
  ])("names the %s", (_what, phrase) => {
    expect(buildDisclosure(BASE).text).toContain(phrase);
  });

  test("links come out as data for the form to render", () => {
    expect(buildDisclosure(BASE).links).toEqual([
      { label: "Terms", url: "https://acme.example/terms" },
      { label: "Privacy", url: "https://acme.example/privacy" },
    ]);
  });

  test.each([
    ["Up to 4 msgs/month", "Up to 4 msgs/month."],
    ["Msg frequency varies.", "Msg frequency varies."],
    ["  3 msgs/week  ", "3 msgs/week."],
    ["Up to 6 msgs/mo!", "Up to 6 msgs/mo!"],
  ])("frequency %j is one sentence: %j", (frequency, expected) => {
    expect(buildDisclosure({ ...BASE, frequency }).body).toContain(` ${expected} Msg & data`);
  });
});

describe("version", () => {
  test("is stable for the same text", () => {
    expect(buildDisclosure(BASE).version).toBe(buildDisclosure({ ...BASE }).version);
    expect(buildDisclosure(BASE).version).toMatch(/^d-[0-9a-f]{12}$/);
  });

  test.each([
    ["brand", { brandName: "Acme Outlet" }],
    ["frequency", { frequency: "Up to 8 msgs/month" }],
    ["terms", { termsUrl: "https://acme.example/terms-2" }],
    ["privacy", { privacyUrl: "https://acme.example/privacy-2" }],
  ])("changes with the %s", (_what, change) => {
    expect(buildDisclosure({ ...BASE, ...change }).version).not.toBe(buildDisclosure(BASE).version);
  });

  test("is the hash of the recorded text", () => {
    const disclosure = buildDisclosure(BASE);
    expect(disclosureVersion(disclosure.text)).toBe(disclosure.version);
  });
});

test("default policy pages are Shopify's", () => {
  expect(defaultPolicyUrls("acme.myshopify.com")).toEqual({
    termsUrl: "https://acme.myshopify.com/policies/terms-of-service",
    privacyUrl: "https://acme.myshopify.com/policies/privacy-policy",
  });
});
