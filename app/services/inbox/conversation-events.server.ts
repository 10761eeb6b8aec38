import { ConversationEventSchema, type ConversationEventInput } from "~/domain/conversation-events";
import { newId } from "~/db/ids.server";
import { type AuthorKind, Prisma } from "~/generated/prisma/client.ts";
import { inboxNotice, type Notice, writeWithNotices } from "~/services/realtime/notify.server";

// The one writer of timeline events, used by staff actions, consent changes and discounts. Kept apart from the
// actions so that low-level services (consent) can record events without importing the send path.

type Tx = Prisma.TransactionClient;

/** Appends a timeline event (validated by its kind's schema) and notifies open inbox pages on commit. */
export async function recordConversationEvent(tx: Tx, input: ConversationEventRecord) {
  const write = conversationEventWrite(input);
  await writeWithNotices(tx, [write.insert], [write.notice]);
  return { id: write.id };
}

type ConversationEventRecord = {
  shopId: string;
  conversationId: string;
  event: ConversationEventInput;
  actorKind: AuthorKind;
  actorStaffId?: string | null;
  at?: Date;
};

/**
 * recordConversationEvent as an INSERT and its notice, for a caller that writes it together with other rows in
 * one statement (`WITH … AS (insert)`, see consent.server.ts).
 */
export function conversationEventWrite(input: ConversationEventRecord): {
  id: string;
  insert: Prisma.Sql;
  notice: Notice;
} {
  const event = ConversationEventSchema.parse(input.event);
  const id = newId();
  return {
    id,
    insert: Prisma.sql`
      INSERT INTO "ConversationEvent" (id, "shopId", "conversationId", kind, "actorKind", "actorStaffId", data, "createdAt")
      VALUES (${id}, ${input.shopId}, ${input.conversationId}, ${event.kind}, CAST(${input.actorKind} AS "AuthorKind"),
        ${input.actorStaffId ?? null}, ${JSON.stringify(event.data)}::jsonb, ${input.at ?? new Date()})`,
    notice: inboxNotice({ shopId: input.shopId, conversationId: input.conversationId, kind: "conversation" }),
  };
}
