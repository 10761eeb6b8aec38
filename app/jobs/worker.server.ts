import type { PgBoss } from "pg-boss";
import { log } from "~/lib/log.server";
import { createBoss } from "./boss.server";
import { handleSendTestMessage } from "./handlers/send-test-message.server";
import { handleSyncShopifyConsent, listenForConsentChanges, SWEEP_CRON } from "./handlers/sync-shopify-consent.server";
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
