import { createHmac, randomUUID } from "node:crypto";
import type { ShopifyStore } from "./store";
import { customerPayload, shopPayload } from "./rest-payloads";

// Delivers webhooks to the app the way Shopify does: POST of a JSON body to the subscription URI, signed with
// HMAC-SHA256 of the exact raw bytes under the app's API secret (base64), with the X-Shopify-* headers that
// `authenticate.webhook` requires (topic, shop domain, API version, webhook id; hmac) and the ones it passes on
// (event id, triggered at). Webhooks are not subject to the library's bot check, so the user agent is Shopify's.

export interface WebhookEmitterOptions {
  appUrl: string;
  apiSecret: string;
  shop: string;
  apiVersion?: string;
  /** Where a topic is delivered; defaults to `${appUrl}/webhooks/${topic}` (e.g. /webhooks/customers/redact). */
  urlFor?: (topic: string) => string;
  timeoutMs?: number;
  now?: () => Date;
  /** How many recent deliveries `deliveries` keeps. */
  logSize?: number;
}

export interface EmitOptions {
  /** Re-use an id to simulate Shopify's retry of the same delivery. */
  webhookId?: string;
  eventId?: string;
  triggeredAt?: Date;
  apiVersion?: string;
  /** Sign with another secret (tests of the app's 401 path). */
  signWithSecret?: string;
}

export interface WebhookDelivery {
  topic: string;
  url: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  /** The app's HTTP status, or null when it could not be reached. */
  status: number | null;
  ok: boolean;
  error?: string;
  durationMs: number;
  headers: Record<string, string>;
  payload: unknown;
}

export interface WebhookEmitter {
  emit(topic: string, payload: unknown, options?: EmitOptions): Promise<WebhookDelivery>;
  /** Most recent first. */
  readonly deliveries: readonly WebhookDelivery[];
}

export function signWebhookBody(rawBody: string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}

export function createWebhookEmitter(options: WebhookEmitterOptions): WebhookEmitter {
  const deliveries: WebhookDelivery[] = [];
  const apiVersion = options.apiVersion ?? "2025-10";
  const urlFor = options.urlFor ?? ((topic: string) => `${options.appUrl.replace(/\/$/, "")}/webhooks/${topic}`);
  const now = options.now ?? (() => new Date());
  const logSize = options.logSize ?? 100;

  async function emit(topic: string, payload: unknown, emitOptions: EmitOptions = {}): Promise<WebhookDelivery> {
    const body = JSON.stringify(payload);
    const webhookId = emitOptions.webhookId ?? randomUUID();
    const eventId = emitOptions.eventId ?? randomUUID();
    const triggeredAt = (emitOptions.triggeredAt ?? now()).toISOString();
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": options.shop,
      "X-Shopify-Hmac-Sha256": signWebhookBody(body, emitOptions.signWithSecret ?? options.apiSecret),
      "X-Shopify-API-Version": emitOptions.apiVersion ?? apiVersion,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-Triggered-At": triggeredAt,
    };
    const url = urlFor(topic);
    const started = Date.now();
    let delivery: WebhookDelivery;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      // Shopify ignores the body; read it so the connection is released.
      await response.arrayBuffer().catch(() => undefined);
      delivery = {
        topic,
        url,
        webhookId,
        eventId,
        triggeredAt,
        status: response.status,
        ok: response.ok,
        durationMs: Date.now() - started,
        headers,
        payload,
      };
    } catch (error) {
      delivery = {
        topic,
        url,
        webhookId,
        eventId,
        triggeredAt,
        status: null,
        ok: false,
        error: (error as Error).message,
        durationMs: Date.now() - started,
        headers,
        payload,
      };
    }
    deliveries.unshift(delivery);
    deliveries.length = Math.min(deliveries.length, logSize);
    return delivery;
  }

  return { emit, deliveries };
}

// ---- compliance topics and app lifecycle ------------------------------------------------------------------

function customerRef(store: ShopifyStore, customerId: number) {
  const customer = store.customer(customerId);
  if (!customer) throw new Error(`No customer ${customerId}`);
  return { id: customer.id, email: customer.email, phone: customer.phone };
}

/** customers/data_request: the shop owner asked what the app stores about a customer. */
export function emitCustomersDataRequest(
  emitter: WebhookEmitter,
  store: ShopifyStore,
  customerId: number,
  options?: EmitOptions,
) {
  return emitter.emit(
    "customers/data_request",
    {
      shop_id: store.shop.id,
      shop_domain: store.shop.myshopifyDomain,
      orders_requested: store.ordersOf(customerId).map((o) => o.id),
      customer: customerRef(store, customerId),
      data_request: { id: Math.floor(store.now().getTime() / 1000) },
    },
    options,
  );
}

/** customers/redact: erase what the app holds about a customer (sent 10 days after a request, or at once here). */
export function emitCustomersRedact(
  emitter: WebhookEmitter,
  store: ShopifyStore,
  customerId: number,
  options?: EmitOptions,
) {
  return emitter.emit(
    "customers/redact",
    {
      shop_id: store.shop.id,
      shop_domain: store.shop.myshopifyDomain,
      customer: customerRef(store, customerId),
      orders_to_redact: store.ordersOf(customerId).map((o) => o.id),
    },
    options,
  );
}

/** shop/redact: 48 hours after uninstall, erase everything of the shop. */
export function emitShopRedact(emitter: WebhookEmitter, store: ShopifyStore, options?: EmitOptions) {
  return emitter.emit("shop/redact", { shop_id: store.shop.id, shop_domain: store.shop.myshopifyDomain }, options);
}

/** app/uninstalled carries the shop resource. */
export function emitAppUninstalled(emitter: WebhookEmitter, store: ShopifyStore, options?: EmitOptions) {
  return emitter.emit("app/uninstalled", shopPayload(store), options);
}

/** customers/update for a customer as it now is (consent, tags…). */
export function emitCustomerUpdated(
  emitter: WebhookEmitter,
  store: ShopifyStore,
  customerId: number,
  options?: EmitOptions,
) {
  const customer = store.customer(customerId);
  if (!customer) throw new Error(`No customer ${customerId}`);
  return emitter.emit("customers/update", customerPayload(store, customer), options);
}
