// npm run db:diff — drafts the SQL for a schema change, offline.
//   npm run db:diff                      previous schema (git HEAD) → prisma/schema.prisma
//   npm run db:diff -- --from-empty      empty database → prisma/schema.prisma (the whole schema)
//   npm run db:diff -- --create NAME     writes the draft to prisma/migrations/<timestamp>_NAME/migration.sql
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../app/db/embedded.server";
import { diffSchemas, MIGRATIONS_DIR, SCHEMA_PATH } from "../app/db/schema-engine.server";

const args = process.argv.slice(2);
const fromEmpty = args.includes("--from-empty");
const createIndex = args.indexOf("--create");
const name = createIndex >= 0 ? args[createIndex + 1] : undefined;

const current = readFileSync(SCHEMA_PATH, "utf8");
const previous = fromEmpty ? null : execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { encoding: "utf8" });

// The engine needs a connection even for a schema-to-schema diff; a throwaway cluster keeps it offline.
const workDir = mkdtempSync(path.join(os.tmpdir(), "parley-diff-"));
const db = await startEmbeddedPostgres({ dataDir: path.join(workDir, "pg"), persistent: false });
try {
  const sql = await diffSchemas(db.url, previous, current);
  if (!sql.trim() || /^-- This is an empty migration\.?\s*$/.test(sql.trim())) {
    console.error("No schema changes.");
  } else if (name) {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name.replace(/\W+/g, "_")}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
    console.error(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql — review it, then npm run db:migrate.`);
  } else {
    process.stdout.write(sql);
  }
} finally {
  await db.stop();
  rmSync(workDir, { recursive: true, force: true });
}
