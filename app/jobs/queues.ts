import { z } from "zod";
import { ProductStockSchema } from "~/domain/flows/interest";

// Every queue and the shape of its payload. Jobs carry ids, not copies of rows: the worker re-reads the
// database, so a job that runs late or twice acts on the current truth.
export const queues = {
  sendTestMessage: {
    name: "sms.send-test",
    payload: z.object({ shopId: z.string(), to: z.string(), text: z.string(), requestedBy: z.string().optional() }),
  },
  // Parley → Shopify SMS consent. { contactId }: that contact, if due (enqueued on commit and for retries);
  // {}: every due contact (the minute sweep).
  syncShopifyConsent: {
    name: "shopify.sync-consent",
    payload: z.object({ contactId: z.string().optional() }),
  },
  // Deletes browse events past each shop's retention (daily schedule).
  browseRetention: {
    name: "browse.retention",
    payload: z.object({}),
  },
  // A subscriber import (CSV) run or resumed from its last committed batch; one job per import (singletonKey).
  importSubscribers: {
    name: "subscribers.import",
    payload: z.object({ shopId: z.string(), importId: z.string() }),
  },
  // The welcome text after a confirmed sign-up when the shop offers a welcome code: the code is created through
  // the Admin API here, outside the transaction that recorded the confirmation (app/services/opt-in/welcome.server.ts).
  sendWelcome: {
    name: "opt-in.welcome",
    payload: z.object({ shopId: z.string(), contactId: z.string(), consentEventId: z.string() }),
  },
  // Lapses double opt-ins nobody confirmed within the shop's window (every few minutes, all shops).
  expirePendingOptIns: {
    name: "opt-in.expire-pending",
    payload: z.object({}),
  },
  // Brings snoozed conversations whose time has come back to Open (every minute, all shops).
  wakeSnoozed: {
    name: "inbox.wake-snoozed",
    payload: z.object({}),
  },
  // A flow run's timer (app/services/flows/timers.server.ts): { runId, timerSeq } fires that timer if it is still
  // the run's pending one (a replaced timer's job is a no-op); {} sweeps every due timer (every minute, all shops:
  // the safety net after restarts or lost jobs).
  flowTimer: {
    name: "flows.timer",
    payload: z.object({ runId: z.string().optional(), timerSeq: z.number().int().optional() }),
  },
  // A flow's offer: a customer-locked code through the Admin API, then `offer_created` / `offer_failed` to the run.
  flowOffer: {
    name: "flows.offer",
    payload: z.object({
      shopId: z.string(),
      runId: z.string(),
      seq: z.number().int(),
      offer: z.discriminatedUnion("kind", [
        z.object({ kind: z.literal("FREE_SHIPPING") }),
        z.object({ kind: z.literal("PERCENTAGE"), percent: z.number().int() }),
      ]),
      inReplyToMessageId: z.string().nullish(),
    }),
  },
  // A flow's tags on the contact's Shopify customer (tagsAdd), outside the transaction that tagged the contact.
  flowTagCustomer: {
    name: "flows.tag-customer",
    payload: z.object({ shopId: z.string(), contactId: z.string(), tags: z.array(z.string()) }),
  },
  // A fulfilment's news for the shipping flow (app/services/flows/shipping-updates.server.ts): enqueued by the
  // fulfillments/create|update webhook, it reads the order and the delivery estimate through the Admin API (never
  // inside the webhook's transaction) and starts or moves the fulfilment's run; a delivery also starts feedback.
  flowShipment: {
    name: "flows.shipment",
    payload: z.object({ shopId: z.string(), orderId: z.string(), fulfillmentId: z.string(), causeKey: z.string() }),
  },
  // A watched product was updated (products/update): each waiting shopper whose product came back gets the link,
  // one transaction per run (app/services/flows/interest-availability.server.ts). It carries the webhook's stock
  // figures: they are the news, not a copy of a row.
  flowProductAvailable: {
    name: "flows.product-available",
    payload: z.object({
      shopId: z.string(),
      productId: z.string(),
      title: z.string(),
      handle: z.string(),
      stock: ProductStockSchema,
    }),
  },
} as const;

export type QueueName = (typeof queues)[keyof typeof queues]["name"];
export type QueuePayload<K extends keyof typeof queues> = z.infer<(typeof queues)[K]["payload"]>;
