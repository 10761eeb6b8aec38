import { describe, expect, test } from "vitest";
import { ASK_TIMER, type FeedbackContext, FeedbackContextSchema, feedbackMachine, NO_REPLY_TIMER } from "./feedback";
import type { FlowEvent, FlowStep } from "./machine";
import { type FeedbackSettings, FeedbackSettingsSchema } from "./settings";
import { testEnvironment } from "./test-environment";

const DELIVERED = new Date("2026-12-01T15:00:00Z");
const DAY = 86_400_000;
const LATER = new Date(DELIVERED.getTime() + 7 * DAY);

const context = (overrides: Partial<FeedbackContext> = {}) =>
  FeedbackContextSchema.parse({
    orderId: "gid://shopify/Order/3",
    orderName: "#1042",
    productTitle: "Linen Shirt",
    deliveredAt: DELIVERED.toISOString(), // as the run's JSON context stores it
    ...overrides,
  });
const env = (settings: Partial<FeedbackSettings> = {}, now = LATER) =>
  testEnvironment(FeedbackSettingsSchema, settings, now);
const step = (state: string, event: FlowEvent, e = env(), ctx = context()) =>
  feedbackMachine.transition({ state, context: ctx, startedAt: DELIVERED }, event, e);
const reply = (text: string): FlowEvent => ({ type: "reply", messageId: "msg_1", text });
const sends = (s: FlowStep<FeedbackContext> | null) =>
  (s?.effects ?? []).flatMap((e) => (e.type === "send" ? [e.body] : []));
const effect = <T extends string>(s: FlowStep<FeedbackContext> | null, type: T) =>
  s?.effects.find((e) => e.type === type);

describe("feedbackMachine: waiting and asking", () => {
  test("start waits the shop's delay after delivery", () => {
    const s = step("new", { type: "start" }, env({}, DELIVERED));
    expect(s).toMatchObject({ state: "waiting", summary: "delivered; asking for feedback in 7 d" });
    expect(s?.effects).toEqual([{ type: "set_timer", name: ASK_TIMER, at: LATER }]);
  });

  test.each([
    [3, 3 * DAY],
    [14, 14 * DAY],
  ])("a %i-day delay asks %i ms after delivery", (days, ms) => {
    const s = step("new", { type: "start" }, env({ delayDaysAfterDelivery: days }, DELIVERED));
    expect(effect(s, "set_timer")).toMatchObject({ at: new Date(DELIVERED.getTime() + ms) });
  });

  test("a delivery reported late (delay already over) asks at once", () => {
    const now = new Date(DELIVERED.getTime() + 10 * DAY);
    const s = step("new", { type: "start" }, env({}, now));
    expect(s).toMatchObject({ summary: "delivered; asking for feedback now" });
    expect(effect(s, "set_timer")).toMatchObject({ at: now });
  });

  test("the timer asks about the product, expects a reply and listens for a week", () => {
    const s = step("waiting", { type: "timer", name: ASK_TIMER });
    expect(s?.state).toBe("asked");
    expect(s?.effects[0]).toEqual({
      type: "send",
      body: "Hi {first_name}, it's {sender_name} from {brand_name}. How's the Linen Shirt? Anything we could do better?",
      purpose: "MARKETING",
      expectReply: true,
    });
    expect(effect(s, "set_timer")).toEqual({
      type: "set_timer",
      name: NO_REPLY_TIMER,
      at: new Date(LATER.getTime() + 7 * DAY),
    });
  });

  test("an order without a known product is asked about as the order", () => {
    const s = step("waiting", { type: "timer", name: ASK_TIMER }, env(), context({ productTitle: null }));
    expect(sends(s)[0]).toContain("How's the order?");
  });

  test("no answer within the window: completed, nothing sent", () => {
    const s = step("asked", { type: "timer", name: NO_REPLY_TIMER });
    expect(s).toMatchObject({ state: "no_reply", effects: [], end: { status: "COMPLETED", reason: "no_reply" } });
  });

  test.each([
    ["waiting", { type: "timer", name: NO_REPLY_TIMER }],
    ["asked", { type: "timer", name: ASK_TIMER }],
    ["waiting", { type: "reply", messageId: "m", text: "love it" }],
    ["asked", { type: "start" }],
    ["asked", { type: "product_available", productId: "p", title: "t", url: "u" }],
  ] as [string, FlowEvent][])("in %s, %j means nothing", (state, event) => {
    expect(step(state, event)).toBeNull();
  });
});

describe("feedbackMachine: the answer", () => {
  test("praise: stored positive, thanked with the review link when the shop has one, completed", () => {
    const s = step("asked", reply("Love it!! 😍"), env({ reviewUrl: "https://acme.test/reviews" }));
    expect(effect(s, "record_feedback")).toEqual({
      type: "record_feedback",
      messageId: "msg_1",
      body: "Love it!! 😍",
      sentiment: "POSITIVE",
      topics: ["product_praise"],
      orderId: "gid://shopify/Order/3",
      productTitle: "Linen Shirt",
      handedOver: false,
    });
    expect(sends(s)).toEqual([
      "That's so great to hear, thank you! Would you leave a quick review? https://acme.test/reviews",
    ]);
    expect(effect(s, "hand_over")).toBeUndefined();
    expect(s).toMatchObject({ state: "answered", end: { status: "COMPLETED", reason: "feedback_positive" } });
    expect(s?.context.sentiment).toBe("POSITIVE");
  });

  test("praise without a review link: just thanks", () => {
    expect(sends(step("asked", reply("not bad at all")))).toEqual(["That's so great to hear, thank you!"]);
  });

  test("a complaint: stored negative, an apology, handed to staff with priority and the words", () => {
    const s = step("asked", reply("The sleeves are way too long and it shrank in the wash"));
    expect(effect(s, "record_feedback")).toMatchObject({ sentiment: "NEGATIVE", handedOver: true });
    expect(sends(s)).toEqual([FeedbackSettingsSchema.parse({}).negativeText]);
    expect(effect(s, "hand_over")).toEqual({
      type: "hand_over",
      summary:
        "Unhappy with the Linen Shirt (#1042) (quality, sizing): “The sleeves are way too long and it shrank in the wash”",
      priority: true,
    });
    expect(s?.summary).toBe("feedback: negative (quality, sizing), handed to staff with priority");
  });

  test("a mixed answer: neutral thanks, the complaint kept in the topics, no review link", () => {
    const s = step("asked", reply("love it but the sleeves are too long"), env({ reviewUrl: "https://acme.test/r" }));
    expect(effect(s, "record_feedback")).toMatchObject({ sentiment: "NEUTRAL", topics: ["sizing", "product_praise"] });
    expect(sends(s)).toEqual(["Thanks for the feedback, we really appreciate it!"]);
    expect(effect(s, "hand_over")).toBeUndefined();
  });

  test("a long complaint is cut in the hand-over summary", () => {
    const long = `It arrived damaged. ${"Really not happy about it. ".repeat(10)}`;
    const handOver = effect(step("asked", reply(long)), "hand_over") as { summary: string } | undefined;
    expect(handOver?.summary.length).toBeLessThan(200);
    expect(handOver?.summary).toMatch(/…”$/);
  });
});
