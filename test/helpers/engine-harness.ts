import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import { prisma } from "~/db.server";
import { resetEnvForTests } from "~/env.server";
import type { Prisma } from "~/generated/prisma/client.ts";
import { startSmsLoops } from "~/jobs/sms-loops.server";
import { action as telnyxWebhookAction } from "~/routes/webhooks.telnyx";
import { signWebhook } from "~/sandbox/telnyx/keys";
import type { SimMessage } from "~/sandbox/telnyx/message-log";
import type { InboundResult } from "~/sandbox/telnyx/network";
import { createTelnyxSimulator, type TelnyxSimulator, type TelnyxSimulatorOptions } from "~/sandbox/telnyx/router";
import { createSendingNumber, createShop } from "./factories";

// The SMS engine end to end, in one test process: an express server on 127.0.0.1 with the Telnyx simulator at
// /sandbox/telnyx and POST /webhooks/telnyx handled by the real route module; the real Telnyx SDK pointed at the
// simulator; the file's own PostgreSQL; the SMS loops in this process or in a separate `tsx scripts/worker.ts`
// that a test may SIGKILL. Every wait is a poll on an observable condition, never a fixed sleep.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const TEST_TELNYX_API_KEY = "KEY_engine_harness";

export interface EngineHarnessOptions {
  /** messagesPerSecond of the store number (0 = unpaced). Default 0. */
  messagesPerSecond?: number;
  /** PARLEY_ACCOUNT_MPS (0 = unpaced). Default 0. */
  accountMps?: number;
  /** PARLEY_SMS_CONCURRENCY. Default 32. */
  concurrency?: number;
  /** PARLEY_TELNYX_TIMEOUT_SECONDS: how long a send may take before its outcome is unknown. Default 2. */
  telnyxTimeoutSeconds?: number;
  /**
   * PARLEY_RECONCILE_GRACE_SECONDS (the engine never uses less than the timeout + 2 s). Default 30: long enough that
   * a send slowed down by a busy machine is never reconciled while on the wire; tests of ambiguity go shorter.
   */
  reconcileGraceSeconds?: number;
  /** PARLEY_RETRY_BASE_MS: first backoff after a transient failure (doubles per attempt). Default 1000. */
  retryBaseMs?: number;
  /** Overrides of the shop's settings (brand, caps, quiet-hours policy…). */
  settings?: Prisma.ShopSettingsUpdateInput;
  /** Simulator options (receipt delays, baseline faults…). */
  simulator?: Partial<Omit<TelnyxSimulatorOptions, "apiKey" | "webhookUrl">>;
}

export interface WorkerProcess {
  pid: number;
  /** Everything the worker printed so far. */
  output(): string;
  /** SIGKILL to the worker's process group (tsx and the node process it runs). */
  kill(): Promise<void>;
  /** SIGTERM, the graceful stop; SIGKILL after 15 s. */
  stop(): Promise<void>;
  exited: Promise<void>;
}

export type EngineHarness = Awaited<ReturnType<typeof startEngineHarness>>;

/** Shop settings the harness seeds: a complete program, and no frequency caps unless a test sets them. */
export const HARNESS_PROGRAM = {
  brandName: "Acme Tees",
  senderName: "Sam",
  supportContact: "help@acme.test",
  messageFrequency: "Up to 4 msgs/month",
} as const;

