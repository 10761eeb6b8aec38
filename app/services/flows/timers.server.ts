import { prisma, transaction } from "~/db.server";
import { log } from "~/lib/log.server";
import { applyEvent, type DispatchResult, lockRun } from "./engine.server";

// A run's pending timer is one row's timerName/timerAt/timerSeq. Setting it enqueues a pg-boss job for its
// time (app/services/flows/effects.server.ts); a once-a-minute sweep fires any due timer whose job was lost
// (restart, a queue wiped), so a run never waits forever. Both end here: a timer fires only if it is still the
// run's pending one (same generation) and due; its cause key "timer:<seq>" makes a second firing a no-op.

export type TimerOutcome = DispatchResult | { outcome: "stale" } | { outcome: "not_due" };

export async function fireFlowTimer(input: { runId: string; timerSeq: number; now?: Date }): Promise<TimerOutcome> {
  const now = input.now ?? new Date();
  const owner = await prisma.flowRun.findUnique({ where: { id: input.runId }, select: { shopId: true } });
  if (!owner) return { outcome: "stale" };
  return transaction(
    async (tx) => {
      const run = await lockRun(tx, owner.shopId, input.runId);
      if (!run || run.status !== "ACTIVE" || run.timerSeq !== input.timerSeq || !run.timerName || !run.timerAt)
        return { outcome: "stale" as const };
      if (run.timerAt.getTime() > now.getTime()) return { outcome: "not_due" as const };
      // The timer is spent whatever the step does; a step that wants another sets a new one.
      const fired = await tx.flowRun.update({ where: { id: run.id }, data: { timerName: null, timerAt: null } });
      return applyEvent(tx, fired, { type: "timer", name: run.timerName }, `timer:${run.timerSeq}`, now);
    },
    { timeout: 20_000 },
  );
}

/** Fires every due timer (all shops, or one): the minute sweep, and tests that move the clock. */
export async function fireDueFlowTimers(input: { now?: Date; shopId?: string; limit?: number } = {}) {
  const now = input.now ?? new Date();
  const due = await prisma.flowRun.findMany({
    where: { status: "ACTIVE", timerAt: { lte: now }, ...(input.shopId ? { shopId: input.shopId } : {}) },
    select: { id: true, timerSeq: true },
    orderBy: { timerAt: "asc" },
    take: input.limit ?? 200,
  });
  let fired = 0;
  for (const run of due) {
    try {
      const outcome = await fireFlowTimer({ runId: run.id, timerSeq: run.timerSeq, now });
      if (outcome.outcome !== "stale" && outcome.outcome !== "not_due") fired++;
    } catch (error) {
      log.error("flow timer failed", { runId: run.id, error });
    }
  }
  return { due: due.length, fired };
}

/**
 * Sandbox and tests only: brings one shop's pending timers forward to now and fires them, so a 1-hour wait can
 * be watched in a minute. Never mounted outside the sandbox.
 */
export async function fireShopTimersNow(input: { shopId: string; runId?: string; now?: Date }) {
  const now = input.now ?? new Date();
  await prisma.flowRun.updateMany({
    where: {
      shopId: input.shopId,
      status: "ACTIVE",
      timerAt: { gt: now },
      ...(input.runId ? { id: input.runId } : {}),
    },
    data: { timerAt: now },
  });
  return fireDueFlowTimers({ now, shopId: input.shopId });
}
