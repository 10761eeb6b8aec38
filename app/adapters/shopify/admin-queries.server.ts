import { z } from "zod";
import type { AbandonedCheckout, StoreCustomer, StoreOrder } from "~/domain/store-context";
import { type AdminGraphql, runAdminQuery, type ShopifyUserError, UserErrors } from "./customer-consent.server";

// The Admin GraphQL documents the inbox uses (store context, customer search and creation, product search,
// discount codes) and the parsing of their answers. Errors thrown by the client (THROTTLED, HTTP 5xx, network)
// are left to the caller, which classifies them with classifyShopifyError; userErrors come back as data.

const run = runAdminQuery;

const Money = z.object({ amount: z.string(), currencyCode: z.string() });
const MoneyBag = z.object({ shopMoney: Money });
const nullableString = z
  .string()
  .nullish()
  .transform((s) => s ?? null);
const legacyId = (gid: string) => gid.split("/").pop() ?? gid;

// ─── store context ───────────────────────────────────────────────────────────────────────────────

// One request for the customer, their last orders with fulfilments and their open checkouts. Requested cost
// ≈ 200 of the 1000 a single query may use. Shopify's abandonedCheckouts search documents no customer filter:
// the `customer_id:` term narrows it where supported and the answer is filtered by customer below either way.
const STORE_CONTEXT_QUERY = /* GraphQL */ `
  query ParleyStoreContext($customerId: ID!, $checkoutQuery: String!) {
    shop {
      myshopifyDomain
      currencyCode
      primaryDomain {
        host
      }
    }
    customer(id: $customerId) {
      id
      firstName
      lastName
      displayName
      email
      phone
      tags
      numberOfOrders
      amountSpent {
        amount
        currencyCode
      }
      smsMarketingConsent {
        marketingState
      }
      orders(first: 5, sortKey: PROCESSED_AT, reverse: true) {
        nodes {
          id
          name
          processedAt
          displayFinancialStatus
          displayFulfillmentStatus
          statusPageUrl
          totalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          lineItems(first: 5) {
            nodes {
              title
              quantity
            }
          }
          fulfillments(first: 5) {
            displayStatus
            createdAt
            estimatedDeliveryAt
            deliveredAt
            trackingInfo(first: 3) {
              company
              number
              url
            }
          }
        }
      }
    }
    abandonedCheckouts(first: 5, sortKey: CREATED_AT, reverse: true, query: $checkoutQuery) {
      nodes {
        id
        createdAt
        completedAt
        abandonedCheckoutUrl
        customer {
          id
        }
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        lineItems(first: 10) {
          nodes {
            title
            quantity
          }
        }
      }
    }
  }
`;

export const ShopFields = z.object({
  myshopifyDomain: z.string(),
  currencyCode: z.string(),
  primaryDomain: z.object({ host: z.string() }).nullish(),
});

const StoreContextAnswer = z.object({
  shop: ShopFields,
  customer: z
    .object({
      id: z.string(),
      firstName: nullableString,
      lastName: nullableString,
      displayName: z.string(),
      email: nullableString,
      phone: nullableString,
      tags: z.array(z.string()),
      numberOfOrders: z.coerce.number(), // UnsignedInt64 arrives as a string
      amountSpent: Money,
      smsMarketingConsent: z.object({ marketingState: z.string() }).nullish(),
      orders: z.object({
        nodes: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            processedAt: z.string(),
            displayFinancialStatus: nullableString,
            displayFulfillmentStatus: z.string(),
            statusPageUrl: z.string(),
            totalPriceSet: MoneyBag,
            lineItems: z.object({ nodes: z.array(z.object({ title: z.string(), quantity: z.number() })) }),
            fulfillments: z.array(
              z.object({
                displayStatus: nullableString,
                createdAt: z.string(),
                estimatedDeliveryAt: nullableString,
                deliveredAt: nullableString,
                trackingInfo: z.array(
                  z.object({ company: nullableString, number: nullableString, url: nullableString }),
                ),
              }),
            ),
          }),
        ),
      }),
    })
    .nullable(),
  abandonedCheckouts: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        createdAt: z.string(),
        completedAt: nullableString,
        abandonedCheckoutUrl: z.string(),
        customer: z.object({ id: z.string() }).nullish(),
        totalPriceSet: MoneyBag,
        lineItems: z.object({ nodes: z.array(z.object({ title: nullableString, quantity: z.number() })) }),
      }),
    ),
  }),
});

