import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { parseCsv } from "~/domain/subscriber-csv";
import { getBoss } from "~/jobs/boss.server";
import { queues } from "~/jobs/queues";
import {
  ImportFileError,
  loadImport,
  previewImport,
  refusalsCsv,
  runSubscriberImport,
  startImport,
} from "~/services/subscribers/import.server";
import { createConsent, createContact, createConversationWithMessages, createShop } from "../helpers/factories";
import { stopBoss } from "../helpers/store-harness";

// The subscriber import against a real PostgreSQL: rows with evidence become contacts with an IMPORT consent event
// and a SUBSCRIBED state; refused rows come back with their reasons; an opted-out shopper stays opted out; a crash
// between or inside batches resumes without duplicates; and a large file completes in batches (timed).

let shopId: string;
let otherShopId: string;

const HEADER = "phone,first_name,last_name,email,opted_in_at,consent_source,ip_address,page_url,disclosure_text\n";
const DISCLOSURE = "Yes, text me offers from Acme. Msg & data rates may apply. Reply STOP to cancel.";

/** n distinct valid US mobile-capable numbers, starting at `from`. */
const phoneAt = (i: number) => `+1415${String(2_000_000 + i).padStart(7, "0")}`;
function bigCsv(rows: number, from = 0): string {
  let out = HEADER;
  for (let i = from; i < from + rows; i++) {
    out += `${phoneAt(i)},Ann${i},Lee,ann${i}@example.com,2025-05-01T10:00:00Z,Website popup,203.0.113.${i % 250},https://acme.test/,"${DISCLOSURE}"\n`;
  }
  return out;
}

async function importAndRun(shop: string, csv: string, fileName = "subs.csv", hooks = {}) {
  const { id } = await startImport({ shopId: shop, fileName, csv });
  await runSubscriberImport(shop, id, hooks);
  return (await loadImport(shop, id))!;
}

beforeAll(async () => {
  shopId = (await createShop()).id;
  otherShopId = (await createShop()).id;
});

afterAll(async () => {
  await stopBoss();
});

describe("file checks", () => {
  test.each([
    ["an empty file", "", /empty/],
    ["no phone column", "email,opted_in_at,source,ip\n", /Missing required column.*phone/],
    ["no evidence column", "phone,opted_in_at,source\n2125550101,2025-01-01,form\n", /evidence column/],
    ["a header only", HEADER, /no rows/],
    ["an unterminated quote", `${HEADER}"+12125550101,x\n`, /never closes/],
  ])("refuses %s before anything is stored", async (_name, csv, problem) => {
    const before = await prisma.subscriberImport.count({ where: { shopId } });
    await expect(startImport({ shopId, fileName: "x.csv", csv })).rejects.toThrow(ImportFileError);
    await expect(startImport({ shopId, fileName: "x.csv", csv })).rejects.toThrow(problem);
    expect(await prisma.subscriberImport.count({ where: { shopId } })).toBe(before);
  });

  test("the preview maps the header and reads the first rows as the job will", async () => {
    const preview = await previewImport(
      shopId,
      `Phone Number,Consent Date,Source,IP,Favourite colour\n(212) 555-0123,2025-01-01,form,198.51.100.1,blue\nnope,2025-01-01,form,198.51.100.1,red\n`,
    );
    expect(preview.totalRows).toBe(2);
    expect(preview.mapping.map((m) => m.field)).toEqual(["phone", "opted_in_at", "consent_source", "ip_address", null]);
    expect(preview.sample[0].result).toEqual({ ok: true, phone: "+12125550123" });
    expect(preview.sample[1].result).toMatchObject({ ok: false, reason: expect.stringMatching(/Invalid phone/) });
  });

  test("starting an import queues one job for it", async () => {
    const { id } = await startImport({ shopId, fileName: "queued.csv", csv: bigCsv(1, 900_000) });
    const boss = await getBoss();
    const jobs = await boss.findJobs(queues.importSubscribers.name, { data: { importId: id } } as never);
    expect(jobs.map((j) => j.data)).toEqual([{ shopId, importId: id }]);
  });
});

