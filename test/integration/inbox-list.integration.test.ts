import { beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import type { InboxView } from "~/domain/inbox-query";
import {
  conversationListSql,
  countByView,
  listConversations,
  type ListConversationsInput,
  type SearchStrategy,
} from "~/services/inbox/list.server";
import { createConsent, createContact, createConversationWithMessages, createShop } from "../helpers/factories";

// The inbox list against a real PostgreSQL: views, search by name / phone / message text (both search strategies),
// keyset pagination with equal timestamps, the consent badge, and tenant isolation against a second shop whose
// shopper has the same name, phone and messages.

const T0 = new Date("2026-06-01T12:00:00.000Z");
const minutesAgo = (n: number) => new Date(T0.getTime() - n * 60_000);

let shopA: string;
let shopB: string;
let me: string;
let other: string;
const ids: Record<string, string> = {};

async function conversation(
  shopId: string,
  contact: { firstName?: string | null; lastName?: string | null; phoneE164?: string; email?: string | null },
  convo: { status: "OPEN" | "PENDING" | "SNOOZED" | "CLOSED"; assigneeId?: string | null; at: Date; unread?: number },
  bodies: string[],
) {
  const row = await createContact(shopId, contact);
  const { conversation: c } = await createConversationWithMessages(
    shopId,
    row.id,
    bodies.map((body) => ({ direction: "INBOUND", authorKind: "SHOPPER", body, status: "RECEIVED" })),
    {
      status: convo.status,
      assigneeId: convo.assigneeId ?? null,
      lastMessageAt: convo.at,
      lastMessageText: bodies.at(-1),
      unreadCount: convo.unread ?? 0,
    },
  );
  return { contact: row, conversation: c };
}

beforeAll(async () => {
  shopA = (await createShop()).id;
  shopB = (await createShop()).id;
  me = (
    await prisma.staffMember.create({
      data: { shopId: shopA, shopifyUserId: 1n, firstName: "Sam", lastName: "Rivera" },
    })
  ).id;
  other = (await prisma.staffMember.create({ data: { shopId: shopA, shopifyUserId: 2n, firstName: "Kim" } })).id;
  const staffB = (await prisma.staffMember.create({ data: { shopId: shopB, shopifyUserId: 1n, firstName: "Sam" } })).id;

  const jane = await conversation(
    shopA,
    { firstName: "Jane", lastName: "Doe", phoneE164: "+15550101234", email: "jane@example.com" },
    { status: "OPEN", at: minutesAgo(2), unread: 2 },
    ["Hi there", "Does the hoodie come in blue?"],
  );
  await createConsent(shopA, jane.contact, { purpose: "MARKETING", status: "SUBSCRIBED" });
  ids.jane = jane.conversation.id;

  const lee = await conversation(
    shopA,
    { firstName: "Lee", lastName: "Wong", phoneE164: "+12125550199" },
    { status: "OPEN", assigneeId: me, at: minutesAgo(1) },
    ["Where is my order #1001?"],
  );
  await createConsent(shopA, lee.contact, {
    purpose: "TRANSACTIONAL",
    status: "SUBSCRIBED",
    source: "INBOUND_MESSAGE",
  });
  ids.lee = lee.conversation.id;

  const anon = await conversation(
    shopA,
    { firstName: null, lastName: null, phoneE164: "+13055550123" },
    { status: "PENDING", assigneeId: other, at: minutesAgo(3) },
    ["shipping is too expensive", "STOP"],
  );
  await createConsent(shopA, anon.contact, { purpose: "MARKETING", status: "UNSUBSCRIBED", source: "KEYWORD" });
  await createConsent(shopA, anon.contact, { purpose: "TRANSACTIONAL", status: "UNSUBSCRIBED", source: "KEYWORD" });
  ids.anon = anon.conversation.id;

  ids.maria = (
    await conversation(
      shopA,
      { firstName: "Maria", lastName: "Garcia", phoneE164: "+13125550111" },
      { status: "SNOOZED", assigneeId: me, at: minutesAgo(4) },
      ["Will it arrive before Friday?"],
    )
  ).conversation.id;
  ids.omar = (
    await conversation(
      shopA,
      { firstName: "Omar", lastName: "Patel", phoneE164: "+14155550122" },
      { status: "CLOSED", assigneeId: me, at: minutesAgo(5) },
      ["Love the tangerine scarf, 100% wool?", "thanks!"],
    )
  ).conversation.id;

  // Shop B: the same shopper (name, phone, e-mail), the same words, newer than everything in shop A.
  const twin = await conversation(
    shopB,
    { firstName: "Jane", lastName: "Doe", phoneE164: "+15550101234", email: "jane@example.com" },
    { status: "OPEN", at: minutesAgo(0), assigneeId: staffB },
    ["blue hoodie please, order #1001, tangerine scarf 100%"],
  );
  await createConsent(shopB, twin.contact, { purpose: "MARKETING", status: "SUBSCRIBED" });
  ids.twin = twin.conversation.id;
});

const list = (input: Partial<ListConversationsInput> & { view: InboxView }) =>
  listConversations({ shopId: shopA, staffMemberId: me, ...input });
const idsOf = (page: { rows: { id: string }[] }) => page.rows.map((r) => r.id);

/** Runs one search strategy's SQL directly: both must find the same rows, whichever the service would pick. */
async function viaStrategy(input: Partial<ListConversationsInput> & { view: InboxView }, strategy: SearchStrategy) {
  const sql = conversationListSql({ shopId: shopA, staffMemberId: me, ...input }, strategy);
  if (!sql) return [];
  const rows = await prisma.$queryRaw<{ id: string }[]>(sql);
  return rows.map((r) => r.id);
}

describe("views", () => {
  test.each<[InboxView, string[]]>([
    ["open", ["lee", "jane"]],
    ["unassigned", ["jane"]],
    ["mine", ["lee", "maria"]],
    ["pending", ["anon", "maria"]],
    ["closed", ["omar"]],
    ["all", ["lee", "jane", "anon", "maria", "omar"]],
  ])("%s → %j, newest activity first", async (view, expected) => {
    const page = await list({ view });
    expect(idsOf(page)).toEqual(expected.map((name) => ids[name]));
    expect(page.hasNext).toBe(false);
  });

  test("mine is empty for a session with no staff member", async () => {
    expect(idsOf(await list({ view: "mine", staffMemberId: null }))).toEqual([]);
  });

  test("another shop's staff member sees nothing of shop A as theirs", async () => {
    expect(idsOf(await list({ view: "mine", staffMemberId: other }))).toEqual([ids.anon]);
    const staffB = await prisma.staffMember.findFirstOrThrow({ where: { shopId: shopB } });
    expect(idsOf(await list({ view: "mine", staffMemberId: staffB.id }))).toEqual([]);
  });

  test("tab counts: open, unassigned, mine, pending", async () => {
    expect(await countByView({ shopId: shopA, staffMemberId: me })).toEqual({
      open: 2,
      unassigned: 1,
      mine: 2,
      pending: 2,
    });
    expect(await countByView({ shopId: shopB, staffMemberId: null })).toEqual({
      open: 1,
      unassigned: 0,
      mine: 0,
      pending: 0,
    });
  });
});

describe("rows", () => {
  test("carry the contact, preview, assignee, unread count and consent badge", async () => {
    const rows = (await list({ view: "all" })).rows;
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[ids.jane]).toMatchObject({
      contact: { displayName: "Jane Doe", hasName: true },
      preview: "Does the hoodie come in blue?",
      unreadCount: 2,
      assignee: null,
      status: "OPEN",
      consent: "subscribed",
    });
    expect(byId[ids.lee]).toMatchObject({ assignee: { id: me, name: "Sam Rivera" }, consent: "transactional" });
    // No name: the formatted phone number stands in.
    expect(byId[ids.anon]).toMatchObject({
      contact: { displayName: "(305) 555-0123", hasName: false },
      consent: "opted_out",
    });
    // No consent recorded at all: replies are allowed once the shopper texted, marketing is not.
    expect(byId[ids.maria].consent).toBe("transactional");
    expect(byId[ids.jane].lastMessageAt).toEqual(minutesAgo(2));
  });
});

