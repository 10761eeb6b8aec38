import { z } from "zod";
import { coreOf, readInbound } from "./inbound-text";
import { FILLERS, findOptOutPhrase, mentionsOptOutWord } from "./opt-out-phrases";

// compliance.md §5–6. Opt-out is checked first and wins over everything else: "yes stop" stops, and a shop's
// JOIN keyword can never shadow STOP.

export const OPT_OUT_KEYWORDS = [
  "STOP",
  "STOPALL",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
  "REVOKE",
  "OPTOUT",
  "OPT OUT",
  "STOP ALL",
] as const;
export const OPT_IN_KEYWORDS = ["START", "UNSTOP"] as const;
export const HELP_KEYWORDS = ["HELP", "INFO"] as const;
export const DEFAULT_JOIN_KEYWORDS = ["JOIN"] as const;

// Affirmative replies to "Reply Y to confirm". Only these, alone: consent must be unmistakable, so "ok" and
// "sure" (which also answer staff questions) do not confirm.
const YES_REPLIES: ReadonlySet<string> = new Set([
  "y",
  "yes",
  "yess",
  "yesss",
  "yeah",
  "yea",
  "yep",
  "yup",
  "ya",
  "ye",
  "si",
  "sí",
]);

export const ClassifyOptionsSchema = z.object({
  pendingConfirmation: z.boolean().optional(),
  joinKeywords: z.array(z.string().trim().min(1)).optional(),
});
export type ClassifyOptions = z.infer<typeof ClassifyOptionsSchema>;

export type InboundKind = "opt_out" | "opt_in" | "help" | "confirm" | "join";

/**
 * via "keyword": the message is exactly a listed keyword, in any case, padded with punctuation, whitespace or
 * emoji — what the carrier also acts on. via "phrase": anything else read as the same request; `keyword` then
 * holds the words that were read that way, for the consent record.
 */
export type InboundClassification =
  { kind: InboundKind; keyword: string; via: "keyword" | "phrase" } | { kind: "none"; mentionsOptOutWord: boolean };

/** Upper-case words only: "  Opt-Out!! 🛑" → "OPT OUT". */
function keywordForm(text: string): string {
  return text
    .normalize("NFKC")
    .toUpperCase()
    .replace(/['’‘`´ʼ]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export function classifyInbound(text: string, options: ClassifyOptions = {}): InboundClassification {
  const { pendingConfirmation = false, joinKeywords = [...DEFAULT_JOIN_KEYWORDS] } =
    ClassifyOptionsSchema.parse(options);
  const exact = keywordForm(text);
  const inbound = readInbound(text);
  const core = coreOf(inbound.words, FILLERS);

  if ((OPT_OUT_KEYWORDS as readonly string[]).includes(exact)) {
    return { kind: "opt_out", keyword: exact, via: "keyword" };
  }
  const phrase = findOptOutPhrase(inbound);
  if (phrase !== null) return { kind: "opt_out", keyword: phrase, via: "phrase" };

  const whole = (keywords: readonly string[], kind: InboundKind): InboundClassification | null => {
    if (keywords.includes(exact)) return { kind, keyword: exact, via: "keyword" };
    const match = keywords.find((k) => keywordForm(k).toLowerCase() === core);
    return match ? { kind, keyword: match, via: "phrase" } : null;
  };

  const optIn = whole(OPT_IN_KEYWORDS, "opt_in");
  if (optIn) return optIn;
  // Outside a pending double opt-in, "yes" is an ordinary answer in the conversation.
  if (pendingConfirmation && YES_REPLIES.has(core)) {
    return { kind: "confirm", keyword: "YES", via: exact === "Y" || exact === "YES" ? "keyword" : "phrase" };
  }
  const help = whole(HELP_KEYWORDS, "help");
  if (help) return help;
  if (core === "help me") return { kind: "help", keyword: "HELP", via: "phrase" };
  const join = whole(joinKeywords.map(keywordForm), "join");
  if (join) return join;

  return { kind: "none", mentionsOptOutWord: mentionsOptOutWord(inbound) };
}

export const JOIN_KEYWORD_MAX_LENGTH = 20;

export type JoinKeywordProblem = "empty" | "too_long" | "not_a_word" | Exclude<InboundKind, "join">;

/**
 * Why a shop may not use this as a join keyword, or null. A join keyword is matched as the whole message, after
 * STOP, START, HELP and a pending "Y" have had their turn: one that any of those would read first ("stop", "info",
 * "yes", "please stop texting me") could never work, and one shadowing them must not exist at all.
 */
export function joinKeywordProblem(keyword: string): JoinKeywordProblem | null {
  const form = keywordForm(keyword);
  if (form === "") return "empty";
  if (form.length > JOIN_KEYWORD_MAX_LENGTH) return "too_long";
  if (form !== keyword.trim().toUpperCase().replace(/\s+/g, " ")) return "not_a_word";
  const read = classifyInbound(keyword, { pendingConfirmation: true, joinKeywords: [] });
  return read.kind === "none" || read.kind === "join" ? null : read.kind;
}

/** "join, VIP ,,deals" → ["JOIN", "VIP", "DEALS"]: the form's comma-separated list, upper-cased, no repeats. */
export function parseJoinKeywords(list: string): string[] {
  const words = list
    .split(",")
    .map((word) => word.trim().toUpperCase().replace(/\s+/g, " "))
    .filter(Boolean);
  return [...new Set(words)];
}
