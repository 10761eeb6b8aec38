import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { FeedbackSettingsSchema } from "~/domain/flows/settings";
import { getBoss } from "~/jobs/boss.server";
import { startFeedbackAfterDelivery } from "~/services/flows/feedback.server";
import { loader as feedbackLoader } from "~/routes/app.feedback";
import { listFeedback, summarizeFeedback } from "~/services/flows/feedback-page.server";
import { fireDueFlowTimers } from "~/services/flows/timers.server";
import { createConsent, createContact, createShop } from "../helpers/factories";
import { adminRouteArgs } from "../helpers/admin-request";
import { fixedZoneWhereItIs, startEngineHarness, waitFor, type EngineHarness } from "../helpers/engine-harness";
import { startSimulatedStore } from "../helpers/simulated-store";
import { stopBoss } from "../helpers/store-harness";

// Post-purchase feedback end to end: a delivery starts the run (as the shipping flow does), the test's clock moves
// the week on and fires the timer, the question goes through the real SMS loops to the Telnyx simulator's phone,
// the shopper's answer comes back the same way and is routed to the run — stored as feedback, answered, and a
// complaint handed to a person with priority. Then the Feedback page's reads.

const DAY = 86_400_000;
const DEFAULTS = FeedbackSettingsSchema.parse({});

let h: EngineHarness;
let shopId: string;
let staffId: string;
const t0 = new Date();

beforeAll(async () => {
  h = await startEngineHarness();
  shopId = h.shop.id;
  await h.startLoops();
  await getBoss(); // timers are enqueued with their step
  await prisma.flowSetting.create({ data: { shopId, kind: "FEEDBACK", enabled: true } });
  const staff = await prisma.staffMember.create({
    data: { shopId, shopifyUserId: 42n, firstName: "Riley", lastName: "Support", email: "riley@acme.test" },
  });
  staffId = staff.id;
}, 60_000);

afterAll(async () => {
  await h?.close();
  await stopBoss();
});

let orders = 0;
/** A subscriber in a zone where it is early afternoon at t0 (and so a whole number of days later). */
async function deliveredOrder() {
  const contact = await createContact(shopId, { firstName: "Ana", quietZones: fixedZoneWhereItIs(13, t0).quietZones });
  await createConsent(shopId, contact);
  orders += 1;
  const orderId = `gid://shopify/Order/${1000 + orders}`;
  const started = await startFeedbackAfterDelivery(
    {
      shopId,
      contactId: contact.id,
      orderId,
      orderName: `#${1000 + orders}`,
      productTitle: "Linen Shirt",
      deliveredAt: t0,
    },
    { now: t0 },
  );
  expect(started.outcome).toBe("started");
  return { contact, orderId, runId: (started as { runId: string }).runId };
}

const at = (days: number) => new Date(t0.getTime() + days * DAY);
const outbound = (runId: string) =>
  prisma.message.findMany({ where: { flowRunId: runId, direction: "OUTBOUND" }, orderBy: { createdAt: "asc" } });

/** Moves the clock `days` after delivery and fires what is due; the question goes out and reaches the phone. */
async function askAfter(days: number, run: { runId: string; contact: { phoneE164: string } }) {
  await fireDueFlowTimers({ shopId, now: at(days) });
  const [question] = await outbound(run.runId);
  expect(question?.body).toContain("How's the Linen Shirt? Anything we could do better?");
  await h.settle();
  expect(h.messagesTo(run.contact.phoneE164).map((m) => m.text)).toEqual([
    expect.stringContaining("How's the Linen Shirt?"),
  ]);
}

async function answer(phone: string, text: string) {
  await h.textFromShopper(phone, text);
  return waitFor(
    () => prisma.feedback.findFirst({ where: { shopId, contact: { phoneE164: phone } } }),
    15_000,
    `feedback from ${phone}`,
  );
}

