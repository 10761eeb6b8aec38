import { describe, expect, test } from "vitest";
import {
  clampPercentToGuardrails,
  offerLadderStep,
  checkOffer,
  describeOffer,
  describeValidity,
  guardrailHint,
  mayExceedGuardrails,
  type Guardrails,
  type OfferErrors,
} from "./discount-guardrails";

const NOW = new Date("2026-03-01T12:00:00Z");
const SHOP: Guardrails = {
  maxPercent: 20,
  maxAmountCents: 2000,
  defaultExpiryHours: 48,
  overrideRole: "owner",
  currencyCode: "USD",
};
const STAFF = { accountOwner: false };
const OWNER = { accountOwner: true };
const hours = (n: number) => new Date(NOW.getTime() + n * 3_600_000);

describe("mayExceedGuardrails", () => {
  test.each([
    ["owner", false, false],
    ["owner", true, true],
    ["nobody", true, false],
    ["nobody", false, false],
    ["anyone", false, true],
    ["something-else", false, false], // unknown settings are read as "owner"
    ["something-else", true, true],
  ])("role %s, account owner %s → %s", (role, accountOwner, allowed) => {
    expect(mayExceedGuardrails({ overrideRole: role }, { accountOwner })).toBe(allowed);
  });
});

describe("checkOffer: accepted", () => {
  test.each([
    [
      "10 % with the default expiry",
      { kind: "PERCENTAGE", value: "10" },
      STAFF,
      { valuePercent: 10, valueAmountCents: null, expiresAt: hours(48), exceedsGuardrails: false },
    ],
    [
      "exactly the maximum",
      { kind: "PERCENTAGE", value: 20, expiresInHours: 24 },
      STAFF,
      { valuePercent: 20, expiresAt: hours(24), exceedsGuardrails: false },
    ],
    [
      "25 % by the owner when the owner may exceed",
      { kind: "PERCENTAGE", value: 25 },
      OWNER,
      { valuePercent: 25, exceedsGuardrails: true },
    ],
    [
      "$5.50 with a minimum subtotal",
      { kind: "FIXED_AMOUNT", value: "5.50", minimumSubtotal: "50" },
      STAFF,
      { valuePercent: null, valueAmountCents: 550, minSubtotalCents: 5000 },
    ],
    [
      "free shipping ignores the value",
      { kind: "FREE_SHIPPING", value: "" },
      STAFF,
      { kind: "FREE_SHIPPING", valuePercent: null, valueAmountCents: null },
    ],
    [
      "an expiry date instead of hours",
      { kind: "PERCENTAGE", value: 5, expiresAt: "2026-03-04T12:00:00Z" },
      STAFF,
      { expiresAt: hours(72) },
    ],
    [
      "blank minimum is no minimum",
      { kind: "PERCENTAGE", value: 5, minimumSubtotal: " " },
      STAFF,
      { minSubtotalCents: null },
    ],
  ])("%s", (_name, input, staff, expected) => {
    const decision = checkOffer(input, SHOP, staff, NOW);
    expect(decision).toMatchObject({ ok: true, offer: expected });
  });
});

