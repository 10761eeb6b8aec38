import type { z } from "zod";
import type { FlowKind } from "./machine";
import { flowTextProblem } from "./preview";
import { FLOW_SETTINGS_SCHEMAS, type FlowSettingsOf } from "./settings";

// The flow settings form, generated from each flow's zod schema (app/domain/flows/settings.ts): the schema says
// what a field is (a text, a number and its bounds, a switch, the offer ladder, a link); the table below gives it
// the merchant's words and a card to sit in. Values travel as the form holds them (numbers as typed strings) and
// come back as the flow's settings, or as one error per field, in words, with the shop's guardrail enforced.

type Unit = "minutes" | "hours" | "days";

type FieldBase = { name: string; label: string; helpText?: string; section: string };
export type FlowField =
  | (FieldBase & { kind: "message"; maxLength: number; opensConversation: boolean })
  | (FieldBase & { kind: "number"; unit: Unit; min: number; max: number })
  | (FieldBase & { kind: "boolean" })
  | (FieldBase & { kind: "ladder"; min: number; max: number; maxSteps: number })
  | (FieldBase & { kind: "url"; maxLength: number });

export type FlowFormValues = Record<string, string | boolean | string[]>;
export type FieldErrors = Record<string, string>;

type Copy = { label: string; helpText?: string; section: string; opensConversation?: boolean };

const TIMING = "Timing";
const COPY: Record<string, Copy> = {
  // Abandoned cart
  delayMinutes: {
    label: "Wait before the first text",
    helpText: "After the checkout is left. Cancelled if they buy in the meantime.",
    section: TIMING,
  },
  reminderAfterHours: {
    label: "Remind once if there is no reply after",
    helpText: "At most one reminder, with the link to their cart.",
    section: TIMING,
  },
  attributionWindowDays: {
    label: "Count an order as recovered within",
    helpText: "An order from that shopper or checkout within this window marks the run converted.",
    section: TIMING,
  },
  opener: { label: "Opening question", section: "Opening text", opensConversation: true },
  linkInOpener: {
    label: "Add the cart link to the opening text",
    helpText: "Off by default: a question gets more replies than a reminder with a link.",
    section: "Opening text",
  },
  reminder: { label: "Reminder", section: "Opening text" },
  freeShippingOffer: {
    label: "Offer free shipping when shipping cost is the problem",
    helpText: "A single-use code only this shopper can redeem.",
    section: "Answers",
  },
  freeShippingText: { label: "Free-shipping answer", section: "Answers" },
  offerLadder: {
    label: "Discount ladder when price is the problem",
    helpText: "One step at a time. No steps: price questions go to your team.",
    section: "Answers",
  },
  priceOfferText: { label: "Discount answer", section: "Answers" },
  closeText: { label: "Polite close (“just browsing”)", section: "Answers" },
  // Shipping updates
  onShipped: { label: "Text when an order ships", section: "Shipped" },
  shippedText: { label: "Shipped text", section: "Shipped", opensConversation: true },
  onOutForDelivery: { label: "Text when it is out for delivery", section: "Out for delivery" },
  outForDeliveryText: { label: "Out-for-delivery text", section: "Out for delivery" },
  onDelivered: { label: "Text when it is delivered", section: "Delivered" },
  deliveredText: { label: "Delivered text", section: "Delivered" },
  // Feedback
  delayDaysAfterDelivery: { label: "Ask after delivery, after", section: TIMING },
  question: { label: "Question", section: "Question", opensConversation: true },
  reviewUrl: {
    label: "Review link",
    helpText: "Optional. Sent to happy shoppers as {review_sentence}.",
    section: "Answers",
  },
  positiveText: { label: "Answer to a happy shopper", section: "Answers" },
  negativeText: {
    label: "Answer to an unhappy shopper",
    helpText: "The conversation is handed to your team with priority.",
    section: "Answers",
  },
  neutralText: { label: "Answer to anything else", section: "Answers" },
  // Interest
  promiseText: { label: "Promise", section: "Texts" },
  availableText: { label: "Back-in-stock text", section: "Texts", opensConversation: true },
};

