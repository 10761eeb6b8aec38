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

export type Notice = { channel: string; payload: object | string };

// A transaction that asked for it (deferNotices) collects its notices and sends them with its last statement
// (takeDeferredNotices): NOTIFY is delivered on commit either way, so only the round trips change.
const deferred = new WeakMap<Tx, Notice[]>();

export function deferNotices(tx: Tx) {
  deferred.set(tx, []);
}

/** The notices deferred in this transaction, as the arrays `pg_notify` over `unnest` takes; the buffer is emptied. */
export function takeDeferredNotices(tx: Tx): { channels: string[]; payloads: string[] } {
  const notices = deferred.get(tx)?.splice(0) ?? [];
  return { channels: notices.map((n) => n.channel), payloads: notices.map(payloadText) };
}

const payloadText = (notice: Notice) =>
  typeof notice.payload === "string" ? notice.payload : JSON.stringify(notice.payload);

/** Sends notices (one statement however many), or defers them when the transaction asked for that. */
export async function notifyAll(tx: Tx, notices: Notice[]) {
  const buffer = deferred.get(tx);
  if (buffer) {
    buffer.push(...notices);
    return;
  }
  await tx.$queryRaw`
    SELECT pg_notify(n.channel, n.payload)::text
    FROM unnest(${notices.map((n) => n.channel)}::text[], ${notices.map(payloadText)}::text[]) AS n(channel, payload)`;
}

export function notify(tx: Tx, channel: string, payload: object | string = {}) {
  return notifyAll(tx, [{ channel, payload }]);
}

export function notifyInbox(tx: Tx, notice: InboxNotice) {
  return notify(tx, CHANNELS.inbox, notice);
}
