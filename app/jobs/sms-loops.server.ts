import pg from "pg";
import { env } from "~/env.server";
import { log } from "~/lib/log.server";
import { CHANNELS } from "~/services/realtime/notify.server";
import { claimDueMessages, deliverClaimed } from "~/services/sms/deliver.server";
import { processNextProviderEvent } from "~/services/sms/provider-events.server";
import { reconcileStuckSends } from "~/services/sms/reconcile.server";

// The engine's workers, one set per worker process: inbound provider events, outbound delivery, and
// reconciliation of sends with an unknown outcome. Each loop drains its table, then sleeps until a NOTIFY wakes
// it or a short poll comes round (the poll also releases quiet-hours holds when their time comes).

type Loop = { wake(): void; stopped: Promise<void> };

function startLoop(name: string, step: () => Promise<boolean>, idleMs: number, isRunning: () => boolean): Loop {
  let wake: () => void = () => {};
  const stopped = (async () => {
    while (isRunning()) {
      let didWork = false;
      try {
        didWork = await step();
      } catch (error) {
        log.error(`${name} loop error`, { error });
        await new Promise((r) => setTimeout(r, 1000));
      }
      if (didWork) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return { wake: () => wake(), stopped };
}

export async function startSmsLoops(databaseUrl: string): Promise<() => Promise<void>> {
  const config = env();
  let running = true;
  const isRunning = () => running;

  const inFlight = new Set<Promise<unknown>>();
  const concurrency = config.PARLEY_SMS_CONCURRENCY;
  const deliveryStep = async () => {
    const room = concurrency - inFlight.size;
    if (room <= 0) {
      await Promise.race(inFlight);
      return true;
    }
    const claimed = await claimDueMessages(room);
    for (const message of claimed) {
      const task = deliverClaimed(message)
        .catch((error) => log.error("delivery failed unexpectedly; left for reconciliation", { messageId: message.id, error }))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    if (claimed.length > 0) return true;
    if (inFlight.size === 0) return false;
    await Promise.race(inFlight); // a finished send frees room; look again
    return true;
  };

  const events = startLoop("inbound", processNextProviderEvent, 1000, isRunning);
  const delivery = startLoop("delivery", deliveryStep, 500, isRunning);
  let lastReconcile = 0;
  const reconcile = startLoop(
    "reconcile",
    async () => {
      if (Date.now() - lastReconcile < Math.min(10_000, Math.max(500, config.PARLEY_RECONCILE_GRACE_SECONDS * 250))) return false;
      lastReconcile = Date.now();
      const { linked, requeued } = await reconcileStuckSends(config.PARLEY_RECONCILE_GRACE_SECONDS);
      if (requeued > 0) delivery.wake();
      return linked + requeued > 0;
    },
    1000,
    isRunning,
  );

  const listener = new pg.Client({ connectionString: databaseUrl, application_name: "parley-sms-listener" });
  await listener.connect();
  listener.on("notification", (note) => {
    if (note.channel === CHANNELS.outbox) delivery.wake();
    if (note.channel === CHANNELS.events) events.wake();
  });
  listener.on("error", (error) => log.error("sms listener connection lost; polling only", { error }));
  await listener.query(`LISTEN ${CHANNELS.outbox}`);
  await listener.query(`LISTEN ${CHANNELS.events}`);

  return async () => {
    running = false;
    events.wake();
    delivery.wake();
    reconcile.wake();
    await Promise.all([events.stopped, delivery.stopped, reconcile.stopped]);
    await Promise.allSettled([...inFlight]);
    await listener.end().catch(() => {});
  };
}
