import { GraphQLError } from "graphql";
import type { AdminContext } from "./admin-context";

// Access scopes, enforced the way Shopify does for root fields: a token without the scope gets the field as null
// and an ACCESS_DENIED error naming the scope. This catches a missing entry in SCOPES before a real store does.

export function hasScope(scopes: ReadonlySet<string>, required: string): boolean {
  if (scopes.has(required)) return true;
  // write_x implies read_x.
  return required.startsWith("read_") && scopes.has(`write_${required.slice("read_".length)}`);
}

export function requireScope(context: AdminContext, required: string, fieldName: string): void {
  if (hasScope(context.scopes, required)) return;
  const requiredAccess = `\`${required}\` access scope.`;
  throw new GraphQLError(`Access denied for ${fieldName} field. Required access: ${requiredAccess}`, {
    extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess },
  });
}

/** The read scope guarding a node of this GraphQL type (for `node`/`nodes`). */
export const READ_SCOPE_BY_TYPE: Record<string, string> = {
  Customer: "read_customers",
  Order: "read_orders",
  AbandonedCheckout: "read_orders",
  Fulfillment: "read_orders",
  Product: "read_products",
  ProductVariant: "read_products",
  Collection: "read_products",
  DiscountCodeNode: "read_discounts",
};

export function parseScopes(scope: string): Set<string> {
  return new Set(
    scope
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
}
