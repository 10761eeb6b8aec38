// npx tsx bench/inbox.ts (or npm run bench:inbox) — the inbox's server time on a big shop: 100,000 conversations
// and 1,000,000 messages, plus a 1,000-conversation shop as the baseline. Starts its own throwaway PostgreSQL,
// migrates, seeds with set-based SQL (bench/lib/inbox-seed.ts), ANALYZEs, then times the service functions
// in-process (what a loader awaits), checks each query's plan for sequential scans, prints a markdown table and
// writes it to bench/results/inbox.md.
//
// Knobs (environment): BENCH_INBOX_CONVERSATIONS (default 100000), BENCH_INBOX_RUNS (default 200).
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { createSearchIndexes, dropSearchIndexes, RARE_WORDS, seedInboxShop } from "./lib/inbox-seed";
import { cores, loadAverage } from "./lib/machine";
import { ms, percentile } from "./lib/stats";
import { benchTempDir, runOnThrowawayDatabase } from "./lib/throwaway-database";

const CONVERSATIONS = Number(process.env.BENCH_INBOX_CONVERSATIONS ?? 100_000);
const MESSAGES_PER_CONVERSATION = 10;
const RUNS = Number(process.env.BENCH_INBOX_RUNS ?? 200);
const WARMUP = 20;
const BIG = "inbox-big.myshopify.com";
const SMALL = "inbox-small.myshopify.com";
const say = (line: string) => process.stderr.write(`${line}\n`);

const startedAt = Date.now();
const tmp = benchTempDir("inbox");
say(`parley inbox bench · ${cores()} cores · node ${process.version} · load average ${loadAverage()} · temp ${tmp}`);

await runOnThrowawayDatabase(tmp, run);

