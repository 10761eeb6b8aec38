import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { AdminGraphql } from "~/adapters/shopify/customer-consent.server";
import { prisma } from "~/db.server";
import { StoreContextSchema, type StoreContext } from "~/domain/store-context";
import { action as contextAction, loader as contextLoader } from "~/routes/app.inbox.$id.context";
import { loader as customersLoader } from "~/routes/app.inbox.customers";
import { loader as productsLoader } from "~/routes/app.inbox.products";
import { mintSessionToken } from "~/sandbox/session-token.server";
import type { ShopifySimulator } from "~/sandbox/shopify/router";
import { clearStoreContextCache, CONTEXT_TTL_MS, loadStoreContext } from "~/services/inbox/store-context.server";
import { createBrowseEvent, createContact, createConversationWithMessages, createShop } from "../helpers/factories";
import { startSimulatedStore, type SimulatedStore } from "../helpers/simulated-store";
import { TEST_APP_URL, TEST_SHOPIFY_API_KEY, TEST_SHOPIFY_API_SECRET } from "../helpers/test-env";

// The store context beside a thread, assembled from the simulated store (through the real Admin client and the
// fetch seam) and from Parley's database; the resource routes called as Remix calls them on a fetcher request.

const SHOP = "parley-demo.myshopify.com";
const STAFF_USER_ID = 5151;
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

let simulator: ShopifySimulator;
let store: SimulatedStore;
let admin: AdminGraphql;
let requests = 0;
/** The shop's admin client, counting the GraphQL requests it makes. */
const counting: AdminGraphql = {
  graphql: (query, options) => {
    requests += 1;
    return admin.graphql(query, options);
  },
};
const noSleep = { now: Date.now, sleep: async () => {} };

beforeAll(async () => {
  store = await startSimulatedStore({ shop: SHOP, userId: STAFF_USER_ID });
  simulator = store.simulator;
  admin = store.admin;
});

afterAll(async () => {
  await store?.stop();
});

beforeEach(() => {
  clearStoreContextCache();
  requests = 0;
});

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────────

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
const used = new Set<number>();
/** A seeded store customer with a phone, not yet used by another test. */
function storeCustomer() {
  const customer = simulator.store.customers.find((c) => c.phone && !used.has(c.id));
  if (!customer) throw new Error("no unused store customer");
  used.add(customer.id);
  return customer;
}

async function linkedConversation(customerId: number, contact: { firstName?: string } = {}) {
  const row = await createContact(SHOP, { shopifyCustomerId: gid("Customer", customerId), ...contact });
  const { conversation } = await createConversationWithMessages(SHOP, row.id);
  return { contact: row, conversation };
}

