import { z } from "zod";
import { parseGid } from "./ids";
import {
  checkoutPayload,
  customerPayload,
  fulfillmentPayload,
  inventoryLevelPayload,
  orderPayload,
  productPayload,
} from "./rest-payloads";
import { StoreError, type ShopifyStore } from "./store";
import type { FulfillmentRecord, OrderRecord, SmsMarketingState } from "./types";
import {
  emitAppUninstalled,
  emitCustomersDataRequest,
  emitCustomersRedact,
  emitShopRedact,
  type WebhookDelivery,
  type WebhookEmitter,
} from "./webhooks";

// Store events a merchant's shop produces in real life — a shopper abandons a checkout, an order is placed, a
// parcel ships and arrives, consent changes, stock returns — played on demand: each mutates the store first (so
// the Admin API then tells the same story) and then delivers the matching signed webhooks to the app.

export const STORE_EVENT_KINDS = [
  "checkout-abandoned",
  "order-placed",
  "fulfillment-created",
  "fulfillment-in-transit",
  "fulfillment-delivered",
  "customer-updated",
  "product-back-in-stock",
] as const;
export type StoreEventKind = (typeof STORE_EVENT_KINDS)[number];

export const COMPLIANCE_EVENT_KINDS = [
  "customers-data-request",
  "customers-redact",
  "shop-redact",
  "app-uninstalled",
] as const;
export type ComplianceEventKind = (typeof COMPLIANCE_EVENT_KINDS)[number];

export interface SentWebhook {
  topic: string;
  url: string;
  webhookId: string;
  eventId: string;
  /** The app's response status (null: unreachable). */
  status: number | null;
  ok: boolean;
  error?: string;
  payload: unknown;
}

export interface StoreEventResult {
  kind: string;
  summary: string;
  /** Ids (as gids) of what the event created or changed. */
  entity: Record<string, string | number | null>;
  webhooks: SentWebhook[];
}

export interface EventDependencies {
  store: ShopifyStore;
  emitter: WebhookEmitter;
  /** Public URL of a product's image, for products/update payloads. */
  imageUrl: (handle: string) => string;
}

/** Ids arrive as numbers, numeric strings or gids. */
const Id = z.union([z.number().int().positive(), z.string().min(1)]).transform((value, ctx) => {
  if (typeof value === "number") return value;
  const parsed = parseGid(value);
  const id = parsed ? parsed.id : Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) {
    ctx.addIssue({ code: "custom", message: `not an id: ${value}` });
    return z.NEVER;
  }
  return id;
});

const LineItems = z.array(z.object({ variantId: Id, quantity: z.number().int().positive().default(1) })).optional();

const Bodies = {
  "checkout-abandoned": z.object({
    customerId: Id.optional(),
    checkoutId: Id.optional(),
    lineItems: LineItems,
    startedMinutesAgo: z
      .number()
      .min(0)
      .max(60 * 24 * 30)
      .default(60),
  }),
  "order-placed": z.object({
    customerId: Id.optional(),
    checkoutId: Id.optional(),
    discountCode: z.string().trim().min(1).optional(),
    lineItems: LineItems,
  }),
  "fulfillment-created": z.object({ orderId: Id.optional(), company: z.enum(["UPS", "USPS", "FedEx"]).optional() }),
  "fulfillment-in-transit": z.object({
    fulfillmentId: Id.optional(),
    orderId: Id.optional(),
    stage: z.enum(["in_transit", "out_for_delivery"]).default("in_transit"),
  }),
  "fulfillment-delivered": z.object({ fulfillmentId: Id.optional(), orderId: Id.optional() }),
  "customer-updated": z.object({
    customerId: Id,
    smsMarketingState: z.enum(["SUBSCRIBED", "UNSUBSCRIBED", "NOT_SUBSCRIBED", "PENDING"]).optional(),
    marketingOptInLevel: z.enum(["SINGLE_OPT_IN", "CONFIRMED_OPT_IN", "UNKNOWN"]).optional(),
    consentCollectedFrom: z.enum(["SHOPIFY", "OTHER"]).default("SHOPIFY"),
    addTags: z.array(z.string().trim().min(1)).optional(),
    removeTags: z.array(z.string().trim().min(1)).optional(),
  }),
  "product-back-in-stock": z.object({
    productId: Id.optional(),
    variantId: Id.optional(),
    quantity: z.number().int().positive().default(12),
  }),
} satisfies Record<StoreEventKind, z.ZodType>;

