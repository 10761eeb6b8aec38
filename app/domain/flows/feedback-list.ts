import { z } from "zod";
import { decodeKeyset, encodeKeyset, type Keyset } from "~/domain/keyset-cursor";
import { FEEDBACK_TOPICS, type FeedbackSentiment, type FeedbackTopic } from "./feedback-sentiment";

// The Feedback page's query (`?sentiment=&cursor=`) and words: newest first, keyset on (createdAt, id), a filter
// per sentiment. Anything unknown in the URL falls back to the default, never an error.

export const SENTIMENTS = ["POSITIVE", "NEUTRAL", "NEGATIVE"] as const satisfies readonly FeedbackSentiment[];

export const FeedbackParamsSchema = z.object({
  sentiment: z.enum(SENTIMENTS).nullable().catch(null),
  cursor: z
    .string()
    .nullish()
    .catch(null)
    .transform((raw) => (raw ? decodeKeyset(raw) : null)),
});
export type FeedbackParams = z.infer<typeof FeedbackParamsSchema>;

export function parseFeedbackParams(search: URLSearchParams): FeedbackParams {
  return FeedbackParamsSchema.parse({
    sentiment: search.get("sentiment")?.toUpperCase() || null,
    cursor: search.get("cursor"),
  });
}

export const encodeFeedbackCursor = (keyset: Keyset) => encodeKeyset(keyset);

export const SENTIMENT_BADGES: Record<FeedbackSentiment, { label: string; tone?: "success" | "critical" }> = {
  POSITIVE: { label: "Positive", tone: "success" },
  NEUTRAL: { label: "Neutral" },
  NEGATIVE: { label: "Negative", tone: "critical" },
};

export const TOPIC_LABELS: Record<FeedbackTopic, string> = {
  quality: "Quality",
  sizing: "Sizing & fit",
  shipping: "Shipping",
  delivery_damage: "Damaged in delivery",
  wrong_item: "Wrong or missing item",
  price: "Price",
  customer_service: "Customer service",
  product_praise: "Product praise",
  suggestion: "Suggestion",
};

/** A stored topic's label; a topic no longer in the list keeps its own words. */
export const topicLabel = (topic: string) =>
  (FEEDBACK_TOPICS as readonly string[]).includes(topic)
    ? TOPIC_LABELS[topic as FeedbackTopic]
    : topic.replace(/_/g, " ");

/** A reply cut for a table cell, on a word boundary. */
export function excerptOf(body: string, max = 90): string {
  const flat = body.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
