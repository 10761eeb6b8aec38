import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { resolveDatabase } from "./app/db/resolve-database.server";
import { EnvError, parseEnv } from "./app/env.server";
import { mountWebhookFastPath } from "./app/webhook-fast-path.server";
import { prepareSandboxEnvironment, SandboxRefused, sandboxRequested } from "./app/sandbox/environment.server";

// Parley's process: one express server for the Remix app, the webhooks and — in sandbox mode — the simulated
// store and phone network. Order matters: the database and the environment are settled before any app module
// reads them.
const port = Number(process.env.PORT ?? 3000);
const isProduction = process.env.NODE_ENV === "production";

async function main() {
  const sandbox = sandboxRequested(process.env);
  // Production fails fast, naming every bad variable, before any database is touched.
  if (isProduction) parseEnv(process.env);
  const database = await resolveDatabase({ migrate: !isProduction || process.env.PARLEY_MIGRATE_ON_START === "1" });
  process.env.DATABASE_URL = database.url;
  if (sandbox) await prepareSandboxEnvironment(process.env, { port });
  const config = parseEnv(process.env);

  const app = express();
  app.disable("x-powered-by");

  let sandboxRuntime: { close(): Promise<void> } | undefined;
  if (config.PARLEY_SANDBOX) {
    const { mountSandbox } = await import("./app/sandbox/mount.server");
    sandboxRuntime = await mountSandbox(app, config);
  }

  const vite = isProduction
    ? undefined
    : await import("vite").then((v) =>
        v.createServer({
          server: { middlewareMode: true, hmr: { port: Number(process.env.PARLEY_HMR_PORT ?? port + 10000) } },
        }),
      );
  const build = vite
    ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : ((await import(path.resolve("build/server/index.js"))) as ServerBuild);
  // Provider webhooks go straight to their route's action, ahead of Vite, the static files and Remix's routing.
  mountWebhookFastPath(app, build);
  if (vite) {
    app.use(vite.middlewares);
  } else {
    app.use("/assets", express.static(path.resolve("build/client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.resolve("build/client"), { maxAge: "1h" }));
  }
  app.all("*", createRequestHandler({ build }));

  let stopWorker: (() => Promise<void>) | undefined;
  if (config.PARLEY_RUN_WORKER) {
    const { startWorkerProcess } = await import("./app/jobs/worker.server");
    stopWorker = await startWorkerProcess(config.DATABASE_URL);
  }

  const server = app.listen(port, () => {
    const base = `http://localhost:${port}`;
    console.log(`\nParley is running at ${base}`);
    if (config.PARLEY_SANDBOX) {
      console.log(`  Sandbox home          ${base}/sandbox`);
      console.log(`  Admin (embedded app)  ${base}/sandbox/admin`);
      console.log(`  Phone simulator       ${base}/sandbox/phone`);
      console.log(`  Store control panel   ${base}/sandbox/store`);
    }
    console.log(
      `  Database              ${database.embedded ? `embedded PostgreSQL on port ${database.embedded.port} (.data/postgres)` : "DATABASE_URL"}`,
    );
  });

  const shutdown = async () => {
    server.close();
    await stopWorker?.();
    await sandboxRuntime?.close();
    await vite?.close();
    await database.embedded?.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error) => {
  if (error instanceof EnvError || error instanceof SandboxRefused) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
