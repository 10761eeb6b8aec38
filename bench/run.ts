// npm run bench — Parley's SMS engine under load, each figure beside a baseline measured in the same run on the
// same machine. Starts its own throwaway PostgreSQL (temp dir, migrated), builds the app's production server
// bundle into the temp dir, runs the scenarios against servers in child processes (bench/server.ts), prints a
// markdown table and writes it to bench/results/latest.md. HTTP listens on 127.0.0.1; the database is reached
// over its Unix-domain socket, as the app reaches its embedded PostgreSQL (decision 0012).
//
// Knobs (environment): BENCH_ONLY=1,2,3,4  BENCH_QUICK=1 (smaller counts)  BENCH_ROUNDS=2 (ingest rounds)
// BENCH_STOP_LAYOUTS=split,single (the STOP scenario's deployments: web + `npm run worker`, one process)
// BENCH_STOP_WARMUP=40 (warm-up STOPs per layout)  BENCH_STOP_RUNS=3 (measured runs per layout at the target rate)
// BENCH_CPU_PROF=1 (CPU profiles of the process running the SMS loops over each measured window,
// bench/results/profiles)  BENCH_PERF=1 (perf record of the whole machine over each measured window, same folder)
// BENCH_COUNT_QUERIES=1 (statements per SQL shape, printed per scenario)
// BENCH_NODE_FLAGS="--flag …" (extra Node flags for the benchmarked processes, for experiments)
import { execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type BenchChild, type Memory, startChild } from "./lib/child";
import { closedLoop, createPool, openLoop } from "./lib/load";
import { cores, type CpuUse, cpuWindow, loadAverage, postmasterPid } from "./lib/machine";
import { seedCampaignHistory, seedContacts, seedShop } from "./lib/seed";
import { hostSimulator } from "./lib/simulator";
import { int, mb, ms, summarize, type Summary } from "./lib/stats";
import { shopperPhone, signedInbound, type SignedWebhook } from "./lib/telnyx-payloads";

const quick = process.env.BENCH_QUICK === "1";
const only = new Set((process.env.BENCH_ONLY ?? "1,2,3,4").split(",").map((s) => s.trim()));
const SETTINGS = {
  ingestRequests: quick ? 1500 : 5000,
  ingestWarmup: quick ? 300 : 1000,
  ingestConcurrency: 32,
  ingestRounds: Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 2)),
  stopShoppers: Number(process.env.BENCH_STOP_SHOPPERS ?? (quick ? 100 : 300)),
  stopRate: Number(process.env.BENCH_STOP_RATE ?? 100),
  stopExtraRate: Number(process.env.BENCH_STOP_EXTRA_RATE ?? 50), // 0 = none
  stopLayouts: (process.env.BENCH_STOP_LAYOUTS ?? "split,single").split(",").map((s) => s.trim()),
  // Runs per layout at the target rate; the run with the median p99 is reported, with the range beside it. The
  // host's speed drifts between runs by a third or more (bench/lib/machine.ts), so one run decides little.
  stopRuns: Number(process.env.BENCH_STOP_RUNS ?? (quick ? 1 : 3)),
  outboundMessages: quick ? 1000 : 3000,
  outboundConcurrency: 32, // PARLEY_SMS_CONCURRENCY, and the raw SDK loop's
  outboundWithReceipts: process.env.BENCH_OUTBOUND_RECEIPTS !== "0",
  pacedMessages: quick ? 60 : 200,
  pacedMps: 20,
};
const API_KEY = "KEY_bench";
const WEBHOOK_PATH = "/webhooks/telnyx";

const tmp = mkdtempSync(path.join(os.tmpdir(), "parley-bench-"));
// Inside the project (so the bundle's bare imports resolve from node_modules); "build/" is git-ignored.
const buildDir = path.resolve("bench/build", path.basename(tmp));
const resultsDir = path.resolve("bench/results");
mkdirSync(resultsDir, { recursive: true });
const profileDir =
  process.env.BENCH_CPU_PROF === "1" || process.env.BENCH_PERF === "1" ? path.join(resultsDir, "profiles") : undefined;
if (process.env.BENCH_PERF === "1")
  process.env.BENCH_NODE_FLAGS = `${process.env.BENCH_NODE_FLAGS ?? ""} --perf-basic-prof`.trim();
if (profileDir) mkdirSync(profileDir, { recursive: true });
const serverLog = path.join(tmp, "servers.log");

const children = new Set<BenchChild>();
const say = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (msTime: number) => new Promise((r) => setTimeout(r, msTime));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

// ── Setup: production bundle, database, keys, environment ────────────────────────────────────────────────────
const startedAt = Date.now();
say(`parley bench · ${cores()} cores · node ${process.version} · load average ${loadAverage()} · temp ${tmp}`);
say("building the production server bundle (remix vite:build) …");
execFileSync(path.resolve("node_modules/.bin/remix"), ["vite:build", "--logLevel", "error"], {
  // The app's own vite.config.ts, built somewhere else so the bench never touches build/.
  env: { ...process.env, PARLEY_BUILD_DIR: buildDir, NODE_ENV: "production" },
  stdio: ["ignore", "ignore", "inherit"],
});

const { startEmbeddedPostgres, freePort } = await import("../app/db/embedded.server");
const { applyMigrations } = await import("../app/db/schema-engine.server");
say("starting a throwaway PostgreSQL and migrating it …");
const db = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), database: "parley_bench", persistent: false });
await applyMigrations(db.url);

const { privateKey } = generateKeyPairSync("ed25519");
const { publicKeyB64Of } = await import("../app/sandbox/telnyx/keys");
const keys = { publicKeyB64: publicKeyB64Of(privateKey), privateKey, source: "generated" as const };

