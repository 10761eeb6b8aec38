import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { handleFlowTimer } from "~/jobs/handlers/flows.server";
import * as checkoutsCreate from "~/routes/webhooks.checkouts.create";
import * as checkoutsUpdate from "~/routes/webhooks.checkouts.update";
import * as ordersCreate from "~/routes/webhooks.orders.create";
import type { StoreEventKind } from "~/sandbox/shopify/events";
import { ingestBrowseEvents } from "~/services/browse-events.server";
import { sendReply } from "~/services/inbox/actions.server";
import { loadThread } from "~/services/inbox/thread.server";
import { createFlowOffer } from "~/services/flows/offers.server";
import { replyHandledByFlow } from "~/services/flows/replies.server";
import { fireDueFlowTimers } from "~/services/flows/timers.server";
import { createConsent, createContact } from "../helpers/factories";
import { fixedZoneWhereItIs, waitFor, type EngineHarness } from "../helpers/engine-harness";
import type { SimulatedStore } from "../helpers/simulated-store";
import { runQueuedJobs, startStoreHarness, type StoreHarness } from "../helpers/store-harness";

// The abandoned-cart flow end to end: the simulated store's checkouts/create|update and orders/create webhooks
// reach the real routes over HTTP, signed; timers are fired with the test's clock (minutes or hours ahead);
// offers are made against the store's Admin API; texts travel through the real SMS loops to the Telnyx
// simulator's phones, and the shopper's replies come back the same way, through the inbound automation hook.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let harness: StoreHarness;
let h: EngineHarness;
let store: SimulatedStore;
let shopId: string;

beforeAll(async () => {
  harness = await startStoreHarness({
    engine: { settings: { discountMaxPercent: 12 } },
    webhooks: {
      "checkouts/create": checkoutsCreate,
      "checkouts/update": checkoutsUpdate,
      "orders/create": ordersCreate,
    },
  });
  ({ h, store, shopId } = harness);
  await prisma.flowSetting.create({
    data: { shopId, kind: "ABANDONED_CART", enabled: true, config: { offerLadder: [10, 15] } },
  });
  await prisma.staffMember.create({ data: { shopId, shopifyUserId: 42n, firstName: "Sam", accountOwner: true } });
}, 60_000);

afterAll(() => harness?.close());

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────────

/** A store customer with a phone, known to Parley as a marketing subscriber in a zone where it is `localHour`. */
async function subscriber(localHour = 13) {
  const customer = harness.unusedCustomer();
  const contact = await createContact(shopId, {
    phoneE164: customer.phone,
    firstName: customer.firstName,
    shopifyCustomerId: `gid://shopify/Customer/${customer.id}`,
    quietZones: fixedZoneWhereItIs(localHour).quietZones,
  });
  await createConsent(shopId, contact);
  return { customer, contact };
}

async function storeEvent(kind: StoreEventKind, body: Record<string, unknown>) {
  const result = await store.simulator.control.runEvent(kind, body);
  for (const webhook of result.webhooks) expect(webhook.status, `${webhook.topic} answered`).toBe(200);
  return result;
}

async function abandon(customerId: number) {
  const result = await storeEvent("checkout-abandoned", { customerId });
  const checkoutId = Number(String(result.entity.checkoutId).split("/").pop());
  return { checkoutId, checkout: store.simulator.store.checkout(checkoutId)! };
}

const runOf = (contactId: string) =>
  prisma.flowRun.findFirstOrThrow({
    where: { shopId, contactId, kind: "ABANDONED_CART" },
    orderBy: { startedAt: "desc" },
  });
const flowTexts = (contactId: string) =>
  prisma.message.findMany({
    where: { contactId, direction: "OUTBOUND", flowRunId: { not: null } },
    orderBy: { createdAt: "asc" },
  });
const later = (ms: number) => new Date(Date.now() + ms);

/** Runs the `flows.offer` jobs the steps enqueued, against the store's Admin API. */
const runOfferJobs = () =>
  runQueuedJobs("flowOffer", (payload) =>
    createFlowOffer(payload, { adminFor: async () => store.admin, sleep: async () => {} }),
  );

