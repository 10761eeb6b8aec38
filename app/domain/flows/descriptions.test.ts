import { describe, expect, test } from "vitest";
import { formatMoney } from "~/domain/discount-guardrails";
import {
  exitReasonLabel,
  flowKindFromSlug,
  flowSlug,
  runOutcome,
  stateLabel,
  type RunOutcomeInput,
} from "./descriptions";
import { FLOW_KINDS } from "./machine";

describe("slugs", () => {
  test("every flow round-trips through its address", () => {
    for (const kind of FLOW_KINDS) expect(flowKindFromSlug(flowSlug(kind))).toBe(kind);
    expect(flowSlug("ABANDONED_CART")).toBe("abandoned-cart");
  });
  test.each(["", "nope", "abandoned_cart_x", undefined])("%j is no flow", (slug) => {
    expect(flowKindFromSlug(slug)).toBeNull();
  });
});

describe("words", () => {
  test.each<[string, string]>([
    ["waiting_for_reply", "Waiting for reply"],
    ["offeredFreeShipping", "Offered free shipping"],
    ["done", "Done"],
  ])("state %s", (state, label) => expect(stateLabel(state)).toBe(label));

  test.each<[string | null, string]>([
    ["opted_out", "Opted out"],
    ["staff_took_over", "Your team took over"],
    ["something_new", "Something new"],
    [null, "Stopped"],
  ])("exit %s", (reason, label) => expect(exitReasonLabel(reason)).toBe(label));
});

describe("runOutcome", () => {
  const base: RunOutcomeInput = {
    status: "ACTIVE",
    exitReason: null,
    handedOverAt: null,
    revenueCents: null,
    currencyCode: null,
    offerCode: null,
    offerCodeUsed: false,
    lastStep: null,
  };
  test.each<[string, Partial<RunOutcomeInput>, string]>([
    [
      "converted with the code",
      { status: "CONVERTED", revenueCents: 8400, currencyCode: "USD", offerCode: "ACME-7KQ2M9", offerCodeUsed: true },
      "Bought $84.00 with ACME-7KQ2M9",
    ],
    [
      "converted without the offered code",
      { status: "CONVERTED", revenueCents: 5000, currencyCode: "EUR", offerCode: "ACME-7KQ2M9" },
      "Bought €50.00 without the code",
    ],
    ["converted, no code offered", { status: "CONVERTED", revenueCents: 1999, currencyCode: "USD" }, "Bought $19.99"],
    ["stopped", { status: "EXITED", exitReason: "opted_out" }, "Opted out"],
    ["handed over", { status: "ACTIVE", handedOverAt: new Date(), lastStep: "handed to staff" }, "Handed to your team"],
    ["waiting", { status: "ACTIVE", lastStep: "waiting 1 h" }, "Waiting 1 h"],
    ["completed", { status: "COMPLETED", lastStep: "polite close" }, "Polite close"],
    ["just started", {}, "Started"],
  ])("%s", (_name, run, outcome) => expect(runOutcome({ ...base, ...run }, formatMoney)).toBe(outcome));
});
