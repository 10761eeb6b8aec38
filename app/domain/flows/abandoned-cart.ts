import { z } from "zod";
import { describeValidity, formatMoney, offerLadderStep } from "~/domain/discount-guardrails";
import { answerProductQuestion, CartProductSchema } from "./cart-answers";
import { type CartReplyClassification, classifyCartReply } from "./cart-reply";
import { fillFlowVariables } from "./fill-variables";
import type { FlowEffect, FlowEnd, FlowEnvironment, FlowEvent, FlowMachine, FlowRunView, FlowStep } from "./machine";
import type { AbandonedCartSettings } from "./settings";

// Abandoned cart — "what went wrong?" (issue 6, brief example 2). A question, not a reminder: after the delay the
// opener names the brand and the cart and asks; the answer is classified (cart-reply.ts) and acted on — free
// shipping or the next step of the offer ladder (never above the guardrail), an answer from the product's data,
// a polite close, or a person. No reply → at most one reminder with the recovery link. An order before the
// opener stops the run (nothing to recover); after it, the run converted.
//
// States: waiting → asked → (reminded) → offering → offered / answered → … ; every end is COMPLETED, EXITED or
// CONVERTED. Replies are expected in asked, reminded, offered and answered.

export const CartItemSchema = z.object({
  title: z.string(),
  variantTitle: z.string().nullish(),
  quantity: z.number().int().min(1).default(1),
  productId: z.string().nullish(), // gid://shopify/Product/…
});

export const AbandonedCartContextSchema = z.object({
  checkoutId: z.string(),
  checkoutUrl: z.string().nullable().default(null),
  currencyCode: z.string().default("USD"),
  totalCents: z.number().int().default(0),
  items: z.array(CartItemSchema).default([]),
  openedAt: z.string().nullable().default(null),
  remindedAt: z.string().nullable().default(null),
  ladderIndex: z.number().int().min(0).default(0),
  freeShippingOffered: z.boolean().default(false),
  pendingOffer: z.enum(["FREE_SHIPPING", "PERCENTAGE"]).nullable().default(null),
  pendingPercent: z.number().int().nullable().default(null),
  lastIntent: z.string().nullable().default(null),
  /** The cart's products (options, variants, description), fetched when a question needs them; null = not yet. */
  products: z.array(CartProductSchema).nullable().default(null),
});
export type AbandonedCartContext = z.infer<typeof AbandonedCartContextSchema>;

type Env = FlowEnvironment<AbandonedCartSettings>;
type Step = FlowStep<AbandonedCartContext>;
type Run = FlowRunView<AbandonedCartContext>;

const HOUR = 3_600_000;
const REPLY_STATES = new Set(["asked", "reminded", "offered", "answered"]);

/** "Linen Shirt", "Linen Shirt and 2 more items". */
export function cartItemText(items: AbandonedCartContext["items"]): string {
  if (items.length === 0) return "items";
  const first = items[0]!.title;
  const more = items.length - 1;
  return more === 0 ? first : `${first} and ${more} more item${more === 1 ? "" : "s"}`;
}