export type ShopInfo = { domain: string; myshopifyDomain: string; currencyCode: string };
export type ShopifyCustomerContext = {
  shop: ShopInfo;
  customer: StoreCustomer | null;
  orders: StoreOrder[];
  checkouts: AbandonedCheckout[];
};

const SMS_STATES = new Set(["NOT_SUBSCRIBED", "PENDING", "SUBSCRIBED", "UNSUBSCRIBED", "REDACTED"]);

/** "2 × Canvas Tote, Wool Beanie" */
export function summarizeItems(items: { title: string | null; quantity: number }[]): string {
  return items.map((i) => `${i.quantity > 1 ? `${i.quantity} × ` : ""}${i.title ?? "Item"}`).join(", ");
}

export function shopInfo(shop: z.infer<typeof ShopFields>): ShopInfo {
  return {
    domain: shop.primaryDomain?.host ?? shop.myshopifyDomain,
    myshopifyDomain: shop.myshopifyDomain,
    currencyCode: shop.currencyCode,
  };
}

/** The customer, their last 5 orders and their open abandoned checkouts, in one request. */
export async function fetchCustomerContext(admin: AdminGraphql, customerGid: string): Promise<ShopifyCustomerContext> {
  const data = await run(
    admin,
    STORE_CONTEXT_QUERY,
    { customerId: customerGid, checkoutQuery: `status:open customer_id:${legacyId(customerGid)}` },
    StoreContextAnswer,
  );
  const c = data.customer;
  const customer: StoreCustomer | null = c
    ? {
        id: c.id,
        legacyId: legacyId(c.id),
        displayName: c.displayName,
        firstName: c.firstName,
        email: c.email,
        phone: c.phone,
        tags: c.tags,
        numberOfOrders: c.numberOfOrders,
        amountSpent: c.amountSpent,
        smsConsent: (SMS_STATES.has(c.smsMarketingConsent?.marketingState ?? "")
          ? c.smsMarketingConsent!.marketingState
          : null) as StoreCustomer["smsConsent"],
      }
    : null;
  const orders: StoreOrder[] = (c?.orders.nodes ?? []).map((o) => ({
    id: o.id,
    name: o.name,
    processedAt: o.processedAt,
    total: o.totalPriceSet.shopMoney,
    financialStatus: o.displayFinancialStatus,
    fulfillmentStatus: o.displayFulfillmentStatus,
    itemsSummary: summarizeItems(o.lineItems.nodes),
    statusPageUrl: o.statusPageUrl,
    fulfillments: o.fulfillments.map((f) => ({
      status: f.displayStatus,
      createdAt: f.createdAt,
      estimatedDeliveryAt: f.estimatedDeliveryAt,
      deliveredAt: f.deliveredAt,
      tracking: f.trackingInfo,
    })),
  }));
  const checkouts: AbandonedCheckout[] = data.abandonedCheckouts.nodes
    .filter((k) => !k.completedAt && k.customer?.id === customerGid)
    .map((k) => ({
      id: k.id,
      createdAt: k.createdAt,
      total: k.totalPriceSet.shopMoney,
      recoveryUrl: k.abandonedCheckoutUrl,
      items: k.lineItems.nodes.map((li) => ({ title: li.title ?? "Item", quantity: li.quantity })),
    }));
  return { shop: shopInfo(data.shop), customer, orders, checkouts };
}

const SHOP_QUERY = /* GraphQL */ `
  query ParleyShop {
    shop {
      myshopifyDomain
      currencyCode
      primaryDomain {
        host
      }
    }
  }
`;

export async function fetchShopInfo(admin: AdminGraphql): Promise<ShopInfo> {
  const data = await run(admin, SHOP_QUERY, {}, z.object({ shop: ShopFields }));
  return shopInfo(data.shop);
}

// ─── customers ───────────────────────────────────────────────────────────────────────────────────

export type CustomerMatch = {
  id: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  numberOfOrders: number;
};

