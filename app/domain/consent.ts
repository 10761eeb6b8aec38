import { z } from "zod";
import type { KeywordReplyKind } from "./keyword-replies";

// Consent per purpose (compliance.md §1, §3, §5). Statuses match Prisma's ConsentStatus, plus NOT_SUBSCRIBED for
// "no ConsentState row yet". The service appends one ConsentEvent per change returned here, in one transaction.
//
// Rules that are decisions, not restatements of the spec:
// - Only the shopper can undo an opt-out. STOP (or a provider block, or an admin "do not text") is reversed by
//   START/UNSTOP from the handset, or by the shopper's own new opt-in on the storefront or at checkout — and then
//   always through double opt-in, whatever the shop's setting. An import, an admin or a Shopify sync cannot.
// - START re-subscribes to what the shopper had: conversational texts always, marketing only if they were a
//   marketing subscriber (or pending) before the opt-out. A shopper who once texted support and then STOP/START
//   never said yes to marketing, and START must not invent that consent.
// - A message from an opted-out shopper does not reopen even conversational replies: compliance.md names only
//   START, UNSTOP and YES as re-subscribing, and Telnyx blocks the number until START/UNSTOP anyway.
// - Automatic replies go out only when something changed: a second STOP, a second Y, a repeated START get no
//   answer, which also keeps two auto-responders from texting each other forever.

export const CONSENT_STATUSES = ["NOT_SUBSCRIBED", "PENDING", "SUBSCRIBED", "UNSUBSCRIBED"] as const;
export const ConsentStatusSchema = z.enum(CONSENT_STATUSES);
export type ConsentStatus = z.infer<typeof ConsentStatusSchema>;

export const ConsentStatesSchema = z.object({ marketing: ConsentStatusSchema, transactional: ConsentStatusSchema });
export type ConsentStates = z.infer<typeof ConsentStatesSchema>;
export type ConsentPurposeKey = keyof ConsentStates;

export const NO_CONSENT: ConsentStates = { marketing: "NOT_SUBSCRIBED", transactional: "NOT_SUBSCRIBED" };

// Where a marketing opt-in came from (Prisma ConsentSource). The first four are the shopper acting themselves
// (KEYWORD: texting the shop's join keyword, e.g. JOIN).
const SHOPPER_SOURCES = ["STOREFRONT_FORM", "POPUP", "CHECKOUT", "KEYWORD"] as const;
const OptInSourceSchema = z.enum([...SHOPPER_SOURCES, "IMPORT", "ADMIN", "SHOPIFY"]);
export type OptInSource = z.infer<typeof OptInSourceSchema>;

export const ConsentEventSchema = z.discriminatedUnion("type", [
  // Any inbound text that is not a keyword: the shopper wrote first, replies in that conversation are allowed.
  z.object({ type: z.literal("inbound_message") }),
  // STOP family or a plain-language opt-out (KEYWORD), Telnyx 40300 (PROVIDER), staff marking "do not text" (ADMIN).
  z.object({ type: z.literal("opt_out"), source: z.enum(["KEYWORD", "PROVIDER", "ADMIN"]) }),
  // START / UNSTOP. marketingBeforeOptOut comes from the event log: the marketing status before the last opt-out.
  z.object({
    type: z.literal("opt_in_keyword"),
    marketingBeforeOptOut: ConsentStatusSchema.default("NOT_SUBSCRIBED"),
  }),
  // "Y" / "YES" answering a pending double opt-in.
  z.object({ type: z.literal("confirm") }),
  // A marketing opt-in collected outside the conversation. alreadyConfirmed: the source holds a confirmed opt-in
  // (an import from a platform that ran double opt-in, Shopify's CONFIRMED_OPT_IN). doubleOptIn: the shop setting.
  z.object({
    type: z.literal("marketing_opt_in"),
    source: OptInSourceSchema,
    alreadyConfirmed: z.boolean().default(false),
    doubleOptIn: z.boolean().default(true),
  }),
  // Order and shipping updates requested, e.g. the checkout's "text me shipping updates".
  z.object({ type: z.literal("transactional_opt_in"), source: OptInSourceSchema }),
  // Marketing withdrawn outside the conversation (Shopify sync, admin). explicit: a real unsubscribe rather than
  // "never subscribed", which must not turn a NOT_SUBSCRIBED contact into an opted-out one.
  z.object({
    type: z.literal("marketing_revoked"),
    source: z.enum(["SHOPIFY", "ADMIN", "IMPORT"]),
    explicit: z.boolean(),
  }),
  // No "Y" within the shop's confirmation window. statusBeforePending comes from the event log, so an opt-out
  // that preceded the unanswered request is not forgotten.
  z.object({
    type: z.literal("pending_expired"),
    statusBeforePending: ConsentStatusSchema.default("NOT_SUBSCRIBED"),
  }),
]);
export type ConsentEvent = z.input<typeof ConsentEventSchema>;

