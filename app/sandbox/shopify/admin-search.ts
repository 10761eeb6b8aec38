import type { AdminContext } from "./admin-context";
import { checkoutAmounts, customerTotals, orderAmounts, orderFulfillmentStatus } from "./order-math";
import {
  compareDate,
  compareId,
  compareNumber,
  comparePhone,
  compareText,
  matchesSearch,
  parseSearchQuery,
  type SearchTerm,
} from "./search-query";
import type {
  CheckoutRecord,
  CollectionRecord,
  CustomerRecord,
  DiscountRecord,
  OrderRecord,
  ProductRecord,
  VariantRecord,
} from "./types";
import { discountStatus } from "./discount-math";

// Per-resource search filters and sort keys, with the filter names Shopify documents for each connection.

const byId = <T extends { id: number }>(a: T, b: T) => a.id - b.id;

function stableSort<T extends { id: number }>(items: T[], compare: (a: T, b: T) => number): T[] {
  return [...items].sort((a, b) => compare(a, b) || byId(a, b));
}

// ---- customers ---------------------------------------------------------------------------------------------

export function filterCustomers(
  customers: CustomerRecord[],
  query: string | null | undefined,
  context: AdminContext,
): CustomerRecord[] {
  const parsed = parseSearchQuery(query);
  if (parsed.length === 0) return customers;
  const field = (c: CustomerRecord, term: SearchTerm): boolean | null => {
    switch (term.field) {
      case "phone":
        return comparePhone(c.phone, term);
      case "email":
        return compareText(c.email, term);
      case "first_name":
        return compareText(c.firstName, term);
      case "last_name":
        return compareText(c.lastName, term);
      case "tag":
        return c.tags.some((t) => compareText(t, term));
      case "tag_not":
        return !c.tags.some((t) => compareText(t, term));
      case "id":
        return compareId(c.id, term);
      case "created_at":
        return compareDate(c.createdAt, term);
      case "updated_at":
        return compareDate(c.updatedAt, term);
      case "orders_count":
        return compareNumber(customerTotals(context.store.ordersOf(c.id)).numberOfOrders, term);
      case "total_spent":
      case "amount_spent":
        return compareNumber(customerTotals(context.store.ordersOf(c.id)).amountSpentCents / 100, term);
      case "country":
        return compareText(c.address?.country, term) || compareText(c.address?.countryCode, term);
      case "state":
        return compareText("disabled", term);
      case "sms_marketing_state":
      case "sms_marketing_consent_state":
        return compareText(c.smsConsent?.marketingState ?? null, term);
      default:
        return null;
    }
  };
  return customers.filter((c) =>
    matchesSearch(c, parsed, field, (x) => [`${x.firstName} ${x.lastName}`, x.email ?? "", x.phone ?? "", ...x.tags]),
  );
}

export type CustomerSortKey = "CREATED_AT" | "ID" | "LOCATION" | "NAME" | "RELEVANCE" | "UPDATED_AT";

export function sortCustomers(customers: CustomerRecord[], key: CustomerSortKey): CustomerRecord[] {
  switch (key) {
    case "NAME":
      return stableSort(customers, (a, b) =>
        `${a.firstName} ${a.lastName}`.localeCompare(`${b.firstName} ${b.lastName}`),
      );
    case "CREATED_AT":
      return stableSort(customers, (a, b) => a.createdAt.localeCompare(b.createdAt));
    case "UPDATED_AT":
      return stableSort(customers, (a, b) => a.updatedAt.localeCompare(b.updatedAt));
    case "LOCATION":
      return stableSort(customers, (a, b) => (a.address?.city ?? "").localeCompare(b.address?.city ?? ""));
    default:
      return stableSort(customers, byId);
  }
}

// ---- orders ------------------------------------------------------------------------------------------------

