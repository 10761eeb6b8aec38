import {
  defineResolvers,
  money,
  moneyBag,
  type AdminContext,
  type DiscountSource,
  type FulfillmentSource,
  type ImageSource,
  type ResolverMap,
  type TypeResolvers,
  type VariantSource,
} from "./admin-context";
import { connection, firstOf, type ConnectionArgs } from "./connection";
import { discountStatus, discountSummary } from "./discount-math";
import { idArgument, toGid } from "./ids";
import { abandonedCheckoutUrl, orderStatusUrl } from "./store-urls";
import {
  checkoutAmounts,
  customerTotals,
  fulfillmentDisplayStatus,
  lineItemsGross,
  orderAmounts,
  orderFulfillmentStatus,
} from "./order-math";
import { filterCollections, filterOrders, sortCollections, sortOrders, type OrderSortKey } from "./admin-search";
import type {
  AddressRecord,
  CheckoutRecord,
  CollectionRecord,
  CustomerRecord,
  DiscountRecord,
  LineItemRecord,
  OrderRecord,
  ProductRecord,
  ShopRecord,
} from "./types";

// Field resolvers for the object types: they turn store records into Shopify's GraphQL shapes. Fields whose name
// and value match the record (firstName, email, tags…) need no resolver: graphql-js reads the property.

const legacyId = (source: { id: number }) => String(source.id);

// Products and collections describe themselves alike: plain text, truncated on request, and as HTML.
const description = (source: { description: string }, args: { truncateAt?: number | null }) =>
  args.truncateAt && source.description.length > args.truncateAt
    ? `${source.description.slice(0, args.truncateAt)}…`
    : source.description;
const descriptionHtml = (source: { description: string }) =>
  `<p>${source.description.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</p>`;

type CollectionSearchArgs = ConnectionArgs & { sortKey: string; query?: string | null };

/** QueryRoot.collections and Product.collections: Shopify's search, sort keys and paging over a list of them. */
export function collectionConnection(collections: readonly CollectionRecord[], args: CollectionSearchArgs) {
  return connection(sortCollections(filterCollections(collections, args.query), args.sortKey), args, (c) => c.id);
}

const productCollectionOrder: Record<string, (a: ProductRecord, b: ProductRecord) => number> = {
  TITLE: (a, b) => a.title.localeCompare(b.title),
  CREATED: (a, b) => a.createdAt.localeCompare(b.createdAt),
  ID: (a, b) => a.id - b.id,
  PRICE: (a, b) => Math.min(...a.variants.map((v) => v.priceCents)) - Math.min(...b.variants.map((v) => v.priceCents)),
};

function productImage(product: ProductRecord, context: AdminContext): ImageSource {
  return {
    id: toGid("ProductImage", product.imageId),
    altText: product.title,
    width: 1200,
    height: 1200,
    src: `${context.imageBaseUrl}/${product.handle}.svg`,
  };
}

function variantSource(context: AdminContext, variantId: number): VariantSource | null {
  return context.store.variant(variantId) ?? null;
}

function timeZoneParts(timeZone: string, at: Date) {
  const name = (style: "short" | "longOffset") =>
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const offset = name("longOffset").replace("GMT", "") || "+00:00";
  const sign = offset.startsWith("-") ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(":").map(Number);
  return {
    abbreviation: name("short"),
    offset: offset.replace(":", ""),
    offsetMinutes: sign * (hours * 60 + (minutes || 0)),
  };
}

