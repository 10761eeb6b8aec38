import { z } from "zod";

// The automatic answers compliance.md requires (§3 confirmation, §5 opt-out, §6 HELP). Shops may reword them, but
// a reworded reply must still say what the law needs; one that does not is refused and the default goes out.

export const ProgramSchema = z.object({
  brandName: z.string().trim().min(1, "brand name is required: every reply names the brand"),
  supportContact: z.string().trim().min(1, "support contact is required: HELP replies give it"),
  frequency: z.string().trim().min(1, "message frequency is required, e.g. “Up to 4 msgs/month”"),
  termsUrl: z.url().optional(),
  privacyUrl: z.url().optional(),
});
export type Program = z.infer<typeof ProgramSchema>;

export const KEYWORD_REPLY_KINDS = [
  "opt_out_confirmation",
  "help",
  "opt_in_confirmation",
  "double_opt_in_request",
  "welcome",
] as const;
export type KeywordReplyKind = (typeof KEYWORD_REPLY_KINDS)[number];

export type ReplyProblem =
  | "missing_brand"
  | "missing_support_contact"
  | "missing_frequency"
  | "missing_rates_notice"
  | "missing_help_instructions"
  | "missing_opt_out_instructions"
  | "missing_resubscribe_instructions"
  | "missing_confirm_instructions"
  | "contains_promotion"
  | "unknown_placeholder";

const RATES = "Msg & data rates may apply.";
const HELP_AND_STOP = "Reply HELP for help, STOP to cancel.";

/** "Up to 4 msgs/month" → "Up to 4 msgs/month." */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function defaultKeywordReply(kind: KeywordReplyKind, programInput: Program): string {
  const p = ProgramSchema.parse(programInput);
  const brand = p.brandName.trim();
  const frequency = sentence(p.frequency);
  const terms = p.termsUrl ? ` Terms: ${p.termsUrl}` : "";
  switch (kind) {
    case "opt_out_confirmation":
      // The one message allowed after STOP (FCC 64.1200(a)(12)): confirmation only, nothing else.
      return `You're unsubscribed from ${brand} texts. No more messages will be sent. Reply START to resubscribe.`;
    case "help":
      return `${brand}: For help, contact ${p.supportContact.trim()}. ${frequency} ${RATES} Reply STOP to cancel.`;
    case "opt_in_confirmation":
      return `${brand}: You're resubscribed to texts. ${frequency} ${RATES} ${HELP_AND_STOP}`;
    case "double_opt_in_request":
      return (
        `${brand}: Reply Y to confirm you want recurring automated marketing texts. ${frequency} ` +
        `Consent is not a condition of purchase. ${RATES} ${HELP_AND_STOP}${terms}`
      );
    case "welcome":
      return `${brand}: Thanks for subscribing to texts! ${frequency} ${RATES} ${HELP_AND_STOP}${terms}`;
  }
}

type Check = { problem: ReplyProblem; passes: (text: string, p: Program) => boolean };

const includesIgnoringCase = (text: string, part: string) => text.toLowerCase().includes(part.trim().toLowerCase());

const CHECKS = {
  brand: { problem: "missing_brand", passes: (t, p) => includesIgnoringCase(t, p.brandName) },
  support: { problem: "missing_support_contact", passes: (t, p) => includesIgnoringCase(t, p.supportContact) },
  frequency: { problem: "missing_frequency", passes: (t, p) => includesIgnoringCase(t, p.frequency) },
  rates: { problem: "missing_rates_notice", passes: (t) => /msg (&|and) data rates may apply/i.test(t) },
  help: { problem: "missing_help_instructions", passes: (t) => /\bHELP\b/.test(t) },
  optOut: { problem: "missing_opt_out_instructions", passes: (t) => /\bSTOP\b/.test(t) },
  resubscribe: { problem: "missing_resubscribe_instructions", passes: (t) => /\b(START|UNSTOP)\b/.test(t) },
  confirm: { problem: "missing_confirm_instructions", passes: (t) => /\breply (Y|YES)\b/i.test(t) },
  noPromotion: { problem: "contains_promotion", passes: (t, p) => !containsPromotion(t, p) },
} satisfies Record<string, Check>;