describe("search", () => {
  test.each<[string, InboxView, string[]]>([
    ["jane", "all", ["jane"]],
    ["DOE jane", "all", ["jane"]],
    ["jane@example", "all", ["jane"]],
    ["garcia", "all", ["maria"]],
    ["garcia", "open", []],
    ["(555) 010-1234", "all", ["jane"]],
    ["+1 555 010 1234", "all", ["jane"]],
    ["5550101234", "all", ["jane"]],
    ["010-12", "all", ["jane"]],
    ["305 555", "all", ["anon"]],
    ["blue", "all", ["jane"]],
    ["come in BLUE", "all", ["jane"]],
    ["#1001", "open", ["lee"]],
    ["tangerine", "all", ["omar"]],
    ["tangerine", "open", []],
    ["100%", "all", ["omar"]],
    ["10_%", "all", []], // % and _ are literal, not wildcards
    ["expensive", "pending", ["anon"]],
    ['\'; DROP TABLE "Conversation"; --', "all", []],
    ["zzz-nothing", "all", []],
  ])("%j in %s → %j (shop B's twin never)", async (q, view, expected) => {
    const want = expected.map((name) => ids[name]);
    expect(idsOf(await list({ view, q }))).toEqual(want);
    expect(await viaStrategy({ view, q }, "walk")).toEqual(want);
    expect(await viaStrategy({ view, q }, "hits")).toEqual(want);
  });

  test("too short a search is ignored rather than scanning", async () => {
    expect(idsOf(await list({ view: "open", q: "ja" }))).toEqual([ids.lee, ids.jane]);
  });

  test("shop B finds only its own twin, by name, phone and text", async () => {
    for (const q of ["jane", "5550101234", "hoodie"]) {
      const page = await listConversations({ shopId: shopB, staffMemberId: null, view: "all", q });
      expect(idsOf(page)).toEqual([ids.twin]);
    }
  });
});

