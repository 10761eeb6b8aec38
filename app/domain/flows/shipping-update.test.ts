import { describe, expect, test } from "vitest";
import type { FlowEvent } from "./machine";
import { type ShippingUpdateSettings, ShippingUpdateSettingsSchema } from "./settings";
import {
  COMPLETE_TIMER,
  type ShippingUpdateContext,
  ShippingUpdateContextSchema,
  shippingUpdateMachine,
} from "./shipping-update";
import { testEnvironment } from "./test-environment";

// Tuesday, Dec 1 2026, 10:00 in New York.
const NOW = new Date("2026-12-01T15:00:00Z");
const DAY = 86_400_000;
const THU = new Date("2026-12-03T20:00:00Z");

const env = (settings: Partial<ShippingUpdateSettings> = {}, now = NOW) =>
  testEnvironment(ShippingUpdateSettingsSchema, settings, now);

function context(
  overrides: Partial<ShippingUpdateContext> = {},
  shipment: Partial<ShippingUpdateContext["shipment"]> = {},
) {
  return ShippingUpdateContextSchema.parse({
    fulfillmentId: "gid://shopify/Fulfillment/7",
    orderId: "gid://shopify/Order/3",
    orderName: "#1042",
    orderStatusUrl: "https://acme.test/orders/abc",
    productTitle: "Linen Shirt",
    shipment: {
      status: "in_transit",
      carrier: "UPS",
      trackingNumber: "1Z999",
      trackingUrl: "https://ups.test/track/1Z999",
      estimatedDeliveryAt: THU,
      deliveredAt: null,
      ...shipment,
    },
    ...overrides,
  });
}

const run = (ctx: ShippingUpdateContext, state = "shipped") => ({ state, context: ctx, startedAt: NOW });
const step = (ctx: ShippingUpdateContext, event: FlowEvent, e = env(), state = "shipped") =>
  shippingUpdateMachine.transition(run(ctx, state), event, e);

function update(shipment: Partial<Extract<FlowEvent, { type: "fulfillment_updated" }>> = {}): FlowEvent {
  return {
    type: "fulfillment_updated",
    fulfillmentId: "gid://shopify/Fulfillment/7",
    shipmentStatus: "in_transit",
    trackingCompany: "UPS",
    trackingNumber: "1Z999",
    trackingUrl: "https://ups.test/track/1Z999",
    estimatedDeliveryAt: THU,
    ...shipment,
  };
}

const reply = (text: string): FlowEvent => ({ type: "reply", messageId: "m1", text });
const sends = (s: ReturnType<typeof step>) => s?.effects.filter((e) => e.type === "send") ?? [];

