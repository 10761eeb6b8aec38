import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { parseCsv } from "~/domain/subscriber-csv";
import type { SubscriberTab } from "~/domain/subscriber-query";
import { loadSubscriber } from "~/services/subscribers/detail.server";
import { EXPORT_COLUMNS, exportSubscribersCsv } from "~/services/subscribers/export.server";
import { countSubscribers, listSubscribers, type SubscriberFilter } from "~/services/subscribers/list.server";
import { addSubscriberManually } from "~/services/subscribers/manual-add.server";
import { createConsent, createContact, createConversationWithMessages, createShop } from "../helpers/factories";
import { stopBoss } from "../helpers/store-harness";

// The Subscribers page's services against a real PostgreSQL: tabs, source filter, search and keyset pages; the
// consent history with its evidence; the streamed CSV export with quoting and formula escaping; manual add through
// the opt-in engine; and tenant isolation against a second shop holding the same names and numbers.

let shopA: string;
let shopB: string;
const ids: Record<string, string> = {};
const T0 = Date.UTC(2026, 0, 10, 12);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

beforeAll(async () => {
  shopA = (await createShop()).id;
  shopB = (await createShop()).id;
  const sam = await prisma.staffMember.create({
    data: { shopId: shopA, shopifyUserId: 7n, firstName: "Sam", lastName: "Rivera" },
  });
  ids.sam = sam.id;

  const jane = await createContact(shopA, {
    firstName: "Jane",
    lastName: "Doe",
    email: "jane@example.com",
    phoneE164: "+12125550101",
    createdAt: at(1),
  });
  await createConsent(shopA, jane, {
    status: "PENDING",
    source: "STOREFRONT_FORM",
    occurredAt: at(10),
    pageUrl: "https://acme.test/pages/sms",
    userAgent: "Mozilla/5.0",
  });
  await createConsent(shopA, jane, {
    status: "SUBSCRIBED",
    source: "KEYWORD",
    occurredAt: at(12),
    keyword: "Y",
    confirmingMessageId: "msg_confirm_1",
    // What a spreadsheet would run as a formula, and what needs quoting.
    disclosureText: '=HYPERLINK("http://evil.test","click") — texts, "offers", and more',
    disclosureVersion: "v2",
  });
  const { conversation } = await createConversationWithMessages(shopA, jane.id, undefined, { lastMessageAt: at(30) });
  ids.jane = jane.id;
  ids.janeConversation = conversation.id;

  const lee = await createContact(shopA, {
    firstName: "Lee",
    lastName: "Wong",
    phoneE164: "+13055550102",
    createdAt: at(2),
  });
  await createConsent(shopA, lee, { status: "UNSUBSCRIBED", source: "KEYWORD", keyword: "STOP", occurredAt: at(20) });
  await createConsent(shopA, lee, {
    purpose: "TRANSACTIONAL",
    status: "UNSUBSCRIBED",
    source: "KEYWORD",
    occurredAt: at(20),
  });
  ids.lee = lee.id;

  const kim = await createContact(shopA, {
    firstName: "Kim",
    lastName: "Park",
    phoneE164: "+14155550103",
    createdAt: at(3),
  });
  await createConsent(shopA, kim, {
    status: "SUBSCRIBED",
    source: "ADMIN",
    actor: sam.id,
    note: "In store, signed form",
    occurredAt: at(5),
  });
  ids.kim = kim.id;

  const pat = await createContact(shopA, {
    firstName: "Pat",
    lastName: "Pending",
    phoneE164: "+16175550104",
    createdAt: at(4),
  });
  await createConsent(shopA, pat, { status: "PENDING", source: "POPUP", occurredAt: at(6) });
  ids.pat = pat.id;

  // A shopper who only texted the store: transactional only, no marketing.
  const texter = await createContact(shopA, {
    firstName: null,
    lastName: null,
    phoneE164: "+13125550105",
    createdAt: at(5),
  });
  await createConsent(shopA, texter, { purpose: "TRANSACTIONAL", status: "SUBSCRIBED", source: "INBOUND_MESSAGE" });
  ids.texter = texter.id;

  // Shop B: the same names and numbers, subscribed.
  const janeB = await createContact(shopB, {
    firstName: "Jane",
    lastName: "Doe",
    phoneE164: "+12125550101",
    createdAt: at(1),
  });
  await createConsent(shopB, janeB, { status: "SUBSCRIBED", source: "IMPORT" });
  ids.janeB = janeB.id;
});

