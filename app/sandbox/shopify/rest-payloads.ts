import { centsToDecimal, restTime } from "./format";
import { toGid } from "./ids";
import { checkoutAmounts, orderAmounts, orderFulfillmentStatus } from "./order-math";
import type { ShopifyStore } from "./store";
import { abandonedCheckoutUrl, orderStatusUrl } from "./store-urls";
import type {
  AddressRecord,
  CheckoutRecord,
  CustomerRecord,
  FulfillmentRecord,
  LineItemRecord,
  OrderRecord,
  ProductRecord,
  VariantRecord,
} from "./types";

// Webhook bodies use Shopify's REST resource shapes (snake_case, numeric ids, money as strings, times with the
// shop's UTC offset), not GraphQL's. These builders produce them from the same records the GraphQL API reads.

type Json = Record<string, unknown>;

function addressPayload(a: AddressRecord | null, customerId?: number): Json | null {
  if (!a) return null;
  return {
    ...(customerId !== undefined ? { id: a.id, customer_id: customerId, default: true } : {}),
    first_name: a.firstName,
    last_name: a.lastName,
    name: `${a.firstName} ${a.lastName}`.trim(),
    company: null,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    country: a.country,
    zip: a.zip,
    phone: a.phone,
    province_code: a.provinceCode,
    country_code: a.countryCode,
    country_name: a.country,
    ...(customerId === undefined ? { latitude: null, longitude: null } : {}),
  };
}

export function customerPayload(store: ShopifyStore, c: CustomerRecord): Json {
  const tz = store.shop.ianaTimezone;
  return {
    id: c.id,
    email: c.email,
    created_at: restTime(c.createdAt, tz),
    updated_at: restTime(c.updatedAt, tz),
    first_name: c.firstName,
    last_name: c.lastName,
    state: "disabled",
    note: c.note,
    verified_email: c.email !== null,
    multipass_identifier: null,
    tax_exempt: false,
    phone: c.phone,
    currency: store.shop.currencyCode,
    tags: c.tags.join(", "),
    tax_exemptions: [],
    admin_graphql_api_id: toGid("Customer", c.id),
    email_marketing_consent: c.email
      ? { state: c.emailMarketingState.toLowerCase(), opt_in_level: "single_opt_in", consent_updated_at: null }
      : null,
    sms_marketing_consent: c.smsConsent
      ? {
          state: c.smsConsent.marketingState.toLowerCase(),
          opt_in_level: c.smsConsent.marketingOptInLevel.toLowerCase(),
          consent_updated_at: restTime(c.smsConsent.consentUpdatedAt, tz),
          consent_collected_from: c.smsConsent.consentCollectedFrom,
        }
      : null,
    addresses: c.address ? [addressPayload(c.address, c.id)] : [],
    default_address: addressPayload(c.address, c.id),
  };
}

function lineItemPayload(li: LineItemRecord, fulfillmentStatus: string | null): Json {
  return {
    id: li.id,
    admin_graphql_api_id: toGid("LineItem", li.id),
    fulfillable_quantity: fulfillmentStatus ? 0 : li.quantity,
    fulfillment_service: "manual",
    fulfillment_status: fulfillmentStatus,
    gift_card: false,
    grams: 0,
    name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
    price: centsToDecimal(li.priceCents),
    price_set: {
      shop_money: { amount: centsToDecimal(li.priceCents), currency_code: "USD" },
      presentment_money: { amount: centsToDecimal(li.priceCents), currency_code: "USD" },
    },
    product_exists: true,
    product_id: li.productId,
    properties: [],
    quantity: li.quantity,
    requires_shipping: true,
    sku: li.sku,
    taxable: true,
    title: li.title,
    total_discount: "0.00",
    variant_id: li.variantId,
    variant_inventory_management: "shopify",
    variant_title: li.variantTitle,
    vendor: li.vendor,
    tax_lines: [],
    discount_allocations: [],
  };
}

