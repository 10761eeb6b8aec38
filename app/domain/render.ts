import { z } from "zod";

// Builds the text that actually goes out (compliance.md §8): the shop's body with its variables filled, the
// sender named on the first message, and opt-out language on marketing at the policy's rhythm.

export const OptOutPolicySchema = z.object({
  // 1 = on every marketing message; 5 = on the first, then whenever 4 in a row went out without it.
  every: z.number().int().min(1),
});
export type OptOutPolicy = z.infer<typeof OptOutPolicySchema>;

export const RenderInputSchema = z.object({
  body: z.string(),
  variables: z.record(z.string(), z.string().nullable().optional()).default({}),
  isFirstInConversation: z.boolean(),
  purpose: z.enum(["MARKETING", "TRANSACTIONAL", "CONVERSATIONAL", "SYSTEM"]),
  brandName: z.string(),
  senderName: z.string().default(""),
  optOutPolicy: OptOutPolicySchema.default({ every: 5 }),
  // Marketing messages sent to this subscriber since the last one that carried the opt-out line; null = never.
  messagesSinceOptOutNotice: z.number().int().min(0).nullable().default(null),
});
export type RenderInput = z.input<typeof RenderInputSchema>;

export type RenderedMessage = { text: string; addedIdentification: boolean; addedOptOut: boolean };

export type RenderErrorCode = "unknown_variables" | "empty_variables" | "missing_brand_name" | "empty_body";

/** Refusing is better than sending "Hi {frist_name}" or "Your code is ." to a shopper. */
export class RenderError extends Error {
  constructor(
    readonly code: RenderErrorCode,
    readonly variables: string[] = [],
  ) {
    super(
      code === "unknown_variables"
        ? `Unknown variables: ${variables.map((v) => `{${v}}`).join(", ")}`
        : code === "empty_variables"
          ? `No value for: ${variables.map((v) => `{${v}}`).join(", ")}`
          : code === "missing_brand_name"
            ? "The shop has no brand name; the first message must name the brand."
            : "The message is empty.",
    );
    this.name = "RenderError";
  }
}

// Fallbacks that read naturally in any sentence the variable usually appears in ("Hi {first_name}!" → "Hi there!").
// Variables without one must have a value.
const FALLBACKS: Record<string, string> = {
  first_name: "there",
  name: "there",
  last_name: "",
  sender_name: "the team", // a lone {sender_name}; "{sender_name} from {brand_name}" becomes the brand (below)
};
// "it's {sender_name} from {brand_name}" for a shop without a sender name: "it's Acme", not "it's the team from Acme".
const SENDER_FROM_BRAND = /\{\s*sender_name\s*\}\s+(?:from|at)\s+(?=\{\s*(?:brand_name|shop_name)\s*\})/gi;

export const OPT_OUT_LINE = "Reply STOP to opt out";
// Already says how to stop: "Reply STOP to opt out", "Text STOP to unsubscribe", "STOP to cancel".
const HAS_OPT_OUT_LANGUAGE =
  /\b(reply|text|txt|send)\s+STOP\b|\bSTOP\s+to\s+(opt\s*out|unsubscribe|cancel|end|stop)\b/i;
const GREETING = /^(hi|hey|hello|hiya|howdy|good (?:morning|afternoon|evening))((?:\s+[^\s,.!?]+){0,3})\s*[,.!]+\s+/i;

function fillVariables(body: string, input: z.output<typeof RenderInputSchema>): string {
  const known: Record<string, string | null | undefined> = {
    brand_name: input.brandName,
    shop_name: input.brandName,
    sender_name: input.senderName,
    ...Object.fromEntries(Object.entries(input.variables).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const unknown = new Set<string>();
  const empty = new Set<string>();
  const withSender = input.senderName.trim() ? body : body.replace(SENDER_FROM_BRAND, "");
  const text = withSender.replace(/( ?)\{\s*([A-Za-z_]\w*)\s*\}/g, (_match, space: string, rawName: string) => {
    const name = rawName.toLowerCase();
    const value = known[name]?.trim();
    if (value) return space + value;
    if (name in FALLBACKS) return FALLBACKS[name] === "" ? "" : space + FALLBACKS[name];
    if (name in known) empty.add(name);
    else unknown.add(name);
    return "";
  });
  if (unknown.size > 0) throw new RenderError("unknown_variables", [...unknown]);
  if (empty.size > 0) throw new RenderError("empty_variables", [...empty]);
  return text;
}

function introduce(body: string, brand: string, sender: string): string {
  const who = sender ? `${sender} from ${brand}` : brand;
  const greeting = GREETING.exec(body);
  if (!greeting) return `Hi, this is ${who}. ${body}`;
  // "Hi Jane, your order shipped" → "Hi Jane, this is Sam from Acme. Your order shipped"
  const rest = body.slice(greeting[0].length);
  return `${greeting[1]}${greeting[2]}, this is ${who}. ${rest.charAt(0).toUpperCase()}${rest.slice(1)}`;
}

export function renderOutbound(rawInput: RenderInput): RenderedMessage {
  const input = RenderInputSchema.parse(rawInput);
  const brand = input.brandName.trim();
  const sender = input.senderName.trim();
  let text = fillVariables(input.body, input).trim();
  if (text === "") throw new RenderError("empty_body");

  // SYSTEM texts (opt-out confirmation, HELP) are written to name the brand and must stay exactly as approved:
  // nothing is added to them, least of all "Reply STOP" to the confirmation of a STOP.
  const isSystem = input.purpose === "SYSTEM";
  let addedIdentification = false;
  if (input.isFirstInConversation && !isSystem) {
    if (!brand) throw new RenderError("missing_brand_name");
    if (!text.toLowerCase().includes(brand.toLowerCase())) {
      text = introduce(text, brand, sender);
      addedIdentification = true;
    }
  }

  let addedOptOut = false;
  if (input.purpose === "MARKETING" && !HAS_OPT_OUT_LANGUAGE.test(text)) {
    const due =
      input.isFirstInConversation ||
      input.messagesSinceOptOutNotice === null ||
      input.messagesSinceOptOutNotice >= input.optOutPolicy.every - 1;
    if (due) {
      text = `${text}\n${OPT_OUT_LINE}`;
      addedOptOut = true;
    }
  }
  return { text, addedIdentification, addedOptOut };
}