afterAll(async () => {
  await stopBoss();
});

const names = async (filter: Partial<SubscriberFilter> & { tab?: SubscriberTab }, limit?: number) =>
  (await listSubscribers({ shopId: shopA, tab: "all", ...filter }, limit)).rows.map((r) => r.firstName ?? r.phoneE164);

describe("list", () => {
  test("newest contact first, each with consent per purpose, source, opt-in and last message", async () => {
    const page = await listSubscribers({ shopId: shopA, tab: "all" });
    expect(page.rows.map((r) => r.firstName ?? r.phoneE164)).toEqual(["+13125550105", "Pat", "Kim", "Lee", "Jane"]);
    const jane = page.rows.find((r) => r.id === ids.jane)!;
    expect(jane).toMatchObject({
      marketing: "SUBSCRIBED",
      marketingSource: "KEYWORD",
      transactional: "NOT_SUBSCRIBED",
      email: "jane@example.com",
    });
    expect(new Date(jane.marketingAt!)).toEqual(at(12));
    expect(new Date(jane.lastMessageAt!)).toEqual(at(30));
    const texter = page.rows.find((r) => r.id === ids.texter)!;
    expect(texter).toMatchObject({ marketing: "NOT_SUBSCRIBED", transactional: "SUBSCRIBED", marketingSource: null });
  });

  test.each([
    ["subscribed", ["Kim", "Jane"]],
    ["pending", ["Pat"]],
    ["unsubscribed", ["Lee"]],
  ] as const)("tab %s", async (tab, expected) => expect(await names({ tab })).toEqual(expected));

  test.each([
    ["ADMIN", ["Kim"]],
    ["KEYWORD", ["Lee", "Jane"]],
    ["INBOUND_MESSAGE", ["+13125550105"]], // no marketing state: the transactional source counts
    ["IMPORT", []],
  ] as const)("source %s", async (source, expected) => expect(await names({ source })).toEqual(expected));

  test.each([
    ["jane", ["Jane"]],
    ["doe jane", ["Jane"]],
    ["EXAMPLE.COM", ["Jane"]],
    ["(305) 555-0102", ["Lee"]],
    ["555-01", ["+13125550105", "Pat", "Kim", "Lee", "Jane"]],
    ["wong", ["Lee"]],
    ["nobody", []],
    ["%", ["+13125550105", "Pat", "Kim", "Lee", "Jane"]], // too short to search: ignored
  ])("search %j", async (q, expected) => expect(await names({ q })).toEqual(expected));

  test("tab, source and search combine", async () => {
    expect(await names({ tab: "subscribed", source: "KEYWORD", q: "jane" })).toEqual(["Jane"]);
    expect(await names({ tab: "pending", source: "KEYWORD" })).toEqual([]);
  });

  test("keyset pages add up to the whole list, with ties on createdAt broken by id", async () => {
    // Three contacts created at the same instant.
    for (const n of [1, 2, 3])
      await createContact(shopA, { firstName: `Tie${n}`, phoneE164: `+1646555010${n}`, createdAt: at(-100) });
    const seen: string[] = [];
    let cursor = null;
    for (let i = 0; i < 10; i++) {
      const page = await listSubscribers({ shopId: shopA, tab: "all", cursor }, 2);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    const all = (await listSubscribers({ shopId: shopA, tab: "all" }, 100)).rows.map((r) => r.id);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(8);
    await prisma.contact.deleteMany({ where: { shopId: shopA, firstName: { startsWith: "Tie" } } });
  });

  test("summary counts per marketing state", async () => {
    expect(await countSubscribers(shopA)).toEqual({ all: 5, subscribed: 2, pending: 1, unsubscribed: 1 });
    expect(await countSubscribers(shopB)).toEqual({ all: 1, subscribed: 1, pending: 0, unsubscribed: 0 });
  });

  test("shop B's subscribers never appear in shop A's list, tabs or searches", async () => {
    const everything = [
      ...(await listSubscribers({ shopId: shopA, tab: "all" }, 1000)).rows,
      ...(await listSubscribers({ shopId: shopA, tab: "subscribed", q: "jane" })).rows,
      ...(await listSubscribers({ shopId: shopA, tab: "all", q: "2125550101", source: "IMPORT" })).rows,
    ].map((r) => r.id);
    expect(everything).not.toContain(ids.janeB);
    expect(await names({ q: "2125550101" })).toEqual(["Jane"]);
  });
});

describe("detail", () => {
  test("current consent per purpose and every event with its evidence, newest first", async () => {
    const jane = (await loadSubscriber(shopA, ids.jane))!;
    expect(jane.contact).toMatchObject({ firstName: "Jane", phoneE164: "+12125550101" });
    expect(jane.consent.marketing).toEqual({ status: "SUBSCRIBED", source: "KEYWORD", since: at(12) });
    expect(jane.consent.transactional).toEqual({ status: "NOT_SUBSCRIBED", source: null, since: null });
    expect(jane.history.map((e) => [e.status, e.source])).toEqual([
      ["SUBSCRIBED", "KEYWORD"],
      ["PENDING", "STOREFRONT_FORM"],
    ]);
    expect(jane.history[0]).toMatchObject({
      keyword: "Y",
      confirmingMessageId: "msg_confirm_1",
      disclosureVersion: "v2",
    });
    expect(jane.history[1]).toMatchObject({
      pageUrl: "https://acme.test/pages/sms",
      userAgent: "Mozilla/5.0",
      ipAddress: "203.0.113.7",
      disclosureVersion: "v1",
    });
    expect(jane.latestConversationId).toBe(ids.janeConversation);
  });

  test("a staff actor is named; one who left is still shown as staff", async () => {
    const kim = (await loadSubscriber(shopA, ids.kim))!;
    expect(kim.history[0].actor).toEqual({ id: ids.sam, name: "Sam Rivera" });
    expect(kim.history[0].note).toBe("In store, signed form");
    expect(kim.latestConversationId).toBeNull();
  });

  test("another shop's subscriber, or an unknown id, is not found", async () => {
    expect(await loadSubscriber(shopA, ids.janeB)).toBeNull();
    expect(await loadSubscriber(shopB, ids.jane)).toBeNull();
    expect(await loadSubscriber(shopA, "nope")).toBeNull();
  });
});

async function readStream(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks++;
    text += decoder.decode(value, { stream: true });
  }
  return { text, chunks };
}

