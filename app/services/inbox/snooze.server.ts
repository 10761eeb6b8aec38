import { Prisma } from "~/generated/prisma/client.ts";
import { queryRaw, transaction } from "~/db.server";
import { recordConversationEvent } from "./conversation-events.server";

// A snoozed conversation comes back to Open when its time is up, with a line on its timeline, and open inbox pages
// hear about it. (A shopper's text wakes it earlier: the engine reopens the thread on any inbound message.)
// Runs every minute from the worker; `SKIP LOCKED` lets several workers share the sweep.

export async function wakeSnoozedConversations(now = new Date(), limit = 500): Promise<number> {
  return transaction(async (tx) => {
    const woken = await queryRaw<{ id: string; shopId: string }>(
      tx,
      Prisma.sql`
      UPDATE "Conversation" SET status = 'OPEN', "snoozedUntil" = NULL, "updatedAt" = ${now}
      WHERE id IN (
        SELECT id FROM "Conversation"
        WHERE status = 'SNOOZED' AND "snoozedUntil" <= ${now}
        ORDER BY "snoozedUntil" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, "shopId"`,
    );
    for (const conversation of woken) {
      await recordConversationEvent(tx, {
        shopId: conversation.shopId,
        conversationId: conversation.id,
        event: { kind: "snooze_ended", data: {} },
        actorKind: "SYSTEM",
        at: now,
      });
    }
    return woken.length;
  });
}
