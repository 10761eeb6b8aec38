import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { confirmationRequestText, welcomeText } from "~/domain/opt-in";
import type { ShopifySimulator } from "~/sandbox/shopify/router";
import { expirePendingOptIns } from "~/services/opt-in/expire.server";
import { startOptIn, type StartOptInInput } from "~/services/opt-in/start.server";
import { deliverWelcome, type WelcomeDeps } from "~/services/opt-in/welcome.server";
import { unauthenticated } from "~/shopify.server";
import { fakePhone } from "../helpers/factories";
import { HARNESS_PROGRAM, zoneWhereItIs, type EngineHarness } from "../helpers/engine-harness";
import { startStoreHarness, type StoreHarness } from "../helpers/store-harness";

// Double opt-in end to end: startOptIn records the request with its evidence and the confirmation reaches the
// simulated phone through the real SMS loops; the shopper's "Y" (a signed Telnyx webhook) subscribes and brings
// one welcome; expiry, STOP, single opt-in shops and the JOIN keyword; the welcome code against the simulated store.

const PROGRAM = {
  brandName: HARNESS_PROGRAM.brandName,
  supportContact: HARNESS_PROGRAM.supportContact,
  frequency: HARNESS_PROGRAM.messageFrequency,
};
const CONFIRMATION = confirmationRequestText(PROGRAM);
const WELCOME = welcomeText(PROGRAM, {});
const HOUR = 3_600_000;

const EVIDENCE = {
  ipAddress: "203.0.113.9",
  userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)",
  pageUrl: "https://acme-tees.example/products/spring-tee",
  shopifyCustomerId: null,
  disclosureText:
    "By checking this box, you agree to receive recurring automated marketing texts from Acme Tees. Up to 4 msgs/month. Consent is not a condition of purchase. Msg & data rates may apply. Reply HELP for help, STOP to cancel. Terms & Privacy.",
  disclosureVersion: "disclosure-v3",
};

let harness: StoreHarness;
let h: EngineHarness;
let simulator: ShopifySimulator;
let welcomeDeps: WelcomeDeps;

beforeAll(async () => {
  // The simulated store for the same shop, with an installed offline session (welcome codes); the welcome-code
  // job is enqueued from inside the inbound transaction.
  harness = await startStoreHarness();
  h = harness.h;
  simulator = harness.store.simulator;
  welcomeDeps = {
    adminFor: async (shopId) => (await unauthenticated.admin(shopId)).admin,
    sleep: async () => {},
    now: () => new Date(),
  };
}, 60_000);

afterAll(() => harness?.close());

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────────

function optIn(phone: string, overrides: Partial<StartOptInInput> = {}) {
  return startOptIn({
    shopId: h.shop.id,
    phoneE164: phone,
    source: "STOREFRONT_FORM",
    evidence: EVIDENCE,
    ...overrides,
  });
}

async function settings(data: Parameters<typeof prisma.shopSettings.update>[0]["data"]) {
  await prisma.shopSettings.update({ where: { shopId: h.shop.id }, data });
}

async function marketingOf(contactId: string) {
  return (await prisma.consentState.findUnique({ where: { contactId_purpose: { contactId, purpose: "MARKETING" } } }))
    ?.status;
}

const marketingEvents = (contactId: string) =>
  prisma.consentEvent.findMany({ where: { contactId, purpose: "MARKETING" }, orderBy: { occurredAt: "asc" } });

async function textsTo(phone: string) {
  await h.settle();
  return h.messagesTo(phone).map((m) => m.text);
}

// ─── double opt-in ────────────────────────────────────────────────────────────────────────────────

