import { z } from "zod";

// What staff may offer a shopper from the composer, and within which limits. The shop sets a largest percentage
// and amount; `discountOverrideRole` says who may go beyond them: "owner" (the account owner only), "nobody" or
// "anyone". Pure: the service feeds it the shop's settings and the staff member, and creates nothing in Shopify
// unless this says ok.

export const DISCOUNT_KINDS = ["PERCENTAGE", "FIXED_AMOUNT", "FREE_SHIPPING"] as const;
export type DiscountKind = (typeof DISCOUNT_KINDS)[number];

export const OVERRIDE_ROLES = ["owner", "nobody", "anyone"] as const;
export type OverrideRole = (typeof OVERRIDE_ROLES)[number];

/** Codes live from one hour up to 30 days, the range the Settings page allows for the default. */
export const MIN_EXPIRY_HOURS = 1;
export const MAX_EXPIRY_HOURS = 720;
const MAX_MINIMUM_SUBTOTAL_CENTS = 1_000_000;

export type Guardrails = {
  maxPercent: number;
  maxAmountCents: number;
  defaultExpiryHours: number;
  overrideRole: string; // as stored; anything unknown is read as "owner"
  currencyCode: string;
};

export type OfferStaff = { accountOwner: boolean };

const blank = (value: unknown) => value === undefined || value === null || String(value).trim() === "";
const blankToUndefined = (value: unknown) => (blank(value) ? undefined : value);
/** A form number: blank is absent, "5.50" and 5.5 are the same, anything else is an error. */
const number = (what: string) =>
  z.preprocess(
    (value) => (blank(value) ? undefined : typeof value === "string" ? Number(value.trim()) : value),
    z
      .number({ error: `Enter ${what} as a number` })
      .refine(Number.isFinite, `Enter ${what} as a number`)
      .optional(),
  );

/**
 * The offer as the composer posts it. `value` is a percentage (10 = 10 %) or an amount in the shop's currency
 * (5.50); the expiry is either a number of hours from now or an instant; the minimum subtotal is optional.
 */
export const DiscountOfferInputSchema = z.object({
  kind: z.enum(DISCOUNT_KINDS, { error: "Choose % off, a fixed amount or free shipping" }),
  value: number("the value"),
  expiresInHours: number("the hours"),
  expiresAt: z.preprocess(blankToUndefined, z.iso.datetime({ offset: true }).optional()),
  minimumSubtotal: number("the minimum subtotal"),
});
export type DiscountOfferInput = z.input<typeof DiscountOfferInputSchema>;

export type DiscountOffer = {
  kind: DiscountKind;
  valuePercent: number | null; // whole percent, PERCENTAGE only
  valueAmountCents: number | null; // FIXED_AMOUNT only
  minSubtotalCents: number | null;
  expiresAt: Date;
  /** Beyond the shop's limits, by someone allowed to go there. */
  exceedsGuardrails: boolean;
};

export type OfferField = "kind" | "value" | "expiry" | "minimumSubtotal";
export type OfferErrors = Partial<Record<OfferField, string>>;
export type OfferDecision = { ok: true; offer: DiscountOffer } | { ok: false; errors: OfferErrors };

export function overrideRole(stored: string): OverrideRole {
  return (OVERRIDE_ROLES as readonly string[]).includes(stored) ? (stored as OverrideRole) : "owner";
}

/** Whether this staff member may offer more than the shop's limits. */
export function mayExceedGuardrails(guardrails: Pick<Guardrails, "overrideRole">, staff: OfferStaff): boolean {
  const role = overrideRole(guardrails.overrideRole);
  return role === "anyone" || (role === "owner" && staff.accountOwner);
}

export function formatMoney(cents: number, currencyCode: string): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currencyCode}`;
  }
}

/** One line for the composer: what the limits are and who may go beyond them. */
export function guardrailHint(guardrails: Guardrails, staff: OfferStaff): string {
  const limits = `Up to ${guardrails.maxPercent}% or ${formatMoney(guardrails.maxAmountCents, guardrails.currencyCode)} off`;
  if (mayExceedGuardrails(guardrails, staff)) {
    return overrideRole(guardrails.overrideRole) === "anyone"
      ? `${limits} is the store's guideline.`
      : `${limits} for staff; as the owner you may go beyond.`;
  }
  return overrideRole(guardrails.overrideRole) === "owner" ? `${limits}; more needs the owner.` : `${limits}.`;
}

function overLimit(limit: string, guardrails: Guardrails) {
  return overrideRole(guardrails.overrideRole) === "owner"
    ? `${limit} is the most this store allows — ask the owner`
    : `${limit} is the most this store allows`;
}

