import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { env } from "./env.server";

// One Prisma client per process (kept across Vite's dev reloads, which would otherwise open a pool per edit).
declare global {
  var __parleyPrisma: PrismaClient | undefined;
}

// Each SQL text gets a stable statement name, so every pooled connection prepares it once and then only binds
// and executes — a measured third less PostgreSQL CPU on the SMS engine's hot paths (bench/run.ts). Shapes past
// the cap (e.g. IN-lists of every length) run unnamed, so a connection never accumulates unbounded statements.
const MAX_NAMED_STATEMENTS = 2000;
const statementNames = new Map<string, string>();
function statementName({ sql }: { sql: string }): string {
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `parley_${createHash("sha1").update(sql).digest("hex").slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name as string; // undefined = unnamed (the adapter passes it through to pg as is)
}

function createClient() {
  const config = env();
  return new PrismaClient({
    adapter: new PrismaPg(
      { connectionString: config.DATABASE_URL, max: 10 },
      config.PARLEY_DB_PREPARED_STATEMENTS ? { statementNameGenerator: statementName } : {},
    ),
  });
}

export const prisma: PrismaClient = globalThis.__parleyPrisma ?? createClient();
if (env().NODE_ENV !== "production") globalThis.__parleyPrisma = prisma;

export default prisma;
export * from "./generated/prisma/client.ts";
