import { z } from "zod";
import { type AdminGraphql, classifyShopifyError } from "~/adapters/shopify/customer-consent.server";
import { fetchShipment, type ShipmentFulfillment, type ShipmentOrder } from "~/adapters/shopify/shipment-query.server";
import { transaction } from "~/db.server";
import { canSend } from "~/domain/consent";
import type { FlowEvent } from "~/domain/flows/machine";
import type { ShippingUpdateContext } from "~/domain/flows/shipping-update";
import { normalizePhone } from "~/domain/phone";
import type { Contact, Prisma } from "~/generated/prisma/client.ts";
import { enqueueInTransaction } from "~/jobs/boss.server";
import type { QueuePayload } from "~/jobs/queues";
import { log } from "~/lib/log.server";
import { applyConsentEvent, loadConsent } from "~/services/sms/consent.server";
import { lockContact } from "~/services/sms/conversations.server";
import { parseWebhookPayload, type ShopifyWebhookHandler } from "~/services/webhooks/receive.server";
import { dispatchFlowEvent, startFlowRun } from "./engine.server";
import { startFeedbackAfterDelivery } from "./feedback.server";

// Shipping updates (issue 6): fulfillments/create|update → the fulfilment's SHIPPING_UPDATE run (the machine is
// app/domain/flows/shipping-update.ts).
//
// Decisions:
// - The webhook stays fast: its handler only decides whether anyone cares (the flow is on, or the fulfilment's
//   run is still going, or a delivery may start feedback) and enqueues `flows.shipment` in the webhook's
//   transaction. The REST payload has no order name, no buyer phone, no customer and no delivery estimate, so the
//   job reads them through the Admin API — outside any transaction — then starts or moves the run. Shopify's
//   throttling or a 5xx fails the job, which pg-boss retries; the webhook was answered long before.
// - The job acts on Shopify's current truth, not the webhook's snapshot: a job that runs late after a newer
//   update sees the newer status, and the machine never moves a parcel backwards. Its cause key is the webhook's
//   ("fulfillment:<id>:<shipment_status or updated_at>"), so a replayed webhook changes nothing.
// - Who: the contact linked to the order's customer, else the one with the order's phone (the number the buyer
//   gave at checkout, where Shopify sends order updates), else the shipping address's or customer's phone. A new
//   contact is created only for the order's phone.
// - Consent (compliance.md §1: transactional consent is its own, narrower consent): shipping texts are
//   TRANSACTIONAL; sendMessage allows them with transactional consent (or marketing consent). Giving a phone at
//   checkout for the order is a request for that order's updates, so when the order's phone is the contact's
//   number, the job records a transactional opt-in (source CHECKOUT, the order named in the note) — never over an
//   opt-out, which only the shopper can undo. A shipping-address phone is for the courier and consents to nothing;
//   a shopper reached only through it gets texts only if they already had consent. No marketing consent needed.

type Tx = Prisma.TransactionClient;

const NumericId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]);

// The fields of Shopify's REST fulfilment payload the receiver reads (rest-payloads.ts fulfillmentPayload).
const FulfillmentPayload = z.object({
  id: NumericId,
  admin_graphql_api_id: z.string().nullish(),
  order_id: NumericId,
  status: z.string().nullish(),
  shipment_status: z.string().nullish(),
  updated_at: z.string().nullish(),
});

export const fulfillmentSubject = (legacyId: string | number) => `fulfillment:${legacyId}`;
const legacyIdOf = (gid: string) => gid.split("/").pop() ?? gid;

/** fulfillments/create and fulfillments/update, inside the receiver's transaction (verified, deduplicated). */
export const handleFulfillmentWebhook: ShopifyWebhookHandler = async (tx, webhook) => {
  const payload = parseWebhookPayload(FulfillmentPayload, webhook);
  const shopId = webhook.shop;
  // Only a shipped fulfilment is news for the shopper; a cancelled or failed one is the merchant's business.
  if (payload.status && payload.status !== "success") return;
  const subjectKey = fulfillmentSubject(payload.id);
  const [shop, run, enabled] = await Promise.all([
    tx.shop.findUnique({ where: { id: shopId }, select: { id: true } }),
    tx.flowRun.findUnique({
      where: { shopId_kind_subjectKey: { shopId, kind: "SHIPPING_UPDATE", subjectKey } },
      select: { status: true },
    }),
    tx.flowSetting.findMany({
      where: { shopId, kind: { in: ["SHIPPING_UPDATE", "FEEDBACK"] }, enabled: true },
      select: { kind: true },
    }),
  ]);
  if (!shop) return;
  const on = new Set(enabled.map((s) => s.kind));
  const shipping = run ? run.status === "ACTIVE" : on.has("SHIPPING_UPDATE");
  const feedback = payload.shipment_status === "delivered" && on.has("FEEDBACK");
  if (!shipping && !feedback) return;
  const causeKey = `${subjectKey}:${payload.shipment_status ?? payload.updated_at ?? webhook.deliveryId}`;
  await enqueueInTransaction(
    tx,
    "flowShipment",
    {
      shopId,
      orderId: `gid://shopify/Order/${payload.order_id}`,
      fulfillmentId: payload.admin_graphql_api_id || `gid://shopify/Fulfillment/${payload.id}`,
      causeKey,
    },
    { singletonKey: `${shopId}:${causeKey}` },
  );
};

