import { createHmac, randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import * as catchAll from "~/routes/webhooks.$";
import * as scopesUpdateRoute from "~/routes/webhooks.app.scopes_update";
import * as uninstalledRoute from "~/routes/webhooks.app.uninstalled";
import * as dataRequestRoute from "~/routes/webhooks.customers.data_request";
import * as customerRedactRoute from "~/routes/webhooks.customers.redact";
import * as shopRedactRoute from "~/routes/webhooks.shop.redact";
import { receiveShopifyWebhook } from "~/services/webhooks/receive.server";
import {
  createBrowseEvent,
  createContact,
  createConversationWithMessages,
  createProviderEvent,
  createSession,
  createShop,
  createShopperWithHistory,
  fakeShopDomain,
} from "../helpers/factories";
import { TEST_APP_URL, TEST_SHOPIFY_API_SECRET } from "../helpers/test-env";

// Real route modules, real Requests signed the way Shopify signs them, a real database per file.

interface DataReport {
  counts: Record<string, number>;
  contacts: Array<{ id: string; phoneE164: string }>;
  messages: Array<{ body: string }>;
  consentEvents: Array<Record<string, unknown>>;
  notes: Array<{ body: string }>;
  ordersRequested: string[];
}
const asReport = (value: unknown) => value as DataReport;

type Route = { action: (args: ActionFunctionArgs) => Promise<Response> | Response };

interface Delivery {
  topic: string;
  shop: string;
  body: unknown;
  eventId?: string | null;
  webhookId?: string;
  secret?: string;
  method?: string;
  path?: string;
}

function shopifyRequest({
  topic,
  shop,
  body,
  eventId,
  webhookId,
  secret = TEST_SHOPIFY_API_SECRET,
  method = "POST",
  path,
}: Delivery) {
  const raw = JSON.stringify(body);
  const headers = new Headers({
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(raw, "utf8").digest("base64"),
    "X-Shopify-Webhook-Id": webhookId ?? randomUUID(),
    "X-Shopify-API-Version": "2025-10",
    "X-Shopify-Triggered-At": new Date().toISOString(),
  });
  if (eventId !== null) headers.set("X-Shopify-Event-Id", eventId ?? randomUUID());
  return new Request(`${TEST_APP_URL}${path ?? `/webhooks/${topic}`}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : raw,
  });
}

async function deliver(route: Route, delivery: Delivery, params: Record<string, string> = {}) {
  return route.action({ request: shopifyRequest(delivery), params, context: {} });
}

const shopPayload = (shop: string) => ({
  id: 1,
  name: "Acme",
  domain: shop,
  myshopify_domain: shop,
  email: "owner@example.com",
});
const customerPayload = (
  shop: string,
  customer: { id: number; phone?: string | null; email?: string | null },
  extra: object = {},
) => ({
  shop_id: 954889,
  shop_domain: shop,
  customer: { email: null, phone: null, ...customer },
  ...extra,
});

/** Every row of every table these webhooks can touch, for "nothing was written" checks. */
async function snapshot(shopId?: string) {
  const byShop = shopId ? { shopId } : {};
  return JSON.parse(
    JSON.stringify(
      {
        shops: await prisma.shop.findMany({ where: shopId ? { id: shopId } : {}, orderBy: { id: "asc" } }),
        settings: await prisma.shopSettings.findMany({ where: byShop, orderBy: { shopId: "asc" } }),
        sessions: await prisma.session.findMany({ where: shopId ? { shop: shopId } : {}, orderBy: { id: "asc" } }),
        contacts: await prisma.contact.findMany({ where: byShop, orderBy: { id: "asc" } }),
        consentEvents: await prisma.consentEvent.findMany({ where: byShop, orderBy: { id: "asc" } }),
        consentStates: await prisma.consentState.findMany({
          where: byShop,
          orderBy: [{ contactId: "asc" }, { purpose: "asc" }],
        }),
        conversations: await prisma.conversation.findMany({ where: byShop, orderBy: { id: "asc" } }),
        messages: await prisma.message.findMany({ where: byShop, orderBy: { id: "asc" } }),
        notes: await prisma.note.findMany({ where: byShop, orderBy: { id: "asc" } }),
        discounts: await prisma.discountIssued.findMany({ where: byShop, orderBy: { id: "asc" } }),
        browseEvents: await prisma.browseEvent.findMany({ where: byShop, orderBy: { id: "asc" } }),
        providerEvents: await prisma.providerEvent.findMany({ where: byShop, orderBy: { id: "asc" } }),
        deliveries: await prisma.webhookDelivery.findMany({ where: byShop, orderBy: { id: "asc" } }),
        privacyRequests: await prisma.privacyRequest.findMany({ where: byShop, orderBy: { id: "asc" } }),
      },
      (_key, value) => (typeof value === "bigint" ? value.toString() : value),
    ),
  );
}

/** Two shops with shoppers, sessions and queued work: `a` is the one the webhooks are about, `b` must survive. */
async function seedTwoShops() {
  const a = await createShop();
  const b = await createShop();
  await createSession(a.id);
  await createSession(a.id, { isOnline: true, userId: 42n, email: "staff@example.com" });
  await createSession(b.id);
  const customerId = 7001;
  const gid = `gid://shopify/Customer/${customerId}`;
  const phone = "+12125550142";
  // In shop A the customer exists twice: once linked to Shopify, once only by phone (texted in before checkout).
  const linked = await createShopperWithHistory(a.id, {
    shopifyCustomerId: gid,
    email: "pat@example.com",
    firstName: "Pat",
  });
  const byPhone = await createShopperWithHistory(a.id, { phoneE164: phone, firstName: "Pat" });
  const anonymousBrowse = await createBrowseEvent(a.id, { shopifyCustomerId: gid });
  const bystander = await createShopperWithHistory(a.id, { firstName: "Sam" });
  await createConversationWithMessages(a.id, bystander.contact.id, [
    { direction: "OUTBOUND", authorKind: "AUTOMATION", purpose: "MARKETING", body: "New arrivals!", status: "QUEUED" },
    { direction: "OUTBOUND", authorKind: "AUTOMATION", purpose: "MARKETING", body: "Sale ends soon", status: "HELD" },
  ]);
  const phoneEvent = await createProviderEvent(a.id, {
    data: { payload: { from: { phone_number: phone }, text: "hi" } },
  });
  const otherEvent = await createProviderEvent(a.id, {
    data: { payload: { from: { phone_number: bystander.contact.phoneE164 } } },
  });
  // Shop B has a contact with the same phone and even the same customer id: nothing about B may change.
  const twin = await createShopperWithHistory(b.id, { phoneE164: phone, shopifyCustomerId: gid });
  await createConversationWithMessages(b.id, twin.contact.id, [
    { direction: "OUTBOUND", authorKind: "STAFF", body: "Queued in B", status: "QUEUED" },
  ]);
  await createProviderEvent(b.id, { data: { payload: { from: { phone_number: phone } } } });
  return { a, b, customerId, gid, phone, linked, byPhone, anonymousBrowse, bystander, phoneEvent, otherEvent, twin };
}

describe("Shopify webhooks: the receiver", () => {
  it("rejects an invalid HMAC with 401 and writes nothing", async () => {
    const { a } = await seedTwoShops();
    const before = await snapshot();
    const response = await deliver(uninstalledRoute, {
      topic: "app/uninstalled",
      shop: a.id,
      body: shopPayload(a.id),
      secret: "not-the-secret",
    });
    expect(response.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it("rejects a body tampered after signing with 401", async () => {
    const { a } = await seedTwoShops();
    const before = await snapshot();
    const request = shopifyRequest({ topic: "shop/redact", shop: a.id, body: { shop_domain: a.id } });
    const tampered = new Request(request.url, {
      method: "POST",
      headers: request.headers,
      body: JSON.stringify({ shop_domain: a.id, x: 1 }),
    });
    const response = await shopRedactRoute.action({ request: tampered, params: {}, context: {} });
    expect(response.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it("answers 405 to anything but POST", async () => {
    const shop = fakeShopDomain();
    const response = await deliver(uninstalledRoute, {
      topic: "app/uninstalled",
      shop,
      body: shopPayload(shop),
      method: "PUT",
    });
    expect(response.status).toBe(405);
  });

  it("answers 404 with no side effect when the topic is not the route's", async () => {
    const { a } = await seedTwoShops();
    const before = await snapshot();
    // A genuine, correctly signed shop/redact posted to the customers/redact route.
    const response = await deliver(customerRedactRoute, {
      topic: "shop/redact",
      shop: a.id,
      body: { shop_id: 1, shop_domain: a.id },
      path: "/webhooks/customers/redact",
    });
    expect(response.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 with no side effect for a topic Parley does not handle", async () => {
    const { a } = await seedTwoShops();
    const before = await snapshot();
    const response = await deliver(
      catchAll,
      { topic: "orders/create", shop: a.id, body: { id: 1 } },
      { "*": "orders/create" },
    );
    expect(response.status).toBe(404);
    expect(
      (await catchAll.loader({ request: new Request(`${TEST_APP_URL}/webhooks/x`), params: { "*": "x" }, context: {} }))
        .status,
    ).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a signed body replayed with another shop in the header (401, nothing written)", async () => {
    const { a, b } = await seedTwoShops();
    const before = await snapshot();
    const response = await deliver(shopRedactRoute, {
      topic: "shop/redact",
      shop: b.id,
      body: { shop_id: 1, shop_domain: a.id },
    });
    expect(response.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it("answers 400 to a payload the handler cannot use, and writes nothing", async () => {
    const { a } = await seedTwoShops();
    const before = await snapshot();
    const response = await deliver(customerRedactRoute, {
      topic: "customers/redact",
      shop: a.id,
      body: { shop_domain: a.id },
    });
    expect(response.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("applies the same delivery once: a second one answers 200 and has no effect", async () => {
    const { a } = await seedTwoShops();
    const eventId = randomUUID();
    const first = await deliver(uninstalledRoute, {
      topic: "app/uninstalled",
      shop: a.id,
      body: shopPayload(a.id),
      eventId,
    });
    expect(first.status).toBe(200);
    const { uninstalledAt } = await prisma.shop.findUniqueOrThrow({ where: { id: a.id } });

    // Work queued after the first delivery (say, by a reinstall) must not be cancelled by its replay.
    const contact = await createContact(a.id);
    const { messages } = await createConversationWithMessages(a.id, contact.id, [{ body: "later", status: "QUEUED" }]);
    await createSession(a.id);

    const again = await deliver(uninstalledRoute, {
      topic: "app/uninstalled",
      shop: a.id,
      body: shopPayload(a.id),
      eventId,
    });
    expect(again.status).toBe(200);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: messages[0].id } })).status).toBe("QUEUED");
    expect(await prisma.session.count({ where: { shop: a.id } })).toBe(1);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: a.id } })).uninstalledAt).toEqual(uninstalledAt);
    expect(await prisma.webhookDelivery.count({ where: { id: eventId } })).toBe(1);
  });

  it("dedupes on the webhook id when Shopify sends no event id", async () => {
    const shop = fakeShopDomain();
    const webhookId = randomUUID();
    const body = customerPayload(shop, { id: 1 }, { data_request: { id: 55 } });
    expect(
      (await deliver(dataRequestRoute, { topic: "customers/data_request", shop, body, webhookId, eventId: null }))
        .status,
    ).toBe(200);
    expect(
      (await deliver(dataRequestRoute, { topic: "customers/data_request", shop, body, webhookId, eventId: null }))
        .status,
    ).toBe(200);
    expect(await prisma.webhookDelivery.findMany({ where: { shopId: shop } })).toEqual([
      expect.objectContaining({ id: webhookId, topic: "customers/data_request" }),
    ]);
  });

  it("runs the handler once when the same delivery arrives twice at the same moment", async () => {
    const shop = await createShop();
    const eventId = randomUUID();
    let runs = 0;
    const slowHandler = async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 150));
    };
    const request = () =>
      shopifyRequest({ topic: "app/uninstalled", shop: shop.id, body: shopPayload(shop.id), eventId });
    const responses = await Promise.all([
      receiveShopifyWebhook(request(), "app/uninstalled", slowHandler),
      receiveShopifyWebhook(request(), "app/uninstalled", slowHandler),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(runs).toBe(1);
  });

  it("rolls back the handler's writes and the dedupe row when the handler fails, so Shopify's retry runs it", async () => {
    const shop = await createShop();
    const eventId = randomUUID();
    const request = () =>
      shopifyRequest({ topic: "app/uninstalled", shop: shop.id, body: shopPayload(shop.id), eventId });

    const failed = await receiveShopifyWebhook(request(), "app/uninstalled", async (tx, { shop }) => {
      await tx.shop.update({ where: { id: shop }, data: { name: "half-written" } });
      throw new Error("boom");
    });
    expect(failed.status).toBe(500);
    expect(await prisma.webhookDelivery.count({ where: { id: eventId } })).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).name).toBe(shop.name);

    const retried = await receiveShopifyWebhook(request(), "app/uninstalled", async (tx, { shop }) => {
      await tx.shop.update({ where: { id: shop }, data: { name: "done" } });
    });
    expect(retried.status).toBe(200);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).name).toBe("done");
    expect(await prisma.webhookDelivery.count({ where: { id: eventId } })).toBe(1);
  });

  describe("when the shop's expiring offline token cannot be refreshed (Shopify/shopify-app-js#3360)", () => {
    const refreshCalls: string[] = [];
    beforeEach(() => {
      refreshCalls.length = 0;
      setAbstractFetchFunc(async (input) => {
        refreshCalls.push(String(input));
        return new Response(JSON.stringify({ error: "invalid_request", error_description: "app not installed" }), {
          status: 400,
          headers: { "Content-Type": "application/json" },
        });
      });
    });
    afterEach(() => setAbstractFetchFunc(fetch));

    it("still processes app/uninstalled", async () => {
      const shop = await createShop();
      await createSession(shop.id, {
        expires: new Date(Date.now() - 3600_000),
        refreshToken: "shprt_expired",
        refreshTokenExpires: new Date(Date.now() + 86_400_000),
      });
      const response = await deliver(uninstalledRoute, {
        topic: "app/uninstalled",
        shop: shop.id,
        body: shopPayload(shop.id),
      });
      expect(refreshCalls).toEqual([`https://${shop.id}/admin/oauth/access_token`]);
      expect(response.status).toBe(200);
      expect(await prisma.session.count({ where: { shop: shop.id } })).toBe(0);
      expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).uninstalledAt).not.toBeNull();
    });

    it("still rejects a bad HMAC with 401", async () => {
      const shop = await createShop();
      await createSession(shop.id, { expires: new Date(Date.now() - 3600_000), refreshToken: "shprt_expired" });
      const response = await deliver(uninstalledRoute, {
        topic: "app/uninstalled",
        shop: shop.id,
        body: shopPayload(shop.id),
        secret: "wrong",
      });
      expect(response.status).toBe(401);
      expect(refreshCalls).toEqual([]);
    });
  });
});

