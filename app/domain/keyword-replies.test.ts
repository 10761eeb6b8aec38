import { describe, expect, test } from "vitest";
import { analyzeText } from "./segments";
import {
  containsPromotion,
  defaultKeywordReply,
  KEYWORD_REPLY_KINDS,
  keywordReply,
  keywordReplyProblems,
  type KeywordReplyKind,
  type Program,
} from "./keyword-replies";

const program: Program = {
  brandName: "Acme",
  supportContact: "help@acme.com",
  frequency: "Up to 4 msgs/month",
  termsUrl: "https://acme.com/sms-terms",
};

// What compliance.md asks each reply to say, checked on the defaults by literal text.
const MUST_CONTAIN: Record<KeywordReplyKind, (string | RegExp)[]> = {
  opt_out_confirmation: ["Acme", /Reply START to resubscribe/],
  help: ["Acme", "help@acme.com", "Up to 4 msgs/month", "Msg & data rates may apply", /STOP to cancel/],
  opt_in_confirmation: [
    "Acme",
    "Up to 4 msgs/month",
    "Msg & data rates may apply",
    "Reply HELP for help",
    "STOP to cancel",
  ],
  double_opt_in_request: [
    "Acme",
    "Reply Y to confirm",
    "Up to 4 msgs/month",
    "Msg & data rates may apply",
    "Reply HELP for help",
    "STOP to cancel",
    "not a condition of purchase",
  ],
  welcome: ["Acme", "Up to 4 msgs/month", "Msg & data rates may apply", "Reply HELP for help", "STOP to cancel"],
};

describe("default keyword replies", () => {
  test("the opt-out confirmation is exactly the approved text", () => {
    expect(defaultKeywordReply("opt_out_confirmation", program)).toBe(
      "You're unsubscribed from Acme texts. No more messages will be sent. Reply START to resubscribe.",
    );
  });

  test.each(KEYWORD_REPLY_KINDS.map((kind) => [kind]))("%s says what compliance.md requires", (kind) => {
    const text = defaultKeywordReply(kind, program);
    for (const part of MUST_CONTAIN[kind]) {
      if (typeof part === "string") expect(text).toContain(part);
      else expect(text).toMatch(part);
    }
    expect(keywordReplyProblems(kind, text, program)).toEqual([]);
  });

  test.each(KEYWORD_REPLY_KINDS.map((kind) => [kind]))("%s carries no marketing and stays GSM-7", (kind) => {
    const text = defaultKeywordReply(kind, program);
    expect(containsPromotion(text, program)).toBe(false);
    expect(text).not.toMatch(/%|sale|discount|coupon|deal|offer|shop now/i);
    expect(analyzeText(text).encoding).toBe("GSM-7");
  });

  test("the opt-out confirmation and HELP fit one segment", () => {
    expect(analyzeText(defaultKeywordReply("opt_out_confirmation", program)).segments).toBe(1);
    expect(analyzeText(defaultKeywordReply("help", program)).segments).toBe(1);
  });

  test("a frequency already ending in a full stop is not doubled", () => {
    expect(defaultKeywordReply("help", { ...program, frequency: "Msg frequency varies." })).toContain("varies. Msg &");
  });

  test("a program without support contact is refused", () => {
    expect(() => defaultKeywordReply("help", { ...program, supportContact: " " })).toThrow(/support contact/);
  });
});

describe("shop overrides", () => {
  test.each<[KeywordReplyKind, string, string[]]>([
    [
      "help",
      "{brand_name} support: {support_contact}. {frequency}. Msg&data rates may apply. Text STOP to quit.",
      ["missing_rates_notice"],
    ],
    [
      "help",
      "{brand_name} support: {support_contact}. {frequency}. Msg & data rates may apply. Text STOP to quit.",
      [],
    ],
    [
      "help",
      "Call us!",
      [
        "missing_brand",
        "missing_support_contact",
        "missing_frequency",
        "missing_rates_notice",
        "missing_opt_out_instructions",
      ],
    ],
    [
      "opt_out_confirmation",
      "Bye from {brand_name}! Reply START anytime. Use code BACK10 for 10% off",
      ["contains_promotion"],
    ],
    [
      "opt_out_confirmation",
      "Bye from {brand_name}! See https://bit.ly/x",
      ["missing_resubscribe_instructions", "contains_promotion"],
    ],
    ["opt_out_confirmation", "{brand_name}: unsubscribed. Text UNSTOP to rejoin.", []],
    [
      "double_opt_in_request",
      "{brand_name}: confirm? {frequency}. Msg & data rates may apply. HELP for help, STOP to end.",
      ["missing_confirm_instructions"],
    ],
    [
      "welcome",
      "Welcome to {brand_nam}!",
      [
        "unknown_placeholder",
        "missing_brand",
        "missing_frequency",
        "missing_rates_notice",
        "missing_help_instructions",
        "missing_opt_out_instructions",
      ],
    ],
  ])("%s: %j → %o", (kind, override, problems) => {
    const result = keywordReply(kind, program, override);
    expect(result.problems).toEqual(problems);
    expect(result.usedDefault).toBe(problems.length > 0);
    expect(result.text).toBe(problems.length > 0 ? defaultKeywordReply(kind, program) : result.text);
  });

  test("a compliant override is used with its placeholders filled", () => {
    expect(keywordReply("opt_out_confirmation", program, "{brand_name}: unsubscribed. Text UNSTOP to rejoin.")).toEqual(
      {
        text: "Acme: unsubscribed. Text UNSTOP to rejoin.",
        usedDefault: false,
        problems: [],
      },
    );
  });

  test("the terms link is not promotion, other links are", () => {
    expect(containsPromotion("Terms: https://acme.com/sms-terms.", program)).toBe(false);
    expect(containsPromotion("See https://acme.com/new", program)).toBe(true);
  });

  test("no override → the default", () => {
    expect(keywordReply("help", program, "  ")).toEqual({
      text: defaultKeywordReply("help", program),
      usedDefault: true,
      problems: [],
    });
  });
});
