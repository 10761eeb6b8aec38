import { describe, expect, test } from "vitest";
import type { ConsentStates } from "./consent";
import {
  consentBadge,
  containsPattern,
  decodeCursor,
  encodeCursor,
  lastActivityLabel,
  parseInboxParams,
  searchTerms,
} from "./inbox-query";

describe("cursor", () => {
  test("round-trips the keyset position", () => {
    const cursor = { lastMessageAt: new Date("2026-03-04T05:06:07.089Z"), id: "cm8abc123" };
    const raw = encodeCursor(cursor);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(raw)).toEqual(cursor);
  });

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  test.each([
    ["empty", ""],
    ["not base64url", "abc+/="],
    ["not JSON", Buffer.from("hello").toString("base64url")],
    ["JSON without the fields", b64({ a: 1 })],
    ["a date that is not ISO", b64({ t: "yesterday", id: "x" })],
    ["an empty id", b64({ t: "2026-03-04T05:06:07.089Z", id: "" })],
    ["an id too long", b64({ t: "2026-03-04T05:06:07.089Z", id: "x".repeat(65) })],
    ["a number", b64(42)],
    ["very long", "A".repeat(401)],
  ])("rejects %s", (_what, raw) => {
    expect(decodeCursor(raw)).toBeNull();
  });
});

describe("parseInboxParams", () => {
  const parse = (query: string) => parseInboxParams(new URLSearchParams(query));
  test.each([
    ["", "open", ""],
    ["view=mine", "mine", ""],
    ["view=unassigned", "unassigned", ""],
    ["view=pending", "pending", ""],
    ["view=closed", "closed", ""],
    ["view=all", "all", ""],
    ["view=everything", "open", ""],
    ["view=MINE", "open", ""],
    ["q=%20%20jane%20%20doe%20", "open", "jane doe"],
    [`q=${"x".repeat(300)}`, "open", "x".repeat(100)],
  ])("%j → view %s, q %j", (query, view, q) => {
    expect(parse(query)).toMatchObject({ view, q, cursor: null });
  });

  test("a valid cursor is decoded, a garbage one is the first page", () => {
    const raw = encodeCursor({ lastMessageAt: new Date("2026-01-01T00:00:00.000Z"), id: "c1" });
    expect(parse(`cursor=${raw}`).cursor).toEqual({ lastMessageAt: new Date("2026-01-01T00:00:00.000Z"), id: "c1" });
    expect(parse("cursor=garbage!").cursor).toBeNull();
  });
});

describe("searchTerms", () => {
  test.each([
    ["(555) 010-1234", "5550101234"],
    ["+1 555 010 1234", "15550101234"],
    ["5550101234", "5550101234"],
    ["010-12", "01012"],
    ["555.010.1234", "5550101234"],
    ["  +44 7911 123456 ", "447911123456"],
    ["123", "123"],
  ])("%j is a phone number → digits %s", (q, digits) => {
    expect(searchTerms(q)).toEqual({ kind: "phone", digits });
  });

  test.each([
    ["Jane", ["jane"], "Jane"],
    ["  jane   DOE ", ["jane", "doe"], "jane DOE"],
    ["jane@example.com", ["jane@example.com"], "jane@example.com"],
    ["order #1001", ["order", "#1001"], "order #1001"],
    ["size 10", ["size", "10"], "size 10"],
    ["blue blue", ["blue"], "blue blue"],
  ])("%j is text → words %j, phrase %j", (q, words, phrase) => {
    expect(searchTerms(q)).toEqual({ kind: "text", words, phrase });
  });

  test.each(["", "   ", "jo", "12", "(1)", "+-"])("%j is too short to search", (q) => {
    expect(searchTerms(q)).toEqual({ kind: "none" });
  });
});

describe("containsPattern", () => {
  test.each([
    ["blue", "%blue%"],
    ["100%", "%100\\%%"],
    ["a_b", "%a\\_b%"],
    ["c:\\x", "%c:\\\\x%"],
  ])("%j → %j", (term, pattern) => {
    expect(containsPattern(term)).toBe(pattern);
  });
});

describe("consentBadge", () => {
  test.each<[ConsentStates["marketing"], ConsentStates["transactional"], string]>([
    ["SUBSCRIBED", "SUBSCRIBED", "subscribed"],
    ["SUBSCRIBED", "NOT_SUBSCRIBED", "subscribed"],
    ["NOT_SUBSCRIBED", "SUBSCRIBED", "transactional"],
    ["NOT_SUBSCRIBED", "NOT_SUBSCRIBED", "transactional"],
    ["PENDING", "SUBSCRIBED", "transactional"],
    ["UNSUBSCRIBED", "SUBSCRIBED", "transactional"], // marketing withdrawn in Shopify: replies still allowed
    ["UNSUBSCRIBED", "UNSUBSCRIBED", "opted_out"], // STOP
    ["SUBSCRIBED", "UNSUBSCRIBED", "opted_out"], // no reply may go out, whatever marketing says
  ])("marketing %s, transactional %s → %s", (marketing, transactional, badge) => {
    expect(consentBadge({ marketing, transactional })).toBe(badge);
  });
});

describe("lastActivityLabel", () => {
  const now = new Date("2026-03-12T15:00:00Z"); // Thursday, 11:00 in New York (EDT)
  const ny = "America/New_York";
  test.each([
    ["2026-03-12T14:59:30Z", ny, "Just now"],
    ["2026-03-12T14:55:00Z", ny, "5m ago"],
    ["2026-03-12T12:00:00Z", ny, "3h ago"],
    ["2026-03-12T03:30:00Z", ny, "Yesterday"], // the 12th in UTC, but 23:30 on the 11th in New York
    ["2026-03-12T03:30:00Z", "UTC", "11h ago"],
    ["2026-03-10T15:00:00Z", ny, "Tuesday"],
    ["2026-03-01T15:00:00Z", ny, "Mar 1"],
    ["2025-12-24T15:00:00Z", ny, "Dec 24, 2025"],
  ])("%s in %s → %s", (at, zone, label) => {
    expect(lastActivityLabel(new Date(at), now, zone)).toBe(label);
  });
});
