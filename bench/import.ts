// Subscriber import at 50,000 rows (`npx tsx bench/import.ts`; BENCH_IMPORT_ROWS to change the size): starts an
// embedded PostgreSQL, migrates, then times the import job (runSubscriberImport: parse, validate, 1,000-row
// transactions) on a file with 1 % refused rows, and the streamed export of the result.
import { performance } from "node:perf_hooks";
import { cores, loadAverage } from "./lib/machine";
import { benchTempDir, runOnThrowawayDatabase } from "./lib/throwaway-database";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const SHOP = "import-bench.myshopify.com";
const say = (line: string) => process.stderr.write(`${line}\n`);

const tmp = benchTempDir("import");
say(`parley import bench · ${cores()} cores · node ${process.version} · load average ${loadAverage()}`);
await runOnThrowawayDatabase(tmp, run);

function csv(rows: number): string {
  let out = "phone,first_name,last_name,email,opted_in_at,consent_source,ip_address,page_url,disclosure_text\n";
  for (let i = 0; i < rows; i++) {
    const phone = i % 100 === 42 ? "555-0100" : `+1415${String(2_000_000 + i).padStart(7, "0")}`;
    out += `${phone},Ann${i},Lee,ann${i}@example.com,2025-05-01T10:00:00Z,Website popup,203.0.113.${i % 250},https://acme.test/,"Yes, text me offers. Msg & data rates may apply. Reply STOP to cancel."\n`;
  }
  return out;
}

async function run(databaseUrl: string) {
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
  const { prisma } = await import("../app/db.server");
  const { runSubscriberImport, loadImport } = await import("../app/services/subscribers/import.server");
  const { exportSubscribersCsv } = await import("../app/services/subscribers/export.server");

  await prisma.shop.create({ data: { id: SHOP, settings: { create: {} } } });
  const file = csv(ROWS);
  const row = await prisma.subscriberImport.create({
    data: { shopId: SHOP, fileName: "bench.csv", csv: file, totalRows: ROWS },
  });
  let t = performance.now();
  await runSubscriberImport(SHOP, row.id);
  const importMs = performance.now() - t;
  const done = (await loadImport(SHOP, row.id))!;
  if (done.status !== "completed" || done.processedRows !== ROWS)
    throw new Error(`import did not complete: ${done.status}`);

  t = performance.now();
  say(`import done in ${(importMs / 1000).toFixed(1)} s; exporting…`);
  const reader = exportSubscribersCsv({ shopId: SHOP, tab: "all" }).getReader();
  let bytes = 0;
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end) break;
    bytes += value.byteLength;
  }
  const exportMs = performance.now() - t;
  await prisma.$disconnect();

  const mb = (file.length / 1024 / 1024).toFixed(1);
  console.log(`| what | result |\n|---|---|`);
  console.log(
    `| import ${ROWS.toLocaleString("en-US")} rows (${mb} MB) | ${(importMs / 1000).toFixed(1)} s · ${Math.round(ROWS / (importMs / 1000)).toLocaleString("en-US")} rows/s · imported ${done.importedRows.toLocaleString("en-US")}, refused ${done.refusedRows.toLocaleString("en-US")} |`,
  );
  console.log(
    `| export ${done.importedRows.toLocaleString("en-US")} subscribers (${(bytes / 1024 / 1024).toFixed(1)} MB) | ${(exportMs / 1000).toFixed(1)} s |`,
  );
}
