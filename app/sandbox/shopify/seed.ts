import { addDays, addMinutes } from "./format";
import { createPrng, type Prng } from "./prng";
import {
  CARRIERS,
  CATALOG,
  CUSTOMER_TAGS,
  FIRST_NAMES,
  LAST_NAMES,
  LOCALES,
  SEEDED_COLLECTIONS,
  SEEDED_DISCOUNTS,
  STREETS,
  type CatalogProduct,
} from "./seed-catalog";
import type {
  AddressRecord,
  CheckoutRecord,
  CollectionRecord,
  CustomerRecord,
  DiscountRecord,
  FinancialStatus,
  FulfillmentRecord,
  IdSequences,
  LineItemRecord,
  OrderRecord,
  ProductRecord,
  ShopRecord,
  SmsConsentRecord,
  StoreState,
  VariantRecord,
} from "./types";

// The seeded store: the same PRNG seed and the same `now` give byte-identical state. Dates are relative to `now`
// so that "in transit" and "abandoned an hour ago" stay true whenever the store is (re)seeded.

export const SEED_VERSION = 2; // 2: collections
export const DEFAULT_SHOP_DOMAIN = "parley-demo.myshopify.com";
const DEFAULT_SEED = 20_251_001;

export interface SeedOptions {
  now: Date;
  shopDomain?: string;
  seed?: number;
}

const iso = (date: Date) => date.toISOString();

/** Generous id bases, so new records look like Shopify's 13–14 digit ids. */
const ID_BASE = {
  customer: 7_412_345_600_001,
  address: 9_012_345_600_001,
  order: 5_923_456_700_001,
  orderNumber: 1001,
  lineItem: 14_123_456_700_001,
  fulfillment: 5_234_567_800_001,
  checkout: 35_012_345_600_001,
  discount: 1_234_567_890_001,
  redeemCode: 17_234_567_890_001,
  product: 8_912_345_600_001,
  collection: 482_345_600_001,
  variant: 45_123_456_700_001,
  inventoryItem: 47_234_567_800_001,
} satisfies IdSequences;

export function seedStore(options: SeedOptions): StoreState {
  const prng = createPrng(options.seed ?? DEFAULT_SEED);
  const now = options.now;
  const seq: IdSequences = { ...ID_BASE };
  const take = (key: keyof IdSequences) => seq[key]++;

  const shop = seedShop(options.shopDomain ?? DEFAULT_SHOP_DOMAIN, now);
  const products = CATALOG.map((entry) => seedProduct(entry, prng, now, take));
  const customers = seedCustomers(prng, now, take);
  const orders = seedOrders(prng, now, customers, products, take);
  const checkouts = seedCheckouts(prng, now, customers, products, orders, take);
  // Recovered checkouts added orders last; Shopify numbers orders in the order they were placed.
  orders.sort((a, b) => a.processedAt.localeCompare(b.processedAt));
  orders.forEach((order, index) => (order.number = ID_BASE.orderNumber + index));
  const discounts = seedDiscounts(now, orders, take);
  // Last, and without the PRNG: the collections leave every other record as it was before there were any.
  const collections = seedCollections(now, products, take);

  return {
    version: SEED_VERSION,
    seededAt: iso(now),
    shop,
    products,
    collections,
    customers,
    orders,
    checkouts,
    discounts,
    accessTokens: [],
    sequences: seq,
  };
}

function seedShop(domain: string, now: Date): ShopRecord {
  return {
    id: 71_023_456_789,
    name: "Acme Outfitters",
    email: "owner@acme-outfitters.example",
    myshopifyDomain: domain,
    primaryDomainUrl: `https://${domain}`,
    currencyCode: "USD",
    ianaTimezone: "America/New_York",
    shopOwner: "Dana Whitfield",
    phone: "+12125550100",
    address1: "120 Hudson St",
    city: "New York",
    province: "New York",
    provinceCode: "NY",
    zip: "10013",
    countryCode: "US",
    locationId: 68_123_456_789,
    createdAt: iso(addDays(now, -420)),
  };
}

