import { PgBoss } from "pg-boss";
import type { Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { queues, type QueuePayload } from "./queues";

// pg-boss on Parley's own database: web processes enqueue, worker processes (any number, on any machine)
// claim jobs with SKIP LOCKED, so scaling out is starting more workers.
declare global {
  var __parleyBoss: Promise<PgBoss> | undefined;
}

export async function createBoss(connectionString: string, options: { supervise: boolean }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    supervise: options.supervise,
    schedule: options.supervise,
    max: 5,
    application_name: "parley-jobs",
  } as ConstructorParameters<typeof PgBoss>[0]);
  boss.on("error", (error: unknown) => log.error("job queue error", { error }));
  await boss.start();
  for (const queue of Object.values(queues)) {
    await boss.createQueue(queue.name, { retryLimit: 5, retryBackoff: true, retryDelay: 2 } as never);
  }
  return boss;
}

/** The enqueueing handle of this process (lazily started, shared across dev reloads). */
export function getBoss(): Promise<PgBoss> {
  globalThis.__parleyBoss ??= createBoss(process.env.DATABASE_URL!, { supervise: false }).catch((error) => {
    globalThis.__parleyBoss = undefined;
    throw error;
  });
  return globalThis.__parleyBoss;
}

export async function enqueue<K extends keyof typeof queues>(
  key: K,
  payload: QueuePayload<K>,
  options: { singletonKey?: string } = {},
) {
  const queue = queues[key];
  const boss = await getBoss();
  return boss.send(queue.name, queue.payload.parse(payload), options);
}

/**
 * Enqueues inside the caller's transaction: the job exists exactly when the transaction commits (a rollback
 * takes it back), so a worker never picks up a job for a row it cannot see yet.
 */
export async function enqueueInTransaction<K extends keyof typeof queues>(
  tx: Prisma.TransactionClient,
  key: K,
  payload: QueuePayload<K>,
  options: { singletonKey?: string; startAfter?: Date } = {},
) {
  const queue = queues[key];
  const boss = await getBoss();
  const db = {
    executeSql: async (text: string, values: unknown[] = []) => ({
      rows: await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values),
    }),
  };
  return boss.send(queue.name, queue.payload.parse(payload), { ...options, db });
}
