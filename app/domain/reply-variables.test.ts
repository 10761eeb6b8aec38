import { describe, expect, test } from "vitest";
import { renderReplyVariables, replyProblems, type ReplyVariables } from "./reply-variables";

const all: ReplyVariables = {
  first_name: "Jane",
  last_order_name: "#1042",
  tracking_url: "https://track.example/1Z999",
  checkout_url: "https://acme.example/checkouts/abc/recover",
};

describe("renderReplyVariables", () => {
  test.each<[string, string, ReplyVariables, string, string[], string[]]>([
    [
      "every variable filled",
      "Hi {first_name}, {last_order_name}: {tracking_url}",
      all,
      "Hi Jane, #1042: https://track.example/1Z999",
      [],
      [],
    ],
    ["first_name falls back to “there”", "Hi {first_name}!", {}, "Hi there!", [], []],
    ["a blank first_name falls back too", "Hi {first_name}!", { first_name: "   " }, "Hi there!", [], []],
    ["values are trimmed", "Order {last_order_name}", { last_order_name: " #7 " }, "Order #7", [], []],
    ["case and inner spaces are forgiven", "Hi { First_Name }", all, "Hi Jane", [], []],
    [
      "a missing link is reported and left as written",
      "Track: {tracking_url}",
      { first_name: "Jane" },
      "Track: {tracking_url}",
      ["tracking_url"],
      [],
    ],
    [
      "a missing checkout link is reported",
      "Finish here {checkout_url}",
      {},
      "Finish here {checkout_url}",
      ["checkout_url"],
      [],
    ],
    [
      "a missing order name is reported once",
      "{last_order_name} / {last_order_name}",
      {},
      "{last_order_name} / {last_order_name}",
      ["last_order_name"],
      [],
    ],
    ["a typo is unknown", "Hi {frist_name}", all, "Hi {frist_name}", [], ["frist_name"]],
    [
      "the engine's own variables pass through",
      "{sender_name} at {brand_name}",
      {},
      "{sender_name} at {brand_name}",
      [],
      [],
    ],
    ["braces that are not variables are text", "Sizes {S, M, L}", {}, "Sizes {S, M, L}", [], []],
    ["no variables at all", "Thanks!", {}, "Thanks!", [], []],
  ])("%s", (_name, body, variables, text, missing, unknown) => {
    const rendered = renderReplyVariables(body, variables);
    expect(rendered.text).toBe(text);
    expect(rendered.missing).toEqual(missing);
    expect(rendered.unknown).toEqual(unknown);
  });

  test("used lists each variable once, in order of first use", () => {
    expect(renderReplyVariables("{tracking_url} {first_name} {tracking_url}", all).used).toEqual([
      "tracking_url",
      "first_name",
    ]);
  });

  test.each<[string, string, ReplyVariables, string | null]>([
    ["nothing wrong", "Hi {first_name}", {}, null],
    [
      "a missing value",
      "Track: {tracking_url}",
      {},
      "No value for {tracking_url} for this shopper: fill it in or remove it before sending.",
    ],
    ["an unknown variable", "Hi {frist_name}", {}, "Unknown variable {frist_name}: fix or remove it."],
    [
      "both",
      "{frist_name} {checkout_url}",
      {},
      "No value for {checkout_url}, {frist_name} for this shopper: fill it in or remove it before sending.",
    ],
  ])("replyProblems: %s", (_name, body, variables, problem) => {
    expect(replyProblems(renderReplyVariables(body, variables))).toBe(problem);
  });
});
