import { expect, test } from "vitest";
import { prisma } from "~/db.server";
import {
  eventClaimStatement,
  processNextProviderEvent,
  shopperTextsRecently,
} from "~/services/sms/provider-events.server";
import { createProviderEvent, createShop } from "../helpers/factories";
import { rowsReadFrom } from "../helpers/query-plan";

// The inbound workers' claim reads what is waiting, not the history: 30,000 processed events and 40 waiting.
// Each claim ran (in the benchmark) before autovacuum had looked at the table, so the test asks both before and
// after ANALYZE: with stale statistics the planner had combined the queue index with the (provider, eventId) key
// and read every event ever received.

test("a claim of provider events reads the waiting events only, with or without fresh statistics", async () => {
  await prisma.$executeRaw`
    INSERT INTO "ProviderEvent" (id, provider, "eventId", "eventType", payload, "receivedAt", "processedAt")
    SELECT 'event-' || i, 'telnyx', 'telnyx-' || i,
      CASE WHEN i % 3 = 0 THEN 'message.received' ELSE 'message.finalized' END,
      '{"data":{"payload":{"from":{"phone_number":"+15550100001"}}}}',
      now() - interval '1 hour' + i * interval '1 millisecond',
      CASE WHEN i <= 30000 THEN now() END
    FROM generate_series(1, 30040) AS i`;

  // EXPLAIN ANALYZE runs the claim, which only locks (the transaction ends with the statement): nothing changes.
  const stale = await rowsReadFrom("ProviderEvent", eventClaimStatement());
  await prisma.$executeRawUnsafe(`ANALYZE "ProviderEvent"`);
  const analyzed = await rowsReadFrom("ProviderEvent", eventClaimStatement());

  // 40 waiting, read by at most four scans (the text, its count, the others' count, the claimed row by id).
  for (const looked of [stale, analyzed]) {
    expect(looked).toBeGreaterThan(0);
    expect(looked).toBeLessThanOrEqual(4 * 40);
  }
  expect(await prisma.providerEvent.count({ where: { processedAt: null } })).toBe(40);
});

test("a claimed shopper's text makes the process busy with texts for a while (background work gives way)", async () => {
  await prisma.providerEvent.updateMany({ where: { processedAt: null }, data: { processedAt: new Date() } });
  expect(shopperTextsRecently(60_000)).toBe(false);
  const shop = await createShop();
  await createProviderEvent(shop.id, {
    data: {
      event_type: "message.received",
      id: "evt-recently",
      occurred_at: new Date().toISOString(),
      payload: {
        id: "msg-recently",
        direction: "inbound",
        from: { phone_number: "+15550100002" },
        to: [{ phone_number: "+15550109999" }], // nobody's number: logged and dropped, but claimed as a text
        text: "STOP",
      },
    },
  });
  expect(await processNextProviderEvent()).toBe(true);
  expect(shopperTextsRecently(60_000)).toBe(true);
  expect(shopperTextsRecently(0)).toBe(false); // none in progress any more
});