export async function startEngineHarness(options: EngineHarnessOptions = {}) {
  // Called only once `server` (below) is listening: by the simulator's webhook URL and the route adapter.
  const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const simulator: TelnyxSimulator = createTelnyxSimulator({
    sentAfterMs: 20,
    finalizedAfterMs: 60,
    webhookRetryDelaysMs: [100, 200],
    ...options.simulator,
    apiKey: TEST_TELNYX_API_KEY,
    webhookUrl: () => `${origin()}/webhooks/telnyx`,
  });

  const app = express();
  app.disable("x-powered-by");
  app.use("/sandbox/telnyx", simulator.router);
  // The route module as Remix would call it: a Fetch Request carrying the raw body exactly as received.
  app.post("/webhooks/telnyx", express.raw({ type: () => true, limit: "1mb" }), async (req, res, next) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const request = new Request(`${origin()}${req.originalUrl}`, {
        method: "POST",
        headers,
        body: new Uint8Array(body),
      });
      const response = await telnyxWebhookAction({ request, params: {}, context: {} });
      res.status(response.status);
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.send(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      next(error);
    }
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });

  const engineEnv: Record<string, string> = {
    SHOPIFY_APP_URL: origin(),
    TELNYX_API_KEY: TEST_TELNYX_API_KEY,
    TELNYX_BASE_URL: `${origin()}/sandbox/telnyx/v2`,
    TELNYX_PUBLIC_KEY: simulator.publicKeyB64,
    PARLEY_ACCOUNT_MPS: String(options.accountMps ?? 0),
    PARLEY_SMS_CONCURRENCY: String(options.concurrency ?? 32),
    PARLEY_TELNYX_TIMEOUT_SECONDS: String(options.telnyxTimeoutSeconds ?? 2),
    PARLEY_RECONCILE_GRACE_SECONDS: String(options.reconcileGraceSeconds ?? 30),
    PARLEY_RETRY_BASE_MS: String(options.retryBaseMs ?? 1000),
  };
  Object.assign(process.env, engineEnv);
  // The engine warns about every send with an unknown outcome; tests provoke hundreds on purpose.
  process.env.LOG_LEVEL = process.env.PARLEY_TEST_LOG_LEVEL ?? "error";
  resetEnvForTests();

  const shop = await createShop();
  await prisma.shopSettings.update({
    where: { shopId: shop.id },
    data: {
      ...HARNESS_PROGRAM,
      smartSendingHours: 0,
      marketingDailyCap: 0,
      marketingWeeklyCap: 0,
      ...options.settings,
    },
  });
  const number = await createSendingNumber(shop.id, { messagesPerSecond: options.messagesPerSecond ?? 0 });

  let stopLoops: (() => Promise<void>) | undefined;
  const workers = new Set<WorkerProcess>();

  const harness = {
    origin: origin(),
    sim: simulator,
    shop,
    number,
    /** The store number shoppers text. */
    storeNumber: number.phoneE164,
    env: engineEnv,

    /** The inbound, delivery and reconcile loops in this process. */
    async startLoops() {
      if (stopLoops) return;
      stopLoops = await startSmsLoops(process.env.DATABASE_URL!);
    },
    async stopLoops() {
      const stop = stopLoops;
      stopLoops = undefined;
      await stop?.();
    },

    /** `tsx scripts/worker.ts` with this file's database and the harness's environment; resolves once it runs. */
    async spawnWorker(): Promise<WorkerProcess> {
      const child: ChildProcess = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/worker.ts"], {
        cwd: ROOT,
        env: { ...process.env, ...engineEnv, LOG_LEVEL: "info", PARLEY_RUN_WORKER: "1" } as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true, // its own process group: a kill reaches tsx and the node process it starts
      });
      let log = "";
      const append = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.length > 200_000) log = log.slice(-100_000);
      };
      child.stdout!.on("data", append);
      child.stderr!.on("data", append);
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once("exit", () => resolve());
      });
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, name);
        } catch {
          /* already gone */
        }
      };
      const worker: WorkerProcess = {
        pid: child.pid!,
        output: () => log,
        exited,
        async kill() {
          signal("SIGKILL");
          await exited;
          workers.delete(worker);
        },
        async stop() {
          signal("SIGTERM");
          const done = await Promise.race([
            exited.then(() => true),
            new Promise<boolean>((r) => setTimeout(() => r(false), 15_000)),
          ]);
          if (!done) signal("SIGKILL");
          await exited;
          workers.delete(worker);
        },
      };
      workers.add(worker);
      let gone = false;
      void exited.then(() => (gone = true));
      await waitFor(
        () => gone || /worker started/.test(log),
        60_000,
        () => `the worker did not start:\n${log}`,
      );
      if (gone) throw new Error(`the worker exited before it started:\n${log}`);
      return worker;
    },

    /** A shopper texts the store: the simulator signs message.received and posts it to the route. */
    async textFromShopper(from: string, text: string): Promise<InboundResult> {
      return simulator.sendInbound({ from, to: number.phoneE164, text });
    },

    /** POSTs a body to the webhook route as Telnyx would, signed with the simulator's key unless told otherwise. */
    async postWebhook(
      rawBody: string,
      sign: { timestamp?: number; privateKey?: Parameters<typeof signWebhook>[0]; signature?: string } = {},
    ) {
      const timestamp = sign.timestamp ?? Math.floor(Date.now() / 1000);
      const signature = sign.signature ?? signWebhook(sign.privateKey ?? simulator.keys.privateKey, rawBody, timestamp);
      const response = await fetch(`${origin()}/webhooks/telnyx`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "telnyx-signature-ed25519": signature,
          "telnyx-timestamp": String(timestamp),
        },
        body: rawBody,
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as { error?: string }) : undefined };
    },

    /**
     * Waits until the engine has nothing left to do: every recorded provider event processed, no outbound message
     * queued (due) or being sent, and no webhook or receipt still on its way from the simulator.
     */
    async settle(timeoutMs = 30_000) {
      const busy = async () => {
        const [events, outbound] = await Promise.all([
          prisma.providerEvent.count({ where: { provider: "telnyx", processedAt: null, attempts: { lt: 5 } } }),
          prisma.message.count({
            where: {
              direction: "OUTBOUND",
              OR: [
                { status: "SENDING" },
                {
                  status: "QUEUED",
                  OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: new Date(Date.now() + 60_000) } }],
                },
              ],
            },
          }),
        ]);
        return { events, outbound };
      };
      let last = { events: -1, outbound: -1 };
      await waitFor(
        async () => {
          await simulator.idle();
          last = await busy();
          if (last.events + last.outbound > 0) return false;
          await simulator.idle(); // a receipt may have been triggered by the last send
          last = await busy();
          return last.events + last.outbound === 0;
        },
        timeoutMs,
        () =>
          `the engine to settle (still ${last.events} unprocessed events, ${last.outbound} outbound messages due or sending)`,
        50,
      );
    },

    /** Texts the simulated network carried to this phone (store → shopper), oldest first. */
    messagesTo(phone: string): SimMessage[] {
      return simulator.log.list({ phone, direction: "outbound" }).filter((m) => m.to === phone);
    },

    async close() {
      for (const worker of [...workers]) await worker.kill();
      await harness.stopLoops();
      await simulator.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return harness;
}

