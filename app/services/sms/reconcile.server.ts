import { prisma, queryRaw, transaction } from "~/db.server";
import type { Env } from "~/env.server";
import { type Message, Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { providerFor } from "./provider.server";

// A message left SENDING without a provider id means a worker stopped (or the call timed out) after claiming it:
// the provider may or may not have taken it. Re-sending blindly could text the shopper twice; dropping it would
// lose it. The provider's message detail records answer the question: a record for this sender, recipient and
// time that no other message claims → it was sent (linked); none after the grace period → it never left (re-queued).

/**
 * How long a handed-over send may stay without an answer before it is reconciled. Never shorter than the send
 * timeout plus a margin: while the call may still be in flight, "no detail record yet" does not mean "never
 * sent", and re-queuing it then would text the shopper twice.
 */
export function effectiveGraceSeconds(
  config: Pick<Env, "PARLEY_RECONCILE_GRACE_SECONDS" | "PARLEY_TELNYX_TIMEOUT_SECONDS">,
): number {
  return Math.max(config.PARLEY_RECONCILE_GRACE_SECONDS, config.PARLEY_TELNYX_TIMEOUT_SECONDS + RECORD_MARGIN_SECONDS);
}
// Time for the provider to write its detail record after it accepted, and for clocks to disagree.
const RECORD_MARGIN_SECONDS = 2;
// How far the provider's clock may be from ours when we ask for its records.
const CLOCK_MARGIN_MS = 60_000;

export async function reconcileStuckSends(
  graceSeconds: number,
  limit = 20,
): Promise<{ linked: number; requeued: number }> {
  const stuck = await queryRaw<Message>(
    prisma,
    Prisma.sql`
    SELECT * FROM "Message"
    WHERE status = 'SENDING' AND "providerMessageId" IS NULL
      AND "sendingStartedAt" < now() - make_interval(secs => ${graceSeconds})
    ORDER BY "sendingStartedAt" LIMIT ${limit}`,
  );
  let linked = 0;
  let requeued = 0;
  for (const message of stuck) {
    try {
      const outcome = await reconcileOne(message, graceSeconds);
      if (outcome === "linked") linked++;
      if (outcome === "requeued") requeued++;
    } catch (error) {
      log.warn("reconciliation failed; will try again", { messageId: message.id, error });
    }
  }
  return { linked, requeued };
}

async function reconcileOne(message: Message, graceSeconds: number): Promise<"linked" | "requeued" | "skipped"> {
  const [contact, number] = await Promise.all([
    prisma.contact.findUniqueOrThrow({ where: { id: message.contactId } }),
    message.sendingNumberId ? prisma.sendingNumber.findUnique({ where: { id: message.sendingNumberId } }) : null,
  ]);
  if (!number) return "skipped";
  const { client } = await providerFor(message.shopId);
  // The provider can only have taken it while the call was in flight: from the hand-over to the grace period's end
  // (never shorter than the send timeout), widened by a clock margin. A narrow window keeps the first page of
  // records (20) about this send, not about older texts to the same shopper.
  const handedOver = (message.sendingStartedAt ?? message.createdAt).getTime();
  const response = await client.reports.listMdrs({
    cli: number.phoneE164,
    cld: contact.phoneE164,
    direction: "OUTBOUND",
    start_date: new Date(handedOver - CLOCK_MARGIN_MS).toISOString(),
    end_date: new Date(Math.min(Date.now(), handedOver + graceSeconds * 1000 + CLOCK_MARGIN_MS)).toISOString(),
  });
  const candidates = (response.data ?? []).map((r) => r.id).filter((id): id is string => Boolean(id));
  const claimed = candidates.length
    ? new Set(
        (
          await prisma.message.findMany({
            where: { providerMessageId: { in: candidates } },
            select: { providerMessageId: true },
          })
        ).map((m) => m.providerMessageId),
      )
    : new Set<string | null>();
  const unclaimed = candidates.find((id) => !claimed.has(id));

  return transaction(async (tx) => {
    // Still the same stuck send? A worker may have finished it, or handed it over afresh (a new lease), meanwhile.
    const [row] = await queryRaw<{ id: string }>(
      tx,
      Prisma.sql`
      SELECT id FROM "Message"
      WHERE id = ${message.id} AND status = 'SENDING' AND "providerMessageId" IS NULL AND attempts = ${message.attempts}
        AND "sendingStartedAt" < now() - make_interval(secs => ${graceSeconds})
      FOR UPDATE SKIP LOCKED`,
    );
    if (!row) return "skipped" as const;
    if (unclaimed) {
      await tx.message.update({
        where: { id: message.id },
        data: { status: "SENT", providerMessageId: unclaimed, sentAt: new Date(), errorCode: null, errorReason: null },
      });
      log.info("reconciled a send with an unknown outcome: the provider had it", { messageId: message.id });
      return "linked" as const;
    }
    await tx.message.update({
      where: { id: message.id },
      data: {
        status: "QUEUED",
        nextAttemptAt: null,
        errorCode: "requeued",
        errorReason: "The provider never received it (the sender stopped mid-send); sent again.",
      },
    });
    log.info("reconciled a send with an unknown outcome: never sent, re-queued", { messageId: message.id });
    return "requeued" as const;
  });
}
