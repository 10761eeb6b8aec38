import { createHmac } from "node:crypto";

// Shopify's app proxy, as the sandbox plays it: /apps/parley/<rest>?<query> on the storefront is forwarded to the
// app's /proxy/<rest> with the shopper's query plus shop, logged_in_customer_id, path_prefix and timestamp, signed
// with the app's secret: HMAC-SHA256 (hex) of the parameters as sorted "key=value" strings joined with nothing
// (a repeated key's values joined with ","). Cookies are not forwarded; the shopper's address goes in
// X-Forwarded-For.

export const PROXY_PREFIX = "/apps/parley";

export function appProxySignature(params: URLSearchParams, secret: string): string {
  const values = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  const message = [...values.entries()]
    .map(([key, list]) => `${key}=${list.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message, "utf8").digest("hex");
}

/** The shopper's query plus Shopify's parameters and the signature over all of them. */
export function signProxyQuery(
  query: URLSearchParams,
  options: { shop: string; secret: string; customerId?: number | null; now?: Date },
): URLSearchParams {
  const params = new URLSearchParams(query);
  for (const key of ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]) params.delete(key);
  params.set("shop", options.shop);
  params.set("logged_in_customer_id", options.customerId ? String(options.customerId) : "");
  params.set("path_prefix", PROXY_PREFIX);
  params.set("timestamp", String(Math.floor((options.now ?? new Date()).getTime() / 1000)));
  params.set("signature", appProxySignature(params, options.secret));
  return params;
}

/** "::ffff:127.0.0.1" → "127.0.0.1": the address as Shopify would name it. */
export function plainAddress(address: string | undefined): string {
  if (!address) return "127.0.0.1";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
