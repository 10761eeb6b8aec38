import { describe, expect, test } from "vitest";
import {
  type AbandonedCartContext,
  AbandonedCartContextSchema,
  abandonedCartMachine,
  cartItemText,
  describeWait,
} from "./abandoned-cart";
import type { FlowEffect, FlowEvent, FlowStep } from "./machine";
import { AbandonedCartSettingsSchema, type AbandonedCartSettings } from "./settings";
import { testEnvironment } from "./test-environment";

const NOW = new Date("2026-03-03T15:00:00Z");
const HOUR = 3_600_000;
const URL = "https://acme.test/1/checkouts/ac/tok/recover?key=k";

const context = (overrides: Partial<AbandonedCartContext> = {}): AbandonedCartContext =>
  AbandonedCartContextSchema.parse({
    checkoutId: "981",
    checkoutUrl: URL,
    currencyCode: "USD",
    totalCents: 8400,
    items: [{ title: "Linen Shirt", quantity: 1, productId: "gid://shopify/Product/7" }],
    ...overrides,
  });

function step(
  state: string,
  event: FlowEvent,
  options: {
    context?: Partial<AbandonedCartContext>;
    settings?: Partial<AbandonedCartSettings>;
    maxPercent?: number;
  } = {},
): FlowStep<AbandonedCartContext> | null {
  const env = testEnvironment(AbandonedCartSettingsSchema, options.settings ?? {}, NOW);
  if (options.maxPercent !== undefined) env.shop.guardrails.maxPercent = options.maxPercent;
  return abandonedCartMachine.transition(
    { state, context: context(options.context), startedAt: new Date(NOW.getTime() - 2 * HOUR) },
    event,
    env,
  );
}
const reply = (text: string): FlowEvent => ({ type: "reply", messageId: "m1", text });
const sends = (s: FlowStep<AbandonedCartContext> | null) =>
  (s?.effects ?? []).filter((e): e is Extract<FlowEffect, { type: "send" }> => e.type === "send");
const effectTypes = (s: FlowStep<AbandonedCartContext> | null) => (s?.effects ?? []).map((e) => e.type);
const offerOf = (s: FlowStep<AbandonedCartContext> | null) =>
  (s?.effects.find((e) => e.type === "create_offer") as Extract<FlowEffect, { type: "create_offer" }> | undefined)
    ?.offer;

describe("start and the opener", () => {
  test("start waits the configured delay", () => {
    const s = step("new", { type: "start" }, { settings: { delayMinutes: 90 } });
    expect(s).toMatchObject({ state: "waiting", summary: "waiting 1 h 30 min" });
    expect(s!.effects).toEqual([{ type: "set_timer", name: "opener", at: new Date(NOW.getTime() + 90 * 60_000) }]);
  });

  test("the opener names the cart, asks, has no link, and waits for a reply with a reminder due", () => {
    const s = step("waiting", { type: "timer", name: "opener" });
    expect(s?.state).toBe("asked");
    const [opener] = sends(s);
    expect(opener).toMatchObject({ purpose: "MARKETING", expectReply: true });
    expect(opener!.body).toBe(
      "Hi {first_name}, it's {sender_name} from {brand_name}. Saw you left the Linen Shirt in your cart. Anything I can help with?",
    );
    expect(opener!.body).not.toContain("http");
    expect(s!.effects).toContainEqual({ type: "set_timer", name: "reminder", at: new Date(NOW.getTime() + 24 * HOUR) });
    expect(s!.context.openedAt).toBe(NOW.toISOString());
  });

  test("linkInOpener adds the recovery link", () => {
    expect(
      sends(step("waiting", { type: "timer", name: "opener" }, { settings: { linkInOpener: true } }))[0]!.body,
    ).toContain(URL);
  });

  test("no reply: one reminder with the link, then the run completes", () => {
    const reminder = step("asked", { type: "timer", name: "reminder" });
    expect(reminder?.state).toBe("reminded");
    expect(sends(reminder)[0]!.body).toBe(`Still thinking about the Linen Shirt? Your cart is saved here: ${URL}`);
    expect(step("reminded", { type: "timer", name: "reminder" })).toBeNull(); // at most one
    expect(step("reminded", { type: "timer", name: "wrap_up" })?.end).toEqual({
      status: "COMPLETED",
      reason: "no_reply",
    });
  });

  test.each([
    [[{ title: "Linen Shirt", quantity: 1 }], "Linen Shirt"],
    [
      [
        { title: "Linen Shirt", quantity: 2 },
        { title: "Cap", quantity: 1 },
      ],
      "Linen Shirt and 1 more item",
    ],
    [
      [
        { title: "A", quantity: 1 },
        { title: "B", quantity: 1 },
        { title: "C", quantity: 1 },
      ],
      "A and 2 more items",
    ],
  ])("cartItemText(%j) = %s", (items, expected) => {
    expect(cartItemText(items)).toBe(expected);
  });

  test.each([
    [15, "15 min"],
    [60, "1 h"],
    [150, "2 h 30 min"],
  ])("describeWait(%s) = %s", (minutes, expected) => {
    expect(describeWait(minutes)).toBe(expected);
  });
});