const CustomerMatchFields = z.object({
  id: z.string(),
  displayName: z.string(),
  email: nullableString,
  phone: nullableString,
  numberOfOrders: z.coerce.number(),
});

const CUSTOMER_SEARCH_QUERY = /* GraphQL */ `
  query ParleyCustomerSearch($query: String!) {
    customers(first: 10, query: $query, sortKey: RELEVANCE) {
      nodes {
        id
        displayName
        email
        phone
        numberOfOrders
      }
    }
  }
`;

/** Shopify's customer search (name, email or phone; free text matches all of them), first 10. */
export async function searchCustomers(admin: AdminGraphql, query: string): Promise<CustomerMatch[]> {
  const data = await run(
    admin,
    CUSTOMER_SEARCH_QUERY,
    { query },
    z.object({ customers: z.object({ nodes: z.array(CustomerMatchFields) }) }),
  );
  return data.customers.nodes;
}

const CUSTOMER_QUERY = /* GraphQL */ `
  query ParleyCustomer($id: ID!) {
    customer(id: $id) {
      id
      displayName
      firstName
      lastName
      email
      phone
      numberOfOrders
    }
  }
`;

export type CustomerRecord = CustomerMatch & { firstName: string | null; lastName: string | null };

export async function fetchCustomer(admin: AdminGraphql, id: string): Promise<CustomerRecord | null> {
  const data = await run(
    admin,
    CUSTOMER_QUERY,
    { id },
    z.object({
      customer: CustomerMatchFields.extend({ firstName: nullableString, lastName: nullableString }).nullable(),
    }),
  );
  return data.customer;
}

const CUSTOMER_CREATE_MUTATION = /* GraphQL */ `
  mutation ParleyInboxCustomerCreate($input: CustomerInput!) {
    customerCreate(input: $input) {
      customer {
        id
        displayName
        email
        phone
        numberOfOrders
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export type CreateCustomerResult =
  { ok: true; customer: CustomerMatch } | { ok: false; userErrors: ShopifyUserError[] };

/** customerCreate without touching consent (Parley's consent sync owns that); userErrors as Shopify sent them. */
export async function createCustomer(
  admin: AdminGraphql,
  input: { phone: string; firstName?: string | null; lastName?: string | null; email?: string | null; tags: string[] },
): Promise<CreateCustomerResult> {
  const data = await run(
    admin,
    CUSTOMER_CREATE_MUTATION,
    {
      input: {
        phone: input.phone,
        tags: input.tags,
        ...(input.firstName ? { firstName: input.firstName } : {}),
        ...(input.lastName ? { lastName: input.lastName } : {}),
        ...(input.email ? { email: input.email } : {}),
      },
    },
    z.object({ customerCreate: z.object({ customer: CustomerMatchFields.nullish(), userErrors: UserErrors }) }),
  );
  const { customer, userErrors } = data.customerCreate;
  if (userErrors.length || !customer)
    return {
      ok: false,
      userErrors: userErrors.length ? userErrors : [{ field: null, message: "Shopify returned no customer" }],
    };
  return { ok: true, customer };
}

// ─── products ────────────────────────────────────────────────────────────────────────────────────

export type ProductMatch = {
  id: string;
  title: string;
  handle: string;
  imageUrl: string | null;
  imageAlt: string | null;
  price: { amount: string; currencyCode: string };
  /** The product page on the storefront (primary domain), for a text message. */
  url: string;
};

const PRODUCT_SEARCH_QUERY = /* GraphQL */ `
  query ParleyProductSearch($query: String) {
    shop {
      myshopifyDomain
      currencyCode
      primaryDomain {
        host
      }
    }
    products(first: 10, query: $query, sortKey: RELEVANCE) {
      nodes {
        id
        title
        handle
        featuredImage {
          altText
          url(transform: { maxWidth: 120, maxHeight: 120 })
        }
        priceRangeV2 {
          minVariantPrice {
            amount
            currencyCode
          }
        }
      }
    }
  }
`;

/** A product's page on the storefront (primary domain), for a text message. */
export const productUrl = (domain: string, handle: string) =>
  `https://${domain}/products/${encodeURIComponent(handle)}`;

