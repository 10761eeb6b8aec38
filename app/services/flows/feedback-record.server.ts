import type { FlowEffect } from "~/domain/flows/machine";
import type { Prisma } from "~/generated/prisma/client.ts";

// The shopper's answer to the feedback question as a Feedback row: the `record_feedback` effect, carried out by
// the engine (app/services/flows/effects.server.ts) in the step's transaction.
//
// Why an effect, not a write in the reply path: the machine decides what the answer is (sentiment, topics,
// whether it goes to a person), and the step's effects commit with the step — so the row exists exactly when the
// step that read the answer committed, and a reply processed twice (same cause) writes nothing twice. The
// message id is unique on Feedback besides.

type Tx = Prisma.TransactionClient;

/** The `record_feedback` effect: the shopper's answer as a Feedback row, once per message. */
export async function recordFeedback(
  tx: Tx,
  run: { id: string; shopId: string; contactId: string; conversationId: string | null },
  effect: Extract<FlowEffect, { type: "record_feedback" }>,
  now: Date,
): Promise<void> {
  await tx.feedback.createMany({
    data: [
      {
        shopId: run.shopId,
        contactId: run.contactId,
        conversationId: run.conversationId,
        runId: run.id,
        messageId: effect.messageId,
        orderId: effect.orderId,
        productTitle: effect.productTitle,
        body: effect.body,
        sentiment: effect.sentiment,
        topics: effect.topics,
        handedOver: effect.handedOver,
        createdAt: now,
      },
    ],
    skipDuplicates: true,
  });
}