const ComplianceBody = z.object({ customerId: Id.optional() });

export class EventInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EventInputError";
  }
}

function parseBody<K extends StoreEventKind>(kind: K, body: unknown): z.output<(typeof Bodies)[K]> {
  const result = Bodies[kind].safeParse(body ?? {});
  if (!result.success)
    throw new EventInputError(result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  return result.data as z.output<(typeof Bodies)[K]>;
}

const sent = (d: WebhookDelivery): SentWebhook => ({
  topic: d.topic,
  url: d.url,
  webhookId: d.webhookId,
  eventId: d.eventId,
  status: d.status,
  ok: d.ok,
  ...(d.error ? { error: d.error } : {}),
  payload: d.payload,
});

function defaultSubscriber(store: ShopifyStore) {
  const customer = store.customers.find((c) => c.phone && c.smsConsent?.marketingState === "SUBSCRIBED");
  if (!customer) throw new StoreError("NOT_FOUND", "No SMS subscriber in the store.");
  return customer;
}

function customerLabel(store: ShopifyStore, id: number | null): string {
  const customer = id === null ? undefined : store.customer(id);
  return customer ? `${customer.firstName} ${customer.lastName}`.trim() || `customer ${customer.id}` : "a guest";
}

function latest<T>(items: T[], at: (item: T) => string): T | undefined {
  return [...items].sort((a, b) => at(b).localeCompare(at(a)))[0];
}

function findFulfillment(
  store: ShopifyStore,
  body: { fulfillmentId?: number; orderId?: number },
  wanted: (f: FulfillmentRecord) => boolean,
) {
  if (body.fulfillmentId !== undefined) {
    const found = store.fulfillment(body.fulfillmentId);
    if (!found) throw new StoreError("NOT_FOUND", `No fulfillment ${body.fulfillmentId}.`);
    return found;
  }
  const orders: OrderRecord[] =
    body.orderId !== undefined ? [store.order(body.orderId)].filter((o): o is OrderRecord => !!o) : [...store.orders];
  if (body.orderId !== undefined && orders.length === 0) throw new StoreError("NOT_FOUND", `No order ${body.orderId}.`);
  const candidates = orders.flatMap((order) =>
    order.fulfillments.filter(wanted).map((fulfillment) => ({ order, fulfillment })),
  );
  const found = latest(candidates, (c) => c.fulfillment.createdAt);
  if (!found) throw new StoreError("NOT_FOUND", "No fulfillment in a state this event can move on.");
  return found;
}

export async function runStoreEvent(
  kind: StoreEventKind,
  rawBody: unknown,
  deps: EventDependencies,
): Promise<StoreEventResult> {
  const { store, emitter } = deps;
  switch (kind) {
    case "checkout-abandoned": {
      const body = parseBody(kind, rawBody);
      if (body.checkoutId !== undefined) {
        const checkout = store.checkout(body.checkoutId);
        if (!checkout) throw new StoreError("NOT_FOUND", `No checkout ${body.checkoutId}.`);
        const update = await emitter.emit("checkouts/update", checkoutPayload(store, checkout));
        return {
          kind,
          summary: `Checkout #${checkout.id} re-sent`,
          entity: { checkoutId: `gid://shopify/AbandonedCheckout/${checkout.id}` },
          webhooks: [sent(update)],
        };
      }
      const customerId = body.customerId ?? defaultSubscriber(store).id;
      const checkout = store.createCheckout({
        customerId,
        lineItems: body.lineItems,
        startedMinutesAgo: body.startedMinutesAgo,
      });
      // A checkout is created, then updated as the shopper types contact details: Shopify sends both.
      const create = await emitter.emit("checkouts/create", checkoutPayload(store, checkout));
      const update = await emitter.emit("checkouts/update", checkoutPayload(store, checkout));
      return {
        kind,
        summary: `Checkout #${checkout.id} abandoned by ${customerLabel(store, customerId)}`,
        entity: {
          checkoutId: `gid://shopify/AbandonedCheckout/${checkout.id}`,
          customerId: `gid://shopify/Customer/${customerId}`,
        },
        webhooks: [sent(create), sent(update)],
      };
    }
    case "order-placed": {
      const body = parseBody(kind, rawBody);
      const customerId = body.customerId ?? (body.checkoutId !== undefined ? undefined : defaultSubscriber(store).id);
      const order = store.placeOrder({
        customerId,
        checkoutId: body.checkoutId,
        discountCode: body.discountCode,
        lineItems: body.lineItems,
      });
      const create = await emitter.emit("orders/create", orderPayload(store, order));
      return {
        kind,
        summary: `Order #${order.number} placed by ${customerLabel(store, order.customerId)}${body.discountCode ? ` with code ${body.discountCode.toUpperCase()}` : ""}`,
        entity: {
          orderId: `gid://shopify/Order/${order.id}`,
          name: `#${order.number}`,
          customerId: order.customerId === null ? null : `gid://shopify/Customer/${order.customerId}`,
          checkoutId: order.checkoutId === null ? null : `gid://shopify/AbandonedCheckout/${order.checkoutId}`,
        },
        webhooks: [sent(create)],
      };
    }
    case "fulfillment-created": {
      const body = parseBody(kind, rawBody);
      const order =
        body.orderId !== undefined
          ? store.order(body.orderId)
          : latest(
              store.orders.filter(
                (o) =>
                  !o.cancelledAt &&
                  o.lineItems.some((li) => !o.fulfillments.some((f) => f.lineItemIds.includes(li.id))),
              ),
              (o) => o.processedAt,
            );
      if (!order)
        throw new StoreError(
          "NOT_FOUND",
          body.orderId !== undefined ? `No order ${body.orderId}.` : "No unfulfilled order.",
        );
      const fulfillment = store.createFulfillment(order.id, { company: body.company });
      const create = await emitter.emit("fulfillments/create", fulfillmentPayload(store, order, fulfillment));
      return {
        kind,
        summary: `Order #${order.number} shipped with ${fulfillment.trackingCompany} ${fulfillment.trackingNumber}`,
        entity: {
          orderId: `gid://shopify/Order/${order.id}`,
          fulfillmentId: `gid://shopify/Fulfillment/${fulfillment.id}`,
        },
        webhooks: [sent(create)],
      };
    }
    case "fulfillment-in-transit":
    case "fulfillment-delivered": {
      const body =
        kind === "fulfillment-in-transit"
          ? parseBody(kind, rawBody)
          : { ...parseBody(kind, rawBody), stage: "delivered" as const };
      const movable =
        kind === "fulfillment-in-transit"
          ? (f: FulfillmentRecord) =>
              f.status === "SUCCESS" &&
              (f.shipmentStatus === null ||
                f.shipmentStatus === "confirmed" ||
                f.shipmentStatus.startsWith("label") ||
                (body.stage === "out_for_delivery" && f.shipmentStatus === "in_transit"))
          : (f: FulfillmentRecord) => f.status === "SUCCESS" && f.shipmentStatus !== "delivered";
      const target = findFulfillment(store, body, movable);
      const { order, fulfillment } = store.advanceFulfillment(target.fulfillment.id, body.stage);
      const update = await emitter.emit("fulfillments/update", fulfillmentPayload(store, order, fulfillment));
      return {
        kind,
        summary: `Order #${order.number}: ${fulfillment.shipmentStatus?.replace(/_/g, " ")}`,
        entity: {
          orderId: `gid://shopify/Order/${order.id}`,
          fulfillmentId: `gid://shopify/Fulfillment/${fulfillment.id}`,
        },
        webhooks: [sent(update)],
      };
    }
    case "customer-updated": {
      const body = parseBody(kind, rawBody);
      if (!store.customer(body.customerId)) throw new StoreError("NOT_FOUND", `No customer ${body.customerId}.`);
      if (body.smsMarketingState) {
        store.setSmsConsent(body.customerId, {
          marketingState: body.smsMarketingState as SmsMarketingState,
          marketingOptInLevel: body.marketingOptInLevel,
          consentCollectedFrom: body.consentCollectedFrom,
        });
      }
      if (body.addTags?.length) store.addTags(body.customerId, body.addTags);
      if (body.removeTags?.length) store.removeTags(body.customerId, body.removeTags);
      const customer = store.customer(body.customerId);
      if (!customer) throw new StoreError("NOT_FOUND", `No customer ${body.customerId}.`);
      const update = await emitter.emit("customers/update", customerPayload(store, customer));
      return {
        kind,
        summary: `Customer ${customer.firstName} ${customer.lastName} updated${body.smsMarketingState ? ` (SMS ${body.smsMarketingState})` : ""}`,
        entity: { customerId: `gid://shopify/Customer/${customer.id}` },
        webhooks: [sent(update)],
      };
    }
    case "product-back-in-stock": {
      const body = parseBody(kind, rawBody);
      const target =
        body.variantId !== undefined || body.productId !== undefined
          ? { variantId: body.variantId, productId: body.productId }
          : {
              productId: (
                store.products.find((p) => p.variants.every((v) => v.inventoryQuantity <= 0)) ??
                store.products.find((p) => p.variants.some((v) => v.inventoryQuantity <= 0))
              )?.id,
            };
      if (target.productId === undefined && target.variantId === undefined)
        throw new StoreError("NOT_FOUND", "Nothing is out of stock.");
      const { product, variants } = store.restock(target, body.quantity);
      const deliveries = [
        await emitter.emit("products/update", productPayload(store, product, deps.imageUrl(product.handle))),
      ];
      for (const variant of variants)
        deliveries.push(await emitter.emit("inventory_levels/update", inventoryLevelPayload(store, variant)));
      return {
        kind,
        summary: `${product.title} back in stock (${variants.length} variant${variants.length === 1 ? "" : "s"})`,
        entity: { productId: `gid://shopify/Product/${product.id}`, variantIds: variants.map((v) => v.id).join(",") },
        webhooks: deliveries.map(sent),
      };
    }
  }
}

export async function runComplianceEvent(
  kind: ComplianceEventKind,
  rawBody: unknown,
  deps: EventDependencies,
): Promise<StoreEventResult> {
  const parsed = ComplianceBody.safeParse(rawBody ?? {});
  if (!parsed.success) throw new EventInputError(parsed.error.issues.map((i) => i.message).join("; "));
  const { store, emitter } = deps;
  const needCustomer = () => {
    const id = parsed.data.customerId;
    if (id === undefined) throw new EventInputError("customerId is required");
    if (!store.customer(id)) throw new StoreError("NOT_FOUND", `No customer ${id}.`);
    return id;
  };
  let delivery: WebhookDelivery;
  switch (kind) {
    case "customers-data-request":
      delivery = await emitCustomersDataRequest(emitter, store, needCustomer());
      break;
    case "customers-redact":
      delivery = await emitCustomersRedact(emitter, store, needCustomer());
      break;
    case "shop-redact":
      delivery = await emitShopRedact(emitter, store);
      break;
    case "app-uninstalled":
      delivery = await emitAppUninstalled(emitter, store);
      break;
  }
  return {
    kind,
    summary: `${delivery.topic} sent`,
    entity: { customerId: parsed.data.customerId ?? null },
    webhooks: [sent(delivery)],
  };
}
