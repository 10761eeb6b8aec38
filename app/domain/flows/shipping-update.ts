import { z } from "zod";
import {
  answerDeliveryQuestion,
  formatShopDay,
  isDelivered,
  parseDeliveryQuestion,
  type ShipmentFacts,
} from "./delivery-question";
import { fillFlowVariables } from "./fill-variables";
import type { FlowEffect, FlowEnvironment, FlowEvent, FlowMachine, FlowStep } from "./machine";
import type { ShippingUpdateSettings } from "./settings";

// SHIPPING_UPDATE: one run per fulfilment (subject "fulfillment:<id>"), started by fulfillments/create|update.
// Transactional texts per the shop's settings — shipped (carrier, tracking link, estimate), out for delivery,
// delivered — each at most once, on the first sighting of that milestone; a shipment first seen further along
// gets only the text of where it is now. Every text expects a reply, so "will it arrive by Friday?" comes back to
// this run and is answered from the fulfilment (app/domain/flows/delivery-question.ts). The run completes a few
// days after delivery (late replies then go to normal automation and staff), or a month after it started if the
// carrier never reports a delivery.

export const COMPLETE_TIMER = "complete";
/** After delivery the run listens this long for "it never arrived" and the like, then completes. */
export const LISTEN_AFTER_DELIVERY_DAYS = 3;
/** A shipment the carrier never reports delivered stops being followed after this long. */
export const GIVE_UP_AFTER_DAYS = 30;

const DAY_MS = 86_400_000;

export const MILESTONES = ["shipped", "out_for_delivery", "delivered"] as const;
export type Milestone = (typeof MILESTONES)[number];

const Instant = z.coerce.date().nullable();

export const ShipmentSchema = z.object({
  status: z.string().nullable(), // Shopify's shipment_status
  carrier: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  trackingUrl: z.string().nullable(),
  estimatedDeliveryAt: Instant,
  deliveredAt: Instant,
});

export const ShippingUpdateContextSchema = z.object({
  fulfillmentId: z.string(), // gid://shopify/Fulfillment/…
  orderId: z.string().nullable(), // gid://shopify/Order/…
  orderName: z.string(), // "#1042"
  /** The order status page: the link when the carrier gave none. */
  orderStatusUrl: z.string().nullable().default(null),
  productTitle: z.string().nullable().default(null),
  shipment: ShipmentSchema,
  /** The milestones the shopper was texted about (each at most once). */
  texted: z.array(z.enum(MILESTONES)).default([]),
  /** The shopper asked "text me when it's delivered": the delivered text goes even if the shop turned it off. */
  notifyOnDelivery: z.boolean().default(false),
});
export type ShippingUpdateContext = z.infer<typeof ShippingUpdateContextSchema>;

type Env = FlowEnvironment<ShippingUpdateSettings>;
type Step = FlowStep<ShippingUpdateContext>;

// Shopify's shipment_status, in the order a parcel moves. Anything else (attempted_delivery, failure, delayed…)
// is news about a parcel still on its way.
const PROGRESS: Record<string, number> = {
  label_printed: 1,
  label_purchased: 1,
  confirmed: 2,
  ready_for_pickup: 3,
  in_transit: 3,
  out_for_delivery: 4,
  delivered: 5,
};
const rank = (status: string | null) => (status ? (PROGRESS[status] ?? 3) : 0);

export function milestoneOf(shipment: Pick<ShipmentFacts, "status" | "deliveredAt">): Milestone {
  if (isDelivered(shipment)) return "delivered";
  return shipment.status === "out_for_delivery" ? "out_for_delivery" : "shipped";
}

const STATE: Record<Milestone, string> = {
  shipped: "shipped",
  out_for_delivery: "out_for_delivery",
  delivered: "delivered",
};

/** The fulfilment's news folded into what the run knew: a late, older update never moves a parcel backwards. */
export function mergeShipment(
  known: ShipmentFacts,
  event: Extract<FlowEvent, { type: "fulfillment_updated" }>,
  now: Date,
): ShipmentFacts {
  const backwards = rank(event.shipmentStatus) < rank(known.status) || isDelivered(known);
  const status = backwards ? known.status : (event.shipmentStatus ?? known.status);
  return {
    status,
    carrier: event.trackingCompany ?? known.carrier,
    trackingNumber: event.trackingNumber ?? known.trackingNumber,
    trackingUrl: event.trackingUrl ?? known.trackingUrl,
    estimatedDeliveryAt: event.estimatedDeliveryAt ?? known.estimatedDeliveryAt,
    deliveredAt: known.deliveredAt ?? (status === "delivered" ? now : null),
  };
}

function sameShipment(a: ShipmentFacts, b: ShipmentFacts): boolean {
  const time = (d: Date | null) => d?.getTime() ?? null;
  return (
    a.status === b.status &&
    a.carrier === b.carrier &&
    a.trackingNumber === b.trackingNumber &&
    a.trackingUrl === b.trackingUrl &&
    time(a.estimatedDeliveryAt) === time(b.estimatedDeliveryAt) &&
    time(a.deliveredAt) === time(b.deliveredAt)
  );
}

/** The flow's own variables for a text about this shipment. */
export function shippingVariables(context: ShippingUpdateContext, env: Env): Record<string, string> {
  const { shipment } = context;
  const eta = shipment.estimatedDeliveryAt;
  // An estimate a day behind us says nothing useful; one for today still reads fine.
  const etaUseful = eta !== null && eta.getTime() >= env.now.getTime() - DAY_MS;
  return {
    order_name: context.orderName,
    carrier: shipment.carrier ?? "the carrier",
    tracking_url: shipment.trackingUrl ?? context.orderStatusUrl ?? "",
    eta_sentence: etaUseful ? ` It should arrive by ${formatShopDay(eta, env.shop.timeZone)}.` : "",
  };
}

