import { beforeEach, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { claimDueMessages, claimStatement } from "~/services/sms/deliver.server";
import { rowsReadFrom } from "../helpers/query-plan";
import { createContact, createConversationWithMessages, createShop, type SeedMessage } from "../helpers/factories";

// The delivery workers' claim (real PostgreSQL): what is due is claimed exactly once, held messages only once their
// window opened, and a night's worth of held messages neither blocks the claim nor is read by it.

const HOUR = 3600_000;
let shopId: string;
let contactId: string;

beforeEach(async () => {
  await prisma.message.deleteMany({});
  shopId = (await createShop()).id;
  contactId = (await createContact(shopId)).id;
});

/** Outbound messages in one conversation, created a minute apart in the order given. */
async function seed(...messages: SeedMessage[]) {
  const { messages: created } = await createConversationWithMessages(
    shopId,
    contactId,
    messages.map((m) => ({ direction: "OUTBOUND", authorKind: "AUTOMATION", purpose: "MARKETING", ...m })),
  );
  return created.map((m) => m.id);
}

const queued = (body: string, more: SeedMessage = {}): SeedMessage => ({ body, status: "QUEUED", ...more });
const held = (body: string, holdUntil: Date): SeedMessage => ({ body, status: "HELD", holdUntil });
const bodies = (rows: { body: string }[]) => rows.map((m) => m.body).sort();

test("due held messages are claimed first, queued ones fill the rest; held ones still in their window, retries not yet due, and inbound rows are left", async () => {
  const now = Date.now();
  await seed(
    queued("queued 1"),
    held("held, opens tomorrow", new Date(now + 10 * HOUR)),
    queued("queued 2"),
    held("held, opened an hour ago", new Date(now - HOUR)),
    queued("retry later", { nextAttemptAt: new Date(now + HOUR) }),
    queued("retry due", { nextAttemptAt: new Date(now - 1000) }),
    held("held, opened a minute ago", new Date(now - 60_000)),
    { body: "inbound", direction: "INBOUND", authorKind: "SHOPPER", status: "QUEUED" },
  );

  const first = await claimDueMessages(3);
  expect(bodies(first)).toEqual(["held, opened a minute ago", "held, opened an hour ago", "queued 1"]);
  expect(first.every((m) => m.status === "SENDING" && m.attempts === 1 && m.sendingStartedAt)).toBe(true);

  expect(bodies(await claimDueMessages(10))).toEqual(["queued 2", "retry due"]);
  expect(await claimDueMessages(10)).toEqual([]);

  const left = await prisma.message.findMany({ where: { status: { not: "SENDING" } }, orderBy: { body: "asc" } });
  expect(left.map((m) => [m.body, m.status])).toEqual([
    ["held, opens tomorrow", "HELD"],
    ["inbound", "QUEUED"],
    ["retry later", "QUEUED"],
  ]);
});

test("claims running at once never take the same message, and between them take every due one", async () => {
  const now = Date.now();
  await seed(
    ...Array.from({ length: 30 }, (_, i) => queued(`queued ${i}`)),
    ...Array.from({ length: 30 }, (_, i) => held(`held ${i}`, new Date(now - 1000))),
  );
  const claims = await Promise.all(Array.from({ length: 6 }, () => claimDueMessages(7)));
  const again = await claimDueMessages(100);
  const ids = [...claims.flat(), ...again].map((m) => m.id);
  expect(ids).toHaveLength(60);
  expect(new Set(ids).size).toBe(60);
});

test("systemOnly takes only keyword replies and confirmations; by id takes that message only if it is due", async () => {
  const [campaign, confirmation, heldReply] = await seed(
    queued("campaign"),
    queued("confirmation", { purpose: "SYSTEM" }),
    { ...held("held reply", new Date(Date.now() + HOUR)), purpose: "SYSTEM" },
  );
  expect(await claimDueMessages(10, { id: heldReply })).toEqual([]);
  expect(bodies(await claimDueMessages(10, { systemOnly: true }))).toEqual(["confirmation"]);
  expect(await claimDueMessages(10, { id: confirmation })).toEqual([]); // already claimed
  expect(bodies(await claimDueMessages(10, { id: campaign }))).toEqual(["campaign"]);
});

test("a claim reads only what it takes: not the ten thousand held for the night, nor the whole queue", async () => {
  const [reply] = await seed(queued("reply"));
  const { conversationId } = await prisma.message.findUniqueOrThrow({ where: { id: reply! } });
  // 10,000 held until morning, 2,000 queued behind the reply (a campaign), 5 whose window just opened.
  await prisma.$executeRaw`
    INSERT INTO "Message" (id, "shopId", "contactId", "conversationId", direction, "authorKind", purpose, body, status,
      "holdUntil", "createdAt", "updatedAt")
    SELECT 'bulk-' || i, ${shopId}, ${contactId}, ${conversationId}, 'OUTBOUND', 'AUTOMATION', 'MARKETING', 'Weekend sale',
      CASE WHEN i <= 10000 OR i > 12000 THEN 'HELD' ELSE 'QUEUED' END::"MessageStatus",
      CASE WHEN i <= 10000 THEN now() + interval '9 hours' WHEN i > 12000 THEN now() - interval '1 minute' END,
      now() + i * interval '1 millisecond', now()
    FROM generate_series(1, 12005) AS i`;

  await prisma.$executeRawUnsafe(`ANALYZE "Message"`);
  const looked = await rowsReadFrom("Message", claimStatement(10));
  expect(looked).toBeGreaterThanOrEqual(10);
  expect(looked).toBeLessThan(50);
  expect(await prisma.message.groupBy({ by: ["status"], _count: true, orderBy: { status: "asc" } })).toEqual([
    { status: "QUEUED", _count: 1996 },
    { status: "HELD", _count: 10_000 },
    { status: "SENDING", _count: 10 },
  ]);
  expect(await prisma.message.findUniqueOrThrow({ where: { id: reply! } })).toMatchObject({ status: "SENDING" });
});
