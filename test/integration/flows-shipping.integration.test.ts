import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { formatShopDay } from "~/domain/flows/delivery-question";
import { LISTEN_AFTER_DELIVERY_DAYS } from "~/domain/flows/shipping-update";
import { localDateOf } from "~/domain/zoned-time";
import * as fulfillmentsCreate from "~/routes/webhooks.fulfillments.create";
import * as fulfillmentsUpdate from "~/routes/webhooks.fulfillments.update";
import type { StoreEventKind } from "~/sandbox/shopify/events";
import type { CustomerRecord } from "~/sandbox/shopify/types";
import { processShipment } from "~/services/flows/shipping-updates.server";
import { fireDueFlowTimers } from "~/services/flows/timers.server";
import { createConsent, createContact } from "../helpers/factories";
import { fixedZoneWhereItIs, waitFor, type EngineHarness } from "../helpers/engine-harness";
import type { SimulatedStore } from "../helpers/simulated-store";
import { runQueuedJobs, startStoreHarness, type StoreHarness } from "../helpers/store-harness";

// Shipping updates end to end: the simulated store ships an order and moves the parcel; its Shopify-signed
// fulfillments/create|update webhooks reach the real routes over HTTP; the `flows.shipment` job they enqueue is run
// here with the test's clock against the store's Admin API; texts go through the real SMS loops to the Telnyx
// simulator's phones, and the shopper's replies come back the same way.

const DAY = 86_400_000;
const ZONE = "America/New_York"; // the shop's time zone (ShopSettings default)
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

let harness: StoreHarness;
let h: EngineHarness;
let store: SimulatedStore;
let shopId: string;

beforeAll(async () => {
  harness = await startStoreHarness({
    webhooks: { "fulfillments/create": fulfillmentsCreate, "fulfillments/update": fulfillmentsUpdate },
  });
  ({ h, store, shopId } = harness);
  await prisma.flowSetting.create({ data: { shopId, kind: "SHIPPING_UPDATE", enabled: true } });
}, 60_000);

afterAll(() => harness?.close());

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────────

/** A store customer with a phone who never subscribed to marketing texts, not used by another test. */
function shopper(): CustomerRecord & { phone: string } {
  return harness.unusedCustomer((c) => c.smsConsent?.marketingState !== "SUBSCRIBED");
}

/** The shopper as Parley already knows them (no consent), in a zone where it is `localHour` o'clock now. */
function knownContact(customer: { phone: string }, localHour = 13) {
  return createContact(shopId, {
    phoneE164: customer.phone,
    firstName: null,
    quietZones: fixedZoneWhereItIs(localHour).quietZones,
  });
}

async function storeEvent(kind: StoreEventKind, body: Record<string, unknown>) {
  const result = await store.simulator.control.runEvent(kind, body);
  for (const webhook of result.webhooks.filter((w) => w.topic.startsWith("fulfillments/")))
    expect(webhook.status, `${webhook.topic} answered`).toBe(200);
  return result;
}

async function ship(customerId: number, company: "UPS" | "FedEx" | "USPS" = "UPS") {
  const placed = await storeEvent("order-placed", { customerId });
  const orderId = String(placed.entity.orderId);
  const shipped = await storeEvent("fulfillment-created", { orderId, company });
  const fulfillmentGid = String(shipped.entity.fulfillmentId);
  const record = store.simulator.store.fulfillment(Number(fulfillmentGid.split("/").pop()))!;
  return { orderId, fulfillmentGid, order: record.order, fulfillment: record.fulfillment };
}

/** Runs the `flows.shipment` jobs the webhooks enqueued, with the test's clock. */
const runShipmentJobs = (now = new Date()) =>
  runQueuedJobs("flowShipment", (payload) =>
    processShipment(payload, { adminFor: async () => store.admin, now: () => now }),
  );

const outbound = (contactId: string) =>
  prisma.message.findMany({ where: { contactId, direction: "OUTBOUND" }, orderBy: { createdAt: "asc" } });

