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
// - a job when the NOTIFY of a consent change arrives (i.e. after commit): for that contact, or, when several
//   arrive together, one for every due contact (listenForConsentChanges);
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

// Consent changes that arrive together are enqueued together: during a burst (a campaign's STOPs, an import) one
// job per contact cost a job insert per change on the hot path, and the handler works through due contacts in
// batches anyway. A lone change still gets its own job for that contact, this much later.
export const CONSENT_GATHER_MS = 100;

/**
 * LISTENs for consent changes committed anywhere and enqueues their sync: one job for the contact when a single
 * change arrived within CONSENT_GATHER_MS, else one job for every due contact. Returns a stop function.
 */
export async function listenForConsentChanges(
  databaseUrl: string,
  boss: Sender,
  options: { gatherMs?: number } = {},
): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "parley-shopify-consent" });
  await client.connect();
  const changed = new Set<string>();
  let gathering: NodeJS.Timeout | null = null;
  const enqueue = async () => {
    gathering = null;
    const contactIds = [...changed];
    changed.clear();
    if (contactIds.length === 0) return;
    await boss
      .send(queues.syncShopifyConsent.name, contactIds.length === 1 ? { contactId: contactIds[0] } : {})
      .catch((error: unknown) =>
        log.warn("could not enqueue a shopify consent sync; the sweep will pick it up", {
          error,
          contacts: contactIds.length,
        }),
      );
  };
  client.on("notification", (note) => {
    if (note.channel !== SHOPIFY_CONSENT_CHANNEL || !note.payload) return;
    changed.add(note.payload);
    gathering ??= setTimeout(() => void enqueue(), options.gatherMs ?? CONSENT_GATHER_MS);
  });
  client.on("error", (error) =>
    log.error("shopify consent listener connection lost; the minute sweep remains", { error }),
  );
  await client.query(`LISTEN ${SHOPIFY_CONSENT_CHANNEL}`);
  return async () => {
    if (gathering) clearTimeout(gathering);
    await enqueue();
    await client.end().catch(() => {});
  };
}
