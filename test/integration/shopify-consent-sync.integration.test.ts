import { randomUUID } from "node:crypto";
import express from "express";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { InboundMessagePayloadSchema } from "~/adapters/telnyx/events";
import { prisma } from "~/db.server";
import type { ConsentEvent as DomainConsentEvent } from "~/domain/consent";
import type { Contact, Prisma } from "~/generated/prisma/client.ts";
import { createBoss } from "~/jobs/boss.server";
import { listenForConsentChanges } from "~/jobs/handlers/sync-shopify-consent.server";
import { registerHandlers } from "~/jobs/worker.server";
import * as customersUpdateRoute from "~/routes/webhooks.customers.update";
import { customerPayload } from "~/sandbox/shopify/rest-payloads";
import type { ShopifySimulator } from "~/sandbox/shopify/router";
import { defaultConsentSyncDeps, syncShopifyConsent, type SyncResult } from "~/services/shopify/consent-sync.server";
import { applyConsentEvent, type ConsentEvidence } from "~/services/sms/consent.server";
import { receiveInboundSms } from "~/services/sms/receive-inbound.server";
import { createConsent, createContact, createShop, fakePhone } from "../helpers/factories";
import { startSimulatedStore, type SimulatedStore } from "../helpers/simulated-store";
import { TEST_APP_URL } from "../helpers/test-env";

// Consent both ways between Parley and the simulated store, with the real Admin client (unauthenticated.admin on
// a stored offline session, through the fetch seam) and Shopify-signed customers/update webhooks delivered over
// HTTP to the real route.

const SHOP = "parley-demo.myshopify.com";
const STORE_NUMBER = "+15005550100";

let simulator: ShopifySimulator;
let store: SimulatedStore;

interface Delivered {
  headers: Headers;
  rawBody: string;
  status: number;
}
const delivered: Delivered[] = [];

function deliverToRoute(headers: Headers, rawBody: string) {
  const request = new Request(`${TEST_APP_URL}/webhooks/customers/update`, { method: "POST", headers, body: rawBody });
  return customersUpdateRoute.action({ request, params: {}, context: {} });
}

beforeAll(async () => {
  // The shop installed the app: its offline token, from the store's own token exchange, is in session storage.
  store = await startSimulatedStore({
    shop: SHOP,
    routes: (app) =>
      app.post("/webhooks/customers/update", express.raw({ type: "*/*" }), async (req, res) => {
        const rawBody = (req.body as Buffer).toString("utf8");
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers))
          if (typeof value === "string") headers.set(name, value);
        const response = await deliverToRoute(headers, rawBody);
        delivered.push({ headers, rawBody, status: response.status });
        res.status(response.status).end();
      }),
  });
  simulator = store.simulator;
  await prisma.sendingNumber.create({
    data: { shopId: SHOP, phoneE164: STORE_NUMBER, isDefault: true, messagesPerSecond: 10 },
  });
});

afterAll(async () => {
  await store?.stop();
});

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────────

const gid = (id: number) => `gid://shopify/Customer/${id}`;

/** A seeded store customer with a phone and this SMS state, not yet used by another test. */
const used = new Set<number>();
function storeCustomer(state: string, level?: string) {
  const customer = simulator.store.customers.find(
    (c) =>
      c.phone &&
      !used.has(c.id) &&
      c.smsConsent?.marketingState === state &&
      (!level || c.smsConsent.marketingOptInLevel === level),
  );
  if (!customer) throw new Error(`no unused store customer in state ${state}`);
  used.add(customer.id);
  return customer;
}

const shopifyConsentOf = (id: number) => simulator.store.customer(id)?.smsConsent;

/** A text from the contact's phone, through the engine's inbound path (keywords, consent, reply). */
async function text(
  contact: Pick<Contact, "phoneE164">,
  body: string,
  inside?: (tx: Prisma.TransactionClient) => Promise<void>,
) {
  const payload = InboundMessagePayloadSchema.parse({
    id: `msg-${randomUUID()}`,
    direction: "inbound",
    from: { phone_number: contact.phoneE164 },
    to: [{ phone_number: STORE_NUMBER }],
    text: body,
  });
  const result = await prisma.$transaction(async (tx) => {
    const stored = await receiveInboundSms(tx, `evt-${randomUUID()}`, payload);
    await inside?.(tx);
    return stored;
  });
  expect(result.outcome).toBe("stored");
}