export type ShipmentDeps = { adminFor(shopId: string): Promise<AdminGraphql>; now(): Date };

export type ShipmentOutcome =
  | { outcome: "unreachable"; reason: string } // the shop's Admin API refused for good (uninstalled…)
  | { outcome: "not_found" } // Shopify no longer has the order or the fulfilment
  | { outcome: "not_shipped" } // cancelled, failed or pending
  | { outcome: "no_contact" }
  | { outcome: "done"; shipping: string | null; feedback: string | null };

/** The `flows.shipment` job: the Admin API read, then the run (and feedback after a delivery) in one transaction. */
export async function processShipment(
  payload: QueuePayload<"flowShipment">,
  deps: ShipmentDeps,
): Promise<ShipmentOutcome> {
  const { shopId } = payload;
  let found: Awaited<ReturnType<typeof fetchShipment>>;
  try {
    found = await fetchShipment(await deps.adminFor(shopId), payload.orderId, payload.fulfillmentId);
  } catch (error) {
    const failure = classifyShopifyError(error);
    // Throttled or down: the job fails and pg-boss retries it with backoff.
    if (failure.kind === "throttled" || failure.kind === "transient") throw error;
    log.warn("shipping update: Shopify refused the order read; dropped", { shopId, reason: failure.reason });
    return { outcome: "unreachable", reason: failure.reason };
  }
  if (!found) return { outcome: "not_found" };
  const { order, fulfillment } = found;
  if (fulfillment.status !== "SUCCESS") return { outcome: "not_shipped" };

  return transaction(
    async (tx) => {
      const now = deps.now();
      const shippingOn = await tx.flowSetting.findUnique({
        where: { shopId_kind: { shopId, kind: "SHIPPING_UPDATE" } },
        select: { enabled: true },
      });
      const contact = await contactFor(tx, shopId, order, { create: !!shippingOn?.enabled });
      if (!contact) return { outcome: "no_contact" as const };
      if (shippingOn?.enabled) await recordOrderUpdatesConsent(tx, contact, order);

      const shipping = await startOrMoveRun(tx, {
        shopId,
        contact,
        order,
        fulfillment,
        causeKey: payload.causeKey,
        now,
      });
      let feedback: string | null = null;
      if (fulfillment.deliveredAt || fulfillment.shipmentStatus === "delivered") {
        const started = await startFeedbackAfterDelivery(
          {
            shopId,
            contactId: contact.id,
            orderId: order.id,
            orderName: order.name,
            productTitle: order.productTitle,
            deliveredAt: fulfillment.deliveredAt ?? now,
            conversationId: shipping.conversationId,
          },
          { tx, now },
        );
        feedback = started.outcome === "not_started" ? `not_started:${started.reason}` : started.outcome;
      }
      log.info("shipping update", { shopId, causeKey: payload.causeKey, shipping: shipping.outcome, feedback });
      return { outcome: "done" as const, shipping: shipping.outcome, feedback };
    },
    { timeout: 20_000 },
  );
}