async function textsTo(phone: string) {
  await h.settle();
  return h.messagesTo(phone).map((m) => m.text);
}

/** Waits for the network to carry a text to the shopper matching `pattern`. */
function textArrives(phone: string, pattern: RegExp) {
  return waitFor(
    () => h.messagesTo(phone).find((m) => pattern.test(m.text)),
    20_000,
    () => `a text matching ${pattern} to the shopper; got ${JSON.stringify(h.messagesTo(phone).map((m) => m.text))}`,
  );
}

const runOf = (fulfillmentGid: string) =>
  prisma.flowRun.findUniqueOrThrow({
    where: {
      shopId_kind_subjectKey: {
        shopId,
        kind: "SHIPPING_UPDATE",
        subjectKey: `fulfillment:${fulfillmentGid.split("/").pop()}`,
      },
    },
  });

/** The weekday `days` after the estimate, in the shop's zone, as a shopper names it. */
function weekdayAround(eta: Date, days: number) {
  const local = localDateOf(ZONE, eta.getTime() + days * DAY);
  return WEEKDAYS[new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay()];
}

// ─── tests ────────────────────────────────────────────────────────────────────────────────────────

describe("shipped", () => {
  test("one TRANSACTIONAL text with carrier, tracking link and estimate, to a shopper without marketing consent; replayed and repeated webhooks send nothing more", async () => {
    const customer = shopper();
    const contact = await knownContact(customer);
    const { order, fulfillment, fulfillmentGid } = await ship(customer.id, "UPS");

    expect(await runShipmentJobs()).toEqual([{ outcome: "done", shipping: "started", feedback: null }]);
    const eta = new Date(fulfillment.estimatedDeliveryAt!);
    const [text] = await outbound(contact.id);
    expect(text).toMatchObject({ purpose: "TRANSACTIONAL", authorKind: "AUTOMATION", holdUntil: null });
    expect(text.body).toContain(
      `Your order #${order.number} is on its way with UPS. Track it: ${fulfillment.trackingUrl} It should arrive by ${formatShopDay(eta, ZONE)}.`,
    );
    expect(await textsTo(customer.phone)).toEqual([text.body]);

    // Consent: the number given at checkout for this order is a transactional opt-in; marketing untouched.
    const states = await prisma.consentState.findMany({ where: { contactId: contact.id } });
    expect(states).toEqual([
      expect.objectContaining({ purpose: "TRANSACTIONAL", status: "SUBSCRIBED", source: "CHECKOUT" }),
    ]);
    const run = await runOf(fulfillmentGid);
    expect(run).toMatchObject({ status: "ACTIVE", state: "shipped", awaitingReply: true, contactId: contact.id });
    expect(text.flowRunId).toBe(run.id);

    // Shopify's retry of the same delivery is answered 200 and dropped by the receiver.
    const delivery = store.simulator.control.deliveries.find((d) => d.topic === "fulfillments/create")!;
    const retry = { webhookId: delivery.webhookId, eventId: delivery.eventId };
    expect((await store.simulator.emitWebhook(delivery.topic, delivery.payload, retry)).status).toBe(200);
    // The same news under a new delivery id gets as far as the run, which has nothing new to say.
    expect((await store.simulator.emitWebhook(delivery.topic, delivery.payload)).status).toBe(200);
    await runShipmentJobs();
    expect(await outbound(contact.id)).toHaveLength(1);
    expect(await textsTo(customer.phone)).toHaveLength(1);
  });

  test("a shopper Parley never met: a contact for the order's phone, linked to the customer, with transactional consent", async () => {
    const customer = shopper();
    await ship(customer.id);
    expect(await runShipmentJobs()).toEqual([{ outcome: "done", shipping: "started", feedback: null }]);
    const contact = await prisma.contact.findUniqueOrThrow({
      where: { shopId_phoneE164: { shopId, phoneE164: customer.phone } },
    });
    expect(contact).toMatchObject({
      shopifyCustomerId: `gid://shopify/Customer/${customer.id}`,
      firstName: customer.firstName,
      lastName: customer.lastName,
    });
    expect(await prisma.consentEvent.findMany({ where: { contactId: contact.id } })).toEqual([
      expect.objectContaining({
        purpose: "TRANSACTIONAL",
        status: "SUBSCRIBED",
        source: "CHECKOUT",
        note: expect.stringMatching(/^phone given at checkout for order updates \(order #\d+\)$/),
      }),
    ]);
    // Sent or held for the morning, depending on the hour where the number is: either way, one shipping text.
    expect(await outbound(contact.id)).toEqual([expect.objectContaining({ purpose: "TRANSACTIONAL" })]);
  });

  test("a shopper who opted out gets nothing, and the order does not undo the opt-out", async () => {
    const customer = shopper();
    const contact = await knownContact(customer);
    await createConsent(shopId, contact, { purpose: "TRANSACTIONAL", status: "UNSUBSCRIBED", source: "KEYWORD" });
    await ship(customer.id);
    expect(await runShipmentJobs()).toEqual([{ outcome: "done", shipping: "not_started:opted_out", feedback: null }]);
    expect(await outbound(contact.id)).toEqual([]);
    expect(await prisma.consentEvent.count({ where: { contactId: contact.id } })).toBe(1);
  });

  test("quiet hours hold the automated shipping text until the morning (decision 0006)", async () => {
    const customer = shopper();
    const contact = await knownContact(customer, 3); // 03:00 where the shopper is
    await ship(customer.id);
    await runShipmentJobs();
    const [held] = await outbound(contact.id);
    expect(held).toMatchObject({ purpose: "TRANSACTIONAL", status: "HELD" });
    const morning = fixedZoneWhereItIs(3).localTime(8);
    expect(held.holdUntil?.getTime()).toBeGreaterThanOrEqual(morning.getTime());
    expect(await textsTo(customer.phone)).toEqual([]);
  });
});

describe("replies", () => {
  test("“will it arrive by …?” is answered from the estimate: yes before the asked day", async () => {
    const customer = shopper();
    await knownContact(customer);
    const { fulfillment } = await ship(customer.id);
    await runShipmentJobs();
    await textArrives(customer.phone, /on its way/);
    const eta = new Date(fulfillment.estimatedDeliveryAt!);
    const asked = weekdayAround(eta, 1); // the day after the estimate (the store estimates 4 days out)
    await h.textFromShopper(customer.phone, `will it arrive by ${asked}?`);
    await textArrives(
      customer.phone,
      new RegExp(`^Yes — it's expected ${formatShopDay(eta, ZONE)}, before ${asked}\\.$`),
    );
  });

  test("…and no after it: said so, and handed to staff with a summary", async () => {
    const customer = shopper();
    const contact = await knownContact(customer);
    const { fulfillment, order } = await ship(customer.id);
    await runShipmentJobs();
    await textArrives(customer.phone, /on its way/);
    const eta = new Date(fulfillment.estimatedDeliveryAt!);
    const asked = weekdayAround(eta, -1); // the day before the estimate, still ahead of today
    await h.textFromShopper(customer.phone, `will it arrive by ${asked}?`);
    await textArrives(
      customer.phone,
      new RegExp(`^It's expected ${formatShopDay(eta, ZONE)}, so after ${asked}, sorry! I've asked the team`),
    );
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { shopId, contactId: contact.id } });
    expect(conversation).toMatchObject({ automationPaused: true, status: "OPEN" });
    expect(conversation.summary).toMatch(new RegExp(`^Asked if #${order.number} arrives by ${asked}`));
  });

  test("“text me when it's delivered”: confirmed, the delivered text arrives on delivery; the run ends days later", async () => {
    const customer = shopper();
    const contact = await knownContact(customer);
    const { fulfillmentGid, order } = await ship(customer.id, "FedEx");
    await runShipmentJobs();
    await textArrives(customer.phone, /on its way with FedEx/);

    await h.textFromShopper(customer.phone, "text me when it's delivered pls");
    await textArrives(customer.phone, /^Will do! I'll text you as soon as it's delivered\.$/);
    expect((await runOf(fulfillmentGid)).context).toMatchObject({ notifyOnDelivery: true });

    // Moving along: in transit (nothing to say), out for delivery (a text), delivered (a text: asked for).
    await storeEvent("fulfillment-in-transit", { fulfillmentId: fulfillmentGid });
    await runShipmentJobs();
    await storeEvent("fulfillment-in-transit", { fulfillmentId: fulfillmentGid, stage: "out_for_delivery" });
    await runShipmentJobs();
    await textArrives(customer.phone, new RegExp(`^Your order #${order.number} is out for delivery today!$`));
    await storeEvent("fulfillment-delivered", { fulfillmentId: fulfillmentGid });
    const deliveredAt = new Date();
    expect(await runShipmentJobs(deliveredAt)).toEqual([
      { outcome: "done", shipping: "applied", feedback: "not_started:disabled" }, // the shop asks for no feedback
    ]);
    await textArrives(customer.phone, new RegExp(`^Your order #${order.number} was delivered\\. Enjoy!`));
    const texts = await textsTo(customer.phone);
    expect(texts.filter((t) => /out for delivery/.test(t))).toHaveLength(1);
    expect(texts).toHaveLength(4); // shipped, "will do", out for delivery, delivered
    expect(await runOf(fulfillmentGid)).toMatchObject({ state: "delivered", status: "ACTIVE" });

    // LISTEN_AFTER_DELIVERY_DAYS later the run completes: later replies are no longer its business.
    await fireDueFlowTimers({
      shopId,
      now: new Date(deliveredAt.getTime() + LISTEN_AFTER_DELIVERY_DAYS * DAY - 60_000),
    });
    expect((await runOf(fulfillmentGid)).status).toBe("ACTIVE");
    await fireDueFlowTimers({
      shopId,
      now: new Date(deliveredAt.getTime() + LISTEN_AFTER_DELIVERY_DAYS * DAY + 60_000),
    });
    expect(await runOf(fulfillmentGid)).toMatchObject({ status: "COMPLETED", awaitingReply: false });
    expect(await outbound(contact.id)).toHaveLength(4);
  });
});

