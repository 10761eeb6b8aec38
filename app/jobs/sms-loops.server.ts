import pg from "pg";
import { env } from "~/env.server";
import { log } from "~/lib/log.server";
import { CHANNELS } from "~/services/realtime/notify.server";
import { acceptHandOvers, claimDueMessages, deliverClaimed } from "~/services/sms/deliver.server";
import { processNextProviderEvent, shopperTextsInProgress } from "~/services/sms/provider-events.server";
import { TEXT_NOTICE } from "~/services/telnyx-webhooks.server";
import { effectiveGraceSeconds, reconcileStuckSends } from "~/services/sms/reconcile.server";

// The engine's workers, one set per worker process: inbound provider events, outbound delivery, and
// reconciliation of sends with an unknown outcome. Each loop drains its table, then sleeps until a NOTIFY wakes
// it or a short poll comes round (the poll also releases quiet-hours holds when their time comes).

type Loop = { wake(): void; readonly idle: boolean; stopped: Promise<void> };

// Inbound events are processed by a few workers at once (each event in its own transaction; the claim keeps one
// shopper's events in order, see provider-events.server.ts): one at a time, a burst of STOPs and delivery
// receipts queues up behind a single database round trip after another.
const INBOUND_WORKERS = 4;

// Campaign sends are held back from the moment a shopper's text is recorded until it has been handled (a STOP in
// the middle of a blast then waits for nothing and cancels what it can), for at most this long.
const TEXT_HOLD_MAX_MS = 2000;

// How long delivery receipts gather before a worker claims them (see wakeInboundSoon).
const RECEIPT_GATHER_MS = 50;

function startLoop(name: string, step: () => Promise<boolean>, idleMs: number, isRunning: () => boolean): Loop {
  let wakeSleep: (() => void) | null = null;
  // A wake that arrives while the step runs (e.g. a NOTIFY during a claim that found nothing) is kept, so the
  // loop looks again at once instead of sleeping through it until the next poll.
  let wokenWhileBusy = false;
  const stopped = (async () => {
    while (isRunning()) {
      let didWork = false;
      wokenWhileBusy = false;
      try {
        didWork = await step();
      } catch (error) {
        log.error(`${name} loop error`, { error });
        await new Promise((r) => setTimeout(r, 1000));
      }
      if (didWork || wokenWhileBusy) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, idleMs);
        function done() {
          clearTimeout(timer);
          wakeSleep = null;
          resolve();
        }
        wakeSleep = done;
      });
    }
  })();
  return {
    wake: () => (wakeSleep ? wakeSleep() : (wokenWhileBusy = true)),
    get idle() {
      return wakeSleep !== null;
    },
    stopped,
  };
}