describe("replies, by intent", () => {
  test.each([
    ["shipping is too expensive", "offering", { kind: "FREE_SHIPPING" }],
    ["too pricey for me rn", "offering", { kind: "PERCENTAGE", percent: 10 }],
  ])("%s → %s %j", (text, state, offer) => {
    const s = step("asked", reply(text));
    expect(s?.state).toBe(state);
    expect(offerOf(s)).toEqual(offer);
    expect(effectTypes(s)).toContain("clear_timer"); // no reminder after an answer
  });

  test("price twice climbs the ladder; a spent ladder hands over", () => {
    expect(offerOf(step("offered", reply("still too expensive"), { context: { ladderIndex: 1 } }))).toEqual({
      kind: "PERCENTAGE",
      percent: 15,
    });
    const spent = step("offered", reply("still too expensive"), { context: { ladderIndex: 2 } });
    expect(spent?.end).toEqual({ status: "COMPLETED", reason: "handed_over" });
    expect(effectTypes(spent)).toContain("hand_over");
  });

  test("the ladder is clamped to the shop's guardrail, and never repeats an offer", () => {
    expect(
      offerOf(step("asked", reply("too expensive"), { settings: { offerLadder: [25, 30] }, maxPercent: 20 })),
    ).toEqual({
      kind: "PERCENTAGE",
      percent: 20,
    });
    const again = step("offered", reply("too expensive"), {
      settings: { offerLadder: [25, 30] },
      maxPercent: 20,
      context: { ladderIndex: 1 },
    });
    expect(offerOf(again)).toBeUndefined();
    expect(effectTypes(again)).toContain("hand_over");
  });

  test("shipping again after free shipping: the ladder; free shipping off: the ladder at once", () => {
    expect(
      offerOf(step("offered", reply("shipping is too expensive"), { context: { freeShippingOffered: true } })),
    ).toEqual({
      kind: "PERCENTAGE",
      percent: 10,
    });
    expect(
      offerOf(step("asked", reply("shipping is too expensive"), { settings: { freeShippingOffer: false } })),
    ).toEqual({
      kind: "PERCENTAGE",
      percent: 10,
    });
  });

  test("a colour question is answered from the product's options", () => {
    const products = [
      {
        productId: "gid://shopify/Product/7",
        title: "Linen Shirt",
        description: "",
        options: [{ name: "Color", values: ["White", "Blue"] }],
        variants: [],
      },
    ];
    const yes = step("asked", reply("does this come in blue?"), { context: { products } });
    expect(yes?.state).toBe("answered");
    expect(sends(yes)[0]!.body).toBe(`Yes, the Linen Shirt comes in Blue! Your cart is saved here: ${URL}`);
    expect(sends(yes)[0]!.expectReply).toBe(true);
    const no = step("asked", reply("do you have it in green?"), { context: { products } });
    expect(sends(no)[0]!.body).toContain("comes in White and Blue, so no green");
  });

  test.each([
    ["does it run small?"], // size fit without size data
    ["is it machine washable"], // care: never guessed
  ])("a question the product data cannot answer is handed over: %s", (text) => {
    const s = step("asked", reply(text), { context: { products: [] } });
    expect(s?.state).toBe("handed_over");
    const hand = s!.effects.find((e) => e.type === "hand_over") as Extract<FlowEffect, { type: "hand_over" }>;
    expect(hand.summary).toContain("Abandoned cart (Linen Shirt, $84.00)");
  });

  test.each([
    ["when would it arrive in Texas?", false],
    ["my card keeps getting declined", true],
  ])("delivery time / payment problem → a short answer and a person: %s", (text, priority) => {
    const s = step("asked", reply(text));
    expect(s?.state).toBe("handed_over");
    expect(sends(s)).toHaveLength(1);
    expect(s!.effects).toContainEqual(expect.objectContaining({ type: "hand_over", priority }));
  });

  test.each([
    ["just browsing thanks", "closed", "No problem at all"],
    ["already bought it in store", "already_bought", "thanks for your order"],
    ["ok will order tonight!", "awaiting_conversion", URL],
  ])("%s → COMPLETED (%s)", (text, reason, said) => {
    const s = step("asked", reply(text));
    expect(s?.end).toEqual({ status: "COMPLETED", reason });
    expect(sends(s)[0]!.body).toContain(said);
  });

  test("an unreadable reply goes to a person", () => {
    const s = step("asked", reply("hmm my cousin said something"));
    expect(s?.state).toBe("handed_over");
    expect(effectTypes(s)).toEqual(["clear_timer", "hand_over"]);
  });

  test("replies outside a reply state mean nothing", () => {
    expect(step("waiting", reply("shipping too expensive"))).toBeNull();
    expect(step("offering", reply("hello?"))).toBeNull();
  });
});