describe("post-purchase feedback", () => {
  test("a week after delivery the question; a complaint is stored NEGATIVE and handed to staff with priority", async () => {
    const run = await deliveredOrder();
    expect(await prisma.flowRun.findUniqueOrThrow({ where: { id: run.runId } })).toMatchObject({
      state: "waiting",
      timerName: "ask",
      timerAt: at(7),
      subjectKey: `order:${run.orderId}`,
    });

    await fireDueFlowTimers({ shopId, now: new Date(at(7).getTime() - 60_000) });
    expect(await outbound(run.runId)).toHaveLength(0); // not a minute early
    await askAfter(7, run);

    const feedback = await answer(run.contact.phoneE164, "The sleeves are way too long and it shrank in the wash 😞");
    const row = await prisma.flowRun.findUniqueOrThrow({ where: { id: run.runId } });
    expect(feedback).toMatchObject({
      runId: run.runId,
      orderId: run.orderId,
      productTitle: "Linen Shirt",
      conversationId: row.conversationId,
      sentiment: "NEGATIVE",
      handedOver: true,
    });
    expect([...feedback.topics].sort()).toEqual(["quality", "sizing"]);
    expect(row).toMatchObject({ status: "COMPLETED", state: "answered", awaitingReply: false });
    expect(row.handedOverAt).not.toBeNull();
    expect(row.repliedAt).not.toBeNull();

    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: row.conversationId! } });
    expect(conversation).toMatchObject({ assigneeId: staffId, automationPaused: true, status: "OPEN" });
    expect(conversation.tags).toContain("priority");
    expect(conversation.summary).toMatch(/^Unhappy with the Linen Shirt \(#\d+\) \(quality, sizing\): “The sleeves/);

    await h.settle();
    expect(h.messagesTo(run.contact.phoneE164).map((m) => m.text)).toEqual([
      expect.stringContaining("How's the Linen Shirt?"),
      expect.stringContaining(DEFAULTS.negativeText),
    ]);
    const transitions = await prisma.flowTransition.findMany({ where: { runId: run.runId }, orderBy: { seq: "asc" } });
    expect(transitions.map((t) => t.summary)).toEqual([
      "delivered; asking for feedback in 7 d",
      "asked how the Linen Shirt is",
      "feedback: negative (quality, sizing), handed to staff with priority",
    ]);
  });

  test("praise gets the thanks with the shop's review link, and nobody is bothered", async () => {
    await prisma.flowSetting.update({
      where: { shopId_kind: { shopId, kind: "FEEDBACK" } },
      data: { config: { reviewUrl: "https://acme.test/pages/reviews" } },
    });
    const run = await deliveredOrder();
    await askAfter(7, run);
    const feedback = await answer(run.contact.phoneE164, "Love it!! fits perfectly 😍");
    expect(feedback).toMatchObject({ sentiment: "POSITIVE", handedOver: false });
    expect([...feedback.topics].sort()).toEqual(["product_praise", "sizing"]);
    await h.settle();
    expect(h.messagesTo(run.contact.phoneE164).at(-1)?.text).toContain(
      "That's so great to hear, thank you! Would you leave a quick review? https://acme.test/pages/reviews",
    );
    const row = await prisma.flowRun.findUniqueOrThrow({ where: { id: run.runId } });
    expect(row.handedOverAt).toBeNull();
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: row.conversationId! } });
    expect(conversation).toMatchObject({ assigneeId: null, automationPaused: false });
  });

  test("one run per order; a shopper who opted out before the question gets nothing", async () => {
    const run = await deliveredOrder();
    const again = await startFeedbackAfterDelivery(
      {
        shopId,
        contactId: run.contact.id,
        orderId: run.orderId,
        orderName: null,
        productTitle: "Linen Shirt",
        deliveredAt: at(1),
      },
      { now: at(1) },
    );
    expect(again).toEqual({ outcome: "duplicate", runId: run.runId });

    await h.textFromShopper(run.contact.phoneE164, "STOP");
    await waitFor(
      () =>
        prisma.consentState.findFirst({
          where: { contactId: run.contact.id, purpose: "MARKETING", status: "UNSUBSCRIBED" },
        }),
      15_000,
      "the opt-out",
    );
    await fireDueFlowTimers({ shopId, now: at(7) });
    expect(await outbound(run.runId)).toHaveLength(0);
    expect(await prisma.flowRun.findUniqueOrThrow({ where: { id: run.runId } })).toMatchObject({
      status: "EXITED",
      exitReason: "opted_out",
    });
    expect(await prisma.feedback.count({ where: { contactId: run.contact.id } })).toBe(0);
  });

  test("no answer within a week: the run completes quietly", async () => {
    const run = await deliveredOrder();
    await askAfter(7, run);
    await fireDueFlowTimers({ shopId, now: at(14) });
    expect(await prisma.flowRun.findUniqueOrThrow({ where: { id: run.runId } })).toMatchObject({
      status: "COMPLETED",
      exitReason: "no_reply",
      awaitingReply: false,
    });
    expect(await outbound(run.runId)).toHaveLength(1);
  });
});

