import { randomUUID } from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import { executeAdminGraphql } from "./admin-graphql";
import { parseScopes } from "./admin-scopes";
import {
  COMPLIANCE_EVENT_KINDS,
  EventInputError,
  runComplianceEvent,
  runStoreEvent,
  STORE_EVENT_KINDS,
  type ComplianceEventKind,
  type StoreEventKind,
  type StoreEventResult,
} from "./events";
import { authenticateAccessToken, handleAccessTokenRequest } from "./oauth";
import { renderProductImage } from "./placeholder-image";
import { ThrottleBucket } from "./query-cost";
import { DEFAULT_SHOP_DOMAIN } from "./seed";
import { summarizeStore } from "./state-summary";
import { ShopifyStore, StoreError } from "./store";
import { createWebhookEmitter, type EmitOptions, type WebhookDelivery } from "./webhooks";

// The simulated Shopify, mounted by the app server at /sandbox/shopify. The real admin client reaches it through
// the fetch seam (fetch-seam.ts), which rewrites https://{shop}/admin/… to {origin}/sandbox/shopify/{shop}/admin/…
//
//   POST /:shop/admin/oauth/access_token          token exchange / refresh (as @shopify/shopify-api sends them)
//   POST /:shop/admin/api/:version/graphql.json   Admin GraphQL (X-Shopify-Access-Token required, else 401)
//   GET  /cdn/products/:handle.svg                placeholder product images
//   POST /control/throttle        { count, enforceBucket? }   next `count` GraphQL requests answer THROTTLED
//   POST /control/errors          { count, status }           next `count` GraphQL requests answer HTTP `status`
//   POST /control/events/:kind    store events → signed webhooks to the app (see events.ts)
//   POST /control/compliance/:kind customers-data-request | customers-redact | shop-redact | app-uninstalled
//   POST /control/reset           reseed the store (issued tokens survive)
//   GET  /control/state           JSON summary of the store; GET /control/webhooks: recent deliveries

export interface ShopifySimulatorOptions {
  apiKey: string;
  apiSecret: string;
  /** Where the app listens; webhooks go to `${appUrl}/webhooks/${topic}`. */
  appUrl: string;
  dataFile?: string;
  now?: () => Date;
  shop?: string;
  /** Scopes granted to issued tokens (comma-separated, like SCOPES). */
  scopes?: string;
  /** X-Shopify-API-Version on webhooks. */
  apiVersion?: string;
}

export interface ShopifySimulatorControl {
  /** The next `count` Admin GraphQL requests answer THROTTLED. */
  throttle(count: number): void;
  /** Throttle for real when the cost bucket runs dry (off by default). */
  enforceCostBucket(enabled: boolean): void;
  /** The next `count` Admin GraphQL requests answer this HTTP status (500, 502, 503, 429…). */
  failRequests(count: number, status: number): void;
  runEvent(kind: StoreEventKind, body?: unknown): Promise<StoreEventResult>;
  runCompliance(kind: ComplianceEventKind, body?: unknown): Promise<StoreEventResult>;
  state(): ReturnType<typeof summarizeStore>;
  reset(): void;
  readonly deliveries: readonly WebhookDelivery[];
}

export interface ShopifySimulator {
  router: express.Router;
  store: ShopifyStore;
  emitWebhook(topic: string, payload: unknown, options?: EmitOptions): Promise<WebhookDelivery>;
  control: ShopifySimulatorControl;
  /** Writes pending state to the data file. */
  close(): Promise<void>;
}

export const DEFAULT_SCOPES =
  "read_customers,write_customers,read_orders,read_fulfillments,read_products,read_inventory,read_discounts,write_discounts,read_checkouts,write_pixels,read_customer_events";

