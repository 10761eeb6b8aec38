import { describe, expect, test } from "vitest";
import { floridaCapApplies, withinFloridaCap, type RecentSend } from "./florida-cap";

const now = new Date("2025-06-01T18:00:00Z");
const hoursAgo = (h: number, subject = "summer-sale"): RecentSend => ({
  sentAt: new Date(now.getTime() - h * 3_600_000),
  subject,
});

describe("withinFloridaCap: 3 messages on the same subject per rolling 24 h", () => {
  test.each<[string, RecentSend[], ReturnType<typeof withinFloridaCap>]>([
    ["nothing sent", [], { allowed: true, remaining: 3 }],
    ["two sent today", [hoursAgo(5), hoursAgo(1)], { allowed: true, remaining: 1 }],
    [
      "three sent → wait until the oldest is 24 h old",
      [hoursAgo(20), hoursAgo(5), hoursAgo(1)],
      { allowed: false, releaseAt: new Date("2025-06-01T22:00:00Z") },
    ],
    ["one of three is older than 24 h", [hoursAgo(25), hoursAgo(5), hoursAgo(1)], { allowed: true, remaining: 1 }],
    ["exactly 24 h ago no longer counts", [hoursAgo(24), hoursAgo(5), hoursAgo(1)], { allowed: true, remaining: 1 }],
    [
      "other subjects do not count",
      [hoursAgo(3, "restock"), hoursAgo(2, "restock"), hoursAgo(1, "vip")],
      { allowed: true, remaining: 3 },
    ],
    [
      "four already (imported history) → the second oldest decides",
      [hoursAgo(23), hoursAgo(22), hoursAgo(2), hoursAgo(1)],
      { allowed: false, releaseAt: new Date("2025-06-01T20:00:00Z") },
    ],
    ["future-dated rows are ignored", [hoursAgo(-1), hoursAgo(-2), hoursAgo(-3)], { allowed: true, remaining: 3 }],
  ])("%s", (_name, sends, expected) => {
    expect(withinFloridaCap(sends, now, "summer-sale")).toEqual(expected);
  });

  test("at the release time the send is allowed", () => {
    const sends = [hoursAgo(20), hoursAgo(5), hoursAgo(1)];
    const first = withinFloridaCap(sends, now, "summer-sale");
    if (first.allowed) throw new Error("expected the cap to hold");
    expect(withinFloridaCap(sends, first.releaseAt, "summer-sale").allowed).toBe(true);
  });
});

describe("floridaCapApplies: anyone who could be in Florida", () => {
  test.each([
    ["Florida", [{ timeZone: "America/New_York", region: "US-FL" }], true],
    ["New York", [{ timeZone: "America/New_York", region: "US-NY" }], false],
    [
      "New York or Florida",
      [
        { timeZone: "America/New_York", region: "US-NY" },
        { timeZone: "America/New_York", region: "US-FL" },
      ],
      true,
    ],
    ["US, state unknown", [{ timeZone: "America/Chicago", region: "US" }], true],
    ["nothing known", [{ timeZone: "America/Chicago" }], true],
    ["no candidates", [], true],
    ["abroad", [{ timeZone: "Europe/London", region: "GB" }], false],
  ])("%s → %s", (_name, candidates, expected) => {
    expect(floridaCapApplies(candidates)).toBe(expected);
  });
});