describe("the Feedback page's reads", () => {
  test("one shop's answers, newest first, by sentiment, a page at a time; the summary counts and topics", async () => {
    // A shop installed from the simulated store, so the page's loader can be called as the admin calls it.
    const pageStore = await startSimulatedStore({ shop: "feedback-page.myshopify.com" });
    const shop = { id: "feedback-page.myshopify.com" };
    const other = await createShop();
    const contact = await createContact(shop.id, { firstName: "Jo", lastName: "Rivera" });
    const stranger = await createContact(other.id);
    const rows = [
      { sentiment: "POSITIVE", topics: ["product_praise"], minutes: 1 },
      { sentiment: "NEGATIVE", topics: ["sizing", "quality"], minutes: 2 },
      { sentiment: "NEUTRAL", topics: ["sizing", "product_praise"], minutes: 3 },
      { sentiment: "NEGATIVE", topics: ["shipping"], minutes: 4 },
      { sentiment: "POSITIVE", topics: [], minutes: 4 }, // same instant: the id breaks the tie
    ] as const;
    for (const [i, r] of rows.entries())
      await prisma.feedback.create({
        data: {
          shopId: shop.id,
          contactId: contact.id,
          messageId: `page-msg-${shop.id}-${i}`,
          body: `answer ${i}`,
          sentiment: r.sentiment,
          topics: [...r.topics],
          createdAt: new Date(t0.getTime() + r.minutes * 60_000),
        },
      });
    await prisma.feedback.create({
      data: {
        shopId: other.id,
        contactId: stranger.id,
        messageId: `page-msg-${other.id}`,
        body: "x",
        sentiment: "NEGATIVE",
      },
    });

    const seen: string[] = [];
    let cursor = null;
    for (let page = 0; page < 5; page++) {
      const result = await listFeedback(shop.id, { sentiment: null, cursor }, 2);
      seen.push(...result.rows.map((r) => r.body));
      expect(result.rows.every((r) => r.contact.firstName === "Jo")).toBe(true);
      if (!result.next) break;
      cursor = result.next;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen.slice(2)).toEqual(["answer 2", "answer 1", "answer 0"]);

    const negative = await listFeedback(shop.id, { sentiment: "NEGATIVE", cursor: null });
    expect(negative.rows.map((r) => r.body)).toEqual(["answer 3", "answer 1"]);
    expect(negative.next).toBeNull();

    expect(await summarizeFeedback(shop.id)).toEqual({
      total: 5,
      bySentiment: { POSITIVE: 2, NEUTRAL: 1, NEGATIVE: 2 },
      topics: [
        { topic: "product_praise", count: 2 },
        { topic: "sizing", count: 2 },
        { topic: "quality", count: 1 },
        { topic: "shipping", count: 1 },
      ],
    });

    try {
      type Page = Awaited<ReturnType<typeof feedbackLoader>>;
      const page = (await feedbackLoader(await adminRouteArgs(shop.id, "/app/feedback?sentiment=negative"))) as Page;
      expect(page.sentiment).toBe("NEGATIVE");
      expect(page.rows).toEqual([
        expect.objectContaining({
          shopper: "Jo Rivera",
          sentiment: "NEGATIVE",
          topics: ["shipping"],
          excerpt: "answer 3",
        }),
        expect.objectContaining({ sentiment: "NEGATIVE", topics: ["sizing", "quality"], conversationUrl: null }),
      ]);
      expect(page.nextCursor).toBeNull();
      expect(page.summary.bySentiment).toEqual({ POSITIVE: 2, NEUTRAL: 1, NEGATIVE: 2 });
      const all = (await feedbackLoader(await adminRouteArgs(shop.id, "/app/feedback?sentiment=nonsense"))) as Page;
      expect(all.sentiment).toBeNull();
      expect(all.rows).toHaveLength(5);
    } finally {
      await pageStore.stop();
    }
  });
});