export type OrderSortKey =
  | "CREATED_AT"
  | "CUSTOMER_NAME"
  | "DESTINATION"
  | "FINANCIAL_STATUS"
  | "FULFILLMENT_STATUS"
  | "ID"
  | "ORDER_NUMBER"
  | "PO_NUMBER"
  | "PROCESSED_AT"
  | "RELEVANCE"
  | "TOTAL_ITEMS_QUANTITY"
  | "TOTAL_PRICE"
  | "UPDATED_AT";

export function filterOrders(
  orders: OrderRecord[],
  query: string | null | undefined,
  context: AdminContext,
): OrderRecord[] {
  const parsed = parseSearchQuery(query);
  if (parsed.length === 0) return orders;
  const field = (o: OrderRecord, term: SearchTerm): boolean | null => {
    switch (term.field) {
      case "name":
        return compareText(`#${o.number}`, term) || compareText(String(o.number), term);
      case "email":
        return compareText(o.email, term);
      case "phone":
        return comparePhone(o.phone, term);
      case "customer_id":
        return o.customerId !== null && compareId(o.customerId, term);
      case "id":
        return compareId(o.id, term);
      case "financial_status":
        return compareText(o.financialStatus, term);
      case "fulfillment_status": {
        const status = orderFulfillmentStatus(o);
        const aliases: Record<string, string[]> = {
          UNFULFILLED: ["unfulfilled", "unshipped"],
          PARTIALLY_FULFILLED: ["partial", "partially_fulfilled"],
          FULFILLED: ["fulfilled", "shipped"],
        };
        return aliases[status].includes(term.value.toLowerCase());
      }
      case "status": {
        const status = o.cancelledAt ? "cancelled" : o.closedAt ? "closed" : "open";
        return term.value.toLowerCase() === "any" || compareText(status, term);
      }
      case "created_at":
        return compareDate(o.createdAt, term);
      case "processed_at":
        return compareDate(o.processedAt, term);
      case "updated_at":
        return compareDate(o.updatedAt, term);
      case "tag":
        return o.tags.some((t) => compareText(t, term));
      case "discount_code":
        return o.discountCodes.some((d) => compareText(d.code, term));
      case "sku":
        return o.lineItems.some((li) => compareText(li.sku, term));
      case "checkout_token":
        return compareText(o.checkoutToken, term);
      default:
        return null;
    }
  };
  return orders.filter((o) =>
    matchesSearch(o, parsed, field, (x) => {
      const customer = x.customerId === null ? undefined : context.store.customer(x.customerId);
      return [`#${x.number}`, x.email ?? "", customer ? `${customer.firstName} ${customer.lastName}` : ""];
    }),
  );
}

export function sortOrders(orders: OrderRecord[], key: OrderSortKey, context: AdminContext): OrderRecord[] {
  switch (key) {
    case "PROCESSED_AT":
      return stableSort(orders, (a, b) => a.processedAt.localeCompare(b.processedAt));
    case "CREATED_AT":
      return stableSort(orders, (a, b) => a.createdAt.localeCompare(b.createdAt));
    case "UPDATED_AT":
      return stableSort(orders, (a, b) => a.updatedAt.localeCompare(b.updatedAt));
    case "ORDER_NUMBER":
      return stableSort(orders, (a, b) => a.number - b.number);
    case "TOTAL_PRICE":
      return stableSort(orders, (a, b) => orderAmounts(a).total - orderAmounts(b).total);
    case "TOTAL_ITEMS_QUANTITY": {
      const qty = (o: OrderRecord) => o.lineItems.reduce((sum, li) => sum + li.quantity, 0);
      return stableSort(orders, (a, b) => qty(a) - qty(b));
    }
    case "FINANCIAL_STATUS":
      return stableSort(orders, (a, b) => a.financialStatus.localeCompare(b.financialStatus));
    case "FULFILLMENT_STATUS":
      return stableSort(orders, (a, b) => orderFulfillmentStatus(a).localeCompare(orderFulfillmentStatus(b)));
    case "CUSTOMER_NAME": {
      const name = (o: OrderRecord) => {
        const c = o.customerId === null ? undefined : context.store.customer(o.customerId);
        return c ? `${c.firstName} ${c.lastName}` : "";
      };
      return stableSort(orders, (a, b) => name(a).localeCompare(name(b)));
    }
    default:
      return stableSort(orders, byId);
  }
}

