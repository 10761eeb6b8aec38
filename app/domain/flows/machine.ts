import { z } from "zod";

// The contract between a flow's state machine (pure, one file per flow in app/domain/flows) and the flow engine
// (app/services/flows/engine.server.ts). A machine never does I/O: given the run and one event it answers with
// the next state, the run's new data and the effects the engine carries out. The engine writes the transition
// with its cause (idempotent per run and cause), checks the exit conditions before every step, and performs the
// effects in order — every send through sendMessage (consent, quiet hours, identification, opt-out language).

export const FLOW_KINDS = ["ABANDONED_CART", "SHIPPING_UPDATE", "FEEDBACK", "INTEREST", "WELCOME"] as const;
export const FlowKindSchema = z.enum(FLOW_KINDS);
export type FlowKind = z.infer<typeof FlowKindSchema>;

/** Why a run stopped before its end. Checked by the engine before every step (app/domain/flows/exit.ts). */
export const EXIT_REASONS = [
  "purchase", // an order for that checkout or customer appeared (abandoned cart)
  "opted_out", // the shopper has no consent for the flow's purpose any more
  "staff_took_over", // a staff member replied in the conversation (automation paused)
  "priority", // a flow with higher priority is running for this shopper
  "frequency_cap", // the shop's marketing cap for this shopper is reached
  "disabled", // the merchant turned the flow off while the run waited
  "expired", // nothing more to wait for
] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/** What happened to a run. The engine builds these from webhooks, timers, replies and its own effects. */
export type FlowEvent =
  | { type: "start" }
  | { type: "timer"; name: string }
  | { type: "reply"; messageId: string; text: string }
  | {
      type: "order_placed";
      orderId: string;
      totalCents: number;
      currencyCode: string;
      discountCodes: string[];
      checkoutId: string | null;
      placedAt: Date;
    }
  // url: the link that applies the code and returns to the shopper's checkout (or cart). percent: what the code
  // gives (PERCENTAGE, after the guardrail clamp); expiresAt: when it lapses (for "valid 48 h").
  | { type: "offer_created"; code: string; url: string; discountId: string; percent?: number; expiresAt?: Date }
  | { type: "offer_failed"; reason: string }
  | {
      type: "fulfillment_updated";
      fulfillmentId: string;
      shipmentStatus: string | null; // Shopify's shipment_status: confirmed | in_transit | out_for_delivery | delivered | failure | …
      trackingCompany: string | null;
      trackingNumber: string | null;
      trackingUrl: string | null;
      estimatedDeliveryAt: Date | null;
    }
  | { type: "product_available"; productId: string; title: string; url: string };

export type OfferRequest = { kind: "FREE_SHIPPING" } | { kind: "PERCENTAGE"; percent: number };

/** What the engine does for a transition, in order. */
export type FlowEffect =
  /** A text to the shopper. The machine fills its own variables ({cart_item}, {code}, {tracking_url}…); sendMessage's
   *  renderer fills the engine's ({first_name}, {brand_name}, {sender_name}) and adds identification and opt-out
   *  language. `expectReply` routes the shopper's next reply in the conversation to this run. */
  | { type: "send"; body: string; purpose: "MARKETING" | "TRANSACTIONAL"; expectReply?: boolean }
  /** Replaces the pending timer (one per run); fires a `timer` event with this name at `at`. */
  | { type: "set_timer"; name: string; at: Date }
  | { type: "clear_timer" }
  /** A customer-locked, single-use code through the Admin API, within the shop's guardrails; the engine answers
   *  with `offer_created` or `offer_failed`. */
  | { type: "create_offer"; offer: OfferRequest }
  /** Hands the conversation to staff: assigned (when someone can be), automation paused, the summary on the thread. */
  | { type: "hand_over"; summary: string; priority: boolean }
  /** Tags on the contact and its Shopify customer (tagsAdd). */
  | { type: "tag_contact"; tags: string[] }
  /** The shopper's answer to the feedback question, stored as a Feedback row (recordFeedback in
   *  app/services/flows/feedback-record.server.ts, called by the engine in the step's transaction; once per message). */
  | {
      type: "record_feedback";
      messageId: string;
      body: string;
      sentiment: "POSITIVE" | "NEUTRAL" | "NEGATIVE";
      topics: string[];
      orderId: string | null;
      productTitle: string | null;
      handedOver: boolean;
    };

export type FlowEnd = { status: "COMPLETED" | "CONVERTED" | "EXITED"; reason?: ExitReason | string };

export type FlowStep<Context> = {
  state: string;
  context: Context;
  /** The timeline's words for this step: "waiting 1 h", "offered free shipping", "converted: $84.00". */
  summary: string;
  effects: FlowEffect[];
  end?: FlowEnd;
};

/** What a machine may read besides its own run: the shop's voice and clock, the shopper's first name. */
export type FlowEnvironment<Settings> = {
  now: Date;
  settings: Settings; // the flow's settings (app/domain/flows/settings.ts), defaults filled in
  shop: {
    brand: string;
    senderName: string;
    timeZone: string;
    currencyCode: string;
    guardrails: { maxPercent: number; maxAmountCents: number };
  };
  contact: { firstName: string | null };
};

export type FlowRunView<Context> = { state: string; context: Context; startedAt: Date };

export type FlowMachine<Context, Settings> = {
  kind: FlowKind;
  initialState: string;
  contextSchema: z.ZodType<Context>;
  /** The next step, or null when the event means nothing in this state (recorded as ignored, changes nothing). */
  transition(run: FlowRunView<Context>, event: FlowEvent, env: FlowEnvironment<Settings>): FlowStep<Context> | null;
};