/** Starts the fulfilment's run, or hands this news to the run that exists. */
async function startOrMoveRun(
  tx: Tx,
  input: {
    shopId: string;
    contact: Contact;
    order: ShipmentOrder;
    fulfillment: ShipmentFulfillment;
    causeKey: string;
    now: Date;
  },
): Promise<{ outcome: string; conversationId: string | null }> {
  const { shopId, contact, order, fulfillment, now } = input;
  const subjectKey = fulfillmentSubject(legacyIdOf(fulfillment.id));
  const context: ShippingUpdateContext = {
    fulfillmentId: fulfillment.id,
    orderId: order.id,
    orderName: order.name,
    orderStatusUrl: order.statusPageUrl,
    productTitle: order.productTitle,
    shipment: {
      status: fulfillment.shipmentStatus,
      carrier: fulfillment.carrier,
      trackingNumber: fulfillment.trackingNumber,
      trackingUrl: fulfillment.trackingUrl,
      estimatedDeliveryAt: fulfillment.estimatedDeliveryAt,
      deliveredAt: fulfillment.deliveredAt,
    },
    texted: [],
    notifyOnDelivery: false,
  };
  const started = await startFlowRun(
    { shopId, kind: "SHIPPING_UPDATE", contactId: contact.id, subjectKey, context, now },
    { tx },
  );
  const conversationOf = async (runId: string) =>
    (await tx.flowRun.findUnique({ where: { id: runId }, select: { conversationId: true } }))?.conversationId ?? null;
  if (started.outcome === "not_started") return { outcome: `not_started:${started.reason}`, conversationId: null };
  if (started.outcome === "started") return { outcome: "started", conversationId: await conversationOf(started.runId) };

  const event: FlowEvent = {
    type: "fulfillment_updated",
    fulfillmentId: fulfillment.id,
    shipmentStatus: fulfillment.shipmentStatus,
    trackingCompany: fulfillment.carrier,
    trackingNumber: fulfillment.trackingNumber,
    trackingUrl: fulfillment.trackingUrl,
    estimatedDeliveryAt: fulfillment.estimatedDeliveryAt,
  };
  const moved = await dispatchFlowEvent({ shopId, runId: started.runId, event, causeKey: input.causeKey, now }, { tx });
  return { outcome: moved.outcome, conversationId: await conversationOf(started.runId) };
}

const phoneOf = (raw: string | null | undefined) => {
  const phone = raw ? normalizePhone(raw) : null;
  return phone?.ok ? phone.e164 : null;
};

/**
 * The order's shopper as a contact, locked for the transaction: the one linked to the order's customer, else the
 * one with the order's, shipping or customer phone. `create`: a new contact for the order's phone when none.
 */
async function contactFor(
  tx: Tx,
  shopId: string,
  order: ShipmentOrder,
  options: { create: boolean },
): Promise<Contact | null> {
  let contact = order.customer
    ? await tx.contact.findFirst({
        where: { shopId, shopifyCustomerId: order.customer.id },
        orderBy: { updatedAt: "desc" },
      })
    : null;
  const phones = [order.phone, order.shippingPhone, order.customer?.phone].map(phoneOf).filter((p) => p !== null);
  if (!contact && phones.length > 0) {
    const byPhone = await tx.contact.findMany({ where: { shopId, phoneE164: { in: phones } } });
    contact = phones.map((p) => byPhone.find((c) => c.phoneE164 === p)).find((c) => c) ?? null;
  }
  const orderPhone = phoneOf(order.phone);
  if (!contact && options.create && orderPhone) {
    await tx.contact.createMany({ data: [{ shopId, phoneE164: orderPhone }], skipDuplicates: true });
    contact = await tx.contact.findUniqueOrThrow({ where: { shopId_phoneE164: { shopId, phoneE164: orderPhone } } });
  }
  if (!contact) return null;
  await lockContact(tx, contact.id);
  // What the contact lacks and the order knows: the inbox then shows the customer and greets them by name.
  const customer = order.customer;
  const known = {
    ...(customer && !contact.shopifyCustomerId ? { shopifyCustomerId: customer.id } : {}),
    ...(customer?.firstName && !contact.firstName ? { firstName: customer.firstName } : {}),
    ...(customer?.lastName && !contact.lastName ? { lastName: customer.lastName } : {}),
  };
  return Object.keys(known).length > 0 ? tx.contact.update({ where: { id: contact.id }, data: known }) : contact;
}

/** The buyer gave this number at checkout for this order: a transactional opt-in, unless they opted out. */
async function recordOrderUpdatesConsent(tx: Tx, contact: Contact, order: ShipmentOrder) {
  if (phoneOf(order.phone) !== contact.phoneE164) return;
  const current = await loadConsent(tx, contact.id);
  if (canSend("TRANSACTIONAL", current).allowed) return;
  if (current.transactional === "UNSUBSCRIBED" || current.marketing === "UNSUBSCRIBED") return;
  await applyConsentEvent(
    tx,
    contact,
    { type: "transactional_opt_in", source: "CHECKOUT" },
    {
      source: "CHECKOUT",
      occurredAt: order.processedAt,
      shopifyCustomerId: order.customer?.id ?? null,
      note: `phone given at checkout for order updates (order ${order.name})`,
    },
    { current },
  );
}