describe("delivery and feedback", () => {
  test("with shipping texts off and feedback on, a delivery starts the feedback flow and texts nothing", async () => {
    await prisma.flowSetting.update({
      where: { shopId_kind: { shopId, kind: "SHIPPING_UPDATE" } },
      data: { enabled: false },
    });
    await prisma.flowSetting.create({ data: { shopId, kind: "FEEDBACK", enabled: true } });
    try {
      const customer = shopper();
      const contact = await knownContact(customer);
      await createConsent(shopId, contact); // a marketing subscriber: feedback is marketing
      const { fulfillmentGid, orderId, order } = await ship(customer.id);
      expect(await runShipmentJobs()).toEqual([]); // shipped, and nobody is listening

      await storeEvent("fulfillment-delivered", { fulfillmentId: fulfillmentGid });
      expect(await runShipmentJobs()).toEqual([
        { outcome: "done", shipping: "not_started:disabled", feedback: "started" },
      ]);
      const feedback = await prisma.flowRun.findUniqueOrThrow({
        where: { shopId_kind_subjectKey: { shopId, kind: "FEEDBACK", subjectKey: `order:${orderId}` } },
      });
      expect(feedback).toMatchObject({ status: "ACTIVE", contactId: contact.id });
      expect(feedback.context).toMatchObject({
        orderName: `#${order.number}`,
        productTitle: order.lineItems[0].title,
      });
      expect(await outbound(contact.id)).toEqual([]);
    } finally {
      await prisma.flowSetting.update({
        where: { shopId_kind: { shopId, kind: "SHIPPING_UPDATE" } },
        data: { enabled: true },
      });
    }
  });
});
