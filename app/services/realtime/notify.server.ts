import { queryRaw } from "~/db.server";
import { Prisma } from "~/generated/prisma/client.ts";

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
  const query = noticesQuery(tx, notices);
  if (!deferred.has(tx) && notices.length > 0) await queryRaw(tx, query);
}

/**
 * The notices as a query to end a statement that writes (`WITH … <writes> SELECT …`), so they cost no round trip
 * of their own; when the transaction defers its notices they are added to the buffer and the query sends nothing.
 */
export function noticesQuery(tx: Tx, notices: Notice[]): Prisma.Sql {
  const buffer = deferred.get(tx);
  if (buffer || notices.length === 0) {
    buffer?.push(...notices);
    return Prisma.sql`SELECT NULL::text`;
  }
  return Prisma.sql`SELECT pg_notify(n.channel, n.payload)::text
    FROM unnest(${notices.map((n) => n.channel)}::text[], ${notices.map(payloadText)}::text[]) AS n(channel, payload)`;
}

export function notify(tx: Tx, channel: string, payload: object | string = {}) {
  return notifyAll(tx, [{ channel, payload }]);
}

export function notifyInbox(tx: Tx, notice: InboxNotice) {
  return notifyAll(tx, [inboxNotice(notice)]);
}

export const inboxNotice = (notice: InboxNotice): Notice => ({ channel: CHANNELS.inbox, payload: notice });

/**
 * Writes that do not depend on each other in one statement, with the notices they need: each write a CTE
 * (`w0 AS (…)`, `w1 AS (…)` — PostgreSQL runs every data-modifying CTE to completion, read or not; a later one may
 * read an earlier one's RETURNING), then `select` over them (say `SELECT w0.* FROM w0`, a row the first returns).
 * All of them see the same snapshot, so no two may write the same row.
 */
export function writeWithNotices<T = unknown>(
  tx: Tx,
  writes: Prisma.Sql[],
  notices: Notice[],
  select: Prisma.Sql = Prisma.sql`SELECT 1`,
): Promise<T[]> {
  const ctes = writes.map((write, i) => Prisma.sql`${Prisma.raw(`w${i}`)} AS (${write})`);
  // The notices' query is read by the final WHERE, so that it is evaluated (pg_notify is volatile).
  return queryRaw<T>(
    tx,
    Prisma.sql`
    WITH ${Prisma.join([...ctes, Prisma.sql`notices AS (${noticesQuery(tx, notices)})`], ", ")}
    SELECT * FROM (${select}) result WHERE (SELECT count(*) FROM notices) >= 0`,
  );
}
