import type { Prisma } from "~/generated/prisma/client.ts";

// One thread per shopper: a reply lands in the conversation its shopper already has (a campaign or flow message
// included), reopened if it was closed. A conversation quiet for longer than REOPEN_WINDOW starts afresh, so the
// inbox keeps "previous conversations" readable instead of one endless thread.
type Tx = Prisma.TransactionClient;
const REOPEN_WINDOW_MS = 30 * 24 * 3600 * 1000;

/** Serialises writers per contact for the rest of the transaction (inbound, sends and consent changes). */
export async function lockContact(tx: Tx, contactId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${contactId}, 42))`;
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
  const fresh =
    latest && (latest.status !== "CLOSED" || now.getTime() - latest.lastMessageAt.getTime() < REOPEN_WINDOW_MS);
  if (latest && fresh) {
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
