import { defineResolvers, typed, type AdminContext } from "./admin-context";
import { collectionConnection } from "./admin-resolvers-types";
import { READ_SCOPE_BY_TYPE, requireScope } from "./admin-scopes";
import {
  filterCheckouts,
  filterCollections,
  filterCustomers,
  filterDiscounts,
  filterOrders,
  filterProducts,
  filterVariants,
  sortCheckouts,
  sortCustomers,
  sortOrders,
  sortProducts,
  type CustomerSortKey,
  type OrderSortKey,
} from "./admin-search";
import { connection, type ConnectionArgs } from "./connection";
import { idArgument, parseGid } from "./ids";
import { webPixel } from "./web-pixel";

// Root query fields. Each checks its access scope first, as Shopify does.

type SearchArgs = ConnectionArgs & { sortKey: string; query?: string | null };
type CountArgs = { query?: string | null; limit: number };

const count = (n: number, limit: number) => ({
  count: Math.min(n, limit),
  precision: n > limit ? "AT_LEAST" : "EXACT",
});

/** Any node by gid, typed for the Node interface; null for unknown ids (as Shopify answers). */
export function resolveNode(gid: string, context: AdminContext): object | null {
  const parsed = parseGid(gid);
  if (!parsed) return null;
  const scope = READ_SCOPE_BY_TYPE[parsed.type];
  if (scope) requireScope(context, scope, "node");
  const { store } = context;
  const found = (() => {
    switch (parsed.type) {
      case "Customer":
        return store.customer(parsed.id);
      case "Order":
        return store.order(parsed.id);
      case "AbandonedCheckout":
        return store.checkout(parsed.id);
      case "Product":
        return store.product(parsed.id);
      case "ProductVariant":
        return store.variant(parsed.id);
      case "Collection":
        return store.collection(parsed.id);
      case "DiscountCodeNode":
        return store.discount(parsed.id);
      case "Fulfillment":
        return store.fulfillment(parsed.id);
      case "Shop":
        return parsed.id === store.shop.id ? store.shop : undefined;
      default:
        return undefined;
    }
  })();
  return found ? typed(parsed.type, found) : null;
}

export const QueryRoot = defineResolvers<undefined>({
  shop: (_root, _args, context) => context.store.shop,

  webPixel: (_root, args: { id?: string | null }, context) => webPixel(args, context),

  node: (_root, args: { id: string }, context) => resolveNode(args.id, context),
  nodes: (_root, args: { ids: string[] }, context) => args.ids.map((id) => resolveNode(id, context)),

  customer: (_root, args: { id: string }, context) => {
    requireScope(context, "read_customers", "customer");
    const id = idArgument(args.id, "Customer");
    return id === null ? null : (context.store.customer(id) ?? null);
  },
  customers: (_root, args: SearchArgs, context) => {
    requireScope(context, "read_customers", "customers");
    const found = filterCustomers(context.store.state.customers, args.query, context);
    return connection(sortCustomers(found, args.sortKey as CustomerSortKey), args, (c) => c.id);
  },
  customersCount: (_root, args: CountArgs, context) => {
    requireScope(context, "read_customers", "customersCount");
    return count(filterCustomers(context.store.state.customers, args.query, context).length, args.limit);
  },

  order: (_root, args: { id: string }, context) => {
    requireScope(context, "read_orders", "order");
    const id = idArgument(args.id, "Order");
    return id === null ? null : (context.store.order(id) ?? null);
  },
  orders: (_root, args: SearchArgs, context) => {
    requireScope(context, "read_orders", "orders");
    const found = filterOrders(context.store.state.orders, args.query, context);
    return connection(sortOrders(found, args.sortKey as OrderSortKey, context), args, (o) => o.id);
  },
  ordersCount: (_root, args: CountArgs, context) => {
    requireScope(context, "read_orders", "ordersCount");
    return count(filterOrders(context.store.state.orders, args.query, context).length, args.limit);
  },

  abandonedCheckouts: (_root, args: SearchArgs, context) => {
    requireScope(context, "read_orders", "abandonedCheckouts");
    const found = filterCheckouts(context.store.state.checkouts, args.query, context);
    return connection(sortCheckouts(found, args.sortKey, context), args, (c) => c.id);
  },
  abandonedCheckoutsCount: (_root, args: CountArgs, context) => {
    requireScope(context, "read_orders", "abandonedCheckoutsCount");
    return count(filterCheckouts(context.store.state.checkouts, args.query, context).length, args.limit);
  },

  product: (_root, args: { id: string }, context) => {
    requireScope(context, "read_products", "product");
    const id = idArgument(args.id, "Product");
    return id === null ? null : (context.store.product(id) ?? null);
  },
  productByIdentifier: (_root, args: { identifier: { id?: string | null; handle?: string | null } }, context) => {
    requireScope(context, "read_products", "productByIdentifier");
    const { id, handle } = args.identifier;
    if (id) {
      const numeric = idArgument(id, "Product");
      return numeric === null ? null : (context.store.product(numeric) ?? null);
    }
    return context.store.state.products.find((p) => p.handle === handle) ?? null;
  },
  products: (_root, args: SearchArgs, context) => {
    requireScope(context, "read_products", "products");
    const found = filterProducts(context.store.state.products, args.query);
    return connection(sortProducts(found, args.sortKey), args, (p) => p.id);
  },
  productsCount: (_root, args: CountArgs, context) => {
    requireScope(context, "read_products", "productsCount");
    return count(filterProducts(context.store.state.products, args.query).length, args.limit);
  },
  productVariant: (_root, args: { id: string }, context) => {
    requireScope(context, "read_products", "productVariant");
    const id = idArgument(args.id, "ProductVariant");
    return id === null ? null : (context.store.variant(id) ?? null);
  },
  productVariants: (_root, args: ConnectionArgs & { query?: string | null }, context) => {
    requireScope(context, "read_products", "productVariants");
    const all = context.store.state.products.flatMap((product) =>
      product.variants.map((variant) => ({ product, variant })),
    );
    const sorted = filterVariants(all, args.query).sort((a, b) => a.variant.id - b.variant.id);
    return connection(sorted, args, (s) => s.variant.id);
  },

  collection: (_root, args: { id: string }, context) => {
    requireScope(context, "read_products", "collection");
    const id = idArgument(args.id, "Collection");
    return id === null ? null : (context.store.collection(id) ?? null);
  },
  collections: (_root, args: SearchArgs, context) => {
    requireScope(context, "read_products", "collections");
    return collectionConnection(context.store.collections, args);
  },
  collectionsCount: (_root, args: CountArgs, context) => {
    requireScope(context, "read_products", "collectionsCount");
    return count(filterCollections(context.store.state.collections, args.query).length, args.limit);
  },

  codeDiscountNode: (_root, args: { id: string }, context) => {
    requireScope(context, "read_discounts", "codeDiscountNode");
    const id = idArgument(args.id, "DiscountCodeNode");
    return id === null ? null : (context.store.discount(id) ?? null);
  },
  codeDiscountNodeByCode: (_root, args: { code: string }, context) => {
    requireScope(context, "read_discounts", "codeDiscountNodeByCode");
    return context.store.discountByCode(args.code) ?? null;
  },
  codeDiscountNodes: (_root, args: ConnectionArgs & { query?: string | null }, context) => {
    requireScope(context, "read_discounts", "codeDiscountNodes");
    const found = filterDiscounts(context.store.state.discounts, args.query, context);
    return connection(
      [...found].sort((a, b) => a.id - b.id),
      args,
      (d) => d.id,
    );
  },
});
