import type { FeedbackContext } from "~/domain/flows/feedback";
import type { Prisma } from "~/generated/prisma/client.ts";
import { type StartFlowRunResult, startFlowRun } from "./engine.server";

// The post-purchase feedback flow's start, when a fulfilment is delivered: the shipping flow calls it in the
// transaction that records the delivery. The answer's Feedback row: ./feedback-record.server.ts.

type Tx = Prisma.TransactionClient;

export type FeedbackTrigger = {
  shopId: string;
  contactId: string;
  orderId: string; // gid://shopify/Order/…
  orderName: string | null;
  productTitle: string | null;
  deliveredAt: Date;
  conversationId?: string | null;
};

/** One feedback run per order (a second delivered fulfilment of the same order starts nothing). */
export async function startFeedbackAfterDelivery(
  input: FeedbackTrigger,
  options: { tx?: Tx; now?: Date } = {},
): Promise<StartFlowRunResult> {
  const context: Omit<FeedbackContext, "sentiment"> = {
    orderId: input.orderId,
    orderName: input.orderName,
    productTitle: input.productTitle,
    deliveredAt: input.deliveredAt,
  };
  return startFlowRun(
    {
      shopId: input.shopId,
      kind: "FEEDBACK",
      contactId: input.contactId,
      subjectKey: `order:${input.orderId}`,
      context,
      conversationId: input.conversationId ?? null,
      now: options.now,
    },
    { tx: options.tx },
  );
}