function consent(contact: Contact, event: DomainConsentEvent, evidence: ConsentEvidence) {
  return prisma.$transaction((tx) => applyConsentEvent(tx, contact, event, evidence));
}

async function sync(contactId: string, now = new Date()): Promise<SyncResult | undefined> {
  const results = await syncShopifyConsent(
    { contactId },
    { ...defaultConsentSyncDeps, now: () => now, random: () => 0.5 },
  );
  return results[0];
}

const reload = (id: string) => prisma.contact.findUniqueOrThrow({ where: { id } });
const marketing = (contactId: string) =>
  prisma.consentState.findUnique({ where: { contactId_purpose: { contactId, purpose: "MARKETING" } } });
const marketingEvents = (contactId: string) =>
  prisma.consentEvent.findMany({ where: { contactId, purpose: "MARKETING" }, orderBy: { createdAt: "asc" } });

/** A Parley contact for a store customer's phone, subscribed through the storefront form (not linked yet). */
async function subscriberFor(customer: { phone: string | null }, shopId = SHOP) {
  const contact = await createContact(shopId, { phoneE164: customer.phone! });
  await createConsent(shopId, contact, { occurredAt: new Date(Date.now() - 86_400_000) });
  return contact;
}

/** A store customer not subscribed in Shopify, linked to a contact that staff subscribed (single opt-in). */
async function linkedCustomerSubscribedByStaff() {
  const customer = storeCustomer("NOT_SUBSCRIBED");
  const contact = await createContact(SHOP, { phoneE164: customer.phone!, shopifyCustomerId: gid(customer.id) });
  await consent(
    contact,
    { type: "marketing_opt_in", source: "ADMIN", doubleOptIn: false },
    { source: "ADMIN", actor: "staff-1" },
  );
  return { customer, contact };
}