/** A collection's page on the storefront (primary domain). */
export const collectionUrl = (domain: string, handle: string) =>
  `https://${domain}/collections/${encodeURIComponent(handle)}`;

/** Active products matching `query` (title words), first 10. */
export async function searchProducts(admin: AdminGraphql, query: string): Promise<ProductMatch[]> {
  const terms = query.trim();
  const data = await run(
    admin,
    PRODUCT_SEARCH_QUERY,
    { query: terms ? `status:active ${terms}` : "status:active" },
    z.object({
      shop: ShopFields,
      products: z.object({
        nodes: z.array(
          z.object({
            id: z.string(),
            title: z.string(),
            handle: z.string(),
            featuredImage: z.object({ altText: nullableString, url: z.string() }).nullish(),
            priceRangeV2: z.object({ minVariantPrice: Money }),
          }),
        ),
      }),
    }),
  );
  const { domain } = shopInfo(data.shop);
  return data.products.nodes.map((p) => ({
    id: p.id,
    title: p.title,
    handle: p.handle,
    imageUrl: p.featuredImage?.url ?? null,
    imageAlt: p.featuredImage?.altText ?? null,
    price: p.priceRangeV2.minVariantPrice,
    url: productUrl(domain, p.handle),
  }));
}

// ─── discount codes ──────────────────────────────────────────────────────────────────────────────

export type CodeDiscountInput = {
  title: string;
  code: string;
  customerGid: string;
  startsAt: Date;
  endsAt: Date;
  minSubtotalCents: number | null;
} & (
  { kind: "PERCENTAGE"; percent: number } | { kind: "FIXED_AMOUNT"; amountCents: number } | { kind: "FREE_SHIPPING" }
);

export type CodeDiscountResult = { ok: true; id: string } | { ok: false; userErrors: ShopifyUserError[] };

const BASIC_CREATE = /* GraphQL */ `
  mutation ParleyDiscountBasicCreate($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

const FREE_SHIPPING_CREATE = /* GraphQL */ `
  mutation ParleyDiscountFreeShippingCreate($discount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

const cents = (n: number) => (n / 100).toFixed(2);

/**
 * A single-use code only this customer can redeem, live from `startsAt` to `endsAt`. API 2025-10 names the buyer
 * restriction `context` (it replaced `customerSelection`).
 */
export async function createCodeDiscount(admin: AdminGraphql, input: CodeDiscountInput): Promise<CodeDiscountResult> {
  const common = {
    title: input.title,
    code: input.code,
    startsAt: input.startsAt.toISOString(),
    endsAt: input.endsAt.toISOString(),
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: { customers: { add: [input.customerGid] } },
    ...(input.minSubtotalCents
      ? { minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: cents(input.minSubtotalCents) } } }
      : {}),
  };
  const Payload = z.object({ codeDiscountNode: z.object({ id: z.string() }).nullish(), userErrors: UserErrors });
  let payload: z.infer<typeof Payload>;
  if (input.kind === "FREE_SHIPPING") {
    const data = await run(
      admin,
      FREE_SHIPPING_CREATE,
      { discount: { ...common, destination: { all: true } } },
      z.object({ discountCodeFreeShippingCreate: Payload }),
    );
    payload = data.discountCodeFreeShippingCreate;
  } else {
    const value =
      input.kind === "PERCENTAGE"
        ? { percentage: input.percent / 100 }
        : { discountAmount: { amount: cents(input.amountCents), appliesOnEachItem: false } };
    const data = await run(
      admin,
      BASIC_CREATE,
      { discount: { ...common, customerGets: { value, items: { all: true } } } },
      z.object({ discountCodeBasicCreate: Payload }),
    );
    payload = data.discountCodeBasicCreate;
  }
  if (payload.userErrors.length || !payload.codeDiscountNode) {
    return {
      ok: false,
      userErrors: payload.userErrors.length
        ? payload.userErrors
        : [{ field: null, message: "Shopify created no discount" }],
    };
  }
  return { ok: true, id: payload.codeDiscountNode.id };
}

/** userErrors that mean "this code exists already": the caller may retry with a fresh code. */
export function codeIsTaken(userErrors: ShopifyUserError[]): boolean {
  return userErrors.some((e) => e.code === "TAKEN" && e.field?.includes("code"));
}
