import { sendSms, TelnyxSendError } from "~/adapters/telnyx/client.server";
import { canSend } from "~/domain/consent";
import { quietHoursDecision } from "~/domain/quiet-hours";
import { prisma } from "~/db.server";
import { env } from "~/env.server";
import type { Message } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { notifyInbox } from "~/services/realtime/notify.server";
import { loadConsent } from "./consent.server";
import { applyProviderVerdict, MESSAGE_ID_PARAM } from "./delivery-receipts.server";
import { reserveSlot, waitForSlots } from "./pacing.server";
import { ProviderConfigError, providerFor } from "./provider.server";
import { quietHoursApply, quietZonesOf } from "./send-message.server";
import { quietHoursPolicyOf } from "./shop-context.server";

// Delivery: claim due messages (SKIP LOCKED, committed as SENDING before the provider is called), re-check what
// may have changed since they were queued, pace per number and per account, call Telnyx, record the answer.
// A transient failure is retried later with backoff; an ambiguous one (the provider may have accepted it) is
// left for reconciliation, never re-sent blindly. See docs/decisions/0005-messages-table-is-the-outbox.md.

export const MAX_ATTEMPTS = 8;

export async function claimDueMessages(limit: number): Promise<Message[]> {
  return prisma.$queryRaw<Message[]>`
    WITH due AS (
      SELECT id FROM "Message"
      WHERE direction = 'OUTBOUND'
        AND ((status = 'QUEUED' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now()))
          OR (status = 'HELD' AND "holdUntil" <= now()))
      ORDER BY "createdAt"
      FOR UPDATE SKIP LOCKED
      LIMIT ${limit}
    )
    UPDATE "Message" m
    SET status = 'SENDING', "sendingStartedAt" = now(), attempts = m.attempts + 1, "updatedAt" = now()
    FROM due WHERE m.id = due.id
    RETURNING m.*`;
}

/** Backoff for transient failures: exponential with jitter, never sooner than the provider asked. */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, random = Math.random): number {
  const exponential = Math.min(300_000, 1000 * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential * (0.5 + random());
  return Math.max(jittered, retryAfterMs ?? 0);
}

export async function deliverClaimed(message: Message): Promise<"sent" | "retry" | "failed" | "cancelled" | "held" | "unknown"> {
  const finish = async (data: Partial<Message>, outcome: Awaited<ReturnType<typeof deliverClaimed>>) => {
    await prisma.$transaction(async (tx) => {
      await tx.message.updateMany({ where: { id: message.id, status: "SENDING" }, data: data as never });
      await notifyInbox(tx, { shopId: message.shopId, conversationId: message.conversationId, messageId: message.id, kind: "status" });
    });
    return outcome;
  };

  // Consent may have changed since the message was queued (a STOP cancels queued rows, but this one was already
  // claimed); quiet hours are re-checked for held messages released by the clock.
  const contact = await prisma.contact.findUniqueOrThrow({ where: { id: message.contactId } });
  if (message.purpose !== "SYSTEM") {
    const consent = canSend(message.purpose, await loadConsent(prisma, contact.id));
    if (!consent.allowed) return finish({ status: "CANCELLED", errorCode: consent.reason, errorReason: "Cancelled: consent changed before it was sent." }, "cancelled");
    if (contact.invalidAt) return finish({ status: "CANCELLED", errorCode: "invalid_number", errorReason: "Cancelled: the number cannot receive texts." }, "cancelled");
  }
  if (quietHoursApply(message.purpose, message.authorKind)) {
    const settings = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: message.shopId } });
    const decision = quietHoursDecision({ now: new Date(), candidates: await quietZonesOf(prisma, contact), policy: quietHoursPolicyOf(settings) });
    if (!decision.allowed && decision.releaseAt) return finish({ status: "HELD", holdUntil: decision.releaseAt, attempts: message.attempts - 1 }, "held");
  }

  const number = message.sendingNumberId ? await prisma.sendingNumber.findUnique({ where: { id: message.sendingNumberId } }) : null;
  if (!number) return finish({ status: "FAILED", errorCode: "no_sending_number", errorReason: "The sending number was removed." }, "failed");

  let provider;
  try {
    provider = await providerFor(message.shopId);
  } catch (error) {
    if (error instanceof ProviderConfigError) return finish({ status: "FAILED", errorCode: "provider_config", errorReason: error.message }, "failed");
    throw error;
  }

  const config = env();
  const waited = Date.now();
  await waitForSlots(
    await reserveSlot(`number:${number.phoneE164}`, number.messagesPerSecond),
    await reserveSlot(`account:${provider.account}`, config.PARLEY_ACCOUNT_MPS),
  );
  if (Date.now() - waited > 1000) await prisma.message.update({ where: { id: message.id }, data: { sendingStartedAt: new Date() } });

  const webhookUrl = new URL("/webhooks/telnyx", config.SHOPIFY_APP_URL);
  webhookUrl.searchParams.set(MESSAGE_ID_PARAM, message.id);
  const media = Array.isArray(message.media) ? (message.media as { url: string }[]).map((m) => m.url) : [];
  try {
    const sent = await sendSms(provider.client, {
      from: number.phoneE164,
      to: contact.phoneE164,
      text: message.body,
      mediaUrls: media,
      messagingProfileId: number.messagingProfileId ?? provider.messagingProfileId,
      webhookUrl: webhookUrl.toString(),
    });
    return finish(
      {
        status: "SENT",
        providerMessageId: sent.providerMessageId,
        segments: sent.parts || message.segments,
        encoding: sent.encoding ?? message.encoding,
        carrier: sent.carrier ?? null,
        sentAt: new Date(),
        errorCode: null,
        errorReason: null,
        nextAttemptAt: null,
      },
      "sent",
    );
  } catch (error) {
    if (!(error instanceof TelnyxSendError)) throw error;
    if (error.kind === "permanent") {
      await finish({ status: "FAILED", errorCode: error.code ?? String(error.httpStatus ?? "error"), errorReason: error.reason }, "failed");
      await prisma.$transaction((tx) => applyProviderVerdict(tx, message, error.code));
      return "failed";
    }
    if (error.ambiguous) {
      // The provider may have taken it: leave it SENDING; reconciliation decides (receipt, MDR, or re-queue).
      await prisma.message.update({ where: { id: message.id }, data: { errorCode: error.code ?? "ambiguous", errorReason: `Outcome unknown: ${error.reason}` } });
      log.warn("send outcome unknown; will reconcile", { messageId: message.id, reason: error.reason });
      return "unknown";
    }
    if (message.attempts >= MAX_ATTEMPTS) {
      return finish({ status: "FAILED", errorCode: error.code ?? "retries_exhausted", errorReason: `Gave up after ${message.attempts} attempts: ${error.reason}` }, "failed");
    }
    const delay = retryDelayMs(message.attempts, error.retryAfterMs);
    return finish({ status: "QUEUED", nextAttemptAt: new Date(Date.now() + delay), errorCode: error.code ?? String(error.httpStatus ?? ""), errorReason: `Retrying: ${error.reason}` }, "retry");
  }
}