async function waitFor<T>(probe: () => T | null | false | Promise<T | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ─── Parley → Shopify, through the real worker ────────────────────────────────────────────────────

describe("Parley → Shopify through the job worker", () => {
  let boss: PgBoss;
  let stopListener: () => Promise<void>;

  beforeAll(async () => {
    boss = await createBoss(process.env.DATABASE_URL!, { supervise: true });
    await registerHandlers(boss);
    stopListener = await listenForConsentChanges(process.env.DATABASE_URL!, boss);
  });

  afterAll(async () => {
    await stopListener?.();
    await boss?.stop({ graceful: false, wait: true } as never);
  });

  test("an inbound STOP unsubscribes the Shopify customer within seconds, linked by phone", async () => {
    const customer = storeCustomer("SUBSCRIBED", "CONFIRMED_OPT_IN");
    const contact = await subscriberFor(customer);

    await text(contact, "STOP", async (tx) => {
      // Marked in the transaction that records the opt-out, before anyone can see either.
      const row = await tx.contact.findUniqueOrThrow({ where: { id: contact.id } });
      const state = await tx.consentState.findUniqueOrThrow({
        where: { contactId_purpose: { contactId: contact.id, purpose: "MARKETING" } },
      });
      expect(row.shopifyConsentSyncEventId).toBe(state.lastEventId);
      expect(row.shopifyConsentSyncDueAt).not.toBeNull();
    });

    await waitFor(() => shopifyConsentOf(customer.id)?.marketingState === "UNSUBSCRIBED");
    const stop = (await marketingEvents(contact.id)).at(-1)!;
    expect(shopifyConsentOf(customer.id)).toMatchObject({
      consentUpdatedAt: stop.occurredAt.toISOString(),
      consentCollectedFrom: "OTHER",
    });
    const after = await waitFor(async () => {
      const row = await reload(contact.id);
      return row.shopifyConsentSyncEventId === null ? row : null;
    });
    expect(after).toMatchObject({
      shopifyCustomerId: gid(customer.id),
      shopifyConsentSyncDueAt: null,
      shopifySyncError: null,
    });
  });

  test("a THROTTLED first attempt is retried by its own delayed job and succeeds", async () => {
    const customer = storeCustomer("SUBSCRIBED");
    const contact = await subscriberFor(customer);
    simulator.control.throttle(1);

    await text(contact, "unsubscribe me");
    const deferred = await waitFor(async () => {
      const row = await reload(contact.id);
      return row.shopifyConsentSyncAttempts === 1 ? row : null;
    });
    expect(deferred.shopifySyncError).toMatch(/THROTTLED/);
    expect(shopifyConsentOf(customer.id)?.marketingState).toBe("SUBSCRIBED");

    await waitFor(() => shopifyConsentOf(customer.id)?.marketingState === "UNSUBSCRIBED", 30_000);
    const done = await waitFor(async () => {
      const row = await reload(contact.id);
      return row.shopifyConsentSyncEventId === null ? row : null;
    });
    expect(done).toMatchObject({ shopifyConsentSyncAttempts: 0, shopifySyncError: null });
  });
});

// ─── Parley → Shopify, the sync itself ────────────────────────────────────────────────────────────

describe("Parley → Shopify", () => {
  test("a confirmed double opt-in creates the customer: SUBSCRIBED, CONFIRMED_OPT_IN, linked", async () => {
    const contact = await createContact(SHOP, {
      phoneE164: fakePhone(),
      firstName: "Robin",
      lastName: "Vale",
      email: `robin.${randomUUID()}@example.com`,
    });
    await consent(
      contact,
      { type: "marketing_opt_in", source: "STOREFRONT_FORM", doubleOptIn: true },
      { source: "STOREFRONT_FORM", pageUrl: "https://shop/" },
    );
    expect((await marketing(contact.id))?.status).toBe("PENDING");
    // Shopify has no word for "pending": nothing to sync, and no customer for someone who has not said yes.
    expect((await reload(contact.id)).shopifyConsentSyncEventId).toBeNull();
    const customersBefore = simulator.store.customers.length;

    await text(contact, "Y");
    expect((await marketing(contact.id))?.status).toBe("SUBSCRIBED");
    expect(await sync(contact.id)).toMatchObject({ outcome: "created" });

    expect(simulator.store.customers).toHaveLength(customersBefore + 1);
    const created = simulator.store.customerByPhone(contact.phoneE164)!;
    expect(created).toMatchObject({ firstName: "Robin", lastName: "Vale", email: contact.email });
    // Tagged with where they signed up (the form), not with the "Y" that confirmed it.
    expect(created.tags).toContain("parley-storefront");
    expect(created.tags).not.toContain("parley-keyword");
    expect(created.smsConsent).toMatchObject({ marketingState: "SUBSCRIBED", marketingOptInLevel: "CONFIRMED_OPT_IN" });
    const confirmed = (await marketingEvents(contact.id)).at(-1)!;
    expect(created.smsConsent?.consentUpdatedAt).toBe(confirmed.occurredAt.toISOString());
    expect(await reload(contact.id)).toMatchObject({
      shopifyCustomerId: gid(created.id),
      shopifyConsentSyncEventId: null,
    });
  });

  test("a confirmed double opt-in links the existing customer found by phone", async () => {
    const customer = storeCustomer("NOT_SUBSCRIBED");
    const contact = await createContact(SHOP, { phoneE164: customer.phone! });
    await consent(contact, { type: "marketing_opt_in", source: "POPUP", doubleOptIn: true }, { source: "POPUP" });
    await text(contact, "YES");

    expect(await sync(contact.id)).toMatchObject({ outcome: "synced" });
    expect(shopifyConsentOf(customer.id)).toMatchObject({
      marketingState: "SUBSCRIBED",
      marketingOptInLevel: "CONFIRMED_OPT_IN",
    });
    expect((await reload(contact.id)).shopifyCustomerId).toBe(gid(customer.id));
    expect(simulator.store.customer(customer.id)?.tags).toContain("parley-storefront");
  });

  test("a single opt-in is SINGLE_OPT_IN, on the customer already linked", async () => {
    const { customer, contact } = await linkedCustomerSubscribedByStaff();
    expect(await sync(contact.id)).toMatchObject({ outcome: "synced" });
    expect(shopifyConsentOf(customer.id)).toMatchObject({
      marketingState: "SUBSCRIBED",
      marketingOptInLevel: "SINGLE_OPT_IN",
    });
  });

  test("someone who only texted and opted out does not become a Shopify customer", async () => {
    const contact = await createContact(SHOP, { phoneE164: fakePhone() });
    const customersBefore = simulator.store.customers.length;
    await text(contact, "Where is my order?");
    expect((await reload(contact.id)).shopifyConsentSyncEventId).toBeNull(); // conversational consent is not Shopify's
    await text(contact, "STOP");
    expect((await reload(contact.id)).shopifyConsentSyncEventId).not.toBeNull();

    expect(await sync(contact.id)).toMatchObject({ outcome: "no_customer" });
    expect(simulator.store.customers).toHaveLength(customersBefore);
    expect(await reload(contact.id)).toMatchObject({ shopifyCustomerId: null, shopifyConsentSyncEventId: null });
  });

  test("shoppers' texts go first: each batch is taken only once the sync has been let through", async () => {
    const { customer, contact } = await linkedCustomerSubscribedByStaff();
    const due = (await reload(contact.id)).shopifyConsentSyncDueAt;
    let letThrough = () => {};
    const yieldToShoppers = vi.fn(() => new Promise<void>((resolve) => (letThrough = resolve)));
    const running = syncShopifyConsent({ contactId: contact.id }, { ...defaultConsentSyncDeps, yieldToShoppers });

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(yieldToShoppers).toHaveBeenCalledTimes(1);
    expect((await reload(contact.id)).shopifyConsentSyncDueAt).toEqual(due); // not leased, nothing asked of Shopify
    expect(shopifyConsentOf(customer.id)?.marketingState).toBe("NOT_SUBSCRIBED");

    letThrough();
    expect(await running).toMatchObject([{ contactId: contact.id, outcome: "synced" }]);
    expect(shopifyConsentOf(customer.id)?.marketingState).toBe("SUBSCRIBED");
  });

  test("a THROTTLED answer backs off, and the retry at the due time succeeds", async () => {
    const customer = storeCustomer("SUBSCRIBED");
    const contact = await subscriberFor(customer);
    await text(contact, "STOP");
    simulator.control.throttle(1);

    const now = new Date();
    const first = await sync(contact.id, now);
    expect(first).toMatchObject({ outcome: "retrying", error: expect.stringMatching(/THROTTLED/) });
    expect(first!.retryAt!.getTime() - now.getTime()).toBeGreaterThanOrEqual(1_000);
    expect(await reload(contact.id)).toMatchObject({
      shopifyConsentSyncAttempts: 1,
      shopifyConsentSyncDueAt: first!.retryAt,
    });
    expect(shopifyConsentOf(customer.id)?.marketingState).toBe("SUBSCRIBED");
    expect(await sync(contact.id, now)).toBeUndefined(); // not due yet

    expect(await sync(contact.id, first!.retryAt!)).toMatchObject({ outcome: "synced" });
    expect(shopifyConsentOf(customer.id)?.marketingState).toBe("UNSUBSCRIBED");
    expect(await reload(contact.id)).toMatchObject({
      shopifyConsentSyncAttempts: 0,
      shopifySyncError: null,
      shopifyConsentSyncDueAt: null,
    });
  });

  test("HTTP 503 is retried too; Shopify's userErrors are recorded and not retried", async () => {
    const customer = storeCustomer("SUBSCRIBED");
    const contact = await subscriberFor(customer);
    await text(contact, "STOP");
    simulator.control.failRequests(1, 503);
    const retried = await sync(contact.id);
    expect(retried).toMatchObject({ outcome: "retrying" });
    expect(await sync(contact.id, retried!.retryAt!)).toMatchObject({ outcome: "synced" });

    // Customer 8 has no phone: Shopify refuses an SMS consent for them.
    const phoneless = simulator.store.customers.find((c) => c.phone === null)!;
    const linked = await createContact(SHOP, { phoneE164: fakePhone(), shopifyCustomerId: gid(phoneless.id) });
    await createConsent(SHOP, linked);
    await consent(linked, { type: "opt_out", source: "ADMIN" }, { source: "ADMIN", actor: "staff-1" });
    expect(await sync(linked.id)).toMatchObject({
      outcome: "refused",
      error: expect.stringContaining("phone number is required"),
    });
    const refused = await reload(linked.id);
    expect(refused).toMatchObject({
      shopifyConsentSyncDueAt: null,
      shopifySyncError: expect.stringContaining("customerSmsMarketingConsentUpdate"),
    });
    expect(refused.shopifyConsentSyncEventId).not.toBeNull(); // kept: what still is not in Shopify
    expect(await sync(linked.id, new Date(Date.now() + 86_400_000))).toBeUndefined();
  });

  test("a change that lands while the sync runs is not lost", async () => {
    const customer = storeCustomer("NOT_SUBSCRIBED");
    const contact = await createContact(SHOP, { phoneE164: customer.phone!, shopifyCustomerId: gid(customer.id) });
    await consent(contact, { type: "marketing_opt_in", source: "ADMIN", doubleOptIn: false }, { source: "ADMIN" });
    const deps = {
      ...defaultConsentSyncDeps,
      adminFor: async (shop: string) => {
        // The shopper texts STOP just as the sync starts talking to Shopify.
        await text(contact, "STOP");
        return defaultConsentSyncDeps.adminFor(shop);
      },
    };
    const [first] = await syncShopifyConsent({ contactId: contact.id }, deps);
    expect(first.outcome).toBe("superseded");
    expect((await reload(contact.id)).shopifyConsentSyncEventId).not.toBeNull();
    expect(await sync(contact.id)).toMatchObject({ outcome: "synced" });
    expect(shopifyConsentOf(customer.id)?.marketingState).toBe("UNSUBSCRIBED");
  });
});

// ─── Shopify → Parley ─────────────────────────────────────────────────────────────────────────────

describe("Shopify → Parley (customers/update)", () => {
  test("a customer subscribing in Shopify becomes a contact with a SHOPIFY consent event, and nothing is pushed back", async () => {
    const customer = storeCustomer("NOT_SUBSCRIBED");
    expect(await prisma.contact.count({ where: { shopId: SHOP, phoneE164: customer.phone! } })).toBe(0);

    const event = await simulator.control.runEvent("customer-updated", {
      customerId: customer.id,
      smsMarketingState: "SUBSCRIBED",
      marketingOptInLevel: "SINGLE_OPT_IN",
    });
    expect(event.webhooks[0]).toMatchObject({ topic: "customers/update", status: 200 });

    const contact = await prisma.contact.findUniqueOrThrow({
      where: { shopId_phoneE164: { shopId: SHOP, phoneE164: customer.phone! } },
    });
    expect(contact).toMatchObject({
      shopifyCustomerId: gid(customer.id),
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email,
      shopifyConsentSyncEventId: null, // Shopify's own change is not echoed back
    });
    const events = await marketingEvents(contact.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: "SUBSCRIBED", source: "SHOPIFY", shopifyCustomerId: gid(customer.id) });
    // The consent time Shopify reports, to the second (REST timestamps carry no milliseconds).
    expect(Math.floor(events[0].occurredAt.getTime() / 1000)).toBe(
      Math.floor(Date.parse(shopifyConsentOf(customer.id)!.consentUpdatedAt!) / 1000),
    );
    expect(await marketing(contact.id)).toMatchObject({
      status: "SUBSCRIBED",
      source: "SHOPIFY",
      lastEventId: events[0].id,
    });
    expect(await sync(contact.id)).toBeUndefined();
  });

  test("the same delivery twice records one event; a new delivery with the same state records none", async () => {
    const customer = storeCustomer("NOT_SUBSCRIBED");
    await simulator.control.runEvent("customer-updated", {
      customerId: customer.id,
      smsMarketingState: "UNSUBSCRIBED",
    });
    const first = delivered.at(-1)!;
    expect(first.status).toBe(200);

    const replay = await deliverToRoute(new Headers(first.headers), first.rawBody);
    expect(replay.status).toBe(200);
    const eventId = first.headers.get("x-shopify-event-id")!;
    expect(await prisma.webhookDelivery.count({ where: { id: eventId } })).toBe(1);

    // A tag change: Shopify sends the whole customer again, consent unchanged.
    await simulator.control.runEvent("customer-updated", { customerId: customer.id, addTags: ["VIP"] });
    expect(delivered.at(-1)!.status).toBe(200);

    const contact = await prisma.contact.findUniqueOrThrow({
      where: { shopId_phoneE164: { shopId: SHOP, phoneE164: customer.phone! } },
    });
    const events = await marketingEvents(contact.id);
    expect(events.map((e) => [e.status, e.source])).toEqual([["UNSUBSCRIBED", "SHOPIFY"]]);
  });

  test("Shopify echoing Parley's own change records nothing (no loop)", async () => {
    const customer = storeCustomer("SUBSCRIBED");
    const contact = await subscriberFor(customer);
    await text(contact, "STOP");
    expect(await sync(contact.id)).toMatchObject({ outcome: "synced" });
    const before = await prisma.consentEvent.count({ where: { contactId: contact.id } });

    // What Shopify sends after the app's mutation: the customer with the consent Parley just set.
    const echo = await simulator.control.runEvent("customer-updated", { customerId: customer.id });
    expect(echo.webhooks[0]).toMatchObject({
      status: 200,
      payload: { sms_marketing_consent: { state: "unsubscribed" } },
    });

    expect(await prisma.consentEvent.count({ where: { contactId: contact.id } })).toBe(before);
    expect((await reload(contact.id)).shopifyConsentSyncEventId).toBeNull();

    // The same for a confirmed opt-in Parley pushed.
    const joiner = await createContact(SHOP, { phoneE164: fakePhone() });
    await consent(joiner, { type: "marketing_opt_in", source: "STOREFRONT_FORM" }, { source: "STOREFRONT_FORM" });
    await text(joiner, "Y");
    expect(await sync(joiner.id)).toMatchObject({ outcome: "created" });
    const joinerBefore = await prisma.consentEvent.count({ where: { contactId: joiner.id } });
    const created = simulator.store.customerByPhone(joiner.phoneE164)!;
    await simulator.control.runEvent("customer-updated", { customerId: created.id });
    expect(delivered.at(-1)!.status).toBe(200);
    expect(await prisma.consentEvent.count({ where: { contactId: joiner.id } })).toBe(joinerBefore);
  });

  test("a Shopify opt-in cannot undo the shopper's own STOP", async () => {
    const customer = storeCustomer("SUBSCRIBED");
    const contact = await subscriberFor(customer);
    await consent(
      contact,
      { type: "opt_out", source: "KEYWORD" },
      { source: "KEYWORD", keyword: "STOP", occurredAt: new Date(Date.now() - 60_000) },
    );
    const before = await prisma.consentEvent.count({ where: { contactId: contact.id } });

    await simulator.control.runEvent("customer-updated", { customerId: customer.id, smsMarketingState: "SUBSCRIBED" });
    expect(delivered.at(-1)!.status).toBe(200);
    expect(await prisma.consentEvent.count({ where: { contactId: contact.id } })).toBe(before);
    expect((await marketing(contact.id))?.status).toBe("UNSUBSCRIBED");
  });

  test("Shopify unsubscribing a Parley subscriber is recorded; an older, late delivery is ignored", async () => {
    const customer = storeCustomer("SUBSCRIBED");
    const contact = await subscriberFor(customer);
    await simulator.control.runEvent("customer-updated", {
      customerId: customer.id,
      smsMarketingState: "UNSUBSCRIBED",
    });
    expect(await marketing(contact.id)).toMatchObject({ status: "UNSUBSCRIBED", source: "SHOPIFY" });
    expect((await reload(contact.id)).shopifyCustomerId).toBe(gid(customer.id));

    // The shopper re-joins by text (START restores marketing), then a delivery from before that arrives late.
    await text(contact, "START");
    expect((await marketing(contact.id))?.status).toBe("SUBSCRIBED");
    const events = (await marketingEvents(contact.id)).length;
    const late = {
      ...(customerPayload(simulator.store, simulator.store.customer(customer.id)!) as Record<string, unknown>),
    };
    late.sms_marketing_consent = {
      state: "unsubscribed",
      opt_in_level: "single_opt_in",
      consent_updated_at: new Date(Date.now() - 3_600_000).toISOString(),
      consent_collected_from: "SHOPIFY",
    };
    expect((await simulator.emitWebhook("customers/update", late)).status).toBe(200);
    expect((await marketingEvents(contact.id)).length).toBe(events);
    expect((await marketing(contact.id))?.status).toBe("SUBSCRIBED");
  });

  test("phones are normalised; with no phone the linked contact is used; unknown customers who said nothing are not imported", async () => {
    const customer = storeCustomer("NOT_SUBSCRIBED");
    const base = customerPayload(simulator.store, simulator.store.customer(customer.id)!) as Record<string, unknown>;
    const national = customer.phone!.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, "($1) $2-$3");

    // Not subscribed, never touched: nothing to record, no contact.
    expect((await simulator.emitWebhook("customers/update", { ...base, phone: national })).status).toBe(200);
    expect(await prisma.contact.count({ where: { shopId: SHOP, phoneE164: customer.phone! } })).toBe(0);

    const subscribed = {
      state: "subscribed",
      opt_in_level: "single_opt_in",
      consent_updated_at: new Date().toISOString(),
      consent_collected_from: "SHOPIFY",
    };
    expect(
      (await simulator.emitWebhook("customers/update", { ...base, phone: national, sms_marketing_consent: subscribed }))
        .status,
    ).toBe(200);
    const contact = await prisma.contact.findUniqueOrThrow({
      where: { shopId_phoneE164: { shopId: SHOP, phoneE164: customer.phone! } },
    });
    expect((await marketing(contact.id))?.status).toBe("SUBSCRIBED");

    // Without protected customer data the payload has no phone or name: the linked contact still hears the news.
    const unsubscribed = { ...subscribed, state: "unsubscribed", consent_updated_at: new Date().toISOString() };
    const redacted = {
      ...base,
      phone: null,
      email: null,
      first_name: null,
      last_name: null,
      sms_marketing_consent: unsubscribed,
    };
    expect((await simulator.emitWebhook("customers/update", redacted)).status).toBe(200);
    expect(await marketing(contact.id)).toMatchObject({ status: "UNSUBSCRIBED", source: "SHOPIFY" });
    expect(await reload(contact.id)).toMatchObject({ firstName: customer.firstName, email: customer.email }); // not erased

    expect((await simulator.emitWebhook("customers/update", { id: "not-a-customer" })).status).toBe(400);
  });
});