export function handleize(title: string): string {
  return title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function abbreviate(text: string, length: number): string {
  return text
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, length)
    .toUpperCase();
}

function combinations(options: CatalogProduct["options"]): string[][] {
  return options.reduce<string[][]>(
    (acc, option) => acc.flatMap((prefix) => option.values.map((value) => [...prefix, value])),
    [[]],
  );
}

function seedProduct(
  entry: CatalogProduct,
  prng: Prng,
  now: Date,
  take: (key: keyof IdSequences) => number,
): ProductRecord {
  const id = take("product");
  const createdAt = addDays(now, -prng.int(120, 400));
  const initials = entry.title
    .split(/\s+/)
    .map((word) => word[0])
    .join("")
    .replace(/[^A-Za-z]/g, "")
    .toUpperCase();
  const combos = entry.options.length ? combinations(entry.options) : [[]];
  const variants: VariantRecord[] = combos.map((values, index) => {
    const stock =
      entry.stock === "out" ? 0 : entry.stock === "low" ? (prng.chance(0.35) ? 0 : prng.int(1, 9)) : prng.int(6, 40);
    return {
      id: take("variant"),
      inventoryItemId: take("inventoryItem"),
      title: values.length ? values.join(" / ") : "Default Title",
      priceCents: entry.priceCents,
      compareAtPriceCents: entry.compareAtPriceCents ?? null,
      sku: ["AO", initials, ...values.map((v) => abbreviate(v, 3))].join("-"),
      barcode: String(prng.int(100_000, 999_999)) + String(prng.int(100_000, 999_999)),
      inventoryQuantity: stock,
      options: values,
      position: index + 1,
      createdAt: iso(createdAt),
      updatedAt: iso(createdAt),
    };
  });
  // A "low" product always has at least one empty variant, so back-in-stock has something to restock.
  if (entry.stock === "low" && variants.every((v) => v.inventoryQuantity > 0))
    variants[variants.length - 1].inventoryQuantity = 0;
  return {
    id,
    title: entry.title,
    handle: handleize(entry.title),
    vendor: entry.vendor,
    productType: entry.productType,
    description: entry.description,
    tags: entry.tags,
    status: "ACTIVE",
    imageColor: entry.imageColor,
    imageId: 39_000_000_000_000 + (id % 1_000_000),
    createdAt: iso(createdAt),
    updatedAt: iso(createdAt),
    publishedAt: iso(createdAt),
    options: entry.options.length ? entry.options : [{ name: "Title", values: ["Default Title"] }],
    variants,
  };
}

function seedCollections(
  now: Date,
  products: ProductRecord[],
  take: (key: keyof IdSequences) => number,
): CollectionRecord[] {
  return SEEDED_COLLECTIONS.map((spec) => ({
    id: take("collection"),
    title: spec.title,
    handle: handleize(spec.title),
    description: spec.description,
    productIds: spec.products.map((title) => {
      const product = products.find((p) => p.title === title);
      if (!product) throw new Error(`Collection ${spec.title}: no product ${title} in the catalogue`);
      return product.id;
    }),
    updatedAt: iso(addDays(now, -30)),
  }));
}

/** Customers without a phone: consent updates must fail for them, as on Shopify. */
const NO_PHONE = new Set([7, 19, 33, 44]);

