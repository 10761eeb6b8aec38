// One benchmarked process, started by bench/run.ts with child_process.fork (IPC channel for commands).
//
//   BENCH_MODE=bare    node:http that only verifies the Telnyx Ed25519 signature and answers 204 (the baseline)
//   BENCH_MODE=action  node:http → a tiny Fetch-API adapter → the route module's `action` (app source via tsx)
//   BENCH_MODE=remix   what production serves: express + @remix-run/express createRequestHandler over the built
//                      server bundle (BENCH_BUILD_DIR/server/index.js), with server.ts's webhook fast path
//                      (app/webhook-fast-path.server.ts) and static middlewares
//   BENCH_MODE=none    no HTTP server (for the raw SDK baseline)
//
// Commands over IPC: startLoops / stopLoops (the SMS loops in this process, as server.ts runs its worker),
// startWorker (what `npm run worker` runs: the SMS loops and pg-boss; stopped by stopLoops),
// sdkLoop (raw `client.messages.send` at a fixed concurrency), mem (RSS/heap, current and peak), queries
// (statements per SQL shape when BENCH_COUNT_QUERIES=1), profileStart / profileStop (a CPU profile of the
// measured window only, BENCH_CPU_PROF=1), exit.
import { writeFileSync } from "node:fs";
import http from "node:http";
import { Session } from "node:inspector/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import pg from "pg";

const mode = process.env.BENCH_MODE ?? "remix";
const port = Number(process.env.PORT ?? 0);

// ── Statement counting (diagnostics): every query Prisma's pg adapter or the loops' listener sends ──────────
const queryCounts = new Map<string, number>();
if (process.env.BENCH_COUNT_QUERIES === "1") {
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function patched(this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === "string" ? first : (first?.text ?? "?");
    const shape = text.replace(/\s+/g, " ").replace(/\$\d+/g, "$").slice(0, 160);
    queryCounts.set(shape, (queryCounts.get(shape) ?? 0) + 1);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as never;
}

// ── Memory: sampled, so a short peak between two IPC questions is not missed ──────────────────────────────
let peakRss = 0;
let peakHeap = 0;
const sampleMemory = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  return m;
};
// Every 250 ms: process.memoryUsage() reads /proc and walks the heap, and this process is the one measured.
setInterval(sampleMemory, 250).unref();

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function startHttp(): Promise<http.Server | undefined> {
  if (mode === "none") return undefined;
  let server: http.Server;
  if (mode === "bare") {
    const { readSignatureHeaders, verifyTelnyxSignature } = await import("../app/adapters/telnyx/signature.server");
    const publicKeyB64 = process.env.TELNYX_PUBLIC_KEY!;
    server = http.createServer(async (req, res) => {
      const rawBody = await readBody(req);
      const check = verifyTelnyxSignature({ rawBody, ...readSignatureHeaders(req.headers), publicKeyB64 });
      res.writeHead(check.ok ? 204 : 401).end();
    });
  } else if (mode === "action") {
    const { action } = await import("../app/routes/webhooks.telnyx");
    server = http.createServer(async (req, res) => {
      try {
        const body = await readBody(req);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === "string") headers.set(name, value);
          else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        }
        const request = new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url}`, {
          method: req.method,
          headers,
          body: req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(body),
        });
        const response = await action({ request, params: {}, context: {} });
        const out = Buffer.from(await response.arrayBuffer());
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(out);
      } catch (error) {
        console.error(error);
        res.writeHead(500).end();
      }
    });
  } else {
    const express = (await import("express")).default;
    const { createRequestHandler } = await import("@remix-run/express");
    const buildDir = process.env.BENCH_BUILD_DIR!;
    const build = await import(pathToFileURL(path.join(buildDir, "server/index.js")).href);
    const app = express();
    app.disable("x-powered-by");
    const { mountWebhookFastPath } = await import("../app/webhook-fast-path.server");
    mountWebhookFastPath(app, build);
    app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    app.all("*", createRequestHandler({ build }));
    server = http.createServer(app);
  }
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

let stopLoops: (() => Promise<void>) | undefined;
let profiler: Session | undefined;

type Command = { id: number; cmd: string; [key: string]: unknown };

async function handle(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case "startLoops": {
      const { startSmsLoops } = await import("../app/jobs/sms-loops.server");
      stopLoops = await startSmsLoops(process.env.DATABASE_URL!);
      return { startedAt: Date.now() };
    }
    case "startWorker": {
      // What `npm run worker` runs (scripts/worker.ts, minus resolving the database): the SMS loops and pg-boss.
      const { startWorkerProcess } = await import("../app/jobs/worker.server");
      stopLoops = await startWorkerProcess(process.env.DATABASE_URL!);
      return { startedAt: Date.now() };
    }
    case "stopLoops":
      await stopLoops?.();
      stopLoops = undefined;
      return {};
    case "mem": {
      const m = sampleMemory();
      const result = { rss: m.rss, heapUsed: m.heapUsed, peakRss, peakHeap };
      if (command.reset) {
        peakRss = m.rss;
        peakHeap = m.heapUsed;
      }
      return result;
    }
    case "queries": {
      const result = [...queryCounts.entries()].sort((a, b) => b[1] - a[1]);
      if (command.reset) queryCounts.clear();
      return result;
    }
    case "profileStart": {
      profiler ??= new Session();
      profiler.connect();
      await profiler.post("Profiler.enable");
      await profiler.post("Profiler.setSamplingInterval", { interval: 200 });
      await profiler.post("Profiler.start");
      return {};
    }
    case "profileStop": {
      if (!profiler) return {};
      const { profile } = await profiler.post("Profiler.stop");
      writeFileSync(String(command.file), JSON.stringify(profile));
      profiler.disconnect();
      profiler = undefined;
      return { file: command.file };
    }
    case "sdkLoop":
      return sdkLoop(command as never);
    case "exit":
      await stopLoops?.();
      setTimeout(() => process.exit(0), 10);
      return {};
    default:
      throw new Error(`unknown command ${command.cmd}`);
  }
}

/** The baseline for outbound: the SDK's messages.send in a loop, `concurrency` calls in flight. */
async function sdkLoop(input: {
  count: number;
  concurrency: number;
  from: string;
  to: string[];
  text: string;
  webhookUrl: string;
}) {
  const { createTelnyxClient } = await import("../app/adapters/telnyx/client.server");
  const client = createTelnyxClient({
    apiKey: process.env.TELNYX_API_KEY!,
    baseURL: process.env.TELNYX_BASE_URL,
    maxRetries: 0,
    timeoutMs: 15_000,
  });
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: input.concurrency }, async () => {
      while (next < input.count) {
        const i = next++;
        try {
          await client.messages.send({
            from: input.from,
            to: input.to[i % input.to.length],
            text: input.text,
            webhook_url: input.webhookUrl,
          });
        } catch {
          failed++;
        }
      }
    }),
  );
  return { elapsedMs: performance.now() - started, failed };
}

const server = await startHttp();
process.on("message", (message: Command) => {
  handle(message).then(
    (result) => process.send!({ id: message.id, ok: true, result }),
    (error) =>
      process.send!({ id: message.id, ok: false, error: error instanceof Error ? error.stack : String(error) }),
  );
});
process.send!({ ready: true, port: server ? (server.address() as AddressInfo).port : null });