export type ConsentChange = { purpose: ConsentPurposeKey; from: ConsentStatus; to: ConsentStatus };

export type ConsentTransition = {
  next: ConsentStates;
  changes: ConsentChange[];
  reply: KeywordReplyKind | null; // the automatic text this change calls for, if any
  ignored?: "opted_out_by_shopper"; // an opt-in that may not undo the shopper's opt-out
};

function transition(
  current: ConsentStates,
  next: ConsentStates,
  reply: KeywordReplyKind | null,
  ignored?: ConsentTransition["ignored"],
): ConsentTransition {
  const changes = (["marketing", "transactional"] as const)
    .filter((purpose) => current[purpose] !== next[purpose])
    .map((purpose) => ({ purpose, from: current[purpose], to: next[purpose] }));
  return {
    next,
    changes,
    reply: changes.length > 0 ? reply : null,
    ...(ignored ? { ignored } : {}),
  };
}

/** Inbound contact from the shopper opens conversational replies unless they opted out. */
function openConversation(status: ConsentStatus): ConsentStatus {
  return status === "UNSUBSCRIBED" ? status : "SUBSCRIBED";
}

export function nextConsent(currentInput: ConsentStates, eventInput: ConsentEvent): ConsentTransition {
  const current = ConsentStatesSchema.parse(currentInput);
  const event = ConsentEventSchema.parse(eventInput);
  const { marketing, transactional } = current;

  switch (event.type) {
    case "inbound_message":
      return transition(current, { marketing, transactional: openConversation(transactional) }, null);

    case "opt_out":
      // Everything stops; the confirmation itself is a SYSTEM message canSend always allows. A provider block
      // gets none: the provider would refuse it, and has usually sent its own.
      return transition(
        current,
        { marketing: "UNSUBSCRIBED", transactional: "UNSUBSCRIBED" },
        event.source === "KEYWORD" ? "opt_out_confirmation" : null,
      );

    case "opt_in_keyword": {
      const hadMarketing = event.marketingBeforeOptOut === "SUBSCRIBED" || event.marketingBeforeOptOut === "PENDING";
      const nextMarketing =
        marketing === "PENDING" || (marketing === "UNSUBSCRIBED" && hadMarketing) ? "SUBSCRIBED" : marketing;
      return transition(current, { marketing: nextMarketing, transactional: "SUBSCRIBED" }, "opt_in_confirmation");
    }

    case "confirm":
      if (marketing !== "PENDING") return transition(current, current, null);
      return transition(
        current,
        { marketing: "SUBSCRIBED", transactional: openConversation(transactional) },
        "welcome",
      );

    case "marketing_opt_in": {
      if (marketing === "SUBSCRIBED") return transition(current, current, null);
      if (marketing === "UNSUBSCRIBED") {
        if (!(SHOPPER_SOURCES as readonly string[]).includes(event.source)) {
          return transition(current, current, null, "opted_out_by_shopper");
        }
        return transition(current, { marketing: "PENDING", transactional }, "double_opt_in_request");
      }
      if (event.alreadyConfirmed || !event.doubleOptIn) {
        // Imported subscribers were confirmed where they signed up; texting them all a welcome is a campaign.
        return transition(
          current,
          { marketing: "SUBSCRIBED", transactional },
          event.source === "IMPORT" ? null : "welcome",
        );
      }
      return transition(current, { marketing: "PENDING", transactional }, "double_opt_in_request");
    }

    case "transactional_opt_in":
      if (transactional === "UNSUBSCRIBED" && !(SHOPPER_SOURCES as readonly string[]).includes(event.source)) {
        return transition(current, current, null, "opted_out_by_shopper");
      }
      return transition(current, { marketing, transactional: "SUBSCRIBED" }, null);

    case "marketing_revoked": {
      const revoke = marketing === "SUBSCRIBED" || marketing === "PENDING" || event.explicit;
      return transition(current, { marketing: revoke ? "UNSUBSCRIBED" : marketing, transactional }, null);
    }

    case "pending_expired":
      if (marketing !== "PENDING") return transition(current, current, null);
      return transition(
        current,
        { marketing: event.statusBeforePending === "UNSUBSCRIBED" ? "UNSUBSCRIBED" : "NOT_SUBSCRIBED", transactional },
        null,
      );
  }
}