function seedConsent(prng: Prng, now: Date, index: number): SmsConsentRecord {
  // The first customers are fixed so that demos and tests can rely on them; the rest are a weighted mix.
  const fixed: Record<number, SmsConsentRecord["marketingState"]> = {
    0: "SUBSCRIBED",
    1: "SUBSCRIBED",
    2: "NOT_SUBSCRIBED",
    3: "UNSUBSCRIBED",
    4: "PENDING",
  };
  const roll = prng.next();
  const state =
    fixed[index] ??
    (roll < 0.5 ? "SUBSCRIBED" : roll < 0.75 ? "NOT_SUBSCRIBED" : roll < 0.88 ? "UNSUBSCRIBED" : "PENDING");
  const when = iso(addDays(now, -prng.int(3, 300)));
  switch (state) {
    case "SUBSCRIBED":
      return {
        marketingState: state,
        marketingOptInLevel: prng.chance(0.7) ? "SINGLE_OPT_IN" : "CONFIRMED_OPT_IN",
        consentUpdatedAt: when,
        consentCollectedFrom: prng.chance(0.7) ? "SHOPIFY" : "OTHER",
      };
    case "UNSUBSCRIBED":
      return {
        marketingState: state,
        marketingOptInLevel: "SINGLE_OPT_IN",
        consentUpdatedAt: when,
        consentCollectedFrom: "OTHER",
      };
    case "PENDING":
      return {
        marketingState: state,
        marketingOptInLevel: "CONFIRMED_OPT_IN",
        consentUpdatedAt: when,
        consentCollectedFrom: "SHOPIFY",
      };
    default:
      return {
        marketingState: "NOT_SUBSCRIBED",
        marketingOptInLevel: "SINGLE_OPT_IN",
        consentUpdatedAt: null,
        consentCollectedFrom: null,
      };
  }
}

function seedCustomers(prng: Prng, now: Date, take: (key: keyof IdSequences) => number): CustomerRecord[] {
  const usedSubscribers = new Map<string, Set<number>>();
  const domains = ["example.com", "example.net", "example.org"];
  return FIRST_NAMES.map((firstName, index) => {
    const lastName = LAST_NAMES[index];
    const locale = LOCALES[index % LOCALES.length];
    const used = usedSubscribers.get(locale.areaCode) ?? new Set<number>();
    usedSubscribers.set(locale.areaCode, used);
    let subscriber = prng.int(0, 99);
    while (used.has(subscriber)) subscriber = (subscriber + 1) % 100;
    used.add(subscriber);
    const phone = NO_PHONE.has(index) ? null : `+1${locale.areaCode}55501${String(subscriber).padStart(2, "0")}`;
    const createdAt = addDays(now, -prng.int(60, 700));
    const emailLocal = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, "");
    const tags = prng.shuffle(CUSTOMER_TAGS).slice(0, prng.int(0, 2)).sort();
    const address: AddressRecord = {
      id: take("address"),
      firstName,
      lastName,
      address1: `${prng.int(10, 9899)} ${prng.pick(STREETS)}`,
      address2: prng.chance(0.2) ? `Apt ${prng.int(1, 40)}` : null,
      city: locale.city,
      province: locale.province,
      provinceCode: locale.provinceCode,
      country: "United States",
      countryCode: "US",
      zip: locale.zip,
      phone,
    };
    const consent = seedConsent(prng, now, index);
    return {
      id: take("customer"),
      firstName,
      lastName,
      email: `${emailLocal}@${domains[index % domains.length]}`,
      phone,
      tags,
      note: null,
      locale: "en",
      createdAt: iso(createdAt),
      updatedAt: iso(addDays(createdAt, prng.int(0, 30))),
      smsConsent: phone ? consent : null,
      emailMarketingState: prng.chance(0.4) ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
      address,
    };
  });
}

export function pickLineItems(
  prng: Prng,
  products: ProductRecord[],
  take: (key: keyof IdSequences) => number,
  count: number,
  inStockOnly: boolean,
): LineItemRecord[] {
  const chosen = new Set<number>();
  const items: LineItemRecord[] = [];
  for (let guard = 0; items.length < count && guard < 200; guard++) {
    const product = prng.pick(products);
    const variant = prng.pick(product.variants);
    if (chosen.has(variant.id) || (inStockOnly && variant.inventoryQuantity <= 0)) continue;
    chosen.add(variant.id);
    items.push({
      id: take("lineItem"),
      productId: product.id,
      variantId: variant.id,
      title: product.title,
      variantTitle: variant.title === "Default Title" ? null : variant.title,
      sku: variant.sku,
      vendor: product.vendor,
      quantity: prng.chance(0.8) ? 1 : 2,
      priceCents: variant.priceCents,
    });
  }
  return items;
}