const Shop = defineResolvers<ShopRecord>({
  id: (shop) => toGid("Shop", shop.id),
  contactEmail: (shop) => shop.email,
  url: (shop) => shop.primaryDomainUrl,
  timezoneAbbreviation: (shop, _args, context) => timeZoneParts(shop.ianaTimezone, context.now).abbreviation,
  timezoneOffset: (shop, _args, context) => timeZoneParts(shop.ianaTimezone, context.now).offset,
  timezoneOffsetMinutes: (shop, _args, context) => timeZoneParts(shop.ianaTimezone, context.now).offsetMinutes,
  primaryDomain: (shop) => ({
    id: toGid("Domain", shop.id + 1),
    host: new URL(shop.primaryDomainUrl).host,
    url: shop.primaryDomainUrl,
    sslEnabled: true,
  }),
  plan: () => ({
    displayName: "Developer Preview",
    publicDisplayName: "Development",
    partnerDevelopment: true,
    shopifyPlus: false,
  }),
  billingAddress: (shop) => ({
    id: toGid("MailingAddress", shop.id),
    address1: shop.address1,
    address2: null,
    city: shop.city,
    province: shop.province,
    provinceCode: shop.provinceCode,
    country: "United States",
    countryCodeV2: shop.countryCode,
    zip: shop.zip,
    phone: shop.phone,
    company: shop.name,
  }),
  shopOwnerName: (shop) => shop.shopOwner,
  updatedAt: (shop) => shop.createdAt,
});

const Customer = defineResolvers<CustomerRecord>({
  id: (c) => toGid("Customer", c.id),
  legacyResourceId: legacyId,
  displayName: (c) => `${c.firstName} ${c.lastName}`.trim() || c.email || c.phone || "",
  state: () => "DISABLED",
  verifiedEmail: (c) => c.email !== null,
  numberOfOrders: (c, _args, context) => String(customerTotals(context.store.ordersOf(c.id)).numberOfOrders),
  amountSpent: (c, _args, context) => money(customerTotals(context.store.ordersOf(c.id)).amountSpentCents),
  defaultPhoneNumber: (c) =>
    c.phone && c.smsConsent
      ? {
          phoneNumber: c.phone,
          marketingState: c.smsConsent.marketingState,
          marketingOptInLevel: c.smsConsent.marketingOptInLevel,
          marketingUpdatedAt: c.smsConsent.consentUpdatedAt,
          marketingCollectedFrom: c.smsConsent.consentCollectedFrom,
        }
      : null,
  defaultEmailAddress: (c) =>
    c.email
      ? {
          emailAddress: c.email,
          marketingState: c.emailMarketingState,
          marketingOptInLevel: "SINGLE_OPT_IN",
          marketingUpdatedAt: null,
        }
      : null,
  smsMarketingConsent: (c) => c.smsConsent,
  emailMarketingConsent: (c) =>
    c.email
      ? { marketingState: c.emailMarketingState, marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: null }
      : null,
  defaultAddress: (c) => c.address,
  addresses: (c, args: { first?: number | null }) => firstOf(c.address ? [c.address] : [], args.first),
  orders: (c, args: ConnectionArgs & { sortKey: OrderSortKey; query?: string | null }, context) => {
    const orders = filterOrders(context.store.ordersOf(c.id), args.query, context);
    return connection(sortOrders(orders, args.sortKey, context), args, (o) => o.id);
  },
  lastOrder: (c, _args, context) =>
    [...context.store.ordersOf(c.id)].sort((a, b) => b.processedAt.localeCompare(a.processedAt))[0] ?? null,
});

const MailingAddress = defineResolvers<AddressRecord>({
  id: (a) => `${toGid("MailingAddress", a.id)}?model_name=CustomerAddress`,
  countryCodeV2: (a) => a.countryCode,
  name: (a) => `${a.firstName} ${a.lastName}`.trim(),
  company: () => null,
  formatted: (a, args: { withName: boolean }) =>
    [
      ...(args.withName ? [`${a.firstName} ${a.lastName}`.trim()] : []),
      a.address1,
      ...(a.address2 ? [a.address2] : []),
      `${a.city} ${a.provinceCode} ${a.zip}`,
      a.country,
    ].filter(Boolean),
  formattedArea: (a) => `${a.city} ${a.provinceCode}, ${a.country}`,
});

