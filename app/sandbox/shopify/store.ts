import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { addDays, addMinutes } from "./format";
import { createPrng } from "./prng";
import { DEFAULT_SHOP_DOMAIN, SEED_VERSION, makeFulfillment, orderTotals, pickLineItems, seedStore } from "./seed";
import type {
  AddressRecord,
  AppliedDiscountCode,
  CheckoutRecord,
  CollectionRecord,
  CustomerRecord,
  DiscountRecord,
  FulfillmentRecord,
  IdSequences,
  LineItemRecord,
  OrderRecord,
  ProductRecord,
  ShipmentStatus,
  SmsConsentRecord,
  StoreState,
  VariantRecord,
  WebPixelRecord,
} from "./types";

// The simulated store's state and the only code that changes it. The GraphQL layer, the control API and the
// event emitters all go through these helpers, so a change made by a mutation is what the next query sees and
// what the persistence file records.

export type StoreErrorCode = "NOT_FOUND" | "INVALID";

export class StoreError extends Error {
  constructor(
    public readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "StoreError";
  }
}

export interface ShopifyStoreOptions {
  /** JSON file to load from (when present and of the current seed version) and to save to after each change. */
  dataFile?: string;
  now?: () => Date;
  shopDomain?: string;
  /** Debounce for writes to `dataFile`; bursts of mutations produce one write. */
  persistDelayMs?: number;
}

export interface NewDiscount {
  kind: DiscountRecord["kind"];
  title: string;
  code: string;
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  customerIds: number[] | null;
  value: DiscountRecord["value"];
  minimumSubtotalCents: number | null;
  combinesWith: DiscountRecord["combinesWith"];
}

export interface NewCustomer {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  tags?: string[];
  note?: string | null;
  locale?: string | null;
  smsConsent?: Partial<SmsConsentRecord> & Pick<SmsConsentRecord, "marketingState">;
  emailMarketingState?: CustomerRecord["emailMarketingState"];
  address?: Omit<AddressRecord, "id"> | null;
}

export interface PlaceOrderInput {
  customerId?: number | null;
  /** Completes this checkout: its customer and line items become the order's. */
  checkoutId?: number | null;
  discountCode?: string | null;
  lineItems?: Array<{ variantId: number; quantity: number }>;
}

export type FulfillmentStage = Extract<
  ShipmentStatus,
  "in_transit" | "out_for_delivery" | "delivered" | "attempted_delivery" | "failure"
>;

export class ShopifyStore {
  state: StoreState;
  readonly now: () => Date;
  private readonly dataFile: string | undefined;
  private readonly shopDomain: string;
  private readonly persistDelayMs: number;
  private persistTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Bumped on every change; lets callers (the control panel) tell that something happened. */
  revision = 0;

  constructor(options: ShopifyStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.dataFile = options.dataFile;
    this.shopDomain = options.shopDomain ?? DEFAULT_SHOP_DOMAIN;
    this.persistDelayMs = options.persistDelayMs ?? 250;
    const loaded = this.dataFile ? loadStateFile(this.dataFile, this.shopDomain) : undefined;
    this.state = loaded ?? seedStore({ now: this.now(), shopDomain: this.shopDomain });
    if (!loaded) this.changed();
  }

  get shop() {
    return this.state.shop;
  }

  get customers(): readonly CustomerRecord[] {
    return this.state.customers;
  }

  get products(): readonly ProductRecord[] {
    return this.state.products;
  }

  get collections(): readonly CollectionRecord[] {
    return this.state.collections;
  }

  get orders(): readonly OrderRecord[] {
    return this.state.orders;
  }

  get checkouts(): readonly CheckoutRecord[] {
    return this.state.checkouts;
  }

  get discounts(): readonly DiscountRecord[] {
    return this.state.discounts;
  }

  /** Throws the seeded store away and seeds it again (tokens and the web pixel survive: the app stays connected). */
  reset(): void {
    const { accessTokens, webPixel } = this.state;
    this.state = seedStore({ now: this.now(), shopDomain: this.shopDomain });
    this.state.accessTokens = accessTokens;
    this.state.webPixel = webPixel; // installed by the app, like its tokens
    this.changed();
  }

