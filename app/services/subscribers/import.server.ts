import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { executeRaw, prisma, queryRaw, transaction } from "~/db.server";
import { newId } from "~/db/ids.server";
import type { ConsentStatus } from "~/domain/consent";
import {
  csvLine,
  CsvSyntaxError,
  type ColumnMapping,
  type ImportRow,
  importDecision,
  mapColumns,
  parseCsv,
  type RowRefusal,
  type RowResult,
  validateRows,
} from "~/domain/subscriber-csv";
import { Prisma } from "~/generated/prisma/client.ts";
import { enqueue } from "~/jobs/boss.server";
import { log } from "~/lib/log.server";
import { notifyInbox } from "~/services/realtime/notify.server";
import { shopTimeZone } from "~/services/inbox/thread.server";

// A subscriber import runs as a job over the file kept on its SubscriberImport row. Rows go in batches; each batch's
// contacts, consent events, current states and the import's progress commit in ONE transaction, so a batch is all
// in or all out, and `processedRows` is where a restarted job resumes — nothing is half-imported, nothing twice.
// Each batch is set-based: one statement per step for all its rows, not one per row.
//
// The consent rows are the ones the consent service writes (app/services/sms/consent.server.ts): an appended
// ConsentEvent with its evidence (source IMPORT), the ConsentState beside it, the Shopify sync mark and the thread's
// timeline line — under the contacts' locks, so a STOP arriving mid-import is either seen (the row is refused) or
// comes after (and wins).

type Tx = Prisma.TransactionClient;

export const IMPORT_BATCH = 1000;
export const MAX_IMPORT_ROWS = 100_000;
export const MAX_IMPORT_BYTES = 30 * 1024 * 1024;
const MAX_STORED_REFUSALS = 1000; // the schema keeps the first 1,000 refusals; the counts cover all
const PREVIEW_ROWS = 5;

export class ImportFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join(" "));
    this.name = "ImportFileError";
  }
}

export type ImportPreview = {
  mapping: ColumnMapping["mapped"];
  totalRows: number;
  sample: { row: number; cells: string[]; result: { ok: true; phone: string } | { ok: false; reason: string } }[];
};

/** The country numbers without a country code belong to: the shop's sending number's, else the US. */
async function defaultCountry(shopId: string): Promise<CountryCode> {
  const number = await prisma.sendingNumber.findFirst({
    where: { shopId },
    orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }],
    select: { phoneE164: true },
  });
  return (number && parsePhoneNumberFromString(number.phoneE164)?.country) || "US";
}

