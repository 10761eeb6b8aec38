import { describe, expect, test } from "vitest";
import { appProxySignature, plainAddress, signProxyQuery } from "./app-proxy";

describe("appProxySignature", () => {
  // Shopify's documented example (shared secret "hush"); its published signature begins 4c68c8624d737112c9…
  test("matches Shopify's worked example", () => {
    const params = new URLSearchParams(
      "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555",
    );
    expect(appProxySignature(params, "hush")).toBe("4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb");
  });

  test("ignores an existing signature and the order of parameters", () => {
    const a = new URLSearchParams("b=2&a=1&signature=zzz");
    const b = new URLSearchParams("a=1&b=2");
    expect(appProxySignature(a, "s")).toBe(appProxySignature(b, "s"));
  });
});

test("signProxyQuery replaces whatever Shopify's parameters the shopper sent", () => {
  const signed = signProxyQuery(new URLSearchParams("shop=evil.myshopify.com&terms=%2Fpages%2Fsms"), {
    shop: "acme.myshopify.com",
    secret: "s",
    customerId: 42,
    now: new Date(1_700_000_000_000),
  });
  expect(Object.fromEntries(signed)).toMatchObject({
    terms: "/pages/sms",
    shop: "acme.myshopify.com",
    logged_in_customer_id: "42",
    path_prefix: "/apps/parley",
    timestamp: "1700000000",
  });
  expect(signed.get("signature")).toBe(appProxySignature(signed, "s"));
});

test.each([
  ["::ffff:127.0.0.1", "127.0.0.1"],
  ["::1", "::1"],
  [undefined, "127.0.0.1"],
])("plainAddress(%j) → %s", (address, plain) => expect(plainAddress(address)).toBe(plain));
