import { describe, expect, it } from "vitest";
import { rewriteShopifyUrl } from "./fetch-seam";

describe("rewriteShopifyUrl", () => {
  const origin = "http://127.0.0.1:3000";
  it.each([
    [
      "https://parley-demo.myshopify.com/admin/api/2025-10/graphql.json",
      `${origin}/sandbox/shopify/parley-demo.myshopify.com/admin/api/2025-10/graphql.json`,
    ],
    [
      "https://parley-demo.myshopify.com/admin/oauth/access_token",
      `${origin}/sandbox/shopify/parley-demo.myshopify.com/admin/oauth/access_token`,
    ],
    [
      "https://parley-demo.myshopify.com/admin/api/2025-10/orders.json?status=any",
      `${origin}/sandbox/shopify/parley-demo.myshopify.com/admin/api/2025-10/orders.json?status=any`,
    ],
  ])("routes %s to the simulator", (from, to) => expect(rewriteShopifyUrl(from, origin)).toBe(to));

  it.each([
    "https://api.telnyx.com/v2/messages",
    "https://parley-demo.myshopify.com/products/tee",
    "http://parley-demo.myshopify.com/admin/api/2025-10/graphql.json",
    "not a url",
  ])("leaves %s alone", (url) => expect(rewriteShopifyUrl(url, origin)).toBe(url));
});
