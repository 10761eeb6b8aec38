// The simulated store's state: plain JSON-serialisable records, close to what Shopify keeps. Money is held in
// integer cents and times as ISO strings, so the state round-trips through the persistence file unchanged.
// GraphQL and REST shapes are derived from these records at the edges (admin-graphql, rest-payloads).

export type SmsMarketingState = "NOT_SUBSCRIBED" | "PENDING" | "SUBSCRIBED" | "UNSUBSCRIBED" | "REDACTED";
export type EmailMarketingState = "NOT_SUBSCRIBED" | "PENDING" | "SUBSCRIBED" | "UNSUBSCRIBED" | "REDACTED" | "INVALID";
export type MarketingOptInLevel = "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN";
export type ConsentCollectedFrom = "SHOPIFY" | "OTHER";
export type FinancialStatus = "PENDING" | "AUTHORIZED" | "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "VOIDED";
/** REST `shipment_status` values; null means "fulfilled, no carrier update yet". */
export type ShipmentStatus =
  | "label_printed"
  | "label_purchased"
  | "confirmed"
  | "in_transit"
  | "out_for_delivery"
  | "attempted_delivery"
  | "delivered"
  | "failure";

export interface ShopRecord {
  id: number;
  name: string;
  email: string;
  myshopifyDomain: string;
  primaryDomainUrl: string;
  currencyCode: "USD";
  ianaTimezone: string;
  shopOwner: string;
  phone: string;
  address1: string;
  city: string;
  provinceCode: string;
  province: string;
  zip: string;
  countryCode: "US";
  locationId: number;
  createdAt: string;
}

export interface AddressRecord {
  id: number;
  firstName: string;
  lastName: string;
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  provinceCode: string;
  country: string;
  countryCode: string;
  zip: string;
  phone: string | null;
}

export interface SmsConsentRecord {
  marketingState: SmsMarketingState;
  marketingOptInLevel: MarketingOptInLevel;
  consentUpdatedAt: string | null;
  consentCollectedFrom: ConsentCollectedFrom | null;
}

export interface CustomerRecord {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  /** E.164, or null for customers who never gave a number. */
  phone: string | null;
  tags: string[];
  note: string | null;
  locale: string;
  createdAt: string;
  updatedAt: string;
  /** Null when the customer has no phone: Shopify then answers `smsMarketingConsent: null`. */
  smsConsent: SmsConsentRecord | null;
  emailMarketingState: EmailMarketingState;
  address: AddressRecord | null;
}

export interface ProductOptionRecord {
  name: string;
  values: string[];
}

export interface VariantRecord {
  id: number;
  inventoryItemId: number;
  title: string;
  priceCents: number;
  compareAtPriceCents: number | null;
  sku: string;
  barcode: string;
  inventoryQuantity: number;
  /** Values in the product's option order. */
  options: string[];
  position: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProductRecord {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  description: string;
  tags: string[];
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  /** Colour used for the generated placeholder image (the store has no real CDN offline). */
  imageColor: string;
  imageId: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  options: ProductOptionRecord[];
  variants: VariantRecord[];
}

/** A custom (manual) collection: the merchant picked its products, in this order. */
export interface CollectionRecord {
  id: number;
  title: string;
  handle: string;
  description: string;
  productIds: number[];
  updatedAt: string;
}

export interface LineItemRecord {
  id: number;
  productId: number;
  variantId: number;
  title: string;
  variantTitle: string | null;
  sku: string;
  vendor: string;
  quantity: number;
  priceCents: number;
}

export interface FulfillmentRecord {
  id: number;
  /** Position within the order, for the `#1001.1` style name. */
  sequence: number;
  status: "SUCCESS" | "CANCELLED" | "ERROR" | "FAILURE" | "OPEN" | "PENDING";
  shipmentStatus: ShipmentStatus | null;
  trackingCompany: string;
  trackingNumber: string;
  trackingUrl: string;
  lineItemIds: number[];
  createdAt: string;
  updatedAt: string;
  inTransitAt: string | null;
  estimatedDeliveryAt: string | null;
  deliveredAt: string | null;
}

export interface AppliedDiscountCode {
  code: string;
  amountCents: number;
  /** REST `discount_codes[].type`. */
  type: "percentage" | "fixed_amount" | "shipping";
}

export interface OrderRecord {
  id: number;
  number: number;
  token: string;
  customerId: number | null;
  email: string | null;
  phone: string | null;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  closedAt: string | null;
  financialStatus: FinancialStatus;
  lineItems: LineItemRecord[];
  discountCodes: AppliedDiscountCode[];
  shippingCents: number;
  taxCents: number;
  shippingAddress: AddressRecord | null;
  fulfillments: FulfillmentRecord[];
  tags: string[];
  note: string | null;
  checkoutId: number | null;
  checkoutToken: string | null;
  sourceName: string;
}

export interface CheckoutRecord {
  id: number;
  token: string;
  cartToken: string;
  recoveryKey: string;
  customerId: number | null;
  email: string | null;
  phone: string | null;
  buyerAcceptsSmsMarketing: boolean;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  lineItems: LineItemRecord[];
  discountCodes: string[];
  shippingAddress: AddressRecord | null;
  /** Set once the checkout became an order (a "recovered" checkout). */
  orderId: number | null;
}

export type DiscountValue =
  | { type: "percentage"; percentage: number }
  | { type: "fixed_amount"; amountCents: number; appliesOnEachItem: boolean }
  | { type: "free_shipping"; maximumShippingPriceCents: number | null };

export interface DiscountRecord {
  /** DiscountCodeNode id. */
  id: number;
  /** DiscountRedeemCode id. */
  redeemCodeId: number;
  kind: "basic" | "free_shipping";
  title: string;
  code: string;
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  /** Null: every customer may use the code. Otherwise only these customers. */
  customerIds: number[] | null;
  value: DiscountValue;
  minimumSubtotalCents: number | null;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  usageCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface AccessTokenRecord {
  token: string;
  shop: string;
  kind: "offline" | "online";
  scope: string;
  issuedAt: string;
  /** Null for non-expiring offline tokens. */
  expiresAt: string | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: string | null;
  userId: number | null;
  revoked: boolean;
}

/** Monotonic id counters so new records look like Shopify's (large, increasing numbers). */
export interface IdSequences {
  customer: number;
  address: number;
  order: number;
  orderNumber: number;
  lineItem: number;
  fulfillment: number;
  checkout: number;
  discount: number;
  redeemCode: number;
  product: number;
  collection: number;
  variant: number;
  inventoryItem: number;
}

export interface StoreState {
  /** Bumped when the seed's shape changes, so an old persistence file is replaced rather than misread. */
  version: number;
  seededAt: string;
  shop: ShopRecord;
  products: ProductRecord[];
  collections: CollectionRecord[];
  customers: CustomerRecord[];
  orders: OrderRecord[];
  checkouts: CheckoutRecord[];
  discounts: DiscountRecord[];
  accessTokens: AccessTokenRecord[];
  /** The app's web pixel on this shop (one per app and shop); absent until webPixelCreate. */
  webPixel?: WebPixelRecord | null;
  sequences: IdSequences;
}

export interface WebPixelRecord {
  id: number;
  /** The settings exactly as the app sent them (a JSON string). */
  settings: string;
}