async function request(url: string, init: { body?: unknown } = {}) {
  const token = await mintSessionToken({
    shop: SHOP,
    apiKey: TEST_SHOPIFY_API_KEY,
    apiSecret: TEST_SHOPIFY_API_SECRET,
    userId: STAFF_USER_ID,
  });
  return new Request(`${TEST_APP_URL}${url}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "User-Agent": BROWSER,
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function answer(response: unknown) {
  const res = response as Response;
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function ok<T>(section: T | { state: "unavailable" } | null): Exclude<T, { state: "unavailable" } | null> {
  expect(section).not.toBeNull();
  expect((section as { state: string }).state).toBe("ok");
  return section as Exclude<T, { state: "unavailable" } | null>;
}

async function contextOf(conversationId: string, adminClient = counting) {
  const result = await loadStoreContext({ admin: adminClient, shopId: SHOP, conversationId }, noSleep);
  if (!result.ok) throw new Error(`context: ${result.error}`);
  return StoreContextSchema.parse(result.context); // what the route sends is what the schema promises
}

// ─── assembly ─────────────────────────────────────────────────────────────────────────────────────

describe("store context", () => {
  test("a customer with an order shipped with tracking, an open checkout, browse events and earlier threads", async () => {
    const customer = storeCustomer();
    const placed = await simulator.control.runEvent("order-placed", { customerId: customer.id });
    const orderGid = String(placed.entity.orderId);
    const orderId = Number(orderGid.split("/").pop());
    await simulator.control.runEvent("fulfillment-created", { orderId, company: "UPS" });
    const abandoned = await simulator.control.runEvent("checkout-abandoned", {
      customerId: customer.id,
      startedMinutesAgo: 0,
    });
    // Someone else's checkout is never shown as theirs.
    await simulator.control.runEvent("checkout-abandoned", { customerId: storeCustomer().id });

    const { contact, conversation } = await linkedConversation(customer.id);
    const older = await createConversationWithMessages(SHOP, contact.id, undefined, {
      status: "CLOSED",
      lastMessageAt: new Date(Date.now() - 7 * 86_400_000),
      lastMessageText: "Thanks, got it!",
    });
    for (const [i, title] of ["Canvas Tote", "Wool Beanie", "Canvas Tote", "Rain Jacket"].entries()) {
      await createBrowseEvent(SHOP, {
        contactId: contact.id,
        productId: `gid://shopify/Product/${100 + ["Canvas Tote", "Wool Beanie", "Rain Jacket"].indexOf(title)}`,
        productTitle: title,
        url: `https://${SHOP}/products/${title.toLowerCase().replace(" ", "-")}`,
        occurredAt: new Date(Date.now() - (10 - i) * 60_000),
      });
    }
    // By customer id only (the pixel saw a logged-in shopper), and one from another shop with the same customer id.
    await createBrowseEvent(SHOP, {
      shopifyCustomerId: gid("Customer", customer.id),
      productId: "gid://shopify/Product/999",
      productTitle: "Trail Socks",
      occurredAt: new Date(),
    });
    const otherShop = await createShop();
    await createBrowseEvent(otherShop.id, {
      shopifyCustomerId: gid("Customer", customer.id),
      productTitle: "Not this shop",
      occurredAt: new Date(),
    });

    const context = await contextOf(conversation.id);
    expect(requests).toBe(1); // the whole Shopify part in one request

    const shopifyCustomer = ok(context.customer).customer!;
    expect(shopifyCustomer).toMatchObject({
      id: gid("Customer", customer.id),
      legacyId: String(customer.id),
      displayName: `${customer.firstName} ${customer.lastName}`,
      email: customer.email,
      tags: customer.tags,
      smsConsent: customer.smsConsent?.marketingState ?? null,
    });
    const stateCustomer = simulator.control.state().orders.filter((o) => o.customerId === gid("Customer", customer.id));
    expect(shopifyCustomer.numberOfOrders).toBe(stateCustomer.length);
    expect(context.linkable).toBe(false);

    const orders = ok(context.orders).orders;
    expect(orders.length).toBe(Math.min(5, stateCustomer.length));
    expect(orders[0]).toMatchObject({ id: orderGid, name: placed.entity.name, fulfillmentStatus: "FULFILLED" });
    expect(orders[0].statusPageUrl).toMatch(/^https:\/\/parley-demo\.myshopify\.com\//);
    expect(orders[0].itemsSummary).not.toBe("");
    const shipment = orders[0].fulfillments[0];
    expect(shipment.tracking[0]).toMatchObject({ company: "UPS", number: expect.any(String) });
    expect(shipment.tracking[0].url).toMatch(/^https:\/\//);
    expect(Date.parse(shipment.estimatedDeliveryAt!)).toBeGreaterThan(Date.now());
    const dates = orders.map((o) => o.processedAt);
    expect([...dates].sort().reverse()).toEqual(dates);

    const checkouts = ok(context.checkouts).checkouts;
    const open = simulator.control
      .state()
      .checkouts.filter((c) => c.customerId === gid("Customer", customer.id) && !c.completedAt)
      .map((c) => c.id);
    expect(checkouts.map((c) => c.id).sort()).toEqual(open.slice(-5).sort()); // theirs only, open only
    expect(checkouts[0].id).toBe(abandoned.entity.checkoutId); // newest first
    expect(checkouts[0].recoveryUrl).toMatch(/\/checkouts\/ac\/.+\/recover\?key=/);
    expect(checkouts[0].items.length).toBeGreaterThan(0);
    expect(Number(checkouts[0].total.amount)).toBeGreaterThan(0);

    expect(context.recentlyViewed.map((p) => p.title)).toEqual([
      "Trail Socks",
      "Rain Jacket",
      "Canvas Tote",
      "Wool Beanie",
    ]);
    expect(context.previousConversations).toEqual([
      {
        id: older.conversation.id,
        lastMessageAt: expect.any(String),
        preview: "Thanks, got it!",
        status: "CLOSED",
      },
    ]);
    expect(context.variables).toEqual({
      first_name: customer.firstName,
      last_order_name: placed.entity.name,
      tracking_url: shipment.tracking[0].url,
      checkout_url: checkouts[0].recoveryUrl,
    });
    expect(ok(context.shop)).toMatchObject({ domain: SHOP, currencyCode: "USD" });
  });

  test("a shopper who texted first: no Shopify request, linkable, the database sections still there", async () => {
    const contact = await createContact(SHOP, { firstName: "Robin" });
    const { conversation } = await createConversationWithMessages(SHOP, contact.id);
    await createBrowseEvent(SHOP, { contactId: contact.id, productTitle: "Canvas Tote" });
    const context = await contextOf(conversation.id);
    expect(requests).toBe(0);
    expect(context).toMatchObject({
      linkable: true,
      customer: null,
      orders: null,
      checkouts: null,
      variables: { first_name: "Robin" },
    });
    expect(context.recentlyViewed.map((p) => p.title)).toEqual(["Canvas Tote"]);
  });

  test("a second load within the TTL makes no request; after the TTL it asks again", async () => {
    const { conversation } = await linkedConversation(storeCustomer().id);
    let clock = Date.now();
    const deps = { now: () => clock, sleep: async () => {} };
    const load = () => loadStoreContext({ admin: counting, shopId: SHOP, conversationId: conversation.id }, deps);
    await load();
    await load();
    expect(requests).toBe(1);
    clock += CONTEXT_TTL_MS + 1;
    await load();
    expect(requests).toBe(2);
  });

  test("throttled once: retried after Shopify's suggested wait, and the context arrives", async () => {
    const { conversation } = await linkedConversation(storeCustomer().id);
    const waits: number[] = [];
    simulator.control.throttle(1);
    const result = await loadStoreContext(
      { admin: counting, shopId: SHOP, conversationId: conversation.id },
      { now: Date.now, sleep: async (ms) => void waits.push(ms) },
    );
    expect(waits).toEqual([1000]);
    expect(requests).toBe(2);
    expect(result.ok && result.context.customer).toMatchObject({ state: "ok" });
  });

  test("throttled twice: Shopify sections unavailable and retryable, database sections present, nothing thrown", async () => {
    const { contact, conversation } = await linkedConversation(storeCustomer().id, { firstName: "Kim" });
    await createBrowseEvent(SHOP, { contactId: contact.id, productTitle: "Wool Beanie" });
    simulator.control.throttle(2);
    const context = await contextOf(conversation.id);
    expect(requests).toBe(2); // one retry, not more
    for (const section of [context.customer, context.orders, context.checkouts]) {
      expect(section).toEqual({ state: "unavailable", reason: expect.stringMatching(/busy/), retryable: true });
    }
    expect(context.recentlyViewed.map((p) => p.title)).toEqual(["Wool Beanie"]);
    expect(context.variables).toEqual({ first_name: "Kim" });

    // Not cached: the next load (Shopify recovered) has the customer.
    const again = await contextOf(conversation.id);
    expect(again.customer).toMatchObject({ state: "ok" });
  });

  test.each([500, 503])(
    "Shopify answers HTTP %i: unavailable and retryable, not retried in the request",
    async (status) => {
      const { conversation } = await linkedConversation(storeCustomer().id);
      simulator.control.failRequests(1, status);
      const context = await contextOf(conversation.id);
      expect(context.orders).toEqual({ state: "unavailable", reason: expect.any(String), retryable: true });
      expect(context.previousConversations).toEqual([]);
      expect(requests).toBe(1);
    },
  );

  test("a linked customer Shopify no longer has: customer null and linkable again", async () => {
    const { conversation } = await linkedConversation(987_654_321);
    const context = await contextOf(conversation.id);
    expect(ok(context.customer).customer).toBeNull();
    expect(context.linkable).toBe(true);
  });
});

