import path from "node:path";
import { EnvError } from "../env.server";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded.server";
import { applyMigrations } from "./schema-engine.server";

// DATABASE_URL wins; without it Parley runs PostgreSQL itself under .data/postgres (gitignored) — but never in
// production, where a database that lives and dies with one machine would lose shoppers' consent records.
export async function resolveDatabase(options: {
  migrate: boolean;
}): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  let embedded: EmbeddedDatabase | undefined;
  let url = process.env.DATABASE_URL;
  if (!url && process.env.NODE_ENV === "production") {
    throw new EnvError([
      "DATABASE_URL is missing (production needs an external PostgreSQL; the embedded one is for development)",
    ]);
  }
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(process.env.PARLEY_DATA_DIR ?? ".data", "postgres"),
      port: Number(process.env.PARLEY_PG_PORT ?? 54329),
    });
    url = embedded.url;
  }
  if (options.migrate) {
    const applied = await applyMigrations(url);
    if (applied.length > 0) console.log(`Applied migrations: ${applied.join(", ")}`);
  }
  return { url, embedded };
}