describe("storefront double opt-in", () => {
  test("PENDING with the full evidence, one confirmation with the required wording; a resubmission changes nothing", async () => {
    const phone = fakePhone();
    const first = await optIn(phone);
    expect(first).toMatchObject({ outcome: "pending" });
    if (first.outcome !== "pending") throw new Error("unreachable");
    expect(first.expiresAt.getTime() - Date.now()).toBeGreaterThan(71 * HOUR);

    const [event] = await marketingEvents(first.contactId);
    expect(event).toMatchObject({
      shopId: h.shop.id,
      phoneE164: phone,
      status: "PENDING",
      source: "STOREFRONT_FORM",
      ...EVIDENCE,
    });
    expect(await marketingOf(first.contactId)).toBe("PENDING");

    const texts = await textsTo(phone);
    expect(texts).toEqual([CONFIRMATION]);
    for (const part of [
      "Acme Tees",
      "marketing texts",
      "Up to 4 msgs/month",
      "Msg & data rates may apply",
      "Reply Y to confirm",
      "STOP to cancel",
    ])
      expect(texts[0]).toContain(part);
    const sent = await prisma.message.findFirstOrThrow({
      where: { contactId: first.contactId, direction: "OUTBOUND" },
    });
    expect(sent).toMatchObject({ purpose: "SYSTEM", idempotencyKey: `opt-in-confirmation:${event.id}` });

    // A pending request is not a marketing subscription, so Shopify hears nothing yet.
    const contact = await prisma.contact.findUniqueOrThrow({ where: { id: first.contactId } });
    expect(contact.shopifyConsentSyncEventId).toBeNull();

    const again = await optIn(phone, { source: "POPUP" });
    expect(again).toMatchObject({ outcome: "already_pending", contactId: first.contactId, expiresAt: first.expiresAt });
    expect(await marketingEvents(first.contactId)).toHaveLength(1);
    expect(await textsTo(phone)).toEqual([CONFIRMATION]);
  });

  test('"Y" subscribes (with the confirming message), one welcome; a second "Y" is an ordinary message', async () => {
    const phone = fakePhone();
    const { contactId } = await optIn(phone);
    // A welcome with a code is marketing: where the shopper lives it is early afternoon, so quiet hours never hold it.
    await prisma.contact.update({ where: { id: contactId }, data: { quietZones: zoneWhereItIs(13) } });
    await textsTo(phone);
    await h.textFromShopper(phone, "Y");
    expect(await textsTo(phone)).toEqual([CONFIRMATION, WELCOME]);
    expect(await marketingOf(contactId)).toBe("SUBSCRIBED");
    const events = await marketingEvents(contactId);
    expect(events.map((e) => e.status)).toEqual(["PENDING", "SUBSCRIBED"]);
    const y = await prisma.message.findFirstOrThrow({ where: { contactId, direction: "INBOUND", body: "Y" } });
    expect(events[1]).toMatchObject({ source: "KEYWORD", keyword: "YES", confirmingMessageId: y.id });
    // The subscription itself is still "from the storefront form" (what the Subscribers page shows and filters by).
    const state = await prisma.consentState.findUniqueOrThrow({
      where: { contactId_purpose: { contactId, purpose: "MARKETING" } },
    });
    expect(state).toMatchObject({ status: "SUBSCRIBED", source: events[0]!.source, lastEventId: events[1]!.id });
    expect(events[0]!.source).not.toBe("KEYWORD");
    // Now Shopify is told (the consent sync marks the contact; CONFIRMED_OPT_IN, see shopify-consent.ts).
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).shopifyConsentSyncEventId).toBe(
      events[1].id,
    );

    await h.textFromShopper(phone, "yes");
    expect(await textsTo(phone)).toEqual([CONFIRMATION, WELCOME]);
    expect(await marketingEvents(contactId)).toHaveLength(2);
    expect(await prisma.message.count({ where: { contactId, direction: "INBOUND" } })).toBe(2);
  });

  test("an already subscribed shopper signing up again gets nothing", async () => {
    const phone = fakePhone();
    const { contactId } = await optIn(phone);
    // A welcome with a code is marketing: where the shopper lives it is early afternoon, so quiet hours never hold it.
    await prisma.contact.update({ where: { id: contactId }, data: { quietZones: zoneWhereItIs(13) } });
    await textsTo(phone);
    await h.textFromShopper(phone, "Y");
    await textsTo(phone);
    expect(await optIn(phone)).toEqual({ outcome: "already_subscribed", contactId });
    expect(await textsTo(phone)).toHaveLength(2);
  });

  test("STOP while pending opts out; a new sign-up is blocked until START, and nothing is texted", async () => {
    const phone = fakePhone();
    const { contactId } = await optIn(phone);
    await textsTo(phone);
    await h.textFromShopper(phone, "STOP");
    // Telnyx blocks the number on a bare STOP, so Parley's own confirmation is refused (40300, see sms-inbound).
    const afterStop = await textsTo(phone);
    expect(afterStop).toEqual([CONFIRMATION]);
    expect(await marketingOf(contactId)).toBe("UNSUBSCRIBED");

    expect(await optIn(phone)).toEqual({ outcome: "blocked_by_stop", contactId });
    expect(await textsTo(phone)).toEqual(afterStop);
    expect(await marketingEvents(contactId)).toHaveLength(2);

    // START answers the request that was pending before the STOP (consent.ts: START restores it, compliance.md §5).
    await h.textFromShopper(phone, "START");
    await textsTo(phone);
    expect(await marketingOf(contactId)).toBe("SUBSCRIBED");
    expect(await optIn(phone)).toEqual({ outcome: "already_subscribed", contactId });
  });

  test("staff adding someone who opted out by text is refused the same way", async () => {
    const phone = fakePhone();
    await h.textFromShopper(phone, "STOP");
    await textsTo(phone);
    const result = await optIn(phone, { source: "ADMIN", evidence: { actor: "staff-1", note: "in store" } });
    expect(result.outcome).toBe("blocked_by_stop");
    // START lifts the carrier's block (and gives back no marketing); the shopper's own sign-up then asks for a "Y".
    await h.textFromShopper(phone, "START");
    await textsTo(phone);
    expect(await marketingOf(result.contactId)).toBe("UNSUBSCRIBED");
    expect(await optIn(phone)).toMatchObject({ outcome: "pending", contactId: result.contactId });
    expect((await textsTo(phone)).at(-1)).toBe(CONFIRMATION);
  });
});