// ─── Tenants ──────────────────────────────────────────────────────────────────────────────────────

describe("tenant isolation", () => {
  test("another shop's contact with the same phone is untouched both ways; a shop without a session is skipped", async () => {
    const customer = storeCustomer("SUBSCRIBED");
    const other = await createShop(); // installed once, uninstalled since: no offline session
    const theirs = await subscriberFor(customer, other.id);
    const ours = await subscriberFor(customer);
    const snapshot = async () => ({
      contact: await reload(theirs.id),
      events: await prisma.consentEvent.findMany({ where: { contactId: theirs.id }, orderBy: { id: "asc" } }),
      states: await prisma.consentState.findMany({ where: { contactId: theirs.id }, orderBy: { purpose: "asc" } }),
    });
    const before = await snapshot();

    await text(ours, "STOP");
    expect(await sync(ours.id)).toMatchObject({ outcome: "synced" });
    await simulator.control.runEvent("customer-updated", {
      customerId: customer.id,
      smsMarketingState: "SUBSCRIBED",
      marketingOptInLevel: "CONFIRMED_OPT_IN",
    });
    expect(delivered.at(-1)!.status).toBe(200);
    expect(await snapshot()).toEqual(before);
    expect((await reload(ours.id)).shopifyCustomerId).toBe(gid(customer.id));

    // The other shop's own change is marked, but with no offline session it is skipped: Shopify is not called.
    await consent(theirs, { type: "opt_out", source: "ADMIN" }, { source: "ADMIN" });
    const stateInShopify = { ...shopifyConsentOf(customer.id) };
    const now = new Date();
    const skipped = await sync(theirs.id, now);
    expect(skipped).toMatchObject({ shopId: other.id, outcome: "not_installed" });
    expect(skipped!.retryAt!.getTime()).toBeGreaterThan(now.getTime() + 3_600_000);
    expect(shopifyConsentOf(customer.id)).toEqual(stateInShopify);
    expect(await reload(theirs.id)).toMatchObject({
      shopifyCustomerId: null,
      shopifySyncError: expect.stringContaining("offline session"),
      shopifyConsentSyncAttempts: 0,
    });
  });
});
