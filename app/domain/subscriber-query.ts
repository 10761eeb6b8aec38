import { z } from "zod";
import type { ConsentStatus } from "./consent";
import { SEARCH_MAX_LENGTH } from "./inbox-query";
import { decodeKeyset, encodeKeyset, searchParam } from "./keyset-cursor";

// The Subscribers list's URL (status tab, source filter, search, cursor) and how a subscriber's consent reads.
// Pure: the service (app/services/subscribers/list.server.ts) runs the SQL. Search reads like the inbox's
// (searchTerms in inbox-query.ts): a phone in any format, or words in the name or e-mail.

export const SUBSCRIBER_TABS = ["all", "subscribed", "pending", "unsubscribed"] as const;
export type SubscriberTab = (typeof SUBSCRIBER_TABS)[number];

/** The marketing status each tab shows (null: every contact). */
export const TAB_STATUS: Record<SubscriberTab, ConsentStatus | null> = {
  all: null,
  subscribed: "SUBSCRIBED",
  pending: "PENDING",
  unsubscribed: "UNSUBSCRIBED",
};

// Mirrors Prisma's ConsentSource.
export const CONSENT_SOURCES = [
  "STOREFRONT_FORM",
  "POPUP",
  "CHECKOUT",
  "KEYWORD",
  "INBOUND_MESSAGE",
  "IMPORT",
  "ADMIN",
  "SHOPIFY",
  "PROVIDER",
] as const;
export type ConsentSourceKey = (typeof CONSENT_SOURCES)[number];

export const SOURCE_LABELS: Record<ConsentSourceKey, string> = {
  STOREFRONT_FORM: "Storefront form",
  POPUP: "Popup",
  CHECKOUT: "Checkout",
  KEYWORD: "Keyword",
  INBOUND_MESSAGE: "Texted the store",
  IMPORT: "Import",
  ADMIN: "Added by staff",
  SHOPIFY: "Shopify",
  PROVIDER: "Carrier",
};

export const STATUS_LABELS: Record<ConsentStatus, string> = {
  SUBSCRIBED: "Subscribed",
  PENDING: "Pending confirmation",
  UNSUBSCRIBED: "Unsubscribed",
  NOT_SUBSCRIBED: "Not subscribed",
};

export type SubscriberCursor = { createdAt: Date; id: string };

/** The keyset position after a row (newest contact first): opaque to the browser, checked on the way back in. */
export function encodeSubscriberCursor(cursor: SubscriberCursor): string {
  return encodeKeyset({ at: cursor.createdAt, id: cursor.id });
}

export function decodeSubscriberCursor(raw: string): SubscriberCursor | null {
  const keyset = decodeKeyset(raw);
  return keyset ? { createdAt: keyset.at, id: keyset.id } : null;
}

/** `?tab=&source=&q=&cursor=` → a valid query: anything unknown falls back to the default, never an error. */
export const SubscriberParamsSchema = z.object({
  tab: z.enum(SUBSCRIBER_TABS).catch("all"),
  source: z.enum(CONSENT_SOURCES).nullable().catch(null),
  q: searchParam(SEARCH_MAX_LENGTH),
  cursor: z
    .string()
    .nullish()
    .catch(null)
    .transform((raw) => (raw ? decodeSubscriberCursor(raw) : null)),
});
export type SubscriberParams = z.infer<typeof SubscriberParamsSchema>;

export function parseSubscriberParams(search: URLSearchParams): SubscriberParams {
  return SubscriberParamsSchema.parse({
    tab: search.get("tab") ?? undefined,
    source: search.get("source") || null,
    q: search.get("q") ?? "",
    cursor: search.get("cursor"),
  });
}

/** The marketing status in one word for a badge, with the tone Polaris gives it. */
export function statusBadge(status: ConsentStatus): { label: string; tone?: "success" | "attention" | "critical" } {
  switch (status) {
    case "SUBSCRIBED":
      return { label: STATUS_LABELS.SUBSCRIBED, tone: "success" };
    case "PENDING":
      return { label: STATUS_LABELS.PENDING, tone: "attention" };
    case "UNSUBSCRIBED":
      return { label: STATUS_LABELS.UNSUBSCRIBED, tone: "critical" };
    case "NOT_SUBSCRIBED":
      return { label: STATUS_LABELS.NOT_SUBSCRIBED };
  }
}