describe("start", () => {
  test("shipped: carrier, tracking link and the estimate in the shop's zone; a reply comes back here", () => {
    const s = shippingUpdateMachine.transition(run(context(), "new"), { type: "start" }, env());
    expect(s).toEqual({
      state: "shipped",
      context: expect.objectContaining({ texted: ["shipped"] }),
      summary: "texted: shipped, with UPS, expected Thu, Dec 3",
      effects: [
        {
          type: "send",
          body: "Hi {first_name}, your order #1042 is on its way with UPS. Track it: https://ups.test/track/1Z999 It should arrive by Thu, Dec 3.",
          purpose: "TRANSACTIONAL",
          expectReply: true,
        },
        { type: "set_timer", name: COMPLETE_TIMER, at: new Date(NOW.getTime() + 30 * DAY) },
      ],
    });
  });

  test.each<[string, Partial<ShippingUpdateContext["shipment"]>, Partial<ShippingUpdateSettings>, string, string[]]>([
    [
      "no carrier link: the order status page, and no estimate sentence",
      { trackingUrl: null, estimatedDeliveryAt: null },
      {},
      "shipped",
      ["Hi {first_name}, your order #1042 is on its way with UPS. Track it: https://acme.test/orders/abc"],
    ],
    ["shipped texts turned off: nothing sent, still following", {}, { onShipped: false }, "shipped", []],
    [
      "first seen out for delivery: only that text",
      { status: "out_for_delivery" },
      {},
      "out_for_delivery",
      ["Your order #1042 is out for delivery today!"],
    ],
    ["first seen delivered, delivered texts off (default): nothing", { status: "delivered" }, {}, "delivered", []],
    [
      "first seen delivered, delivered texts on",
      { status: "delivered" },
      { onDelivered: true },
      "delivered",
      ["Your order #1042 was delivered. Enjoy! Reply here if anything's not right."],
    ],
    [
      "an estimate two days behind us is left out",
      { estimatedDeliveryAt: new Date(NOW.getTime() - 2 * DAY) },
      {},
      "shipped",
      ["Hi {first_name}, your order #1042 is on its way with UPS. Track it: https://ups.test/track/1Z999"],
    ],
  ])("%s", (_name, shipment, settings, state, bodies) => {
    const s = shippingUpdateMachine.transition(run(context({}, shipment), "new"), { type: "start" }, env(settings));
    expect(s?.state).toBe(state);
    expect(sends(s).map((e) => e.type === "send" && e.body)).toEqual(bodies);
    const timer = s?.effects.find((e) => e.type === "set_timer");
    expect(timer).toMatchObject({ name: COMPLETE_TIMER });
  });
});

describe("fulfilment updates", () => {
  const shipped = context({ texted: ["shipped"] });

  test("out for delivery: texted once", () => {
    const first = step(shipped, update({ shipmentStatus: "out_for_delivery" }))!;
    expect(first.state).toBe("out_for_delivery");
    expect(sends(first)).toEqual([
      {
        type: "send",
        body: "Your order #1042 is out for delivery today!",
        purpose: "TRANSACTIONAL",
        expectReply: true,
      },
    ]);
    // The same news again changes nothing; a new estimate is noted without a second text.
    expect(step(first.context, update({ shipmentStatus: "out_for_delivery" }), env(), first.state)).toBeNull();
    const later = step(
      first.context,
      update({ shipmentStatus: "out_for_delivery", estimatedDeliveryAt: new Date("2026-12-03T23:00:00Z") }),
      env(),
      first.state,
    )!;
    expect(sends(later)).toEqual([]);
    expect(later.summary).toBe("expected Thu, Dec 3");
  });

  test("delivered with delivered texts off: no text, listens 3 more days", () => {
    const s = step(shipped, update({ shipmentStatus: "delivered" }))!;
    expect(s.state).toBe("delivered");
    expect(s.effects).toEqual([{ type: "set_timer", name: COMPLETE_TIMER, at: new Date(NOW.getTime() + 3 * DAY) }]);
    expect(s.context.shipment.deliveredAt).toEqual(NOW);
    expect(s.summary).toBe("delivered");
  });

  test("delivered after the shopper asked to be told: texted even though the setting is off", () => {
    const s = step({ ...shipped, notifyOnDelivery: true }, update({ shipmentStatus: "delivered" }))!;
    expect(sends(s).map((e) => e.type === "send" && e.body)).toEqual([
      "Your order #1042 was delivered. Enjoy! Reply here if anything's not right.",
    ]);
    expect(s.context.texted).toEqual(["shipped", "delivered"]);
    expect(s.summary).toBe("texted: delivered");
  });

  test("an older update after delivery never moves the parcel back", () => {
    const delivered = context({ texted: ["shipped"] }, { status: "delivered", deliveredAt: NOW });
    expect(step(delivered, update({ shipmentStatus: "in_transit" }), env(), "delivered")).toBeNull();
    expect(step(delivered, update({ shipmentStatus: "out_for_delivery" }), env(), "delivered")).toBeNull();
  });

  test("a status with no milestone of its own is noted, not texted", () => {
    const s = step(
      context({ texted: ["shipped"] }, { status: "confirmed" }),
      update({ shipmentStatus: "in_transit" }),
    )!;
    expect(s.effects).toEqual([]);
    expect(s.summary).toBe("in transit");
  });

  test("another fulfilment's update is not this run's", () => {
    expect(
      step(shipped, update({ fulfillmentId: "gid://shopify/Fulfillment/8", shipmentStatus: "delivered" })),
    ).toBeNull();
  });
});

