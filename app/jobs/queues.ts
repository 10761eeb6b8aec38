import { z } from "zod";

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
} as const;

export type QueueName = (typeof queues)[keyof typeof queues]["name"];
export type QueuePayload<K extends keyof typeof queues> = z.infer<(typeof queues)[K]["payload"]>;