describe("offers", () => {
  test("a created code is sent with its link and validity", () => {
    const s = step(
      "offering",
      {
        type: "offer_created",
        code: "ACME-7K2Q",
        url: "https://acme.test/discount/ACME-7K2Q",
        discountId: "d1",
        expiresAt: new Date(NOW.getTime() + 48 * HOUR),
      },
      { context: { pendingOffer: "FREE_SHIPPING", freeShippingOffered: true } },
    );
    expect(s).toMatchObject({ state: "offered", summary: "offered free shipping (ACME-7K2Q)" });
    expect(sends(s)[0]!.body).toBe(
      "Totally fair! Here's free shipping just for you: ACME-7K2Q (valid 48 h). Your cart: https://acme.test/discount/ACME-7K2Q",
    );
  });

  test("a percentage code says its percent", () => {
    const s = step(
      "offering",
      { type: "offer_created", code: "C", url: "https://u", discountId: "d", percent: 10 },
      { context: { pendingOffer: "PERCENTAGE", pendingPercent: 10 } },
    );
    expect(sends(s)[0]!.body).toContain("Here's 10% off, just for you: C");
  });

  test("a failed offer hands over instead of promising a code", () => {
    const s = step("offering", { type: "offer_failed", reason: "not installed" });
    expect(s?.state).toBe("handed_over");
    expect(sends(s)[0]!.body).not.toMatch(/code/i);
  });
});

describe("orders", () => {
  const order = (placedAt = NOW): FlowEvent => ({
    type: "order_placed",
    orderId: "gid://shopify/Order/1",
    totalCents: 8400,
    currencyCode: "USD",
    discountCodes: [],
    checkoutId: "981",
    placedAt,
  });

  test("before the opener: the run stops, purchase", () => {
    expect(step("waiting", order())?.end).toEqual({ status: "EXITED", reason: "purchase" });
  });

  test.each(["asked", "reminded", "offered", "answered", "offering"])("after the opener (%s): converted", (state) => {
    const s = step(state, order(), { context: { openedAt: new Date(NOW.getTime() - HOUR).toISOString() } });
    expect(s).toMatchObject({ state: "converted", summary: "converted: $84.00", end: { status: "CONVERTED" } });
  });

  test("beyond the attribution window: completed, not converted", () => {
    const s = step("offered", order(new Date(NOW.getTime() + 8 * 24 * HOUR)), {
      context: { openedAt: NOW.toISOString() },
    });
    expect(s?.end).toEqual({ status: "COMPLETED", reason: "expired" });
  });
});