const Product = defineResolvers<ProductRecord>({
  id: (p) => toGid("Product", p.id),
  legacyResourceId: legacyId,
  description,
  descriptionHtml,
  onlineStoreUrl: (p, _args, context) =>
    p.status === "ACTIVE" && p.publishedAt ? `${context.store.shop.primaryDomainUrl}/products/${p.handle}` : null,
  onlineStorePreviewUrl: (p, _args, context) => `${context.store.shop.primaryDomainUrl}/products/${p.handle}`,
  totalInventory: (p) => p.variants.reduce((sum, v) => sum + v.inventoryQuantity, 0),
  tracksInventory: () => true,
  hasOnlyDefaultVariant: (p) => p.variants.length === 1 && p.variants[0].title === "Default Title",
  hasOutOfStockVariants: (p) => p.variants.some((v) => v.inventoryQuantity <= 0),
  featuredImage: (p, _args, context) => productImage(p, context),
  options: (p, args: { first?: number | null }) =>
    firstOf(
      p.options.map((o, i) => ({
        id: toGid("ProductOption", p.id * 10 + i + 1),
        name: o.name,
        position: i + 1,
        values: o.values,
      })),
      args.first,
    ),
  priceRangeV2: (p) => {
    const prices = p.variants.map((v) => v.priceCents);
    return { minVariantPrice: money(Math.min(...prices)), maxVariantPrice: money(Math.max(...prices)) };
  },
  variants: (p, args: ConnectionArgs & { sortKey: string }) => {
    const key = args.sortKey;
    const sorted = [...p.variants].sort((a, b) =>
      key === "SKU"
        ? a.sku.localeCompare(b.sku)
        : key === "TITLE" || key === "FULL_TITLE" || key === "NAME"
          ? a.title.localeCompare(b.title)
          : key === "INVENTORY_QUANTITY" || key === "INVENTORY_LEVELS_AVAILABLE"
            ? a.inventoryQuantity - b.inventoryQuantity
            : key === "ID"
              ? a.id - b.id
              : a.position - b.position,
    );
    return connection(
      sorted.map((variant) => ({ product: p, variant })),
      args,
      (s) => s.variant.id,
    );
  },
  variantsCount: (p) => ({ count: p.variants.length, precision: "EXACT" }),
  collections: (p, args: CollectionSearchArgs, context) =>
    collectionConnection(context.store.collectionsOf(p.id), args),
  inCollection: (p, args: { id: string }, context) => {
    const id = idArgument(args.id, "Collection");
    return id !== null && !!context.store.collection(id)?.productIds.includes(p.id);
  },
});

const Collection = defineResolvers<CollectionRecord>({
  id: (c) => toGid("Collection", c.id),
  legacyResourceId: legacyId,
  description,
  descriptionHtml,
  productsCount: (c, _args, context) => ({ count: context.store.productsIn(c).length, precision: "EXACT" }),
  hasProduct: (c, args: { id: string }) => {
    const id = idArgument(args.id, "Product");
    return id !== null && c.productIds.includes(id);
  },
  // Every status: the Admin API lists a collection's drafts too (the storefront would not).
  products: (c, args: ConnectionArgs & { sortKey: string }, context) => {
    const inOrder = context.store.productsIn(c);
    const compare = productCollectionOrder[args.sortKey];
    return connection(compare ? [...inOrder].sort(compare) : inOrder, args, (p) => p.id);
  },
});