describe("checkOffer: refused", () => {
  test.each<[string, unknown, Partial<Guardrails>, { accountOwner: boolean }, OfferErrors]>([
    [
      "25 % by staff when only the owner may exceed",
      { kind: "PERCENTAGE", value: 25 },
      {},
      STAFF,
      { value: "20% is the most this store allows — ask the owner" },
    ],
    [
      "25 % by the owner when nobody may exceed",
      { kind: "PERCENTAGE", value: 25 },
      { overrideRole: "nobody" },
      OWNER,
      { value: "20% is the most this store allows" },
    ],
    [
      "$25 by staff",
      { kind: "FIXED_AMOUNT", value: 25 },
      {},
      STAFF,
      { value: "$20.00 is the most this store allows — ask the owner" },
    ],
    ["a missing percentage", { kind: "PERCENTAGE" }, {}, STAFF, { value: "Enter the percentage off" }],
    [
      "a fractional percentage",
      { kind: "PERCENTAGE", value: 12.5 },
      {},
      OWNER,
      { value: "Use a whole percentage, like 10" },
    ],
    [
      "101 %",
      { kind: "PERCENTAGE", value: 101 },
      { overrideRole: "anyone" },
      STAFF,
      { value: "Enter a percentage from 1 to 100" },
    ],
    ["0 %", { kind: "PERCENTAGE", value: 0 }, {}, STAFF, { value: "Enter a percentage from 1 to 100" }],
    ["text for a value", { kind: "PERCENTAGE", value: "ten" }, {}, STAFF, { value: "Enter the value as a number" }],
    [
      "three decimals",
      { kind: "FIXED_AMOUNT", value: "1.005" },
      {},
      STAFF,
      { value: "Use at most two decimals, like 5.50" },
    ],
    ["a negative amount", { kind: "FIXED_AMOUNT", value: -5 }, {}, STAFF, { value: "Enter an amount greater than 0" }],
    [
      "an unknown kind",
      { kind: "BOGO", value: 5 },
      {},
      STAFF,
      { kind: "Choose % off, a fixed amount or free shipping" },
    ],
    [
      "a 31-day code",
      { kind: "FREE_SHIPPING", expiresInHours: 744 },
      {},
      STAFF,
      { expiry: "Choose from 1 to 720 hours (30 days)" },
    ],
    [
      "an expiry in the past",
      { kind: "FREE_SHIPPING", expiresAt: "2026-03-01T11:00:00Z" },
      {},
      STAFF,
      { expiry: "Choose a time at least an hour from now" },
    ],
    [
      "a minimum below the amount off",
      { kind: "FIXED_AMOUNT", value: 10, minimumSubtotal: 5 },
      {},
      STAFF,
      { minimumSubtotal: "The minimum should be at least the amount off" },
    ],
    [
      "several problems at once",
      { kind: "PERCENTAGE", value: 30, expiresInHours: 0, minimumSubtotal: -1 },
      {},
      STAFF,
      {
        value: "20% is the most this store allows — ask the owner",
        expiry: "Choose from 1 to 720 hours (30 days)",
        minimumSubtotal: "Enter an amount greater than 0, or leave it empty",
      },
    ],
  ])("%s", (_name, input, shop, staff, errors) => {
    expect(checkOffer(input, { ...SHOP, ...shop }, staff, NOW)).toEqual({ ok: false, errors });
  });
});

describe("wording", () => {
  test.each([
    [{ kind: "PERCENTAGE" as const, valuePercent: 10, valueAmountCents: null, minSubtotalCents: null }, "10% off"],
    [{ kind: "FIXED_AMOUNT" as const, valuePercent: null, valueAmountCents: 550, minSubtotalCents: null }, "$5.50 off"],
    [
      { kind: "FREE_SHIPPING" as const, valuePercent: null, valueAmountCents: null, minSubtotalCents: 5000 },
      "free shipping on orders of $50.00 or more",
    ],
  ])("describeOffer %j → %s", (offer, text) => {
    expect(describeOffer(offer, "USD")).toBe(text);
  });

  test.each([
    [48, "48 h"],
    [1, "1 h"],
    [72, "3 days"],
    [100, "100 h"],
    [168, "7 days"],
  ])("describeValidity %i h → %s", (n, text) => {
    expect(describeValidity(hours(n), NOW)).toBe(text);
  });

  test.each([
    [SHOP, STAFF, "Up to 20% or $20.00 off; more needs the owner."],
    [SHOP, OWNER, "Up to 20% or $20.00 off for staff; as the owner you may go beyond."],
    [{ ...SHOP, overrideRole: "nobody" }, OWNER, "Up to 20% or $20.00 off."],
    [{ ...SHOP, overrideRole: "anyone" }, STAFF, "Up to 20% or $20.00 off is the store's guideline."],
  ])("guardrailHint %#", (shop, staff, text) => {
    expect(guardrailHint(shop, staff)).toBe(text);
  });
});

describe("automation's offers: never above the guardrail", () => {
  test.each([
    [10, 20, 10],
    [25, 20, 20],
    [20, 20, 20],
    [0, 20, 1],
    [12.6, 20, 13],
    [15, 0, null],
    [Number.NaN, 20, null],
  ])("clampPercentToGuardrails(%s, max %s) = %s", (percent, maxPercent, expected) => {
    expect(clampPercentToGuardrails(percent, { maxPercent })).toBe(expected);
  });

  test.each([
    [[10, 15], 0, 20, 10],
    [[10, 15], 1, 20, 15],
    [[10, 15], 2, 20, null], // the ladder is spent
    [[10, 15], 1, 12, 12], // the second step clamped, still above the first
    [[10, 15], 1, 10, null], // clamped down to what was offered already
    [[25, 30], 0, 20, 20],
    [[25, 30], 1, 20, null],
    [[15, 10], 1, 20, null], // never less after more
    [[], 0, 20, null],
  ])("offerLadderStep(%j, step %s, max %s) = %s", (ladder, index, maxPercent, expected) => {
    expect(offerLadderStep(ladder, index, { maxPercent })).toBe(expected);
  });
});