/** Checks an offer against the shop's guardrails; `now` anchors the expiry. */
export function checkOffer(
  input: unknown,
  guardrails: Guardrails,
  staff: OfferStaff,
  now: Date = new Date(),
): OfferDecision {
  const parsed = DiscountOfferInputSchema.safeParse(input);
  if (!parsed.success) {
    const errors: OfferErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      const field: OfferField =
        key === "expiresInHours" || key === "expiresAt"
          ? "expiry"
          : key === "value"
            ? "value"
            : key === "minimumSubtotal"
              ? "minimumSubtotal"
              : "kind";
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const offer = parsed.data;
  const errors: OfferErrors = {};
  const mayExceed = mayExceedGuardrails(guardrails, staff);
  let exceeds = false;
  let valuePercent: number | null = null;
  let valueAmountCents: number | null = null;

  if (offer.kind === "PERCENTAGE") {
    const value = offer.value;
    if (value === undefined) errors.value = "Enter the percentage off";
    else if (!Number.isInteger(value)) errors.value = "Use a whole percentage, like 10";
    else if (value < 1 || value > 100) errors.value = "Enter a percentage from 1 to 100";
    else if (value > guardrails.maxPercent && !mayExceed)
      errors.value = overLimit(`${guardrails.maxPercent}%`, guardrails);
    else {
      valuePercent = value;
      exceeds = value > guardrails.maxPercent;
    }
  } else if (offer.kind === "FIXED_AMOUNT") {
    const value = offer.value;
    const cents = value === undefined ? Number.NaN : Math.round(value * 100);
    if (value === undefined) errors.value = "Enter the amount off";
    else if (Math.abs(value * 100 - cents) > 1e-6) errors.value = "Use at most two decimals, like 5.50";
    else if (cents <= 0) errors.value = "Enter an amount greater than 0";
    else if (cents > guardrails.maxAmountCents && !mayExceed)
      errors.value = overLimit(formatMoney(guardrails.maxAmountCents, guardrails.currencyCode), guardrails);
    else {
      valueAmountCents = cents;
      exceeds = cents > guardrails.maxAmountCents;
    }
  }

  let expiresAt: Date | null = null;
  if (offer.expiresAt !== undefined) {
    expiresAt = new Date(offer.expiresAt);
    const hours = (expiresAt.getTime() - now.getTime()) / 3_600_000;
    if (hours < MIN_EXPIRY_HOURS - 1e-9) errors.expiry = "Choose a time at least an hour from now";
    else if (hours > MAX_EXPIRY_HOURS + 1e-9) errors.expiry = "Codes can last at most 30 days";
  } else {
    const hours = offer.expiresInHours ?? guardrails.defaultExpiryHours;
    if (!Number.isInteger(hours)) errors.expiry = "Use whole hours";
    else if (hours < MIN_EXPIRY_HOURS || hours > MAX_EXPIRY_HOURS)
      errors.expiry = `Choose from ${MIN_EXPIRY_HOURS} to ${MAX_EXPIRY_HOURS} hours (30 days)`;
    else expiresAt = new Date(now.getTime() + hours * 3_600_000);
  }

  let minSubtotalCents: number | null = null;
  if (offer.minimumSubtotal !== undefined) {
    const cents = Math.round(offer.minimumSubtotal * 100);
    if (cents <= 0) errors.minimumSubtotal = "Enter an amount greater than 0, or leave it empty";
    else if (cents > MAX_MINIMUM_SUBTOTAL_CENTS) errors.minimumSubtotal = "That minimum is higher than any cart";
    else if (valueAmountCents !== null && cents < valueAmountCents)
      errors.minimumSubtotal = "The minimum should be at least the amount off";
    else minSubtotalCents = cents;
  }

  if (Object.keys(errors).length > 0 || !expiresAt) return { ok: false, errors };
  return {
    ok: true,
    offer: {
      kind: offer.kind,
      valuePercent,
      valueAmountCents,
      minSubtotalCents,
      expiresAt,
      exceedsGuardrails: exceeds,
    },
  };
}

/** How long a code lasts, the way the text to the shopper says it: "48 h", "3 days". */
export function describeValidity(expiresAt: Date, now: Date): string {
  const hours = Math.max(1, Math.round((expiresAt.getTime() - now.getTime()) / 3_600_000));
  return hours >= 72 && hours % 24 === 0 ? `${hours / 24} days` : `${hours} h`;
}

/** "10% off", "$5.00 off", "free shipping" (+ " on orders of $50.00 or more"). */
export function describeOffer(offer: Omit<DiscountOffer, "expiresAt" | "exceedsGuardrails">, currencyCode: string) {
  const what =
    offer.kind === "PERCENTAGE"
      ? `${offer.valuePercent}% off`
      : offer.kind === "FIXED_AMOUNT"
        ? `${formatMoney(offer.valueAmountCents ?? 0, currencyCode)} off`
        : "free shipping";
  return offer.minSubtotalCents
    ? `${what} on orders of ${formatMoney(offer.minSubtotalCents, currencyCode)} or more`
    : what;
}

/**
 * What automation may offer: a whole percentage from 1 up to the shop's maximum, whoever could override it
 * (a flow is nobody). Null when the shop allows no percentage at all.
 */
export function clampPercentToGuardrails(percent: number, guardrails: Pick<Guardrails, "maxPercent">): number | null {
  const max = Math.floor(guardrails.maxPercent);
  if (!Number.isFinite(percent) || max < 1) return null;
  return Math.min(Math.max(1, Math.round(percent)), max);
}

/**
 * Step `index` of a configured offer ladder ([10, 15]), clamped to the guardrail. Null when there is no such
 * step, or when clamping leaves it no better than the step before (the shopper was offered that already).
 */
export function offerLadderStep(
  ladder: number[],
  index: number,
  guardrails: Pick<Guardrails, "maxPercent">,
): number | null {
  if (index < 0 || index >= ladder.length) return null;
  const percent = clampPercentToGuardrails(ladder[index]!, guardrails);
  if (percent === null) return null;
  const previous = index > 0 ? clampPercentToGuardrails(ladder[index - 1]!, guardrails) : null;
  return previous !== null && percent <= previous ? null : percent;
}