const baseEnv: Record<string, string> = {
  ...(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<string, string>),
  NODE_ENV: "production",
  DATABASE_URL: db.url,
  SHOPIFY_API_KEY: "parley-bench-api-key",
  SHOPIFY_API_SECRET: "parley-bench-api-secret",
  SHOPIFY_APP_URL: "http://127.0.0.1:9",
  PARLEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  PARLEY_SANDBOX: "0",
  PARLEY_RUN_WORKER: "0",
  TELNYX_API_KEY: API_KEY,
  TELNYX_PUBLIC_KEY: keys.publicKeyB64,
  PARLEY_ACCOUNT_MPS: "0",
  PARLEY_SMS_CONCURRENCY: String(SETTINGS.outboundConcurrency),
  LOG_LEVEL: "warn",
  BENCH_BUILD_DIR: buildDir,
};
Object.assign(process.env, baseEnv);
const { prisma } = await import("../app/db.server");
const { sendMessage } = await import("../app/services/sms/send-message.server");

async function server(mode: "bare" | "action" | "remix" | "none", env: Record<string, string> = {}) {
  const port = mode === "none" ? 0 : await freePort();
  const child = await startChild({
    mode,
    env: {
      ...baseEnv,
      ...(mode === "none" ? {} : { PORT: String(port), SHOPIFY_APP_URL: `http://127.0.0.1:${port}` }),
      ...env,
    },
    logFile: serverLog,
  });
  children.add(child);
  return {
    child,
    async stop() {
      await child.stop();
      children.delete(child);
    },
  };
}

const pgPid = postmasterPid(path.join(tmp, "pg"));
/** CPU over a window: the machine, the bench, and the parts (server = the benchmarked child, postgres = the cluster). */
const measureCpu = (child?: BenchChild, worker?: BenchChild) =>
  cpuWindow(
    () => [process.pid],
    () => ({
      ...(child ? { [worker ? "web" : "server"]: [child.pid] } : {}),
      ...(worker ? { worker: [worker.pid] } : {}),
      ...(pgPid ? { postgres: [pgPid] } : {}),
    }),
  );
const perItem = (use: CpuUse, n: number) =>
  `${ms((use.benchCpuMs ?? NaN) / n)} ms (${Object.entries(use.parts)
    .map(([name, cpu]) => `${name} ${ms(cpu / n)}`)
    .join(
      ", ",
    )}${use.benchCpuMs !== null ? `, load generator + simulator ${ms((use.benchCpuMs - Object.values(use.parts).reduce((a, b) => a + b, 0)) / n)}` : ""})`;

// Another engineer's tests may share the machine: a measurement during which other processes kept more than
// NOISE_CORES busy is repeated (up to MAX_ATTEMPTS), and the least disturbed attempt is reported.
const MAX_ATTEMPTS = Number(process.env.BENCH_MAX_ATTEMPTS ?? 3);
const NOISE_CORES = Number(process.env.BENCH_NOISE_CORES ?? 0.25);
async function quietest<T extends { load: CpuUse }>(
  label: string,
  attempt: (n: number) => Promise<T>,
): Promise<T & { attempts: number }> {
  let best: T | undefined;
  for (let n = 1; n <= MAX_ATTEMPTS; n++) {
    const result = await attempt(n);
    if (!best || (result.load.otherCoresBusy ?? 0) < (best.load.otherCoresBusy ?? 0)) best = result;
    if ((result.load.otherCoresBusy ?? 0) <= NOISE_CORES) return { ...best, attempts: n };
    if (n < MAX_ATTEMPTS)
      say(`  (${label}: other processes kept ${result.load.otherCoresBusy!.toFixed(2)} cores busy — measuring again)`);
  }
  return { ...best!, attempts: MAX_ATTEMPTS };
}
const attemptsNote = (n: number) => (n > 1 ? ` (quietest of ${n} attempts)` : "");

/**
 * With BENCH_CPU_PROF=1: a CPU profile of the server process over the measured window only. With BENCH_PERF=1:
 * `perf record` of the whole machine over the window (on-CPU samples of every process, kernel included; the
 * benchmarked processes get --perf-basic-prof so JavaScript frames have names): `perf report -i <file>`.
 */
async function profiled<T>(child: BenchChild, name: string, fn: () => Promise<T>): Promise<T> {
  if (!profileDir) return fn();
  const perf = process.env.BENCH_PERF === "1" ? startPerf(path.join(profileDir, `${name}.perf.data`)) : undefined;
  if (!perf) await child.command("profileStart");
  try {
    return await fn();
  } finally {
    if (perf) say(`  perf: ${path.relative(process.cwd(), await perf.stop())}`);
    else {
      const file = path.join(profileDir, `${name}.cpuprofile`);
      await child.command("profileStop", { file });
      say(`  profile: ${path.relative(process.cwd(), file)}`);
    }
  }
}

function startPerf(file: string) {
  const recorder = spawn("perf", ["record", "-e", "cpu-clock", "-a", "-g", "-o", file], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => recorder.once("exit", () => resolve()));
  return {
    async stop() {
      recorder.kill("SIGINT");
      await exited;
      return file;
    },
  };
}

let tableStats = new Map<string, { seq: number; seqRows: number; idx: number }>();
async function readTableStats() {
  const rows = await prisma.$queryRaw<{ relname: string; seq: bigint; seq_rows: bigint; idx: bigint | null }[]>`
    SELECT relname, seq_scan AS seq, seq_tup_read AS seq_rows, idx_scan AS idx FROM pg_stat_user_tables`;
  return new Map(
    rows.map((r) => [r.relname, { seq: Number(r.seq), seqRows: Number(r.seq_rows), idx: Number(r.idx ?? 0) }]),
  );
}

async function resetQueryReport(child: BenchChild) {
  if (process.env.BENCH_COUNT_QUERIES !== "1") return;
  await child.command("queries", { reset: true });
  await sleep(600);
  tableStats = await readTableStats();
}

