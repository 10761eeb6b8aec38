import { z } from "zod";

// Variables staff can use in replies and saved replies. Values come from the contact and the store context.
// (Contract shared by the composer and the store-context panel; the renderer is added beside it.)
export const ReplyVariablesSchema = z.object({
  first_name: z.string().optional(),
  last_order_name: z.string().optional(),
  tracking_url: z.string().optional(),
  checkout_url: z.string().optional(),
});
export type ReplyVariables = z.infer<typeof ReplyVariablesSchema>;

export type ReplyVariableName = keyof ReplyVariables;
export const REPLY_VARIABLE_NAMES = Object.keys(ReplyVariablesSchema.shape) as ReplyVariableName[];

// What each variable means, for the composer's help text and the saved-replies page.
export const REPLY_VARIABLE_HELP: Record<ReplyVariableName, string> = {
  first_name: "the shopper's first name (“there” when unknown)",
  last_order_name: "their latest order, e.g. #1042",
  tracking_url: "the tracking link of their latest shipment",
  checkout_url: "the recovery link of their abandoned checkout",
};

// Only first_name reads naturally with a stand-in ("Hi there!", the same fallback app/domain/render.ts uses at
// send time). A missing link or order number has none: "track it here: " would be worse than not sending.
const FALLBACKS: Partial<Record<ReplyVariableName, string>> = { first_name: "there" };

// Filled by the engine when the message is rendered (app/domain/render.ts): left in place here.
const ENGINE_VARIABLES = new Set(["brand_name", "shop_name", "sender_name", "name", "last_name"]);

export type RenderedReply = {
  /** The text with every known variable filled; missing and unknown ones are left as written. */
  text: string;
  /** Reply variables the text uses, in order of first use. */
  used: ReplyVariableName[];
  /** Used variables without a value or fallback: the reply cannot go out until they are filled or removed. */
  missing: ReplyVariableName[];
  /** `{something}` that no one fills: a typo, most likely. */
  unknown: string[];
};

// Same syntax as the engine's renderer: `{name}`, case and inner spaces forgiven; other braces are text.
const VARIABLE = /\{\s*([A-Za-z_]\w*)\s*\}/g;

const isReplyVariable = (name: string): name is ReplyVariableName => (REPLY_VARIABLE_NAMES as string[]).includes(name);

/** Fills the reply variables of a draft for preview and sending. Never throws; `missing`/`unknown` say what is wrong. */
export function renderReplyVariables(body: string, variables: ReplyVariables): RenderedReply {
  const used: ReplyVariableName[] = [];
  const missing: ReplyVariableName[] = [];
  const unknown: string[] = [];
  const note = <T extends string>(list: T[], value: T) => {
    if (!list.includes(value)) list.push(value);
  };
  const text = body.replace(VARIABLE, (match, rawName: string) => {
    const name = rawName.toLowerCase();
    if (ENGINE_VARIABLES.has(name)) return match;
    if (!isReplyVariable(name)) {
      note(unknown, name);
      return match;
    }
    note(used, name);
    const value = variables[name]?.trim() || FALLBACKS[name];
    if (value) return value;
    note(missing, name);
    return match;
  });
  return { text, used, missing, unknown };
}

/** Whether a rendered reply can be sent as it is (nothing a shopper would see as `{…}`). */
export function replyProblems(rendered: RenderedReply): string | null {
  const names = [...rendered.missing, ...rendered.unknown].map((n) => `{${n}}`);
  if (names.length === 0) return null;
  if (rendered.unknown.length > 0 && rendered.missing.length === 0)
    return `Unknown ${names.length === 1 ? "variable" : "variables"} ${names.join(", ")}: fix or remove ${names.length === 1 ? "it" : "them"}.`;
  return `No value for ${names.join(", ")} for this shopper: fill it in or remove it before sending.`;
}
