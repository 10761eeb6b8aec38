import type { PgBoss } from "pg-boss";
import { log } from "~/lib/log.server";
import { createBoss } from "./boss.server";
import { handleSendTestMessage } from "./handlers/send-test-message.server";
import { queues } from "./queues";
import { startSmsLoops } from "./sms-loops.server";

// Registers every queue's handler. Handlers parse their payload (a malformed job fails loudly, it is not
// retried into oblivion) and re-read the database.
export async function registerHandlers(boss: PgBoss) {
  await boss.work<unknown>(queues.sendTestMessage.name, { batchSize: 1 }, async (jobs) => {
    for (const job of jobs) await handleSendTestMessage(queues.sendTestMessage.payload.parse(job.data));
  });
}

/** Starts a worker on the given database; returns a function that drains and stops it. */
export async function startWorkerProcess(databaseUrl: string): Promise<() => Promise<void>> {
  const boss = await createBoss(databaseUrl, { supervise: true });
  await registerHandlers(boss);
  const stopSms = await startSmsLoops(databaseUrl);
  log.info("worker started", { queues: Object.values(queues).map((q) => q.name) });
  return async () => {
    await stopSms();
    await boss.stop({ graceful: true, timeout: 10_000 } as never);
  };
}
