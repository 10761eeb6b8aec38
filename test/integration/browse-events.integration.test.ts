import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { AdminGraphql } from "~/adapters/shopify/customer-consent.server";
import { prisma } from "~/db.server";
import { MAX_PIXEL_BODY_BYTES } from "~/domain/browse-events";
import { action, loader } from "~/routes/pixel.events";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { installShopifyFetchSeam } from "~/sandbox/shopify/fetch-seam";
import { ID_TOKEN_TYPE, OFFLINE_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from "~/sandbox/shopify/oauth";
import { createShopifySimulator, type ShopifySimulator } from "~/sandbox/shopify/router";
import {
  ensurePixelToken,
  pixelRateLimit,
  registerWebPixel,
  rotatePixelToken,
  sweepBrowseRetention,
} from "~/services/browse-events.server";
import { loadStoreContext } from "~/services/inbox/store-context.server";
import { unauthenticated } from "~/shopify.server";
import {
  type PixelApi,
  type PixelPayloadEvent,
  type ProductViewed,
  startPixel,
} from "../../extensions/parley-pixel/src/pixel";
import {
  createBrowseEvent,
  createContact,
  createConversationWithMessages,
  createSession,
  createShop,
} from "../helpers/factories";
import { TEST_APP_URL, TEST_SHOPIFY_API_KEY, TEST_SHOPIFY_API_SECRET } from "../helpers/test-env";

// The storefront pixel's events reaching Parley: the real pixel code (extensions/parley-pixel/src/pixel.ts) driven
// with Shopify-shaped events, posting to the real route action, storing into PostgreSQL; then retention, the
// inbox sidebar, and the pixel's registration through the simulated store's Admin API.

const STOREFRONT = "https://acme-outfitters.example";
const DAY = 86_400_000;
/** A time `minutes` before the start of this file's run, as the pixel reports it. */
const START = Date.now() - DAY;
const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString();

let shopA: string;
let shopB: string;
let tokenA: string;
let tokenB: string;

beforeAll(async () => {
  shopA = (await createShop()).id;
  shopB = (await createShop()).id;
  tokenA = await ensurePixelToken(shopA);
  tokenB = await ensurePixelToken(shopB);
});

beforeEach(() => pixelRateLimit.clear());

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────────

type Answer = { status: number; body: Record<string, unknown> | null; headers: Headers };

async function post(body: unknown, init: { raw?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const request = new Request(`${TEST_APP_URL}/pixel/events`, {
    method: "POST",
    headers: { "Content-Type": "text/plain;charset=UTF-8", Origin: STOREFRONT, ...init.headers },
    body: init.raw ?? JSON.stringify(body),
  });
  const response = (await action({ request, params: {}, context: {} })) as Response;
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

let sequence = 0;
const event = (overrides: Partial<PixelPayloadEvent> = {}): PixelPayloadEvent => ({
  name: "product_viewed",
  id: `evt-${++sequence}-${Math.random().toString(36).slice(2)}`,
  timestamp: new Date(Date.now() - 60_000).toISOString(),
  productId: "7001",
  variantId: "9001",
  title: "Canvas Tote",
  url: `${STOREFRONT}/products/canvas-tote`,
  ...overrides,
});

const rowsOf = (shopId: string) => prisma.browseEvent.findMany({ where: { shopId }, orderBy: { occurredAt: "asc" } });
const countOf = (shopId: string) => prisma.browseEvent.count({ where: { shopId } });

/** The pixel, as Shopify runs it, with its sends answered by the route action. */
function runPixel(settings: Record<string, unknown>, customerId: string | null) {
  const subscribers = new Map<string, (event: unknown) => void>();
  const answers: Promise<Answer>[] = [];
  const timers: Array<() => void> = [];
  const api: PixelApi = {
    settings,
    analytics: { subscribe: (name, callback) => subscribers.set(name, callback as (event: unknown) => void) },
    browser: {}, // no sendBeacon: the keep-alive fetch path
    init: { data: { customer: customerId ? { id: customerId } : null } },
  };
  startPixel(api, {
    setTimeout: (fn) => timers.push(fn),
    fetch: (async (url: string, init: RequestInit) => {
      expect(url).toBe(settings.ingestUrl);
      const answer = post(null, { raw: String(init.body) });
      answers.push(answer);
      return new Response(null);
    }) as unknown as typeof fetch,
  });
  return {
    emit: (name: string, event: unknown) => subscribers.get(name)!(event),
    /** Fires the pending flush timers and waits for every request to be answered. */
    settle: async () => {
      timers.splice(0).forEach((fn) => fn());
      return Promise.all(answers.splice(0));
    },
  };
}

const page = (href: string) => ({ document: { location: { href } } });
const variant = (productId: string, variantId: string, title: string) => ({
  id: variantId,
  title: "Default",
  product: { id: productId, title, url: `/products/${title.toLowerCase().replace(/ /g, "-")}` },
});

// ─── ingest ───────────────────────────────────────────────────────────────────────────────────────

describe("POST /pixel/events", () => {
  test("the pixel's events become browse events linked by customer id and by checkout phone", async () => {
    const byCustomer = await createContact(shopA, { shopifyCustomerId: "gid://shopify/Customer/4242" });
    const byPhone = await createContact(shopA, { phoneE164: "+12125550147" });
    const settings = { accountID: tokenA, ingestUrl: `${TEST_APP_URL}/pixel/events` };

    // A logged-in shopper browses: two views and an add-to-cart, batched into one request.
    const loggedIn = runPixel(settings, "4242");
    const viewed: ProductViewed = {
      id: "sh-view-1",
      name: "product_viewed",
      timestamp: at(0),
      context: page(`${STOREFRONT}/products/canvas-tote?variant=9001`),
      data: { productVariant: variant("7001", "9001", "Canvas Tote") },
    };
    loggedIn.emit("product_viewed", viewed);
    loggedIn.emit("product_viewed", {
      ...viewed,
      id: "sh-view-2",
      timestamp: at(1),
      data: { productVariant: variant("7002", "9002", "Wool Beanie") },
    });
    loggedIn.emit("product_added_to_cart", {
      id: "sh-cart-1",
      name: "product_added_to_cart",
      timestamp: at(2),
      context: page(`${STOREFRONT}/products/wool-beanie`),
      data: { cartLine: { merchandise: variant("7002", "9002", "Wool Beanie"), quantity: 1 } },
    });
    const batched = await loggedIn.settle();
    expect(batched.map((a) => [a.status, a.body])).toEqual([[200, { received: 3, stored: 3 }]]);

    // A guest checks out, typing the phone nationally; the completed checkout has it on the shipping address.
    const guest = runPixel(settings, null);
    const checkout = (phone: string | null, shippingPhone: string | null) => ({
      phone,
      shippingAddress: { phone: shippingPhone, countryCode: "US" },
      billingAddress: null,
      order: null,
    });
    guest.emit("checkout_started", {
      id: "sh-co-1",
      name: "checkout_started",
      timestamp: at(60),
      context: page(`${STOREFRONT}/checkouts/cn/secret-token`),
      data: { checkout: checkout("(212) 555-0147", null) },
    });
    guest.emit("checkout_completed", {
      id: "sh-co-2",
      name: "checkout_completed",
      timestamp: at(65),
      context: page(`${STOREFRONT}/checkouts/cn/secret-token/thank-you`),
      data: { checkout: checkout(null, "+1 212.555.0147") },
    });
    const immediate = await guest.settle();
    expect(immediate.map((a) => a.status)).toEqual([200, 200]); // checkout events are sent at once, one each

    const rows = await rowsOf(shopA);
    expect(rows.map((r) => [r.eventName, r.eventId, r.contactId])).toEqual([
      ["product_viewed", "sh-view-1", byCustomer.id],
      ["product_viewed", "sh-view-2", byCustomer.id],
      ["product_added_to_cart", "sh-cart-1", byCustomer.id],
      ["checkout_started", "sh-co-1", byPhone.id],
      ["checkout_completed", "sh-co-2", byPhone.id],
    ]);
    expect(rows[0]).toMatchObject({
      shopifyCustomerId: "gid://shopify/Customer/4242",
      productId: "gid://shopify/Product/7001",
      variantId: "gid://shopify/ProductVariant/9001",
      productTitle: "Canvas Tote",
      url: `${STOREFRONT}/products/canvas-tote`,
      occurredAt: new Date(at(0)),
    });
    // Checkout URLs carry the checkout token: never stored.
    expect(rows[3]).toMatchObject({ productId: null, url: null, shopifyCustomerId: null });
    expect(await countOf(shopB)).toBe(0);
  });

  test("a replayed request stores nothing twice", async () => {
    const events = [event(), event({ name: "product_added_to_cart" })];
    const before = await countOf(shopA);
    expect((await post({ accountID: tokenA, events })).body).toEqual({ received: 2, stored: 2 });
    expect((await post({ accountID: tokenA, events })).body).toEqual({ received: 2, stored: 0 });
    // …also when replayed one at a time and concurrently.
    const answers = await Promise.all(events.map((e) => post({ accountID: tokenA, events: [e] })));
    expect(answers.map((a) => a.body?.stored)).toEqual([0, 0]);
    expect(await countOf(shopA)).toBe(before + 2);
  });

  test("an unknown, missing or rotated token is 401 and stores nothing", async () => {
    const before = await countOf(shopA);
    expect((await post({ accountID: "not-a-token", events: [event()] })).status).toBe(401);
    expect((await post({ events: [event()] })).status).toBe(401);
    const shop = await createShop();
    const old = await ensurePixelToken(shop.id);
    const fresh = await rotatePixelToken(shop.id);
    expect(fresh).not.toBe(old);
    expect((await post({ accountID: old, events: [event()] })).status).toBe(401);
    expect((await post({ accountID: fresh, events: [event()] })).status).toBe(200);
    expect(await countOf(shopA)).toBe(before);
    // An uninstalled shop's pixel may still fire until Shopify removes it: nothing is stored for it.
    await prisma.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
    expect((await post({ accountID: fresh, events: [event()] })).status).toBe(401);
    expect(await countOf(shop.id)).toBe(1);
  });

  test.each([
    ["not JSON", { raw: "{nope" }, "body is not JSON"],
    ["a bad timestamp", { body: [event({ timestamp: "yesterday" })] }, /^events\.0\.timestamp: /],
    ["an event the pixel does not send", { body: [event({ name: "page_viewed" as never })] }, /^events\.0\.name: /],
    ["no events", { body: [] }, /^events: /],
    ["too many events", { body: Array.from({ length: 26 }, () => event()) }, /^events: /],
  ])("a malformed body (%s) is 400 with the reason, nothing stored", async (_name, input, reason) => {
    const before = await countOf(shopA);
    const answer =
      "raw" in input
        ? await post(null, { raw: input.raw })
        : await post({ accountID: tokenA, events: (input as { body: unknown[] }).body });
    expect(answer.status).toBe(400);
    expect(String(answer.body?.error)).toMatch(reason);
    expect(await countOf(shopA)).toBe(before);
  });

  test("a body over 16 kB is 413, whether or not it declares its length", async () => {
    const before = await countOf(shopA);
    const big = JSON.stringify({ accountID: tokenA, events: [event({ title: "x".repeat(MAX_PIXEL_BODY_BYTES) })] });
    expect((await post(null, { raw: big })).status).toBe(413);
    // A stream with no Content-Length is cut off as soon as it passes the limit.
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1024) controller.enqueue(bytes.slice(i, i + 1024));
        controller.close();
      },
    });
    const request = new Request(`${TEST_APP_URL}/pixel/events`, {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(((await action({ request, params: {}, context: {} })) as Response).status).toBe(413);
    expect(await countOf(shopA)).toBe(before);
  });

  test("a flood on one token is 429 without touching the others", async () => {
    while (pixelRateLimit.take(tokenA));
    const limited = await post({ accountID: tokenA, events: [event()] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("1");
    expect((await post({ accountID: tokenB, events: [event()] })).status).toBe(200);
  });

  test("answers any storefront origin (CORS) and its preflight", async () => {
    const answer = await post({ accountID: tokenA, events: [event()] });
    expect(answer.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const preflight = (await loader({
      request: new Request(`${TEST_APP_URL}/pixel/events`, { method: "OPTIONS", headers: { Origin: STOREFRONT } }),
      params: {},
      context: {},
    })) as Response;
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    expect(preflight.headers.get("Access-Control-Allow-Headers")).toContain("Content-Type");
  });

  test("tenant isolation: a shop's token writes only its own events and links only its own contacts", async () => {
    const gid = "gid://shopify/Customer/777";
    const phone = "+13055550123";
    const contactInB = await createContact(shopB, { shopifyCustomerId: gid, phoneE164: phone });
    const shared = event({ customerId: "777" });
    const checkout = event({ name: "checkout_started", phone: "305-555-0123", countryCode: "US" });

    expect((await post({ accountID: tokenA, events: [shared, checkout] })).body).toEqual({ received: 2, stored: 2 });
    const inA = await prisma.browseEvent.findMany({ where: { eventId: { in: [shared.id, checkout.id] } } });
    expect(inA.map((r) => [r.shopId, r.contactId])).toEqual([
      [shopA, null],
      [shopA, null],
    ]);
    expect(await prisma.browseEvent.count({ where: { contactId: contactInB.id } })).toBe(0);

    // The same pixel event id in shop B is shop B's own event (ids are unique per shop, not globally).
    expect((await post({ accountID: tokenB, events: [shared] })).body).toEqual({ received: 1, stored: 1 });
    const inB = await prisma.browseEvent.findFirstOrThrow({ where: { shopId: shopB, eventId: shared.id } });
    expect(inB.contactId).toBe(contactInB.id);
  });

  test("events already past the shop's retention are not stored", async () => {
    const shop = await createShop();
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { browseRetentionDays: 7 } });
    const token = await ensurePixelToken(shop.id);
    const old = event({ timestamp: new Date(Date.now() - 8 * DAY).toISOString() });
    const recent = event({ timestamp: new Date(Date.now() - 6 * DAY).toISOString() });
    expect((await post({ accountID: token, events: [old, recent] })).body).toEqual({ received: 2, stored: 1 });
    expect((await rowsOf(shop.id)).map((r) => r.eventId)).toEqual([recent.id]);
  });
});

// ─── retention ────────────────────────────────────────────────────────────────────────────────────

describe("retention sweep", () => {
  test("deletes each shop's events older than its own setting, in bounded batches, and nothing else", async () => {
    const short = await createShop();
    const long = await createShop();
    await prisma.shopSettings.update({ where: { shopId: short.id }, data: { browseRetentionDays: 30 } });
    const now = new Date();
    const ages = [1, 29, 31, 45, 120, 200];
    for (const shop of [short, long]) {
      for (const days of ages) {
        await createBrowseEvent(shop.id, {
          occurredAt: new Date(now.getTime() - days * DAY),
          productTitle: `${days}d`,
        });
      }
    }
    const othersBefore = await countOf(shopA);

    const result = await sweepBrowseRetention({ now, batchRows: 2, shopId: short.id });
    expect(result).toEqual({ shops: 1, deleted: 4 }); // two full batches, then one short
    expect((await rowsOf(short.id)).map((r) => r.productTitle)).toEqual(
      ["200d", "120d", "45d", "31d", "29d", "1d"].slice(4),
    );
    expect(await countOf(long.id)).toBe(ages.length);

    // The default 90 days, across every shop.
    const all = await sweepBrowseRetention({ now, batchRows: 2 });
    expect(all.deleted).toBe(2);
    expect((await rowsOf(long.id)).map((r) => r.productTitle)).toEqual(["45d", "31d", "29d", "1d"]);
    expect(await countOf(shopA)).toBe(othersBefore); // A's events are all recent
  });

  test("stops after maxBatches; the next run goes on", async () => {
    const shop = await createShop();
    for (let i = 0; i < 5; i++) await createBrowseEvent(shop.id, { occurredAt: new Date(Date.now() - 100 * DAY) });
    expect((await sweepBrowseRetention({ shopId: shop.id, batchRows: 2, maxBatches: 1 })).deleted).toBe(2);
    expect((await sweepBrowseRetention({ shopId: shop.id, batchRows: 2 })).deleted).toBe(3);
    expect(await countOf(shop.id)).toBe(0);
  });
});

// ─── the inbox sidebar ────────────────────────────────────────────────────────────────────────────

test("the inbox sidebar shows the products a linked shopper viewed, also those seen before the link", async () => {
  const shop = await createShop();
  const token = await ensurePixelToken(shop.id);
  // Viewed while logged in, before Parley had a contact for this customer…
  await post({
    accountID: token,
    events: [
      event({
        customerId: "5150",
        productId: "8001",
        title: "Rain Jacket",
        timestamp: new Date(Date.now() - 3 * DAY).toISOString(),
      }),
      event({
        customerId: "5150",
        productId: "8002",
        title: "Trail Socks",
        timestamp: new Date(Date.now() - 2 * DAY).toISOString(),
      }),
    ],
  });
  // …then the shopper texts the store and the contact is linked to the customer.
  const contact = await createContact(shop.id, { shopifyCustomerId: "gid://shopify/Customer/5150" });
  const { conversation } = await createConversationWithMessages(shop.id, contact.id);
  const offline: AdminGraphql = {
    graphql: async () => {
      throw new Error("fetch failed");
    },
  };
  const result = await loadStoreContext(
    { admin: offline, shopId: shop.id, conversationId: conversation.id },
    { now: Date.now, sleep: async () => {} },
  );
  if (!result.ok) throw new Error(result.error);
  expect(result.context.recentlyViewed.map((p) => [p.title, p.productId])).toEqual([
    ["Trail Socks", "gid://shopify/Product/8002"],
    ["Rain Jacket", "gid://shopify/Product/8001"],
  ]);
});

// ─── registration through the Admin API ───────────────────────────────────────────────────────────

describe("registerWebPixel (simulated store)", () => {
  const SHOP = "parley-demo.myshopify.com";
  let simulator: ShopifySimulator;
  let server: Server;
  let restoreFetch: () => void;
  let origin: string;

  beforeAll(async () => {
    const app = express();
    app.use("/sandbox/shopify", (req, res, next) => simulator.router(req, res, next));
    app.use((_req, res) => res.status(404).end());
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    restoreFetch = installShopifyFetchSeam(origin);
    await createShop({ id: SHOP, name: "Acme Outfitters" });
  });

  afterAll(async () => {
    restoreFetch?.();
    await simulator?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function adminWithScopes(scopes: string): Promise<AdminGraphql> {
    await simulator?.close();
    simulator = createShopifySimulator({
      apiKey: TEST_SHOPIFY_API_KEY,
      apiSecret: TEST_SHOPIFY_API_SECRET,
      appUrl: origin,
      shop: SHOP,
      scopes,
    });
    const exchange = await fetch(`${origin}/sandbox/shopify/${SHOP}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_id: TEST_SHOPIFY_API_KEY,
        client_secret: TEST_SHOPIFY_API_SECRET,
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: await mintSessionToken({
          shop: SHOP,
          apiKey: TEST_SHOPIFY_API_KEY,
          apiSecret: TEST_SHOPIFY_API_SECRET,
          userId: 1,
        }),
        subject_token_type: ID_TOKEN_TYPE,
        requested_token_type: OFFLINE_TOKEN_TYPE,
      }),
    });
    const token = (await exchange.json()) as { access_token: string; scope: string };
    await prisma.session.deleteMany({ where: { shop: SHOP } });
    await createSession(SHOP, { accessToken: token.access_token, scope: token.scope });
    return (await unauthenticated.admin(SHOP)).admin;
  }

  test("creates the pixel with the shop's token, leaves it alone when current, updates it after a rotation", async () => {
    const admin = await adminWithScopes("read_customers,write_pixels,read_customer_events");
    const created = await registerWebPixel(admin, SHOP, TEST_APP_URL);
    expect(created).toMatchObject({ ok: true, action: "created" });
    const token = await ensurePixelToken(SHOP);
    expect(JSON.parse(simulator.store.state.webPixel!.settings)).toEqual({
      accountID: token,
      ingestUrl: `${TEST_APP_URL}/pixel/events`,
    });

    expect(await registerWebPixel(admin, SHOP, TEST_APP_URL)).toMatchObject({ ok: true, action: "unchanged" });

    const rotated = await rotatePixelToken(SHOP);
    expect(await registerWebPixel(admin, SHOP, TEST_APP_URL)).toMatchObject({ ok: true, action: "updated" });
    expect(JSON.parse(simulator.store.state.webPixel!.settings).accountID).toBe(rotated);
  });

  test("without the pixel scopes it reports the refusal instead of throwing", async () => {
    const admin = await adminWithScopes("read_customers");
    const result = await registerWebPixel(admin, SHOP, TEST_APP_URL);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toMatch(/ACCESS_DENIED|Access denied/);
    expect(simulator.store.state.webPixel ?? null).toBeNull();
  });
});