  // ---- reads -------------------------------------------------------------------------------------------------

  customer(id: number): CustomerRecord | undefined {
    return this.state.customers.find((c) => c.id === id);
  }

  order(id: number): OrderRecord | undefined {
    return this.state.orders.find((o) => o.id === id);
  }

  ordersOf(customerId: number): OrderRecord[] {
    return this.state.orders.filter((o) => o.customerId === customerId);
  }

  product(id: number): ProductRecord | undefined {
    return this.state.products.find((p) => p.id === id);
  }

  collection(id: number): CollectionRecord | undefined {
    return this.state.collections.find((c) => c.id === id);
  }

  /** The collections holding a product, in the store's order. */
  collectionsOf(productId: number): CollectionRecord[] {
    return this.state.collections.filter((c) => c.productIds.includes(productId));
  }

  /** A collection's products that still exist, in the collection's order. */
  productsIn(collection: CollectionRecord): ProductRecord[] {
    return collection.productIds.flatMap((id) => this.product(id) ?? []);
  }

  variant(id: number): { product: ProductRecord; variant: VariantRecord } | undefined {
    for (const product of this.state.products) {
      const variant = product.variants.find((v) => v.id === id);
      if (variant) return { product, variant };
    }
    return undefined;
  }

  checkout(id: number): CheckoutRecord | undefined {
    return this.state.checkouts.find((c) => c.id === id);
  }

  discount(id: number): DiscountRecord | undefined {
    return this.state.discounts.find((d) => d.id === id);
  }

  discountByCode(code: string): DiscountRecord | undefined {
    const wanted = code.trim().toLowerCase();
    return this.state.discounts.find((d) => d.code.toLowerCase() === wanted);
  }

  fulfillment(id: number): { order: OrderRecord; fulfillment: FulfillmentRecord } | undefined {
    for (const order of this.state.orders) {
      const fulfillment = order.fulfillments.find((f) => f.id === id);
      if (fulfillment) return { order, fulfillment };
    }
    return undefined;
  }

  /** Digits-only comparison, so "+1 (305) 555-0101" finds +13055550101. */
  customerByPhone(phone: string): CustomerRecord | undefined {
    const digits = phone.replace(/\D/g, "");
    return this.state.customers.find((c) => c.phone !== null && c.phone.replace(/\D/g, "") === digits);
  }

  nextId(key: keyof IdSequences): number {
    const id = this.state.sequences[key]++;
    return id;
  }

  // ---- mutations ---------------------------------------------------------------------------------------------

  /** Creates or replaces the app's web pixel (validation is the resolver's: web-pixel.ts). */
  saveWebPixel(settings: string): WebPixelRecord {
    this.state.webPixel = { id: this.state.webPixel?.id ?? 1, settings };
    this.changed();
    return this.state.webPixel;
  }

  createDiscount(input: NewDiscount): DiscountRecord {
    const at = this.now().toISOString();
    const discount: DiscountRecord = {
      ...input,
      id: this.nextId("discount"),
      redeemCodeId: this.nextId("redeemCode"),
      usageCount: 0,
      createdAt: at,
      updatedAt: at,
    };
    this.state.discounts.push(discount);
    this.changed();
    return discount;
  }

  setSmsConsent(
    customerId: number,
    consent: Partial<SmsConsentRecord> & Pick<SmsConsentRecord, "marketingState">,
  ): CustomerRecord {
    const customer = this.requireCustomer(customerId);
    if (!customer.phone) throw new StoreError("INVALID", "A phone number is required to set the SMS consent state.");
    const at = this.now().toISOString();
    customer.smsConsent = {
      marketingState: consent.marketingState,
      marketingOptInLevel: consent.marketingOptInLevel ?? customer.smsConsent?.marketingOptInLevel ?? "SINGLE_OPT_IN",
      consentUpdatedAt: consent.consentUpdatedAt ?? at,
      consentCollectedFrom: consent.consentCollectedFrom ?? "OTHER",
    };
    customer.updatedAt = at;
    this.changed();
    return customer;
  }