// ---- abandoned checkouts -----------------------------------------------------------------------------------

export function filterCheckouts(
  checkouts: CheckoutRecord[],
  query: string | null | undefined,
  context: AdminContext,
): CheckoutRecord[] {
  const parsed = parseSearchQuery(query);
  const field = (c: CheckoutRecord, term: SearchTerm): boolean | null => {
    switch (term.field) {
      case "id":
        return compareId(c.id, term);
      case "created_at":
        return compareDate(c.createdAt, term);
      case "updated_at":
        return compareDate(c.updatedAt, term);
      case "status":
        return compareText(c.completedAt ? "closed" : "open", term);
      case "recovery_state":
        return compareText(c.completedAt ? "recovered" : "not_recovered", term);
      case "email_state":
        return compareText("not_sent", term);
      case "customer_id":
        return c.customerId !== null && compareId(c.customerId, term);
      case "email":
        return compareText(c.email, term);
      default:
        return null;
    }
  };
  return checkouts.filter((c) =>
    matchesSearch(c, parsed, field, (x) => {
      const customer = x.customerId === null ? undefined : context.store.customer(x.customerId);
      return [
        x.email ?? "",
        customer ? `${customer.firstName} ${customer.lastName}` : "",
        ...x.lineItems.map((li) => li.title),
      ];
    }),
  );
}

export function sortCheckouts(checkouts: CheckoutRecord[], key: string, context: AdminContext): CheckoutRecord[] {
  switch (key) {
    case "CREATED_AT":
      return stableSort(checkouts, (a, b) => a.createdAt.localeCompare(b.createdAt));
    case "TOTAL_PRICE":
      return stableSort(checkouts, (a, b) => checkoutAmounts(a).total - checkoutAmounts(b).total);
    case "CUSTOMER_NAME": {
      const name = (c: CheckoutRecord) => {
        const customer = c.customerId === null ? undefined : context.store.customer(c.customerId);
        return customer ? `${customer.firstName} ${customer.lastName}` : "";
      };
      return stableSort(checkouts, (a, b) => name(a).localeCompare(name(b)));
    }
    default:
      return stableSort(checkouts, byId);
  }
}

// ---- products ----------------------------------------------------------------------------------------------

const totalInventory = (p: ProductRecord) => p.variants.reduce((sum, v) => sum + v.inventoryQuantity, 0);

export function filterProducts(products: ProductRecord[], query: string | null | undefined): ProductRecord[] {
  const parsed = parseSearchQuery(query);
  const field = (p: ProductRecord, term: SearchTerm): boolean | null => {
    switch (term.field) {
      case "title":
        return (
          compareText(p.title, term) || p.title.toLowerCase().includes(term.value.toLowerCase().replace(/\*$/, ""))
        );
      case "handle":
        return compareText(p.handle, term);
      case "sku":
        return p.variants.some((v) => compareText(v.sku, term));
      case "status":
        return term.value.split(",").some((s) => compareText(p.status, { ...term, value: s }));
      case "vendor":
        return compareText(p.vendor, term);
      case "product_type":
        return compareText(p.productType, term);
      case "tag":
        return p.tags.some((t) => compareText(t, term));
      case "id":
        return compareId(p.id, term);
      case "inventory_total":
        return compareNumber(totalInventory(p), term);
      case "out_of_stock_somewhere":
        return String(p.variants.some((v) => v.inventoryQuantity <= 0)) === term.value.toLowerCase();
      case "created_at":
        return compareDate(p.createdAt, term);
      case "updated_at":
        return compareDate(p.updatedAt, term);
      default:
        return null;
    }
  };
  return products.filter((p) => matchesSearch(p, parsed, field, (x) => [x.title, x.productType, x.vendor, ...x.tags]));
}

