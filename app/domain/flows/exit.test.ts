import { describe, expect, test } from "vitest";
import type { ConsentStates } from "~/domain/consent";
import {
  capApplies,
  type ExitFacts,
  exitReasonFor,
  outranked,
  replyBelongsToStaff,
  startRefusalFor,
  staffTookOver,
} from "./exit";

const NOW = new Date("2026-03-03T15:00:00Z");
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);
const SUBSCRIBED: ConsentStates = { marketing: "SUBSCRIBED", transactional: "NOT_SUBSCRIBED" };

const facts = (overrides: Partial<ExitFacts> = {}): ExitFacts => ({
  kind: "ABANDONED_CART",
  purpose: "MARKETING",
  event: "timer",
  now: NOW,
  enabled: true,
  consent: SUBSCRIBED,
  staff: { automationPaused: false, lastStaffReplyAt: null, handedOver: false },
  runStartedAt: ago(2),
  others: [],
  frequencyCapped: false,
  ...overrides,
});

describe("exitReasonFor", () => {
  test.each<[string, Partial<ExitFacts>, string | null]>([
    ["nothing wrong", {}, null],
    ["opted out (STOP)", { consent: { marketing: "UNSUBSCRIBED", transactional: "UNSUBSCRIBED" } }, "opted_out"],
    ["marketing withdrawn", { consent: { marketing: "NOT_SUBSCRIBED", transactional: "SUBSCRIBED" } }, "opted_out"],
    [
      "transactional flow, marketing withdrawn: goes on",
      {
        kind: "SHIPPING_UPDATE",
        purpose: "TRANSACTIONAL",
        consent: { marketing: "UNSUBSCRIBED", transactional: "SUBSCRIBED" },
      },
      null,
    ],
    [
      "staff replied during the run",
      { staff: { automationPaused: true, lastStaffReplyAt: ago(1), handedOver: false } },
      "staff_took_over",
    ],
    [
      "the run handed over",
      { staff: { automationPaused: true, lastStaffReplyAt: null, handedOver: true } },
      "staff_took_over",
    ],
    [
      "paused by a staff reply weeks ago",
      { staff: { automationPaused: true, lastStaffReplyAt: ago(24 * 30), handedOver: false } },
      null,
    ],
    [
      "a transactional run goes on after staff took over",
      {
        kind: "SHIPPING_UPDATE",
        purpose: "TRANSACTIONAL",
        staff: { automationPaused: true, lastStaffReplyAt: null, handedOver: true },
      },
      null,
    ],
    ["turned off", { enabled: false }, "disabled"],
    [
      "a shipping update in conversation now",
      { others: [{ kind: "SHIPPING_UPDATE", lastStepAt: ago(3) }] },
      "priority",
    ],
    ["a shipping update idle for days", { others: [{ kind: "SHIPPING_UPDATE", lastStepAt: ago(72) }] }, null],
    ["a lower-priority run", { others: [{ kind: "FEEDBACK", lastStepAt: ago(1) }] }, null],
    ["capped, on a timer", { frequencyCapped: true }, "frequency_cap"],
    ["capped, but answering the shopper's reply", { frequencyCapped: true, event: "reply" }, null],
    ["capped, but sending the offer the shopper asked for", { frequencyCapped: true, event: "offer_created" }, null],
    [
      "an order is recorded whatever else happened",
      { event: "order_placed", enabled: false, consent: { marketing: "UNSUBSCRIBED", transactional: "UNSUBSCRIBED" } },
      null,
    ],
    [
      "opt-out wins over everything else",
      { enabled: false, frequencyCapped: true, consent: { marketing: "UNSUBSCRIBED", transactional: "UNSUBSCRIBED" } },
      "opted_out",
    ],
  ])("%s → %s", (_name, overrides, expected) => {
    expect(exitReasonFor(facts(overrides))).toBe(expected);
  });
});

describe("startRefusalFor", () => {
  const start = (overrides: Partial<ExitFacts> = {}) => {
    const { event: _event, ...rest } = facts(overrides);
    return startRefusalFor({ ...rest, runStartedAt: NOW });
  };
  test.each<[string, Partial<ExitFacts>, string | null]>([
    ["subscribed", {}, null],
    ["off", { enabled: false }, "disabled"],
    ["never subscribed", { consent: { marketing: "NOT_SUBSCRIBED", transactional: "SUBSCRIBED" } }, "no_consent"],
    ["pending double opt-in", { consent: { marketing: "PENDING", transactional: "NOT_SUBSCRIBED" } }, "no_consent"],
    ["opted out", { consent: { marketing: "UNSUBSCRIBED", transactional: "UNSUBSCRIBED" } }, "opted_out"],
    [
      "staff mid-conversation",
      { staff: { automationPaused: true, lastStaffReplyAt: ago(2), handedOver: false } },
      "staff_took_over",
    ],
    // Checked before the first step that texts instead: whoever outranks it now may be done by then.
    ["outranked", { others: [{ kind: "SHIPPING_UPDATE", lastStepAt: ago(1) }] }, null],
    ["capped", { frequencyCapped: true }, null],
    [
      "transactional flows ignore the marketing cap",
      { kind: "SHIPPING_UPDATE", purpose: "TRANSACTIONAL", frequencyCapped: true },
      null,
    ],
  ])("%s → %s", (_name, overrides, expected) => {
    expect(start(overrides)).toBe(expected);
  });
});

test.each<[string, Partial<ExitFacts>, boolean]>([
  ["a reply to a shipping run staff took over", { purpose: "TRANSACTIONAL", event: "reply" }, true],
  ["a store event for that run", { purpose: "TRANSACTIONAL", event: "fulfillment_updated" }, false],
  ["a reply to a marketing run (it exits instead)", { purpose: "MARKETING", event: "reply" }, false],
])("replyBelongsToStaff: %s → %s", (_name, overrides, expected) => {
  const staff = { automationPaused: true, lastStaffReplyAt: null, handedOver: true };
  expect(replyBelongsToStaff({ ...facts(overrides), staff, runStartedAt: NOW })).toBe(expected);
});

test("helpers", () => {
  expect(capApplies("MARKETING", "timer")).toBe(true);
  expect(capApplies("MARKETING", "product_available")).toBe(true);
  expect(capApplies("TRANSACTIONAL", "timer")).toBe(false);
  expect(outranked("SHIPPING_UPDATE", "TRANSACTIONAL", [{ kind: "ABANDONED_CART", lastStepAt: NOW }], NOW)).toBe(false);
  expect(staffTookOver({ automationPaused: false, lastStaffReplyAt: NOW, handedOver: true }, NOW)).toBe(false);
});
