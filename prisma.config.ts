import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { defineConfig } from "prisma/config";

// Offline machines cannot download Prisma's native schema engine. `prisma generate` only checks that the
// engine file exists, so point it at a stand-in — but only when the real engine is absent, so machines with
// internet keep the stock CLI. Migrations never use the native engine here: see scripts/db/migrate.ts.
function ensureSchemaEngineForGenerate() {
  if (process.env.PRISMA_SCHEMA_ENGINE_BINARY) return;
  const require = createRequire(import.meta.url);
  const enginesDir = path.dirname(require.resolve("@prisma/engines/package.json"));
  const hasNativeEngine = [
    "schema-engine-debian-openssl-3.0.x",
    "schema-engine-debian-openssl-1.1.x",
    "schema-engine-linux-musl-openssl-3.0.x",
    "schema-engine-darwin",
    "schema-engine-darwin-arm64",
    "schema-engine-windows.exe",
  ].some((name) => existsSync(path.join(enginesDir, name)));
  if (!hasNativeEngine) process.env.PRISMA_SCHEMA_ENGINE_BINARY = path.join(enginesDir, "package.json");
}
ensureSchemaEngineForGenerate();

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/parley" },
});
