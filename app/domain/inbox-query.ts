import { z } from "zod";
import type { ConsentStates } from "./consent";
import { decodeKeyset, encodeKeyset, searchParam } from "./keyset-cursor";
import { localDateOf } from "./zoned-time";

// The inbox list's URL (view, search, cursor) and the rules that turn it into a query, plus how a row presents
// its consent and last activity. Pure: the service (app/services/inbox/list.server.ts) runs the SQL.

export const INBOX_VIEWS = ["open", "unassigned", "mine", "pending", "closed", "all"] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export const SEARCH_MAX_LENGTH = 100;
// Trigram indexes answer substring searches of three characters or more; shorter ones would scan every row.
export const SEARCH_MIN_LENGTH = 3;

export type InboxCursor = { lastMessageAt: Date; id: string };

/** The keyset position after a row: opaque to the browser, checked on the way back in. */
export function encodeCursor(cursor: InboxCursor): string {
  return encodeKeyset({ at: cursor.lastMessageAt, id: cursor.id });
}

export function decodeCursor(raw: string): InboxCursor | null {
  const keyset = decodeKeyset(raw);
  return keyset ? { lastMessageAt: keyset.at, id: keyset.id } : null;
}

/** `?view=&q=&cursor=` → a valid query: an unknown view is the default, a garbage cursor is the first page. */
export const InboxParamsSchema = z.object({
  view: z.enum(INBOX_VIEWS).catch("open"),
  q: searchParam(SEARCH_MAX_LENGTH),
  cursor: z
    .string()
    .nullish()
    .catch(null)
    .transform((raw) => (raw ? decodeCursor(raw) : null)),
});
export type InboxParams = z.infer<typeof InboxParamsSchema>;

export function parseInboxParams(search: URLSearchParams): InboxParams {
  return InboxParamsSchema.parse({
    view: search.get("view") ?? undefined,
    q: search.get("q") ?? "",
    cursor: search.get("cursor"),
  });
}

export type SearchTerms =
  | { kind: "none" } // empty, or too short for the indexes
  | { kind: "phone"; digits: string }
  | { kind: "text"; words: string[]; phrase: string };

// Only what people type around phone numbers: digits, spaces, + - . ( ) and a slash.
const PHONE_LIKE = /^[\d\s+\-.()/]+$/;

/**
 * How a search reads: a phone number in any format becomes its digits (a substring of the E.164 number, so
 * "(555) 010-1234", "+1 555 010 1234" and "010-12" all find +15550101234); anything else is words that must each
 * appear in the shopper's name or e-mail, or a phrase that appears in one of the conversation's messages.
 */
export function searchTerms(q: string): SearchTerms {
  const text = q.trim().replace(/\s+/g, " ").slice(0, SEARCH_MAX_LENGTH);
  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/\D/g, "");
    return digits.length >= SEARCH_MIN_LENGTH ? { kind: "phone", digits } : { kind: "none" };
  }
  if (text.length < SEARCH_MIN_LENGTH) return { kind: "none" };
  const words = [...new Set(text.toLowerCase().split(" "))].filter((w) => w.length > 0);
  return { kind: "text", words, phrase: text };
}

/** A LIKE/ILIKE pattern matching `term` anywhere, with the user's % _ and \ taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export type ConsentBadge = "subscribed" | "transactional" | "opted_out";

/**
 * What staff may send, in one word. Opted out wins: with transactional consent withdrawn (STOP withdraws both) not
 * even a reply may go out (canSend refuses CONVERSATIONAL). Otherwise a marketing subscriber is "subscribed"; anyone
 * else may get replies and order updates only ("transactional").
 */
export function consentBadge(states: ConsentStates): ConsentBadge {
  if (states.transactional === "UNSUBSCRIBED") return "opted_out";
  if (states.marketing === "SUBSCRIBED") return "subscribed";
  return "transactional";
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "Just now", "5m", "3h" within the day; then "Yesterday", the weekday within a week, the date after that — the
 * calendar days counted in the shop's time zone, so "Yesterday" means the shop's yesterday.
 */
export function lastActivityLabel(at: Date, now: Date, timeZone: string): string {
  const ago = now.getTime() - at.getTime();
  if (ago < MINUTE) return "Just now";
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)}m ago`;
  const days = calendarDaysBetween(at, now, timeZone);
  if (days === 0) return `${Math.floor(ago / HOUR)}h ago`;
  if (days === 1) return "Yesterday";
  if (days < 7) return new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long" }).format(at);
  const sameYear = localDateOf(timeZone, at.getTime()).year === localDateOf(timeZone, now.getTime()).year;
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    month: "short",
    day: "numeric",
    ...(sameYear ? {} : { year: "numeric" }),
  }).format(at);
}

/** The full date and time in the shop's zone, for the tooltip beside the relative label. */
export function fullTimestamp(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" }).format(at);
}

function calendarDaysBetween(from: Date, to: Date, timeZone: string): number {
  const a = localDateOf(timeZone, from.getTime());
  const b = localDateOf(timeZone, to.getTime());
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY);
}
