import { z } from "zod";
import type { FlowKind } from "./machine";

// Each flow's settings, with the defaults a merchant gets by turning it on: sensible, compliant, in the shop's
// voice. Stored in FlowSetting.config (only what the merchant changed is meaningful; parsing fills the rest), and
// edited on the Flows page. Message texts may use the engine's variables ({first_name}, {brand_name},
// {sender_name}) and the flow's own, listed beside each flow in FLOW_VARIABLES.

const Text = z.string().trim().min(1).max(480);
const Hours = z
  .number()
  .int()
  .min(1)
  .max(24 * 14);

export const AbandonedCartSettingsSchema = z.object({
  delayMinutes: z
    .number()
    .int()
    .min(15)
    .max(24 * 60)
    .default(60),
  opener: Text.default(
    "Hi {first_name}, it's {sender_name} from {brand_name}. Saw you left the {cart_item} in your cart. Anything I can help with?",
  ),
  // The brief's point: a question, not a reminder. A merchant may still want the link in the first text.
  linkInOpener: z.boolean().default(false),
  // No reply after this long → at most one reminder, with the recovery link.
  reminderAfterHours: Hours.default(24),
  reminder: Text.default("Still thinking about the {cart_item}? Your cart is saved here: {checkout_url}"),
  freeShippingOffer: z.boolean().default(true),
  freeShippingText: Text.default(
    "Totally fair! Here's free shipping just for you: {code} (valid {validity}). Your cart: {checkout_url}",
  ),
  // Percent codes offered one step at a time when price is the problem; never above the shop's guardrail.
  offerLadder: z.array(z.number().int().min(1).max(100)).max(3).default([10, 15]),
  priceOfferText: Text.default(
    "I hear you. Here's {percent}% off, just for you: {code} (valid {validity}). Your cart: {checkout_url}",
  ),
  closeText: Text.default("No problem at all, thanks for letting us know! We're here if you need anything."),
  attributionWindowDays: z.number().int().min(1).max(30).default(7),
});
export type AbandonedCartSettings = z.infer<typeof AbandonedCartSettingsSchema>;

export const ShippingUpdateSettingsSchema = z.object({
  onShipped: z.boolean().default(true),
  shippedText: Text.default(
    "Hi {first_name}, your order {order_name} is on its way with {carrier}. Track it: {tracking_url}{eta_sentence}",
  ),
  onOutForDelivery: z.boolean().default(true),
  outForDeliveryText: Text.default("Your order {order_name} is out for delivery today!"),
  onDelivered: z.boolean().default(false),
  deliveredText: Text.default("Your order {order_name} was delivered. Enjoy! Reply here if anything's not right."),
});
export type ShippingUpdateSettings = z.infer<typeof ShippingUpdateSettingsSchema>;

export const FeedbackSettingsSchema = z.object({
  delayDaysAfterDelivery: z.number().int().min(1).max(60).default(7),
  question: Text.default(
    "Hi {first_name}, it's {sender_name} from {brand_name}. How's the {product_title}? Anything we could do better?",
  ),
  reviewUrl: z.string().trim().url().max(300).nullable().default(null),
  positiveText: Text.default("That's so great to hear, thank you!{review_sentence}"),
  negativeText: Text.default(
    "I'm sorry to hear that. I've passed this to our team and someone will text you back shortly.",
  ),
  neutralText: Text.default("Thanks for the feedback, we really appreciate it!"),
});
export type FeedbackSettings = z.infer<typeof FeedbackSettingsSchema>;

export const InterestSettingsSchema = z.object({
  promiseText: Text.default("You got it! We'll text you as soon as {target_title} is available."),
  availableText: Text.default("{target_title} just landed, {first_name}! Grab it here before it's gone: {product_url}"),
});
export type InterestSettings = z.infer<typeof InterestSettingsSchema>;

// The welcome text and code themselves stay in ShopSettings (welcomeMessage, welcomeDiscount*), where the opt-in
// settings edit them; the flow adds nothing but its on/off and its numbers.
export const WelcomeSettingsSchema = z.object({});
export type WelcomeSettings = z.infer<typeof WelcomeSettingsSchema>;

export const FLOW_SETTINGS_SCHEMAS = {
  ABANDONED_CART: AbandonedCartSettingsSchema,
  SHIPPING_UPDATE: ShippingUpdateSettingsSchema,
  FEEDBACK: FeedbackSettingsSchema,
  INTEREST: InterestSettingsSchema,
  WELCOME: WelcomeSettingsSchema,
} as const satisfies Record<FlowKind, z.ZodType>;

export type FlowSettingsOf<K extends FlowKind> = z.infer<(typeof FLOW_SETTINGS_SCHEMAS)[K]>;

// Each flow's own variables (the engine's {first_name}, {brand_name}, {sender_name} work everywhere).
export const FLOW_VARIABLES: Record<FlowKind, Record<string, string>> = {
  ABANDONED_CART: {
    cart_item: "the main item left in the cart, e.g. “Linen Shirt” (or “Linen Shirt and 2 more items”)",
    checkout_url: "the checkout's recovery link",
    code: "the discount code offered",
    percent: "the percentage of the code offered",
    validity: "how long the code is valid, e.g. “48 hours”",
  },
  SHIPPING_UPDATE: {
    order_name: "the order number, e.g. #1042",
    carrier: "the carrier, e.g. UPS",
    tracking_url: "the tracking link",
    eta_sentence: "“ It should arrive by Friday, Dec 4.” when the carrier gave an estimate, else nothing",
  },
  FEEDBACK: {
    product_title: "the main item of the order",
    review_sentence: "“ Would you leave a quick review? <link>” when a review link is set, else nothing",
  },
  INTEREST: {
    target_title: "what they are waiting for, e.g. “the Cozy Hoodie” (a collection: “something new in Hoodies”)",
    product_url: "the product's page",
  },
  WELCOME: {},
};

/** The flow's settings with defaults filled in; a stored value that no longer parses falls back to the defaults. */
export function parseFlowSettings<K extends FlowKind>(kind: K, stored: unknown): FlowSettingsOf<K> {
  const schema = FLOW_SETTINGS_SCHEMAS[kind];
  const parsed = schema.safeParse(stored ?? {});
  return (parsed.success ? parsed.data : schema.parse({})) as FlowSettingsOf<K>;
}

// A flow is off until the merchant turns it on — except the welcome, which was on before it was a flow (the
// confirmation every opt-in gets, compliance.md §3): with no FlowSetting row it is on, so its runs and numbers
// show from the start. Turned off, the welcome text still goes out (it is required), just not as a run.
export const FLOW_ENABLED_BY_DEFAULT: Record<FlowKind, boolean> = {
  ABANDONED_CART: false,
  SHIPPING_UPDATE: false,
  FEEDBACK: false,
  INTEREST: false,
  WELCOME: true,
};

/** Whether a flow is on, from its FlowSetting row (or its absence). */
export const flowEnabled = (kind: FlowKind, row: { enabled: boolean } | null | undefined): boolean =>
  row ? row.enabled : FLOW_ENABLED_BY_DEFAULT[kind];

// Who wins when two flows would text the same shopper: a shipping update is expected and transactional; a
// conversation about a cart is the most valuable marketing; interest and feedback can wait.
export const FLOW_PRIORITY: Record<FlowKind, number> = {
  SHIPPING_UPDATE: 50,
  ABANDONED_CART: 40,
  WELCOME: 30,
  INTEREST: 20,
  FEEDBACK: 10,
};