const TEXTS: Record<Milestone, { on: (s: ShippingUpdateSettings) => boolean; text: keyof ShippingUpdateSettings }> = {
  shipped: { on: (s) => s.onShipped, text: "shippedText" },
  out_for_delivery: { on: (s) => s.onOutForDelivery, text: "outForDeliveryText" },
  delivered: { on: (s) => s.onDelivered, text: "deliveredText" },
};

const MILESTONE_WORDS: Record<Milestone, string> = {
  shipped: "shipped",
  out_for_delivery: "out for delivery",
  delivered: "delivered",
};

function send(context: ShippingUpdateContext, env: Env, milestone: Milestone): FlowEffect {
  const template = env.settings[TEXTS[milestone].text] as string;
  return {
    type: "send",
    body: fillFlowVariables("SHIPPING_UPDATE", template, shippingVariables(context, env)),
    purpose: "TRANSACTIONAL",
    expectReply: true,
  };
}

/** The step for a shipment that moved (or was first seen): the milestone's text if due, the run's timer. */
function follow(
  context: ShippingUpdateContext,
  shipment: ShipmentFacts,
  env: Env,
  options: { started: boolean },
): Step {
  const before = options.started ? null : milestoneOf(context.shipment);
  const milestone = milestoneOf(shipment);
  const next: ShippingUpdateContext = { ...context, shipment };
  const effects: FlowEffect[] = [];
  const news: string[] = [];

  if (milestone !== before) {
    const wanted = TEXTS[milestone].on(env.settings) || (milestone === "delivered" && context.notifyOnDelivery);
    if (wanted && !context.texted.includes(milestone)) {
      effects.push(send(next, env, milestone));
      next.texted = [...context.texted, milestone];
      news.push(`texted: ${MILESTONE_WORDS[milestone]}`);
    } else {
      news.push(MILESTONE_WORDS[milestone]);
    }
    if (milestone === "delivered") {
      effects.push({
        type: "set_timer",
        name: COMPLETE_TIMER,
        at: new Date(env.now.getTime() + LISTEN_AFTER_DELIVERY_DAYS * DAY_MS),
      });
    } else if (options.started) {
      effects.push({
        type: "set_timer",
        name: COMPLETE_TIMER,
        at: new Date(env.now.getTime() + GIVE_UP_AFTER_DAYS * DAY_MS),
      });
    }
  }
  if (options.started && shipment.carrier) news.push(`with ${shipment.carrier}`);
  if (!options.started && shipment.status !== context.shipment.status && milestone === before && shipment.status)
    news.push(shipment.status.replace(/_/g, " "));
  const eta = shipment.estimatedDeliveryAt;
  const etaIsNews = options.started || eta?.getTime() !== context.shipment.estimatedDeliveryAt?.getTime();
  if (eta && etaIsNews && milestone !== "delivered") news.push(`expected ${formatShopDay(eta, env.shop.timeZone)}`);

  return {
    state: STATE[milestone],
    context: next,
    summary: news.length > 0 ? news.join(", ") : "tracking updated",
    effects,
  };
}

function answerReply(
  run: { state: string; context: ShippingUpdateContext },
  event: Extract<FlowEvent, { type: "reply" }>,
  env: Env,
): Step {
  const { context } = run;
  const clock = { now: env.now, timeZone: env.shop.timeZone };
  const question = parseDeliveryQuestion(event.text, clock);
  const answer = answerDeliveryQuestion(question, context.shipment, {
    ...clock,
    orderName: context.orderName,
    replyText: event.text,
  });
  const effects: FlowEffect[] = [];
  if (answer.text) effects.push({ type: "send", body: answer.text, purpose: "TRANSACTIONAL", expectReply: true });
  if (answer.handOver) effects.push({ type: "hand_over", ...answer.handOver });
  const summary = answer.handOver
    ? `handed to staff: ${answer.handOver.summary}`
    : answer.notifyOnDelivery
      ? "will text when delivered"
      : answer.text
        ? `answered: ${question.intent.replace(/_/g, " ")}`
        : "shopper said thanks";
  return {
    state: run.state,
    context: answer.notifyOnDelivery ? { ...context, notifyOnDelivery: true } : context,
    summary,
    effects,
  };
}

export const shippingUpdateMachine: FlowMachine<ShippingUpdateContext, ShippingUpdateSettings> = {
  kind: "SHIPPING_UPDATE",
  initialState: "new",
  contextSchema: ShippingUpdateContextSchema,
  transition(run, event, env) {
    const { context } = run;
    switch (event.type) {
      case "start":
        return follow(context, context.shipment, env, { started: true });
      case "fulfillment_updated": {
        if (event.fulfillmentId !== context.fulfillmentId) return null;
        const shipment = mergeShipment(context.shipment, event, env.now);
        if (sameShipment(shipment, context.shipment)) return null;
        return follow(context, shipment, env, { started: false });
      }
      case "reply":
        return answerReply(run, event, env);
      case "timer":
        if (event.name !== COMPLETE_TIMER) return null;
        return {
          state: "completed",
          context,
          summary: isDelivered(context.shipment) ? "done: delivered" : "done: no delivery reported",
          effects: [],
          end: { status: "COMPLETED", reason: isDelivered(context.shipment) ? "delivered" : "expired" },
        };
      default:
        return null;
    }
  },
};