describe("app/uninstalled", () => {
  it("deletes the shop's sessions, marks it uninstalled and cancels what was queued, keeping its data", async () => {
    const { a, b } = await seedTwoShops();
    const shopBBefore = await snapshot(b.id);
    const contactsBefore = await prisma.contact.count({ where: { shopId: a.id } });
    const sentBefore = await prisma.message.count({
      where: { shopId: a.id, status: { in: ["SENT", "DELIVERED", "RECEIVED"] } },
    });

    const response = await deliver(uninstalledRoute, { topic: "app/uninstalled", shop: a.id, body: shopPayload(a.id) });
    expect(response.status).toBe(200);

    expect(await prisma.session.count({ where: { shop: a.id } })).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: a.id } })).uninstalledAt).toBeInstanceOf(Date);
    expect(await prisma.message.count({ where: { shopId: a.id, status: { in: ["QUEUED", "HELD"] } } })).toBe(0);
    const cancelled = await prisma.message.findMany({ where: { shopId: a.id, status: "CANCELLED" } });
    expect(cancelled.map((m) => [m.body, m.errorReason]).sort()).toEqual([
      ["New arrivals!", "app uninstalled"],
      ["Sale ends soon", "app uninstalled"],
    ]);
    expect(await prisma.contact.count({ where: { shopId: a.id } })).toBe(contactsBefore);
    expect(
      await prisma.message.count({ where: { shopId: a.id, status: { in: ["SENT", "DELIVERED", "RECEIVED"] } } }),
    ).toBe(sentBefore);
    expect(await snapshot(b.id)).toEqual(shopBBefore);
  });

  it("answers 200 for a shop Parley never stored, without creating it", async () => {
    const shop = fakeShopDomain();
    const response = await deliver(uninstalledRoute, { topic: "app/uninstalled", shop, body: shopPayload(shop) });
    expect(response.status).toBe(200);
    expect(await prisma.shop.count({ where: { id: shop } })).toBe(0);
  });
});

