import express, { type NextFunction, type Request, type Response } from "express";
import { ZodError } from "zod";
import { FaultInjector, type FaultInput } from "./faults";
import { loadSandboxTelnyxKeys, type SandboxTelnyxKeys } from "./keys";
import { MessageLog, type LogChange, type LogDirection } from "./message-log";
import { DetailRecords, listMdrs, parseMdrQuery } from "./mdrs";
import { InboundRejected, SimulatedNetwork, type InboundResult } from "./network";
import { OptOutRegistry } from "./optouts";
import { renderPhoneSimulator, type ShopperEntry } from "./phone-page";
import type { InboundInput } from "./resources";
import { validateSendRequest, type TelnyxApiError } from "./validate";
import { WebhookSender } from "./webhook-sender";

// The simulated Telnyx, mounted by the app server at /sandbox/telnyx so that the real SDK, given
// baseURL = `${origin}/sandbox/telnyx/v2`, talks to it exactly as it would to api.telnyx.com.
//
//   POST   /v2/messages              send (Bearer key, Telnyx validation and error shapes, fault injection)
//   GET    /v2/messages/:id          the message resource as it is now
//   GET    /v2/messaging_optouts     numbers blocked by STOP (filter[from], filter[messaging_profile_id], page[…])
//   GET    /v2/reports/mdrs          message detail records of what the network took (cli, cld, direction,
//                                    start_date, end_date, message_type, status, id; page[…])
//   POST   /control/inbound          a shopper texts the store → signed message.received to the app
//   GET    /control/log              message log as JSON (?phone=&direction=&limit=)     DELETE clears it
//   GET    /control/stream           server-sent events of log changes (?phone=)
//   GET    /control/faults           fault configuration      POST merges      DELETE resets to the baseline
//   DELETE /control/optouts          forget every STOP
//   GET    /phone                    the phone simulator page (also served by the app at /sandbox/phone)
//
// /control/* has no authentication: the simulator is only ever mounted in sandbox mode.

export const DEFAULT_MESSAGING_PROFILE_ID = "40017f8e-0a1b-4c2d-9e3f-5a6b7c8d9e0f";

export interface TelnyxSimulatorOptions {
  /** The API key the simulator accepts as `Authorization: Bearer …`. */
  apiKey: string;
  /** Where webhooks go unless a send names its own webhook_url (a function when the port is known late). */
  webhookUrl: string | (() => string);
  /** Key pair file (e.g. `.data/sandbox/telnyx-keys.json`); without it and without `keys`, an in-memory pair. */
  keysFile?: string;
  /** TELNYX_PUBLIC_KEY + SANDBOX_TELNYX_PRIVATE_KEY (normally process.env), see keys.ts. */
  env?: { TELNYX_PUBLIC_KEY?: string; SANDBOX_TELNYX_PRIVATE_KEY?: string };
  /** An already loaded pair (takes precedence over keysFile/env). */
  keys?: SandboxTelnyxKeys;
  /** The store's sending numbers: a send from another number is refused (40013); inbound must go to one. Empty = any. */
  storeNumbers?: () => string[];
  /** Seeded shoppers listed on the phone page. */
  shopperNumbers?: () => ShopperEntry[];
  now?: () => Date;
  messagingProfileId?: string;
  /** Baseline faults (what DELETE /control/faults returns to). */
  faults?: FaultInput;
  /** Message log size, and how many detail records are kept (default 50,000). */
  logLimit?: number;
  /** Delays before message.sent and message.finalized (defaults 150 ms and 600 ms: visible on the phone page). */
  sentAfterMs?: number;
  finalizedAfterMs?: number;
  webhookTimeoutMs?: number;
  /** Pauses before webhook attempts 2 and 3 (default 1 s, 2 s). */
  webhookRetryDelaysMs?: number[];
  fetch?: typeof fetch;
}

export interface TelnyxSimulator {
  router: express.Router;
  publicKeyB64: string;
  keys: SandboxTelnyxKeys;
  log: MessageLog;
  faults: FaultInjector;
  optOuts: OptOutRegistry;
  /** Same as POST /control/inbound. Throws InboundRejected on invalid input. */
  sendInbound(args: InboundInput): Promise<InboundResult>;
  /** Resolves when every pending webhook delivery and message lifecycle has finished. */
  idle(): Promise<void>;
  /** Stops timers, pending deliveries and SSE streams. */
  close(): Promise<void>;
}

const telnyxError = (res: Response, status: number, errors: TelnyxApiError[]) => res.status(status).json({ errors });

const AUTH_FAILED: TelnyxApiError = {
  code: "10009",
  title: "Authentication failed",
  detail: "The required authentication headers were either invalid or not included in the request.",
};

type Handler = (req: Request, res: Response) => Promise<unknown> | unknown;
const handle = (fn: Handler) => (req: Request, res: Response, next: NextFunction) => {
  Promise.resolve(fn(req, res)).catch(next);
};