describe("expiry", () => {
  test("the sweep lapses requests older than the shop's window, and only those", async () => {
    const old = fakePhone();
    const fresh = fakePhone();
    const lapsed = await optIn(old, { now: new Date(Date.now() - 73 * HOUR) });
    const recent = await optIn(fresh, { now: new Date(Date.now() - 71 * HOUR) });
    await expirePendingOptIns();
    expect(await marketingOf(lapsed.contactId)).toBe("NOT_SUBSCRIBED");
    expect(await marketingOf(recent.contactId)).toBe("PENDING");
    const events = await marketingEvents(lapsed.contactId);
    expect(events.map((e) => [e.status, e.note])).toEqual([
      ["PENDING", null],
      ["NOT_SUBSCRIBED", "confirmation expired"],
    ]);
    // A second sweep finds nothing more; a new sign-up starts a new request.
    expect((await expirePendingOptIns()).expired).toBe(0);
    expect(await optIn(old)).toMatchObject({ outcome: "pending" });
  });

  test('a late "Y" does not subscribe: the request lapses and the "Y" is a conversation message', async () => {
    const phone = fakePhone();
    const { contactId } = await optIn(phone, { now: new Date(Date.now() - 80 * HOUR) });
    await textsTo(phone);
    await h.textFromShopper(phone, "Y");
    expect(await textsTo(phone)).toEqual([CONFIRMATION]); // no welcome
    expect(await marketingOf(contactId)).toBe("NOT_SUBSCRIBED");
    expect((await marketingEvents(contactId)).map((e) => e.note)).toEqual([null, "confirmation expired"]);
  });

  test("a resubmission after the window starts a new request and texts again", async () => {
    const phone = fakePhone();
    const { contactId } = await optIn(phone, { now: new Date(Date.now() - 73 * HOUR) });
    expect(await optIn(phone)).toMatchObject({ outcome: "pending", contactId });
    expect(await textsTo(phone)).toEqual([CONFIRMATION, CONFIRMATION]);
    expect((await marketingEvents(contactId)).map((e) => e.status)).toEqual(["PENDING", "NOT_SUBSCRIBED", "PENDING"]);
  });
});

describe("single opt-in shop", () => {
  test("subscribed at once, with the welcome", async () => {
    await settings({ doubleOptIn: false });
    try {
      const phone = fakePhone();
      const result = await optIn(phone);
      expect(result.outcome).toBe("subscribed");
      expect(await marketingOf(result.contactId)).toBe("SUBSCRIBED");
      expect(await textsTo(phone)).toEqual([WELCOME]);
    } finally {
      await settings({ doubleOptIn: true });
    }
  });
});

describe("keyword opt-in", () => {
  test("JOIN starts the same double opt-in, with the keyword as evidence; Y confirms", async () => {
    const phone = fakePhone();
    await h.textFromShopper(phone, "join");
    expect(await textsTo(phone)).toEqual([CONFIRMATION]);
    const contact = await prisma.contact.findUniqueOrThrow({
      where: { shopId_phoneE164: { shopId: h.shop.id, phoneE164: phone } },
    });
    const [pending] = await marketingEvents(contact.id);
    expect(pending).toMatchObject({ status: "PENDING", source: "KEYWORD", keyword: "JOIN" });
    // Texting JOIN again while pending sends nothing new.
    await h.textFromShopper(phone, "JOIN");
    expect(await textsTo(phone)).toEqual([CONFIRMATION]);
    await h.textFromShopper(phone, "Y");
    expect(await textsTo(phone)).toEqual([CONFIRMATION, WELCOME]);
    expect(await marketingOf(contact.id)).toBe("SUBSCRIBED");
  });

  test("the shop's own join keywords replace JOIN; STOP keeps its meaning", async () => {
    await settings({ joinKeywords: ["VIP", "TEES"] });
    try {
      const phone = fakePhone();
      await h.textFromShopper(phone, "JOIN");
      expect(await textsTo(phone)).toEqual([]);
      await h.textFromShopper(phone, "Tees!");
      expect(await textsTo(phone)).toEqual([CONFIRMATION]);
      await h.textFromShopper(phone, "stop");
      expect(await textsTo(phone)).toEqual([CONFIRMATION]);
      const contact = await prisma.contact.findUniqueOrThrow({
        where: { shopId_phoneE164: { shopId: h.shop.id, phoneE164: phone } },
      });
      expect(await marketingOf(contact.id)).toBe("UNSUBSCRIBED");
    } finally {
      await settings({ joinKeywords: ["JOIN"] });
    }
  });
});

