import { queryRaw } from "~/db.server";
import { errorReason } from "~/adapters/telnyx/error-codes";
import type { TelnyxEvent } from "~/adapters/telnyx/events";
import { type Message, Prisma } from "~/generated/prisma/client.ts";
import { CHANNELS, type InboxNotice } from "~/services/realtime/notify.server";
import { applyConsentEvent } from "./consent.server";
import { lockContact } from "./conversations.server";

// message.sent / message.finalized: the provider's word on an outbound message. Receipts can arrive out of
// order and more than once, so a status only moves forward; a failure keeps the provider's code and reason.

type Tx = Prisma.TransactionClient;
export type Receipt = Extract<TelnyxEvent, { type: "message.sent" | "message.finalized" }>;

export function isReceipt(event: TelnyxEvent): event is Receipt {
  return event.type === "message.sent" || event.type === "message.finalized";
}

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

/** The columns of a message that receipts read and move. */
type Tracked = Pick<
  Message,
  "id" | "shopId" | "contactId" | "conversationId" | "providerMessageId" | "status" | "carrier" | "segments" | "sentAt"
>;

const TRACKED = Prisma.raw(
  `id, "shopId", "contactId", "conversationId", "providerMessageId", status, carrier, segments, "sentAt"`,
);

/** What the receipts of one batch do to one message (applied by one statement, see applyDeliveryReceipts). */
type Change = {
  message: Tracked;
  deliveredAt: string | null; // ISO 8601, UTC
  sentAt: string | null;
  errorCode: string | null;
  errorReason: string | null;
  cost: { amount: string; currency: string | null } | null;
};

/**
 * Applies a batch of receipts, in the order given, as if one after the other: one statement reads (and locks)
 * every message they are about and one moves every message that changes, with its inbox notice. Returns the shop
 * of each receipt's message (null: no such message).
 */
export async function applyDeliveryReceipts(tx: Tx, events: Receipt[]): Promise<(string | null)[]> {
  if (events.length === 0) return [];
  const found = await queryRaw<Tracked>(
    tx,
    Prisma.sql`
    SELECT ${TRACKED} FROM "Message"
    WHERE "providerMessageId" = ANY(${[...new Set(events.map((e) => e.payload.id))]}::text[])
    ORDER BY id FOR UPDATE`,
  );
  const byProviderId = new Map(found.map((message) => [message.providerMessageId!, message]));
  const changes = new Map<string, Change>();
  const verdicts: { message: Tracked; code: string | undefined }[] = [];
  const shops: (string | null)[] = [];
  for (const event of events) {
    let message = byProviderId.get(event.payload.id) ?? null;
    if (!message) {
      message = await linkOrphan(tx, event);
      if (message) byProviderId.set(event.payload.id, message);
    }
    shops.push(message?.shopId ?? null);
    if (!message) continue;

    const recipient = event.payload.to[0];
    const error = event.payload.errors[0];
    const next: Message["status"] =
      recipient?.status === "delivered"
        ? "DELIVERED"
        : recipient?.status && FAILED.has(recipient.status)
          ? "FAILED"
          : "SENT";
    if ((RANK[next] ?? 0) < (RANK[message.status] ?? 0) || message.status === next) continue;

    const at = new Date(event.occurredAt);
    const atText = at.toISOString();
    const change: Change = changes.get(message.id) ?? {
      message,
      deliveredAt: null,
      sentAt: null,
      errorCode: null,
      errorReason: null,
      cost: null,
    };
    message.status = next;
    message.carrier = recipient?.carrier ?? message.carrier;
    message.segments = event.payload.parts ?? message.segments;
    if (next === "DELIVERED") change.deliveredAt = atText;
    if (next === "SENT" && !message.sentAt) {
      message.sentAt = at;
      change.sentAt = atText;
    }
    if (next === "FAILED") {
      change.errorCode = error?.code ?? recipient?.status ?? "failed";
      change.errorReason = errorReason(error?.code, error?.detail || error?.title || recipient?.status || undefined);
      verdicts.push({ message, code: error?.code });
    }
    if (event.payload.cost?.amount)
      change.cost = { amount: event.payload.cost.amount, currency: event.payload.cost.currency ?? null };
    changes.set(message.id, change);
  }
  await moveMessages(tx, [...changes.values()]);
  for (const { message, code } of verdicts) await applyProviderVerdict(tx, message, code);
  return shops;
}

/** The worker died between the provider accepting the message and recording its id: the receipt links them. */
async function linkOrphan(tx: Tx, event: Receipt): Promise<Tracked | null> {
  const hinted = messageIdHint(event.meta.deliveredTo);
  if (!hinted) return null;
  const [linked] = await queryRaw<Tracked>(
    tx,
    Prisma.sql`
    UPDATE "Message" SET "providerMessageId" = ${event.payload.id}, "sentAt" = ${new Date(event.occurredAt)}, "updatedAt" = ${new Date()}
    WHERE id = ${hinted} AND status = 'SENDING' AND "providerMessageId" IS NULL
    RETURNING ${TRACKED}`,
  );
  return linked ?? null;
}

/** Every changed message's new status and details, and its inbox notice, in one statement. */
async function moveMessages(tx: Tx, changes: Change[]) {
  if (changes.length === 0) return;
  const now = new Date();
  const column = <T>(pick: (c: Change) => T) => changes.map(pick);
  await queryRaw(
    tx,
    Prisma.sql`
    WITH v AS (
      SELECT * FROM unnest(
        ${column((c) => c.message.id)}::text[], ${column((c) => c.message.status)}::text[],
        ${column((c) => c.message.carrier)}::text[], ${column((c) => c.message.segments)}::int[],
        ${column((c) => c.deliveredAt)}::timestamp(3)[], ${column((c) => c.sentAt)}::timestamp(3)[],
        ${column((c) => c.errorCode)}::text[], ${column((c) => c.errorReason)}::text[],
        ${column((c) => c.cost !== null)}::boolean[], ${column((c) => c.cost?.amount ?? null)}::text[],
        ${column((c) => c.cost?.currency ?? null)}::text[],
        ${column((c) => JSON.stringify({ shopId: c.message.shopId, conversationId: c.message.conversationId, messageId: c.message.id, kind: "status" } satisfies InboxNotice))}::text[]
      ) AS v(id, status, carrier, segments, "deliveredAt", "sentAt", "errorCode", "errorReason", "hasCost", "costAmount", "costCurrency", notice)
    ), moved AS (
      UPDATE "Message" m
      SET status = CAST(v.status AS "MessageStatus"), carrier = v.carrier, segments = v.segments,
        "deliveredAt" = COALESCE(v."deliveredAt", m."deliveredAt"), "sentAt" = COALESCE(v."sentAt", m."sentAt"),
        "errorCode" = COALESCE(v."errorCode", m."errorCode"), "errorReason" = COALESCE(v."errorReason", m."errorReason"),
        "costAmount" = CASE WHEN v."hasCost" THEN CAST(v."costAmount" AS DECIMAL(10, 4)) ELSE m."costAmount" END,
        "costCurrency" = CASE WHEN v."hasCost" THEN v."costCurrency" ELSE m."costCurrency" END,
        "updatedAt" = ${now}
      FROM v WHERE m.id = v.id
      RETURNING v.notice)
    SELECT pg_notify(${CHANNELS.inbox}, notice)::text FROM moved`,
  );
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