export function fulfillmentPayload(store: ShopifyStore, order: OrderRecord, f: FulfillmentRecord): Json {
  const tz = store.shop.ianaTimezone;
  return {
    id: f.id,
    admin_graphql_api_id: toGid("Fulfillment", f.id),
    created_at: restTime(f.createdAt, tz),
    location_id: store.shop.locationId,
    name: `#${order.number}.${f.sequence}`,
    order_id: order.id,
    origin_address: {},
    receipt: {},
    service: "manual",
    shipment_status: f.shipmentStatus,
    status: f.status.toLowerCase(),
    tracking_company: f.trackingCompany,
    tracking_number: f.trackingNumber,
    tracking_numbers: [f.trackingNumber],
    tracking_url: f.trackingUrl,
    tracking_urls: [f.trackingUrl],
    updated_at: restTime(f.updatedAt, tz),
    email: order.email,
    destination: addressPayload(order.shippingAddress),
    line_items: order.lineItems
      .filter((li) => f.lineItemIds.includes(li.id))
      .map((li) => lineItemPayload(li, "fulfilled")),
  };
}

export function orderPayload(store: ShopifyStore, order: OrderRecord): Json {
  const tz = store.shop.ianaTimezone;
  const amounts = orderAmounts(order);
  const customer = order.customerId === null ? undefined : store.customer(order.customerId);
  const status = orderFulfillmentStatus(order);
  const shipped = new Set(order.fulfillments.flatMap((f) => f.lineItemIds));
  const money = (cents: number) => centsToDecimal(cents);
  return {
    id: order.id,
    admin_graphql_api_id: toGid("Order", order.id),
    app_id: 580111,
    browser_ip: null,
    buyer_accepts_marketing: customer?.emailMarketingState === "SUBSCRIBED",
    cancel_reason: order.cancelledAt ? "customer" : null,
    cancelled_at: restTime(order.cancelledAt, tz),
    cart_token: null,
    checkout_id: order.checkoutId,
    checkout_token: order.checkoutToken,
    closed_at: restTime(order.closedAt, tz),
    confirmation_number: order.token.slice(0, 9).toUpperCase(),
    confirmed: true,
    contact_email: order.email,
    created_at: restTime(order.createdAt, tz),
    currency: "USD",
    current_subtotal_price: money(amounts.subtotal),
    current_total_discounts: money(amounts.totalDiscounts),
    current_total_price: money(amounts.currentTotal),
    current_total_tax: money(amounts.tax),
    customer_locale: "en-US",
    discount_codes: order.discountCodes.map((d) => ({ code: d.code, amount: money(d.amountCents), type: d.type })),
    email: order.email,
    estimated_taxes: false,
    financial_status: order.financialStatus.toLowerCase(),
    fulfillment_status: status === "FULFILLED" ? "fulfilled" : status === "PARTIALLY_FULFILLED" ? "partial" : null,
    landing_site: "/",
    name: `#${order.number}`,
    note: order.note,
    note_attributes: [],
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: orderStatusUrl(store.shop, order),
    phone: order.phone,
    presentment_currency: "USD",
    processed_at: restTime(order.processedAt, tz),
    source_name: order.sourceName,
    subtotal_price: money(amounts.subtotal),
    tags: order.tags.join(", "),
    taxes_included: false,
    test: false,
    token: order.token,
    total_discounts: money(amounts.totalDiscounts),
    total_line_items_price: money(amounts.gross),
    total_outstanding: order.financialStatus === "PENDING" ? money(amounts.total) : "0.00",
    total_price: money(amounts.total),
    total_shipping_price_set: {
      shop_money: { amount: money(amounts.shipping), currency_code: "USD" },
      presentment_money: { amount: money(amounts.shipping), currency_code: "USD" },
    },
    total_tax: money(amounts.tax),
    total_weight: 0,
    updated_at: restTime(order.updatedAt, tz),
    user_id: null,
    billing_address: addressPayload(order.shippingAddress),
    customer: customer ? customerPayload(store, customer) : null,
    fulfillments: order.fulfillments.map((f) => fulfillmentPayload(store, order, f)),
    line_items: order.lineItems.map((li) => lineItemPayload(li, shipped.has(li.id) ? "fulfilled" : null)),
    refunds: [],
    shipping_address: addressPayload(order.shippingAddress),
    shipping_lines: [
      {
        id: order.id + 1,
        code: "Standard",
        price: money(amounts.shipping),
        source: "shopify",
        title: "Standard Shipping",
        discounted_price: money(amounts.shipping),
      },
    ],
  };
}

