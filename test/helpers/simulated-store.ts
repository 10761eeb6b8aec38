import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { AdminGraphql } from "~/adapters/shopify/customer-consent.server";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { installShopifyFetchSeam } from "~/sandbox/shopify/fetch-seam";
import { ID_TOKEN_TYPE, OFFLINE_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from "~/sandbox/shopify/oauth";
import { createShopifySimulator, type ShopifySimulator } from "~/sandbox/shopify/router";
import { unauthenticated } from "~/shopify.server";
import { createSession, createShop } from "./factories";
import { TEST_APP_URL, TEST_SHOPIFY_API_KEY, TEST_SHOPIFY_API_SECRET } from "./test-env";

// A test's own simulated Shopify store, reached by the app's real Admin client through the fetch seam: an express
// server with the simulator mounted (plus whatever routes the test adds, e.g. a webhook receiver), and the shop
// installed — its offline token from the store's own token exchange in session storage — unless told otherwise.

export interface SimulatedStore {
  simulator: ShopifySimulator;
  origin: string;
  /** The shop's Admin GraphQL client as the app gets it (`unauthenticated.admin`). */
  admin: AdminGraphql;
  stop(): Promise<void>;
}

export async function startSimulatedStore(options: {
  shop: string;
  /** Routes mounted after the simulator (webhook receivers); anything else answers 404. */
  routes?: (app: express.Express) => void;
  /** The Shopify user whose session token is exchanged (default 1). */
  userId?: number;
  /** The Shop row's name (default "Acme Outfitters"); `existingShop` when the test created the Shop row already. */
  shopName?: string;
  existingShop?: boolean;
}): Promise<SimulatedStore> {
  const { shop } = options;
  const mounted: { simulator?: ShopifySimulator } = {}; // the simulator needs the server's origin first
  const app = express();
  app.use("/sandbox/shopify", (req, res, next) => mounted.simulator!.router(req, res, next));
  options.routes?.(app);
  app.use((_req, res) => res.status(404).end());
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const simulator = createShopifySimulator({
    apiKey: TEST_SHOPIFY_API_KEY,
    apiSecret: TEST_SHOPIFY_API_SECRET,
    appUrl: origin,
    shop,
  });
  mounted.simulator = simulator;
  const restoreFetch = installShopifyFetchSeam(origin);

  if (!options.existingShop) await createShop({ id: shop, name: options.shopName ?? "Acme Outfitters" });
  const idToken = await mintSessionToken({
    shop,
    apiKey: TEST_SHOPIFY_API_KEY,
    apiSecret: TEST_SHOPIFY_API_SECRET,
    userId: options.userId ?? 1,
  });
  const exchange = await fetch(`${origin}/sandbox/shopify/${shop}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      client_id: TEST_SHOPIFY_API_KEY,
      client_secret: TEST_SHOPIFY_API_SECRET,
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: idToken,
      subject_token_type: ID_TOKEN_TYPE,
      requested_token_type: OFFLINE_TOKEN_TYPE,
    }),
  });
  const token = (await exchange.json()) as { access_token: string; scope: string };
  await createSession(shop, { accessToken: token.access_token, scope: token.scope });
  const admin = (await unauthenticated.admin(shop)).admin;

  return {
    simulator,
    origin,
    admin,
    async stop() {
      restoreFetch();
      await simulator.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type WebhookRoute = {
  action: (args: {
    request: Request;
    params: Record<string, string>;
    context: Record<string, unknown>;
  }) => Promise<Response>;
};

/**
 * Mounts Parley's Shopify webhook route modules on the store's server (`routes` option), keyed by topic, so the
 * store's signed deliveries reach them over HTTP as Shopify's would: `{ "products/update": productsUpdate }`.
 */
export function mountWebhookRoutes(app: express.Express, routes: Record<string, WebhookRoute>) {
  app.post("/webhooks/*", express.raw({ type: "*/*" }), async (req, res) => {
    const topic = req.path.replace(/^\/webhooks\//, "");
    const route = routes[topic];
    if (!route) return void res.status(404).end();
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const request = new Request(`${TEST_APP_URL}${req.originalUrl}`, {
      method: "POST",
      headers,
      body: (req.body as Buffer).toString("utf8"),
    });
    const response = await route.action({ request, params: {}, context: {} });
    res.status(response.status).end();
  });
}