describe("pagination", () => {
  let shopC: string;
  let expected: string[];

  beforeAll(async () => {
    shopC = (await createShop()).id;
    // 23 conversations in 8 groups of equal timestamps: the id breaks ties, and a page may end inside a group.
    const made: { id: string; at: Date }[] = [];
    for (let i = 0; i < 23; i++) {
      const at = minutesAgo(Math.floor(i / 3));
      const { conversation: c } = await conversation(
        shopC,
        { firstName: "Pat", lastName: `Page${i}` },
        { status: i % 5 === 0 ? "CLOSED" : "OPEN", at },
        [`hello number ${i}`],
      );
      made.push({ id: c.id, at });
    }
    expected = made
      .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((r) => r.id);
  });

  async function pageThrough(input: Partial<ListConversationsInput> & { view: InboxView }, limit: number) {
    const seen: string[] = [];
    let cursor = null;
    for (let pages = 0; pages < 50; pages++) {
      const page = await listConversations({ shopId: shopC, staffMemberId: null, limit, cursor, ...input });
      seen.push(...idsOf(page));
      expect(page.rows.length).toBeLessThanOrEqual(limit);
      if (!page.hasNext) return seen;
      expect(page.rows.length).toBe(limit);
      cursor = page.nextCursor;
    }
    throw new Error("pagination did not end");
  }

  test.each([1, 2, 3, 4, 7, 22, 23, 50])("pages of %i cover every conversation once, in order", async (limit) => {
    expect(await pageThrough({ view: "all" }, limit)).toEqual(expected);
  });

  test("a view and a search paginate the same way", async () => {
    const open = await prisma.conversation.findMany({ where: { shopId: shopC, status: "OPEN" }, select: { id: true } });
    const openIds = new Set(open.map((c) => c.id));
    expect(await pageThrough({ view: "open" }, 4)).toEqual(expected.filter((id) => openIds.has(id)));
    expect(await pageThrough({ view: "all", q: "hello number" }, 4)).toEqual(expected);
    expect(await pageThrough({ view: "all", q: "pat" }, 5)).toEqual(expected);
  });

  test("the last page says there is no next one", async () => {
    const page = await listConversations({ shopId: shopC, staffMemberId: null, view: "all", limit: 23 });
    expect(page).toMatchObject({ hasNext: false, nextCursor: null });
    const short = await listConversations({ shopId: shopC, staffMemberId: null, view: "all", limit: 22 });
    expect(short.hasNext).toBe(true);
    expect(short.nextCursor).toEqual({ lastMessageAt: short.rows[21].lastMessageAt, id: short.rows[21].id });
  });
});
