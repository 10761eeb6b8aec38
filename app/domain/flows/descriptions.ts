import type { FlowKind } from "./machine";

// How the Flows page names each flow and its runs, in the merchant's words.

export const FLOW_TITLES: Record<FlowKind, string> = {
  ABANDONED_CART: "Abandoned cart: what went wrong?",
  SHIPPING_UPDATE: "Shipping updates",
  FEEDBACK: "Post-purchase feedback",
  INTEREST: "Back in stock & early access",
  WELCOME: "Welcome",
};

export const FLOW_DESCRIPTIONS: Record<FlowKind, string> = {
  ABANDONED_CART:
    "An hour after a subscriber leaves a checkout, asks what held them back and answers: free shipping, a code within your guardrail, or a person.",
  SHIPPING_UPDATE:
    "Texts the carrier and tracking link when an order ships, and answers “will it arrive by Friday?” from the tracking data.",
  FEEDBACK:
    "A week after delivery, asks how the order is. Happy shoppers get your review link; unhappy ones go straight to your team.",
  INTEREST:
    "When a shopper says what they're waiting for, promises a text and sends the link once it's available — once.",
  WELCOME: "Greets every new subscriber once their opt-in is confirmed, with your welcome code if you offer one.",
};

/** The order the page lists them in: the money-makers first. */
export const FLOW_ORDER: readonly FlowKind[] = ["ABANDONED_CART", "SHIPPING_UPDATE", "FEEDBACK", "INTEREST", "WELCOME"];

/** The engine's variables, available in every flow's texts (rendered by sendMessage). */
export const ENGINE_VARIABLES: Record<string, string> = {
  first_name: "the shopper's first name (“there” when unknown)",
  brand_name: "your brand name from Settings",
  sender_name: "who signs the texts, from Settings",
};

/** The flow's address on the Flows page: /app/flows/abandoned-cart. */
export function flowSlug(kind: FlowKind): string {
  return kind.toLowerCase().replace(/_/g, "-");
}

export function flowKindFromSlug(slug: string | undefined): FlowKind | null {
  const kind = (slug ?? "").toUpperCase().replace(/-/g, "_");
  return (FLOW_ORDER as readonly string[]).includes(kind) ? (kind as FlowKind) : null;
}

/** Why a run stopped, in the merchant's words (the engine's exit reasons, app/domain/flows/machine.ts). */
export const EXIT_REASON_LABELS: Record<string, string> = {
  purchase: "They bought",
  opted_out: "Opted out",
  staff_took_over: "Your team took over",
  priority: "Another flow had priority",
  frequency_cap: "Marketing limit reached",
  disabled: "Flow turned off",
  expired: "Nothing more to wait for",
  no_consent: "No marketing consent",
};

export function exitReasonLabel(reason: string | null): string {
  if (!reason) return "Stopped";
  return EXIT_REASON_LABELS[reason] ?? reason.charAt(0).toUpperCase() + reason.slice(1).replace(/_/g, " ");
}

/** A machine's state name for reading: "waiting_for_reply" → "Waiting for reply". */
export function stateLabel(state: string): string {
  const words = state
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type RunOutcomeInput = {
  status: "ACTIVE" | "COMPLETED" | "CONVERTED" | "EXITED";
  exitReason: string | null;
  handedOverAt: Date | string | null;
  revenueCents: number | null;
  currencyCode: string | null;
  offerCode: string | null;
  offerCodeUsed: boolean;
  lastStep: string | null;
};

/** One line on how a run went: "Bought $84.00 with ACME-7KQ2M9", "Opted out", "Handed to your team". */
export function runOutcome(run: RunOutcomeInput, formatMoney: (cents: number, currencyCode: string) => string): string {
  const lastStep = run.lastStep ? run.lastStep.charAt(0).toUpperCase() + run.lastStep.slice(1) : null;
  switch (run.status) {
    case "CONVERTED": {
      const total = run.revenueCents !== null ? ` ${formatMoney(run.revenueCents, run.currencyCode ?? "USD")}` : "";
      const code = run.offerCode ? (run.offerCodeUsed ? ` with ${run.offerCode}` : " without the code") : "";
      return `Bought${total}${code}`;
    }
    case "EXITED":
      return exitReasonLabel(run.exitReason);
    case "COMPLETED":
      return run.handedOverAt ? "Handed to your team" : (lastStep ?? "Completed");
    case "ACTIVE":
      return run.handedOverAt ? "Handed to your team" : (lastStep ?? "Started");
  }
}
