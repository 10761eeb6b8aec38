import { executeRaw, queryRaw } from "~/db.server";
import { newId } from "~/db/ids.server";
import { type Conversation, Prisma } from "~/generated/prisma/client.ts";

// One thread per shopper: a reply lands in the conversation its shopper already has (a campaign or flow message
// included), reopened if it was closed. A conversation quiet for longer than REOPEN_WINDOW starts afresh, so the
// inbox keeps "previous conversations" readable instead of one endless thread.
type Tx = Prisma.TransactionClient;
const REOPEN_WINDOW_MS = 30 * 24 * 3600 * 1000;

/** Serialises writers per contact for the rest of the transaction (inbound, sends and consent changes). */
export async function lockContact(tx: Tx, contactId: string) {
  await executeRaw(tx, Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${contactId}, 42))`);
}

/**
 * lockContact for the shop's contact with this number, found and locked in one statement (its id never changes,
 * so the statement's snapshot is good enough for that); null when there is no such contact.
 */
export async function lockContactByPhone(tx: Tx, shopId: string, phoneE164: string): Promise<string | null> {
  const [row] = await queryRaw<{ id: string }>(tx, contactLockedByPhone(shopId, phoneE164));
  return row?.id ?? null;
}

/** lockContactByPhone as a query (its row: the contact's id), to join into a statement that reads more. */
export function contactLockedByPhone(shopId: string | Prisma.Sql, phoneE164: string) {
  return Prisma.sql`
    SELECT id, pg_advisory_xact_lock(hashtextextended(id, 42))::text AS locked
    FROM "Contact" WHERE "shopId" = ${shopId} AND "phoneE164" = ${phoneE164}`;
}

export async function latestConversation(tx: Tx, shopId: string, contactId: string) {
  return tx.conversation.findFirst({ where: { shopId, contactId }, orderBy: { lastMessageAt: "desc" } });
}

/**
 * The shopper's current conversation, reopened, or a new one. `open: false` (automated sends) attaches to the
 * current conversation without surfacing it in the inbox; a new one starts closed until the shopper answers.
 */
export async function findOrOpenConversation(
  tx: Tx,
  input: { shopId: string; contactId: string; sendingNumberId?: string | null; open: boolean; now?: Date },
) {
  const now = input.now ?? new Date();
  const latest = await latestConversation(tx, input.shopId, input.contactId);
  if (latest && isFresh(latest, now)) {
    if (input.open && latest.status !== "OPEN") {
      return tx.conversation.update({
        where: { id: latest.id },
        data: { status: "OPEN", snoozedUntil: null, closedAt: null },
      });
    }
    return latest;
  }
  return tx.conversation.create({
    data: {
      shopId: input.shopId,
      contactId: input.contactId,
      sendingNumberId: input.sendingNumberId ?? null,
      status: input.open ? "OPEN" : "CLOSED",
      lastMessageAt: now,
      closedAt: input.open ? null : now,
    },
  });
}

/** Whether a reply belongs in this conversation rather than a new one. */
function isFresh(conversation: Pick<Conversation, "status" | "lastMessageAt">, now: Date) {
  return conversation.status !== "CLOSED" || now.getTime() - conversation.lastMessageAt.getTime() < REOPEN_WINDOW_MS;
}

/** What a shopper's text needs to know about their latest conversation (see latestForInbound). */
export type LatestConversation = Pick<Conversation, "id" | "status" | "lastMessageAt"> & { answeredId: string | null };

/**
 * The contact's latest conversation and the outbound text a reply would answer (the thread's latest one on its way
 * or delivered), as a query for a LATERAL join in the statement that reads the contact under its lock.
 */
export function latestForInbound(shopId: Prisma.Sql, contactId: Prisma.Sql) {
  // Aliases of its own ("latest_c", "answered_m"): shopId and contactId are usually columns of the outer query.
  return Prisma.sql`
    SELECT latest_c.id, latest_c.status, latest_c."lastMessageAt", (
      SELECT answered_m.id FROM "Message" answered_m
      WHERE answered_m."conversationId" = latest_c.id AND answered_m.direction = 'OUTBOUND'
        AND answered_m.status IN ('SENT', 'DELIVERED', 'SENDING')
      ORDER BY answered_m."createdAt" DESC LIMIT 1) AS "answeredId"
    FROM "Conversation" latest_c WHERE latest_c."shopId" = ${shopId} AND latest_c."contactId" = ${contactId}
    ORDER BY latest_c."lastMessageAt" DESC LIMIT 1`;
}

/**
 * A shopper's text: findOrOpenConversation (open: true) and the inbound touch, as one UPDATE or INSERT … RETURNING *
 * for the statement that also stores the text; the conversation's id (a new one's is made here) and the outbound
 * text it answers (null in a new thread).
 */
export function conversationForInbound(
  latest: LatestConversation | null,
  input: { shopId: string; contactId: string; sendingNumberId: string; at: Date; preview: string; now: Date },
): { id: string; write: Prisma.Sql; answeredId: string | null } {
  const written = new Date();
  const preview = input.preview.slice(0, 280);
  if (latest && isFresh(latest, input.now)) {
    return {
      id: latest.id,
      write: Prisma.sql`
        UPDATE "Conversation" SET "lastMessageAt" = ${input.at}, "lastMessageText" = ${preview}, "lastInboundAt" = ${input.at},
          "unreadCount" = "unreadCount" + 1, "updatedAt" = ${written}
          ${latest.status !== "OPEN" ? Prisma.sql`, status = 'OPEN', "snoozedUntil" = NULL, "closedAt" = NULL` : Prisma.empty}
        WHERE id = ${latest.id} RETURNING *`,
      answeredId: latest.answeredId,
    };
  }
  const id = newId();
  return {
    id,
    write: Prisma.sql`
      INSERT INTO "Conversation" (id, "shopId", "contactId", "sendingNumberId", status, "unreadCount", "lastMessageAt",
        "lastMessageText", "lastInboundAt", "createdAt", "updatedAt")
      VALUES (${id}, ${input.shopId}, ${input.contactId}, ${input.sendingNumberId}, 'OPEN', 1, ${input.at}, ${preview},
        ${input.at}, ${written}, ${written})
      RETURNING *`,
    answeredId: null,
  };
}