  addTags(customerId: number, tags: string[]): CustomerRecord {
    const customer = this.requireCustomer(customerId);
    customer.tags = normalizeTags([...customer.tags, ...tags]);
    customer.updatedAt = this.now().toISOString();
    this.changed();
    return customer;
  }

  removeTags(customerId: number, tags: string[]): CustomerRecord {
    const customer = this.requireCustomer(customerId);
    const drop = new Set(tags.map((t) => t.trim().toLowerCase()));
    customer.tags = customer.tags.filter((t) => !drop.has(t.toLowerCase()));
    customer.updatedAt = this.now().toISOString();
    this.changed();
    return customer;
  }

  addOrderTags(orderId: number, tags: string[]): OrderRecord {
    const order = this.requireOrder(orderId);
    order.tags = normalizeTags([...order.tags, ...tags]);
    order.updatedAt = this.now().toISOString();
    this.changed();
    return order;
  }

  removeOrderTags(orderId: number, tags: string[]): OrderRecord {
    const order = this.requireOrder(orderId);
    const drop = new Set(tags.map((t) => t.trim().toLowerCase()));
    order.tags = order.tags.filter((t) => !drop.has(t.toLowerCase()));
    order.updatedAt = this.now().toISOString();
    this.changed();
    return order;
  }

  createCustomer(input: NewCustomer): CustomerRecord {
    const at = this.now().toISOString();
    const phone = input.phone ?? null;
    const customer: CustomerRecord = {
      id: this.nextId("customer"),
      firstName: input.firstName ?? "",
      lastName: input.lastName ?? "",
      email: input.email ?? null,
      phone,
      tags: normalizeTags(input.tags ?? []),
      note: input.note ?? null,
      locale: input.locale ?? "en",
      createdAt: at,
      updatedAt: at,
      smsConsent: phone
        ? {
            marketingState: input.smsConsent?.marketingState ?? "NOT_SUBSCRIBED",
            marketingOptInLevel: input.smsConsent?.marketingOptInLevel ?? "SINGLE_OPT_IN",
            consentUpdatedAt: input.smsConsent ? (input.smsConsent.consentUpdatedAt ?? at) : null,
            consentCollectedFrom: input.smsConsent ? (input.smsConsent.consentCollectedFrom ?? "OTHER") : null,
          }
        : null,
      emailMarketingState: input.emailMarketingState ?? "NOT_SUBSCRIBED",
      address: input.address ? { ...input.address, id: this.nextId("address") } : null,
    };
    this.state.customers.push(customer);
    this.changed();
    return customer;
  }

  /** A new open checkout for a customer (random in-stock items unless given), as a shopper leaving mid-checkout. */
  createCheckout(input: {
    customerId: number;
    lineItems?: Array<{ variantId: number; quantity: number }>;
    /** How long ago the shopper started it; abandonment flows key off `created_at`. */
    startedMinutesAgo?: number;
  }): CheckoutRecord {
    const customer = this.requireCustomer(input.customerId);
    const id = this.nextId("checkout");
    const prng = createPrng(id);
    const lineItems = input.lineItems?.length
      ? input.lineItems.map((li) => this.lineItemFor(li.variantId, li.quantity))
      : pickLineItems(prng, this.state.products, (key) => this.nextId(key), prng.int(1, 2), true);
    if (lineItems.length === 0) throw new StoreError("INVALID", "No line items: every variant is out of stock.");
    const at = this.now();
    const checkout: CheckoutRecord = {
      id,
      token: randomBytes(16).toString("hex"),
      cartToken: `hWN${randomBytes(11).toString("hex").slice(0, 21)}`,
      recoveryKey: randomBytes(16).toString("hex"),
      customerId: customer.id,
      email: customer.email,
      phone: customer.phone,
      buyerAcceptsSmsMarketing: customer.smsConsent?.marketingState === "SUBSCRIBED",
      createdAt: addMinutes(at, -(input.startedMinutesAgo ?? 0)).toISOString(),
      updatedAt: at.toISOString(),
      completedAt: null,
      lineItems,
      discountCodes: [],
      shippingAddress: customer.address,
      orderId: null,
    };
    this.state.checkouts.push(checkout);
    this.changed();
    return checkout;
  }

