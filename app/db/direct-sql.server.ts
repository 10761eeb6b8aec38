import { AsyncLocalStorage } from "node:async_hooks";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { Prisma } from "~/generated/prisma/client.ts";

const { Decimal } = Prisma;

// Raw SQL straight through node-postgres, on the connection Prisma itself uses: the pool outside a transaction, the
// transaction's own connection inside one. Prisma's per-query work (about 150 µs of CPU for a raw statement, 1.3 ms
// over an inbound text's transaction; decision 0014) is skipped on the engine's hot paths, while the rarer branches
// of the same transaction keep Prisma's model API — on the same connection, so in the same transaction.
// Results come back typed as `$queryRaw` types them (test/integration/direct-sql.integration.test.ts proves it).

type Connection = Pick<pg.PoolClient, "query">;

type TransactionScope = { connection?: Connection; tx?: unknown };
const scopes = new AsyncLocalStorage<TransactionScope>();

/**
 * Runs `start` (which starts one Prisma interactive transaction) in a scope that learns the transaction's
 * connection. `start` calls `bind(tx)` once its callback has the transaction client, and the function `bind`
 * returns when the callback is done (statements after it go through Prisma).
 */
export function inTransactionScope<T>(start: (bind: (tx: unknown) => () => void) => Promise<T>): Promise<T> {
  const scope: TransactionScope = {};
  return scopes.run(scope, () =>
    start((tx) => {
      scope.tx = tx;
      return () => {
        scope.tx = undefined;
        scope.connection = undefined;
      };
    }),
  );
}

/** The connection of `tx` when it is the transaction of the current scope, else null (the caller uses Prisma). */
export function connectionOf(tx: unknown): Connection | null {
  const scope = scopes.getStore();
  return scope !== undefined && scope.tx === tx && scope.connection ? scope.connection : null;
}

/**
 * The driver adapter, with one addition: a transaction started inside a scope (inTransactionScope) tells the scope
 * its connection. Only the first one does — a transaction started later inside the callback is a different one.
 */
export function capturingTransactions(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter: SqlDriverAdapter = await factory.connect();
      const start = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => {
        const transaction: Transaction = await start(isolationLevel);
        const scope = scopes.getStore();
        if (scope && !scope.tx && !scope.connection) scope.connection = clientOf(transaction);
        return transaction;
      };
      return adapter;
    },
  };
}

// @prisma/adapter-pg keeps the transaction's pool client as `client` (pinned version; the integration test fails
// if that changes, rather than this quietly falling back to Prisma).
function clientOf(transaction: Transaction): Connection | undefined {
  const client = (transaction as unknown as { client?: Connection }).client;
  return typeof client?.query === "function" ? client : undefined;
}

export type Statement = { text: string; values: unknown[] };

/** Runs a statement (a `Prisma.sql` template) on a connection or pool; rows typed as `$queryRaw` types them. */
export function runStatement(
  on: Connection | pg.Pool,
  statement: Statement,
  name: string | undefined,
): Promise<pg.QueryResult> {
  return on.query({ name, text: statement.text, values: statement.values.map(prepareValue), types: prismaTypes });
}

// Parameters as Prisma sends them: instants as UTC wall time without a zone ("2026-03-08 06:59:59.123"; a
// `timestamp` column holds UTC wall time), decimals as text.
function prepareValue(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date)
    return value
      .toISOString()
      .replace("T", " ")
      .replace(/(\.000)?Z$/, "");
  if (Decimal.isDecimal(value)) return value.toString();
  if (Array.isArray(value)) return value.map(prepareValue);
  return value;
}

const { builtins } = pg.types;
const utcTimestamp = (text: string) => new Date(`${text.replace(" ", "T")}Z`);
const parsers: Record<number, (text: string) => unknown> = {
  [builtins.INT8]: (text) => BigInt(text),
  [builtins.NUMERIC]: (text) => new Decimal(text),
  [builtins.TIMESTAMP]: utcTimestamp,
  [builtins.DATE]: (text) => new Date(`${text}T00:00:00Z`),
  [builtins.BYTEA]: (text) => new Uint8Array(pg.types.getTypeParser(builtins.BYTEA, "text")(text) as Buffer),
};
const arrayParsers: Record<number, number> = { 1016: builtins.INT8, 1231: builtins.NUMERIC, 1115: builtins.TIMESTAMP };

const prismaTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (format !== "binary") {
      const parse = parsers[oid];
      if (parse) return parse;
      const element = arrayParsers[oid];
      if (element !== undefined) {
        const parseElement = parsers[element];
        return (text: string) => parseArray(text).map((item) => (item === null ? null : parseElement(item)));
      }
    }
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

// One-dimensional arrays of the types above (no quoting needed: their elements never hold commas or quotes).
function parseArray(text: string): (string | null)[] {
  const inner = text.slice(1, -1);
  if (inner === "") return [];
  return inner.split(",").map((item) => (item === "NULL" ? null : item.replace(/^"|"$/g, "")));
}
