import type { CheckoutRecord, OrderRecord, ShopRecord } from "./types";

// Shopper-facing links in Shopify's formats. They point at the shop's domain; the sandbox has no storefront behind
// them, but they have the shape an app would put in a text message.

export function abandonedCheckoutUrl(shop: ShopRecord, checkout: CheckoutRecord): string {
  return `https://${shop.myshopifyDomain}/${shop.id}/checkouts/ac/${checkout.token}/recover?key=${checkout.recoveryKey}`;
}

export function orderStatusUrl(shop: ShopRecord, order: OrderRecord): string {
  // The key is derived from the token so the link is stable across restarts.
  return `https://${shop.myshopifyDomain}/${shop.id}/orders/${order.token}/authenticate?key=${order.token.split("").reverse().join("")}`;
}