/** Shopify's customers/update sms_marketing_consent → the event to apply, or null when there is nothing to do. */
export function shopifyConsentEvent(input: {
  marketingState: "NOT_SUBSCRIBED" | "PENDING" | "SUBSCRIBED" | "UNSUBSCRIBED" | "REDACTED";
  marketingOptInLevel?: "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN" | null;
  doubleOptIn: boolean;
}): ConsentEvent {
  switch (input.marketingState) {
    case "SUBSCRIBED":
      return {
        type: "marketing_opt_in",
        source: "SHOPIFY",
        alreadyConfirmed: input.marketingOptInLevel === "CONFIRMED_OPT_IN",
        doubleOptIn: input.doubleOptIn,
      };
    case "PENDING":
      return { type: "marketing_opt_in", source: "SHOPIFY", alreadyConfirmed: false, doubleOptIn: true };
    case "UNSUBSCRIBED":
    case "REDACTED":
      return { type: "marketing_revoked", source: "SHOPIFY", explicit: true };
    case "NOT_SUBSCRIBED":
      return { type: "marketing_revoked", source: "SHOPIFY", explicit: false };
  }
}

// Mirrors Prisma's MessagePurpose.
export type SendPurpose = "MARKETING" | "TRANSACTIONAL" | "CONVERSATIONAL" | "SYSTEM";
export type SendRefusal = "no_marketing_consent" | "awaiting_confirmation" | "opted_out" | "no_transactional_consent";

export function canSend(
  purpose: SendPurpose,
  states: ConsentStates,
): { allowed: true } | { allowed: false; reason: SendRefusal } {
  switch (purpose) {
    // Opt-out and opt-in confirmations, HELP answers and the double opt-in request: required by law or part of
    // collecting consent, never gated by it. Only the keyword handler may send with this purpose.
    case "SYSTEM":
      return { allowed: true };
    case "MARKETING":
      if (states.marketing === "SUBSCRIBED") return { allowed: true };
      if (states.marketing === "UNSUBSCRIBED") return { allowed: false, reason: "opted_out" };
      if (states.marketing === "PENDING") return { allowed: false, reason: "awaiting_confirmation" };
      return { allowed: false, reason: "no_marketing_consent" };
    // Transactional consent is the narrower one; a marketing subscriber has it too (an order update is no
    // surprise to someone who agreed to promotions), unless they withdrew it separately.
    case "TRANSACTIONAL":
    case "CONVERSATIONAL":
      if (states.transactional === "UNSUBSCRIBED") return { allowed: false, reason: "opted_out" };
      if (states.transactional === "SUBSCRIBED" || states.marketing === "SUBSCRIBED") return { allowed: true };
      return { allowed: false, reason: "no_transactional_consent" };
  }
}