describe("export", () => {
  test("the shop's rows with the evidence of their marketing state, quoted and formula-safe", async () => {
    const { text } = await readStream(exportSubscribersCsv({ shopId: shopA, tab: "all" }));
    const [header, ...rows] = parseCsv(text).map((r) => r.cells);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    expect(rows.map((r) => r[0])).toEqual([
      "+13125550105",
      "+16175550104",
      "+14155550103",
      "+13055550102",
      "+12125550101",
    ]);
    const col = (row: string[], name: (typeof EXPORT_COLUMNS)[number]) => row[EXPORT_COLUMNS.indexOf(name)];
    const jane = rows.find((r) => r[0] === "+12125550101")!;
    expect(col(jane, "marketing_status")).toBe("subscribed");
    expect(col(jane, "marketing_source")).toBe("keyword");
    expect(col(jane, "opted_in_at")).toBe(at(12).toISOString());
    expect(col(jane, "keyword")).toBe("Y");
    expect(col(jane, "confirming_message_id")).toBe("msg_confirm_1");
    // The formula is defused with an apostrophe, and the quotes and commas survive the round trip.
    expect(col(jane, "disclosure_text")).toBe(`'=HYPERLINK("http://evil.test","click") — texts, "offers", and more`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.test"",""click"") — texts, ""offers"", and more"`);
    const kim = rows.find((r) => r[0] === "+14155550103")!;
    expect(col(kim, "collected_by")).toBe("Sam Rivera");
    const lee = rows.find((r) => r[0] === "+13055550102")!;
    expect(col(lee, "marketing_status")).toBe("unsubscribed");
    expect(col(lee, "opted_in_at")).toBe("");
    expect(col(lee, "transactional_status")).toBe("unsubscribed");
    // Nothing of shop B.
    expect(rows).toHaveLength(5);
  });

  test("the current filter applies, and a long list streams in batches", async () => {
    const { text } = await readStream(exportSubscribersCsv({ shopId: shopA, tab: "subscribed", source: "ADMIN" }));
    expect(parseCsv(text).map((r) => r.cells[0])).toEqual(["phone", "+14155550103"]);
    const batched = await readStream(exportSubscribersCsv({ shopId: shopA, tab: "all" }, 2));
    expect(parseCsv(batched.text)).toHaveLength(6);
    expect(batched.chunks).toBe(4); // header + three batches of at most 2
    const b = await readStream(exportSubscribersCsv({ shopId: shopB, tab: "all" }));
    expect(parseCsv(b.text).map((r) => r.cells[0])).toEqual(["phone", "+12125550101"]);
  });
});