const ProductVariant = defineResolvers<VariantSource>({
  id: (s) => toGid("ProductVariant", s.variant.id),
  legacyResourceId: (s) => String(s.variant.id),
  title: (s) => s.variant.title,
  displayName: (s) => `${s.product.title} - ${s.variant.title}`,
  price: (s) => money(s.variant.priceCents).amount,
  compareAtPrice: (s) => (s.variant.compareAtPriceCents === null ? null : money(s.variant.compareAtPriceCents).amount),
  sku: (s) => s.variant.sku,
  barcode: (s) => s.variant.barcode,
  inventoryQuantity: (s) => s.variant.inventoryQuantity,
  availableForSale: (s) => s.product.status === "ACTIVE" && s.variant.inventoryQuantity > 0,
  inventoryPolicy: () => "DENY",
  selectedOptions: (s) =>
    s.product.options.map((o, i) => ({ name: o.name, value: s.variant.options[i] ?? "Default Title" })),
  image: (s, _args, context) => productImage(s.product, context),
  inventoryItem: (s) => ({
    id: toGid("InventoryItem", s.variant.inventoryItemId),
    sku: s.variant.sku,
    tracked: true,
    requiresShipping: true,
  }),
  position: (s) => s.variant.position,
  createdAt: (s) => s.variant.createdAt,
  updatedAt: (s) => s.variant.updatedAt,
});

const Image = defineResolvers<ImageSource>({
  url: (image) => image.src,
});

const Order = defineResolvers<OrderRecord>({
  id: (o) => toGid("Order", o.id),
  legacyResourceId: legacyId,
  name: (o) => `#${o.number}`,
  confirmationNumber: (o) => o.token.slice(0, 9).toUpperCase(),
  closed: (o) => o.closedAt !== null,
  displayFinancialStatus: (o) => o.financialStatus,
  displayFulfillmentStatus: (o) => orderFulfillmentStatus(o),
  fullyPaid: (o) => o.financialStatus === "PAID" || o.financialStatus.endsWith("REFUNDED"),
  currencyCode: () => "USD",
  presentmentCurrencyCode: () => "USD",
  totalPriceSet: (o) => moneyBag(orderAmounts(o).total),
  currentTotalPriceSet: (o) => moneyBag(orderAmounts(o).currentTotal),
  subtotalPriceSet: (o) => moneyBag(orderAmounts(o).subtotal),
  totalShippingPriceSet: (o) => moneyBag(o.shippingCents),
  totalTaxSet: (o) => moneyBag(o.taxCents),
  totalDiscountsSet: (o) => moneyBag(orderAmounts(o).totalDiscounts),
  discountCode: (o) => o.discountCodes[0]?.code ?? null,
  discountCodes: (o) => o.discountCodes.map((d) => d.code),
  lineItems: (o, args: ConnectionArgs) => connection(o.lineItems, args, (li) => li.id),
  fulfillments: (o, args: { first?: number | null }) =>
    firstOf(
      o.fulfillments.map((fulfillment) => ({ order: o, fulfillment })),
      args.first,
    ),
  customer: (o, _args, context) => (o.customerId === null ? null : (context.store.customer(o.customerId) ?? null)),
  statusPageUrl: (o, _args, context) => orderStatusUrl(context.store.shop, o),
});

const lineItemFields = {
  id: (li: LineItemRecord) => toGid("LineItem", li.id),
  product: (li: LineItemRecord, _args: never, context: AdminContext) => context.store.product(li.productId) ?? null,
  variant: (li: LineItemRecord, _args: never, context: AdminContext) => variantSource(context, li.variantId),
  image: (li: LineItemRecord, _args: never, context: AdminContext) => {
    const product = context.store.product(li.productId);
    return product ? productImage(product, context) : null;
  },
};

const LineItem = defineResolvers<LineItemRecord>({
  ...lineItemFields,
  name: (li) => (li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title),
  currentQuantity: (li) => li.quantity,
  originalUnitPriceSet: (li) => moneyBag(li.priceCents),
  originalTotalSet: (li) => moneyBag(li.priceCents * li.quantity),
  discountedTotalSet: (li) => moneyBag(li.priceCents * li.quantity),
});