describe("replies", () => {
  const shipped = context({ texted: ["shipped"] });

  test("will it arrive by Friday? yes, from the estimate", () => {
    const s = step(shipped, reply("will it arrive by Friday?"))!;
    expect(s.effects).toEqual([
      {
        type: "send",
        body: "Yes — it's expected Thu, Dec 3, before Friday.",
        purpose: "TRANSACTIONAL",
        expectReply: true,
      },
    ]);
    expect(s.state).toBe("shipped");
  });

  test("will it arrive by Friday? no: the answer and a hand-over", () => {
    const late = context({ texted: ["shipped"] }, { estimatedDeliveryAt: new Date("2026-12-07T17:00:00Z") });
    expect(step(late, reply("will it arrive by Friday?"))!.effects).toEqual([
      {
        type: "send",
        body: "It's expected Mon, Dec 7, so after Friday, sorry! I've asked the team to see what we can do.",
        purpose: "TRANSACTIONAL",
        expectReply: true,
      },
      {
        type: "hand_over",
        summary: "Asked if #1042 arrives by Friday (Fri, Dec 4); expected Mon, Dec 7",
        priority: false,
      },
    ]);
  });

  test("text me when it's delivered: the flag, a confirmation, then the delivered text", () => {
    const asked = step(shipped, reply("text me when it's delivered"))!;
    expect(asked.context.notifyOnDelivery).toBe(true);
    expect(sends(asked).map((e) => e.type === "send" && e.body)).toEqual([
      "Will do! I'll text you as soon as it's delivered.",
    ]);
    expect(asked.summary).toBe("will text when delivered");
    const delivered = step(asked.context, update({ shipmentStatus: "delivered" }))!;
    expect(sends(delivered)).toHaveLength(1);
  });

  test("damaged after delivery: sorry, and a priority hand-over", () => {
    const delivered = context({ texted: ["shipped"] }, { status: "delivered", deliveredAt: NOW });
    const s = step(delivered, reply("the box came damaged"), env(), "delivered")!;
    expect(s.effects.map((e) => e.type)).toEqual(["send", "hand_over"]);
    expect(s.effects[1]).toMatchObject({ priority: true });
  });

  test("anything else is handed over with a summary; thanks needs nothing", () => {
    expect(step(shipped, reply("can I add socks to the order?"))!.effects).toEqual([
      {
        type: "hand_over",
        summary: "Replied to the shipping update for #1042: “can I add socks to the order?”",
        priority: false,
      },
    ]);
    expect(step(shipped, reply("thanks!"))).toMatchObject({ effects: [], summary: "shopper said thanks" });
  });
});

describe("the end", () => {
  test("the complete timer ends the run", () => {
    const delivered = context({}, { status: "delivered", deliveredAt: NOW });
    expect(step(delivered, { type: "timer", name: COMPLETE_TIMER }, env(), "delivered")).toMatchObject({
      state: "completed",
      effects: [],
      end: { status: "COMPLETED", reason: "delivered" },
    });
    expect(step(context(), { type: "timer", name: COMPLETE_TIMER })).toMatchObject({
      end: { status: "COMPLETED", reason: "expired" },
    });
  });

  test.each<FlowEvent>([
    { type: "timer", name: "reminder" },
    {
      type: "order_placed",
      orderId: "o",
      totalCents: 1,
      currencyCode: "USD",
      discountCodes: [],
      checkoutId: null,
      placedAt: NOW,
    },
    { type: "product_available", productId: "p", title: "Hoodie", url: "https://acme.test/p" },
  ])("$type means nothing to a shipping run", (event) => {
    expect(step(context(), event)).toBeNull();
  });
});