function readFile(csv: string) {
  if (csv.length > MAX_IMPORT_BYTES) throw new ImportFileError(["The file is larger than 30 MB: split it."]);
  let records;
  try {
    records = parseCsv(csv);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ImportFileError([error.message]);
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw new ImportFileError(["The file is empty."]);
  const mapping = mapColumns(header.cells);
  const problems = [...mapping.problems];
  if (rows.length === 0) problems.push("The file has a header but no rows.");
  if (rows.length > MAX_IMPORT_ROWS)
    problems.push(`The file has ${rows.length} rows; import at most ${MAX_IMPORT_ROWS} at a time.`);
  if (problems.length > 0) throw new ImportFileError(problems);
  return { mapping, rows };
}

async function rowContext(shopId: string, now: Date) {
  const [timeZone, country] = await Promise.all([shopTimeZone(shopId), defaultCountry(shopId)]);
  return { now, timeZone, defaultCountry: country };
}

/** The header mapping and the first rows as the job would read them; throws ImportFileError for a file it refuses. */
export async function previewImport(shopId: string, csv: string, now = new Date()): Promise<ImportPreview> {
  const { mapping, rows } = readFile(csv);
  const sample = rows.slice(0, PREVIEW_ROWS);
  const results = validateRows(sample, mapping, await rowContext(shopId, now));
  return {
    mapping: mapping.mapped,
    totalRows: rows.length,
    sample: sample.map((record, i) => {
      const result = results[i];
      return {
        row: record.row,
        cells: record.cells.slice(0, mapping.mapped.length),
        result: result.ok ? { ok: true, phone: result.value.phoneE164 } : { ok: false, reason: result.refusal.reason },
      };
    }),
  };
}

/** Checks the file, keeps it on a new SubscriberImport row and queues the job. */
export async function startImport(input: {
  shopId: string;
  fileName: string;
  csv: string;
  createdBy?: string | null;
}): Promise<{ id: string }> {
  const { rows } = readFile(input.csv);
  const created = await prisma.subscriberImport.create({
    data: {
      shopId: input.shopId,
      fileName: input.fileName.slice(0, 200) || "import.csv",
      csv: input.csv,
      totalRows: rows.length,
      createdBy: input.createdBy ?? null,
    },
    select: { id: true },
  });
  await enqueue("importSubscribers", { shopId: input.shopId, importId: created.id }, { singletonKey: created.id });
  return created;
}

export type ImportProgress = {
  id: string;
  fileName: string;
  status: "queued" | "running" | "completed" | "failed";
  totalRows: number;
  processedRows: number;
  importedRows: number;
  refusedRows: number;
  refusals: RowRefusal[];
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

const PROGRESS_SELECT = {
  id: true,
  fileName: true,
  status: true,
  totalRows: true,
  processedRows: true,
  importedRows: true,
  refusedRows: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

export async function loadImport(shopId: string, id: string): Promise<ImportProgress | null> {
  const row = await prisma.subscriberImport.findFirst({
    where: { id, shopId },
    select: { ...PROGRESS_SELECT, refusals: true },
  });
  if (!row) return null;
  return { ...row, status: row.status as ImportProgress["status"], refusals: (row.refusals ?? []) as RowRefusal[] };
}

export async function listImports(shopId: string, take = 10) {
  const rows = await prisma.subscriberImport.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    take,
    select: PROGRESS_SELECT,
  });
  return rows.map((row) => ({ ...row, status: row.status as ImportProgress["status"] }));
}

/** The refusal report as CSV: the row as a spreadsheet numbers it, the number as written, and why. */
export function refusalsCsv(progress: ImportProgress): string {
  let out = csvLine(["row", "phone", "reason"]);
  for (const r of progress.refusals) out += csvLine([r.row, r.phone, r.reason]);
  const untold = progress.refusedRows - progress.refusals.length;
  if (untold > 0)
    out += csvLine(["", "", `…and ${untold} more refused rows (only the first ${MAX_STORED_REFUSALS} are kept).`]);
  return out;
}

// ─── The job ──────────────────────────────────────────────────────────────────────────────────────────────

export type ImportRunHooks = {
  batchSize?: number;
  /** Tests: runs inside a batch's transaction just before it commits (throwing rolls the batch back). */
  beforeCommit?: (batch: number) => void | Promise<void>;
  /** Tests: runs after a batch committed (throwing simulates a crash between batches). */
  afterCommit?: (batch: number) => void | Promise<void>;
};

export type ImportRunResult = { status: "completed" | "skipped"; batches: number };

type ContactState = {
  id: string;
  phoneE164: string;
  lineType: string | null;
  invalidAt: Date | null;
  marketing: ConsentStatus | null;
  transactional: ConsentStatus | null;
  marketingSince: Date | null;
};

/**
 * Runs (or resumes) an import: validates the whole file again (pure and deterministic — "now" is the import's
 * creation, so a resumed run decides every row as the first run did), then imports from `processedRows` on.
 */
export async function runSubscriberImport(
  shopId: string,
  importId: string,
  hooks: ImportRunHooks = {},
): Promise<ImportRunResult> {
  const claimed = await prisma.subscriberImport.updateMany({
    where: { id: importId, shopId, status: { in: ["queued", "running"] } },
    data: { status: "running", error: null },
  });
  if (claimed.count === 0) return { status: "skipped", batches: 0 };
  const job = await prisma.subscriberImport.findUniqueOrThrow({ where: { id: importId } });
  await prisma.subscriberImport.updateMany({
    where: { id: importId, startedAt: null },
    data: { startedAt: new Date() },
  });
  if (job.csv === null) throw new Error("The import's file is gone before the import finished.");

  const { mapping, rows } = readFile(job.csv);
  const ctx = await rowContext(shopId, job.createdAt);
  const results = validateRows(rows, mapping, ctx);
  const batchSize = hooks.batchSize ?? IMPORT_BATCH;
  const source = `Imported from ${job.fileName}`;

  let position = job.processedRows;
  let batches = 0;
  while (position < results.length) {
    const batch = results.slice(position, position + batchSize);
    const batchNo = Math.floor(position / batchSize);
    const moved = await transaction(
      async (tx) => {
        // The import's row lock: a second worker on the same import waits here, then finds the batch done.
        const [locked] = await queryRaw<{ processedRows: number; stored: number }>(
          tx,
          Prisma.sql`
          SELECT "processedRows", jsonb_array_length(refusals)::int AS stored
          FROM "SubscriberImport" WHERE id = ${importId} AND "shopId" = ${shopId} FOR UPDATE`,
        );
        if (!locked || locked.processedRows !== position) return locked?.processedRows ?? results.length;
        const outcome = await importBatch(tx, shopId, batch, { timeZone: ctx.timeZone, source });
        const newRefusals = outcome.refusals.slice(0, Math.max(0, MAX_STORED_REFUSALS - locked.stored));
        await executeRaw(
          tx,
          Prisma.sql`
          UPDATE "SubscriberImport" SET
            "processedRows" = ${position + batch.length},
            "importedRows" = "importedRows" + ${outcome.imported},
            "refusedRows" = "refusedRows" + ${outcome.refusals.length},
            refusals = refusals || ${JSON.stringify(newRefusals)}::jsonb,
            "updatedAt" = now()
          WHERE id = ${importId}`,
        );
        await hooks.beforeCommit?.(batchNo);
        return position + batch.length;
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    position = moved;
    batches++;
    await hooks.afterCommit?.(batchNo);
  }
  await prisma.subscriberImport.updateMany({
    where: { id: importId, status: "running" },
    data: { status: "completed", csv: null, finishedAt: new Date(), error: null },
  });
  // A bulk load is what leaves the planner's statistics stale: before autovacuum catches up, the Subscribers list
  // and export were measured 100× slower on a 20,000-row import (nested loops planned for "empty" tables).
  await prisma.$executeRawUnsafe(`ANALYZE "Contact", "ConsentState", "ConsentEvent"`);
  log.info("subscriber import completed", { shopId, importId, rows: results.length });
  return { status: "completed", batches };
}

/** Records why the last attempt failed; on the last attempt the import is marked failed (the file is dropped). */
export async function recordImportFailure(shopId: string, importId: string, error: unknown, final: boolean) {
  const message = error instanceof Error ? error.message : String(error);
  await prisma.subscriberImport.updateMany({
    where: { id: importId, shopId, status: { in: ["queued", "running"] } },
    data: final
      ? { status: "failed", error: message.slice(0, 500), csv: null, finishedAt: new Date() }
      : { error: message.slice(0, 500) },
  });
}

/** One batch, set-based, inside the caller's transaction. Returns how many rows went in and the refusals. */
async function importBatch(
  tx: Tx,
  shopId: string,
  batch: RowResult[],
  ctx: { timeZone: string; source: string },
): Promise<{ imported: number; refusals: RowRefusal[] }> {
  const refusals: RowRefusal[] = [];
  const valid: ImportRow[] = [];
  for (const result of batch) {
    if (result.ok) valid.push(result.value);
    else refusals.push(result.refusal);
  }
  if (valid.length === 0) return { imported: 0, refusals };

  // 1. New numbers become contacts (an insert locks nothing anyone else holds); existing ones are left alone here.
  //    Raw SQL over arrays: Prisma's createMany costs ~0.2 ms a row to build, more than PostgreSQL takes to insert.
  await executeRaw(
    tx,
    Prisma.sql`
    INSERT INTO "Contact" (id, "shopId", "phoneE164", "firstName", "lastName", email, "updatedAt")
    SELECT v.id, ${shopId}, v.phone, v.first, v.last, v.email, now()
    FROM unnest(${valid.map(() => newId())}::text[], ${valid.map((r) => r.phoneE164)}::text[],
                ${valid.map((r) => r.firstName)}::text[], ${valid.map((r) => r.lastName)}::text[],
                ${valid.map((r) => r.email)}::text[]) AS v(id, phone, first, last, email)
    ON CONFLICT ("shopId", "phoneE164") DO NOTHING`,
  );
  const phones = valid.map((r) => r.phoneE164);
  const ids = await queryRaw<{ id: string }>(
    tx,
    Prisma.sql`
    SELECT id FROM "Contact" WHERE "shopId" = ${shopId} AND "phoneE164" = ANY(${phones}::text[]) ORDER BY id`,
  );

  // 2. Every contact's lock, in id order (two imports never wait on each other in a circle), the same lock the
  //    consent service, inbound texts and sends take. What we read after it is what they committed.
  await executeRaw(
    tx,
    Prisma.sql`
    SELECT pg_advisory_xact_lock(hashtextextended(l.id, 42))
    FROM unnest(${ids.map((r) => r.id)}::text[]) WITH ORDINALITY AS l(id, n) ORDER BY l.n`,
  );
  const states = await queryRaw<ContactState>(
    tx,
    Prisma.sql`
    SELECT ct.id, ct."phoneE164", ct."lineType", ct."invalidAt",
      mk.status::text AS marketing, tr.status::text AS transactional, me."occurredAt" AS "marketingSince"
    FROM "Contact" ct
    LEFT JOIN "ConsentState" mk ON mk."contactId" = ct.id AND mk.purpose = 'MARKETING'
    LEFT JOIN "ConsentEvent" me ON me.id = mk."lastEventId"
    LEFT JOIN "ConsentState" tr ON tr."contactId" = ct.id AND tr.purpose = 'TRANSACTIONAL'
    WHERE ct."shopId" = ${shopId} AND ct."phoneE164" = ANY(${phones}::text[])`,
  );
  const byPhone = new Map(states.map((s) => [s.phoneE164, s]));

  // 3. Each row against what Parley knows (pure rules).
  const subscribe: { row: ImportRow; contact: ContactState; from: ConsentStatus }[] = [];
  const keep: { row: ImportRow; contact: ContactState }[] = [];
  for (const row of valid) {
    const contact = byPhone.get(row.phoneE164)!;
    const decision = importDecision(
      {
        states: {
          marketing: contact.marketing ?? "NOT_SUBSCRIBED",
          transactional: contact.transactional ?? "NOT_SUBSCRIBED",
        },
        marketingSince: contact.marketingSince ? new Date(contact.marketingSince) : null,
        lineType: contact.lineType,
        invalidAt: contact.invalidAt,
      },
      row.consentedAt,
      ctx.timeZone,
    );
    if (decision.kind === "refuse") refusals.push({ row: row.row, phone: row.phoneE164, reason: decision.reason });
    else if (decision.kind === "unchanged") keep.push({ row, contact });
    else subscribe.push({ row, contact, from: decision.from });
  }
  refusals.sort((a, b) => a.row - b.row);

  // 4. Names and e-mails fill blanks only: what the shop already knows (from Shopify, say) is not overwritten.
  const filled = [...subscribe, ...keep].filter((x) => x.row.firstName || x.row.lastName || x.row.email);
  if (filled.length > 0) {
    await executeRaw(
      tx,
      Prisma.sql`
      UPDATE "Contact" c SET
        "firstName" = COALESCE(c."firstName", v.first),
        "lastName" = COALESCE(c."lastName", v.last),
        email = COALESCE(c.email, v.email),
        "updatedAt" = now()
      FROM unnest(${filled.map((x) => x.contact.id)}::text[], ${filled.map((x) => x.row.firstName)}::text[],
                  ${filled.map((x) => x.row.lastName)}::text[], ${filled.map((x) => x.row.email)}::text[])
        AS v(id, first, last, email)
      WHERE c.id = v.id AND c."shopId" = ${shopId}
        AND ((c."firstName" IS NULL AND v.first IS NOT NULL) OR (c."lastName" IS NULL AND v.last IS NOT NULL)
          OR (c.email IS NULL AND v.email IS NOT NULL))`,
    );
  }
  if (subscribe.length === 0) return { imported: keep.length, refusals };

  // 5. The evidence, appended: one event per subscribed contact, dated when the person consented.
  const contactIds = subscribe.map((s) => s.contact.id);
  const eventIds = subscribe.map(() => newId());
  const col = <T>(pick: (row: ImportRow) => T) => subscribe.map((s) => pick(s.row));
  await executeRaw(
    tx,
    Prisma.sql`
    INSERT INTO "ConsentEvent" (id, "shopId", "contactId", "phoneE164", purpose, status, source, "occurredAt",
      "ipAddress", "userAgent", "pageUrl", "disclosureText", "disclosureVersion", keyword, note)
    SELECT v.id, ${shopId}, v.contact, v.phone, 'MARKETING', 'SUBSCRIBED', 'IMPORT', v.at,
      v.ip, v.ua, v.url, v.disclosure, v.version, v.keyword, v.note
    FROM unnest(${eventIds}::text[], ${contactIds}::text[], ${col((r) => r.phoneE164)}::text[],
                ${col((r) => r.consentedAt.toISOString())}::timestamptz[], ${col((r) => r.ipAddress)}::text[],
                ${col((r) => r.userAgent)}::text[], ${col((r) => r.pageUrl)}::text[],
                ${col((r) => r.disclosureText)}::text[], ${col((r) => r.disclosureVersion)}::text[],
                ${col((r) => r.keyword)}::text[], ${col((r) => importNote(ctx.source, r))}::text[])
      AS v(id, contact, phone, at, ip, ua, url, disclosure, version, keyword, note)`,
  );

  // 6. The current state beside it.
  await executeRaw(
    tx,
    Prisma.sql`
    INSERT INTO "ConsentState" ("shopId", "contactId", purpose, status, source, "lastEventId", "updatedAt")
    SELECT ${shopId}, v.contact, 'MARKETING', 'SUBSCRIBED', 'IMPORT', v.event, now()
    FROM unnest(${contactIds}::text[], ${eventIds}::text[]) AS v(contact, event)
    ON CONFLICT ("contactId", purpose) DO UPDATE
      SET status = EXCLUDED.status, source = EXCLUDED.source, "lastEventId" = EXCLUDED."lastEventId",
          "updatedAt" = EXCLUDED."updatedAt"`,
  );

  // 7. Shopify learns of each new subscription (shopifyConsentTarget: SUBSCRIBED is always news). The marks are
  //    drained by the sync's minute sweep: a NOTIFY per contact would enqueue thousands of jobs in one go.
  await executeRaw(
    tx,
    Prisma.sql`
    UPDATE "Contact" c SET "shopifyConsentSyncEventId" = v.event, "shopifyConsentSyncDueAt" = now(),
      "shopifyConsentSyncAttempts" = 0, "shopifySyncError" = NULL
    FROM unnest(${contactIds}::text[], ${eventIds}::text[]) AS v(contact, event)
    WHERE c.id = v.contact AND c."shopId" = ${shopId}`,
  );

  // 8. A shopper who already has a thread gets the timeline line staff see for any new subscription.
  const threads = await queryRaw<{ contactId: string; conversationId: string }>(
    tx,
    Prisma.sql`
    SELECT DISTINCT ON (cv."contactId") cv."contactId", cv.id AS "conversationId"
    FROM "Conversation" cv
    WHERE cv."shopId" = ${shopId} AND cv."contactId" = ANY(${contactIds}::text[])
    ORDER BY cv."contactId", cv."lastMessageAt" DESC`,
  );
  if (threads.length > 0) {
    const consentedAt = new Map(subscribe.map((s) => [s.contact.id, s.row.consentedAt]));
    await tx.conversationEvent.createMany({
      data: threads.map((t) => ({
        shopId,
        conversationId: t.conversationId,
        kind: "opted_in",
        data: { source: "IMPORT", purposes: ["marketing"] },
        actorKind: "SYSTEM" as const,
        createdAt: consentedAt.get(t.contactId),
      })),
    });
    for (const t of threads) await notifyInbox(tx, { shopId, conversationId: t.conversationId, kind: "conversation" });
  }
  return { imported: subscribe.length + keep.length, refusals };
}

/** What the other tool said that has no column of its own: the file and row, how and by whom consent was taken. */
function importNote(source: string, row: ImportRow): string {
  const parts = [`${source}, row ${row.row}.`, `Consent source: ${row.consentSource}.`];
  if (row.collectedBy) parts.push(`Collected by: ${row.collectedBy}.`);
  return parts.join(" ");
}
