import type { PgBoss } from "pg-boss";
import { log } from "~/lib/log.server";
import { createBoss } from "./boss.server";
import { BROWSE_RETENTION_CRON, handleBrowseRetention } from "./handlers/browse-retention.server";
import {
  FLOW_TIMER_SWEEP_CRON,
  handleFlowOffer,
  handleFlowTagCustomer,
  handleFlowTimer,
} from "./handlers/flows.server";
import { handleFlowShipment } from "./handlers/flow-shipment.server";
import { notifyProductWatchers } from "~/services/flows/interest-availability.server";
import { handleImportSubscribers } from "./handlers/import-subscribers.server";
import { EXPIRY_SWEEP_CRON, handleExpirePendingOptIns, handleSendWelcome } from "./handlers/opt-in.server";
import { handleSendTestMessage } from "./handlers/send-test-message.server";
import { handleSyncShopifyConsent, listenForConsentChanges, SWEEP_CRON } from "./handlers/sync-shopify-consent.server";
import { wakeSnoozedConversations } from "~/services/inbox/snooze.server";
import { queues } from "./queues";
import { startSmsLoops } from "./sms-loops.server";

// Registers every queue's handler. Handlers parse their payload (a malformed job fails loudly, it is not
// retried into oblivion) and re-read the database.
export async function registerHandlers(boss: PgBoss) {
  await boss.work<unknown>(queues.sendTestMessage.name, { batchSize: 1 }, async (jobs) => {
    for (const job of jobs) await handleSendTestMessage(queues.sendTestMessage.payload.parse(job.data));
  });
  await boss.work<unknown>(
    queues.syncShopifyConsent.name,
    { batchSize: 1, pollingIntervalSeconds: 1 },
    async (jobs) => {
      for (const job of jobs)
        await handleSyncShopifyConsent(queues.syncShopifyConsent.payload.parse(job.data ?? {}), { boss });
    },
  );
  await boss.schedule(queues.syncShopifyConsent.name, SWEEP_CRON, {});
  await boss.work<unknown>(queues.browseRetention.name, { batchSize: 1 }, async () => {
    await handleBrowseRetention();
  });
  await boss.schedule(queues.browseRetention.name, BROWSE_RETENTION_CRON, {});
  await boss.work<unknown, void, { batchSize: number; includeMetadata: true; pollingIntervalSeconds: number }>(
    queues.importSubscribers.name,
    { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 1 },
    async (jobs) => {
      for (const job of jobs) await handleImportSubscribers(queues.importSubscribers.payload.parse(job.data), job);
    },
  );
  await boss.work<unknown>(queues.sendWelcome.name, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) await handleSendWelcome(queues.sendWelcome.payload.parse(job.data));
  });
  await boss.work<unknown>(queues.expirePendingOptIns.name, { batchSize: 1 }, async () => {
    await handleExpirePendingOptIns();
  });
  await boss.schedule(queues.expirePendingOptIns.name, EXPIRY_SWEEP_CRON, {});
  await boss.work<unknown>(queues.wakeSnoozed.name, { batchSize: 1 }, async () => {
    await wakeSnoozedConversations();
  });
  await boss.schedule(queues.wakeSnoozed.name, "* * * * *", {});
  await boss.work<unknown>(queues.flowTimer.name, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) await handleFlowTimer(queues.flowTimer.payload.parse(job.data ?? {}));
  });
  await boss.schedule(queues.flowTimer.name, FLOW_TIMER_SWEEP_CRON, {});
  await boss.work<unknown>(queues.flowOffer.name, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) await handleFlowOffer(queues.flowOffer.payload.parse(job.data));
  });
  await boss.work<unknown>(queues.flowTagCustomer.name, { batchSize: 1 }, async (jobs) => {
    for (const job of jobs) await handleFlowTagCustomer(queues.flowTagCustomer.payload.parse(job.data));
  });
  await boss.work<unknown>(queues.flowShipment.name, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) await handleFlowShipment(queues.flowShipment.payload.parse(job.data));
  });
  await boss.work<unknown>(
    queues.flowProductAvailable.name,
    { batchSize: 1, pollingIntervalSeconds: 1 },
    async (jobs) => {
      for (const job of jobs) await notifyProductWatchers(queues.flowProductAvailable.payload.parse(job.data));
    },
  );
}

/** Starts a worker on the given database; returns a function that drains and stops it. */
export async function startWorkerProcess(databaseUrl: string): Promise<() => Promise<void>> {
  const boss = await createBoss(databaseUrl, { supervise: true });
  await registerHandlers(boss);
  const stopSms = await startSmsLoops(databaseUrl);
  const stopConsentListener = await listenForConsentChanges(databaseUrl, boss);
  log.info("worker started", { queues: Object.values(queues).map((q) => q.name) });
  return async () => {
    await stopConsentListener();
    await stopSms();
    await boss.stop({ graceful: true, timeout: 10_000 } as never);
  };
}
