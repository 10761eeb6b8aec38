import pg from "pg";
import type { PgBoss } from "pg-boss";
import { log } from "~/lib/log.server";
import { SHOPIFY_CONSENT_CHANNEL } from "~/services/shopify/consent-sync-marker.server";
import {
  type ConsentSyncDeps,
  defaultConsentSyncDeps,
  type SyncResult,
  syncShopifyConsent,
} from "~/services/shopify/consent-sync.server";
import { queues, type QueuePayload } from "../queues";

// Worker side of `shopify.sync-consent` (app/services/shopify/consent-sync.server.ts does the work):
// - a job per marked contact, enqueued when the NOTIFY of its consent change arrives (i.e. after commit);
// - a sweep every minute over every due contact, so a lost NOTIFY, a worker that was down or a crashed job
//   costs at most a minute;
// - a retry due before the next sweep gets its own job at that time (THROTTLED usually asks for a second or two).

export const SWEEP_CRON = "* * * * *";
const FOLLOW_UP_HORIZON_MS = 60_000;
const START_AFTER_SLACK_MS = 250; // the job must not find the contact a hair short of due

type Sender = Pick<PgBoss, "send">;

export async function handleSyncShopifyConsent(
  payload: QueuePayload<"syncShopifyConsent">,
  deps: { boss: Sender; sync?: ConsentSyncDeps },
): Promise<SyncResult[]> {
  const syncDeps = deps.sync ?? defaultConsentSyncDeps;
  const results = await syncShopifyConsent(payload.contactId ? { contactId: payload.contactId } : {}, syncDeps);
  const now = syncDeps.now().getTime();
  for (const result of results) {
    if (!result.retryAt || result.retryAt.getTime() - now > FOLLOW_UP_HORIZON_MS) continue;
    await deps.boss.send(
      queues.syncShopifyConsent.name,
      { contactId: result.contactId },
      { startAfter: new Date(result.retryAt.getTime() + START_AFTER_SLACK_MS) },
    );
  }
  if (results.length > 0) {
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    log.info("shopify consent sync", { contacts: results.length, ...counts });
  }
  return results;
}

/** LISTENs for consent changes committed anywhere and enqueues their sync. Returns a stop function. */
export async function listenForConsentChanges(databaseUrl: string, boss: Sender): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "parley-shopify-consent" });
  await client.connect();
  client.on("notification", (note) => {
    if (note.channel !== SHOPIFY_CONSENT_CHANNEL || !note.payload) return;
    boss
      .send(queues.syncShopifyConsent.name, { contactId: note.payload })
      .catch((error: unknown) =>
        log.warn("could not enqueue a shopify consent sync; the sweep will pick it up", { error }),
      );
  });
  client.on("error", (error) =>
    log.error("shopify consent listener connection lost; the minute sweep remains", { error }),
  );
  await client.query(`LISTEN ${SHOPIFY_CONSENT_CHANNEL}`);
  return async () => {
    await client.end().catch(() => {});
  };
}
