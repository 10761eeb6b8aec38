import pg from "pg";
import { expect, test } from "vitest";
import { executeRaw, isDatabaseError, Prisma, prisma, queryRaw, transaction } from "~/db.server";
import { connectionOf } from "~/db/direct-sql.server";
import {
  createContact,
  createProviderEvent,
  createSendingNumber,
  createShop,
  createShopperWithHistory,
} from "../helpers/factories";

// queryRaw / executeRaw run the engine's hot raw SQL through node-postgres instead of Prisma (decision 0014). They
// must be indistinguishable from $queryRaw to the code that calls them — the same JS types back, the same values
// sent — and inside `transaction` they must run in that transaction, not beside it.

const at = new Date("2026-03-08T06:59:59.123Z");

// Every kind of column the engine's raw SQL reads, with a parameter of each kind that it sends.
const everyType = () => Prisma.sql`
  SELECT ${at}::timestamp(3) AS "timestamp", ${at}::timestamptz AS "timestamptz", (${at}::timestamp(3))::date AS "date",
    ${at} AS "untypedInstant", ${[at, new Date(0)]}::timestamp(3)[] AS "timestamps",
    9007199254740993::bigint AS "int8", ARRAY[1, NULL, -3]::bigint[] AS "int8s", count(*) AS "count", 42 AS "int4",
    1.5::float8 AS "float8", ${new Prisma.Decimal("12.345")}::numeric AS "numeric", ARRAY[1.25, NULL]::numeric[] AS "numerics",
    ${"text é 🙂"} AS "text", ${["a", "b,c", 'd"e', ""]}::text[] AS "texts", true AS "bool", NULL::text AS "null",
    ${JSON.stringify({ a: [1, "x"], b: null })}::jsonb AS "jsonb", json_build_object('n', 1) AS "json",
    json_agg(json_build_object('purpose', 'MARKETING')) AS "aggregate", 'MARKETING'::"ConsentPurpose" AS "enum",
    ${Buffer.from([0, 255, 7])}::bytea AS "bytea", ${12n}::bigint + 1 AS "bigintParameter",
    ${null}::text AS "nullParameter", (${at}::timestamp(3) = ${at.toISOString()}::timestamp(3)) AS "sameInstant"
  FROM (SELECT 1) one`;

test("queryRaw gives back what $queryRaw gives back, column by column and type by type", async () => {
  const [viaPrisma] = await prisma.$queryRaw<Record<string, unknown>[]>(everyType());
  const [direct] = await queryRaw<Record<string, unknown>>(prisma, everyType());
  // Compared column by column so a failure names the column.
  for (const column of Object.keys(viaPrisma)) expect([column, direct[column]]).toEqual([column, viaPrisma[column]]);
  expect(Object.keys(direct).sort()).toEqual(Object.keys(viaPrisma).sort());
  // And the values are the right ones, not only the same ones.
  expect(direct.timestamp).toEqual(at);
  expect(direct.int8).toBe(9007199254740993n);
  expect(direct.count).toBe(1n);
  expect(direct.sameInstant).toBe(true);
});

test("whole rows of the tables the engine reads with * come back the same way as through $queryRaw", async () => {
  const shop = await createShop();
  await prisma.shopSettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id }, update: {} });
  await createSendingNumber(shop.id);
  const { contact } = await createShopperWithHistory(shop.id, {
    tags: ["vip", "a,b"],
    quietZones: [{ timeZone: "America/New_York", region: "NY" }],
  });
  await createProviderEvent(shop.id, { data: { payload: { text: "STOP" } } });
  for (const table of [
    "Shop",
    "ShopSettings",
    "SendingNumber",
    "Contact",
    "ConsentEvent",
    "ConsentState",
    "Conversation",
    "Message",
    "ProviderEvent",
  ]) {
    const rows = () =>
      Prisma.sql`SELECT * FROM ${Prisma.raw(`"${table}"`)} WHERE ${Prisma.raw(table === "Shop" ? "id" : `"shopId"`)} = ${shop.id} ORDER BY 1`;
    const viaPrisma = await prisma.$queryRaw<unknown[]>(rows());
    expect(viaPrisma.length, table).toBeGreaterThan(0);
    expect([table, await queryRaw(prisma, rows())]).toEqual([table, viaPrisma]);
  }
  expect(contact.tags).toEqual(["vip", "a,b"]);
});

