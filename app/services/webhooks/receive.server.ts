import { createHmac, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import { transaction } from "~/db.server";
import { env } from "~/env.server";
import type { Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { authenticate } from "~/shopify.server";

// The one way a Shopify webhook gets into Parley. Routes stay thin:
//   export const action = ({ request }: ActionFunctionArgs) =>
//     receiveShopifyWebhook(request, "app/uninstalled", handleAppUninstalled);
// Answers: 405 not a POST · 401 bad HMAC, or a body signed for another shop than the header names · 400 missing
// headers or a payload the handler rejects · 404 the topic is not this route's · 200 done, or already done ·
// 500 the handler failed (nothing was written; Shopify retries).

export type WebhookTx = Prisma.TransactionClient;

export interface ShopifyWebhookContext {
  /** The shop's myshopify domain (X-Shopify-Shop-Domain). Every write the handler makes is scoped by it. */
  shop: string;
  /** The topic as Shopify names it in shopify.app.toml, e.g. "customers/redact". */
  topic: string;
  /** The parsed JSON body; handlers validate it with parseWebhookPayload. */
  payload: unknown;
  webhookId: string;
  eventId: string | null;
  /** The dedupe key: X-Shopify-Event-Id, else X-Shopify-Webhook-Id. */
  deliveryId: string;
  apiVersion: string;
}

export type ShopifyWebhookHandler = (tx: WebhookTx, webhook: ShopifyWebhookContext) => Promise<void>;

/** Thrown by a handler whose payload does not have the shape it needs: answered 400, nothing written. */
export class WebhookPayloadError extends Error {
  readonly code = "WEBHOOK_PAYLOAD_INVALID";
  constructor(
    readonly topic: string,
    readonly issues: string[],
  ) {
    super(`Invalid ${topic} payload: ${issues.join("; ")}`);
    this.name = "WebhookPayloadError";
  }
}

export function parseWebhookPayload<S extends z.ZodType>(schema: S, webhook: ShopifyWebhookContext): z.infer<S> {
  const result = schema.safeParse(webhook.payload);
  if (result.success) return result.data;
  throw new WebhookPayloadError(
    webhook.topic,
    result.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`),
  );
}

/** "app/uninstalled", "APP_UNINSTALLED" and "app.uninstalled" are the same topic. */
export function topicKey(topic: string): string {
  return topic.toUpperCase().replace(/[/.]/g, "_");
}

// Shopify expects an answer within 5 s; a large shop/redact may take longer, and then Shopify's retry finds the
// delivery already recorded. The transaction may outlive the answer's deadline, never leave half a deletion.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const;

export async function receiveShopifyWebhook(
  request: Request,
  expectedTopic: string,
  handler: ShopifyWebhookHandler,
): Promise<Response> {
  let verified: VerifiedWebhook;
  try {
    verified = await verifyShopifyWebhook(request);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }

  if (topicKey(verified.topic) !== topicKey(expectedTopic)) {
    log.warn("shopify webhook: topic does not match its route", {
      shop: verified.shop,
      topic: verified.topic,
      route: expectedTopic,
    });
    return new Response(null, { status: 404 });
  }

  // The HMAC covers the body, not the headers: a captured delivery replayed with another shop's domain in
  // X-Shopify-Shop-Domain must not act on that shop. Where the signed body names the shop, the two must agree.
  const signedShop = shopNamedInBody(verified.payload);
  if (signedShop !== undefined && signedShop !== verified.shop) {
    log.warn("shopify webhook: header shop differs from the signed body", {
      shop: verified.shop,
      topic: verified.topic,
    });
    return new Response(null, { status: 401 });
  }

  const webhook: ShopifyWebhookContext = {
    shop: verified.shop,
    topic: expectedTopic,
    payload: verified.payload,
    webhookId: verified.webhookId,
    eventId: verified.eventId,
    deliveryId: verified.eventId ?? verified.webhookId,
    apiVersion: verified.apiVersion,
  };

  try {
    const outcome = await transaction(async (tx) => {
      // ON CONFLICT DO NOTHING: a concurrent duplicate waits here for the first delivery's transaction, then
      // finds the row (and does nothing) or, if the first rolled back, takes over.
      const recorded = await tx.webhookDelivery.createMany({
        data: [{ id: webhook.deliveryId, shopId: webhook.shop, topic: webhook.topic }],
        skipDuplicates: true,
      });
      if (recorded.count === 0) return "duplicate" as const;
      await handler(tx, webhook);
      return "processed" as const;
    }, TRANSACTION_OPTIONS);
    log.info(`shopify webhook ${outcome}`, {
      shop: webhook.shop,
      topic: webhook.topic,
      deliveryId: webhook.deliveryId,
    });
    return new Response(null, { status: 200 });
  } catch (error) {
    if (error instanceof WebhookPayloadError) {
      log.warn("shopify webhook: payload rejected", { shop: webhook.shop, topic: webhook.topic, issues: error.issues });
      return new Response(null, { status: 400 });
    }
    log.error("shopify webhook: handler failed, rolled back", {
      shop: webhook.shop,
      topic: webhook.topic,
      deliveryId: webhook.deliveryId,
      error,
    });
    return new Response(null, { status: 500 });
  }
}

/** compliance topics carry `shop_domain`; app/uninstalled carries the shop itself (`myshopify_domain`). */
function shopNamedInBody(payload: unknown): string | undefined {
  if (!payload || typeof payload !== "object") return undefined;
  const body = payload as Record<string, unknown>;
  for (const key of ["shop_domain", "myshopify_domain"]) {
    if (typeof body[key] === "string" && body[key]) return body[key];
  }
  return undefined;
}

interface VerifiedWebhook {
  shop: string;
  topic: string;
  payload: unknown;
  webhookId: string;
  eventId: string | null;
  apiVersion: string;
}

async function verifyShopifyWebhook(request: Request): Promise<VerifiedWebhook> {
  const copy = request.method === "POST" ? request.clone() : undefined;
  try {
    const context = await authenticate.webhook(request);
    return {
      shop: context.shop,
      topic: String(context.topic),
      payload: context.payload,
      webhookId: context.webhookId,
      eventId: ("eventId" in context ? context.eventId : undefined) ?? request.headers.get("X-Shopify-Event-Id"),
      apiVersion: context.apiVersion,
    };
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status < 500) throw thrown;
    if (!copy) throw thrown;
    // authenticate.webhook checks the HMAC first and only then loads the shop's offline session; with expiring
    // offline tokens it refreshes an expired one, which Shopify refuses once the app is uninstalled — so
    // app/uninstalled and the compliance topics would fail for ever (Shopify/shopify-app-js#3360). No handler
    // here needs the Admin API, so verify the delivery again without the session and carry on.
    log.warn("shopify webhook: authenticate.webhook failed after the HMAC check; continuing without a session", {
      topic: request.headers.get("X-Shopify-Topic"),
      shop: request.headers.get("X-Shopify-Shop-Domain"),
      error: thrown instanceof Response ? `Response ${thrown.status}` : thrown,
    });
    return verifyWithoutSession(copy);
  }
}

async function verifyWithoutSession(request: Request): Promise<VerifiedWebhook> {
  const rawBody = await request.text();
  const signature = Buffer.from(request.headers.get("X-Shopify-Hmac-Sha256") ?? "", "base64");
  const expected = createHmac("sha256", env().SHOPIFY_API_SECRET).update(rawBody, "utf8").digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw new Response(null, { status: 401, statusText: "Unauthorized" });
  }
  const header = (name: string) => request.headers.get(name);
  const shop = header("X-Shopify-Shop-Domain");
  const topic = header("X-Shopify-Topic");
  const webhookId = header("X-Shopify-Webhook-Id");
  const apiVersion = header("X-Shopify-API-Version");
  if (!shop || !topic || !webhookId || !apiVersion)
    throw new Response(null, { status: 400, statusText: "Bad Request" });
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    throw new Response(null, { status: 400, statusText: "Bad Request" });
  }
  return { shop, topic, payload, webhookId, eventId: header("X-Shopify-Event-Id"), apiVersion };
}
