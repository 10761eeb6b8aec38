import { GraphQLError } from "graphql";

// Shopify's global ids: gid://shopify/<Type>/<number>. Records keep the number; the API speaks gids.

export type GidType =
  | "Shop"
  | "Customer"
  | "MailingAddress"
  | "Order"
  | "LineItem"
  | "Fulfillment"
  | "FulfillmentLineItem"
  | "AbandonedCheckout"
  | "AbandonedCheckoutLineItem"
  | "Product"
  | "ProductVariant"
  | "Collection"
  | "ProductImage"
  | "ProductOption"
  | "InventoryItem"
  | "InventoryLevel"
  | "Location"
  | "DiscountCodeNode"
  | "DiscountRedeemCode"
  | "Domain"
  | "WebPixel";

export function toGid(type: GidType, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/;

export function parseGid(gid: string): { type: string; id: number } | null {
  const match = GID.exec(gid);
  return match ? { type: match[1], id: Number(match[2]) } : null;
}

/**
 * The numeric id of a gid of the expected type, as a resolver argument. Shopify answers a malformed id with a
 * top-level error ("Invalid global id"), and a well-formed id of another type or an unknown number with null;
 * this returns null for the latter so the resolver can answer null.
 */
export function idArgument(gid: string, expected: GidType): number | null {
  const parsed = parseGid(gid);
  if (!parsed) {
    throw new GraphQLError(`Invalid global id '${gid}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
  }
  return parsed.type === expected ? parsed.id : null;
}