export function makeFulfillment(
  prng: Prng,
  input: { id: number; sequence: number; shippedAt: Date; lineItemIds: number[] },
): FulfillmentRecord {
  const carrier = prng.pick(CARRIERS);
  const digits = Array.from({ length: 22 }, () => prng.int(0, 9)).join("");
  const number = carrier.trackingNumber(prng.hex(16), digits);
  return {
    id: input.id,
    sequence: input.sequence,
    status: "SUCCESS",
    shipmentStatus: "confirmed",
    trackingCompany: carrier.company,
    trackingNumber: number,
    trackingUrl: carrier.trackingUrl(number),
    lineItemIds: input.lineItemIds,
    createdAt: iso(input.shippedAt),
    updatedAt: iso(input.shippedAt),
    inTransitAt: null,
    estimatedDeliveryAt: null,
    deliveredAt: null,
  };
}

/** Advances a fulfilment along its shipment, filling the dates Shopify fills at each carrier update. */
function progressFulfillment(
  f: FulfillmentRecord,
  stage: "confirmed" | "in_transit" | "out_for_delivery" | "delivered",
  shippedAt: Date,
  now: Date,
  prng: Prng,
) {
  if (stage === "confirmed") {
    f.estimatedDeliveryAt = iso(addDays(now, prng.int(3, 5)));
    return;
  }
  const inTransit = addMinutes(shippedAt, prng.int(6 * 60, 30 * 60));
  f.inTransitAt = iso(inTransit);
  f.shipmentStatus = stage;
  if (stage === "delivered") {
    const delivered = addDays(inTransit, prng.int(2, 5));
    f.estimatedDeliveryAt = iso(delivered);
    f.deliveredAt = iso(delivered);
    f.updatedAt = iso(delivered);
  } else {
    f.estimatedDeliveryAt = iso(addDays(now, stage === "out_for_delivery" ? 0 : prng.int(1, 3)));
    f.updatedAt = iso(inTransit);
  }
}

export function orderTotals(lineItems: LineItemRecord[], discountCents: number) {
  const subtotal = lineItems.reduce((sum, li) => sum + li.priceCents * li.quantity, 0);
  const shipping = subtotal - discountCents >= 7500 ? 0 : 800;
  const tax = Math.round((subtotal - discountCents) * 0.07);
  return { subtotal, shipping, tax };
}