describe("app/scopes_update", () => {
  it("stores the new scopes on the offline session and the shop", async () => {
    const { a, b } = await seedTwoShops();
    const shopBBefore = await snapshot(b.id);
    const current = ["read_customers", "write_customers", "read_orders"];
    const response = await deliver(scopesUpdateRoute, {
      topic: "app/scopes_update",
      shop: a.id,
      body: { id: 1, previous: ["read_customers"], current, updated_at: new Date().toISOString() },
    });
    expect(response.status).toBe(200);
    expect((await prisma.session.findUniqueOrThrow({ where: { id: `offline_${a.id}` } })).scope).toBe(
      current.join(","),
    );
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: a.id } })).scopes).toBe(current.join(","));
    expect(await snapshot(b.id)).toEqual(shopBBefore);
  });
});

describe("customers/data_request", () => {
  it("stores a report of everything Parley holds for the customer, matched by customer id or phone, in this shop only", async () => {
    const seeded = await seedTwoShops();
    const { a, b, customerId, gid, phone, linked, byPhone } = seeded;
    const shopBBefore = await snapshot(b.id);
    const infoLines: string[] = [];
    const previousLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "info";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      infoLines.push(String(chunk));
      return true;
    });
    let response: Response;
    try {
      response = await deliver(dataRequestRoute, {
        topic: "customers/data_request",
        shop: a.id,
        body: customerPayload(
          a.id,
          { id: customerId, phone: "(212) 555-0142", email: "pat@example.com" },
          {
            orders_requested: [299938],
            data_request: { id: 9999 },
          },
        ),
      });
    } finally {
      spy.mockRestore();
      if (previousLevel === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previousLevel;
    }
    expect(response.status).toBe(200);

    const request = await prisma.privacyRequest.findUniqueOrThrow({
      where: { shopId_kind_requestId: { shopId: a.id, kind: "DATA_REQUEST", requestId: "9999" } },
    });
    expect(request.shopifyCustomerId).toBe(gid);
    expect(request.completedAt).toBeInstanceOf(Date);
    const report = asReport(request.report);
    expect(report.counts).toEqual({
      contacts: 2,
      consentEvents: 2,
      consentStates: 2,
      conversations: 2,
      messages: 4,
      notes: 2,
      discounts: 2,
      browseEvents: 3, // one per contact, plus one known only by the customer id
    });
    expect(report.contacts.map((c) => c.id).sort()).toEqual([linked.contact.id, byPhone.contact.id].sort());
    expect(report.contacts.map((c) => c.phoneE164)).toContain(phone);
    expect(report.messages.map((m) => m.body)).toContain("Where is my order?");
    expect(report.consentEvents[0]).toMatchObject({
      purpose: "MARKETING",
      status: "SUBSCRIBED",
      disclosureVersion: "v1",
    });
    expect(report.notes[0].body).toBe("Prefers texts after 5pm");
    expect(report.ordersRequested).toEqual(["299938"]);
    const reportText = JSON.stringify(report);
    expect(reportText).not.toContain(b.id);
    expect(reportText).not.toContain(seeded.twin.contact.id);
    expect(reportText).not.toContain(seeded.bystander.contact.id);

    const summary = infoLines.find((line) => line.includes("customer data request recorded"));
    expect(summary).toBeDefined();
    expect(summary).not.toContain("5550142");
    expect(summary).not.toContain("pat@example.com");

    // Nothing Parley holds was changed by reading it; shop B is untouched.
    expect(await prisma.contact.count({ where: { id: { in: [linked.contact.id, byPhone.contact.id] } } })).toBe(2);
    expect(await snapshot(b.id)).toEqual(shopBBefore);
  });

  it("records an empty report for a shop or customer Parley does not know, without creating the shop", async () => {
    const shop = fakeShopDomain();
    const response = await deliver(dataRequestRoute, {
      topic: "customers/data_request",
      shop,
      body: customerPayload(shop, { id: 1, phone: "+12125550199" }, { data_request: { id: 1 } }),
    });
    expect(response.status).toBe(200);
    const request = await prisma.privacyRequest.findFirstOrThrow({ where: { shopId: shop } });
    expect(asReport(request.report).counts.contacts).toBe(0);
    expect(await prisma.shop.count({ where: { id: shop } })).toBe(0);
  });
});