// ─── routes ───────────────────────────────────────────────────────────────────────────────────────

describe("routes", () => {
  test("GET context answers the context as JSON", async () => {
    const customer = storeCustomer();
    const { conversation } = await linkedConversation(customer.id);
    const { status, body } = await answer(
      await contextLoader({
        request: await request(`/app/inbox/${conversation.id}/context`),
        params: { id: conversation.id },
        context: {},
      }),
    );
    expect(status).toBe(200);
    const context = StoreContextSchema.parse(body.context) as StoreContext;
    expect(ok(context.customer).customer?.id).toBe(gid("Customer", customer.id));
  });

  test("customer search: by name, and by phone in any notation", async () => {
    const customer = storeCustomer();
    const search = async (q: string) =>
      answer(
        await customersLoader({
          request: await request(`/app/inbox/customers?q=${encodeURIComponent(q)}`),
          params: {},
          context: {},
        }),
      );
    const byName = await search(`${customer.firstName} ${customer.lastName}`);
    expect(byName.status).toBe(200);
    expect((byName.body.customers as { id: string }[]).map((c) => c.id)).toContain(gid("Customer", customer.id));
    const digits = customer.phone!.replace(/^\+1/, "");
    const byPhone = await search(`(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`);
    expect((byPhone.body.customers as { id: string }[]).map((c) => c.id)).toEqual([gid("Customer", customer.id)]);
  });

  test("product search: title, price, image and the storefront URL", async () => {
    const product = simulator.store.products.find((p) => p.status === "ACTIVE")!;
    const word = product.title.split(" ")[0];
    const { status, body } = await answer(
      await productsLoader({
        request: await request(`/app/inbox/products?q=${encodeURIComponent(word)}`),
        params: {},
        context: {},
      }),
    );
    expect(status).toBe(200);
    const found = (
      body.products as { id: string; url: string; title: string; imageUrl: string; price: unknown }[]
    ).find((p) => p.id === gid("Product", product.id));
    expect(found).toMatchObject({
      title: product.title,
      url: `https://${SHOP}/products/${product.handle}`,
      imageUrl: expect.stringContaining(`${product.handle}.svg`),
      price: { amount: expect.any(String), currencyCode: "USD" },
    });
  });

  test("link: the contact gets the customer id and empty names, a timeline event is recorded", async () => {
    const customer = storeCustomer();
    const contact = await createContact(SHOP, { firstName: null, lastName: null, email: null });
    const { conversation } = await createConversationWithMessages(SHOP, contact.id);
    const { status, body } = await answer(
      await contextAction({
        request: await request(`/app/inbox/${conversation.id}/context`, {
          body: { intent: "link", customerId: gid("Customer", customer.id) },
        }),
        params: { id: conversation.id },
        context: {},
      }),
    );
    expect({ status, body }).toEqual({
      status: 200,
      body: { ok: true, customerId: gid("Customer", customer.id), created: false },
    });
    const after = await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after).toMatchObject({
      shopifyCustomerId: gid("Customer", customer.id),
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email,
    });
    const staff = await prisma.staffMember.findFirstOrThrow({ where: { shopId: SHOP, shopifyUserId: STAFF_USER_ID } });
    const events = await prisma.conversationEvent.findMany({ where: { conversationId: conversation.id } });
    expect(events).toEqual([
      expect.objectContaining({
        shopId: SHOP,
        kind: "customer_linked",
        actorKind: "STAFF",
        actorStaffId: staff.id,
        data: { customerId: gid("Customer", customer.id), created: false },
      }),
    ]);
  });

  test("GET context links a shopper who texts from exactly one customer's phone, and says Parley did it", async () => {
    const customer = storeCustomer();
    const contact = await createContact(SHOP, { phoneE164: customer.phone!, firstName: null, lastName: null });
    const { conversation } = await createConversationWithMessages(SHOP, contact.id);
    const { status, body } = await answer(
      await contextLoader({
        request: await request(`/app/inbox/${conversation.id}/context`),
        params: { id: conversation.id },
        context: {},
      }),
    );
    expect(status).toBe(200);
    const context = StoreContextSchema.parse(body.context);
    expect(context.linkable).toBe(false);
    expect(ok(context.customer).customer).toMatchObject({ id: gid("Customer", customer.id) });
    const after = await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after).toMatchObject({ shopifyCustomerId: gid("Customer", customer.id), firstName: customer.firstName });
    const events = await prisma.conversationEvent.findMany({ where: { conversationId: conversation.id } });
    expect(events).toEqual([
      expect.objectContaining({ kind: "customer_linked", actorKind: "SYSTEM", actorStaffId: null }),
    ]);

    // A phone no customer has stays unlinked, with nothing recorded.
    const stranger = await createContact(SHOP, { phoneE164: "+14155550987" });
    const second = await createConversationWithMessages(SHOP, stranger.id);
    await contextLoader({
      request: await request(`/app/inbox/${second.conversation.id}/context`),
      params: { id: second.conversation.id },
      context: {},
    });
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: stranger.id } })).shopifyCustomerId).toBeNull();
    expect(await prisma.conversationEvent.count({ where: { conversationId: second.conversation.id } })).toBe(0);
  });

  test("create customer: Shopify customer with the contact's phone, names and the parley tag; phone taken → userErrors", async () => {
    const contact = await createContact(SHOP, { phoneE164: "+14155550177", firstName: "Jo", lastName: "March" });
    const { conversation } = await createConversationWithMessages(SHOP, contact.id);
    const create = async (conversationId: string) =>
      answer(
        await contextAction({
          request: await request(`/app/inbox/${conversationId}/context`, { body: { intent: "create-customer" } }),
          params: { id: conversationId },
          context: {},
        }),
      );
    const first = await create(conversation.id);
    expect(first).toMatchObject({ status: 200, body: { ok: true, created: true } });
    const customerId = first.body.customerId as string;
    const inStore = simulator.control.state().customers.find((c) => c.id === customerId);
    expect(inStore).toMatchObject({ name: "Jo March", phone: "+14155550177", tags: ["parley"] });
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: contact.id } })).shopifyCustomerId).toBe(customerId);
    const events = await prisma.conversationEvent.findMany({ where: { conversationId: conversation.id } });
    expect(events.map((e) => e.data)).toEqual([{ customerId, created: true }]);

    // A shopper whose phone already belongs to a customer (the search missed it): Shopify refuses, as it would.
    const customers = simulator.control.state().customers.length;
    const existing = storeCustomer();
    const sameShopContact = await createContact(SHOP, { phoneE164: existing.phone!, firstName: "Jo" });
    const { conversation: second } = await createConversationWithMessages(SHOP, sameShopContact.id);
    const refused = await create(second.id);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: ["phone"], message: expect.stringMatching(/taken/i) }),
    ]);
    expect(simulator.control.state().customers.length).toBe(customers); // nothing created
    expect(
      (await prisma.contact.findUniqueOrThrow({ where: { id: sameShopContact.id } })).shopifyCustomerId,
    ).toBeNull();
    expect(await prisma.conversationEvent.count({ where: { conversationId: second.id } })).toBe(0);
  });
});
