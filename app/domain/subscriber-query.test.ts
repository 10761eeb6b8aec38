import { describe, expect, test } from "vitest";
import { decodeSubscriberCursor, encodeSubscriberCursor, parseSubscriberParams, statusBadge } from "./subscriber-query";

describe("cursor", () => {
  test("round-trips the keyset position", () => {
    const cursor = { createdAt: new Date("2026-03-04T05:06:07.089Z"), id: "cm8abc123" };
    expect(decodeSubscriberCursor(encodeSubscriberCursor(cursor))).toEqual(cursor);
  });

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  test.each([
    ["empty", ""],
    ["not base64url", "abc+/="],
    ["not JSON", Buffer.from("hello").toString("base64url")],
    ["no id", b64({ t: "2026-03-04T05:06:07.089Z" })],
    ["a date that is not ISO", b64({ t: "yesterday", id: "x" })],
  ])("%s → null", (_name, raw) => expect(decodeSubscriberCursor(raw)).toBeNull());
});

describe("parseSubscriberParams", () => {
  const parse = (query: string) => parseSubscriberParams(new URLSearchParams(query));

  test("defaults", () => expect(parse("")).toEqual({ tab: "all", source: null, q: "", cursor: null }));

  test.each([
    ["tab=subscribed", { tab: "subscribed" }],
    ["tab=nonsense", { tab: "all" }],
    ["source=IMPORT", { source: "IMPORT" }],
    ["source=import", { source: null }],
    ["source=", { source: null }],
    ["q=%20%20jane%20%20doe%20", { q: "jane doe" }],
    ["cursor=garbage!", { cursor: null }],
  ])("%s", (query, expected) => expect(parse(query)).toMatchObject(expected));

  test("a search is cut to the inbox's maximum", () => expect(parse(`q=${"x".repeat(500)}`).q).toHaveLength(100));
});

test.each([
  ["SUBSCRIBED", "Subscribed", "success"],
  ["PENDING", "Pending confirmation", "attention"],
  ["UNSUBSCRIBED", "Unsubscribed", "critical"],
  ["NOT_SUBSCRIBED", "Not subscribed", undefined],
] as const)("statusBadge(%s)", (status, label, tone) =>
  expect(statusBadge(status)).toEqual({ label, ...(tone ? { tone } : {}) }),
);
