import type { Prisma } from "~/generated/prisma/client.ts";

// Postgres NOTIFY inside the writing transaction: listeners hear it only if the transaction commits, and any app
// instance or worker connected to the database hears it. Payloads carry ids only (NOTIFY payloads are public to
// every connection and limited to 8 kB).
export const CHANNELS = {
  inbox: "parley_inbox", // a conversation changed: new message, status, delivery receipt
  outbox: "parley_outbox", // a message is ready to send: wake the delivery workers
  events: "parley_events", // a provider event was recorded: wake the inbound workers
} as const;

type Tx = Prisma.TransactionClient;

export type InboxNotice = {
  shopId: string;
  conversationId: string | null;
  messageId?: string;
  kind: "message" | "status" | "conversation";
};

export async function notify(tx: Tx, channel: (typeof CHANNELS)[keyof typeof CHANNELS], payload: object = {}) {
  await tx.$executeRaw`SELECT pg_notify(${channel}, ${JSON.stringify(payload)})`;
}

export function notifyInbox(tx: Tx, notice: InboxNotice) {
  return notify(tx, CHANNELS.inbox, notice);
}