async function queryReport(child: BenchChild, label: string, per: number, unit: string) {
  if (process.env.BENCH_COUNT_QUERIES !== "1") return;
  await sleep(600); // statistics reach pg_stat_user_tables with a short delay
  const now = await readTableStats();
  say(
    `  table scans during ${label} (per ${unit}): ${[...now]
      .map(([name, t]) => ({
        name,
        seq: t.seq - (tableStats.get(name)?.seq ?? 0),
        seqRows: t.seqRows - (tableStats.get(name)?.seqRows ?? 0),
        idx: t.idx - (tableStats.get(name)?.idx ?? 0),
      }))
      .filter((t) => t.seq + t.idx > 0)
      .map(
        (t) =>
          `${t.name} seq ${(t.seq / per).toFixed(2)} (${(t.seqRows / per).toFixed(0)} rows) idx ${(t.idx / per).toFixed(2)}`,
      )
      .join("; ")}`,
  );
  tableStats = now;
  const counts = await child.command<[string, number][]>("queries", { reset: true });
  const total = counts.reduce((a, [, n]) => a + n, 0);
  say(`\n  statements during ${label}: ${int(total)} (${(total / per).toFixed(1)} per ${unit})`);
  for (const [shape, n] of counts.slice(0, 45)) say(`    ${(n / per).toFixed(2).padStart(6)}  ${shape}`);
}

// ── Results ──────────────────────────────────────────────────────────────────────────────────────────────────
type Row = {
  scenario: string;
  parley: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null;
  memory: string;
  load: string;
};
const rows: Row[] = [];
const notes: string[] = [];
const loadCell = (w: { otherCoresBusy: number | null; benchCoresBusy: number | null; hostProbeMs?: number }) =>
  (w.otherCoresBusy === null ? "n/a" : `${w.otherCoresBusy.toFixed(2)} other / ${w.benchCoresBusy!.toFixed(2)} bench`) +
  (w.hostProbeMs === undefined ? "" : `; host probe ${ms(w.hostProbeMs)} ms`);
const memCell = (m: Memory) => `${mb(m.peakRss)} / ${mb(m.peakHeap)}`;
const latencyCell = (s: Summary) => `p50 ${ms(s.p50)} ms · p99 ${ms(s.p99)} ms`;

// ── 1. Inbound webhook ingest ────────────────────────────────────────────────────────────────────────────────
async function ingestScenario() {
  say("\n[1] inbound webhook ingest");
  const store = "+15005550101";
  await seedShop(prisma, { name: "bench-ingest", storeNumber: store, messagesPerSecond: 0 });
  const texts = [
    "Where is my order?",
    "Do you have this in a medium?",
    "Thanks, got it!",
    "Can I change the address on #1042?",
  ];
  const makeRequests = (count: number, origin: string): SignedWebhook[] =>
    Array.from({ length: count }, (_, i) =>
      signedInbound({
        from: shopperPhone(i % 500),
        to: store,
        text: texts[i % texts.length],
        url: `${origin}${WEBHOOK_PATH}`,
        privateKey,
      }),
    );
  type Run = { rps: number; lat: Summary; mem: Memory; load: CpuUse; statuses: string; round: number };
  const best = new Map<string, Run>();
  const modes = ["bare", "action", "remix"] as const;
  let rounds = 0;
  const noisy = () => [...best.values()].some((run) => (run.load.otherCoresBusy ?? 0) > NOISE_CORES);
  // The fixed rounds, then more (up to MAX_ATTEMPTS extra) while a best figure was measured on a busy machine.
  for (
    let round = 1;
    round <= SETTINGS.ingestRounds || (round <= SETTINGS.ingestRounds + MAX_ATTEMPTS - 1 && noisy());
    round++
  ) {
    for (const mode of modes) {
      const { child, stop } = await server(mode);
      const pool = createPool(child.origin, SETTINGS.ingestConcurrency);
      try {
        await closedLoop({
          pool,
          path: WEBHOOK_PATH,
          requests: makeRequests(SETTINGS.ingestWarmup, child.origin),
          concurrency: SETTINGS.ingestConcurrency,
        });
        const requests = makeRequests(SETTINGS.ingestRequests, child.origin);
        await child.command("mem", { reset: true });
        await resetQueryReport(child);
        const cpu = measureCpu(child);
        const result = await profiled(child, `ingest-${mode}-${round}`, () =>
          closedLoop({ pool, path: WEBHOOK_PATH, requests, concurrency: SETTINGS.ingestConcurrency }),
        );
        const load = cpu.stop();
        const mem = await child.command<Memory>("mem");
        const rps = (SETTINGS.ingestRequests / result.elapsedMs) * 1000;
        const lat = summarize(result.latencies);
        const statuses =
          [...result.statuses].map(([s, n]) => `${s}×${n}`).join(" ") +
          (result.errors ? ` errors×${result.errors} (${result.firstError})` : "");
        rounds = round;
        say(
          `  round ${round} ${mode.padEnd(6)} ${int(rps).padStart(6)} req/s  ${latencyCell(lat)}  [${statuses}]  load: ${loadCell(load)}; CPU per request ${perItem(load, SETTINGS.ingestRequests)}`,
        );
        if (result.statuses.get(204) !== SETTINGS.ingestRequests)
          throw new Error(`${mode}: not every request was answered 204: ${statuses}`);
        if (mode !== "bare") await queryReport(child, `ingest (${mode})`, SETTINGS.ingestRequests, "request");
        // Per server, the best round among the quiet ones (the least disturbed one if none was quiet).
        const previous = best.get(mode);
        const quiet = (l: CpuUse) => (l.otherCoresBusy ?? 0) <= NOISE_CORES;
        const better =
          !previous ||
          (quiet(load) && (!quiet(previous.load) || rps > previous.rps)) ||
          (!quiet(load) && !quiet(previous.load) && (load.otherCoresBusy ?? 0) < (previous.load.otherCoresBusy ?? 0));
        if (better) best.set(mode, { rps, lat, mem, load, statuses, round });
      } finally {
        await pool.close();
        await stop();
      }
    }
  }
  const recorded = await prisma.providerEvent.count({ where: { provider: "telnyx", processedAt: null } });
  const expected = (SETTINGS.ingestRequests + SETTINGS.ingestWarmup) * 2 * rounds;
  if (recorded !== expected) throw new Error(`ingest: ${recorded} events recorded, expected ${expected}`);
  // The workers were off: nothing processed these. Clear them so that the next scenarios' workers start empty.
  await prisma.providerEvent.deleteMany({});
  await prisma.$executeRawUnsafe(`VACUUM ANALYZE "ProviderEvent"`);

  const bare = best.get("bare")!;
  for (const [mode, label] of [
    [
      "remix",
      "Inbound webhook ingest — what server.ts serves: express, the webhook fast path to the route's `action` ahead of the Remix request handler, over the production build",
    ],
    ["action", "Inbound webhook ingest — the route's `action` behind node:http (tiny adapter, no Remix)"],
  ] as const) {
    const run = best.get(mode)!;
    const share = run.rps / bare.rps;
    rows.push({
      scenario: label,
      parley: `**${int(run.rps)} req/s** · ${latencyCell(run.lat)}`,
      baseline: `${int(bare.rps)} req/s · ${latencyCell(bare.lat)} — bare node:http, Ed25519 verify only, 204`,
      ratio: `${(share * 100).toFixed(0)} %`,
      target: "≥ 1,000/s and ≥ 40 % of bare",
      met: run.rps >= 1000 && share >= 0.4,
      memory: `${memCell(run.mem)} (bare ${memCell(bare.mem)})`,
      load: `${loadCell(run.load)}; CPU per request ${perItem(run.load, SETTINGS.ingestRequests)}`,
    });
  }
  notes.push(
    `Ingest: ${int(SETTINGS.ingestRequests)} signed \`message.received\` webhooks (distinct event ids, ~1.3 kB bodies, signed beforehand) per server, ${SETTINGS.ingestConcurrency} keep-alive connections (undici Pool), after ${int(SETTINGS.ingestWarmup)} warm-up requests; ${rounds} interleaved rounds (bare, action, remix, bare, …), each server's best quiet round reported. SMS loops off in the server process, so this is the edge alone: parse, verify, INSERT … ON CONFLICT DO NOTHING + pg_notify (group-committed: requests that arrive while an insert is in flight share the next one), 204. Every request was answered 204 and every event was found stored.`,
  );
}

