import { z } from "zod";
import { classifyFeedback, type FeedbackReading } from "./feedback-sentiment";
import { fillFlowVariables } from "./fill-variables";
import type { FlowEffect, FlowEnvironment, FlowEvent, FlowMachine, FlowStep } from "./machine";
import type { FeedbackSettings } from "./settings";

// FEEDBACK: one run per order (subject "order:<orderId>"), started when its fulfilment is delivered
// (startFeedbackAfterDelivery, called by the shipping flow). It waits the shop's delay after delivery, asks
// "How's the …? Anything we could do better?" and listens for a week. The answer is stored as feedback with a
// sentiment and topics (record_feedback) and answered: praise → thanks and the review link if the shop has one;
// a complaint → an apology and a person, with priority; anything else → thanks.

export const ASK_TIMER = "ask";
export const NO_REPLY_TIMER = "no_reply";
/** How long the question waits for an answer; later replies go to the inbox like any other text. */
export const REPLY_WINDOW_DAYS = 7;

const DAY_MS = 86_400_000;
const EXCERPT_CHARS = 120;

export const FeedbackContextSchema = z.object({
  orderId: z.string(), // gid://shopify/Order/…
  orderName: z.string().nullable().default(null), // "#1042"
  productTitle: z.string().nullable().default(null), // the order's main item
  deliveredAt: z.coerce.date(),
  sentiment: z.enum(["POSITIVE", "NEUTRAL", "NEGATIVE"]).nullable().default(null),
});
export type FeedbackContext = z.infer<typeof FeedbackContextSchema>;

type Env = FlowEnvironment<FeedbackSettings>;
type Step = FlowStep<FeedbackContext>;

/** What the question calls the order: its main item, else "order" ("How's the order?"). */
const productOf = (context: FeedbackContext) => context.productTitle ?? "order";

export function askAt(context: FeedbackContext, settings: FeedbackSettings): Date {
  return new Date(context.deliveredAt.getTime() + settings.delayDaysAfterDelivery * DAY_MS);
}

function variables(context: FeedbackContext, env: Env, reading?: FeedbackReading) {
  const review = reading?.sentiment === "POSITIVE" && env.settings.reviewUrl;
  return {
    product_title: productOf(context),
    review_sentence: review ? ` Would you leave a quick review? ${env.settings.reviewUrl}` : "",
  };
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
}

const TOPIC_WORDS = (topics: string[]) => (topics.length ? ` (${topics.join(", ").replace(/_/g, " ")})` : "");

function start(context: FeedbackContext, env: Env): Step {
  const at = askAt(context, env.settings);
  const days = Math.max(0, Math.ceil((at.getTime() - env.now.getTime()) / DAY_MS));
  return {
    state: "waiting",
    context,
    summary: days > 0 ? `delivered; asking for feedback in ${days} d` : "delivered; asking for feedback now",
    effects: [{ type: "set_timer", name: ASK_TIMER, at: at.getTime() > env.now.getTime() ? at : env.now }],
  };
}

function ask(context: FeedbackContext, env: Env): Step {
  return {
    state: "asked",
    context,
    summary: `asked how the ${productOf(context)} is`,
    effects: [
      {
        type: "send",
        body: fillFlowVariables("FEEDBACK", env.settings.question, variables(context, env)),
        purpose: "MARKETING",
        expectReply: true,
      },
      { type: "set_timer", name: NO_REPLY_TIMER, at: new Date(env.now.getTime() + REPLY_WINDOW_DAYS * DAY_MS) },
    ],
  };
}

function answer(context: FeedbackContext, event: Extract<FlowEvent, { type: "reply" }>, env: Env): Step {
  const reading = classifyFeedback(event.text);
  const negative = reading.sentiment === "NEGATIVE";
  const template =
    reading.sentiment === "POSITIVE"
      ? env.settings.positiveText
      : negative
        ? env.settings.negativeText
        : env.settings.neutralText;
  const effects: FlowEffect[] = [
    {
      type: "record_feedback",
      messageId: event.messageId,
      body: event.text,
      sentiment: reading.sentiment,
      topics: reading.topics,
      orderId: context.orderId,
      productTitle: context.productTitle,
      handedOver: negative,
    },
    {
      type: "send",
      body: fillFlowVariables("FEEDBACK", template, variables(context, env, reading)),
      purpose: "MARKETING",
    },
  ];
  if (negative)
    effects.push({
      type: "hand_over",
      summary: `Unhappy with the ${productOf(context)}${context.orderName ? ` (${context.orderName})` : ""}${TOPIC_WORDS(reading.topics)}: “${excerpt(event.text)}”`,
      priority: true,
    });
  const feeling = reading.sentiment.toLowerCase();
  return {
    state: "answered",
    context: { ...context, sentiment: reading.sentiment },
    summary: `feedback: ${feeling}${TOPIC_WORDS(reading.topics)}${negative ? ", handed to staff with priority" : ""}`,
    effects,
    end: { status: "COMPLETED", reason: `feedback_${feeling}` },
  };
}

export const feedbackMachine: FlowMachine<FeedbackContext, FeedbackSettings> = {
  kind: "FEEDBACK",
  initialState: "new",
  contextSchema: FeedbackContextSchema,
  transition(run, event, env) {
    const { context, state } = run;
    switch (event.type) {
      case "start":
        return state === "new" ? start(context, env) : null;
      case "timer":
        if (event.name === ASK_TIMER && state === "waiting") return ask(context, env);
        if (event.name === NO_REPLY_TIMER && state === "asked")
          return {
            state: "no_reply",
            context,
            summary: "no reply to the feedback question",
            effects: [],
            end: { status: "COMPLETED", reason: "no_reply" },
          };
        return null;
      case "reply":
        return state === "asked" ? answer(context, event, env) : null;
      default:
        return null;
    }
  },
};
