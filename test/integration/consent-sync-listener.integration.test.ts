import { afterEach, beforeEach, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { CONSENT_GATHER_MS, listenForConsentChanges } from "~/jobs/handlers/sync-shopify-consent.server";
import { queues } from "~/jobs/queues";
import { SHOPIFY_CONSENT_CHANNEL } from "~/services/shopify/consent-sync-marker.server";
import { waitFor } from "../helpers/engine-harness";

// The listener between committed consent changes (NOTIFY, real PostgreSQL) and the sync jobs: one job per burst,
// so a burst of STOPs does not put a job insert per STOP on the hot path; a lone change keeps its own job.

type Sent = { name: string; data: object };
let sent: Sent[];
let stop: () => Promise<void>;
const boss = {
  send: async (name: string, data: object) => {
    sent.push({ name, data });
    return "job-id";
  },
};
const listen = async (options?: { gatherMs?: number }) => {
  await stop();
  stop = await listenForConsentChanges(process.env.DATABASE_URL!, boss as never, options);
};

beforeEach(async () => {
  sent = [];
  stop = async () => {};
  await listen();
});

afterEach(async () => {
  await stop();
});

/** Commits consent changes the way the app does: NOTIFY inside a transaction, heard after commit. */
async function changed(...contactIds: string[]) {
  await prisma.$transaction(async (tx) => {
    for (const id of contactIds) await tx.$queryRaw`SELECT pg_notify(${SHOPIFY_CONSENT_CHANNEL}, ${id})::text`;
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.each([
  { name: "a lone change: a job for that contact", bursts: [["c1"]], expected: [{ contactId: "c1" }] },
  {
    name: "a burst (one transaction): one job for every due contact",
    bursts: [["c1", "c2", "c3"]],
    expected: [{}],
  },
  {
    name: "the same contact twice in a burst: still that contact's job",
    bursts: [["c1", "c1"]],
    expected: [{ contactId: "c1" }],
  },
  {
    name: "bursts further apart than the gathering window: a job each",
    bursts: [["c1"], ["c2", "c3"], ["c4"]],
    expected: [{ contactId: "c1" }, {}, { contactId: "c4" }],
  },
])("$name", async ({ bursts, expected }) => {
  for (const burst of bursts) {
    await changed(...burst);
    await waitFor(() => sent.length > 0 && sent.length === bursts.indexOf(burst) + 1, 5_000);
    await pause(CONSENT_GATHER_MS / 2);
  }
  expect(sent).toEqual(expected.map((data) => ({ name: queues.syncShopifyConsent.name, data })));
});

test("changes in separate transactions within the window are gathered into one job", async () => {
  await listen({ gatherMs: 1_000 }); // wide, so that a slow machine commits the second within it
  await changed("c1");
  await changed("c2");
  await waitFor(() => sent.length > 0, 5_000);
  await pause(200);
  expect(sent).toEqual([{ name: queues.syncShopifyConsent.name, data: {} }]);
});

test("stopping enqueues what was gathered rather than leaving it to the minute sweep", async () => {
  await listen({ gatherMs: 60_000 });
  await changed("c1");
  await pause(500); // heard, and far from enqueued
  expect(sent).toEqual([]);
  await stop();
  expect(sent).toEqual([{ name: queues.syncShopifyConsent.name, data: { contactId: "c1" } }]);
  stop = async () => {};
});
