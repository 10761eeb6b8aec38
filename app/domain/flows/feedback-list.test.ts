import { describe, expect, test } from "vitest";
import { encodeKeyset } from "~/domain/keyset-cursor";
import { excerptOf, parseFeedbackParams, topicLabel } from "./feedback-list";

const params = (query: string) => parseFeedbackParams(new URLSearchParams(query));

describe("parseFeedbackParams", () => {
  const at = new Date("2026-12-01T15:00:00Z");
  test.each([
    ["", { sentiment: null, cursor: null }],
    ["sentiment=NEGATIVE", { sentiment: "NEGATIVE", cursor: null }],
    ["sentiment=positive", { sentiment: "POSITIVE", cursor: null }],
    ["sentiment=angry", { sentiment: null, cursor: null }],
    ["cursor=%%%garbage", { sentiment: null, cursor: null }],
    [`cursor=${encodeKeyset({ at, id: "fb_1" })}`, { sentiment: null, cursor: { at, id: "fb_1" } }],
  ])("%j → %j", (query, expected) => expect(params(query)).toEqual(expected));
});

describe("topicLabel / excerptOf", () => {
  test("known topics get their label, unknown ones their own words", () => {
    expect(topicLabel("delivery_damage")).toBe("Damaged in delivery");
    expect(topicLabel("gift_wrap")).toBe("gift wrap");
  });

  test.each([
    ["Love it!", "Love it!"],
    ["  spaced \n out  ", "spaced out"],
    [
      "The sleeves are way too long and it shrank in the wash, honestly not what I expected from the photos at all",
      "The sleeves are way too long and it shrank in the wash, honestly not what I expected…",
    ],
  ])("%j → %j", (body, excerpt) => expect(excerptOf(body)).toBe(excerpt));
});