test("inside transaction() statements run on the transaction's own connection: they see its uncommitted writes, and roll back with it", async () => {
  const shop = await createShop();
  const contact = await createContact(shop.id);
  await expect(
    transaction(async (tx) => {
      expect(connectionOf(tx)).not.toBeNull(); // the direct path is taken, not Prisma's fallback
      await tx.contact.update({ where: { id: contact.id }, data: { firstName: "Uncommitted" } });
      const [seen] = await queryRaw<{ firstName: string }>(
        tx,
        Prisma.sql`SELECT "firstName" FROM "Contact" WHERE id = ${contact.id}`,
      );
      expect(seen.firstName).toBe("Uncommitted");
      const changed = await executeRaw(
        tx,
        Prisma.sql`UPDATE "Contact" SET "lastName" = 'Direct' WHERE id = ${contact.id}`,
      );
      expect(changed).toBe(1);
      const viaPrisma = await tx.contact.findUniqueOrThrow({ where: { id: contact.id } });
      expect(viaPrisma.lastName).toBe("Direct");
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
  const after = await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } });
  expect([after.firstName, after.lastName]).toEqual([contact.firstName, contact.lastName]);
});

test("a transaction started inside another's callback keeps its own connection (Prisma's): only the outer one is direct", async () => {
  await transaction(async (outer) => {
    const outerPid = await backendPid(outer);
    await prisma.$transaction(async (inner) => {
      expect(connectionOf(inner)).toBeNull();
      expect(await backendPid(inner)).not.toBe(outerPid);
    });
    await transaction(async (nested) => {
      expect(connectionOf(nested)).not.toBeNull();
      expect(await backendPid(nested)).not.toBe(outerPid);
    });
    expect(await backendPid(outer)).toBe(outerPid);
  });
});

test("concurrent transactions each run on their own connection and see only their own uncommitted writes", async () => {
  const shop = await createShop();
  const contacts = [await createContact(shop.id), await createContact(shop.id)];
  // Both transactions write, wait for each other, read, and wait again before they commit: their scopes overlap.
  const meeting = () => {
    let arrived = 0;
    let all: () => void = () => {};
    const together = new Promise<void>((resolve) => (all = resolve));
    return () => (++arrived === 2 && all(), together);
  };
  const written = meeting();
  const read = meeting();
  const views = await Promise.all(
    contacts.map((contact, i) =>
      transaction(async (tx) => {
        await executeRaw(tx, Prisma.sql`UPDATE "Contact" SET "lastName" = ${`Writer ${i}`} WHERE id = ${contact.id}`);
        await written();
        const rows = await queryRaw<{ id: string; lastName: string }>(
          tx,
          Prisma.sql`SELECT id, "lastName" FROM "Contact" WHERE id = ANY(${contacts.map((c) => c.id)}::text[]) ORDER BY id`,
        );
        const pid = await backendPid(tx);
        await read();
        return { pid, names: Object.fromEntries(rows.map((r) => [r.id, r.lastName])) };
      }),
    ),
  );
  expect(views[0].pid).not.toBe(views[1].pid);
  for (const [i, view] of views.entries()) {
    const other = contacts[1 - i];
    expect(view.names[contacts[i].id]).toBe(`Writer ${i}`);
    expect(view.names[other.id]).toBe(other.lastName); // the other's write is not committed yet
  }
  const committed = await prisma.contact.findMany({ where: { id: { in: contacts.map((c) => c.id) } } });
  expect(committed.map((c) => c.lastName).sort()).toEqual(["Writer 0", "Writer 1"]);
});

test("a failing statement fails the transaction, which commits nothing", async () => {
  const shop = await createShop();
  const contact = await createContact(shop.id);
  await expect(
    transaction(async (tx) => {
      await executeRaw(tx, Prisma.sql`UPDATE "Contact" SET "lastName" = 'Lost' WHERE id = ${contact.id}`);
      await queryRaw(tx, Prisma.sql`SELECT 1 / 0`);
    }),
  ).rejects.toThrow(/division by zero/);
  // Callers that classify a Shopify or provider failure recognise it as the database's, as they do Prisma's.
  const failed = await queryRaw(prisma, Prisma.sql`SELECT 1 / 0`).catch((error: unknown) => error);
  const failedInPrisma = await prisma.$queryRaw(Prisma.sql`SELECT 1 / 0`).catch((error: unknown) => error);
  expect([
    isDatabaseError(failed),
    isDatabaseError(failedInPrisma),
    isDatabaseError(new Error("fetch failed")),
  ]).toEqual([true, true, false]);
  expect((await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).lastName).toBe(contact.lastName);
});

async function backendPid(db: Parameters<typeof queryRaw>[0]) {
  const [row] = await queryRaw<{ pid: number }>(db, Prisma.sql`SELECT pg_backend_pid() AS pid`);
  return row.pid;
}

test("a pooled connection PostgreSQL closes while idle is replaced, and the process carries on", async () => {
  const pid = await backendPid(prisma); // the connection goes back to the pool, idle
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
  } finally {
    await admin.end();
  }
  // Without a listener the pool's 'error' would be an uncaught exception (the whole process, in production).
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await backendPid(prisma)).not.toBe(pid);
});