type AnyZod = z.ZodType & { def: { type: string; innerType?: AnyZod; element?: AnyZod } } & Record<string, unknown>;

function unwrap(schema: AnyZod): { inner: AnyZod; nullable: boolean } {
  let inner = schema.def.type === "default" ? schema.def.innerType! : schema;
  const nullable = inner.def.type === "nullable";
  if (nullable) inner = inner.def.innerType!;
  return { inner, nullable };
}

function unitOf(name: string): Unit {
  return /Minutes$/.test(name) ? "minutes" : /Hours$/.test(name) ? "hours" : "days";
}

function humanize(name: string) {
  const words = name.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function describeField(name: string, schema: AnyZod): FlowField {
  const copy = COPY[name] ?? { label: humanize(name), section: "Settings" };
  const base = { name, label: copy.label, helpText: copy.helpText, section: copy.section };
  const { inner } = unwrap(schema);
  switch (inner.def.type) {
    case "boolean":
      return { ...base, kind: "boolean" };
    case "number":
      return {
        ...base,
        kind: "number",
        unit: unitOf(name),
        min: inner.minValue as number,
        max: inner.maxValue as number,
      };
    case "array": {
      const element = inner.def.element!;
      const checks = (inner.def as { checks?: { _zod: { def: { check: string; maximum?: number } } }[] }).checks ?? [];
      const maxSteps = checks.map((c) => c._zod.def).find((d) => d.check === "max_length")?.maximum ?? 3;
      return {
        ...base,
        kind: "ladder",
        min: element.minValue as number,
        max: element.maxValue as number,
        maxSteps,
      };
    }
    default:
      if (inner.format === "url") return { ...base, kind: "url", maxLength: inner.maxLength as number };
      return {
        ...base,
        kind: "message",
        maxLength: inner.maxLength as number,
        opensConversation: copy.opensConversation ?? false,
      };
  }
}

function shapeOf(kind: FlowKind): Record<string, AnyZod> {
  return (FLOW_SETTINGS_SCHEMAS[kind] as unknown as { shape: Record<string, AnyZod> }).shape;
}

/** The form's fields in the schema's order. */
export function flowFormFields(kind: FlowKind): FlowField[] {
  return Object.entries(shapeOf(kind)).map(([name, schema]) => describeField(name, schema));
}

/** The fields grouped into their cards, in order of first appearance. */
export function flowFormSections(kind: FlowKind): { title: string; fields: FlowField[] }[] {
  const sections: { title: string; fields: FlowField[] }[] = [];
  for (const field of flowFormFields(kind)) {
    const section = sections.find((s) => s.title === field.section);
    if (section) section.fields.push(field);
    else sections.push({ title: field.section, fields: [field] });
  }
  return sections;
}

/** Settings → what the form holds. */
export function toFormValues<K extends FlowKind>(kind: K, settings: FlowSettingsOf<K>): FlowFormValues {
  const values: FlowFormValues = {};
  const stored = settings as Record<string, unknown>;
  for (const field of flowFormFields(kind)) {
    const value = stored[field.name];
    values[field.name] =
      field.kind === "boolean"
        ? Boolean(value)
        : field.kind === "ladder"
          ? ((value as number[] | undefined) ?? []).map(String)
          : value === null || value === undefined
            ? ""
            : String(value);
  }
  return values;
}

function unitLabel(field: FlowField, n: number) {
  if (field.kind === "ladder") return `${n}%`;
  if (field.kind !== "number") return String(n);
  return `${n} ${n === 1 ? field.unit.replace(/s$/, "") : field.unit}`;
}

function issueMessage(field: FlowField, issue: z.core.$ZodIssue): string {
  const ladderStep = field.kind === "ladder" && issue.path.length > 1;
  switch (issue.code) {
    case "too_small":
      if (field.kind === "message") return "Write the message.";
      return `Must be at least ${unitLabel(field, Number(issue.minimum))}.`;
    case "too_big":
      if (field.kind === "message" || field.kind === "url") return `At most ${String(issue.maximum)} characters.`;
      if (field.kind === "ladder" && !ladderStep) return `At most ${String(issue.maximum)} steps.`;
      return `Must be at most ${unitLabel(field, Number(issue.maximum))}.`;
    case "invalid_format":
      return "Enter a full web address, starting with https://";
    default:
      return issue.message;
  }
}

const WHOLE_NUMBER = /^\d+$/;

/** What the form holds → the schema's input, or an error for a field that is not a whole number. */
function toInput(fields: FlowField[], values: FlowFormValues, errors: FieldErrors): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const number = (key: string, raw: unknown) => {
    const text = String(raw ?? "").trim();
    if (!WHOLE_NUMBER.test(text)) {
      errors[key] = text === "" ? "Enter a number." : "Enter a whole number.";
      return undefined;
    }
    return Number(text);
  };
  for (const field of fields) {
    const raw = values[field.name];
    if (field.kind === "boolean") input[field.name] = raw === true || raw === "true";
    else if (field.kind === "number") input[field.name] = number(field.name, raw);
    else if (field.kind === "ladder")
      input[field.name] = (Array.isArray(raw) ? raw : []).map((step, i) => number(`${field.name}.${i}`, step));
    else if (field.kind === "url") input[field.name] = String(raw ?? "").trim() || null;
    else input[field.name] = String(raw ?? "");
  }
  return input;
}

