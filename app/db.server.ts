import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { capturingTransactions, connectionOf, inTransactionScope, runStatement } from "./db/direct-sql.server";
import { type Prisma, PrismaClient } from "./generated/prisma/client.ts";
import { env } from "./env.server";
import { log } from "./lib/log.server";

// One Prisma client per process (kept across Vite's dev reloads, which would otherwise open a pool per edit), on a
// node-postgres pool this module owns: the hot paths' raw SQL runs on the same pool (and, inside a transaction, on
// the transaction's connection) without Prisma's per-query work — see queryRaw below and decision 0014.
declare global {
  var __parleyDb: { prisma: PrismaClient; pool: pg.Pool } | undefined;
}

// Each SQL text gets a stable statement name, so every pooled connection prepares it once and then only binds
// and executes — a measured third less PostgreSQL CPU on the SMS engine's hot paths (bench/run.ts). Shapes past
// the cap (e.g. IN-lists of every length) run unnamed, so a connection never accumulates unbounded statements.
const MAX_NAMED_STATEMENTS = 2000;
const statementNames = new Map<string, string>();
let namedStatements: boolean | undefined;
function statementName({ sql }: { sql: string }): string | undefined {
  namedStatements ??= env().PARLEY_DB_PREPARED_STATEMENTS;
  if (!namedStatements) return undefined;
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `parley_${createHash("sha1").update(sql).digest("hex").slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name; // undefined = unnamed
}

function createDb() {
  // allowExitOnIdle: a script that is done exits without ending the pool (as it did when Prisma owned it).
  const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 10, allowExitOnIdle: true });
  // An idle connection that PostgreSQL closes (a restart, a failover, an administrator) is an 'error' on the pool,
  // which would end the process unheard; the pool drops that connection and opens another when it is next needed.
  pool.on("error", (error) => log.warn("an idle database connection was closed; the pool replaces it", { error }));
  // disposeExternalPool: prisma.$disconnect() ends the pool too (scripts and the bench disconnect when done).
  const adapter = new PrismaPg(pool, {
    statementNameGenerator: (query) => statementName(query) as string,
    disposeExternalPool: true,
  });
  return { prisma: new PrismaClient({ adapter: capturingTransactions(adapter) }), pool };
}

const clients = globalThis.__parleyDb ?? createDb();
if (env().NODE_ENV !== "production") globalThis.__parleyDb = clients;

export const prisma: PrismaClient = clients.prisma;

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * `db.$queryRaw(statement)`, without Prisma's per-query work when `db` is the client itself or a transaction
 * started by `transaction` below (on that transaction's connection); any other transaction client goes through
 * Prisma. Rows are typed as `$queryRaw` types them.
 */
export async function queryRaw<T>(db: Db, statement: Prisma.Sql): Promise<T[]> {
  const result = await runDirect(db, statement);
  return result ? (result.rows as T[]) : db.$queryRaw<T[]>(statement);
}

/** `db.$executeRaw(statement)` the same way: the number of rows the statement changed. */
export async function executeRaw(db: Db, statement: Prisma.Sql): Promise<number> {
  const result = await runDirect(db, statement);
  return result ? (result.rowCount ?? 0) : db.$executeRaw(statement);
}

/** Runs the statement without Prisma when `db` allows (see queryRaw); null when it does not. */
async function runDirect(db: Db, statement: Prisma.Sql) {
  const on = db === prisma ? clients.pool : connectionOf(db);
  if (!on) return null;
  const text = statement.text; // built on each access
  return runStatement(on, { text, values: statement.values }, statementName({ sql: text }));
}

/** `prisma.$transaction(fn, options)`, whose raw statements (queryRaw, executeRaw) skip Prisma's per-query work. */
export function transaction<T>(
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  options?: { timeout?: number; maxWait?: number; isolationLevel?: Prisma.TransactionIsolationLevel },
): Promise<T> {
  return inTransactionScope((bind) =>
    prisma.$transaction(async (tx) => {
      const unbind = bind(tx);
      try {
        return await fn(tx);
      } finally {
        unbind();
      }
    }, options),
  );
}

/**
 * Whether an error came from the database — from Prisma, or from PostgreSQL through queryRaw — rather than from the
 * service a caller was talking to: code that classifies a Shopify or provider failure lets these through unchanged.
 */
export function isDatabaseError(error: unknown): boolean {
  return error instanceof pg.DatabaseError || (error instanceof Error && error.name.startsWith("PrismaClient"));
}

export default prisma;
export * from "./generated/prisma/client.ts";