const Fulfillment = defineResolvers<FulfillmentSource>({
  id: (s) => toGid("Fulfillment", s.fulfillment.id),
  legacyResourceId: (s) => String(s.fulfillment.id),
  name: (s) => `#${s.order.number}.${s.fulfillment.sequence}`,
  status: (s) => s.fulfillment.status,
  displayStatus: (s) => fulfillmentDisplayStatus(s.fulfillment),
  createdAt: (s) => s.fulfillment.createdAt,
  updatedAt: (s) => s.fulfillment.updatedAt,
  inTransitAt: (s) => s.fulfillment.inTransitAt,
  estimatedDeliveryAt: (s) => s.fulfillment.estimatedDeliveryAt,
  deliveredAt: (s) => s.fulfillment.deliveredAt,
  trackingInfo: (s, args: { first?: number | null }) =>
    firstOf(
      [
        {
          company: s.fulfillment.trackingCompany,
          number: s.fulfillment.trackingNumber,
          url: s.fulfillment.trackingUrl,
        },
      ],
      args.first,
    ),
  totalQuantity: (s) =>
    s.order.lineItems
      .filter((li) => s.fulfillment.lineItemIds.includes(li.id))
      .reduce((sum, li) => sum + li.quantity, 0),
  order: (s) => s.order,
  fulfillmentLineItems: (s, args: ConnectionArgs) =>
    connection(
      s.order.lineItems
        .filter((li) => s.fulfillment.lineItemIds.includes(li.id))
        .map((li) => ({ id: li.id * 10 + s.fulfillment.sequence, quantity: li.quantity, lineItem: li })),
      args,
      (x) => x.id,
    ),
});

const FulfillmentLineItem = defineResolvers<{ id: number; quantity: number; lineItem: LineItemRecord }>({
  id: (x) => toGid("FulfillmentLineItem", x.id),
});

const AbandonedCheckout = defineResolvers<CheckoutRecord>({
  id: (c) => toGid("AbandonedCheckout", c.id),
  name: (c) => `#${c.id}`,
  abandonedCheckoutUrl: (c, _args, context) => abandonedCheckoutUrl(context.store.shop, c),
  customer: (c, _args, context) => (c.customerId === null ? null : (context.store.customer(c.customerId) ?? null)),
  lineItems: (c, args: ConnectionArgs) => connection(c.lineItems, args, (li) => li.id),
  lineItemsQuantity: (c) => c.lineItems.reduce((sum, li) => sum + li.quantity, 0),
  totalPriceSet: (c) => moneyBag(checkoutAmounts(c).total),
  subtotalPriceSet: (c) => moneyBag(checkoutAmounts(c).subtotal),
  totalTaxSet: (c) => moneyBag(checkoutAmounts(c).tax),
  totalDiscountSet: () => moneyBag(0),
  note: () => null,
  taxesIncluded: () => false,
  billingAddress: (c) => c.shippingAddress,
});

const AbandonedCheckoutLineItem = defineResolvers<LineItemRecord>({
  ...lineItemFields,
  id: (li) => toGid("AbandonedCheckoutLineItem", li.id),
  originalUnitPriceSet: (li) => moneyBag(li.priceCents),
  originalTotalPriceSet: (li) => moneyBag(li.priceCents * li.quantity),
  discountedTotalPriceSet: (li) => moneyBag(li.priceCents * li.quantity),
});

// ---- discounts ---------------------------------------------------------------------------------------------

const DiscountCodeNode = defineResolvers<DiscountRecord>({
  id: (d) => toGid("DiscountCodeNode", d.id),
  codeDiscount: (d): DiscountSource => ({
    __typename: d.kind === "basic" ? "DiscountCodeBasic" : "DiscountCodeFreeShipping",
    discount: d,
  }),
});