describe("rows", () => {
  test("valid rows become subscribers with their evidence; refused rows come back with a reason each", async () => {
    // Existing contacts: one opted out by STOP, one already subscribed with a name the file must not overwrite.
    const stopped = await createContact(shopId, { phoneE164: "+12125550111" });
    await createConsent(shopId, stopped, {
      status: "UNSUBSCRIBED",
      source: "KEYWORD",
      keyword: "STOP",
      occurredAt: new Date("2025-02-03T15:00:00Z"),
    });
    const known = await createContact(shopId, { phoneE164: "+12125550112", firstName: "Kim", lastName: "Known" });
    await createConsent(shopId, known, { occurredAt: new Date("2024-01-01T00:00:00Z") });
    const threadOwner = await createContact(shopId, { phoneE164: "+12125550113", firstName: null, lastName: null });
    const { conversation } = await createConversationWithMessages(shopId, threadOwner.id);
    // The same numbers in another shop: never touched.
    const foreign = await createContact(otherShopId, { phoneE164: "+12125550114" });

    const csv = [
      HEADER.trim(),
      `+12125550114,Jane,Doe,JANE@example.com,2025-05-01T10:00:00Z,Website popup,203.0.113.7,https://acme.test/sms,"${DISCLOSURE}"`,
      `not-a-phone,X,Y,,2025-05-01,form,203.0.113.7,,`,
      `+12125550115,No,Evidence,,2025-05-01,form,,,`,
      `(212) 555-0114,Dup,Row,,2025-05-01,form,203.0.113.8,,`,
      `+12125550111,Stop,Per,,2025-06-01,form,203.0.113.9,,`,
      `+12125550112,Other,Name,,2025-06-01,form,203.0.113.10,,`,
      `+12125550113,Thread,Owner,,2025-06-01 09:00,keyword JOIN,,,"${DISCLOSURE}"`,
      `+12125550116,Future,Date,,2030-01-01,form,203.0.113.11,,`,
    ].join("\r\n");
    const done = await importAndRun(shopId, csv, "acme-export.csv");

    expect(done).toMatchObject({
      status: "completed",
      totalRows: 8,
      processedRows: 8,
      importedRows: 3,
      refusedRows: 5,
    });
    expect(done.refusals).toEqual([
      { row: 3, phone: "not-a-phone", reason: expect.stringMatching(/^Invalid phone number/) },
      { row: 4, phone: "+12125550115", reason: expect.stringMatching(/^Missing evidence/) },
      { row: 5, phone: "(212) 555-0114", reason: "Duplicate of row 2." },
      { row: 6, phone: "+12125550111", reason: expect.stringMatching(/^Opted out on Feb 3, 2025/) },
      { row: 9, phone: "+12125550116", reason: "The consent date is in the future." },
    ]);
    expect(await prisma.subscriberImport.findUnique({ where: { id: done.id }, select: { csv: true } })).toEqual({
      csv: null,
    });

    const jane = await prisma.contact.findUniqueOrThrow({
      where: { shopId_phoneE164: { shopId, phoneE164: "+12125550114" } },
      include: { consentEvents: true, consentStates: true },
    });
    expect(jane).toMatchObject({ firstName: "Jane", lastName: "Doe", email: "jane@example.com" });
    expect(jane.consentEvents).toEqual([
      expect.objectContaining({
        purpose: "MARKETING",
        status: "SUBSCRIBED",
        source: "IMPORT",
        occurredAt: new Date("2025-05-01T10:00:00Z"),
        ipAddress: "203.0.113.7",
        pageUrl: "https://acme.test/sms",
        disclosureText: DISCLOSURE,
        note: "Imported from acme-export.csv, row 2. Consent source: Website popup.",
      }),
    ]);
    expect(jane.consentStates).toEqual([
      expect.objectContaining({
        purpose: "MARKETING",
        status: "SUBSCRIBED",
        source: "IMPORT",
        lastEventId: jane.consentEvents[0].id,
      }),
    ]);
    expect(jane.shopifyConsentSyncEventId).toBe(jane.consentEvents[0].id);

    // Opted out stays opted out, with no new event.
    expect(await prisma.consentState.findMany({ where: { contactId: stopped.id }, select: { status: true } })).toEqual([
      { status: "UNSUBSCRIBED" },
    ]);
    expect(await prisma.consentEvent.count({ where: { contactId: stopped.id } })).toBe(1);
    // Already subscribed: counted as imported, nothing recorded, the shop's name kept.
    expect(await prisma.consentEvent.count({ where: { contactId: known.id } })).toBe(1);
    expect(await prisma.contact.findUnique({ where: { id: known.id }, select: { firstName: true } })).toEqual({
      firstName: "Kim",
    });
    // A blank name is filled; the thread gets its timeline line; the shop's zone read the date without one.
    const owner = await prisma.contact.findUniqueOrThrow({
      where: { id: threadOwner.id },
      include: { consentEvents: true },
    });
    expect(owner.firstName).toBe("Thread");
    expect(owner.consentEvents[0].occurredAt).toEqual(new Date("2025-06-01T13:00:00Z"));
    expect(
      await prisma.conversationEvent.findMany({
        where: { conversationId: conversation.id },
        select: { kind: true, data: true },
      }),
    ).toEqual([{ kind: "opted_in", data: { source: "IMPORT", purposes: ["marketing"] } }]);
    // The other shop's contact with the same number is untouched.
    expect(await prisma.consentEvent.count({ where: { contactId: foreign.id } })).toBe(0);
    expect(await prisma.contact.count({ where: { shopId: otherShopId } })).toBe(1);

    // The refusal report downloads as CSV.
    expect(parseCsv(refusalsCsv(done)).map((r) => r.cells)).toEqual([
      ["row", "phone", "reason"],
      ...done.refusals.map((r) => [String(r.row), r.phone, r.reason]),
    ]);
  });

  test("an import of another shop's id does nothing", async () => {
    const { id } = await startImport({ shopId, fileName: "mine.csv", csv: bigCsv(2, 800_000) });
    expect(await runSubscriberImport(otherShopId, id)).toEqual({ status: "skipped", batches: 0 });
    expect(await loadImport(otherShopId, id)).toBeNull();
    expect((await loadImport(shopId, id))?.processedRows).toBe(0);
  });
});