function seedOrders(
  prng: Prng,
  now: Date,
  customers: CustomerRecord[],
  products: ProductRecord[],
  take: (key: keyof IdSequences) => number,
): OrderRecord[] {
  // Draw each customer's order dates first, then number orders in time order, as Shopify would have.
  const drafts: Array<{ customer: CustomerRecord; processedAt: Date }> = [];
  customers.forEach((customer, index) => {
    const roll = prng.next();
    // The first customers always have a recent order so demos can ask "where is my order?".
    const count = index < 3 ? 2 : roll < 0.2 ? 0 : roll < 0.55 ? 1 : roll < 0.8 ? 2 : roll < 0.92 ? 3 : 4;
    for (let n = 0; n < count; n++) {
      const recent = (index < 3 && n === 0) || prng.chance(0.3);
      const ageMinutes = recent ? prng.int(60, 10 * 24 * 60) : prng.int(11 * 24 * 60, 400 * 24 * 60);
      const processedAt = addMinutes(now, -ageMinutes);
      if (processedAt < new Date(customer.createdAt)) continue;
      drafts.push({ customer, processedAt });
    }
  });
  drafts.sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime());

  const firstOrderSeen = new Set<number>();
  return drafts.map(({ customer, processedAt }) => {
    const lineItems = pickLineItems(prng, products, take, prng.int(1, 3), false);
    const isFirst = !firstOrderSeen.has(customer.id);
    firstOrderSeen.add(customer.id);
    const discountSpec =
      isFirst && prng.chance(0.3) ? SEEDED_DISCOUNTS[0] : prng.chance(0.08) ? SEEDED_DISCOUNTS[1] : null;
    const gross = lineItems.reduce((sum, li) => sum + li.priceCents * li.quantity, 0);
    const discountCents = discountSpec ? Math.round(gross * discountSpec.percentage) : 0;
    const totals = orderTotals(lineItems, discountCents);
    const ageDays = (now.getTime() - processedAt.getTime()) / 86_400_000;
    const roll = prng.next();
    const financialStatus: FinancialStatus =
      ageDays > 20 && roll < 0.04
        ? "REFUNDED"
        : ageDays > 20 && roll < 0.08
          ? "PARTIALLY_REFUNDED"
          : ageDays < 2 && roll < 0.1
            ? "PENDING"
            : "PAID";
    const order: OrderRecord = {
      id: take("order"),
      number: take("orderNumber"),
      token: prng.hex(32),
      customerId: customer.id,
      email: customer.email,
      phone: customer.phone,
      createdAt: iso(processedAt),
      processedAt: iso(processedAt),
      updatedAt: iso(processedAt),
      cancelledAt: financialStatus === "REFUNDED" ? iso(addDays(processedAt, 1)) : null,
      closedAt: null,
      financialStatus,
      lineItems,
      discountCodes: discountSpec ? [{ code: discountSpec.code, amountCents: discountCents, type: "percentage" }] : [],
      shippingCents: totals.shipping,
      taxCents: totals.tax,
      shippingAddress: customer.address,
      fulfillments: [],
      tags: [],
      note: null,
      checkoutId: null,
      checkoutToken: null,
      sourceName: "web",
    };
    if (financialStatus !== "REFUNDED" && financialStatus !== "PENDING")
      fulfillSeededOrder(order, prng, now, processedAt, ageDays, take);
    return order;
  });
}

function fulfillSeededOrder(
  order: OrderRecord,
  prng: Prng,
  now: Date,
  processedAt: Date,
  ageDays: number,
  take: (key: keyof IdSequences) => number,
) {
  if (ageDays < 1.5 && prng.chance(0.6)) return; // still being packed
  const shippedAt = addMinutes(processedAt, prng.int(2 * 60, 20 * 60));
  if (shippedAt > now) return;
  const fulfillment = makeFulfillment(prng, {
    id: take("fulfillment"),
    sequence: 1,
    shippedAt,
    lineItemIds: order.lineItems.map((li) => li.id),
  });
  const stage =
    ageDays > 9
      ? "delivered"
      : ageDays > 6
        ? prng.chance(0.5)
          ? "delivered"
          : "out_for_delivery"
        : ageDays > 2
          ? "in_transit"
          : "confirmed";
  progressFulfillment(fulfillment, stage, shippedAt, now, prng);
  order.fulfillments.push(fulfillment);
  order.updatedAt = fulfillment.updatedAt;
  if (stage === "delivered" && ageDays > 30) order.closedAt = fulfillment.deliveredAt;
}