export type ParsedFlowForm<K extends FlowKind> =
  { ok: true; settings: FlowSettingsOf<K> } | { ok: false; fieldErrors: FieldErrors };

/**
 * Validates the form: the schema's bounds in words, each text's variables, and the offer ladder against the shop's
 * guardrail (a step above it is refused, not capped: the merchant should see the limit, not a silent change).
 */
export function parseFlowForm<K extends FlowKind>(
  kind: K,
  values: FlowFormValues,
  guardrails: { maxPercent: number },
): ParsedFlowForm<K> {
  const fields = flowFormFields(kind);
  const errors: FieldErrors = {};
  const input = toInput(fields, values, errors);
  const parsed = FLOW_SETTINGS_SCHEMAS[kind].safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fields.find((f) => f.name === issue.path[0]);
      const key = issue.path.map(String).join(".") || "form";
      if (field) errors[key] ??= issueMessage(field, issue);
    }
  }
  for (const field of fields) {
    if (field.kind === "message" && !errors[field.name]) {
      const problem = flowTextProblem(kind, String(values[field.name] ?? ""));
      if (problem) errors[field.name] = problem;
    }
    if (field.kind === "ladder") {
      const steps = input[field.name] as (number | undefined)[];
      steps.forEach((step, i) => {
        const key = `${field.name}.${i}`;
        if (errors[key] || step === undefined) return;
        if (step > guardrails.maxPercent)
          errors[key] =
            `Above your discount guardrail: codes can be at most ${guardrails.maxPercent}% off (Settings → Discount guardrails).`;
        else if (i > 0 && steps[i - 1] !== undefined && step <= steps[i - 1]!)
          errors[key] = "Each step should offer more than the one before.";
      });
    }
  }
  if (!parsed.success && Object.keys(errors).length === 0) errors.form = parsed.error.issues[0]?.message ?? "Invalid";
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, fieldErrors: errors };
  return { ok: true, settings: parsed.data as FlowSettingsOf<K> };
}

/** Only what differs from the defaults is stored, so a later, better default reaches merchants who never changed it. */
export function changedFromDefaults<K extends FlowKind>(kind: K, settings: FlowSettingsOf<K>): Record<string, unknown> {
  const defaults = FLOW_SETTINGS_SCHEMAS[kind].parse({}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(settings as Record<string, unknown>).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(defaults[key]),
    ),
  );
}

/** Ladder steps the shop's (possibly since lowered) guardrail no longer allows. */
export function stepsAboveGuardrail(ladder: readonly number[], maxPercent: number): number[] {
  return ladder.filter((step) => step > maxPercent);
}