// ─── welcome code ─────────────────────────────────────────────────────────────────────────────────

describe("welcome discount", () => {
  async function confirmWithCodeEnabled(phone: string) {
    const { contactId } = await optIn(phone);
    // A welcome with a code is marketing: where the shopper lives it is early afternoon, so quiet hours never hold it.
    await prisma.contact.update({ where: { id: contactId }, data: { quietZones: zoneWhereItIs(13) } });
    await textsTo(phone);
    await h.textFromShopper(phone, "Y");
    await textsTo(phone);
    const subscribed = (await marketingEvents(contactId)).find((e) => e.status === "SUBSCRIBED")!;
    // The inbound transaction queued the job; the welcome waits for it.
    const jobs = await prisma.$queryRawUnsafe<{ data: { consentEventId: string } }[]>(
      `SELECT data FROM pgboss.job WHERE name = 'opt-in.welcome' AND data->>'consentEventId' = $1`,
      subscribed.id,
    );
    expect(jobs).toHaveLength(1);
    expect(await textsTo(phone)).toEqual([CONFIRMATION]);
    return { contactId, job: { shopId: h.shop.id, contactId, consentEventId: subscribed.id } };
  }

  test("a single-use code only this customer can use, created in the store; the welcome carries it", async () => {
    await settings({ welcomeDiscountEnabled: true, welcomeDiscountPercent: 15, discountMaxPercent: 20 });
    try {
      const phone = fakePhone();
      const { contactId, job } = await confirmWithCodeEnabled(phone);

      expect(await deliverWelcome(job, welcomeDeps)).toBe("sent");
      expect(await deliverWelcome(job, welcomeDeps)).toBe("already_sent"); // a retried job sends nothing more

      const issued = await prisma.discountIssued.findFirstOrThrow({ where: { contactId } });
      expect(issued).toMatchObject({ createdBy: "welcome", kind: "PERCENTAGE", valuePercent: 15 });
      const contact = await prisma.contact.findUniqueOrThrow({ where: { id: contactId } });
      const customer = simulator.store.customerByPhone(phone)!;
      expect(contact.shopifyCustomerId).toBe(`gid://shopify/Customer/${customer.id}`);
      expect(customer.tags).toContain("parley-storefront");
      const discount = simulator.store.discounts.find((d) => d.code === issued.code)!;
      expect(discount).toMatchObject({ customerIds: [customer.id], usageLimit: 1, appliesOncePerCustomer: true });

      const texts = await textsTo(phone);
      expect(texts).toHaveLength(2);
      expect(texts[1]).toBe(welcomeText(PROGRAM, {}, { code: issued.code, percent: 15, validDays: 14 }));
    } finally {
      await settings({ welcomeDiscountEnabled: false });
    }
  });

  test("when Shopify keeps failing, the welcome goes without a code and says nothing about one", async () => {
    await settings({ welcomeDiscountEnabled: true });
    try {
      const phone = fakePhone();
      const { contactId, job } = await confirmWithCodeEnabled(phone);
      simulator.control.failRequests(100, 503);
      try {
        expect(await deliverWelcome(job, welcomeDeps)).toBe("sent_without_code");
      } finally {
        simulator.control.failRequests(0, 503);
      }
      expect(await prisma.discountIssued.count({ where: { contactId } })).toBe(0);
      expect(await textsTo(phone)).toEqual([CONFIRMATION, WELCOME]);
    } finally {
      await settings({ welcomeDiscountEnabled: false });
    }
  });

  test("no welcome (and no code) for a shopper who texted STOP before the job ran", async () => {
    await settings({ welcomeDiscountEnabled: true });
    try {
      const phone = fakePhone();
      const { job } = await confirmWithCodeEnabled(phone);
      await h.textFromShopper(phone, "STOP");
      await textsTo(phone);
      expect(await deliverWelcome(job, welcomeDeps)).toBe("no_longer_subscribed");
      expect((await textsTo(phone)).filter((t) => t.includes("Thanks for subscribing"))).toEqual([]);
    } finally {
      await settings({ welcomeDiscountEnabled: false });
    }
  });
});