describe("customers/redact", () => {
  it("deletes that customer's personal data and messages in this shop and nothing else", async () => {
    const seeded = await seedTwoShops();
    const { a, b, customerId, gid, phone, linked, byPhone, bystander } = seeded;
    const shopBBefore = await snapshot(b.id);
    const bystanderBefore = {
      consent: await prisma.consentEvent.count({ where: { contactId: bystander.contact.id } }),
      messages: await prisma.message.count({ where: { contactId: bystander.contact.id } }),
    };
    // An earlier data request for the same customer holds the same personal data.
    await deliver(dataRequestRoute, {
      topic: "customers/data_request",
      shop: a.id,
      body: customerPayload(a.id, { id: customerId, phone }, { data_request: { id: 1 } }),
    });

    const response = await deliver(customerRedactRoute, {
      topic: "customers/redact",
      shop: a.id,
      body: customerPayload(
        a.id,
        { id: customerId, phone: "212-555-0142", email: "pat@example.com" },
        { orders_to_redact: [299938] },
      ),
    });
    expect(response.status).toBe(200);

    const ids = [linked.contact.id, byPhone.contact.id];
    expect(await prisma.contact.count({ where: { id: { in: ids } } })).toBe(0);
    expect(await prisma.consentEvent.count({ where: { contactId: { in: ids } } })).toBe(0);
    expect(await prisma.consentState.count({ where: { contactId: { in: ids } } })).toBe(0);
    expect(await prisma.conversation.count({ where: { contactId: { in: ids } } })).toBe(0);
    expect(await prisma.message.count({ where: { contactId: { in: ids } } })).toBe(0);
    expect(await prisma.note.count({ where: { id: { in: [linked.note.id, byPhone.note.id] } } })).toBe(0);
    expect(
      await prisma.browseEvent.count({
        where: { id: { in: [linked.browseEvent.id, byPhone.browseEvent.id, seeded.anonymousBrowse.id] } },
      }),
    ).toBe(0);
    expect(await prisma.providerEvent.count({ where: { id: seeded.phoneEvent.id } })).toBe(0);
    expect(await prisma.providerEvent.count({ where: { id: seeded.otherEvent.id } })).toBe(1);
    // The shop's discount records stay, without the link to the person.
    const discounts = await prisma.discountIssued.findMany({
      where: { id: { in: [linked.discount.id, byPhone.discount.id] } },
    });
    expect(discounts).toHaveLength(2);
    expect(discounts.every((d) => d.contactId === null && d.conversationId === null)).toBe(true);

    // Another shopper of the same shop, and all of shop B, are untouched.
    expect(await prisma.consentEvent.count({ where: { contactId: bystander.contact.id } })).toBe(
      bystanderBefore.consent,
    );
    expect(await prisma.message.count({ where: { contactId: bystander.contact.id } })).toBe(bystanderBefore.messages);
    expect(await snapshot(b.id)).toEqual(shopBBefore);

    // The record keeps counts, not the person.
    const record = await prisma.privacyRequest.findFirstOrThrow({ where: { shopId: a.id, kind: "CUSTOMER_REDACT" } });
    expect(record.shopifyCustomerId).toBe(gid);
    expect(record.report).toEqual({
      counts: {
        contacts: 2,
        consentEvents: 2,
        conversations: 2,
        messages: 4,
        notes: 2,
        discountsUnlinked: 2,
        browseEvents: 3,
        providerEvents: 1,
        dataRequestReports: 1,
      },
    });
    const dataRequest = await prisma.privacyRequest.findFirstOrThrow({ where: { shopId: a.id, kind: "DATA_REQUEST" } });
    expect(JSON.stringify(dataRequest.report)).not.toContain(phone);
    expect(dataRequest.report).toMatchObject({ redacted: true });
  });

  it("is idempotent: a repeated delivery is skipped, a new one finds nothing left", async () => {
    const { a, b, customerId, phone } = await seedTwoShops();
    const body = customerPayload(a.id, { id: customerId, phone });
    const eventId = randomUUID();
    expect((await deliver(customerRedactRoute, { topic: "customers/redact", shop: a.id, body, eventId })).status).toBe(
      200,
    );
    const afterFirst = await snapshot();

    expect((await deliver(customerRedactRoute, { topic: "customers/redact", shop: a.id, body, eventId })).status).toBe(
      200,
    );
    expect(await snapshot()).toEqual(afterFirst);

    expect((await deliver(customerRedactRoute, { topic: "customers/redact", shop: a.id, body })).status).toBe(200);
    const records = await prisma.privacyRequest.findMany({
      where: { shopId: a.id, kind: "CUSTOMER_REDACT" },
      orderBy: { receivedAt: "asc" },
    });
    expect(records).toHaveLength(2);
    expect(asReport(records[1].report).counts.contacts).toBe(0);
    expect(await prisma.contact.count({ where: { shopId: b.id, phoneE164: phone } })).toBe(1);
  });
});