// ── 2. STOP → confirmation handed to the provider ───────────────────────────────────────────────────────────
async function stopScenario() {
  say("\n[2] inbound STOP → confirmation handed to the provider");
  const store = "+15005550102";
  const { shopId, number } = await seedShop(prisma, { name: "bench-stop", storeNumber: store, messagesPerSecond: 0 });
  const warmupCount = Number(process.env.BENCH_STOP_WARMUP ?? 40);
  const rates = [SETTINGS.stopRate, ...(SETTINGS.stopExtraRate ? [SETTINGS.stopExtraRate] : [])];
  const perRun = SETTINGS.stopShoppers;
  const contacts = await seedContacts(prisma, {
    shopId,
    count:
      warmupCount * (SETTINGS.stopLayouts.length + 1) +
      perRun * MAX_ATTEMPTS * ((SETTINGS.stopRuns + rates.length - 1) * SETTINGS.stopLayouts.length + 1),
    firstIndex: 10_000,
    marketing: true,
  });
  await seedCampaignHistory(prisma, { shopId, numberId: number.id, contacts });
  let unused = 0;
  const take = (n: number) => contacts.slice(unused, (unused += n));
  const stopTexts = [
    "STOP",
    "stop",
    "Stop.",
    " STOP ",
    "UNSUBSCRIBE",
    "cancel",
    "please stop texting me",
    "Remove me from this list",
  ];
  const signedStops = (shoppers: { phoneE164: string }[], origin: string) =>
    shoppers.map((c, i) =>
      signedInbound({
        from: c.phoneE164,
        to: store,
        text: stopTexts[i % stopTexts.length],
        url: `${origin}${WEBHOOK_PATH}`,
        privateKey,
      }),
    );

  const hosted = await hostSimulator({
    apiKey: API_KEY,
    keys,
    webhookUrl: "http://127.0.0.1:9/",
    receipts: process.env.BENCH_STOP_RECEIPTS !== "0",
  });
  // Latency per shopper: from the moment their STOP was handed to the socket to the simulator's arrival of the
  // first send addressed to them.
  const sentAt = new Map<string, number>();
  const latency = new Map<string, number>();
  hosted.onSend = (send) => {
    const t0 = sentAt.get(send.to);
    if (t0 !== undefined && !latency.has(send.to)) latency.set(send.to, send.at - t0);
  };
  const latencies = (shoppers: { phoneE164: string }[]) => summarize(shoppers.map((c) => latency.get(c.phoneE164)!));
  try {
    // Parley, in two layouts: the production-build web server with the SMS loops in the same process (server.ts
    // with PARLEY_RUN_WORKER=1, as the sandbox runs), and the documented production layout — web processes with
    // PARLEY_RUN_WORKER=0 and a separate `npm run worker` (startWorkerProcess), one of each here.
    type Layout = "single" | "split";
    type StopResult = {
      layout: Layout;
      rate: number;
      lat: Summary;
      webhookLat: Summary;
      load: CpuUse;
      mem: Memory;
      attempts: number;
      /** p99 of every measured run at this rate (the reported one is their median). */
      runP99s: number[];
    };
    const results: StopResult[] = [];
    const measureLayout = async (layout: Layout) => {
      const web = await server("remix", { TELNYX_BASE_URL: hosted.baseUrl });
      // The worker knows the app's public URL as every process of a deployment does: the sends it makes ask Telnyx
      // to post their delivery receipts there, to the web process.
      const worker =
        layout === "split"
          ? await server("none", { TELNYX_BASE_URL: hosted.baseUrl, SHOPIFY_APP_URL: web.child.origin })
          : undefined;
      const loops = worker?.child ?? web.child;
      const pool = createPool(web.child.origin, 64);
      try {
        await loops.command("startWorker");
        const run = async (shoppers: { id: string; phoneE164: string }[], rate: number) => {
          const answers = await openLoop({
            pool,
            path: WEBHOOK_PATH,
            requests: signedStops(shoppers, web.child.origin),
            ratePerSecond: rate,
            onStart: (i, at) => sentAt.set(shoppers[i].phoneE164, at),
          });
          await until(
            () => shoppers.every((c) => latency.has(c.phoneE164)),
            90_000,
            "every STOP confirmation to reach the simulator",
          );
          if (answers.statuses.get(204) !== shoppers.length)
            throw new Error(
              `STOP: webhooks answered ${[...answers.statuses].map(([st, n]) => `${st}×${n}`).join(" ")}`,
            );
          await sleep(1200); // their delivery receipts (sent +150 ms, finalized +600 ms) come and are processed
          return answers;
        };
        await run(take(warmupCount), SETTINGS.stopRate);
        for (const rate of rates) {
          const measured = [];
          for (let n = 0; n < (rate === SETTINGS.stopRate ? SETTINGS.stopRuns : 1); n++) {
            measured.push(
              await quietest(`STOP ${layout} ${rate}/s`, async (attempt) => {
                const shoppers = take(perRun);
                await loops.command("mem", { reset: true });
                await resetQueryReport(loops);
                const cpu = measureCpu(web.child, worker?.child);
                const answers = await profiled(loops, `stop-${layout}-${rate}-${n + 1}-${attempt}`, () =>
                  run(shoppers, rate),
                );
                const load = cpu.stop();
                const mem = await loops.command<Memory>("mem");
                const lat = latencies(shoppers);
                const webhookLat = summarize(answers.latencies);
                say(
                  `  ${layout} ${rate}/s run ${n + 1} attempt ${attempt}: ${latencyCell(lat)} (max ${ms(lat.max)} ms); webhook answered ${latencyCell(webhookLat)}; load: ${loadCell(load)}; CPU per STOP ${perItem(load, perRun)}`,
                );
                await queryReport(loops, `STOP run at ${rate}/s (incl. receipts)`, perRun, "STOP");
                // Exactly one send per shopper (the confirmation), and every held campaign text cancelled.
                const sends = hosted.sends.filter((s) => shoppers.some((c) => c.phoneE164 === s.to));
                if (sends.length !== shoppers.length)
                  throw new Error(`STOP: ${sends.length} sends for ${shoppers.length} shoppers`);
                const stillHeld = await prisma.message.count({
                  where: { contactId: { in: shoppers.map((c) => c.id) }, status: "HELD" },
                });
                if (stillHeld !== 0) throw new Error(`STOP: ${stillHeld} held campaign texts were not cancelled`);
                const confirmed = await prisma.message.count({
                  where: {
                    contactId: { in: shoppers.map((c) => c.id) },
                    purpose: "SYSTEM",
                    status: { in: ["SENT", "DELIVERED"] },
                  },
                });
                if (confirmed !== shoppers.length)
                  throw new Error(`STOP: ${confirmed} confirmations recorded as sent for ${shoppers.length} shoppers`);
                return { layout, rate, lat, webhookLat, load, mem };
              }),
            );
          }
          const byP99 = [...measured].sort((a, b) => a.lat.p99 - b.lat.p99);
          results.push({ ...byP99[Math.floor((byP99.length - 1) / 2)], runP99s: measured.map((m) => m.lat.p99) });
        }
        await loops.command("stopLoops");
      } finally {
        await pool.close();
        await worker?.stop();
        await web.stop();
      }
    };
    for (const layout of SETTINGS.stopLayouts) {
      if (layout !== "single" && layout !== "split") throw new Error(`BENCH_STOP_LAYOUTS: unknown layout ${layout}`);
      await measureLayout(layout);
    }

    // Floor: the same two hops with no database and no queue — a verify-only node:http server answers the signed
    // STOP, and as soon as it has, the client calls the SDK's messages.send against the same simulator.
    const bare = await server("bare");
    const floorPool = createPool(bare.child.origin, 64);
    const { createTelnyxClient } = await import("../app/adapters/telnyx/client.server");
    const client = createTelnyxClient({ apiKey: API_KEY, baseURL: hosted.baseUrl, maxRetries: 0, timeoutMs: 15_000 });
    const floorRun = async (shoppers: { phoneE164: string }[]) => {
      const requests = signedStops(shoppers, bare.child.origin);
      const sends: Promise<unknown>[] = [];
      const interval = 1000 / SETTINGS.stopRate;
      const started = performance.now();
      for (let i = 0; i < requests.length; i++) {
        const shopper = shoppers[i];
        const wait = started + i * interval - performance.now();
        if (wait > 1) await sleep(wait);
        sentAt.set(shopper.phoneE164, performance.now());
        sends.push(
          floorPool
            .request({ method: "POST", path: WEBHOOK_PATH, headers: requests[i].headers, body: requests[i].body })
            .then(async (r) => {
              await r.body.dump();
              await client.messages.send({
                from: store,
                to: shopper.phoneE164,
                text: "You're unsubscribed from Bench Goods. No more messages. Reply START to resubscribe.",
              });
            }),
        );
      }
      await Promise.all(sends);
    };
    let floor: { lat: Summary; load: CpuUse; attempts: number };
    try {
      await floorRun(take(warmupCount));
      floor = await quietest("STOP floor", async (attempt) => {
        const shoppers = take(perRun);
        const cpu = measureCpu(bare.child);
        await floorRun(shoppers);
        const load = cpu.stop();
        const lat = latencies(shoppers);
        say(`  floor attempt ${attempt}: ${latencyCell(lat)}; load: ${loadCell(load)}`);
        return { lat, load };
      });
    } finally {
      await floorPool.close();
      await bare.stop();
    }

    const layoutLabel = {
      split: "production layout: web process (`npm start`, PARLEY_RUN_WORKER=0) + `npm run worker`",
      single: "one process: web with the worker inside (PARLEY_RUN_WORKER=1, as the sandbox runs)",
    } as const;
    for (const r of results) {
      const target = r.rate === SETTINGS.stopRate;
      rows.push({
        scenario: `Inbound STOP → confirmation handed to the provider, ${r.rate} STOPs/s from ${perRun} shoppers — ${layoutLabel[r.layout]}${target ? "" : " (extra: a lower rate, for comparison)"}`,
        parley: `**${latencyCell(r.lat)}** (webhook answered: p99 ${ms(r.webhookLat.p99)} ms)${
          r.runP99s.length > 1
            ? `; the median of ${r.runP99s.length} runs by p99 (${r.runP99s.map((p) => ms(p)).join(", ")} ms)`
            : ""
        }`,
        baseline: `${latencyCell(floor.lat)} — floor at ${SETTINGS.stopRate}/s: verify-only node:http answers the webhook, then a raw SDK send (no DB, no queue)`,
        ratio: `+${ms(r.lat.p99 - floor.lat.p99)} ms at p99`,
        target: target ? "p99 < 250 ms" : "–",
        met: target ? r.lat.p99 < 250 : null,
        memory: memCell(r.mem),
        load: `${loadCell(r.load)}${attemptsNote(r.attempts)}; CPU per STOP ${perItem(r.load, perRun)}`,
      });
    }
    notes.push(
      `STOP: ${perRun} subscribed shoppers per run — each with a conversation holding yesterday's delivered campaign text and a campaign text held for quiet hours — each text a STOP-family keyword or plain-language opt-out (8 variants) as a signed webhook, started on a fixed schedule (open loop), to the production-build server, after ${warmupCount} warm-up STOPs per layout; at ${SETTINGS.stopRate}/s each layout is measured ${SETTINGS.stopRuns} time(s) and the run with the median p99 is reported, every run's p99 beside it. Two layouts: the documented production one (a web process with PARLEY_RUN_WORKER=0 answering webhooks, and a worker process running what \`npm run worker\` runs — startWorkerProcess: the SMS loops and pg-boss — which processes the events and sends), and one process with the worker inside (as the sandbox runs; memory is that process's). Latency = webhook handed to the socket → the simulator's POST /v2/messages for that shopper arrived. Sending number and account unpaced (a 1 MPS long code would make this a pacing test). The simulator sends its usual delivery receipts (sent +150 ms, finalized +600 ms), which the same servers ingest and process meanwhile. Checked: every webhook answered 204, exactly one confirmation per shopper, recorded SENT, and every held campaign text cancelled. "CPU per STOP" is all CPU the bench used during the run divided by the STOPs: at ${SETTINGS.stopRate}/s the machine can keep up only if that is well under ${int((cores() * 1000) / SETTINGS.stopRate)} ms.`,
    );
  } finally {
    await hosted.close();
  }
}

