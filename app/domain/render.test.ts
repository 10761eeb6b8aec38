import { describe, expect, test } from "vitest";
import { RenderError, renderOutbound, type RenderInput } from "./render";

const base: RenderInput = {
  body: "Your order {order_number} has shipped.",
  variables: { order_number: "#1042", first_name: "Jane" },
  isFirstInConversation: false,
  purpose: "TRANSACTIONAL",
  brandName: "Acme",
  senderName: "Sam",
  optOutPolicy: { every: 5 },
  messagesSinceOptOutNotice: 0,
};

describe("renderOutbound: variables", () => {
  test.each<[string, string, RenderInput["variables"], string]>([
    ["a value", "Hi {first_name}!", { first_name: "Jane" }, "Hi Jane!"],
    ["missing first name falls back", "Hi {first_name}!", {}, "Hi there!"],
    ["empty first name falls back", "Hi {first_name}!", { first_name: "  " }, "Hi there!"],
    ["null first name falls back", "Hi {first_name}!", { first_name: null }, "Hi there!"],
    ["an empty last name takes its space with it", "Hi {first_name} {last_name}!", { first_name: "Jane" }, "Hi Jane!"],
    ["case and spacing inside braces are forgiven", "Hi { First_Name }!", { first_name: "Jane" }, "Hi Jane!"],
    ["values are trimmed", "Code: {discount_code}", { discount_code: " SAVE10 " }, "Code: SAVE10"],
    ["brand and sender are always known", "{sender_name} at {brand_name}", {}, "Sam at Acme"],
    ["braces that are not variables stay", "Sizes {S, M, L} in stock", {}, "Sizes {S, M, L} in stock"],
  ])("%s", (_name, body, variables, text) => {
    expect(renderOutbound({ ...base, body, variables }).text).toBe(text);
  });

  // A shop without a sender name: the flows' default opener must still read well, not be refused.
  test.each<[string, string, string]>([
    [
      "sender from brand becomes the brand",
      "Hi {first_name}, it's {sender_name} from {brand_name}.",
      "Hi Jane, it's Acme.",
    ],
    ["sender at brand too", "It's {sender_name} at {brand_name}!", "It's Acme!"],
    ["a lone sender name falls back", "Cheers, {sender_name}", "Cheers, the team"],
  ])("no sender name: %s", (_name, body, text) => {
    expect(renderOutbound({ ...base, senderName: "", isFirstInConversation: false, body }).text).toBe(text);
  });

  test.each<[string, string, RenderInput["variables"], string, string[]]>([
    ["a typo is refused, not sent", "Hi {frist_name}!", { first_name: "Jane" }, "unknown_variables", ["frist_name"]],
    ["all unknown variables are listed", "{a} and {b}", {}, "unknown_variables", ["a", "b"]],
    [
      "a known variable without fallback must have a value",
      "Use {discount_code}",
      { discount_code: "" },
      "empty_variables",
      ["discount_code"],
    ],
  ])("%s", (_name, body, variables, code, names) => {
    expect(() => renderOutbound({ ...base, body, variables })).toThrow(RenderError);
    try {
      renderOutbound({ ...base, body, variables });
    } catch (error) {
      expect((error as RenderError).code).toBe(code);
      expect((error as RenderError).variables).toEqual(names);
      expect((error as RenderError).message).toContain(`{${names[0]}}`);
    }
  });

  test("an empty body is refused", () => {
    expect(() => renderOutbound({ ...base, body: "  {last_name} " })).toThrow(/empty/);
  });
});

describe("renderOutbound: identification and opt-out language", () => {
  test.each<[string, Partial<RenderInput>, { text: string; addedIdentification: boolean; addedOptOut: boolean }]>([
    [
      "first message names the sender and brand",
      { isFirstInConversation: true, body: "Your order {order_number} has shipped." },
      {
        text: "Hi, this is Sam from Acme. Your order #1042 has shipped.",
        addedIdentification: true,
        addedOptOut: false,
      },
    ],
    [
      "a greeting is kept and joined",
      { isFirstInConversation: true, body: "Hi {first_name}, your order has shipped." },
      {
        text: "Hi Jane, this is Sam from Acme. Your order has shipped.",
        addedIdentification: true,
        addedOptOut: false,
      },
    ],
    [
      "no sender name: the brand alone",
      { isFirstInConversation: true, senderName: "", body: "Your order has shipped." },
      { text: "Hi, this is Acme. Your order has shipped.", addedIdentification: true, addedOptOut: false },
    ],
    [
      "a body that names the brand is left alone",
      { isFirstInConversation: true, body: "ACME: your order has shipped." },
      { text: "ACME: your order has shipped.", addedIdentification: false, addedOptOut: false },
    ],
    [
      "later messages are not introduced",
      { isFirstInConversation: false, body: "On its way!" },
      { text: "On its way!", addedIdentification: false, addedOptOut: false },
    ],
    [
      "first marketing message: identification and opt-out",
      { isFirstInConversation: true, purpose: "MARKETING", body: "New colours are in." },
      {
        text: "Hi, this is Sam from Acme. New colours are in.\nReply STOP to opt out",
        addedIdentification: true,
        addedOptOut: true,
      },
    ],
    [
      "marketing to someone never told how to opt out",
      { purpose: "MARKETING", messagesSinceOptOutNotice: null, body: "New colours are in." },
      { text: "New colours are in.\nReply STOP to opt out", addedIdentification: false, addedOptOut: true },
    ],
    [
      "marketing, every 5th: 3 since the last notice → not yet",
      { purpose: "MARKETING", messagesSinceOptOutNotice: 3, body: "New colours are in." },
      { text: "New colours are in.", addedIdentification: false, addedOptOut: false },
    ],
    [
      "marketing, every 5th: 4 since the last notice → now",
      { purpose: "MARKETING", messagesSinceOptOutNotice: 4, body: "New colours are in." },
      { text: "New colours are in.\nReply STOP to opt out", addedIdentification: false, addedOptOut: true },
    ],
    [
      "policy every message",
      { purpose: "MARKETING", optOutPolicy: { every: 1 }, messagesSinceOptOutNotice: 0, body: "New colours are in." },
      { text: "New colours are in.\nReply STOP to opt out", addedIdentification: false, addedOptOut: true },
    ],
    [
      "a body that already says how to stop is not doubled",
      { purpose: "MARKETING", messagesSinceOptOutNotice: null, body: "New colours are in. Txt STOP to unsubscribe" },
      { text: "New colours are in. Txt STOP to unsubscribe", addedIdentification: false, addedOptOut: false },
    ],
    [
      "transactional messages carry no opt-out line",
      { purpose: "TRANSACTIONAL", messagesSinceOptOutNotice: null, body: "Shipped!" },
      { text: "Shipped!", addedIdentification: false, addedOptOut: false },
    ],
    [
      "the opt-out confirmation gets nothing added, even as a first message",
      {
        purpose: "SYSTEM",
        isFirstInConversation: true,
        messagesSinceOptOutNotice: null,
        body: "You're unsubscribed from Acme texts. No more messages will be sent. Reply START to resubscribe.",
      },
      {
        text: "You're unsubscribed from Acme texts. No more messages will be sent. Reply START to resubscribe.",
        addedIdentification: false,
        addedOptOut: false,
      },
    ],
  ])("%s", (_name, overrides, expected) => {
    expect(renderOutbound({ ...base, ...overrides })).toEqual(expected);
  });

  test("a first message without a brand name is refused", () => {
    expect(() => renderOutbound({ ...base, isFirstInConversation: true, brandName: " " })).toThrow(/brand name/);
  });
});
