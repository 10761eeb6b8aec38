import type { ConsentStatus } from "./consent";
import { keywordReply, type Program } from "./keyword-replies";

// Marketing sign-up (issue 5): who may start a double opt-in, when a pending one lapses, and the texts it sends.
// The consent transitions themselves are app/domain/consent.ts; this decides what happens around them.
//
// Decisions:
// - An opt-out by text (STOP, or the provider's 40300 block) is answered "text START first", not with another
//   confirmation request: carriers and Telnyx block the number until the shopper texts START, so the request
//   would never arrive. Other opt-outs (staff "do not text", Shopify) may be reopened by the shopper's own
//   sign-up, always through double opt-in (consent.ts).
// - A pending request answered again before it lapses changes nothing and texts nothing (a double-click, a
//   reload, a second JOIN); after it lapses, a new sign-up starts a new request. An opt-in the source already
//   confirmed (the checkout checkbox) completes it.
// - A "Y" after the request lapsed does not subscribe: the request is expired first and the "Y" is an ordinary
//   message in the conversation (staff or automation answer it). Texting a lapsed request back to life would make
//   the expiry meaningless, and an automatic "your request expired" would be one more unsolicited text.

export type ConsentSourceName =
  | "STOREFRONT_FORM"
  | "POPUP"
  | "CHECKOUT"
  | "KEYWORD"
  | "INBOUND_MESSAGE"
  | "IMPORT"
  | "ADMIN"
  | "SHOPIFY"
  | "PROVIDER";

export type PurposeState = { status: ConsentStatus; source: ConsentSourceName | null };

export type OptInView = {
  marketing: PurposeState;
  transactional: PurposeState;
  /** When the newest marketing event (the PENDING one, when pending) happened. */
  marketingSince: Date | null;
};

export type OptInGate =
  | { kind: "already_subscribed" }
  | { kind: "blocked_by_stop" }
  | { kind: "already_pending"; expiresAt: Date }
  | { kind: "proceed"; expirePendingFirst: boolean };

export const OPT_IN_EXPIRY_HOURS = { min: 1, max: 720 } as const;
export const WELCOME_CODE_VALID_DAYS = 14;

const TEXT_BLOCKS: readonly ConsentSourceName[] = ["KEYWORD", "PROVIDER"];

/**
 * The number is blocked by the carrier/provider until the shopper texts START. STOP and a 40300 block set both
 * purposes; START reopens conversational texts (and lifts the carrier's block), so the transactional state says.
 */
export function blockedByStop(view: Pick<OptInView, "transactional">): boolean {
  const { status, source } = view.transactional;
  return status === "UNSUBSCRIBED" && source !== null && TEXT_BLOCKS.includes(source);
}

export function pendingExpiresAt(since: Date, expiryHours: number): Date {
  return new Date(since.getTime() + expiryHours * 3_600_000);
}

/** True when a PENDING marketing consent requested at `since` has lapsed at `now`. */
export function pendingHasExpired(since: Date | null, expiryHours: number, now: Date): boolean {
  return since !== null && pendingExpiresAt(since, expiryHours).getTime() <= now.getTime();
}

/** What a new sign-up meets, before any consent event is recorded. */
export function optInGate(
  view: OptInView,
  options: { expiryHours: number; now: Date; alreadyConfirmed?: boolean },
): OptInGate {
  const { marketing } = view;
  if (marketing.status === "SUBSCRIBED") return { kind: "already_subscribed" };
  if (blockedByStop(view)) return { kind: "blocked_by_stop" };
  if (marketing.status === "PENDING") {
    const lapsed = pendingHasExpired(view.marketingSince, options.expiryHours, options.now);
    // A confirmed opt-in (Shopify's checkout checkbox) completes a waiting request rather than repeating it.
    if (options.alreadyConfirmed) return { kind: "proceed", expirePendingFirst: lapsed };
    if (!lapsed) {
      return {
        kind: "already_pending",
        expiresAt: pendingExpiresAt(view.marketingSince ?? options.now, options.expiryHours),
      };
    }
    return { kind: "proceed", expirePendingFirst: true };
  }
  return { kind: "proceed", expirePendingFirst: false };
}

/** The "Reply Y to confirm" text: the shop's compliant wording (Settings → Keyword replies), else the default. */
export function confirmationRequestText(program: Program, override?: string | null): string {
  return keywordReply("double_opt_in_request", program, override).text;
}

/**
 * The welcome after a confirmed sign-up: Settings' welcome message when it is compliant, else the keyword-reply
 * override, else the default; with the welcome code appended when one was created. Nothing about a code is said
 * when there is none (Shopify failed, or the shop offers none).
 */
export function welcomeText(
  program: Program,
  wording: { welcomeMessage?: string | null; keywordOverride?: string | null },
  code?: { code: string; percent: number; validDays: number } | null,
): string {
  const own = wording.welcomeMessage?.trim() ? keywordReply("welcome", program, wording.welcomeMessage) : null;
  const base = own && !own.usedDefault ? own.text : keywordReply("welcome", program, wording.keywordOverride).text;
  if (!code) return base;
  return `${base} Your welcome gift: ${code.percent}% off your next order with code ${code.code} (one use, valid ${code.validDays} days).`;
}

/** Customer tag naming where a subscriber came from, e.g. "parley-storefront". */
export function sourceTag(source: ConsentSourceName): string {
  switch (source) {
    case "STOREFRONT_FORM":
    case "POPUP":
      return "parley-storefront";
    case "KEYWORD":
    case "INBOUND_MESSAGE":
      return "parley-keyword";
    case "CHECKOUT":
      return "parley-checkout";
    case "ADMIN":
      return "parley-admin";
    case "IMPORT":
      return "parley-import";
    case "SHOPIFY":
    case "PROVIDER":
      return "parley";
  }
}

/** The welcome code's percentage: the shop's setting, never beyond its discount guardrail. */
export function welcomePercent(settings: { welcomeDiscountPercent: number; discountMaxPercent: number }): number {
  return Math.max(1, Math.min(settings.welcomeDiscountPercent, settings.discountMaxPercent));
}
