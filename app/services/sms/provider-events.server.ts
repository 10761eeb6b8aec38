import { parseTelnyxEvent, type TelnyxEvent } from "~/adapters/telnyx/events";
import { prisma, queryRaw, transaction } from "~/db.server";
import { Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { runInboundAutomation } from "~/services/automation/hooks.server";
import { deferNotices, takeDeferredNotices } from "~/services/realtime/notify.server";
import { canHandOver, handOver } from "./deliver.server";
import { applyDeliveryReceipts, isReceipt, type Receipt } from "./delivery-receipts.server";
import { receiveInboundSms } from "./receive-inbound.server";

// The inbound side of the engine: recorded provider events are claimed (SKIP LOCKED, so any number of workers
// share them) and processed in the same transaction that marks them done. A crash rolls the whole transaction
// back and another worker takes the events; nothing is half-applied. A shopper's text is claimed alone, before any
// receipt; delivery receipts a batch at a time. One shopper's texts, and one message's receipts, are applied in
// the order they arrived.

const MAX_ATTEMPTS = 5;

/** Who sent a shopper's text. */
const SENDER_OF = (alias: string) => Prisma.raw(`(${alias}.payload #>> '{data,payload,from,phone_number}')`);

/** Held (for its transaction) by the one worker applying delivery receipts at a time. */
const RECEIPTS_LOCK = 0x7061726c6579; // "parley"

type ProcessedEvent = {
  id: string;
  automation?: Parameters<typeof runInboundAutomation>[0];
  handOver?: string[]; // replies to hand to the delivery loop once committed
};
type Mark = { id: string; shopId?: string; error?: string };
type Row = {
  id: string;
  eventType: string;
  payload: unknown;
  attempts: number;
  textsWaiting: number;
  othersWaiting: number;
};

// Shoppers' texts being processed right now in this process (see shopperTextsInProgress).
let textsInProgress = 0;

/**
 * How many shoppers' texts this process is handling at this moment. The delivery loop holds campaign sends back
 * while one is: a STOP that arrives in the middle of a campaign blast gets the CPU and the connections at once,
 * instead of queueing behind hundreds of sends — each of which it might have cancelled.
 */
export function shopperTextsInProgress() {
  return textsInProgress;
}

let lastTextClaimedAt = 0;

/**
 * Whether this process is handling a shopper's text, or claimed one in the last `ms`: background work that can
 * wait (the Shopify consent sync) waits, so a burst of STOPs gets the CPU their confirmations need.
 */
export function shopperTextsRecently(ms: number) {
  return textsInProgress > 0 || Date.now() - lastTextClaimedAt < ms;
}

// Delivery receipts are claimed and applied several at a time, in one transaction (one BEGIN, claim, mark and
// COMMIT for all of them); a shopper's text is always handled alone, at once.
const RECEIPT_BATCH = 25;

/**
 * Processes the oldest unprocessed event (or a batch of receipts); returns false when there was none.
 * `onClaim` learns how many shoppers' texts were claimed (0: none was waiting — texts are claimed first), and
 * what else was waiting besides the ones claimed (not counting those this process is handling; some perhaps being
 * processed by other processes): `more`, a shopper's text or a full batch of other events (claim again at once);
 * `fewOthers`, other events, less than a batch (worth gathering a moment before they are claimed).
 */
export async function processNextProviderEvent(
  onClaim?: (texts: number, waiting: { more: boolean; fewOthers: boolean }) => void,
): Promise<boolean> {
  let claimed: string[] = [];
  let taken: string[] = []; // in eventsInProgress until this call is done with them
  let sender: string | null = null;
  let texts = 0;
  let processed: ProcessedEvent[] | null;
  try {
    processed = await transaction(
      async (tx) => {
        // Shoppers' texts first, oldest first, one at a time — skipping any from a shopper whose earlier text this
        // process is still handling, so one shopper's texts (STOP, then START) are applied in the order they arrived.
        // Otherwise the oldest delivery receipts, a batch of them, by one worker at a time (the advisory lock), so
        // receipts are applied in the order they arrived, as before. A burst of receipts (two per message sent)
        // never holds up a STOP and its confirmation.
        const rows = await claiming(
          () => queryRaw<Row>(tx, eventClaimStatement()),
          (claimedRows) => {
            taken = claimedRows.map((r) => r.id);
            for (const id of taken) eventsInProgress.add(id);
            const text = claimedRows.find((r) => r.eventType === "message.received");
            sender = text ? senderOf(text.payload) : null;
            if (sender !== null) sendersInProgress.set(sender, (sendersInProgress.get(sender) ?? 0) + 1);
          },
        );
        texts = rows.filter((r) => r.eventType === "message.received").length;
        textsInProgress += texts;
        if (texts > 0) lastTextClaimedAt = Date.now();
        // (The counts include what this claim took.)
        const textsLeft = rows.length > 0 ? rows[0].textsWaiting - texts : 0;
        const othersLeft = rows.length > 0 ? rows[0].othersWaiting - (rows.length - texts) : 0;
        onClaim?.(texts, { more: textsLeft > 0 || othersLeft >= RECEIPT_BATCH, fewOthers: othersLeft > 0 });
        if (rows.length === 0) return null;
        claimed = rows.map((r) => r.id);
        return processRows(tx, rows);
      },
      { timeout: 20_000 },
    );
  } catch (error) {
    textsInProgress -= texts;
    texts = 0;
    release(sender, taken);
    if (claimed.length === 0) throw error;
    if (claimed.length === 1) {
      await recordFailure(claimed[0], error);
      return true;
    }
    // One receipt of the batch failed and rolled the others back with it: each on its own now, so that only the
    // bad one counts an attempt.
    for (const id of claimed) await processAlone(id);
    return true;
  }
  textsInProgress -= texts;
  release(sender, taken);
  await afterCommit(processed);
  return processed !== null;
}

/**
 * The claim (see processNextProviderEvent): a shopper's text not from a sender in progress, else a batch of other
 * events; with how many of each are waiting besides those in progress. Exported for its plan test.
 */
export function eventClaimStatement() {
  return Prisma.sql`
    WITH text AS (
      SELECT e.id FROM "ProviderEvent" e
      WHERE e."processedAt" IS NULL AND e.provider = 'telnyx' AND e.attempts < ${MAX_ATTEMPTS} AND e."eventType" = 'message.received'
        AND NOT (COALESCE(${SENDER_OF("e")}, '') = ANY(${[...sendersInProgress.keys()]}::text[]))
      ORDER BY e."receivedAt", e.id FOR UPDATE OF e SKIP LOCKED LIMIT 1
    ), other AS (
      SELECT e.id FROM "ProviderEvent" e
      WHERE NOT EXISTS (SELECT 1 FROM text) AND (SELECT pg_try_advisory_xact_lock(${Prisma.raw(`${RECEIPTS_LOCK}::bigint`)}))
        AND e."processedAt" IS NULL AND e.provider = 'telnyx' AND e.attempts < ${MAX_ATTEMPTS} AND e."eventType" <> 'message.received'
      ORDER BY e."receivedAt", e.id FOR UPDATE OF e SKIP LOCKED LIMIT ${RECEIPT_BATCH}
    )
    SELECT id, "eventType", payload, attempts, (
      SELECT count(*) FROM (
        SELECT 1 FROM "ProviderEvent" w
        WHERE w."processedAt" IS NULL AND w.provider = 'telnyx' AND w.attempts < ${MAX_ATTEMPTS} AND w."eventType" = 'message.received'
          AND NOT (w.id = ANY(${[...eventsInProgress]}::text[]))
        LIMIT 2) w)::int AS "textsWaiting", (
      SELECT count(*) FROM (
        SELECT 1 FROM "ProviderEvent" w
        WHERE w."processedAt" IS NULL AND w.provider = 'telnyx' AND w.attempts < ${MAX_ATTEMPTS} AND w."eventType" <> 'message.received'
          AND NOT (w.id = ANY(${[...eventsInProgress]}::text[]))
        LIMIT ${2 * RECEIPT_BATCH + 1}) w)::int AS "othersWaiting"
    FROM "ProviderEvent"
    WHERE id IN (SELECT id FROM text UNION ALL SELECT id FROM other)
    ORDER BY "receivedAt", id`;
}

// The senders of the texts this process is handling, and a queue that lets one claim at a time run: a claim sees
// every text claimed before it, so two workers can never take two texts from one shopper at once. (Across worker
// processes texts of one shopper may still be handled in parallel — serialised by the contact's lock — as before.)
const sendersInProgress = new Map<string, number>();
// The events this process's workers have claimed and not finished: a claim that counts what else is waiting leaves
// them out, so that a worker does not wake another (and claim again itself) for events already being handled here —
// each such wake-up was a claim that found nothing (BEGIN, claim, COMMIT for no work).
const eventsInProgress = new Set<string>();
let claimQueue: Promise<unknown> = Promise.resolve();

function claiming<T>(claim: () => Promise<T>, onClaimed: (result: T) => void): Promise<T> {
  const run = claimQueue.then(async () => {
    const result = await claim();
    onClaimed(result);
    return result;
  });
  claimQueue = run.catch(() => undefined);
  return run;
}

function release(sender: string | null, events: string[]) {
  for (const id of events) eventsInProgress.delete(id);
  if (sender === null) return;
  const left = (sendersInProgress.get(sender) ?? 1) - 1;
  if (left > 0) sendersInProgress.set(sender, left);
  else sendersInProgress.delete(sender);
}

function senderOf(payload: unknown): string {
  const from = (payload as { data?: { payload?: { from?: { phone_number?: unknown } } } })?.data?.payload?.from
    ?.phone_number;
  return typeof from === "string" ? from : "";
}

async function processAlone(id: string) {
  let processed: ProcessedEvent[] | null = null;
  try {
    processed = await transaction(
      async (tx) => {
        const rows = await queryRaw<Row>(
          tx,
          Prisma.sql`
        SELECT id, "eventType", payload, attempts FROM "ProviderEvent" WHERE id = ${id} AND "processedAt" IS NULL FOR UPDATE SKIP LOCKED`,
        );
        return rows.length ? processRows(tx, rows) : null;
      },
      { timeout: 20_000 },
    );
  } catch (error) {
    await recordFailure(id, error);
  }
  await afterCommit(processed);
}

/** Committed: keyword replies go to the delivery loop (before automation, which may take a while), then automation. */
async function afterCommit(processed: ProcessedEvent[] | null) {
  await handOver((processed ?? []).flatMap((event) => event.handOver ?? []));
  for (const event of processed ?? []) if (event.automation) await runInboundAutomation(event.automation);
}

/**
 * Applies the claimed events in order — delivery receipts together (see applyDeliveryReceipts) — and marks them
 * all processed in one statement. (A claim holds one shopper's text, or receipts: never both.)
 */
async function processRows(tx: Prisma.TransactionClient, rows: Row[]): Promise<ProcessedEvent[]> {
  deferNotices(tx); // sent with the mark below, the transaction's last statement
  const processed: ProcessedEvent[] = [];
  const marks: Mark[] = [];
  const receipts: { rowId: string; event: Receipt }[] = [];
  for (const row of rows) {
    const parsed = parseTelnyxEvent(row.payload);
    if (!parsed.ok) {
      marks.push({ id: row.id, error: parsed.reason });
      processed.push({ id: row.id });
      continue;
    }
    const event = parsed.event;
    if (isReceipt(event)) {
      receipts.push({ rowId: row.id, event });
      continue;
    }
    const handled = await handleEvent(tx, row.id, event);
    marks.push(handled.mark);
    processed.push(handled.event);
  }
  const shops = await applyDeliveryReceipts(
    tx,
    receipts.map((r) => r.event),
  );
  receipts.forEach(({ rowId }, i) => {
    marks.push({ id: rowId, shopId: shops[i] ?? undefined });
    processed.push({ id: rowId });
  });
  const notices = takeDeferredNotices(tx);
  await queryRaw(
    tx,
    Prisma.sql`
    WITH marked AS (
      UPDATE "ProviderEvent" p SET "processedAt" = ${new Date()}, error = v.error, "shopId" = COALESCE(v."shopId", p."shopId")
      FROM unnest(${marks.map((m) => m.id)}::text[], ${marks.map((m) => m.error ?? null)}::text[], ${marks.map((m) => m.shopId ?? null)}::text[])
        AS v(id, error, "shopId")
      WHERE p.id = v.id)
    SELECT pg_notify(n.channel, n.payload)::text FROM unnest(${notices.channels}::text[], ${notices.payloads}::text[]) AS n(channel, payload)`,
  );
  return processed;
}

async function handleEvent(
  tx: Prisma.TransactionClient,
  rowId: string,
  event: Exclude<TelnyxEvent, Receipt>,
): Promise<{ event: ProcessedEvent; mark: Mark }> {
  switch (event.type) {
    case "message.received": {
      const result = await receiveInboundSms(tx, event.id, event.payload, new Date(), { handOver: canHandOver() });
      if (result.outcome === "unknown_number") {
        log.warn("inbound text to a number no shop owns: dropped", { to: result.to });
        return { event: { id: rowId }, mark: { id: rowId, error: `no shop owns ${result.to}` } };
      }
      const mark = { id: rowId, shopId: result.outcome === "stored" ? result.shopId : undefined };
      const handOver = result.outcome === "stored" ? result.handOver : [];
      if (result.outcome === "stored" && result.automate) {
        return {
          event: {
            id: rowId,
            handOver,
            automation: {
              shopId: result.shopId,
              messageId: result.message.id,
              conversationId: result.message.conversationId!,
            },
          },
          mark,
        };
      }
      return { event: { id: rowId, handOver }, mark };
    }
    case "unknown":
      return { event: { id: rowId }, mark: { id: rowId } };
  }
}

// The transaction rolled back; count the attempt outside it so a poison event stops being retried.
async function recordFailure(id: string, error: unknown) {
  log.error("provider event failed; will retry", { eventRowId: id, error });
  await prisma.providerEvent.update({
    where: { id },
    data: { attempts: { increment: 1 }, error: error instanceof Error ? error.message : String(error) },
  });
}