const discountFields = defineResolvers<DiscountSource>({
  title: (s) => s.discount.title,
  summary: (s) => discountSummary(s.discount),
  status: (s, _args, context) => discountStatus(s.discount, context.now),
  startsAt: (s) => s.discount.startsAt,
  endsAt: (s) => s.discount.endsAt,
  createdAt: (s) => s.discount.createdAt,
  updatedAt: (s) => s.discount.updatedAt,
  usageLimit: (s) => s.discount.usageLimit,
  appliesOncePerCustomer: (s) => s.discount.appliesOncePerCustomer,
  asyncUsageCount: (s) => s.discount.usageCount,
  codes: (s, args: ConnectionArgs) =>
    connection(
      [
        {
          id: toGid("DiscountRedeemCode", s.discount.redeemCodeId),
          code: s.discount.code,
          asyncUsageCount: s.discount.usageCount,
          key: s.discount.redeemCodeId,
        },
      ],
      args,
      (c) => c.key,
    ),
  codesCount: () => ({ count: 1, precision: "EXACT" }),
  context: (s, _args, context) =>
    s.discount.customerIds
      ? {
          __typename: "DiscountCustomers",
          customers: s.discount.customerIds.map((id) => context.store.customer(id)).filter(Boolean),
        }
      : { __typename: "DiscountBuyerSelectionAll", all: "ALL" },
  customerSelection: (s, _args, context) =>
    s.discount.customerIds
      ? {
          __typename: "DiscountCustomers",
          customers: s.discount.customerIds.map((id) => context.store.customer(id)).filter(Boolean),
        }
      : { __typename: "DiscountCustomerAll", allCustomers: true },
  customerGets: (s) => {
    const value = s.discount.value;
    return {
      value:
        value.type === "percentage"
          ? { __typename: "DiscountPercentage", percentage: value.percentage }
          : value.type === "fixed_amount"
            ? {
                __typename: "DiscountAmount",
                amount: money(value.amountCents),
                appliesOnEachItem: value.appliesOnEachItem,
              }
            : null,
      items: { __typename: "AllDiscountItems", allItems: true },
      appliesOnOneTimePurchase: true,
      appliesOnSubscription: false,
    };
  },
  combinesWith: (s) => s.discount.combinesWith,
  discountClass: (s) => (s.discount.kind === "basic" ? "ORDER" : "SHIPPING"),
  discountClasses: (s) => [s.discount.kind === "basic" ? "ORDER" : "SHIPPING"],
  minimumRequirement: (s) =>
    s.discount.minimumSubtotalCents === null
      ? null
      : { __typename: "DiscountMinimumSubtotal", greaterThanOrEqualToSubtotal: money(s.discount.minimumSubtotalCents) },
  totalSales: (s, _args, context) =>
    money(
      context.store.state.orders
        .filter((o) => o.discountCodes.some((d) => d.code.toLowerCase() === s.discount.code.toLowerCase()))
        .reduce((sum, o) => sum + lineItemsGross(o.lineItems), 0),
    ),
  destinationSelection: () => ({ __typename: "DiscountCountryAll", allCountries: true }),
  maximumShippingPrice: (s) =>
    s.discount.value.type === "free_shipping" && s.discount.value.maximumShippingPriceCents !== null
      ? money(s.discount.value.maximumShippingPriceCents)
      : null,
  appliesOnOneTimePurchase: () => true,
  appliesOnSubscription: () => false,
});

function without<S>(resolvers: TypeResolvers<S>, names: string[]): TypeResolvers<S> {
  return Object.fromEntries(Object.entries(resolvers).filter(([name]) => !names.includes(name)));
}

export const typeResolvers: ResolverMap = {
  Shop,
  Customer,
  MailingAddress,
  Product,
  ProductVariant,
  Collection,
  Image,
  Order,
  LineItem,
  Fulfillment,
  FulfillmentLineItem,
  AbandonedCheckout,
  AbandonedCheckoutLineItem,
  DiscountCodeNode,
  DiscountCodeBasic: without(discountFields, [
    "destinationSelection",
    "maximumShippingPrice",
    "appliesOnOneTimePurchase",
    "appliesOnSubscription",
  ]),
  DiscountCodeFreeShipping: without(discountFields, ["customerGets"]),
};