function seedCheckouts(
  prng: Prng,
  now: Date,
  customers: CustomerRecord[],
  products: ProductRecord[],
  orders: OrderRecord[],
  take: (key: keyof IdSequences) => number,
): CheckoutRecord[] {
  const withPhone = customers.filter((c) => c.phone);
  const subscribed = withPhone.filter((c) => c.smsConsent?.marketingState === "SUBSCRIBED");
  const others = withPhone.filter((c) => c.smsConsent?.marketingState !== "SUBSCRIBED");
  // Mostly subscribers (the recovery flow can text them), some who cannot be texted, and one guest.
  const buyers: Array<CustomerRecord | null> = [...subscribed.slice(0, 6), ...others.slice(0, 3), null];
  return buyers.map((customer, index) => {
    const createdAt = addMinutes(now, -(index < 3 ? prng.int(45, 180) : prng.int(240, 6 * 24 * 60)));
    const recovered = index === 4 || index === 7;
    const lineItems = pickLineItems(prng, products, take, prng.int(1, 3), true);
    const checkout: CheckoutRecord = {
      id: take("checkout"),
      token: prng.hex(32),
      cartToken: `hWN${prng.hex(21)}`,
      recoveryKey: prng.hex(32),
      customerId: customer?.id ?? null,
      email: customer?.email ?? "guest.shopper@example.com",
      phone: customer?.phone ?? null,
      buyerAcceptsSmsMarketing: customer?.smsConsent?.marketingState === "SUBSCRIBED",
      createdAt: iso(createdAt),
      updatedAt: iso(addMinutes(createdAt, prng.int(1, 20))),
      completedAt: null,
      lineItems,
      discountCodes: [],
      shippingAddress: customer?.address ?? null,
      orderId: null,
    };
    if (recovered && customer) {
      const completedAt = addMinutes(createdAt, prng.int(30, 240));
      const totals = orderTotals(lineItems, 0);
      const order: OrderRecord = {
        id: take("order"),
        number: take("orderNumber"),
        token: prng.hex(32),
        customerId: customer.id,
        email: customer.email,
        phone: customer.phone,
        createdAt: iso(completedAt),
        processedAt: iso(completedAt),
        updatedAt: iso(completedAt),
        cancelledAt: null,
        closedAt: null,
        financialStatus: "PAID",
        lineItems: lineItems.map((li) => ({ ...li, id: take("lineItem") })),
        discountCodes: [],
        shippingCents: totals.shipping,
        taxCents: totals.tax,
        shippingAddress: customer.address,
        fulfillments: [],
        tags: [],
        note: null,
        checkoutId: checkout.id,
        checkoutToken: checkout.token,
        sourceName: "web",
      };
      orders.push(order);
      checkout.completedAt = iso(completedAt);
      checkout.updatedAt = iso(completedAt);
      checkout.orderId = order.id;
    }
    return checkout;
  });
}

function seedDiscounts(now: Date, orders: OrderRecord[], take: (key: keyof IdSequences) => number): DiscountRecord[] {
  const created = iso(addDays(now, -400));
  const seeded: DiscountRecord[] = SEEDED_DISCOUNTS.map((spec) => ({
    id: take("discount"),
    redeemCodeId: take("redeemCode"),
    kind: "basic",
    title: spec.title,
    code: spec.code,
    startsAt: created,
    endsAt: null,
    usageLimit: null,
    appliesOncePerCustomer: spec.code === "WELCOME10",
    customerIds: null,
    value: { type: "percentage", percentage: spec.percentage },
    minimumSubtotalCents: null,
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
    usageCount: orders.filter((o) => o.discountCodes.some((d) => d.code === spec.code)).length,
    createdAt: created,
    updatedAt: created,
  }));
  seeded.push({
    id: take("discount"),
    redeemCodeId: take("redeemCode"),
    kind: "free_shipping",
    title: "Summer free shipping",
    code: "SUMMERSHIP",
    startsAt: iso(addDays(now, -150)),
    endsAt: iso(addDays(now, -60)),
    usageLimit: null,
    appliesOncePerCustomer: false,
    customerIds: null,
    value: { type: "free_shipping", maximumShippingPriceCents: null },
    minimumSubtotalCents: 5000,
    combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false },
    usageCount: 0,
    createdAt: iso(addDays(now, -150)),
    updatedAt: iso(addDays(now, -150)),
  });
  return seeded;
}