  /**
   * Places an order the way checkout would: from a checkout (completing it) or from given/random items, applying
   * a discount code only when checkout would accept it (exists, active, within its usage limit, and this customer
   * is eligible).
   */
  placeOrder(input: PlaceOrderInput): OrderRecord {
    const checkout = input.checkoutId ? this.checkout(input.checkoutId) : undefined;
    if (input.checkoutId && !checkout) throw new StoreError("NOT_FOUND", `No checkout ${input.checkoutId}.`);
    if (checkout?.completedAt) throw new StoreError("INVALID", `Checkout ${checkout.id} is already completed.`);
    const customerId = input.customerId ?? checkout?.customerId ?? null;
    const customer = customerId !== null ? this.requireCustomer(customerId) : undefined;
    const id = this.nextId("order");
    const prng = createPrng(id);
    const lineItems: LineItemRecord[] = input.lineItems?.length
      ? input.lineItems.map((li) => this.lineItemFor(li.variantId, li.quantity))
      : checkout
        ? checkout.lineItems.map((li) => ({ ...li, id: this.nextId("lineItem") }))
        : pickLineItems(prng, this.state.products, (key) => this.nextId(key), prng.int(1, 2), true);
    if (lineItems.length === 0) throw new StoreError("INVALID", "No line items: every variant is out of stock.");

    const gross = lineItems.reduce((sum, li) => sum + li.priceCents * li.quantity, 0);
    const applied: AppliedDiscountCode[] = [];
    let discount: DiscountRecord | undefined;
    if (input.discountCode) {
      discount = this.redeemableDiscount(input.discountCode, customer?.id ?? null, gross);
      applied.push(discountApplication(discount, gross));
    }
    const orderDiscount = applied.filter((a) => a.type !== "shipping").reduce((sum, a) => sum + a.amountCents, 0);
    const totals = orderTotals(lineItems, orderDiscount);
    const shippingDiscount = discount?.value.type === "free_shipping" ? totals.shipping : 0;
    if (discount?.value.type === "free_shipping") applied[0] = { ...applied[0], amountCents: shippingDiscount };

    const at = this.now().toISOString();
    const order: OrderRecord = {
      id,
      number: this.nextId("orderNumber"),
      token: randomBytes(16).toString("hex"),
      customerId: customer?.id ?? null,
      email: customer?.email ?? checkout?.email ?? null,
      phone: customer?.phone ?? checkout?.phone ?? null,
      createdAt: at,
      processedAt: at,
      updatedAt: at,
      cancelledAt: null,
      closedAt: null,
      financialStatus: "PAID",
      lineItems,
      discountCodes: applied,
      shippingCents: totals.shipping - shippingDiscount,
      taxCents: totals.tax,
      shippingAddress: customer?.address ?? checkout?.shippingAddress ?? null,
      fulfillments: [],
      tags: [],
      note: null,
      checkoutId: checkout?.id ?? null,
      checkoutToken: checkout?.token ?? null,
      sourceName: "web",
    };
    this.state.orders.push(order);
    if (discount) {
      discount.usageCount += 1;
      discount.updatedAt = at;
    }
    for (const li of lineItems) {
      const found = this.variant(li.variantId);
      if (found) found.variant.inventoryQuantity = Math.max(0, found.variant.inventoryQuantity - li.quantity);
    }
    if (checkout) {
      checkout.completedAt = at;
      checkout.updatedAt = at;
      checkout.orderId = order.id;
    }
    this.changed();
    return order;
  }