async function run(databaseUrl: string) {
  // ── Seed ──────────────────────────────────────────────────────────────────────────────────────────────────
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let t = performance.now();
  say(`seeding ${CONVERSATIONS.toLocaleString("en-US")} conversations × ${MESSAGES_PER_CONVERSATION} messages …`);
  const indexes = await dropSearchIndexes(client);
  await seedInboxShop(client, {
    shopId: BIG,
    conversations: CONVERSATIONS,
    messagesPerConversation: MESSAGES_PER_CONVERSATION,
    staff: 8,
    phonePrefix: 1,
  });
  await seedInboxShop(client, {
    shopId: SMALL,
    conversations: 1000,
    messagesPerConversation: MESSAGES_PER_CONVERSATION,
    staff: 3,
    phonePrefix: 2,
  });
  const seedMs = performance.now() - t;
  t = performance.now();
  await createSearchIndexes(client, indexes);
  await client.query("VACUUM ANALYZE");
  const indexMs = performance.now() - t;
  const counts = (
    await client.query<{ conversations: number; messages: number }>(
      `SELECT (SELECT count(*)::int FROM "Conversation") AS conversations, (SELECT count(*)::int FROM "Message") AS messages`,
    )
  ).rows[0];
  say(`seeded in ${(seedMs / 1000).toFixed(1)} s, indexes + ANALYZE in ${(indexMs / 1000).toFixed(1)} s`);

  // ── The app's modules, on this database ───────────────────────────────────────────────────────────────────
  Object.assign(process.env, {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: "parley-bench-api-key",
    SHOPIFY_API_SECRET: "parley-bench-api-secret",
    SHOPIFY_APP_URL: "http://127.0.0.1:9",
    PARLEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    PARLEY_SANDBOX: "0",
    PARLEY_RUN_WORKER: "0",
    LOG_LEVEL: "warn",
  });
  const { prisma, Prisma } = await import("../app/db.server");
  const { listConversations, countByView, conversationListSql } = await import("../app/services/inbox/list.server");
  const { loadThread } = await import("../app/services/inbox/thread.server");
  type ListInput = Parameters<typeof listConversations>[0];

  const staffMe = `${BIG}-staff-2`;
  const sample = async (shopId: string, n: number) =>
    (
      await client.query<{ id: string; phone: string; lastMessageAt: Date }>(
        `SELECT c.id, ct."phoneE164" AS phone, c."lastMessageAt" FROM "Conversation" c
         JOIN "Contact" ct ON ct.id = c."contactId" WHERE c."shopId" = $1 ORDER BY md5(c.id) LIMIT $2`,
        [shopId, n],
      )
    ).rows;
  const picks = await sample(BIG, 50);
  // Later pages: cursors deep in the open view (the 2,000th … 20,000th conversation).
  const deep = (
    await client.query<{ id: string; lastMessageAt: Date }>(
      `SELECT id, "lastMessageAt" FROM (
         SELECT id, "lastMessageAt", row_number() OVER (ORDER BY "lastMessageAt" DESC, id DESC) AS n
         FROM "Conversation" WHERE "shopId" = $1 AND status = 'OPEN') x
       WHERE n % 2000 = 0 AND n <= 20000`,
      [BIG],
    )
  ).rows.map((r) => ({ lastMessageAt: r.lastMessageAt, id: r.id }));
  // The seed stores timestamps without a zone; pg reads them as local time. Re-read through Prisma's own mapping.
  const cursors = await Promise.all(
    deep.map(async (c) => {
      const row = await prisma.conversation.findUniqueOrThrow({ where: { id: c.id }, select: { lastMessageAt: true } });
      return { lastMessageAt: row.lastMessageAt, id: c.id };
    }),
  );
  await client.end();

  const phoneFormats = (e164: string) => {
    const d = e164.slice(2);
    return [
      `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`,
      `+1 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`,
      d,
    ];
  };
  const phoneQueries = picks.slice(0, 30).flatMap((p) => phoneFormats(p.phone));
  const moderate = RARE_WORDS[0].word; // one message in 500
  const common = "order"; // in about four messages of ten

  // ── Measure ───────────────────────────────────────────────────────────────────────────────────────────────
  type Result = {
    label: string;
    p50: number;
    p95: number;
    target: number | null;
    note?: string;
    plan?: string;
  };
  const results: Result[] = [];

  async function time(label: string, target: number | null, fn: (i: number) => Promise<unknown>, note?: string) {
    for (let i = 0; i < WARMUP; i++) await fn(i);
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await fn(i);
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const result: Result = { label, p50: percentile(samples, 50), p95: percentile(samples, 95), target, note };
    results.push(result);
    say(`${label}: p50 ${ms(result.p50)} ms · p95 ${ms(result.p95)} ms`);
    return result;
  }

  /** The plan of a list query: the indexes it uses, and whether it reads Conversation or Message sequentially. */
  async function planOf(input: ListInput, strategy: "walk" | "hits" = "walk") {
    const sql = conversationListSql(input, strategy)!;
    const [row] = await prisma.$queryRaw<{ "QUERY PLAN": unknown }[]>(Prisma.sql`EXPLAIN (FORMAT JSON) ${sql}`);
    const used = new Set<string>();
    const seq = new Set<string>();
    const walk = (node: Record<string, unknown>) => {
      if (typeof node["Index Name"] === "string") used.add(node["Index Name"]);
      if (
        node["Node Type"] === "Seq Scan" &&
        ["Message", "Conversation", "Contact"].includes(String(node["Relation Name"]))
      )
        seq.add(String(node["Relation Name"]));
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk((row["QUERY PLAN"] as { Plan: Record<string, unknown> }[])[0].Plan);
    const named = [...used].filter((n) => !n.endsWith("_pkey"));
    return `${seq.size ? `❌ seq scan on ${[...seq].join(", ")}; ` : ""}${strategy}: ${named.join(", ")}`;
  }

  const base = { shopId: BIG, staffMemberId: staffMe };
  await time("Baseline: `SELECT 1` round trip through Prisma", null, () => prisma.$queryRaw`SELECT 1`);
  const small = await time("Baseline: inbox list, open view, first page — 1,000-conversation shop", null, () =>
    listConversations({ shopId: SMALL, staffMemberId: `${SMALL}-staff-2`, view: "open" }),
  );
  const listFirst = await time("Inbox list, open view, first page (50 rows)", 50, () =>
    listConversations({ ...base, view: "open" }),
  );
  listFirst.plan = await planOf({ ...base, view: "open" });
  const listLater = await time("Inbox list, open view, a later page via cursor (rows 2,000–20,000)", 50, (i) =>
    listConversations({ ...base, view: "open", cursor: cursors[i % cursors.length] }),
  );
  listLater.plan = await planOf({ ...base, view: "open", cursor: cursors[0] });
  const mine = await time("Inbox list, mine view (3 statuses merged), first page", 50, () =>
    listConversations({ ...base, view: "mine" }),
  );
  mine.plan = await planOf({ ...base, view: "mine" });
  await time("Tab counts (open, unassigned, mine, pending)", 50, () => countByView(base));

  const phone = await time("Search by phone, all view — 3 formats of 30 numbers", 150, (i) =>
    listConversations({ ...base, view: "all", q: phoneQueries[i % phoneQueries.length] }),
  );
  phone.plan = await planOf({ ...base, view: "all", q: phoneQueries[0] }, "hits");
  const rare = await time(`Search by message text, all view — "${moderate}" (1 message in 500)`, 150, () =>
    listConversations({ ...base, view: "all", q: moderate }),
  );
  rare.plan = await planOf({ ...base, view: "all", q: moderate }, "hits");
  const frequent = await time(`Search by message text, all view — "${common}" (4 messages in 10)`, 150, () =>
    listConversations({ ...base, view: "all", q: common }),
  );
  frequent.plan = await planOf({ ...base, view: "all", q: common }, "walk");
  const name = await time('Search by name, open view — "harper" (1 contact in 40)', 150, () =>
    listConversations({ ...base, view: "open", q: "harper" }),
  );
  name.plan = await planOf({ ...base, view: "open", q: "harper" }, "hits");
  const rarest = await time('Search by message text, all view — "marzipan" (1 message in 5,000)', 150, () =>
    listConversations({ ...base, view: "all", q: "marzipan" }),
  );
  rarest.plan = await planOf({ ...base, view: "all", q: "marzipan" }, "hits");
  await time("Thread load: `loadThread`, last 50 items of a conversation", 30, (i) =>
    loadThread({ shopId: BIG, conversationId: picks[i % picks.length].id, limit: 50 }),
  );

  await prisma.$disconnect();

  // ── Report ────────────────────────────────────────────────────────────────────────────────────────────────
  const baselineNote = `baseline in the same run: \`SELECT 1\` p50 ${ms(results[0].p50)} ms; the same list on a 1,000-conversation shop p50 ${ms(small.p50)} ms · p95 ${ms(small.p95)} ms`;
  const lines = [
    `# Inbox bench`,
    ``,
    `${new Date().toISOString()} · ${cores()} cores (${os.cpus()[0]?.model ?? "cpu"}) · Node ${process.version} · embedded PostgreSQL (fsync off) · load average at the end ${loadAverage()} · took ${Math.round((Date.now() - startedAt) / 1000)} s`,
    ``,
    `Seeded: ${counts.conversations.toLocaleString("en-US")} conversations and ${counts.messages.toLocaleString("en-US")} messages in two shops (${CONVERSATIONS.toLocaleString("en-US")} × ${MESSAGES_PER_CONVERSATION} in the big one), ` +
      `${(seedMs / 1000).toFixed(1)} s; trigram indexes + ANALYZE ${(indexMs / 1000).toFixed(1)} s. Server time = the service call in-process (what the loader awaits), ${RUNS} runs after ${WARMUP} warm-up; ${baselineNote}.`,
    ``,
    `| Scenario | p50 | p95 | Target (p95) | Met | Plan (indexes used; seq scans on Conversation/Message/Contact flagged) |`,
    `|---|---|---|---|---|---|`,
    ...results.map(
      (r) =>
        `| ${r.label} | ${ms(r.p50)} ms | ${ms(r.p95)} ms | ${r.target === null ? "–" : `< ${r.target} ms`} | ${r.target === null ? "–" : r.p95 < r.target ? "✅" : "❌"} | ${r.plan ?? ""} |`,
    ),
    ``,
  ];
  const report = lines.join("\n");
  console.log(report);
  const resultsDir = path.resolve("bench/results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, "inbox.md"), report);
}