function queryString(value: unknown): string | undefined {
  return typeof value === "string" && value.length ? value : undefined;
}

/** `filter[from]` arrives as `filter: { from }` with express's qs parser, or flat with the simple parser. */
function bracketParam(query: Request["query"], group: string, key: string): string | undefined {
  const nested = query[group];
  if (nested && typeof nested === "object" && !Array.isArray(nested))
    return queryString((nested as Record<string, unknown>)[key]);
  return queryString(query[`${group}[${key}]`]);
}

export function createTelnyxSimulator(options: TelnyxSimulatorOptions): TelnyxSimulator {
  const keys = options.keys ?? loadSandboxTelnyxKeys({ file: options.keysFile, env: options.env });
  const now = options.now ?? (() => new Date());
  const webhookUrl = typeof options.webhookUrl === "function" ? options.webhookUrl : () => options.webhookUrl as string;
  const storeNumbers = options.storeNumbers ?? (() => []);
  const profileId = options.messagingProfileId ?? DEFAULT_MESSAGING_PROFILE_ID;
  const log = new MessageLog(options.logLimit ?? 50_000);
  const records = new DetailRecords(options.logLimit ?? 50_000);
  log.subscribe((change) => {
    if (change.type === "upsert") records.put(change.message);
  });
  const faults = new FaultInjector(options.faults);
  const optOuts = new OptOutRegistry();
  const sender = new WebhookSender({
    privateKey: keys.privateKey,
    now,
    timeoutMs: options.webhookTimeoutMs,
    retryDelaysMs: options.webhookRetryDelaysMs ?? [1000, 2000],
    fetch: options.fetch,
  });
  const network = new SimulatedNetwork({
    webhookUrl,
    storeNumbers,
    now,
    profileId,
    sender,
    log,
    faults,
    optOuts,
    sentAfterMs: options.sentAfterMs ?? 150,
    finalizedAfterMs: options.finalizedAfterMs ?? 600,
    resourceLimit: options.logLimit ?? 50_000,
  });
  const heldRequests = new Map<NodeJS.Timeout, { destroy(): void }>();
  const streams = new Set<Response>();

  const router = express.Router();
  router.use(express.json({ limit: "1mb" }));

  const authorized = (req: Request) => req.get("authorization") === `Bearer ${options.apiKey}`;

  router.post(
    "/v2/messages",
    handle(async (req, res) => {
      if (!authorized(req)) return telnyxError(res, 401, [AUTH_FAILED]);
      const config = faults.get();
      if (config.latencyMs) await new Promise((r) => setTimeout(r, config.latencyMs));
      const fault = faults.roll();

      if (fault.kind === "429") {
        const seconds = String(config.retryAfterSeconds);
        res.set({
          "Retry-After": seconds,
          "x-ratelimit-limit": "50",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": seconds,
        });
        return telnyxError(res, 429, [
          {
            code: "10011",
            title: "Too many requests",
            detail: "You have exceeded the maximum number of allowed requests.",
          },
        ]);
      }
      if (fault.kind === "5xx") {
        const title = fault.status === 503 ? "Service unavailable" : "Unexpected error";
        return telnyxError(res, fault.status, [{ code: "10007", title, detail: "An unexpected error occurred." }]);
      }

      const validation = validateSendRequest(req.body, { storeNumbers: storeNumbers() });
      if (fault.kind === "timeout") {
        // Hold the answer past the client's timeout, then drop the connection. With timeoutAccepted the
        // message was taken (recorded, texted, webhooks follow) and only the answer is lost.
        if (config.timeoutAccepted && validation.ok) network.accept(validation.request);
        const timer = setTimeout(() => {
          heldRequests.delete(timer);
          req.socket.destroy();
        }, config.timeoutMs);
        heldRequests.set(timer, req.socket);
        res.on("close", () => {
          clearTimeout(timer);
          heldRequests.delete(timer);
        });
        return;
      }

      if (!validation.ok)
        return telnyxError(
          res,
          validation.errors[0].code === "10015" && validation.errors[0].source?.pointer === "/" ? 400 : 422,
          validation.errors,
        );
      const result = network.accept(validation.request);
      if (!result.ok) return telnyxError(res, result.status, result.errors);
      return res.status(200).json({ data: result.resource });
    }),
  );

  router.get(
    "/v2/messages/:id",
    handle((req, res) => {
      if (!authorized(req)) return telnyxError(res, 401, [AUTH_FAILED]);
      const resource = network.retrieve(String(req.params.id));
      if (!resource)
        return telnyxError(res, 404, [
          { code: "10005", title: "Resource not found", detail: "The requested resource or URL could not be found." },
        ]);
      return res.json({ data: resource });
    }),
  );

  router.get(
    "/v2/messaging_optouts",
    handle((req, res) => {
      if (!authorized(req)) return telnyxError(res, 401, [AUTH_FAILED]);
      const all = optOuts.list({
        from: bracketParam(req.query, "filter", "from"),
        messagingProfileId: bracketParam(req.query, "filter", "messaging_profile_id"),
      });
      const size = Math.min(Math.max(Number(bracketParam(req.query, "page", "size") ?? 20) || 20, 1), 250);
      const number = Math.max(Number(bracketParam(req.query, "page", "number") ?? 1) || 1, 1);
      const redact = req.query.redaction_enabled === "true";
      const data = all
        .slice((number - 1) * size, number * size)
        .map((o) => (redact ? { ...o, to: `${o.to.slice(0, -4)}****` } : o));
      return res.json({
        data,
        meta: {
          page_number: number,
          page_size: size,
          total_pages: Math.max(Math.ceil(all.length / size), 1),
          total_results: all.length,
        },
      });
    }),
  );

  router.get(
    "/v2/reports/mdrs",
    handle((req, res) => {
      if (!authorized(req)) return telnyxError(res, 401, [AUTH_FAILED]);
      const parsed = parseMdrQuery(req.query as Record<string, unknown>);
      if (!parsed.ok) return telnyxError(res, 400, parsed.errors);
      const page = {
        number: Number(bracketParam(req.query, "page", "number") ?? 1),
        size: Number(bracketParam(req.query, "page", "size") ?? 20),
      };
      return res.json(listMdrs(records.values(), parsed.filter, page));
    }),
  );

  router.all("/v2/*", (_req, res) =>
    telnyxError(res, 404, [
      {
        code: "10005",
        title: "Resource not found",
        detail: "The simulator implements only the messaging endpoints Parley uses.",
      },
    ]),
  );

  router.post(
    "/control/inbound",
    handle(async (req, res) => {
      const body = (req.body ?? {}) as Partial<InboundInput>;
      try {
        const result = await network.receive({
          from: String(body.from ?? ""),
          to: String(body.to ?? ""),
          text: typeof body.text === "string" ? body.text : "",
          media: body.media,
        });
        return res.json({
          status: result.status,
          event: result.event,
          ...(result.error ? { error: result.error } : {}),
        });
      } catch (error) {
        if (error instanceof InboundRejected) return telnyxError(res, 422, error.errors);
        throw error;
      }
    }),
  );

  router.get("/control/log", (req, res) => {
    const direction = queryString(req.query.direction);
    const limit = Number(queryString(req.query.limit) ?? 0) || undefined;
    res.json({
      data: log.list({
        phone: queryString(req.query.phone),
        direction: direction === "inbound" || direction === "outbound" ? (direction as LogDirection) : undefined,
        limit,
      }),
    });
  });
  router.delete("/control/log", (_req, res) => {
    log.clear();
    res.status(204).end();
  });

  router.get("/control/stream", (req, res) => {
    const phone = queryString(req.query.phone);
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.write("retry: 2000\n\n");
    send("snapshot", log.list({ phone, limit: 500 }));
    const unsubscribe = log.subscribe((change: LogChange) => {
      if (change.type === "clear") return send("clear", {});
      if (!phone || change.message.from === phone || change.message.to === phone) send("message", change.message);
    });
    const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
    streams.add(res);
    req.on("close", () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  });

  router.get("/control/faults", (_req, res) => res.json({ data: faults.get() }));
  router.post("/control/faults", (req, res) => res.json({ data: faults.set(req.body ?? {}) }));
  router.delete("/control/faults", (_req, res) => res.json({ data: faults.reset() }));
  router.delete("/control/optouts", (_req, res) => {
    optOuts.clear();
    res.status(204).end();
  });

  router.get("/phone", (req, res) => {
    res
      .type("html")
      .set("cache-control", "no-store")
      .send(
        renderPhoneSimulator({
          shopperNumbers: options.shopperNumbers?.() ?? [],
          storeNumbers: storeNumbers(),
          apiBase: req.baseUrl,
        }),
      );
  });

  // Errors: unreadable JSON gets Telnyx's 400 on the API and a plain reason on the control routes.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const parseFailed = (error as { type?: string }).type === "entity.parse.failed";
    if (error instanceof ZodError)
      return res.status(400).json({ error: error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
    if (parseFailed && req.path.startsWith("/v2/"))
      return telnyxError(res, 400, [
        { code: "10015", title: "Bad Request", detail: "The request body is not valid JSON." },
      ]);
    if (parseFailed) return res.status(400).json({ error: "The request body is not valid JSON." });
    return next(error);
  });

  return {
    router,
    publicKeyB64: keys.publicKeyB64,
    keys,
    log,
    faults,
    optOuts,
    sendInbound: (args) => network.receive(args),
    idle: () => sender.idle(),
    async close() {
      network.close();
      sender.stop();
      for (const [timer, socket] of heldRequests) {
        clearTimeout(timer);
        socket.destroy();
      }
      heldRequests.clear();
      for (const stream of streams) stream.end();
      streams.clear();
      await sender.idle();
    },
  };
}
