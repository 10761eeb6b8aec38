import { parseTelnyxEvent, type TelnyxEvent } from "~/adapters/telnyx/events";
import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { runInboundAutomation } from "~/services/automation/hooks.server";
import { applyDeliveryReceipt } from "./delivery-receipts.server";
import { receiveInboundSms } from "./receive-inbound.server";

// The inbound side of the engine: recorded provider events are claimed one at a time (SKIP LOCKED, so any
// number of workers share them) and processed in the same transaction that marks them done. A crash rolls the
// whole event back and another worker takes it; nothing is half-applied.

const MAX_ATTEMPTS = 5;

type ProcessedEvent = { id: string; automation?: Parameters<typeof runInboundAutomation>[0] };

/** Processes the oldest unprocessed event; returns false when there was none. */
export async function processNextProviderEvent(): Promise<boolean> {
  let processed: ProcessedEvent | null;
  let claimedId: string | undefined;
  try {
    processed = await prisma.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ id: string; payload: unknown; attempts: number }[]>`
        SELECT id, payload, attempts FROM "ProviderEvent"
        WHERE "processedAt" IS NULL AND provider = 'telnyx' AND attempts < ${MAX_ATTEMPTS}
        ORDER BY "receivedAt" FOR UPDATE SKIP LOCKED LIMIT 1`;
      if (!row) return null;
      claimedId = row.id;
      const parsed = parseTelnyxEvent(row.payload);
      if (!parsed.ok) {
        await markProcessed(tx, row.id, { error: parsed.reason });
        return { id: row.id };
      }
      return handleEvent(tx, row.id, parsed.event);
    }, { timeout: 20_000 });
  } catch (error) {
    if (!claimedId) throw error;
    await recordFailure(claimedId, error);
    return true;
  }
  if (processed?.automation) await runInboundAutomation(processed.automation);
  return processed !== null;
}

async function handleEvent(tx: Prisma.TransactionClient, rowId: string, event: TelnyxEvent): Promise<ProcessedEvent> {
  switch (event.type) {
    case "message.received": {
      const result = await receiveInboundSms(tx, event.id, event.payload);
      if (result.outcome === "unknown_number") {
        log.warn("inbound text to a number no shop owns: dropped", { to: result.to });
        await markProcessed(tx, rowId, { error: `no shop owns ${result.to}` });
        return { id: rowId };
      }
      await markProcessed(tx, rowId, { shopId: result.outcome === "stored" ? result.shopId : undefined });
      if (result.outcome === "stored" && result.automate) {
        return { id: rowId, automation: { shopId: result.shopId, messageId: result.message.id, conversationId: result.message.conversationId! } };
      }
      return { id: rowId };
    }
    case "message.sent":
    case "message.finalized": {
      const shopId = await applyDeliveryReceipt(tx, event);
      await markProcessed(tx, rowId, { shopId: shopId ?? undefined });
      return { id: rowId };
    }
    case "unknown":
      await markProcessed(tx, rowId, {});
      return { id: rowId };
  }
}

function markProcessed(tx: Prisma.TransactionClient, id: string, result: { shopId?: string; error?: string }) {
  return tx.providerEvent.update({
    where: { id },
    data: { processedAt: new Date(), error: result.error ?? null, ...(result.shopId ? { shopId: result.shopId } : {}) },
  });
}

// The transaction rolled back; count the attempt outside it so a poison event stops being retried.
async function recordFailure(id: string, error: unknown) {
  log.error("provider event failed; will retry", { eventRowId: id, error });
  await prisma.providerEvent.update({
    where: { id },
    data: { attempts: { increment: 1 }, error: error instanceof Error ? error.message : String(error) },
  });
}