describe("manual add", () => {
  const form = {
    phone: "(646) 555-0142",
    firstName: "Robin",
    lastName: "Hand",
    method: "in_store_form",
    collectedOn: "2026-01-09",
    disclosureText: "Yes, text me offers",
    note: "Form in the binder",
    confirmed: "on",
  };

  test.each([
    ["no phone", { phone: "" }, "phone", /Enter the phone number/],
    ["a bad phone", { phone: "12" }, "phone", /too short/],
    ["no method", { method: "" }, "method", /how consent was collected/],
    ["no date", { collectedOn: "" }, "collectedOn", /date consent was collected/],
    ["a future date", { collectedOn: "2026-02-01" }, "collectedOn", /future/],
    ["no confirmation", { confirmed: undefined }, "confirmed", /Confirm that this person agreed/],
    ["other without a note", { method: "other", note: "" }, "note", /Describe how consent/],
  ])("refuses %s and records nothing", async (_name, change, key, message) => {
    const before = await prisma.consentEvent.count({ where: { shopId: shopA } });
    const result = await addSubscriberManually({
      shopId: shopA,
      staffMemberId: ids.sam,
      form: { ...form, ...change },
      today: "2026-01-10",
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.fieldErrors[key as keyof typeof result.fieldErrors]).toMatch(message);
    expect(await prisma.consentEvent.count({ where: { shopId: shopA } })).toBe(before);
  });

  test("a valid form goes through the opt-in engine with the staff member and the evidence", async () => {
    const result = await addSubscriberManually({ shopId: shopA, staffMemberId: ids.sam, form, today: "2026-01-10" });
    expect(result).toMatchObject({ ok: true, phoneE164: "+16465550142", result: { outcome: "pending" } });
    const contactId = result.ok ? result.result.contactId : "";
    const contact = await prisma.contact.findUniqueOrThrow({
      where: { id: contactId },
      include: { consentEvents: true },
    });
    expect(contact).toMatchObject({ shopId: shopA, firstName: "Robin", lastName: "Hand" });
    expect(contact.consentEvents).toEqual([
      expect.objectContaining({
        status: "PENDING",
        source: "ADMIN",
        actor: ids.sam,
        disclosureText: "Yes, text me offers",
        note: "In store, signed form, on 2026-01-09. Form in the binder",
      }),
    ]);
  });

  test("a shopper who texted STOP stays opted out", async () => {
    const result = await addSubscriberManually({
      shopId: shopA,
      staffMemberId: ids.sam,
      form: { ...form, phone: "+13055550102" },
      today: "2026-01-10",
    });
    expect(result).toMatchObject({ ok: true, result: { outcome: "blocked_by_stop", contactId: ids.lee } });
    expect((await loadSubscriber(shopA, ids.lee))!.consent.marketing.status).toBe("UNSUBSCRIBED");
    // The shop's own names are not overwritten by the form.
    expect((await prisma.contact.findUnique({ where: { id: ids.lee } }))!.firstName).toBe("Lee");
  });
});