// ── 3. Outbound sends/s, pacing off ──────────────────────────────────────────────────────────────────────────
async function queueMessages(shopId: string, contacts: { id: string }[], count: number, tag: string) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const i = next++;
        const transactional = i % 2 === 0;
        const outcome = await sendMessage({
          shopId,
          contactId: contacts[i % contacts.length].id,
          purpose: transactional ? "TRANSACTIONAL" : "CONVERSATIONAL",
          authorKind: transactional ? "STAFF" : "AI",
          body: transactional
            ? `Hi {first_name}, your order #${1000 + i} has shipped and should arrive Thursday.`
            : "Yes, the tote comes in navy too. Want me to hold one for you?",
          idempotencyKey: `${tag}:${i}`,
        });
        if (outcome.status !== "queued") throw new Error(`expected queued, got ${outcome.status}`);
      }
    }),
  );
  return performance.now() - started;
}

async function outboundScenario() {
  say("\n[3] outbound sends/s, pacing off");
  const store = "+15005550103";
  const count = SETTINGS.outboundMessages;
  const { shopId } = await seedShop(prisma, { name: "bench-outbound", storeNumber: store, messagesPerSecond: 0 });
  const contacts = await seedContacts(prisma, { shopId, count: 1000, firstIndex: 20_000, marketing: false });
  const tag = "bench-outbound";
  const queueMs = await queueMessages(shopId, contacts, count, tag);
  say(`  queued ${int(count)} with sendMessage in ${ms(queueMs)} ms (${int((count / queueMs) * 1000)}/s, 8 callers)`);
  await queueMessages(shopId, contacts, 200, "bench-warmup");
  const batch = { shopId, idempotencyKey: { startsWith: `${tag}:` } };
  // A repeat attempt sends the same messages again: put them back exactly as sendMessage left them.
  const requeue = async (prefix: string) => {
    await prisma.message.updateMany({
      where: { shopId, idempotencyKey: { startsWith: prefix } },
      data: {
        status: "QUEUED",
        attempts: 0,
        holdUntil: null,
        providerMessageId: null,
        sendingStartedAt: null,
        sentAt: null,
        deliveredAt: null,
        carrier: null,
        errorCode: null,
        errorReason: null,
        nextAttemptAt: null,
      },
    });
    await prisma.$executeRawUnsafe(`VACUUM ANALYZE "Message"`);
  };

  /** Starts the loops of a production-build server against `hosted` and times the drain of the batch. */
  const drain = async (label: string, receipts: boolean) => {
    const hosted = await hostSimulator({ apiKey: API_KEY, keys, webhookUrl: "http://127.0.0.1:9/", receipts });
    const { child, stop } = await server("remix", { TELNYX_BASE_URL: hosted.baseUrl });
    try {
      // Warm-up: a small batch through the same worker, so the measured drain is not the JIT's first encounter.
      // The measured batch is parked meanwhile (held far in the future), so the warm-up sends only its own.
      await prisma.message.updateMany({
        where: batch,
        data: { status: "HELD", holdUntil: new Date(Date.now() + 24 * 3600 * 1000) },
      });
      await requeue("bench-warmup:");
      await child.command("startLoops");
      await until(
        async () =>
          (await prisma.message.count({
            where: { shopId, idempotencyKey: { startsWith: "bench-warmup:" }, status: { in: ["SENT", "DELIVERED"] } },
          })) === 200,
        60_000,
        "the warm-up batch",
      );
      if (receipts) await sleep(1500);
      await child.command("stopLoops");
      return await quietest(label, async (attempt) => {
        await requeue(`${tag}:`);
        hosted.sends.length = 0;
        await child.command("mem", { reset: true });
        await resetQueryReport(child);
        const cpu = measureCpu(child);
        const t0 = performance.now();
        await profiled(child, `outbound-${receipts ? "receipts-" : ""}${attempt}`, async () => {
          await child.command("startLoops");
          await until(() => hosted.sends.length >= count, 120_000, "every queued message to reach the simulator");
        });
        const handedMs = hosted.sends[count - 1].at - t0;
        await until(
          async () =>
            (await prisma.message.count({ where: { ...batch, status: { in: ["SENT", "DELIVERED"] } } })) === count,
          60_000,
          "every message recorded SENT",
        );
        const recordedMs = performance.now() - t0;
        const load = cpu.stop();
        const mem = await child.command<Memory>("mem");
        if (receipts) {
          // Let this attempt's receipts arrive and be processed before anything is put back in the queue.
          await sleep(1000);
          await until(
            async () => (await prisma.providerEvent.count({ where: { processedAt: null } })) === 0,
            60_000,
            "the delivery receipts to be processed",
          );
        }
        await child.command("stopLoops");
        await queryReport(child, `outbound drain (${label})`, count, "message");
        if (hosted.sends.length !== count)
          throw new Error(`outbound: the simulator got ${hosted.sends.length} sends for ${count} messages`);
        const rate = (count / handedMs) * 1000;
        say(
          `  ${label} attempt ${attempt}: ${int(rate)} sends/s (all handed over in ${ms(handedMs)} ms, all recorded SENT after ${ms(recordedMs)} ms); load: ${loadCell(load)}; CPU per message ${perItem(load, count)}`,
        );
        return { rate, recordedRate: (count / recordedMs) * 1000, load, mem };
      });
    } finally {
      await stop();
      await hosted.close();
    }
  };

  const parley = await drain("parley", false);
  const withReceipts = SETTINGS.outboundWithReceipts ? await drain("parley, receipts flowing", true) : undefined;

  const hosted = await hostSimulator({ apiKey: API_KEY, keys, webhookUrl: "http://127.0.0.1:9/", receipts: false });
  const sdk = await server("none", { TELNYX_BASE_URL: hosted.baseUrl });
  let base: { rate: number; load: CpuUse; attempts: number };
  try {
    const args = {
      concurrency: SETTINGS.outboundConcurrency,
      from: store,
      to: contacts.map((c) => c.phoneE164),
      text: "Hi Sam, your order #1000 has shipped and should arrive Thursday.",
      webhookUrl: `http://127.0.0.1:9${WEBHOOK_PATH}`,
    };
    await sdk.child.command("sdkLoop", { ...args, count: 200 });
    base = await quietest("raw SDK loop", async (attempt) => {
      const cpu = measureCpu(sdk.child);
      const result = await sdk.child.command<{ elapsedMs: number; failed: number }>("sdkLoop", { ...args, count });
      const load = cpu.stop();
      const rate = (count / result.elapsedMs) * 1000;
      say(`  raw SDK loop attempt ${attempt}: ${int(rate)} sends/s (${result.failed} failed); load: ${loadCell(load)}`);
      return { rate, load };
    });
  } finally {
    await sdk.stop();
    await hosted.close();
  }
  const baseline = `${int(base.rate)} sends/s — raw SDK \`messages.send\` loop, same simulator, ${SETTINGS.outboundConcurrency} in flight${attemptsNote(base.attempts)}`;
  rows.push({
    scenario: `Outbound sends/s through the simulator, pacing off, ${int(count)} queued TRANSACTIONAL/CONVERSATIONAL messages`,
    parley: `**${int(parley.rate)} sends/s** (recorded SENT: ${int(parley.recordedRate)}/s)`,
    baseline,
    ratio: `${((parley.rate / base.rate) * 100).toFixed(0)} %`,
    target: "≥ 500/s",
    met: parley.rate >= 500,
    memory: memCell(parley.mem),
    load: `${loadCell(parley.load)}${attemptsNote(parley.attempts)}; CPU per message ${perItem(parley.load, count)}`,
  });
  if (withReceipts) {
    rows.push({
      scenario: `Outbound, the same with delivery receipts flowing back into the same server (sent +150 ms, finalized +600 ms; extra, production-like)`,
      parley: `**${int(withReceipts.rate)} sends/s** (recorded SENT: ${int(withReceipts.recordedRate)}/s)`,
      baseline,
      ratio: `${((withReceipts.rate / base.rate) * 100).toFixed(0)} %`,
      target: "–",
      met: null,
      memory: memCell(withReceipts.mem),
      load: `${loadCell(withReceipts.load)}${attemptsNote(withReceipts.attempts)}; CPU per message ${perItem(withReceipts.load, count)}`,
    });
  }
  notes.push(
    `Outbound: ${int(count)} messages queued through \`sendMessage\` (the real path: consent, rendering, segments; half TRANSACTIONAL by staff, half CONVERSATIONAL by AI, so quiet hours do not apply and the figure does not depend on the time of day) to 1,000 contacts while no loops ran (queueing itself ran at ${int((count / queueMs) * 1000)}/s from 8 callers); then a production-build server process starts its SMS loops (PARLEY_SMS_CONCURRENCY=${SETTINGS.outboundConcurrency}, PARLEY_ACCOUNT_MPS=0, number messagesPerSecond 0) and the drain is timed from that command until the simulator has received the last send. Delivery receipts are held back in the main run so that both sides measure the send path alone. After a 200-message warm-up; a repeat attempt puts the same rows back to QUEUED.`,
  );
}

