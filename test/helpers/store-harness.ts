import { prisma } from "~/db.server";
import { getBoss } from "~/jobs/boss.server";
import { type QueuePayload, queues } from "~/jobs/queues";
import type { CustomerRecord } from "~/sandbox/shopify/types";
import { type EngineHarness, type EngineHarnessOptions, startEngineHarness } from "./engine-harness";
import { mountWebhookRoutes, type SimulatedStore, startSimulatedStore, type WebhookRoute } from "./simulated-store";

// The SMS engine (Telnyx simulator, real loops) and a simulated Shopify store for the same shop, with Parley's
// webhook routes mounted on the store so its signed deliveries reach them over HTTP, and the job queue started
// (flow steps, welcome codes and webhook receivers enqueue their jobs inside their own transactions).

export interface StoreHarness {
  h: EngineHarness;
  store: SimulatedStore;
  shopId: string;
  /** A store customer with a phone that no other test of this file has taken (and `accepts`, when given). */
  unusedCustomer(accepts?: (customer: CustomerRecord) => boolean): CustomerRecord & { phone: string };
  close(): Promise<void>;
}

export async function startStoreHarness(
  options: { engine?: EngineHarnessOptions; webhooks?: Record<string, WebhookRoute> } = {},
): Promise<StoreHarness> {
  const h = await startEngineHarness(options.engine);
  const shopId = h.shop.id;
  await h.startLoops();
  const webhooks = options.webhooks;
  const store = await startSimulatedStore({
    shop: shopId,
    existingShop: true,
    routes: webhooks ? (app) => mountWebhookRoutes(app, webhooks) : undefined,
  });
  await getBoss();
  const used = new Set<number>();
  return {
    h,
    store,
    shopId,
    unusedCustomer(accepts = () => true) {
      const customer = store.simulator.store.customers.find((c) => c.phone && !used.has(c.id) && accepts(c));
      if (!customer?.phone) throw new Error("no unused store customer with a phone");
      used.add(customer.id);
      return customer as CustomerRecord & { phone: string };
    },
    async close() {
      await h.close();
      await store.stop();
      await stopBoss();
    },
  };
}

/** Stops the process's job queue if a test started it (no polling left behind when the file's database goes). */
export async function stopBoss(): Promise<void> {
  const boss = await globalThis.__parleyBoss?.catch(() => undefined);
  await boss?.stop({ graceful: false, wait: true } as never);
}

/** Runs the jobs waiting in one queue, oldest first, as the worker would, and removes them; what each returned. */
export async function runQueuedJobs<K extends keyof typeof queues, R>(
  key: K,
  handle: (payload: QueuePayload<K>) => Promise<R>,
): Promise<R[]> {
  const queue = queues[key];
  const jobs = await prisma.$queryRaw<{ id: string; data: unknown }[]>`
    SELECT id::text, data FROM pgboss.job WHERE name = ${queue.name} AND state = 'created' ORDER BY created_on`;
  const outcomes: R[] = [];
  for (const job of jobs) {
    outcomes.push(await handle(queue.payload.parse(job.data) as QueuePayload<K>));
    await prisma.$executeRaw`DELETE FROM pgboss.job WHERE id = ${job.id}::uuid`;
  }
  return outcomes;
}