export function sortProducts(products: ProductRecord[], key: string): ProductRecord[] {
  switch (key) {
    case "TITLE":
      return stableSort(products, (a, b) => a.title.localeCompare(b.title));
    case "CREATED_AT":
    case "PUBLISHED_AT":
      return stableSort(products, (a, b) => a.createdAt.localeCompare(b.createdAt));
    case "UPDATED_AT":
      return stableSort(products, (a, b) => a.updatedAt.localeCompare(b.updatedAt));
    case "INVENTORY_TOTAL":
      return stableSort(products, (a, b) => totalInventory(a) - totalInventory(b));
    case "PRODUCT_TYPE":
      return stableSort(products, (a, b) => a.productType.localeCompare(b.productType));
    case "VENDOR":
      return stableSort(products, (a, b) => a.vendor.localeCompare(b.vendor));
    default:
      return stableSort(products, byId);
  }
}

export function filterVariants(
  variants: Array<{ product: ProductRecord; variant: VariantRecord }>,
  query: string | null | undefined,
): Array<{ product: ProductRecord; variant: VariantRecord }> {
  const parsed = parseSearchQuery(query);
  return variants.filter(({ product, variant }) =>
    matchesSearch(
      variant,
      parsed,
      (v, term) => {
        switch (term.field) {
          case "sku":
            return compareText(v.sku, term);
          case "id":
            return compareId(v.id, term);
          case "product_id":
            return compareId(product.id, term);
          case "inventory_quantity":
            return compareNumber(v.inventoryQuantity, term);
          case "title":
            return compareText(v.title, term);
          default:
            return null;
        }
      },
      (v) => [product.title, v.title, v.sku],
    ),
  );
}

// ---- collections -------------------------------------------------------------------------------------------

/** Shopify's collection filters; free text searches the title. Every seeded collection is a custom one. */
export function filterCollections(
  collections: readonly CollectionRecord[],
  query: string | null | undefined,
): CollectionRecord[] {
  const parsed = parseSearchQuery(query);
  const field = (c: CollectionRecord, term: SearchTerm): boolean | null => {
    switch (term.field) {
      case "title":
        return compareText(c.title, term);
      case "handle":
        return compareText(c.handle, term);
      case "id":
        return compareId(c.id, term);
      case "product_id":
        return c.productIds.some((id) => compareId(id, term));
      case "collection_type":
        return compareText("custom", term);
      case "updated_at":
        return compareDate(c.updatedAt, term);
      default:
        return null;
    }
  };
  return collections.filter((c) => matchesSearch(c, parsed, field, (x) => [x.title]));
}

export function sortCollections(collections: CollectionRecord[], key: string): CollectionRecord[] {
  switch (key) {
    case "TITLE":
      return stableSort(collections, (a, b) => a.title.localeCompare(b.title));
    case "UPDATED_AT":
      return stableSort(collections, (a, b) => a.updatedAt.localeCompare(b.updatedAt));
    default:
      return stableSort(collections, byId);
  }
}

// ---- discounts ---------------------------------------------------------------------------------------------

export function filterDiscounts(
  discounts: DiscountRecord[],
  query: string | null | undefined,
  context: AdminContext,
): DiscountRecord[] {
  const parsed = parseSearchQuery(query);
  return discounts.filter((d) =>
    matchesSearch(
      d,
      parsed,
      (x, term) => {
        switch (term.field) {
          case "code":
            return compareText(x.code, term);
          case "title":
            return compareText(x.title, term);
          case "status":
            return compareText(discountStatus(x, context.now), term);
          case "discount_type":
          case "type":
            return compareText(x.kind === "free_shipping" ? "free_shipping" : x.value.type, term);
          case "id":
            return compareId(x.id, term);
          default:
            return null;
        }
      },
      (x) => [x.code, x.title],
    ),
  );
}
