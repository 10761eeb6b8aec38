import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Runs a bench against its own migrated embedded PostgreSQL in a temp dir, removed afterwards, then exits the
 * process with 0, or 1 when the bench threw.
 */
export async function runOnThrowawayDatabase(tmp: string, run: (databaseUrl: string) => Promise<void>): Promise<never> {
  const { startEmbeddedPostgres } = await import("../../app/db/embedded.server");
  const { applyMigrations } = await import("../../app/db/schema-engine.server");
  const db = await startEmbeddedPostgres({
    dataDir: path.join(tmp, "pg"),
    database: "parley_bench",
    persistent: false,
  });
  let exitCode = 0;
  try {
    await applyMigrations(db.url);
    await run(db.url);
  } catch (error) {
    console.error(error);
    exitCode = 1;
  } finally {
    await db.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

export const benchTempDir = (name: string) => mkdtempSync(path.join(os.tmpdir(), `parley-bench-${name}-`));
