import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../app/db/embedded.server";
import { applyMigrations } from "../../app/db/schema-engine.server";

// The suite brings its own PostgreSQL: a throwaway cluster, migrated once into a template database that
// every test file clones (CREATE DATABASE … TEMPLATE is a file copy: milliseconds). DATABASE_URL, when set,
// is honoured instead: the template is then created on that server.
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "parley-test-pg-"));
  const db = await startEmbeddedPostgres({
    dataDir: path.join(dir, "pg"),
    database: "parley_template",
    persistent: false,
  });
  await applyMigrations(db.url);
  const adminUrl = db.urlFor("postgres");
  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplate", "parley_template");
  return async () => {
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}
