import { sendSms, TelnyxSendError } from "~/adapters/telnyx/client.server";
import { canSend } from "~/domain/consent";
import { quietHoursDecision } from "~/domain/quiet-hours";
import { prisma, queryRaw, transaction } from "~/db.server";
import { env } from "~/env.server";
import type { ConsentStates } from "~/domain/consent";
import { type ConsentPurpose, type Contact, type Message, Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { CHANNELS, type InboxNotice, notifyInbox } from "~/services/realtime/notify.server";
import { coalescing, eachOnFailure } from "./coalesce.server";
import { consentStatesOf } from "./consent.server";
import { lockContact } from "./conversations.server";
import { applyProviderVerdict, MESSAGE_ID_PARAM } from "./delivery-receipts.server";
import { reserveSlot, waitForSlots } from "./pacing.server";
import { ProviderConfigError, providerFor, type ProviderSettings } from "./provider.server";
import { quietHoursApply, quietZonesOf } from "./send-message.server";
import { quietHoursPolicyOf } from "./shop-context.server";

// Delivery: claim due messages (SKIP LOCKED, committed as SENDING before the provider is called), re-check what
// may have changed since they were queued, pace per number and per account, call Telnyx, record the answer.
// A transient failure is retried later with backoff; an ambiguous one (the provider may have accepted it) is
// left for reconciliation, never re-sent blindly. See docs/decisions/0005-messages-table-is-the-outbox.md.

// Transient failures are retried (with backoff) until the message is a day past when it was due. Counting attempts
// instead would give up on a burst of rate limits — which must never fail a message (compliance.md §11) — or on a
// provider outage, losing what sendMessage accepted.
export const RETRY_WINDOW_MS = 24 * 3600 * 1000;

/** What delivery needs to know about the sending number and the shop's Telnyx account (see providerFor). */
type SendVia = {
  phoneE164: string;
  messagesPerSecond: number;
  messagingProfileId: string | null;
  settings: ProviderSettings | null;
};

/**
 * A claimed row, with its sending number (null: the number was removed) read by the same statement. A keyword
 * reply or confirmation claimed by id (a hand-over) also brings what its last look reads (`looked`, see deliverClaimed).
 */
export type ClaimedMessage = Message & { sendVia: SendVia | null; looked?: SystemLook | null };

/** The last look of a SYSTEM message: it goes whatever the consent, so only where, and whether to wait. */
type SystemLook = { phoneE164: string; othersInFlight: boolean };

/**
 * `systemOnly`: only keyword replies and confirmations (the loop holds campaigns back while a STOP is handled).
 * `id`: only that message, if it is due and nobody has claimed it (a hand-over, see handOver).
 */
export async function claimDueMessages(limit: number, options: ClaimOptions = {}): Promise<ClaimedMessage[]> {
  const rows = await queryRaw<ClaimedMessage & { lookedPhone?: string | null; othersInFlight?: boolean }>(
    prisma,
    claimStatement(limit, options),
  );
  return rows.map(({ lookedPhone, othersInFlight, ...message }) => ({
    ...message,
    looked: lookedPhone ? { phoneE164: lookedPhone, othersInFlight: othersInFlight ?? false } : null,
  }));
}

type ClaimOptions = { systemOnly?: boolean; id?: string };

/** The claim's statement (exported for its plan test). */
export function claimStatement(limit: number, options: ClaimOptions = {}) {
  const only = Prisma.sql`${options.systemOnly ? Prisma.sql`AND purpose = 'SYSTEM'` : Prisma.empty} ${
    options.id !== undefined ? Prisma.sql`AND id = ${options.id}` : Prisma.empty
  }`;
  // Held messages whose window opened first (they have waited longest), then queued ones, oldest first. Two
  // branches, each read through its own index — (status, holdUntil) and (status, createdAt): one `QUEUED OR due
  // HELD` condition read every held row on each claim, and a night campaign held for quiet hours is thousands.
  return Prisma.sql`
    WITH held AS (
      SELECT id FROM "Message"
      WHERE status = 'HELD' AND "holdUntil" <= now() AND direction = 'OUTBOUND' ${only}
      ORDER BY "holdUntil"
      FOR UPDATE SKIP LOCKED
      LIMIT ${limit}
    ), queued AS (
      SELECT id FROM "Message"
      WHERE status = 'QUEUED' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now()) AND direction = 'OUTBOUND' ${only}
      ORDER BY "createdAt"
      FOR UPDATE SKIP LOCKED
      LIMIT ${limit} - (SELECT count(*) FROM held)
    )
    UPDATE "Message" m
    SET status = 'SENDING', "sendingStartedAt" = now(), attempts = m.attempts + 1, "updatedAt" = now()
    -- = ANY(ARRAY(…)): the rows are found by primary key; a join with the branches was planned as a scan of the table.
    WHERE m.id = ANY(ARRAY(SELECT id FROM held UNION ALL SELECT id FROM queued))
    RETURNING m.*, (
      SELECT json_build_object('phoneE164', n."phoneE164", 'messagesPerSecond', n."messagesPerSecond",
        'messagingProfileId', n."messagingProfileId",
        'settings', CASE WHEN s."shopId" IS NULL THEN NULL ELSE json_build_object(
          'telnyxApiKeyEnc', s."telnyxApiKeyEnc", 'telnyxMessagingProfileId', s."telnyxMessagingProfileId") END)
      FROM "SendingNumber" n LEFT JOIN "ShopSettings" s ON s."shopId" = m."shopId"
      WHERE n.id = m."sendingNumberId" AND n."shopId" = m."shopId") AS "sendVia"
    ${
      // The claim stamps the hand-over time (sendingStartedAt) as the last look does: for a SYSTEM message it can
      // read the rest of that look too (lastLook's othersInFlight, the same question).
      options.id !== undefined
        ? Prisma.sql`, CASE WHEN m.purpose = 'SYSTEM' THEN (SELECT c."phoneE164" FROM "Contact" c WHERE c.id = m."contactId") END AS "lookedPhone",
          m.purpose = 'SYSTEM' AND EXISTS (
            SELECT 1 FROM "Message" o WHERE o."shopId" = m."shopId" AND o."contactId" = m."contactId" AND o.status = 'SENDING'
              AND o.purpose <> 'SYSTEM' AND o."sendingStartedAt" <= now()) AS "othersInFlight"`
        : Prisma.empty
    }`;
}

// A hand-over: a message this process queued and wants sent at once (a keyword reply or confirmation, after its
// transaction committed) goes to this process's delivery loop in memory instead of through NOTIFY parley_outbox
// and the loop's claim. The row stays the queue (decision 0005): it is claimed by id like any other (SKIP LOCKED,
// committed as SENDING before the provider is called), and if this process dies first, it is still QUEUED for the
// poll of any worker.
let handOverTo: ((messageId: string) => void) | null = null;

/** Set by the delivery loop of this process (startSmsLoops); the function returned stops the hand-overs. */
export function acceptHandOvers(receiver: (messageId: string) => void) {
  handOverTo = receiver;
  return () => {
    if (handOverTo === receiver) handOverTo = null;
  };
}

/** Whether a message queued now may skip its NOTIFY and be handed over after commit (see handOver). */
export function canHandOver() {
  return handOverTo !== null;
}

/** Hands queued messages to this process's delivery loop; without one, wakes the workers the usual way. */
export async function handOver(messageIds: string[]) {
  if (messageIds.length === 0) return;
  const receiver = handOverTo;
  if (receiver) for (const id of messageIds) receiver(id);
  else await queryRaw(prisma, Prisma.sql`SELECT pg_notify(${CHANNELS.outbox}, '')::text`);
}

/** Backoff for transient failures: exponential with jitter, never sooner than the provider asked. */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random = Math.random,
  baseMs = 1000,
): number {
  const exponential = Math.min(300_000, baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential * (0.5 + random());
  return Math.max(jittered, retryAfterMs ?? 0);
}

type Outcome = "sent" | "retry" | "failed" | "cancelled" | "held" | "unknown" | "lost";
type Tx = Prisma.TransactionClient;

// Only the worker that claimed a row may move it on: `attempts` is bumped by every claim, so a row that
// reconciliation re-queued (or another worker re-claimed) in the meantime no longer matches.
const claimedBy = (message: Message) => ({ id: message.id, status: "SENDING" as const, attempts: message.attempts });

// Columns a claimed row's outcome may set (see moveClaimed).
const MOVABLE = new Set([
  "status",
  "providerMessageId",
  "segments",
  "encoding",
  "carrier",
  "sentAt",
  "errorCode",
  "errorReason",
  "nextAttemptAt",
  "holdUntil",
  "attempts",
]);

/**
 * Moves a claimed row on and tells the inbox, in one statement (one round trip instead of BEGIN, UPDATE, NOTIFY,
 * COMMIT): the notice is sent only if the row moved, and only when the update commits — as in a transaction.
 */
async function moveClaimed(message: Message, data: Partial<Message>) {
  const sets = Object.entries(data).map(([column, value]) => {
    if (!MOVABLE.has(column)) throw new Error(`deliver: ${column} is not a column a delivery outcome sets`);
    return column === "status"
      ? Prisma.sql`"status" = CAST(${value} AS "MessageStatus")`
      : Prisma.sql`${Prisma.raw(`"${column}"`)} = ${value}`;
  });
  const notice: InboxNotice = {
    shopId: message.shopId,
    conversationId: message.conversationId,
    messageId: message.id,
    kind: "status",
  };
  await queryRaw(
    prisma,
    Prisma.sql`
    WITH moved AS (
      UPDATE "Message" SET ${Prisma.join(sets, ", ")}, "updatedAt" = ${new Date()}
      WHERE id = ${message.id} AND status = 'SENDING' AND attempts = ${message.attempts}
      RETURNING id)
    SELECT pg_notify(${CHANNELS.inbox}, ${JSON.stringify(notice)})::text FROM moved`,
  );
}

// The statements every send makes go through group commit (coalesce.server.ts): the messages a worker has in
// flight share one round trip for the last look and one for recording "sent".

type Look = { contact: Contact; consent: ConsentStates; stamped: boolean; othersInFlight: boolean };
type AnyLook = (SystemLook & { stamped: true; contact?: undefined }) | Look;

/**
 * The last look before the provider call (see deliverClaimed): wait for each contact's lock and let go, then read
 * contact and consent and stamp the hand-over time, for every message in the batch, in two statements.
 */
const lastLook = coalescing(
  (messages: Message[]) =>
    eachOnFailure(messages, async (batch) => {
      // Every lock that is free is taken and let go in one statement that never waits (so it cannot deadlock with
      // a transaction holding several contacts' locks); each one that is held, we wait for on its own. Keyword
      // replies and confirmations (SYSTEM) go whatever the consent, so their contacts' locks guard nothing here.
      const contactIds = [...new Set(batch.filter((m) => m.purpose !== "SYSTEM").map((m) => m.contactId))];
      if (contactIds.length > 0) {
        const held = await queryRaw<{ id: string }>(
          prisma,
          Prisma.sql`
          SELECT id FROM unnest(${contactIds}::text[]) AS id WHERE NOT pg_try_advisory_xact_lock(hashtextextended(id, 42))`,
        );
        await Promise.all(held.map(({ id }) => lockContact(prisma, id)));
      }
      const handedAt = new Date();
      const rows = await queryRaw<
        Contact & {
          messageId: string;
          consentRows: { purpose: ConsentPurpose; status: string }[] | null;
          stamped: boolean;
          othersInFlight: boolean;
        }
      >(
        prisma,
        Prisma.sql`
        WITH v AS (
          SELECT * FROM unnest(${batch.map((m) => m.id)}::text[], ${batch.map((m) => m.attempts)}::int[], ${batch.map((m) => m.contactId)}::text[],
            ${batch.map((m) => m.purpose === "SYSTEM")}::boolean[])
            AS v("messageId", attempts, "contactId", system)
        ), stamped AS (
          UPDATE "Message" m SET "sendingStartedAt" = ${handedAt}, "updatedAt" = ${handedAt}
          FROM v WHERE m.id = v."messageId" AND m.status = 'SENDING' AND m.attempts = v.attempts AND m."providerMessageId" IS NULL
          RETURNING m.id)
        SELECT c.*, v."messageId",
          (SELECT json_agg(json_build_object('purpose', s.purpose, 'status', s.status)) FROM "ConsentState" s WHERE s."contactId" = c.id) AS "consentRows",
          EXISTS (SELECT 1 FROM stamped WHERE stamped.id = v."messageId") AS stamped,
          v.system AND EXISTS (
            SELECT 1 FROM "Message" o WHERE o."shopId" = c."shopId" AND o."contactId" = c.id AND o.status = 'SENDING'
              AND o.purpose <> 'SYSTEM' AND o."sendingStartedAt" <= now()) AS "othersInFlight"
        FROM v JOIN "Contact" c ON c.id = v."contactId"`,
      );
      return batch.map((m): Look => {
        const row = rows.find((r) => r.messageId === m.id);
        if (!row) throw new Error(`deliver: contact ${m.contactId} of message ${m.id} does not exist`);
        const { messageId: _messageId, consentRows, stamped, othersInFlight, ...contact } = row;
        return { contact, consent: consentStatesOf(consentRows ?? []), stamped, othersInFlight };
      });
    }),
  { maxBatch: 100, maxInFlight: 2 },
);

/** How often a keyword reply looks again while texts to its shopper are on their way (see deliverClaimed). */
const IN_FLIGHT_POLL_MS = 20;

type Sent = { message: Message; providerMessageId: string; segments: number; encoding: string; carrier: string | null };

/** Records SENT with the provider's id, and tells the inbox: moveClaimed for many rows in one statement. */
const recordSent = coalescing(
  (sends: Sent[]) =>
    eachOnFailure(sends, async (batch) => {
      const now = new Date();
      const notices = batch.map(({ message }) =>
        JSON.stringify({
          shopId: message.shopId,
          conversationId: message.conversationId,
          messageId: message.id,
          kind: "status",
        } satisfies InboxNotice),
      );
      await queryRaw(
        prisma,
        Prisma.sql`
        WITH v AS (
          SELECT * FROM unnest(
            ${batch.map((b) => b.message.id)}::text[], ${batch.map((b) => b.message.attempts)}::int[], ${batch.map((b) => b.providerMessageId)}::text[],
            ${batch.map((b) => b.segments)}::int[], ${batch.map((b) => b.encoding)}::text[], ${batch.map((b) => b.carrier)}::text[], ${notices}::text[]
          ) AS v(id, attempts, "providerMessageId", segments, encoding, carrier, notice)
        ), moved AS (
          UPDATE "Message" m
          SET status = 'SENT', "providerMessageId" = v."providerMessageId", segments = v.segments, encoding = v.encoding, carrier = v.carrier,
              "sentAt" = ${now}, "errorCode" = NULL, "errorReason" = NULL, "nextAttemptAt" = NULL, "updatedAt" = ${now}
          FROM v WHERE m.id = v.id AND m.status = 'SENDING' AND m.attempts = v.attempts
          RETURNING v.notice)
        SELECT pg_notify(${CHANNELS.inbox}, notice)::text FROM moved`,
      );
      return batch.map(() => true);
    }),
  { maxBatch: 100, maxInFlight: 2 },
);

export async function deliverClaimed(message: ClaimedMessage): Promise<Outcome> {
  const finish = async (data: Partial<Message>, outcome: Outcome, tx?: Tx) => {
    if (!tx) {
      await moveClaimed(message, data);
      return outcome;
    }
    const moved = await tx.message.updateMany({ where: claimedBy(message), data: data as never });
    if (moved.count > 0)
      await notifyInbox(tx, {
        shopId: message.shopId,
        conversationId: message.conversationId,
        messageId: message.id,
        kind: "status",
      });
    return outcome;
  };

  const number = message.sendVia;
  if (!number)
    return finish(
      { status: "FAILED", errorCode: "no_sending_number", errorReason: "The sending number was removed." },
      "failed",
    );

  let provider;
  try {
    provider = await providerFor(message.shopId, number.settings);
  } catch (error) {
    if (error instanceof ProviderConfigError)
      return finish({ status: "FAILED", errorCode: "provider_config", errorReason: error.message }, "failed");
    throw error;
  }

  const config = env();
  const slot = Math.max(
    (await reserveSlot(`number:${number.phoneE164}`, number.messagesPerSecond)).getTime(),
    (await reserveSlot(`account:${provider.account}`, config.PARLEY_ACCOUNT_MPS)).getTime(),
  );
  // A long wait for the pace slot extends the lease, so reconciliation does not take a row that is merely queued
  // behind its number's pace for a send that has not happened yet.
  if (slot - Date.now() > 1000) {
    const extended = await prisma.message.updateMany({
      where: claimedBy(message),
      data: { sendingStartedAt: new Date(slot) },
    });
    if (extended.count === 0) return "lost";
  }
  await waitForSlots(new Date(slot));

  // The last look, immediately before the provider call and under the contact's lock (the one an opt-out takes):
  // a STOP that committed while this message waited for its slot cancels it here. Checking before the wait
  // would leave the whole pacing delay open to texts after an opt-out.
  //
  // Two round trips rather than a transaction of six. First wait for the contact's lock — an opt-out in progress
  // holds it until it commits — and let go at once; then read contact and consent in a new statement, whose
  // snapshot therefore includes every opt-out that had begun when we looked. That is what reading under the lock
  // guaranteed: an opt-out that starts after the look is not seen either way (with the lock held, it would simply
  // wait for this send). The same statement stamps the hand-over time, which the outcomes below overwrite if the
  // message does not go.
  //
  // A SYSTEM message claimed by id (a hand-over) with no pace to wait for was looked at by its claim, which also
  // stamped it: nothing happened between that statement and this point that a second look could see differently.
  let look: AnyLook =
    message.purpose === "SYSTEM" && message.looked && slot === 0
      ? { ...message.looked, stamped: true }
      : await lastLook(message);
  // A keyword reply or confirmation waits for the texts to the same shopper that are already on their way to the
  // provider (SENDING, past their own last look; a row still waiting for its pace slot is stamped in the future):
  // "you're unsubscribed" must be the last text a shopper gets, not overtaken by a campaign text that was handed
  // over a moment before the STOP was recorded. Such a call ends within the provider timeout; a row left SENDING by
  // a crashed worker holds the reply back no longer than that.
  const inFlightDeadline = Date.now() + config.PARLEY_TELNYX_TIMEOUT_SECONDS * 1000;
  while (look.othersInFlight && Date.now() < inFlightDeadline) {
    await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_POLL_MS));
    look = await lastLook(message);
  }
  const { stamped } = look;
  const phoneE164 = look.contact ? look.contact.phoneE164 : look.phoneE164;
  if (message.purpose !== "SYSTEM") {
    if (!look.contact) throw new Error(`deliver: message ${message.id} went without its last look`);
    const { contact, consent: consentNow } = look;
    const consent = canSend(message.purpose, consentNow);
    if (!consent.allowed)
      return finish(
        {
          status: "CANCELLED",
          errorCode: consent.reason,
          errorReason: "Cancelled: consent changed before it was sent.",
        },
        "cancelled",
      );
    if (contact.invalidAt)
      return finish(
        {
          status: "CANCELLED",
          errorCode: "invalid_number",
          errorReason: "Cancelled: the number cannot receive texts.",
        },
        "cancelled",
      );
    // Held messages released by the clock, and queued ones that waited into the quiet hours, are checked again.
    if (quietHoursApply(message.purpose, message.authorKind)) {
      const settings = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: message.shopId } });
      const decision = quietHoursDecision({
        now: new Date(),
        candidates: await quietZonesOf(prisma, contact),
        policy: quietHoursPolicyOf(settings),
      });
      if (!decision.allowed && decision.releaseAt)
        return finish({ status: "HELD", holdUntil: decision.releaseAt, attempts: message.attempts - 1 }, "held");
    }
  }
  // From here the send counts as handed over: the lease (reconciliation's grace) runs from the look.
  if (!stamped) return "lost";

  const webhookUrl = new URL("/webhooks/telnyx", config.SHOPIFY_APP_URL);
  webhookUrl.searchParams.set(MESSAGE_ID_PARAM, message.id);
  const media = Array.isArray(message.media) ? (message.media as { url: string }[]).map((m) => m.url) : [];
  try {
    const sent = await sendSms(provider.client, {
      from: number.phoneE164,
      to: phoneE164,
      text: message.body,
      mediaUrls: media,
      messagingProfileId: number.messagingProfileId ?? provider.messagingProfileId,
      webhookUrl: webhookUrl.toString(),
    });
    // status SENT, the provider's id, sentAt now, error and retry fields cleared (see recordSent).
    await recordSent({
      message,
      providerMessageId: sent.providerMessageId,
      segments: sent.parts || message.segments,
      encoding: sent.encoding ?? message.encoding,
      carrier: sent.carrier ?? null,
    });
    return "sent";
  } catch (error) {
    if (!(error instanceof TelnyxSendError)) throw error;
    if (error.kind === "permanent") {
      return transaction(async (tx) => {
        await lockContact(tx, message.contactId);
        await finish(
          { status: "FAILED", errorCode: error.code ?? String(error.httpStatus ?? "error"), errorReason: error.reason },
          "failed",
          tx,
        );
        await applyProviderVerdict(tx, message, error.code);
        return "failed" as const;
      });
    }
    if (error.ambiguous) {
      // The provider may have taken it: leave it SENDING; reconciliation decides (receipt, MDR, or re-queue).
      await prisma.message.updateMany({
        where: claimedBy(message),
        data: { errorCode: error.code ?? "ambiguous", errorReason: `Outcome unknown: ${error.reason}` },
      });
      log.warn("send outcome unknown; will reconcile", { messageId: message.id, reason: error.reason });
      return "unknown";
    }
    const dueSince = Math.max(message.createdAt.getTime(), message.holdUntil?.getTime() ?? 0);
    if (Date.now() - dueSince > RETRY_WINDOW_MS) {
      return finish(
        {
          status: "FAILED",
          errorCode: error.code ?? "retries_exhausted",
          errorReason: `Gave up after ${message.attempts} attempts over a day: ${error.reason}`,
        },
        "failed",
      );
    }
    const delay = retryDelayMs(message.attempts, error.retryAfterMs, Math.random, config.PARLEY_RETRY_BASE_MS);
    return finish(
      {
        status: "QUEUED",
        nextAttemptAt: new Date(Date.now() + delay),
        errorCode: error.code ?? String(error.httpStatus ?? ""),
        errorReason: `Retrying: ${error.reason}`,
      },
      "retry",
    );
  }
}
