import { ConversationEventSchema, type ConversationEventInput } from "~/domain/conversation-events";
import type { AuthorKind, Prisma } from "~/generated/prisma/client.ts";
import { notifyInbox } from "~/services/realtime/notify.server";

// The one writer of timeline events, used by staff actions, consent changes and discounts. Kept apart from the
// actions so that low-level services (consent) can record events without importing the send path.

type Tx = Prisma.TransactionClient;

/** Appends a timeline event (validated by its kind's schema) and notifies open inbox pages on commit. */
export async function recordConversationEvent(
  tx: Tx,
  input: {
    shopId: string;
    conversationId: string;
    event: ConversationEventInput;
    actorKind: AuthorKind;
    actorStaffId?: string | null;
    at?: Date;
  },
) {
  const event = ConversationEventSchema.parse(input.event);
  const row = await tx.conversationEvent.create({
    data: {
      shopId: input.shopId,
      conversationId: input.conversationId,
      kind: event.kind,
      data: event.data as Prisma.InputJsonValue,
      actorKind: input.actorKind,
      actorStaffId: input.actorStaffId ?? null,
      ...(input.at ? { createdAt: input.at } : {}),
    },
    select: { id: true },
  });
  await notifyInbox(tx, { shopId: input.shopId, conversationId: input.conversationId, kind: "conversation" });
  return row;
}