const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";
const STATUS_TEXT: Record<number, string> = {
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

type AsyncHandler = (req: Request, res: Response) => Promise<void>;
const asyncRoute = (handler: AsyncHandler) => (req: Request, res: Response, next: NextFunction) => {
  handler(req, res).catch(next);
};

export function createShopifySimulator(options: ShopifySimulatorOptions): ShopifySimulator {
  const shopDomain = options.shop ?? DEFAULT_SHOP_DOMAIN;
  const store = new ShopifyStore({ dataFile: options.dataFile, now: options.now, shopDomain });
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const emitter = createWebhookEmitter({
    appUrl: options.appUrl,
    apiSecret: options.apiSecret,
    shop: shopDomain,
    apiVersion: options.apiVersion,
    now: store.now,
  });
  const bucket = new ThrottleBucket();
  let pendingThrottles = 0;
  let enforceBucket = false;
  let pendingFailures: { count: number; status: number } = { count: 0, status: 500 };
  // Images are linked from the origin the app reached us on, so they load wherever the app runs.
  let imageBase = `${options.appUrl.replace(/\/$/, "")}/sandbox/shopify/cdn/products`;
  const imageUrl = (handle: string) => `${imageBase}/${handle}.svg`;
  const deps = { store, emitter, imageUrl };

  const control: ShopifySimulatorControl = {
    throttle: (count) => {
      pendingThrottles = Math.max(0, Math.floor(count));
    },
    enforceCostBucket: (enabled) => {
      enforceBucket = enabled;
    },
    failRequests: (count, status) => {
      pendingFailures = { count: Math.max(0, Math.floor(count)), status };
    },
    runEvent: (kind, body) => runStoreEvent(kind, body, deps),
    runCompliance: (kind, body) => runComplianceEvent(kind, body, deps),
    state: () => summarizeStore(store, { deliveries: emitter.deliveries, pendingThrottles }),
    reset: () => store.reset(),
    get deliveries() {
      return emitter.deliveries;
    },
  };

  const router = express.Router();
  const json = express.json({ limit: "2mb" });
  const form = express.urlencoded({ extended: false });

  const knownShop = (req: Request, res: Response): boolean => {
    if (req.params.shop === shopDomain) return true;
    res.status(404).json({ errors: "Not Found" });
    return false;
  };

  router.post(
    "/:shop/admin/oauth/access_token",
    json,
    form,
    asyncRoute(async (req, res) => {
      if (!knownShop(req, res)) return;
      const params = (req.body ?? {}) as Record<string, unknown>;
      const result = await handleAccessTokenRequest(store, shopDomain, params, {
        apiKey: options.apiKey,
        apiSecret: options.apiSecret,
        scopes,
      });
      res.status(result.status).json(result.body);
    }),
  );

  router.post(
    "/:shop/admin/api/:version/graphql.json",
    json,
    express.text({ type: "application/graphql" }),
    asyncRoute(async (req, res) => {
      if (!knownShop(req, res)) return;
      const version = String(req.params.version);
      if (!/^(\d{4}-\d{2}|unstable)$/.test(version)) {
        res.status(404).json({ errors: "Not Found" });
        return;
      }
      res.set({ "X-Shopify-API-Version": version, "X-Request-Id": randomUUID() });
      const token = authenticateAccessToken(store, shopDomain, req.get("X-Shopify-Access-Token"));
      if (!token) {
        res.status(401).json({ errors: INVALID_TOKEN });
        return;
      }
      if (pendingFailures.count > 0) {
        pendingFailures.count -= 1;
        const status = pendingFailures.status;
        if (status === 429) res.set("Retry-After", "2.0");
        res.status(status).json({ errors: STATUS_TEXT[status] ?? "Error" });
        return;
      }
      const body: unknown = req.body;
      const request =
        typeof body === "string"
          ? { query: body }
          : (body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined);
      if (!request || typeof request.query !== "string" || request.query.trim() === "") {
        res.status(400).json({ errors: { query: "Required parameter missing or invalid" } });
        return;
      }
      imageBase = `${req.protocol}://${req.get("host")}${req.baseUrl}/cdn/products`;
      const forceThrottle = pendingThrottles > 0;
      if (forceThrottle) pendingThrottles -= 1;
      const response = await executeAdminGraphql(
        {
          query: request.query,
          variables: (request.variables ?? null) as Record<string, unknown> | null,
          operationName: typeof request.operationName === "string" ? request.operationName : null,
        },
        { store, scopes: parseScopes(token.scope), imageBaseUrl: imageBase, bucket, forceThrottle, enforceBucket },
      );
      res.status(200).json(response);
    }),
  );

  router.get("/cdn/products/:handle.svg", (req, res) => {
    const product = store.products.find((p) => p.handle === req.params.handle);
    if (!product) {
      res.status(404).end();
      return;
    }
    res.type("image/svg+xml").set("Cache-Control", "public, max-age=3600").send(renderProductImage(product));
  });

  // ---- control API -------------------------------------------------------------------------------------------

  router.post("/control/throttle", json, (req, res) => {
    const body = (req.body ?? {}) as { count?: unknown; enforceBucket?: unknown };
    const count = Number(body.count ?? 1);
    if (!Number.isInteger(count) || count < 0) {
      res.status(400).json({ error: "count must be a non-negative integer" });
      return;
    }
    control.throttle(count);
    if (typeof body.enforceBucket === "boolean") control.enforceCostBucket(body.enforceBucket);
    res.json({ pendingThrottles, enforceBucket });
  });

  router.post("/control/errors", json, (req, res) => {
    const body = (req.body ?? {}) as { count?: unknown; status?: unknown };
    const count = Number(body.count ?? 1);
    const status = Number(body.status ?? 500);
    if (!Number.isInteger(count) || count < 0 || !Number.isInteger(status) || status < 400 || status > 599) {
      res.status(400).json({ error: "count must be a non-negative integer and status an HTTP error status" });
      return;
    }
    control.failRequests(count, status);
    res.json({ pendingFailures });
  });

  router.post(
    "/control/events/:kind",
    json,
    asyncRoute(async (req, res) => {
      const kind = req.params.kind as StoreEventKind;
      if (!STORE_EVENT_KINDS.includes(kind)) {
        res.status(404).json({ error: `Unknown event kind. Known: ${STORE_EVENT_KINDS.join(", ")}` });
        return;
      }
      res.json(await control.runEvent(kind, req.body));
    }),
  );

  router.post(
    "/control/compliance/:kind",
    json,
    asyncRoute(async (req, res) => {
      const kind = req.params.kind as ComplianceEventKind;
      if (!COMPLIANCE_EVENT_KINDS.includes(kind)) {
        res.status(404).json({ error: `Unknown compliance topic. Known: ${COMPLIANCE_EVENT_KINDS.join(", ")}` });
        return;
      }
      res.json(await control.runCompliance(kind, req.body));
    }),
  );

  router.post("/control/reset", (_req, res) => {
    control.reset();
    res.json({ ok: true, revision: store.revision });
  });

  router.get("/control/state", (_req, res) => {
    res.json(control.state());
  });

  router.get("/control/webhooks", (_req, res) => {
    res.json({ deliveries: emitter.deliveries });
  });

  // Errors from the handlers above: bad input is the caller's, anything else is a bug in the simulator.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof StoreError) {
      res.status(error.code === "NOT_FOUND" ? 404 : 422).json({ error: error.message });
    } else if (error instanceof EventInputError) {
      res.status(400).json({ error: error.message });
    } else if (error instanceof SyntaxError && "body" in error) {
      res.status(400).json({ errors: "Invalid JSON in request body" });
    } else {
      res.status(500).json({ errors: "Internal Server Error", detail: (error as Error).message });
    }
  });

  return {
    router,
    store,
    emitWebhook: (topic, payload, emitOptions) => emitter.emit(topic, payload, emitOptions),
    control,
    close: () => store.flush(),
  };
}