async function reply(phone: string, text: string, runId: string) {
  const before = (await prisma.flowRun.findUniqueOrThrow({ where: { id: runId } })).transitionCount;
  await h.textFromShopper(phone, text);
  await waitFor(
    async () => (await prisma.flowRun.findUniqueOrThrow({ where: { id: runId } })).transitionCount > before,
    15_000,
    () => `the flow to take the reply “${text}”`,
  );
}

/** Fires the opener (the delay is an hour) and waits until the phone has it. */
async function openerSent(contactId: string, phone: string) {
  await fireDueFlowTimers({ now: later(61 * MINUTE), shopId });
  await h.settle();
  const texts = h.messagesTo(phone);
  expect(texts.length).toBeGreaterThan(0);
  return runOf(contactId);
}

// ─── the stories ──────────────────────────────────────────────────────────────────────────────────

describe("abandoned cart", () => {
  test("abandon → an hour later the opener → 'shipping is too expensive' → free-shipping code → order with it: converted", async () => {
    const { customer, contact } = await subscriber();
    const { checkoutId, checkout } = await abandon(customer.id);
    // checkouts/create and checkouts/update both arrived, and Shopify retries: one run.
    await storeEvent("checkout-abandoned", { checkoutId });
    const runs = await prisma.flowRun.findMany({ where: { shopId, contactId: contact.id } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ subjectKey: `checkout:${checkoutId}`, state: "waiting", status: "ACTIVE" });

    // Not before the delay.
    expect((await fireDueFlowTimers({ now: later(59 * MINUTE), shopId })).fired).toBe(0);
    const run = await openerSent(contact.id, customer.phone);
    expect(run).toMatchObject({ state: "asked", awaitingReply: true });
    const opener = h.messagesTo(customer.phone).at(-1)!;
    const item = checkout.lineItems[0]!.title;
    expect(opener.text).toContain(`Saw you left the ${item}`);
    expect(opener.text).toContain("Acme Tees");
    expect(opener.text).not.toContain("http");
    expect(opener.text).toContain("STOP"); // marketing: opt-out language on the first text
    // Another firing, a replayed webhook: still one opener.
    await fireDueFlowTimers({ now: later(62 * MINUTE), shopId });
    await storeEvent("checkout-abandoned", { checkoutId });
    expect((await flowTexts(contact.id)).length).toBe(1);

    await reply(customer.phone, "shipping is too expensive", run.id);
    expect(await runOf(contact.id)).toMatchObject({ state: "offering", repliedAt: expect.any(Date) });
    const [offer] = await runOfferJobs();
    expect(offer).toMatchObject({ outcome: "created" });
    const code = (offer as { code: string }).code;
    await h.settle();
    const codeText = h.messagesTo(customer.phone).at(-1)!;
    expect(codeText.text).toContain(code);
    expect(codeText.text).toContain(`/discount/${code}?redirect=`);
    const issued = await prisma.discountIssued.findFirstOrThrow({ where: { shopId, code } });
    expect(issued).toMatchObject({
      kind: "FREE_SHIPPING",
      createdBy: "flow",
      flowRunId: run.id,
      contactId: contact.id,
    });
    const discount = store.simulator.store.discounts.find((d) => d.code === code)!;
    expect(discount).toMatchObject({ usageLimit: 1 });
    expect(discount.customerIds).toEqual([customer.id]);

    // The timeline shows the steps.
    const thread = await loadThread({ shopId, conversationId: run.conversationId! });
    const lines = thread!.items.filter((i) => i.type === "event").map((i) => (i as { text: string }).text);
    expect(lines).toEqual(
      expect.arrayContaining([
        "Abandoned-cart flow: waiting 1 h",
        "Abandoned-cart flow: asked what held them back",
        "Abandoned-cart flow: shipping cost: offering free shipping",
        `Abandoned-cart flow: offered free shipping (${code})`,
      ]),
    );

    const placed = await storeEvent("order-placed", { customerId: customer.id, checkoutId, discountCode: code });
    const done = await runOf(contact.id);
    expect(done).toMatchObject({
      status: "CONVERTED",
      orderId: placed.entity.orderId,
      offerCode: code,
      offerCodeUsed: true,
      currencyCode: "USD",
    });
    expect(done.revenueCents).toBeGreaterThan(0);
    expect(await prisma.discountIssued.findFirstOrThrow({ where: { code } })).toMatchObject({
      orderId: placed.entity.orderId,
    });
  });

  test("an order before the opener cancels the run; nothing is ever sent", async () => {
    const { customer, contact } = await subscriber();
    const { checkoutId } = await abandon(customer.id);
    await storeEvent("order-placed", { customerId: customer.id, checkoutId });
    expect(await runOf(contact.id)).toMatchObject({ status: "EXITED", exitReason: "purchase", timerAt: null });
    await fireDueFlowTimers({ now: later(2 * HOUR), shopId });
    expect(await flowTexts(contact.id)).toEqual([]);
  });

  test("STOP mid-flow: the run exits opted_out at its next step and sends nothing more", async () => {
    const { customer, contact } = await subscriber();
    await abandon(customer.id);
    const run = await openerSent(contact.id, customer.phone);
    await h.textFromShopper(customer.phone, "STOP");
    await h.settle();
    await fireDueFlowTimers({ now: later(26 * HOUR), shopId }); // the reminder's time
    expect(await runOf(contact.id)).toMatchObject({ id: run.id, status: "EXITED", exitReason: "opted_out" });
    expect(await flowTexts(contact.id)).toHaveLength(1); // the opener only
  });

  test("staff take over: a staff reply pauses the flow; the shopper's next text is for the staff", async () => {
    const { customer, contact } = await subscriber();
    await abandon(customer.id);
    const run = await openerSent(contact.id, customer.phone);
    const staff = await prisma.staffMember.findFirstOrThrow({ where: { shopId } });
    await sendReply(shopId, { id: staff.id, accountOwner: true } as never, run.conversationId!, {
      body: "Hi! Sam here, happy to help with your order.",
      draftId: crypto.randomUUID(),
    });
    await reply(customer.phone, "shipping is too expensive", run.id);
    expect(await runOf(contact.id)).toMatchObject({ status: "EXITED", exitReason: "staff_took_over" });
    await h.settle();
    expect(await prisma.flowTransition.count({ where: { runId: run.id, event: "offer_created" } })).toBe(0);
    const last = await prisma.message.findFirstOrThrow({
      where: { contactId: contact.id, direction: "INBOUND" },
      orderBy: { createdAt: "desc" },
    });
    expect(await replyHandledByFlow({ shopId, messageId: last.id })).toBe(false);
  });

  test("quiet hours: the opener is HELD until morning, not dropped", async () => {
    const { customer, contact } = await subscriber(21); // 22:01 local when the opener is due
    await abandon(customer.id);
    await fireDueFlowTimers({ now: later(61 * MINUTE), shopId });
    const [opener] = await flowTexts(contact.id);
    expect(opener).toMatchObject({ status: "HELD", purpose: "MARKETING" });
    expect(opener!.holdUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await runOf(contact.id)).toMatchObject({ state: "asked", status: "ACTIVE" });
  });

  test("restart mid-wait: the timer's job is gone, the minute sweep fires it", async () => {
    const { customer, contact } = await subscriber();
    await abandon(customer.id);
    const run = await runOf(contact.id);
    await prisma.$executeRaw`DELETE FROM pgboss.job WHERE name = 'flows.timer' AND data->>'runId' = ${run.id}`;
    await handleFlowTimer({}, later(61 * MINUTE)); // the sweep's payload
    expect(await runOf(contact.id)).toMatchObject({ state: "asked" });
    expect(await flowTexts(contact.id)).toHaveLength(1);
  });

  test("price twice: 10%, then 12% (the guardrail, not the ladder's 15%), then a person — never above the guardrail", async () => {
    const { customer, contact } = await subscriber();
    await abandon(customer.id);
    const run = await openerSent(contact.id, customer.phone);
    await reply(customer.phone, "too expensive tbh", run.id);
    const [first] = await runOfferJobs();
    await reply(customer.phone, "still too pricey", run.id);
    const [second] = await runOfferJobs();
    const codes = [first, second].map((o) => (o as { code: string }).code);
    const values = codes.map((c) => store.simulator.store.discounts.find((d) => d.code === c)!.value);
    expect(values).toEqual([
      { type: "percentage", percentage: 0.1 },
      { type: "percentage", percentage: 0.12 },
    ]);
    expect(
      (await prisma.discountIssued.findMany({ where: { flowRunId: run.id }, orderBy: { createdAt: "asc" } })).map(
        (d) => d.valuePercent,
      ),
    ).toEqual([10, 12]);
    await reply(customer.phone, "too expensive still", run.id);
    const handed = await runOf(contact.id);
    expect(handed).toMatchObject({ status: "COMPLETED", exitReason: "handed_over", handedOverAt: expect.any(Date) });
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: run.conversationId! } });
    expect(conversation).toMatchObject({ automationPaused: true, status: "OPEN", assigneeId: expect.any(String) });
    expect(conversation.summary).toMatch(/^Abandoned cart \(.+\)\. Wants a better price/);
  });

  test("'ok will order tonight' closes with the link; the order that follows still converts the ended run", async () => {
    const { customer, contact } = await subscriber();
    const { checkoutId } = await abandon(customer.id);
    const run = await openerSent(contact.id, customer.phone);
    await reply(customer.phone, "ok will order tonight!", run.id);
    expect(await runOf(contact.id)).toMatchObject({ status: "COMPLETED", exitReason: "awaiting_conversion" });
    await storeEvent("order-placed", { customerId: customer.id, checkoutId });
    expect(await runOf(contact.id)).toMatchObject({ status: "CONVERTED", offerCodeUsed: false });
  });

  test("a colour question is answered from the product's options", async () => {
    const { customer, contact } = await subscriber();
    const product = store.simulator.store.products.find((p) =>
      p.options.some((o) => o.name === "Color" && o.values.includes("Charcoal")),
    )!;
    const result = await storeEvent("checkout-abandoned", {
      customerId: customer.id,
      lineItems: [{ variantId: product.variants[0]!.id, quantity: 1 }],
    });
    expect(result.entity.checkoutId).toBeTruthy();
    const run = await openerSent(contact.id, customer.phone);
    await reply(customer.phone, "does it come in charcoal?", run.id);
    await h.settle();
    expect(h.messagesTo(customer.phone).at(-1)!.text).toContain(`Yes, the ${product.title} comes in Charcoal!`);
    await reply(customer.phone, "do you have it in blue?", run.id);
    await h.settle();
    expect(h.messagesTo(customer.phone).at(-1)!.text).toContain("so no blue, sorry");
    expect(await runOf(contact.id)).toMatchObject({ state: "answered", status: "ACTIVE", awaitingReply: true });
  });

  test("checkout_started from the pixel starts a run for a known subscriber, once", async () => {
    const { contact } = await subscriber();
    const pixel = { shopId, browseRetentionDays: 90 };
    const event = {
      name: "checkout_started" as const,
      id: `px-${contact.id}`,
      timestamp: new Date().toISOString(),
      phone: contact.phoneE164,
      url: `https://${shopId}/checkouts/cn/Z2NwLXVzLWVhc3QxOjAxSjk4`,
    };
    await ingestBrowseEvents(pixel, [event]);
    await ingestBrowseEvents(pixel, [event]);
    const runs = await prisma.flowRun.findMany({ where: { shopId, contactId: contact.id } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ subjectKey: "checkout:token:Z2NwLXVzLWVhc3QxOjAxSjk4", state: "waiting" });
  });
});