  /** Ships the order's unfulfilled items with a carrier and tracking number (label created, not yet moving). */
  createFulfillment(orderId: number, options: { company?: string } = {}): FulfillmentRecord {
    const order = this.requireOrder(orderId);
    if (order.cancelledAt) throw new StoreError("INVALID", `Order ${order.number} is cancelled.`);
    const shipped = new Set(order.fulfillments.flatMap((f) => f.lineItemIds));
    const pending = order.lineItems.filter((li) => !shipped.has(li.id));
    if (pending.length === 0) throw new StoreError("INVALID", `Order #${order.number} is already fulfilled.`);
    const id = this.nextId("fulfillment");
    const at = this.now();
    const prng = createPrng(id);
    const fulfillment = makeFulfillment(prng, {
      id,
      sequence: order.fulfillments.length + 1,
      shippedAt: at,
      lineItemIds: pending.map((li) => li.id),
    });
    if (options.company) {
      const carrier = ["UPS", "USPS", "FedEx"].find((c) => c.toLowerCase() === options.company?.toLowerCase());
      if (carrier && carrier !== fulfillment.trackingCompany) {
        // Re-draw until the requested carrier comes up: keeps its number and URL formats consistent.
        for (let seed = id + 1; fulfillment.trackingCompany !== carrier; seed++) {
          Object.assign(
            fulfillment,
            makeFulfillment(createPrng(seed), {
              id,
              sequence: fulfillment.sequence,
              shippedAt: at,
              lineItemIds: fulfillment.lineItemIds,
            }),
          );
        }
      }
    }
    fulfillment.estimatedDeliveryAt = addDays(at, 4).toISOString();
    order.fulfillments.push(fulfillment);
    order.updatedAt = at.toISOString();
    this.changed();
    return fulfillment;
  }

  /** A carrier update: moves the shipment on and fills the dates Shopify fills (in transit, delivered). */
  advanceFulfillment(
    fulfillmentId: number,
    stage: FulfillmentStage,
  ): { order: OrderRecord; fulfillment: FulfillmentRecord } {
    const found = this.fulfillment(fulfillmentId);
    if (!found) throw new StoreError("NOT_FOUND", `No fulfillment ${fulfillmentId}.`);
    const { order, fulfillment } = found;
    const at = this.now();
    fulfillment.shipmentStatus = stage;
    fulfillment.updatedAt = at.toISOString();
    if (stage === "in_transit" || stage === "out_for_delivery") {
      fulfillment.inTransitAt ??= at.toISOString();
      fulfillment.estimatedDeliveryAt = (
        stage === "out_for_delivery" ? addMinutes(at, 6 * 60) : addDays(at, 2)
      ).toISOString();
    }
    if (stage === "delivered") {
      fulfillment.inTransitAt ??= addDays(at, -2).toISOString();
      fulfillment.deliveredAt = at.toISOString();
    }
    order.updatedAt = at.toISOString();
    this.changed();
    return { order, fulfillment };
  }

  /** Sets stock on a variant (or on every empty variant of a product); returns the variants that changed. */
  restock(
    target: { productId?: number; variantId?: number },
    quantity: number,
  ): { product: ProductRecord; variants: VariantRecord[] } {
    if (!Number.isInteger(quantity) || quantity <= 0)
      throw new StoreError("INVALID", "quantity must be a positive integer.");
    let product: ProductRecord | undefined;
    let variants: VariantRecord[];
    if (target.variantId !== undefined) {
      const found = this.variant(target.variantId);
      if (!found) throw new StoreError("NOT_FOUND", `No variant ${target.variantId}.`);
      product = found.product;
      variants = [found.variant];
    } else if (target.productId !== undefined) {
      product = this.product(target.productId);
      if (!product) throw new StoreError("NOT_FOUND", `No product ${target.productId}.`);
      const empty = product.variants.filter((v) => v.inventoryQuantity <= 0);
      variants = empty.length ? empty : product.variants;
    } else {
      throw new StoreError("INVALID", "productId or variantId is required.");
    }
    const at = this.now().toISOString();
    for (const v of variants) {
      v.inventoryQuantity += quantity;
      v.updatedAt = at;
    }
    product.updatedAt = at;
    this.changed();
    return { product, variants };
  }

  /** Marks the store as changed: bumps the revision and schedules a debounced write of the persistence file. */
  changed(): void {
    this.revision++;
    if (!this.dataFile) return;
    clearTimeout(this.persistTimer);
    this.persistTimer = setTimeout(() => void this.flush(), this.persistDelayMs);
    // A pending save must not keep a test process or a stopping server alive; call flush() on shutdown.
    this.persistTimer.unref();
  }