const REQUIRED: Record<KeywordReplyKind, Check[]> = {
  opt_out_confirmation: [CHECKS.brand, CHECKS.resubscribe, CHECKS.noPromotion],
  help: [CHECKS.brand, CHECKS.support, CHECKS.frequency, CHECKS.rates, CHECKS.optOut, CHECKS.noPromotion],
  opt_in_confirmation: [CHECKS.brand, CHECKS.frequency, CHECKS.rates, CHECKS.help, CHECKS.optOut, CHECKS.noPromotion],
  double_opt_in_request: [
    CHECKS.brand,
    CHECKS.confirm,
    CHECKS.frequency,
    CHECKS.rates,
    CHECKS.help,
    CHECKS.optOut,
    CHECKS.noPromotion,
  ],
  welcome: [CHECKS.brand, CHECKS.frequency, CHECKS.rates, CHECKS.help, CHECKS.optOut, CHECKS.noPromotion],
};

const PROMOTION =
  /\b(\d+\s?%\s?off|sale|discount|coupon|promo code|use code|free shipping|deals?|shop now|buy now|limited time|new arrivals?|bogo)\b/i;

/**
 * Keyword replies are not marketing and must not carry any (a promotion in the opt-out confirmation is exactly
 * what the FCC forbids). Links other than the program's terms and privacy pages count as promotion.
 */
export function containsPromotion(text: string, program: Pick<Program, "termsUrl" | "privacyUrl">): boolean {
  if (PROMOTION.test(text)) return true;
  const allowed = [program.termsUrl, program.privacyUrl].filter(Boolean);
  const links = text.match(/\bhttps?:\/\/\S+|\bwww\.\S+/gi) ?? [];
  return links.some((link) => !allowed.includes(link.replace(/[.,)]+$/, "")));
}

const PLACEHOLDERS = ["brand_name", "support_contact", "frequency", "terms_url", "privacy_url"] as const;

function fillPlaceholders(template: string, p: Program): { text: string; unknown: string[] } {
  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    brand_name: p.brandName.trim(),
    support_contact: p.supportContact.trim(),
    frequency: p.frequency.trim(),
    terms_url: p.termsUrl ?? "",
    privacy_url: p.privacyUrl ?? "",
  };
  const unknown: string[] = [];
  const text = template.replace(/\{\s*([A-Za-z_][\w]*)\s*\}/g, (match, name: string) => {
    const key = name.toLowerCase() as (typeof PLACEHOLDERS)[number];
    if ((PLACEHOLDERS as readonly string[]).includes(key)) return values[key];
    unknown.push(name);
    return match;
  });
  return { text, unknown };
}

/** What a reply of this kind lacks; empty when it is compliant. */
export function keywordReplyProblems(kind: KeywordReplyKind, text: string, programInput: Program): ReplyProblem[] {
  const p = ProgramSchema.parse(programInput);
  return REQUIRED[kind].filter((check) => !check.passes(text, p)).map((check) => check.problem);
}

/** The shop's wording when it is compliant, else the default; problems say why an override was not used. */
export function keywordReply(
  kind: KeywordReplyKind,
  program: Program,
  override?: string | null,
): { text: string; usedDefault: boolean; problems: ReplyProblem[] } {
  if (!override || override.trim() === "") {
    return { text: defaultKeywordReply(kind, program), usedDefault: true, problems: [] };
  }
  const filled = fillPlaceholders(override.trim(), ProgramSchema.parse(program));
  const problems: ReplyProblem[] = [
    ...(filled.unknown.length > 0 ? (["unknown_placeholder"] as const) : []),
    ...keywordReplyProblems(kind, filled.text, program),
  ];
  if (problems.length > 0) return { text: defaultKeywordReply(kind, program), usedDefault: true, problems };
  return { text: filled.text, usedDefault: false, problems: [] };
}
