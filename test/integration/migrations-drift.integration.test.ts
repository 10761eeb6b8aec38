import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inject } from "vitest";
import { withDatabaseName } from "~/db/database-url";
import { diffSchemas, MIGRATIONS_DIR, SCHEMA_PATH } from "~/db/schema-engine.server";

// The migrations folder must produce exactly what schema.prisma describes. Two databases: one built by the
// migrations (this file's database, cloned from the migrated template), one built straight from the schema;
// their catalogs must match column for column, index for index.
const adminUrl = inject("pgAdminUrl");
const fromSchemaDb = `parley_drift_${randomBytes(4).toString("hex")}`;
const fromSchemaUrl = withDatabaseName(adminUrl, fromSchemaDb);

const catalogQueries = {
  columns: `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision, numeric_scale
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1, 2`,
  indexes: `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1, 2`,
  constraints: `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def
                FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY 1, 2`,
  enums: `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
          FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY 1 ORDER BY 1`,
};

async function catalog(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(catalogQueries)) result[name] = (await client.query(sql)).rows;
    return result;
  } finally {
    await client.end();
  }
}

function migrationExtensions() {
  const names = new Set<string>();
  for (const dir of readdirSync(MIGRATIONS_DIR)) {
    const file = path.join(MIGRATIONS_DIR, dir, "migration.sql");
    if (!existsSync(file)) continue;
    for (const match of readFileSync(file, "utf8").matchAll(/CREATE EXTENSION IF NOT EXISTS "?(\w+)"?/g)) {
      names.add(match[1]!);
    }
  }
  return [...names];
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("migrations vs schema.prisma", () => {
  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE "${fromSchemaDb}"`);
    const sql = await diffSchemas(fromSchemaUrl, null, readFileSync(SCHEMA_PATH, "utf8"));
    const client = new pg.Client({ connectionString: fromSchemaUrl });
    await client.connect();
    // schema.prisma does not model extensions (a preview feature in Prisma); the migrations create them, so the
    // database built from the schema gets the same ones first.
    for (const extension of migrationExtensions()) await client.query(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
    await client.query(sql);
    await client.end();
  });
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS "${fromSchemaDb}" WITH (FORCE)`);
  });

  test("the migrated database has exactly the schema's tables, columns, indexes, constraints and enums", async () => {
    const migrated = await catalog(process.env.DATABASE_URL!);
    const fromSchema = await catalog(fromSchemaUrl);
    expect(migrated.columns.length).toBeGreaterThan(50);
    expect(migrated).toEqual(fromSchema);
  });

  test("every migration is recorded the way `prisma migrate deploy` records it", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query(
      `SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at`,
    );
    await client.end();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
  });
});