  /** Writes the state now (atomically: temp file + rename) and waits for any write in progress. */
  flush(): Promise<void> {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    const file = this.dataFile;
    if (!file) return Promise.resolve();
    const json = JSON.stringify(this.state, null, 2);
    this.writing = this.writing.then(async () => {
      mkdirSync(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, json);
      await rename(temp, file);
    });
    return this.writing;
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private requireCustomer(id: number): CustomerRecord {
    const customer = this.customer(id);
    if (!customer) throw new StoreError("NOT_FOUND", `No customer ${id}.`);
    return customer;
  }

  private requireOrder(id: number): OrderRecord {
    const order = this.order(id);
    if (!order) throw new StoreError("NOT_FOUND", `No order ${id}.`);
    return order;
  }

  private lineItemFor(variantId: number, quantity: number): LineItemRecord {
    const found = this.variant(variantId);
    if (!found) throw new StoreError("NOT_FOUND", `No variant ${variantId}.`);
    if (!Number.isInteger(quantity) || quantity <= 0)
      throw new StoreError("INVALID", "quantity must be a positive integer.");
    const { product, variant } = found;
    return {
      id: this.nextId("lineItem"),
      productId: product.id,
      variantId: variant.id,
      title: product.title,
      variantTitle: variant.title === "Default Title" ? null : variant.title,
      sku: variant.sku,
      vendor: product.vendor,
      quantity,
      priceCents: variant.priceCents,
    };
  }

  private redeemableDiscount(code: string, customerId: number | null, subtotalCents: number): DiscountRecord {
    const discount = this.discountByCode(code);
    const now = this.now();
    if (!discount) throw new StoreError("INVALID", `Discount code "${code}" doesn't exist.`);
    if (new Date(discount.startsAt) > now || (discount.endsAt && new Date(discount.endsAt) <= now)) {
      throw new StoreError("INVALID", `Discount code "${discount.code}" isn't active.`);
    }
    if (discount.usageLimit !== null && discount.usageCount >= discount.usageLimit) {
      throw new StoreError("INVALID", `Discount code "${discount.code}" has reached its usage limit.`);
    }
    if (discount.customerIds && (customerId === null || !discount.customerIds.includes(customerId))) {
      throw new StoreError("INVALID", `Discount code "${discount.code}" isn't available to this customer.`);
    }
    if (discount.appliesOncePerCustomer && customerId !== null) {
      const used = this.ordersOf(customerId).some((o) =>
        o.discountCodes.some((d) => d.code.toLowerCase() === discount.code.toLowerCase()),
      );
      if (used) throw new StoreError("INVALID", `Discount code "${discount.code}" was already used by this customer.`);
    }
    if (discount.minimumSubtotalCents !== null && subtotalCents < discount.minimumSubtotalCents) {
      throw new StoreError("INVALID", `Discount code "${discount.code}" needs a larger order.`);
    }
    return discount;
  }
}

function discountApplication(discount: DiscountRecord, grossCents: number): AppliedDiscountCode {
  switch (discount.value.type) {
    case "percentage":
      return {
        code: discount.code,
        amountCents: Math.round(grossCents * discount.value.percentage),
        type: "percentage",
      };
    case "fixed_amount":
      return {
        code: discount.code,
        amountCents: Math.min(grossCents, discount.value.amountCents),
        type: "fixed_amount",
      };
    case "free_shipping":
      return { code: discount.code, amountCents: 0, type: "shipping" };
  }
}

function normalizeTags(tags: string[]): string[] {
  const seen = new Map<string, string>();
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

function loadStateFile(file: string, shopDomain: string): StoreState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as StoreState;
    // A file from another seed version or another shop is stale: reseeding is safer than guessing.
    if (state.version !== SEED_VERSION || state.shop?.myshopifyDomain !== shopDomain) return undefined;
    return state;
  } catch {
    return undefined;
  }
}