/**
 * Polls until `predicate` returns something truthy (returned), or fails after `timeoutMs` with `describe()` —
 * the state the test was waiting on, so a timeout says what was missing.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  timeoutMs: number,
  describe: string | (() => string | Promise<string>) = "condition",
  intervalMs = 25,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) {
      const what = typeof describe === "function" ? await describe() : describe;
      throw new Error(`waited ${timeoutMs} ms for: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * A fixed-offset zone (no DST) in which `at` is `localHour` o'clock, give or take half an hour, as quiet-hours
 * candidates: it makes a contact's local time deterministic. Campaign tests use 13:00, so they behave the same at
 * any time of day; quiet-hours tests move `now` into the night of that zone.
 */
export function fixedZoneWhereItIs(localHour: number, at = new Date()) {
  const utcHour = at.getUTCHours() + at.getUTCMinutes() / 60;
  let offsetHours = Math.round(localHour - utcHour);
  while (offsetHours > 12) offsetHours -= 24;
  while (offsetHours < -11) offsetHours += 24;
  // IANA's Etc zones count the other way round: Etc/GMT-3 is UTC+3.
  const timeZone = offsetHours === 0 ? "Etc/UTC" : `Etc/GMT${offsetHours > 0 ? "-" : "+"}${Math.abs(offsetHours)}`;
  const hour = 3600_000;
  /** The instant that is `hh:mm` local time on the local day of `at`, plus `days`. */
  const localTime = (hh: number, mm = 0, days = 0) => {
    const localMidnight =
      Math.floor((at.getTime() + offsetHours * hour) / (24 * hour)) * 24 * hour - offsetHours * hour;
    return new Date(localMidnight + (days * 24 + hh) * hour + mm * 60_000);
  };
  return { quietZones: [{ timeZone }], offsetHours, localTime };
}

export function zoneWhereItIs(localHour: number, at = new Date()): { timeZone: string }[] {
  return fixedZoneWhereItIs(localHour, at).quietZones;
}

let phoneSequence = 0;
/** Numbers for bulk seeding, apart from the factories' +1212555xxxx. */
export function bulkPhone(): string {
  phoneSequence += 1;
  return `+1415${String(2_000_000 + phoneSequence).padStart(7, "0")}`;
}

/**
 * `count` contacts subscribed to marketing (storefront form), in bulk. Their quiet-hours zone is one where it is
 * early afternoon now, so campaign sends are never held by the clock.
 */
export async function seedSubscribers(
  shopId: string,
  count: number,
  overrides: { quietZones?: Prisma.InputJsonValue } = {},
) {
  const zones = overrides.quietZones ?? zoneWhereItIs(13);
  const batch = randomUUID().slice(0, 8);
  const contacts = Array.from({ length: count }, (_, i) => ({
    id: `c_${batch}_${i}`,
    shopId,
    phoneE164: bulkPhone(),
    firstName: `Pat${i}`,
    quietZones: zones,
  }));
  await prisma.contact.createMany({ data: contacts });
  const events = contacts.map((c) => ({
    id: `ce_${c.id}`,
    shopId,
    contactId: c.id,
    phoneE164: c.phoneE164,
    purpose: "MARKETING" as const,
    status: "SUBSCRIBED" as const,
    source: "STOREFRONT_FORM" as const,
    disclosureText: "Yes, text me offers from Acme Tees. Msg & data rates may apply. Reply STOP to cancel.",
    disclosureVersion: "v1",
  }));
  await prisma.consentEvent.createMany({ data: events });
  await prisma.consentState.createMany({
    data: events.map((e) => ({
      shopId,
      contactId: e.contactId,
      purpose: e.purpose,
      status: e.status,
      source: e.source,
      lastEventId: e.id,
    })),
  });
  return prisma.contact.findMany({ where: { id: { in: contacts.map((c) => c.id) } }, orderBy: { id: "asc" } });
}

/** Runs `fn` over `items` with at most `parallel` at a time (queueing thousands of sends without a stampede). */
export async function inBatches<T, R>(
  items: T[],
  parallel: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}