export function checkoutPayload(store: ShopifyStore, checkout: CheckoutRecord): Json {
  const tz = store.shop.ianaTimezone;
  const amounts = checkoutAmounts(checkout);
  const customer = checkout.customerId === null ? undefined : store.customer(checkout.customerId);
  return {
    id: checkout.id,
    token: checkout.token,
    cart_token: checkout.cartToken,
    email: checkout.email,
    gateway: null,
    buyer_accepts_marketing: customer?.emailMarketingState === "SUBSCRIBED",
    buyer_accepts_sms_marketing: checkout.buyerAcceptsSmsMarketing,
    sms_marketing_phone: checkout.buyerAcceptsSmsMarketing ? checkout.phone : null,
    created_at: restTime(checkout.createdAt, tz),
    updated_at: restTime(checkout.updatedAt, tz),
    landing_site: "/",
    note: null,
    note_attributes: [],
    referring_site: "",
    shipping_lines: [],
    taxes_included: false,
    total_weight: 0,
    currency: "USD",
    presentment_currency: "USD",
    completed_at: restTime(checkout.completedAt, tz),
    closed_at: null,
    user_id: null,
    location_id: null,
    source_identifier: null,
    source_url: null,
    device_id: null,
    phone: checkout.phone,
    customer_locale: "en-US",
    name: `#${checkout.id}`,
    source: null,
    abandoned_checkout_url: abandonedCheckoutUrl(store.shop, checkout),
    discount_codes: checkout.discountCodes.map((code) => ({ code, amount: "0.00", type: "percentage" })),
    tax_lines: [],
    source_name: "web",
    subtotal_price: centsToDecimal(amounts.subtotal),
    total_discounts: "0.00",
    total_line_items_price: centsToDecimal(amounts.subtotal),
    total_price: centsToDecimal(amounts.total),
    total_tax: centsToDecimal(amounts.tax),
    total_duties: null,
    line_items: checkout.lineItems.map((li) => ({
      key: `${li.variantId}:${li.id}`,
      applied_discounts: [],
      discount_allocations: [],
      fulfillment_service: "manual",
      gift_card: false,
      grams: 0,
      presentment_title: li.title,
      presentment_variant_title: li.variantTitle ?? "",
      product_id: li.productId,
      quantity: li.quantity,
      requires_shipping: true,
      sku: li.sku,
      tax_lines: [],
      taxable: true,
      title: li.title,
      variant_id: li.variantId,
      variant_title: li.variantTitle ?? "",
      variant_price: centsToDecimal(li.priceCents),
      vendor: li.vendor,
      compare_at_price: null,
      line_price: centsToDecimal(li.priceCents * li.quantity),
      price: centsToDecimal(li.priceCents),
    })),
    billing_address: addressPayload(checkout.shippingAddress),
    shipping_address: addressPayload(checkout.shippingAddress),
    customer: customer ? customerPayload(store, customer) : null,
  };
}

function variantPayload(store: ShopifyStore, product: ProductRecord, v: VariantRecord): Json {
  const tz = store.shop.ianaTimezone;
  return {
    id: v.id,
    admin_graphql_api_id: toGid("ProductVariant", v.id),
    product_id: product.id,
    title: v.title,
    price: centsToDecimal(v.priceCents),
    compare_at_price: v.compareAtPriceCents === null ? null : centsToDecimal(v.compareAtPriceCents),
    sku: v.sku,
    barcode: v.barcode,
    position: v.position,
    inventory_policy: "deny",
    option1: v.options[0] ?? "Default Title",
    option2: v.options[1] ?? null,
    option3: v.options[2] ?? null,
    created_at: restTime(v.createdAt, tz),
    updated_at: restTime(v.updatedAt, tz),
    taxable: true,
    fulfillment_service: "manual",
    inventory_management: "shopify",
    inventory_item_id: v.inventoryItemId,
    inventory_quantity: v.inventoryQuantity,
    old_inventory_quantity: v.inventoryQuantity,
    requires_shipping: true,
    image_id: null,
  };
}