// ── 4. Paced: one number at 20 MPS ───────────────────────────────────────────────────────────────────────────
async function pacedScenario() {
  say(`\n[4] paced: one number at ${SETTINGS.pacedMps} MPS`);
  const store = "+15005550104";
  const count = SETTINGS.pacedMessages;
  const { shopId } = await seedShop(prisma, {
    name: "bench-paced",
    storeNumber: store,
    messagesPerSecond: SETTINGS.pacedMps,
  });
  const contacts = await seedContacts(prisma, { shopId, count: 100, firstIndex: 30_000, marketing: false });
  const hosted = await hostSimulator({ apiKey: API_KEY, keys, webhookUrl: "http://127.0.0.1:9/", receipts: true });
  const { child, stop } = await server("remix", { TELNYX_BASE_URL: hosted.baseUrl, PARLEY_ACCOUNT_MPS: "50" });
  try {
    const best = await quietest("paced", async (attempt) => {
      await queueMessages(shopId, contacts, count, `bench-paced-${attempt}`);
      hosted.sends.length = 0;
      await child.command("mem", { reset: true });
      const cpu = measureCpu(child);
      const t0 = performance.now();
      await child.command("startLoops");
      await until(() => hosted.sends.length >= count, 120_000, "every paced message to reach the simulator");
      const load = cpu.stop();
      const mem = await child.command<Memory>("mem");
      await sleep(1000); // the last receipts
      await child.command("stopLoops");
      const times = hosted.sends.map((s) => s.at);
      // The steady rate: least-squares slope of arrival time against position (one late first send, e.g. a cold
      // connection, would otherwise read as a faster pace over first → last).
      const meanI = (count - 1) / 2;
      const meanT = times.reduce((a, b) => a + b, 0) / count;
      const slope =
        times.reduce((acc, t, i) => acc + (i - meanI) * (t - meanT), 0) /
        times.reduce((acc, _t, i) => acc + (i - meanI) ** 2, 0);
      const rate = 1000 / slope;
      const firstToLast = ((count - 1) / (times[count - 1] - times[0])) * 1000;
      const overall = (count / (times[count - 1] - t0)) * 1000;
      const gaps = summarize(times.slice(1).map((t, i) => t - times[i]));
      say(
        `  attempt ${attempt}: ${rate.toFixed(2)}/s (fitted), ${firstToLast.toFixed(2)}/s first→last, ${overall.toFixed(2)}/s from start; gaps ${latencyCell(gaps)}; load: ${loadCell(load)}`,
      );
      return { rate, firstToLast, overall, gaps, load, mem };
    });
    const deviation = (best.rate - SETTINGS.pacedMps) / SETTINGS.pacedMps;
    rows.push({
      scenario: `Paced: one number at ${SETTINGS.pacedMps} MPS, ${count} messages`,
      parley: `**${best.rate.toFixed(2)} sends/s** (${deviation >= 0 ? "+" : ""}${(deviation * 100).toFixed(1)} %); gap p50 ${ms(best.gaps.p50)} ms, p99 ${ms(best.gaps.p99)} ms`,
      baseline: `${SETTINGS.pacedMps.toFixed(2)} sends/s configured (gap ${ms(1000 / SETTINGS.pacedMps)} ms)`,
      ratio: `${((best.rate / SETTINGS.pacedMps) * 100).toFixed(1)} %`,
      target: "within 5 %",
      met: Math.abs(deviation) <= 0.05,
      memory: memCell(best.mem),
      load: `${loadCell(best.load)}${attemptsNote(best.attempts)}`,
    });
    notes.push(
      `Paced: ${count} messages queued through \`sendMessage\` for one number with messagesPerSecond ${SETTINGS.pacedMps} (account bucket at Telnyx's default 50), drained by the production-build server's loops with delivery receipts flowing; rate = the least-squares slope of the arrival times at the simulator (${best.firstToLast.toFixed(2)}/s first → last arrival; ${best.overall.toFixed(2)}/s counting from the moment the loops started, start-up included).`,
    );
  } finally {
    if (children.has(child)) await stop();
    await hosted.close();
  }
}

