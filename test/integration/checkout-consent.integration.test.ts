import { createHmac, randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import type { CheckoutRecord } from "~/sandbox/shopify/types";
import * as checkoutsCreate from "~/routes/webhooks.checkouts.create";
import * as checkoutsUpdate from "~/routes/webhooks.checkouts.update";
import * as customersUpdate from "~/routes/webhooks.customers.update";
import { checkoutPayload, customerPayload } from "~/sandbox/shopify/rest-payloads";
import { createShopifySimulator, type ShopifySimulator } from "~/sandbox/shopify/router";
import { checkoutNote } from "~/services/opt-in/checkout-consent.server";
import { startOptIn } from "~/services/opt-in/start.server";
import { createConsent, createContact, createShop } from "../helpers/factories";
import { TEST_APP_URL, TEST_SHOPIFY_API_KEY, TEST_SHOPIFY_API_SECRET } from "../helpers/test-env";

// Checkout opt-in: Shopify-signed checkouts/create and checkouts/update deliveries (payloads from the store
// simulator, with the real REST fields buyer_accepts_sms_marketing and sms_marketing_phone) to the real routes.

const SHOP = "checkout-demo.myshopify.com";
let simulator: ShopifySimulator;

type Route = { action: (args: ActionFunctionArgs) => Promise<Response> };

function deliver(route: Route, topic: string, body: unknown, options: { eventId?: string; secret?: string } = {}) {
  const raw = JSON.stringify(body);
  const request = new Request(`${TEST_APP_URL}/webhooks/${topic}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": SHOP,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", options.secret ?? TEST_SHOPIFY_API_SECRET)
        .update(raw, "utf8")
        .digest("base64"),
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
      "X-Shopify-API-Version": "2025-10",
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
    body: raw,
  });
  return route.action({ request, params: {}, context: {} });
}

beforeAll(async () => {
  simulator = createShopifySimulator({
    apiKey: TEST_SHOPIFY_API_KEY,
    apiSecret: TEST_SHOPIFY_API_SECRET,
    appUrl: TEST_APP_URL,
    shop: SHOP,
  });
  await createShop({ id: SHOP, name: "Acme Outfitters" });
  await prisma.shopSettings.update({
    where: { shopId: SHOP },
    data: { brandName: "Acme Outfitters", supportContact: "help@acme.test" },
  });
  await prisma.sendingNumber.create({ data: { shopId: SHOP, phoneE164: "+15005550177", isDefault: true } });
});

afterAll(async () => {
  await simulator?.close();
});

/** Seeded store checkouts with a phone and a customer, each used by one test. */
const used = new Set<number>();
function storeCheckout(): CheckoutRecord {
  const checkout = simulator.store.checkouts.find((c) => c.phone && c.customerId !== null && !used.has(c.id));
  if (!checkout) throw new Error("no unused checkout with a phone");
  used.add(checkout.id);
  return checkout;
}

/** The checkouts/* payload with the buyer's SMS checkbox ticked (or not). */
function payload(checkout: CheckoutRecord, accepts = true) {
  return checkoutPayload(simulator.store, { ...checkout, buyerAcceptsSmsMarketing: accepts }) as Record<
    string,
    unknown
  > & { sms_marketing_phone: string | null; customer: { id: number } };
}

async function contactFor(phone: string) {
  return prisma.contact.findUnique({ where: { shopId_phoneE164: { shopId: SHOP, phoneE164: phone } } });
}

const marketingEvents = (contactId: string) =>
  prisma.consentEvent.findMany({ where: { contactId, purpose: "MARKETING" }, orderBy: { occurredAt: "asc" } });

describe("checkout opt-in", () => {
  test("checkouts/create with the SMS box ticked: SUBSCRIBED, source checkout, customer linked, one welcome", async () => {
    const checkout = storeCheckout();
    const body = payload(checkout);
    expect(body.buyer_accepts_sms_marketing).toBe(true);
    expect(body.sms_marketing_phone).toBe(checkout.phone);

    const response = await deliver(checkoutsCreate, "checkouts/create", body, { eventId: `create-${checkout.id}` });
    expect(response.status).toBe(200);
    const contact = (await contactFor(checkout.phone!))!;
    expect(contact.shopifyCustomerId).toBe(`gid://shopify/Customer/${checkout.customerId}`);
    const buyer = body.customer as unknown as { first_name: string; last_name: string; email: string };
    expect(contact).toMatchObject({ firstName: buyer.first_name, lastName: buyer.last_name, email: buyer.email });
    const events = await marketingEvents(contact.id);
    expect(events).toEqual([
      expect.objectContaining({
        status: "SUBSCRIBED",
        source: "CHECKOUT",
        note: checkoutNote(checkout.id),
        shopifyCustomerId: `gid://shopify/Customer/${checkout.customerId}`,
        phoneE164: checkout.phone,
      }),
    ]);
    const welcome = await prisma.message.findMany({ where: { contactId: contact.id, direction: "OUTBOUND" } });
    expect(welcome).toEqual([
      expect.objectContaining({ purpose: "SYSTEM", status: "QUEUED", idempotencyKey: `welcome:${events[0].id}` }),
    ]);
    expect(welcome[0].body).toMatch(/^Acme Outfitters: Thanks for subscribing/);

    // The same delivery again (Shopify's retry), then checkouts/update for the same checkout: nothing new.
    expect(
      (await deliver(checkoutsCreate, "checkouts/create", body, { eventId: `create-${checkout.id}` })).status,
    ).toBe(200);
    expect((await deliver(checkoutsUpdate, "checkouts/update", body)).status).toBe(200);
    expect(await marketingEvents(contact.id)).toHaveLength(1);
    expect(await prisma.message.count({ where: { contactId: contact.id, direction: "OUTBOUND" } })).toBe(1);

    // Shopify then tells us the same consent through customers/update: already known, nothing recorded.
    const customer = simulator.store.customer(checkout.customerId!)!;
    const update = {
      ...(customerPayload(simulator.store, customer) as object),
      phone: checkout.phone,
      sms_marketing_consent: {
        state: "subscribed",
        opt_in_level: "single_opt_in",
        consent_updated_at: new Date().toISOString(),
        consent_collected_from: "SHOPIFY",
      },
    };
    expect((await deliver(customersUpdate, "customers/update", update)).status).toBe(200);
    expect(await marketingEvents(contact.id)).toHaveLength(1);
    expect(await prisma.message.count({ where: { contactId: contact.id, direction: "OUTBOUND" } })).toBe(1);
  });

  test("a checkout without the SMS box stores nothing", async () => {
    const checkout = storeCheckout();
    const body = payload(checkout, false);
    expect((await deliver(checkoutsUpdate, "checkouts/update", body)).status).toBe(200);
    expect(await contactFor(checkout.phone!)).toBeNull();
  });

  test("a forged signature is refused with 401 and nothing is stored", async () => {
    const checkout = storeCheckout();
    const response = await deliver(checkoutsCreate, "checkouts/create", payload(checkout), {
      secret: "not-the-secret",
    });
    expect(response.status).toBe(401);
    expect(await contactFor(checkout.phone!)).toBeNull();
  });

  test("a number opted out by STOP stays opted out: the checkbox does not undo it", async () => {
    const checkout = storeCheckout();
    const contact = await createContact(SHOP, { phoneE164: checkout.phone! });
    await createConsent(SHOP, contact, { purpose: "MARKETING", status: "UNSUBSCRIBED", source: "KEYWORD" });
    await createConsent(SHOP, contact, { purpose: "TRANSACTIONAL", status: "UNSUBSCRIBED", source: "KEYWORD" });
    expect((await deliver(checkoutsCreate, "checkouts/create", payload(checkout))).status).toBe(200);
    expect((await marketingEvents(contact.id)).map((e) => e.status)).toEqual(["UNSUBSCRIBED"]);
    expect(await prisma.message.count({ where: { contactId: contact.id } })).toBe(0);
  });

  test("a storefront request still waiting for its Y is completed by the checkout's consent", async () => {
    const checkout = storeCheckout();
    const pending = await startOptIn({
      shopId: SHOP,
      phoneE164: checkout.phone!,
      source: "POPUP",
      evidence: { disclosureText: "Text me offers", disclosureVersion: "v1", ipAddress: "203.0.113.5" },
    });
    expect(pending.outcome).toBe("pending");
    expect((await deliver(checkoutsCreate, "checkouts/create", payload(checkout))).status).toBe(200);
    const events = await marketingEvents(pending.contactId);
    expect(events.map((e) => [e.status, e.source])).toEqual([
      ["PENDING", "POPUP"],
      ["SUBSCRIBED", "CHECKOUT"],
    ]);
  });
});