export async function startSmsLoops(databaseUrl: string): Promise<() => Promise<void>> {
  const config = env();
  let running = true;
  const isRunning = () => running;

  const inFlight = new Set<Promise<unknown>>();
  const concurrency = config.PARLEY_SMS_CONCURRENCY;
  // When every slot is busy, claim again once a few have freed up rather than one message per finished send:
  // the claim, and the sends it starts (which share their statements, see deliver.server.ts), go in batches.
  const claimChunk = Math.max(1, Math.floor(concurrency / 4));
  let lastClaimFull = false; // the queue had at least as many due messages as there was room for
  let holdingBack = false; // the last claim held campaigns back for a shopper's text
  let textWaitingSince = 0; // a shopper's text was recorded (NOTIFY) and no inbound worker has claimed it yet
  const deliver = (message: Parameters<typeof deliverClaimed>[0]) => {
    const task = deliverClaimed(message)
      .catch((error) =>
        log.error("delivery failed unexpectedly; left for reconciliation", { messageId: message.id, error }),
      )
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  // A keyword reply or confirmation this process just committed (see handOver): claimed by id and sent at once,
  // without the NOTIFY round and the loop's claim; with no room, or if the claim fails, the loop takes it.
  const handedOver = (id: string) => {
    if (!running || inFlight.size >= concurrency) return delivery.wake();
    const claim = claimDueMessages(1, { id })
      .then(([message]) => message && deliver(message))
      .catch((error) => {
        log.error("handed-over message not claimed; left to the delivery loop", { messageId: id, error });
        delivery.wake();
      })
      .finally(() => inFlight.delete(claim));
    inFlight.add(claim);
  };
  const deliveryStep = async () => {
    const room = concurrency - inFlight.size;
    if (room <= 0 || (room < claimChunk && inFlight.size > 0 && lastClaimFull)) {
      await Promise.race(inFlight);
      return true;
    }
    // While a shopper's text (a STOP, perhaps) waits or is being handled here, only keyword replies go out.
    if (textWaitingSince && Date.now() - textWaitingSince > TEXT_HOLD_MAX_MS) textWaitingSince = 0;
    holdingBack = textWaitingSince > 0 || shopperTextsInProgress() > 0;
    const claimed = await claimDueMessages(room, { systemOnly: holdingBack });
    lastClaimFull = claimed.length === room;
    for (const message of claimed) deliver(message);
    // A claim that found less than it had room for emptied the queue: sleep until a NOTIFY (a new message), the
    // end of a hold-back or the poll. A send finishing frees room, but brings no new work to claim.
    return lastClaimFull;
  };

  // One NOTIFY (one recorded event, or a batch of them) wakes one sleeping inbound worker; a worker whose claim saw
  // more events waiting wakes another and claims again itself, so a backlog fans out to every worker, and an idle
  // engine runs one claim per event (not a second one that finds the queue empty).
  const inbound: Loop[] = [];
  const wakeInbound = () => (inbound.find((loop) => loop.idle) ?? inbound[0])?.wake();
  // Delivery receipts (and other events that are not a shopper's text) are gathered for a moment before a worker
  // claims them, so they are applied in batches (one transaction for many) rather than one by one as they trickle
  // in; a shopper's text, or a full batch, wakes a worker at once.
  let gathering: NodeJS.Timeout | null = null;
  const wakeInboundSoon = () => {
    gathering ??= setTimeout(() => {
      gathering = null;
      wakeInbound();
    }, RECEIPT_GATHER_MS);
  };
  for (let i = 0; i < INBOUND_WORKERS; i++) {
    const step = async () => {
      let more = false;
      // A claim without a text means none is waiting (texts are claimed first): campaigns need not wait for one.
      await processNextProviderEvent((texts, waiting) => {
        if (texts === 0) textWaitingSince = 0;
        more = waiting.more;
        if (more) wakeInbound();
        else if (waiting.fewOthers) wakeInboundSoon();
      });
      if (holdingBack && shopperTextsInProgress() === 0) delivery.wake(); // campaigns may go again
      return more;
    };
    inbound.push(startLoop("inbound", step, 1000, isRunning));
  }
  const events = {
    wake: wakeInbound,
    wakeAll: () => inbound.forEach((loop) => loop.wake()),
    stopped: Promise.all(inbound.map((loop) => loop.stopped)),
  };
  const delivery = startLoop("delivery", deliveryStep, 500, isRunning);
  const stopHandOvers = acceptHandOvers(handedOver);
  let lastReconcile = 0;
  const grace = effectiveGraceSeconds(config);
  const reconcile = startLoop(
    "reconcile",
    async () => {
      if (Date.now() - lastReconcile < Math.min(10_000, Math.max(500, grace * 250))) return false;
      lastReconcile = Date.now();
      const { linked, requeued } = await reconcileStuckSends(grace);
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
    if (note.channel === CHANNELS.events) {
      if (note.payload === TEXT_NOTICE) {
        textWaitingSince ||= Date.now();
        events.wake();
      } else wakeInboundSoon();
    }
  });
  listener.on("error", (error) => log.error("sms listener connection lost; polling only", { error }));
  await listener.query(`LISTEN ${CHANNELS.outbox}`);
  await listener.query(`LISTEN ${CHANNELS.events}`);

  return async () => {
    running = false;
    stopHandOvers();
    if (gathering) clearTimeout(gathering);
    events.wakeAll();
    delivery.wake();
    reconcile.wake();
    await Promise.all([events.stopped, delivery.stopped, reconcile.stopped]);
    await Promise.allSettled([...inFlight]);
    await listener.end().catch(() => {});
  };
}
