import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { handleFlowTagCustomer } from "~/jobs/handlers/flows.server";
import * as productsUpdate from "~/routes/webhooks.products.update";
import type { CustomerRecord } from "~/sandbox/shopify/types";
import { notifyProductWatchers } from "~/services/flows/interest-availability.server";
import { sendMessage } from "~/services/sms/send-message.server";
import { createConsent, createContact } from "../helpers/factories";
import { fixedZoneWhereItIs, waitFor, type EngineHarness } from "../helpers/engine-harness";
import type { SimulatedStore } from "../helpers/simulated-store";
import { runQueuedJobs, startStoreHarness, type StoreHarness } from "../helpers/store-harness";

// Early access / back in stock end to end: the shop's announcement asks what the shopper is waiting for; the
// shopper's "the sun hoodie!" (a product) or "the hoodies!" (the Hoodies collection) comes back through the Telnyx
// simulator and the inbound automation hook, is matched against the simulated store's catalogue over its Admin
// API, and becomes a watch, a tag (on the contact and on the Shopify customer) and a promise. The store's
// product-back-in-stock event sends a Shopify-signed products/update to the real route; the link goes out once,
// however often the product is updated.

let harness: StoreHarness;
let h: EngineHarness;
let store: SimulatedStore;
let shopId: string;
let staffId: string;

beforeAll(async () => {
  harness = await startStoreHarness({ webhooks: { "products/update": productsUpdate } });
  ({ h, store, shopId } = harness);
  await prisma.flowSetting.create({ data: { shopId, kind: "INTEREST", enabled: true } });
  const staff = await prisma.staffMember.create({ data: { shopId, shopifyUserId: 7n, firstName: "Riley" } });
  staffId = staff.id;
}, 60_000);

afterAll(() => harness?.close());

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────────

/** A store customer with a phone, known to Parley as a subscriber linked to them, where it is 1 pm now. */
async function subscriber(): Promise<{ contactId: string; phone: string; customer: CustomerRecord }> {
  const customer = harness.unusedCustomer();
  const contact = await createContact(shopId, {
    phoneE164: customer.phone,
    firstName: customer.firstName,
    shopifyCustomerId: `gid://shopify/Customer/${customer.id}`,
    quietZones: fixedZoneWhereItIs(13).quietZones,
  });
  await createConsent(shopId, contact);
  return { contactId: contact.id, phone: customer.phone, customer };
}

/** The shop's early-access text (a campaign, say), delivered, so the shopper's next text answers it. */
async function announce(contactId: string) {
  await sendMessage({
    shopId,
    contactId,
    purpose: "MARKETING",
    authorKind: "AUTOMATION",
    body: "Early access to the fall drop starts Friday, {first_name}! What are you waiting for?",
    idempotencyKey: `announcement:${contactId}`,
  });
  await h.settle();
}

const texts = (phone: string) => h.messagesTo(phone).map((m) => m.text);

/** The shopper's interest watch, once the inbound hook has made it. */
const watchOf = (contactId: string) =>
  waitFor(() => prisma.interestWatch.findFirst({ where: { shopId, contactId } }), 15_000, "the interest watch");

function productIdOf(title: string): number {
  const product = store.simulator.store.products.find((p) => p.title === title);
  if (!product) throw new Error(`no product ${title}`);
  return product.id;
}

/** Every variant of the product bought up (an order in the store, no webhooks): sold out from now on. */
function sellOut(productId: number) {
  const product = store.simulator.store.product(productId)!;
  const lineItems = product.variants
    .filter((v) => v.inventoryQuantity > 0)
    .map((v) => ({ variantId: v.id, quantity: v.inventoryQuantity }));
  store.simulator.store.placeOrder({ lineItems });
}

/** Restocked in the store (products/update to the route), then the jobs the route enqueued run, as the worker's would. */
async function backInStock(productId: number): Promise<Array<{ watches: number; notified: number }>> {
  const result = await store.simulator.control.runEvent("product-back-in-stock", { productId });
  const update = result.webhooks.find((w) => w.topic === "products/update");
  expect(update?.status, "products/update answered").toBe(200);
  return runQueuedJobs("flowProductAvailable", (payload) =>
    notifyProductWatchers(payload, { adminFor: async () => store.admin, now: () => new Date() }),
  );
}

/** The customer-tag jobs the engine enqueued, run against the store (as the worker would). */
const runTagJobs = () =>
  runQueuedJobs("flowTagCustomer", async (payload) => {
    await handleFlowTagCustomer(payload, { adminFor: async () => store.admin });
    return payload;
  });

// ─── tests ────────────────────────────────────────────────────────────────────────────────────────

