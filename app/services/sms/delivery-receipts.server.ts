import { errorReason } from "~/adapters/telnyx/error-codes";
import type { TelnyxEvent } from "~/adapters/telnyx/events";
import type { Message, Prisma } from "~/generated/prisma/client.ts";
import { applyConsentEvent } from "./consent.server";
import { lockContact } from "./conversations.server";
import { updateMessageAndNotify } from "./message-writes.server";

// message.sent / message.finalized: the provider's word on an outbound message. Receipts can arrive out of
// order and more than once, so a status only moves forward; a failure keeps the provider's code and reason.

type Tx = Prisma.TransactionClient;
type Receipt = Extract<TelnyxEvent, { type: "message.sent" | "message.finalized" }>;

const FAILED = new Set(["delivery_failed", "sending_failed", "expired", "delivery_unconfirmed"]);
const RANK: Partial<Record<Message["status"], number>> = { SENDING: 1, SENT: 2, DELIVERED: 3, FAILED: 3 };
export const MESSAGE_ID_PARAM = "parley_message_id";

/** The message id Parley put in the per-message webhook URL, if this delivery went there. */
export function messageIdHint(deliveredTo: string | undefined): string | null {
  if (!deliveredTo) return null;
  try {
    return new URL(deliveredTo).searchParams.get(MESSAGE_ID_PARAM);
  } catch {
    return null;
  }
}

export async function applyDeliveryReceipt(tx: Tx, event: Receipt): Promise<string | null> {
  let message = await tx.message.findUnique({ where: { providerMessageId: event.payload.id } });
  if (!message) {
    // The worker died between the provider accepting the message and recording its id: the receipt links them.
    const hinted = messageIdHint(event.meta.deliveredTo);
    const orphan = hinted
      ? await tx.message.findFirst({ where: { id: hinted, status: "SENDING", providerMessageId: null } })
      : null;
    if (!orphan) return null;
    message = await tx.message.update({
      where: { id: orphan.id },
      data: { providerMessageId: event.payload.id, sentAt: new Date(event.occurredAt) },
    });
  }

  const recipient = event.payload.to[0];
  const error = event.payload.errors[0];
  const next: Message["status"] =
    recipient?.status === "delivered"
      ? "DELIVERED"
      : recipient?.status && FAILED.has(recipient.status)
        ? "FAILED"
        : "SENT";
  if ((RANK[next] ?? 0) < (RANK[message.status] ?? 0) || message.status === next) return message.shopId;

  // The update and its inbox notice in one statement (the notice is delivered on commit, after the verdict below).
  const notice = {
    shopId: message.shopId,
    conversationId: message.conversationId,
    messageId: message.id,
    kind: "status",
  } as const;
  await updateMessageAndNotify(
    tx,
    message.id,
    {
      status: next,
      carrier: recipient?.carrier ?? message.carrier,
      segments: event.payload.parts ?? message.segments,
      ...(next === "DELIVERED" ? { deliveredAt: new Date(event.occurredAt) } : {}),
      ...(next === "SENT" && !message.sentAt ? { sentAt: new Date(event.occurredAt) } : {}),
      ...(next === "FAILED"
        ? {
            errorCode: error?.code ?? recipient?.status ?? "failed",
            errorReason: errorReason(error?.code, error?.detail || error?.title || recipient?.status || undefined),
          }
        : {}),
      ...(event.payload.cost?.amount
        ? { costAmount: event.payload.cost.amount, costCurrency: event.payload.cost.currency ?? null }
        : {}),
    },
    notice,
  );
  if (next === "FAILED") await applyProviderVerdict(tx, message, error?.code);
  return message.shopId;
}

/** What a permanent provider error says about the contact: STOP-blocked (40300) → opted out; invalid → suppressed. */
export async function applyProviderVerdict(
  tx: Tx,
  message: Pick<Message, "shopId" | "contactId">,
  code: string | undefined,
) {
  if (code === "40300") {
    await lockContact(tx, message.contactId); // serialised with hand-overs, like a STOP from the shopper
    const contact = await tx.contact.findUniqueOrThrow({ where: { id: message.contactId } });
    await applyConsentEvent(
      tx,
      contact,
      { type: "opt_out", source: "PROVIDER" },
      { source: "PROVIDER", note: "Telnyx 40300: blocked due to STOP" },
    );
  } else if (code === "40012") {
    await tx.contact.update({ where: { id: message.contactId }, data: { invalidAt: new Date() } });
  }
}