export function productPayload(store: ShopifyStore, product: ProductRecord, imageUrl: string): Json {
  const tz = store.shop.ianaTimezone;
  const image = {
    id: product.imageId,
    admin_graphql_api_id: toGid("ProductImage", product.imageId),
    product_id: product.id,
    position: 1,
    alt: product.title,
    width: 1200,
    height: 1200,
    src: imageUrl,
    variant_ids: [],
    created_at: restTime(product.createdAt, tz),
    updated_at: restTime(product.updatedAt, tz),
  };
  return {
    id: product.id,
    admin_graphql_api_id: toGid("Product", product.id),
    title: product.title,
    body_html: `<p>${product.description}</p>`,
    vendor: product.vendor,
    product_type: product.productType,
    handle: product.handle,
    created_at: restTime(product.createdAt, tz),
    updated_at: restTime(product.updatedAt, tz),
    published_at: restTime(product.publishedAt, tz),
    template_suffix: null,
    published_scope: "global",
    status: product.status.toLowerCase(),
    tags: product.tags.join(", "),
    variants: product.variants.map((v) => variantPayload(store, product, v)),
    options: product.options.map((o, i) => ({
      id: product.id * 10 + i + 1,
      product_id: product.id,
      name: o.name,
      position: i + 1,
      values: o.values,
    })),
    images: [image],
    image,
    variant_gids: product.variants.map((v) => ({
      admin_graphql_api_id: toGid("ProductVariant", v.id),
      updated_at: v.updatedAt,
    })),
  };
}

export function inventoryLevelPayload(store: ShopifyStore, variant: VariantRecord): Json {
  return {
    inventory_item_id: variant.inventoryItemId,
    location_id: store.shop.locationId,
    available: variant.inventoryQuantity,
    updated_at: restTime(variant.updatedAt, store.shop.ianaTimezone),
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${store.shop.locationId}?inventory_item_id=${variant.inventoryItemId}`,
  };
}

export function shopPayload(store: ShopifyStore): Json {
  const shop = store.shop;
  return {
    id: shop.id,
    name: shop.name,
    email: shop.email,
    domain: new URL(shop.primaryDomainUrl).host,
    province: shop.province,
    country: shop.countryCode,
    address1: shop.address1,
    zip: shop.zip,
    city: shop.city,
    source: null,
    phone: shop.phone,
    latitude: null,
    longitude: null,
    primary_locale: "en",
    address2: null,
    created_at: restTime(shop.createdAt, shop.ianaTimezone),
    updated_at: restTime(shop.createdAt, shop.ianaTimezone),
    country_code: shop.countryCode,
    country_name: "United States",
    currency: shop.currencyCode,
    customer_email: shop.email,
    timezone: "(GMT-05:00) America/New_York",
    iana_timezone: shop.ianaTimezone,
    shop_owner: shop.shopOwner,
    money_format: "${{amount}}",
    money_with_currency_format: "${{amount}} USD",
    weight_unit: "lb",
    province_code: shop.provinceCode,
    taxes_included: false,
    tax_shipping: null,
    county_taxes: true,
    plan_display_name: "Development",
    plan_name: "partner_test",
    has_discounts: true,
    has_gift_cards: false,
    myshopify_domain: shop.myshopifyDomain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: "${{amount}}",
    money_with_currency_in_emails_format: "${{amount}} USD",
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: true,
    has_storefront: true,
    finances: true,
    primary_location_id: shop.locationId,
    checkout_api_supported: true,
    multi_location_enabled: true,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [shop.currencyCode],
    marketing_sms_consent_enabled_at_checkout: true,
    transactional_sms_disabled: false,
  };
}