describe("shop/redact", () => {
  it("deletes everything of the shop, leaves one audit record without personal data, and spares other shops", async () => {
    const { a, b, customerId, phone } = await seedTwoShops();
    const shopBBefore = await snapshot(b.id);
    await deliver(uninstalledRoute, { topic: "app/uninstalled", shop: a.id, body: shopPayload(a.id) });
    await deliver(dataRequestRoute, {
      topic: "customers/data_request",
      shop: a.id,
      body: customerPayload(a.id, { id: customerId, phone }, { data_request: { id: 3 } }),
    });

    const eventId = randomUUID();
    const response = await deliver(shopRedactRoute, {
      topic: "shop/redact",
      shop: a.id,
      body: { shop_id: 954889, shop_domain: a.id },
      eventId,
    });
    expect(response.status).toBe(200);

    const left = await snapshot(a.id);
    expect(left.deliveries).toEqual([expect.objectContaining({ id: eventId, topic: "shop/redact" })]);
    expect(left.privacyRequests).toHaveLength(1);
    expect(left.privacyRequests[0]).toMatchObject({ kind: "SHOP_REDACT", shopifyCustomerId: null, requestId: eventId });
    expect(left.privacyRequests[0].report.counts).toMatchObject({
      shop: 1,
      contacts: 3,
      sessions: 0,
      webhookDeliveries: 2,
      privacyRequests: 1,
    });
    expect(JSON.stringify(left.privacyRequests)).not.toContain(phone);
    expect({ ...left, deliveries: [], privacyRequests: [] }).toEqual({
      shops: [],
      settings: [],
      sessions: [],
      contacts: [],
      consentEvents: [],
      consentStates: [],
      conversations: [],
      messages: [],
      notes: [],
      discounts: [],
      browseEvents: [],
      providerEvents: [],
      deliveries: [],
      privacyRequests: [],
    });
    expect(await prisma.staffMember.count({ where: { shopId: a.id } })).toBe(0);
    expect(await snapshot(b.id)).toEqual(shopBBefore);
  });

  it("is idempotent and never recreates the shop", async () => {
    const { a, b } = await seedTwoShops();
    const body = { shop_id: 954889, shop_domain: a.id };
    const eventId = randomUUID();
    expect((await deliver(shopRedactRoute, { topic: "shop/redact", shop: a.id, body, eventId })).status).toBe(200);
    const afterFirst = await snapshot();
    expect((await deliver(shopRedactRoute, { topic: "shop/redact", shop: a.id, body, eventId })).status).toBe(200);
    expect(await snapshot()).toEqual(afterFirst);

    // Shopify may send it again as a new event: still 200, still nothing of the shop, one more audit line.
    expect((await deliver(shopRedactRoute, { topic: "shop/redact", shop: a.id, body })).status).toBe(200);
    expect(await prisma.shop.count({ where: { id: a.id } })).toBe(0);
    expect(await prisma.privacyRequest.count({ where: { shopId: a.id, kind: "SHOP_REDACT" } })).toBe(2);
    expect(await prisma.shop.count({ where: { id: b.id } })).toBe(1);
  });

  it("answers 200 for a shop Parley never stored", async () => {
    const shop = fakeShopDomain();
    const response = await deliver(shopRedactRoute, {
      topic: "shop/redact",
      shop,
      body: { shop_id: 1, shop_domain: shop },
    });
    expect(response.status).toBe(200);
    expect(await prisma.shop.count({ where: { id: shop } })).toBe(0);
  });
});