describe("crash and resume", () => {
  test("a batch that fails before commit leaves nothing of itself; the rerun resumes without duplicates", async () => {
    const csv = bigCsv(250, 100_000);
    const { id } = await startImport({ shopId, fileName: "crash.csv", csv });
    // Batches of 50: batch 2 (rows 101–150) blows up inside its transaction.
    await expect(
      runSubscriberImport(shopId, id, {
        batchSize: 50,
        beforeCommit: (batch) => {
          if (batch === 2) throw new Error("worker killed mid-batch");
        },
      }),
    ).rejects.toThrow("worker killed");
    const half = (await loadImport(shopId, id))!;
    expect(half).toMatchObject({ status: "running", processedRows: 100, importedRows: 100 });
    const phones = Array.from({ length: 250 }, (_, i) => phoneAt(100_000 + i));
    const imported = () =>
      prisma.consentEvent.count({ where: { shopId, phoneE164: { in: phones }, source: "IMPORT" } });
    expect(await imported()).toBe(100);
    expect(await prisma.contact.count({ where: { shopId, phoneE164: { in: phones } } })).toBe(100);

    // Crash after batch 3 committed (between transactions).
    await expect(
      runSubscriberImport(shopId, id, {
        batchSize: 50,
        afterCommit: (batch) => {
          if (batch === 3) throw new Error("process exited");
        },
      }),
    ).rejects.toThrow("process exited");
    expect((await loadImport(shopId, id))!.processedRows).toBe(200);
    expect(await imported()).toBe(200);

    const result = await runSubscriberImport(shopId, id, { batchSize: 50 });
    expect(result).toEqual({ status: "completed", batches: 1 });
    const done = (await loadImport(shopId, id))!;
    expect(done).toMatchObject({ status: "completed", processedRows: 250, importedRows: 250, refusedRows: 0 });
    expect(await imported()).toBe(250);
    expect(
      await prisma.consentState.count({
        where: { shopId, status: "SUBSCRIBED", contact: { phoneE164: { in: phones } } },
      }),
    ).toBe(250);
    // A finished import run again (a redelivered job) is a no-op.
    expect(await runSubscriberImport(shopId, id)).toEqual({ status: "skipped", batches: 0 });
  });

  test("two workers on the same import never import a batch twice", async () => {
    const { id } = await startImport({ shopId, fileName: "twice.csv", csv: bigCsv(300, 200_000) });
    await Promise.all([
      runSubscriberImport(shopId, id, { batchSize: 40 }),
      runSubscriberImport(shopId, id, { batchSize: 40 }),
    ]);
    const done = (await loadImport(shopId, id))!;
    expect(done).toMatchObject({ status: "completed", processedRows: 300, importedRows: 300 });
    const phones = Array.from({ length: 300 }, (_, i) => phoneAt(200_000 + i));
    expect(await prisma.consentEvent.count({ where: { shopId, phoneE164: { in: phones } } })).toBe(300);
  });
});

describe("size", () => {
  test("5,000 rows import in batches, timed (50,000: bench/import.ts)", async () => {
    const rows = 5000;
    const csv = bigCsv(rows, 300_000);
    const started = performance.now();
    const done = await importAndRun(shopId, csv, "big.csv");
    const ms = performance.now() - started;
    console.log(
      `subscriber import: ${rows} rows in ${(ms / 1000).toFixed(2)} s (${Math.round(rows / (ms / 1000))} rows/s)`,
    );
    expect(done).toMatchObject({ status: "completed", processedRows: rows, importedRows: rows, refusedRows: 0 });
    expect(await prisma.consentEvent.count({ where: { shopId, note: { startsWith: "Imported from big.csv" } } })).toBe(
      rows,
    );
  }, 120_000);
});