describe("what a shopper is waiting for", () => {
  test("“the sun hoodie!” → a watch, the tag on contact and customer, the promise; back in stock twice → one link", async () => {
    const shopper = await subscriber();
    await announce(shopper.contactId);
    await h.textFromShopper(shopper.phone, "the sun hoodie!");
    const watch = await watchOf(shopper.contactId);
    const hoodieId = productIdOf("Meadow Sun Hoodie");
    expect(watch).toMatchObject({
      targetType: "product",
      targetId: `gid://shopify/Product/${hoodieId}`,
      targetTitle: "Meadow Sun Hoodie",
      askedText: "the sun hoodie!",
      notifiedAt: null,
    });
    const run = await prisma.flowRun.findUniqueOrThrow({ where: { id: watch.runId! } });
    expect(run).toMatchObject({
      kind: "INTEREST",
      status: "ACTIVE",
      state: "watching",
      subjectKey: `interest:${shopper.contactId}:gid://shopify/Product/${hoodieId}`,
    });

    const contact = await prisma.contact.findUniqueOrThrow({ where: { id: shopper.contactId } });
    expect(contact.tags).toContain("interest:meadow-sun-hoodie");
    expect(await runTagJobs()).toEqual([
      { shopId, contactId: shopper.contactId, tags: ["interest:meadow-sun-hoodie"] },
    ]);
    expect(store.simulator.store.customer(shopper.customer.id)?.tags).toContain("interest:meadow-sun-hoodie");

    // The promise answers the shopper's text: conversation, not another marketing send.
    const [promise] = await prisma.message.findMany({ where: { flowRunId: run.id } });
    expect(promise).toMatchObject({ purpose: "CONVERSATIONAL", authorKind: "AUTOMATION" });
    await h.settle();
    expect(texts(shopper.phone).at(-1)).toBe(
      "You got it! We'll text you as soon as the Meadow Sun Hoodie is available.",
    );

    await backInStock(hoodieId);
    await backInStock(hoodieId); // restocked again: Shopify sends products/update again
    await h.settle();
    const links = texts(shopper.phone).filter((t) => t.includes("/products/meadow-sun-hoodie"));
    expect(links).toHaveLength(1);
    expect(links[0]).toMatch(
      new RegExp(
        `^The Meadow Sun Hoodie just landed, ${shopper.customer.firstName}! Grab it here before it's gone: https://\\S+/products/meadow-sun-hoodie`,
      ),
    );
    const sent = await prisma.message.findMany({ where: { flowRunId: run.id }, orderBy: { createdAt: "asc" } });
    expect(sent.map((m) => m.purpose)).toEqual(["CONVERSATIONAL", "MARKETING"]);
    expect(await prisma.interestWatch.findUniqueOrThrow({ where: { id: watch.id } })).toMatchObject({
      notifiedMessageId: sent[1].id,
    });
    expect(await prisma.flowRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "COMPLETED",
      exitReason: "notified",
    });
  });

  test("“the hoodies!” → a watch on the Hoodies collection; a hoodie sold out then restocked → one link to it, once", async () => {
    // One hoodie on sale (the Meadow Sun Hoodie), one sold out when the shopper asks.
    const pulloverId = productIdOf("Alpine Fleece Pullover");
    sellOut(pulloverId);
    const hoodies = store.simulator.store.collections.find((c) => c.handle === "hoodies")!;
    const shopper = await subscriber();
    await announce(shopper.contactId);
    await h.textFromShopper(shopper.phone, "the hoodies!");
    const watch = await watchOf(shopper.contactId);
    expect(watch).toMatchObject({
      targetType: "collection",
      targetId: `gid://shopify/Collection/${hoodies.id}`,
      targetTitle: "Hoodies",
      notifiedAt: null,
    });
    const run = await prisma.flowRun.findUniqueOrThrow({ where: { id: watch.runId! } });
    expect(run).toMatchObject({
      status: "ACTIVE",
      state: "watching",
      subjectKey: `interest:${shopper.contactId}:gid://shopify/Collection/${hoodies.id}`,
    });
    expect(run.context).toMatchObject({
      target: { type: "collection", handle: "hoodies", url: expect.stringMatching(/\/collections\/hoodies$/) },
      watch: { waitingFor: "restock", onSaleProductIds: [`gid://shopify/Product/${productIdOf("Meadow Sun Hoodie")}`] },
    });
    const contact = await prisma.contact.findUniqueOrThrow({ where: { id: shopper.contactId } });
    expect(contact.tags).toContain("interest:hoodies");
    await runTagJobs();
    expect(store.simulator.store.customer(shopper.customer.id)?.tags).toContain("interest:hoodies");
    await h.settle();
    expect(texts(shopper.phone).at(-1)).toBe(
      "You got it! We'll text you as soon as something new in Hoodies is available.",
    );
    const promised = texts(shopper.phone).length;

    // The hoodie they could have bought all along gets a size back: not news.
    expect(await backInStock(productIdOf("Meadow Sun Hoodie"))).toEqual([{ watches: 1, notified: 0 }]);
    await h.settle();
    expect(texts(shopper.phone)).toHaveLength(promised);

    // The sold-out one is back: one link, to it. Restocked again, nothing more: nobody waits any more, so the
    // webhook does not even enqueue a job.
    expect(await backInStock(pulloverId)).toEqual([{ watches: 1, notified: 1 }]);
    expect(await backInStock(pulloverId)).toEqual([]);
    await h.settle();
    const after = texts(shopper.phone).slice(promised);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(
      new RegExp(
        `^The Alpine Fleece Pullover just landed, ${shopper.customer.firstName}! Grab it here before it's gone: https://\\S+/products/alpine-fleece-pullover$`,
      ),
    );
    const sent = await prisma.message.findMany({ where: { flowRunId: run.id }, orderBy: { createdAt: "asc" } });
    expect(await prisma.interestWatch.findUniqueOrThrow({ where: { id: watch.id } })).toMatchObject({
      notifiedMessageId: sent.at(-1)!.id,
    });
    expect(await prisma.flowRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "COMPLETED",
      exitReason: "notified",
    });
  });

  test("unprompted: “let me know when the down vest is back” starts a watch too; saying it again changes nothing", async () => {
    const shopper = await subscriber();
    await h.textFromShopper(shopper.phone, "let me know when the down vest is back");
    const watch = await watchOf(shopper.contactId);
    expect(watch.targetTitle).toBe("Summit Down Vest");
    await h.settle();
    await h.textFromShopper(shopper.phone, "pls let me know when the down vest is back!!");
    await h.settle();
    expect(await prisma.interestWatch.count({ where: { contactId: shopper.contactId } })).toBe(1);
    expect(
      texts(shopper.phone).filter((t) => t.includes("You got it! We'll text you as soon as the Summit Down Vest")),
    ).toHaveLength(1);
  });

  test("words that match nothing go to a person with the shopper's words; nobody is promised anything", async () => {
    const shopper = await subscriber();
    await announce(shopper.contactId);
    await h.textFromShopper(shopper.phone, "the sparkly unicorn onesie!!");
    const run = await waitFor(
      () => prisma.flowRun.findFirst({ where: { shopId, contactId: shopper.contactId, kind: "INTEREST" } }),
      15_000,
      "the interest run",
    );
    expect(run).toMatchObject({ status: "COMPLETED", exitReason: "no_match" });
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: run.conversationId! } });
    expect(conversation).toMatchObject({
      assigneeId: staffId,
      automationPaused: true,
      summary: "Shopper is waiting for: “the sparkly unicorn onesie!!” — no product matched",
    });
    expect(await prisma.interestWatch.count({ where: { contactId: shopper.contactId } })).toBe(0);
    expect(await prisma.message.count({ where: { flowRunId: run.id } })).toBe(0);
  });

  test("an ordinary text is not interest; an opted-out shopper gets nothing, before or after the watch", async () => {
    const chatty = await subscriber();
    await h.textFromShopper(chatty.phone, "do you ship to Canada?");
    await h.settle();
    expect(await prisma.flowRun.count({ where: { contactId: chatty.contactId } })).toBe(0);

    // Opted out before: no watch, no run, no text.
    const gone = await subscriber();
    await createConsent(
      shopId,
      { id: gone.contactId, phoneE164: gone.phone },
      { status: "UNSUBSCRIBED", source: "KEYWORD" },
    );
    await h.textFromShopper(gone.phone, "let me know when the headlamp is back in stock");
    await h.settle();
    expect(await prisma.flowRun.count({ where: { contactId: gone.contactId } })).toBe(0);
    expect(await prisma.interestWatch.count({ where: { contactId: gone.contactId } })).toBe(0);
    expect(texts(gone.phone)).toEqual([]);

    // Opted out after: the watch stays unnotified, the run stops, no link.
    const later = await subscriber();
    await h.textFromShopper(later.phone, "let me know when the headlamp is back in stock");
    const watch = await watchOf(later.contactId);
    expect(watch.targetTitle).toBe("Northstar Headlamp");
    await h.settle();
    await h.textFromShopper(later.phone, "STOP");
    await h.settle();
    const before = texts(later.phone).length;
    await backInStock(productIdOf("Northstar Headlamp"));
    await h.settle();
    expect(texts(later.phone)).toHaveLength(before);
    expect(await prisma.interestWatch.findUniqueOrThrow({ where: { id: watch.id } })).toMatchObject({
      notifiedAt: null,
    });
    expect(await prisma.flowRun.findUniqueOrThrow({ where: { id: watch.runId! } })).toMatchObject({
      status: "EXITED",
      exitReason: "opted_out",
    });
  });
});
