import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type * as SchemaEngineModule from "@prisma/schema-engine-wasm";

// Prisma's schema engine compiled to WebAssembly: applies and diffs migrations without the native engine,
// which cannot be downloaded offline. It writes `_prisma_migrations` exactly like `prisma migrate deploy`,
// so the stock CLI stays compatible on machines that have it. See docs/decisions/0002-offline-migrations.md.

export const SCHEMA_PATH = path.resolve("prisma/schema.prisma");
export const MIGRATIONS_DIR = path.resolve("prisma/migrations");

type EngineModule = typeof SchemaEngineModule;
type Engine = Awaited<ReturnType<EngineModule["SchemaEngine"]["new"]>>;

let enginePromise: Promise<EngineModule> | undefined;

// The package's entry imports the .wasm file as an ES module, which Node only does behind a flag; load the
// JS glue and instantiate the module by hand instead.
function loadEngineModule(): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const glue = (await import(path.join(dir, "schema_engine_bg.js"))) as EngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const bytes = await readFile(path.join(dir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue as never });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return glue;
  })();
  return enginePromise;
}

const noFilters = { externalTables: [], externalEnums: [] };

export async function withSchemaEngine<T>(databaseUrl: string, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  // Keep hold of every connection the engine opens: freeing the engine does not close the pool, and an open
  // connection would block e.g. cloning this database as a template.
  const factory = new PrismaPg({ connectionString: databaseUrl });
  const opened: { dispose(): Promise<void> }[] = [];
  const tracking = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await factory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const adapter = bindMigrationAwareSqlAdapterFactory(tracking as never);
  const datamodel = await readFile(SCHEMA_PATH, "utf8");
  const logs: string[] = [];
  const engine = await SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, datamodel]] },
    (line: string) => logs.push(line),
    adapter,
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((a) => a.dispose()));
  }
}

export async function readMigrationsList() {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []);
  const directories = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  const lockContent = await readFile(lockPath, "utf8").catch(() => null);
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      directories.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: {
            tag: "ok" as const,
            value: await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8"),
          },
        },
      })),
    ),
  };
}

/** Applies every pending migration in prisma/migrations; returns the names applied now. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const migrationsList = await readMigrationsList();
  return withSchemaEngine(databaseUrl, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList, filters: noFilters } as never);
    return (result as { appliedMigrationNames: string[] }).appliedMigrationNames;
  });
}

type DiffSource = { tag: "empty" } | { tag: "schemaDatamodel"; files: { path: string; content: string }[] };

/** The SQL that turns `from` into `to` (both schema texts; `null` = an empty database). */
export async function diffSchemas(databaseUrl: string, from: string | null, to: string | null): Promise<string> {
  const source = (text: string | null): DiffSource =>
    text === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: text }] };
  return withSchemaEngine(databaseUrl, async (engine) => {
    const result = await engine.diff({
      from: source(from),
      to: source(to),
      script: true,
      exitCode: null,
      filters: noFilters,
    } as never);
    return (result as { stdout: string }).stdout;
  });
}
