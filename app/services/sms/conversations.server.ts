import type { Conversation, Prisma } from "~/generated/prisma/client.ts";

// One thread per shopper: a reply lands in the conversation its shopper already has (a campaign or flow message
// included), reopened if it was closed. A conversation quiet for longer than REOPEN_WINDOW starts afresh, so the
// inbox keeps "previous conversations" readable instead of one endless thread.
type Tx = Prisma.TransactionClient;
const REOPEN_WINDOW_MS = 30 * 24 * 3600 * 1000;

/** Serialises writers per contact for the rest of the transaction (inbound, sends and consent changes). */
export async function lockContact(tx: Tx, contactId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${contactId}, 42))`;
}

/**
 * lockContact for the shop's contact with this number, found and locked in one statement (its id never changes,
 * so the statement's snapshot is good enough for that); null when there is no such contact.
 */
export async function lockContactByPhone(tx: Tx, shopId: string, phoneE164: string): Promise<string | null> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id, pg_advisory_xact_lock(hashtextextended(id, 42))::text AS locked
    FROM "Contact" WHERE "shopId" = ${shopId} AND "phoneE164" = ${phoneE164}`;
  return row?.id ?? null;
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

export async function touchConversation(
  tx: Tx,
  conversationId: string,
  input: { at: Date; preview: string; inbound: boolean },
) {
  await tx.conversation.update({
    where: { id: conversationId },
    data: {
      lastMessageAt: input.at,
      lastMessageText: input.preview.slice(0, 280),
      ...(input.inbound ? { unreadCount: { increment: 1 }, lastInboundAt: input.at } : {}),
    },
  });
}

/**
 * A shopper's text: findOrOpenConversation (open: true) and touchConversation (inbound) in two statements, and the
 * outbound text it answers (the thread's latest one on its way or delivered; null in a new thread).
 */
export async function conversationForInbound(
  tx: Tx,
  input: { shopId: string; contactId: string; sendingNumberId: string; at: Date; preview: string; now: Date },
): Promise<{ conversation: Conversation; answeredId: string | null }> {
  const [latest] = await tx.$queryRaw<(Conversation & { answeredId: string | null })[]>`
    SELECT c.*, (
      SELECT m.id FROM "Message" m
      WHERE m."conversationId" = c.id AND m.direction = 'OUTBOUND' AND m.status IN ('SENT', 'DELIVERED', 'SENDING')
      ORDER BY m."createdAt" DESC LIMIT 1) AS "answeredId"
    FROM "Conversation" c WHERE c."shopId" = ${input.shopId} AND c."contactId" = ${input.contactId}
    ORDER BY c."lastMessageAt" DESC LIMIT 1`;
  const touch = {
    lastMessageAt: input.at,
    lastMessageText: input.preview.slice(0, 280),
    lastInboundAt: input.at,
  };
  if (latest && isFresh(latest, input.now)) {
    const { answeredId, ...current } = latest;
    const conversation = await tx.conversation.update({
      where: { id: current.id },
      data: {
        ...touch,
        unreadCount: { increment: 1 },
        ...(current.status !== "OPEN" ? { status: "OPEN", snoozedUntil: null, closedAt: null } : {}),
      },
    });
    return { conversation, answeredId };
  }
  const conversation = await tx.conversation.create({
    data: {
      shopId: input.shopId,
      contactId: input.contactId,
      sendingNumberId: input.sendingNumberId,
      status: "OPEN",
      unreadCount: 1,
      ...touch,
    },
  });
  return { conversation, answeredId: null };
}