/** "45 min", "1 h", "1 h 30 min". */
export function describeWait(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

const after = (now: Date, ms: number) => new Date(now.getTime() + ms);

export const abandonedCartMachine: FlowMachine<AbandonedCartContext, AbandonedCartSettings> = {
  kind: "ABANDONED_CART",
  initialState: "new",
  contextSchema: AbandonedCartContextSchema,
  transition(run, event, env) {
    switch (event.type) {
      case "start":
        if (run.state !== "new") return null;
        return {
          state: "waiting",
          context: run.context,
          summary: `waiting ${describeWait(env.settings.delayMinutes)}`,
          effects: [{ type: "set_timer", name: "opener", at: after(env.now, env.settings.delayMinutes * 60_000) }],
        };
      case "timer":
        return onTimer(run, event.name, env);
      case "reply":
        return REPLY_STATES.has(run.state) ? onReply(run, classifyCartReply(event.text), event.text, env) : null;
      case "offer_created":
        return run.state === "offering" ? onOffer(run, event, env) : null;
      case "offer_failed":
        return run.state === "offering"
          ? handOver(run, env, `Could not create the offer (${event.reason}); the shopper is waiting for an answer.`, {
              say: "Let me check that with the team, someone will text you back shortly.",
            })
          : null;
      case "order_placed":
        return onOrder(run, event, env);
      default:
        return null;
    }
  },
};

function onTimer(run: Run, name: string, env: Env): Step | null {
  const { context, state } = run;
  const settings = env.settings;
  if (name === "opener" && state === "waiting") {
    const opener =
      settings.linkInOpener && !/\{\s*checkout_url\s*\}/i.test(settings.opener) && context.checkoutUrl
        ? `${settings.opener} Your cart: {checkout_url}`
        : settings.opener;
    return {
      state: "asked",
      context: { ...context, openedAt: env.now.toISOString() },
      summary: "asked what held them back",
      effects: [
        send(opener, context, { checkout_url: settings.linkInOpener ? (context.checkoutUrl ?? "") : "" }, true),
        { type: "set_timer", name: "reminder", at: after(env.now, settings.reminderAfterHours * HOUR) },
      ],
    };
  }
  if (name === "reminder" && state === "asked") {
    if (!context.checkoutUrl) return wrapUp(run, "no reply");
    return {
      state: "reminded",
      context: { ...context, remindedAt: env.now.toISOString() },
      summary: "no reply: sent one reminder with the cart link",
      effects: [
        send(settings.reminder, context, { checkout_url: context.checkoutUrl }, true),
        { type: "set_timer", name: "wrap_up", at: after(env.now, settings.reminderAfterHours * HOUR) },
      ],
    };
  }
  if (name === "wrap_up" && REPLY_STATES.has(state)) return wrapUp(run, "no further reply");
  return null;
}

function wrapUp(run: Run, why: string): Step {
  return finish(run, "done", why, { status: "COMPLETED", reason: "no_reply" });
}

function onReply(run: Run, reply: CartReplyClassification, text: string, env: Env): Step {
  const context = { ...run.context, lastIntent: reply.intent };
  const settings = env.settings;
  const ask = (offer: "FREE_SHIPPING" | number, why: string): Step => ({
    state: "offering",
    context: {
      ...context,
      pendingOffer: offer === "FREE_SHIPPING" ? "FREE_SHIPPING" : "PERCENTAGE",
      pendingPercent: offer === "FREE_SHIPPING" ? null : offer,
      ...(offer === "FREE_SHIPPING" ? { freeShippingOffered: true } : { ladderIndex: context.ladderIndex + 1 }),
    },
    summary: why,
    effects: [
      { type: "clear_timer" },
      {
        type: "create_offer",
        offer: offer === "FREE_SHIPPING" ? { kind: "FREE_SHIPPING" } : { kind: "PERCENTAGE", percent: offer },
      },
    ],
  });
  const nextPercent = () => offerLadderStep(settings.offerLadder, context.ladderIndex, env.shop.guardrails);
  const quoted = `“${text.trim().slice(0, 120)}”`;

  switch (reply.intent) {
    case "shipping_cost": {
      if (settings.freeShippingOffer && !context.freeShippingOffered)
        return ask("FREE_SHIPPING", "shipping cost: offering free shipping");
      const percent = nextPercent();
      if (percent) return ask(percent, `shipping cost: offering ${percent}% off`);
      return handOver({ ...run, context }, env, `Shipping cost is the problem and the offers are spent: ${quoted}`);
    }
    case "price": {
      const percent = nextPercent();
      if (percent) return ask(percent, `price: offering ${percent}% off`);
      return handOver({ ...run, context }, env, `Wants a better price than the flow may offer: ${quoted}`);
    }
    case "size_fit":
    case "product_question": {
      const answer = answerProductQuestion(productInCart(context), reply);
      if (!answer)
        return handOver({ ...run, context }, env, `Question about the ${cartItemText(context.items)}: ${quoted}`);
      const link = context.checkoutUrl ? " Your cart is saved here: {checkout_url}" : "";
      return {
        state: "answered",
        context,
        summary: `answered a ${reply.topic ?? "product"} question from the product data`,
        effects: [
          send(`${answer}${link}`, context, { checkout_url: context.checkoutUrl ?? "" }, true),
          { type: "set_timer", name: "wrap_up", at: after(env.now, settings.reminderAfterHours * HOUR) },
        ],
      };
    }
    case "delivery_time":
      return handOver({ ...run, context }, env, `Asks about delivery time: ${quoted}`, {
        say: "Good question! Let me check with the team, someone will text you back shortly.",
      });
    case "payment_problem":
      return handOver({ ...run, context }, env, `Payment problem at checkout: ${quoted}`, {
        say: "Sorry about that! Someone from the team will text you shortly to sort it out.",
        priority: true,
      });
    case "just_browsing":
      return close({ ...run, context }, settings.closeText, "just browsing: closed politely", "closed");
    case "already_bought":
      return close(
        { ...run, context },
        "Great, thanks for your order! Enjoy it.",
        "already bought: thanked",
        "already_bought",
      );
    case "positive_intent":
      return close(
        { ...run, context },
        context.checkoutUrl
          ? "Great! Your cart is saved here whenever you're ready: {checkout_url}"
          : "Great! We're here if you need anything.",
        "will buy: sent the cart link",
        "awaiting_conversion",
      );
    case "opt_out":
      // The SMS engine acts on opt-outs before any flow sees them; a run that still gets one just stops.
      return finish({ ...run, context }, "closed", "opted out", { status: "EXITED", reason: "opted_out" });
    case "unknown":
      return handOver({ ...run, context }, env, `Reply the flow could not read: ${quoted}`);
  }
}

function onOffer(run: Run, event: Extract<FlowEvent, { type: "offer_created" }>, env: Env): Step {
  const { context } = run;
  const settings = env.settings;
  const freeShipping = context.pendingOffer === "FREE_SHIPPING";
  const percent = event.percent ?? context.pendingPercent ?? 0;
  const validity = event.expiresAt ? describeValidity(event.expiresAt, env.now) : "48 h";
  return {
    state: "offered",
    context: { ...context, pendingOffer: null, pendingPercent: null },
    summary: freeShipping ? `offered free shipping (${event.code})` : `offered ${percent}% off (${event.code})`,
    effects: [
      send(
        freeShipping ? settings.freeShippingText : settings.priceOfferText,
        context,
        { code: event.code, percent: String(percent), validity, checkout_url: event.url },
        true,
      ),
      { type: "set_timer", name: "wrap_up", at: after(env.now, settings.reminderAfterHours * HOUR) },
    ],
  };
}

function onOrder(run: Run, order: Extract<FlowEvent, { type: "order_placed" }>, env: Env): Step {
  if (run.state === "new" || run.state === "waiting")
    return finish(run, "bought", "stopped: bought before the opener", { status: "EXITED", reason: "purchase" });
  const windowMs = env.settings.attributionWindowDays * 24 * HOUR;
  const openedAt = run.context.openedAt ? new Date(run.context.openedAt) : run.startedAt;
  if (order.placedAt.getTime() - openedAt.getTime() > windowMs)
    return finish(run, "done", "ordered after the attribution window", { status: "COMPLETED", reason: "expired" });
  return finish(run, "converted", `converted: ${formatMoney(order.totalCents, order.currencyCode)}`, {
    status: "CONVERTED",
  });
}

/** An end with nothing to say: the pending timer goes. */
function finish(run: Run, state: string, summary: string, end: FlowEnd): Step {
  return { state, context: run.context, summary, effects: [{ type: "clear_timer" }], end };
}

function handOver(run: Run, env: Env, why: string, options: { say?: string; priority?: boolean } = {}): Step {
  const { context } = run;
  const cart = `${cartItemText(context.items)}, ${formatMoney(context.totalCents, context.currencyCode)}`;
  const effects: FlowEffect[] = [{ type: "clear_timer" }];
  if (options.say) effects.push(send(options.say, context, {}, false));
  effects.push({ type: "hand_over", summary: `Abandoned cart (${cart}). ${why}`, priority: options.priority ?? false });
  return {
    state: "handed_over",
    context,
    summary: `handed to staff: ${why}`,
    effects,
    end: { status: "COMPLETED", reason: "handed_over" },
  };
}

function close(run: Run, text: string, summary: string, reason: string): Step {
  return {
    state: "closed",
    context: run.context,
    summary,
    effects: [{ type: "clear_timer" }, send(text, run.context, { checkout_url: run.context.checkoutUrl ?? "" }, false)],
    end: { status: "COMPLETED", reason },
  };
}

function productInCart(context: AbandonedCartContext) {
  const first = context.items.find((i) => i.productId)?.productId;
  return context.products?.find((p) => p.productId === first) ?? context.products?.[0] ?? null;
}

function send(
  text: string,
  context: AbandonedCartContext,
  values: Record<string, string>,
  expectReply: boolean,
): FlowEffect {
  return {
    type: "send",
    body: fillFlowVariables("ABANDONED_CART", text, { cart_item: cartItemText(context.items), ...values }),
    purpose: "MARKETING",
    expectReply,
  };
}