// ── Run, report, clean up ────────────────────────────────────────────────────────────────────────────────────
let failed: unknown;
try {
  if (only.has("1")) await ingestScenario();
  if (only.has("2")) await stopScenario();
  if (only.has("3")) await outboundScenario();
  if (only.has("4")) await pacedScenario();
} catch (error) {
  failed = error;
} finally {
  for (const child of children) await child.stop().catch(() => {});
  await prisma.$disconnect().catch(() => {});
  await db.stop().catch(() => {});
}

const warnings = (() => {
  try {
    return readFileSync(serverLog, "utf8")
      .split("\n")
      .filter((l) => l.trim());
  } catch {
    return [];
  }
})();
const table = [
  "| Scenario | Parley | Baseline (same run, same machine) | Parley ÷ baseline | Target | Met | Server RSS / heap, peak | CPU cores busy during the run |",
  "|---|---|---|---|---|---|---|---|",
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.parley} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met === null ? "–" : r.met ? "✅" : "❌"} | ${r.memory} | ${r.load} |`,
  ),
].join("\n");
const stamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
const report = [
  `## Benchmark (\`npm run bench\`)`,
  "",
  `${stamp} · ${cores()} cores (${os.cpus()[0]?.model ?? "cpu"}) · Node ${process.version} · embedded PostgreSQL (fsync off, Unix-domain socket) · HTTP on 127.0.0.1 · load average at the end ${loadAverage()} · took ${Math.round((Date.now() - startedAt) / 1000)} s${quick ? " · QUICK mode (smaller counts)" : ""}`,
  "",
  table,
  "",
  `"CPU cores busy": other = everything on the machine that is not the bench (other people's tests, …), bench = the bench's own processes (load generator + simulator, server or web + worker, PostgreSQL), averaged over the measurement, out of ${cores()} cores. "Host probe" = a fixed piece of hashing and JSON work timed in the bench's process just before the measurement (best of three), a rough reading of the host's speed, which drifts by a third or more between runs: figures taken at very different probe times are not comparable. Memory is the benchmarked server process only.`,
  "",
  ...notes.map((n) => `- ${n}`),
  ...(warnings.length
    ? [
        "",
        `Server processes logged ${warnings.length} warning/error line(s) (bench/results/servers.log); first: \`${warnings[0].slice(0, 300)}\``,
      ]
    : []),
  ...(failed ? ["", `**The run stopped early:** ${failed instanceof Error ? failed.message : String(failed)}`] : []),
  "",
].join("\n");
console.log(`\n${report}`);
if (!quick && only.size === 4 && !failed) writeFileSync(path.join(resultsDir, "latest.md"), report);
else writeFileSync(path.join(resultsDir, "partial.md"), report);
if (warnings.length) writeFileSync(path.join(resultsDir, "servers.log"), `${warnings.join("\n")}\n`);
rmSync(tmp, { recursive: true, force: true });
rmSync(buildDir, { recursive: true, force: true });
if (failed) {
  console.error(failed);
  process.exit(1);
}
process.exit(0);
