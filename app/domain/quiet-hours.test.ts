import { describe, expect, test } from "vitest";
import { minuteOfDay } from "./zoned-time";
import { quietHoursDecision, sendingRanges, type QuietHoursCandidate, type QuietHoursPolicy } from "./quiet-hours";

const NY: QuietHoursCandidate = { timeZone: "America/New_York", region: "US-NY" };
const FL: QuietHoursCandidate = { timeZone: "America/New_York", region: "US-FL" };
const CT: QuietHoursCandidate = { timeZone: "America/New_York", region: "US-CT" };
const MD: QuietHoursCandidate = { timeZone: "America/New_York", region: "US-MD" };
const OK: QuietHoursCandidate = { timeZone: "America/Chicago", region: "US-OK" };
const TX: QuietHoursCandidate = { timeZone: "America/Chicago", region: "US-TX" };
const WA: QuietHoursCandidate = { timeZone: "America/Los_Angeles", region: "US-WA" };
const LA: QuietHoursCandidate = { timeZone: "America/Los_Angeles", region: "US-CA" };
const HI: QuietHoursCandidate = { timeZone: "Pacific/Honolulu", region: "US-HI" };
const AZ: QuietHoursCandidate = { timeZone: "America/Phoenix", region: "US-AZ" };
const GUAM: QuietHoursCandidate = { timeZone: "Pacific/Guam", region: "GU" };
const LONDON: QuietHoursCandidate = { timeZone: "Europe/London", region: "GB" };
const CHICAGO_STATE_UNKNOWN: QuietHoursCandidate = { timeZone: "America/Chicago", region: "US" };
const CHICAGO_NOTHING_KNOWN: QuietHoursCandidate = { timeZone: "America/Chicago" };

function decide(now: string, candidates: QuietHoursCandidate[], policy?: QuietHoursPolicy) {
  const decision = quietHoursDecision({ now: new Date(now), candidates, policy });
  return decision.allowed ? "allowed" : (decision.releaseAt?.toISOString() ?? decision.reason);
}

describe("quietHoursDecision: one zone, federal and state windows", () => {
  test.each<[string, QuietHoursCandidate, string, string]>([
    ["New York noon", NY, "2025-01-15T17:00:00Z", "allowed"],
    ["New York 07:59", NY, "2025-01-15T12:59:00Z", "2025-01-15T13:00:00.000Z"],
    ["New York 08:00 sharp", NY, "2025-01-15T13:00:00Z", "allowed"],
    ["New York 20:59", NY, "2025-01-16T01:59:00Z", "allowed"],
    ["New York 21:00 sharp → next morning", NY, "2025-01-16T02:00:00Z", "2025-01-16T13:00:00.000Z"],
    ["New York 03:00 → this morning", NY, "2025-01-15T08:00:00Z", "2025-01-15T13:00:00.000Z"],
    ["Florida 19:59", FL, "2025-01-16T00:59:00Z", "allowed"],
    ["Florida 20:30 (New York would allow)", FL, "2025-01-16T01:30:00Z", "2025-01-16T13:00:00.000Z"],
    ["Connecticut 20:00", CT, "2025-01-16T01:00:00Z", "2025-01-16T13:00:00.000Z"],
    ["Maryland 20:15", MD, "2025-01-16T01:15:00Z", "2025-01-16T13:00:00.000Z"],
    ["Oklahoma 20:30 CST", OK, "2025-01-16T02:30:00Z", "2025-01-16T14:00:00.000Z"],
    ["Texas 20:30 CST", TX, "2025-01-16T02:30:00Z", "allowed"],
    ["Washington 19:30 PST", WA, "2025-01-16T03:30:00Z", "allowed"],
    ["Washington 20:00 PST", WA, "2025-01-16T04:00:00Z", "2025-01-16T16:00:00.000Z"],
    ["California 20:30 PST", LA, "2025-01-16T04:30:00Z", "allowed"],
    ["Los Angeles 07:00 PST", LA, "2025-01-15T15:00:00Z", "2025-01-15T16:00:00.000Z"],
    ["Honolulu 07:59 HST", HI, "2025-07-01T17:59:00Z", "2025-07-01T18:00:00.000Z"],
    ["Honolulu 20:30 HST", HI, "2025-07-02T06:30:00Z", "allowed"],
    ["Phoenix 07:30 MST in July (no DST)", AZ, "2025-07-01T14:30:00Z", "2025-07-01T15:00:00.000Z"],
    ["Phoenix 07:30 MST in January", AZ, "2025-01-15T14:30:00Z", "2025-01-15T15:00:00.000Z"],
    ["London 20:30 (federal window applies abroad)", LONDON, "2025-01-15T20:30:00Z", "allowed"],
    [
      "US state unknown 20:30 CST → strictest 20:00",
      CHICAGO_STATE_UNKNOWN,
      "2025-01-16T02:30:00Z",
      "2025-01-16T14:00:00.000Z",
    ],
    [
      "nothing known 20:30 CST → strictest 20:00",
      CHICAGO_NOTHING_KNOWN,
      "2025-01-16T02:30:00Z",
      "2025-01-16T14:00:00.000Z",
    ],
  ])("%s", (_name, candidate, now, expected) => {
    expect(decide(now, [candidate])).toBe(expected);
  });
});

describe("quietHoursDecision: DST changes", () => {
  test.each<[string, QuietHoursCandidate, string, string]>([
    // 2025-03-09: 02:00 EST → 03:00 EDT at 07:00Z. 08:00 that day is 12:00Z, not 13:00Z.
    ["spring forward, 01:30 EST before the jump", NY, "2025-03-09T06:30:00Z", "2025-03-09T12:00:00.000Z"],
    ["spring forward, 03:30 EDT after the jump", NY, "2025-03-09T07:30:00Z", "2025-03-09T12:00:00.000Z"],
    ["the day before spring forward, 07:30 EST", NY, "2025-03-08T12:30:00Z", "2025-03-08T13:00:00.000Z"],
    ["spring-forward evening, 20:59 EDT", NY, "2025-03-10T00:59:00Z", "allowed"],
    ["spring-forward evening, 21:00 EDT → next day 08:00 EDT", NY, "2025-03-10T01:00:00Z", "2025-03-10T12:00:00.000Z"],
    ["Saturday 21:30 EST → Sunday 08:00 EDT", NY, "2025-03-09T02:30:00Z", "2025-03-09T12:00:00.000Z"],
    // 2025-11-02: 02:00 EDT → 01:00 EST at 06:00Z; 01:30 happens twice.
    ["fall back, first 01:30 (EDT)", NY, "2025-11-02T05:30:00Z", "2025-11-02T13:00:00.000Z"],
    ["fall back, second 01:30 (EST)", NY, "2025-11-02T06:30:00Z", "2025-11-02T13:00:00.000Z"],
    ["the day before fall back, 08:30 EDT", NY, "2025-11-01T12:30:00Z", "allowed"],
    ["fall-back day, 07:30 EST", NY, "2025-11-02T12:30:00Z", "2025-11-02T13:00:00.000Z"],
    ["Saturday 21:30 EDT → Sunday 08:00 EST", NY, "2025-11-02T01:30:00Z", "2025-11-02T13:00:00.000Z"],
    ["fall back in Los Angeles, 07:30 PST", LA, "2025-11-02T15:30:00Z", "2025-11-02T16:00:00.000Z"],
    ["Phoenix ignores the US change", AZ, "2025-03-09T14:59:00Z", "2025-03-09T15:00:00.000Z"],
    // Europe changes on another Sunday (2025-03-30, 01:00Z).
    ["London spring forward, 07:30 BST", LONDON, "2025-03-30T06:30:00Z", "2025-03-30T07:00:00.000Z"],
  ])("%s", (_name, candidate, now, expected) => {
    expect(decide(now, [candidate])).toBe(expected);
  });
});

describe("quietHoursDecision: several candidates, the strictest wins", () => {
  test.each<[string, QuietHoursCandidate[], string, string]>([
    [
      "New York 09:00, Los Angeles 06:00 → wait for Los Angeles",
      [NY, LA],
      "2025-01-15T14:00:00Z",
      "2025-01-15T16:00:00.000Z",
    ],
    ["both inside", [NY, LA], "2025-01-15T18:00:00Z", "allowed"],
    [
      "New York 21:30, Los Angeles 18:30 → no common time until tomorrow",
      [NY, LA],
      "2025-01-16T02:30:00Z",
      "2025-01-16T16:00:00.000Z",
    ],
    ["Florida 20:30 with California 17:30", [FL, LA], "2025-01-16T01:30:00Z", "2025-01-16T16:00:00.000Z"],
    ["same zone, Florida's window beats New York's", [NY, FL], "2025-01-16T01:30:00Z", "2025-01-16T13:00:00.000Z"],
    [
      "Guam 18:00 and Honolulu 22:00 → Guam's next morning",
      [GUAM, HI],
      "2025-01-15T08:00:00Z",
      "2025-01-15T22:00:00.000Z",
    ],
    ["no candidates → every US zone, 08–20", [], "2025-01-15T14:00:00Z", "2025-01-15T18:00:00.000Z"],
    ["no candidates, inside every US zone", [], "2025-01-15T19:00:00Z", "allowed"],
  ])("%s", (_name, candidates, now, expected) => {
    expect(decide(now, candidates)).toBe(expected);
  });

  test("names the candidates that are outside their window", () => {
    const decision = quietHoursDecision({ now: new Date("2025-01-15T14:00:00Z"), candidates: [NY, LA] });
    expect(decision).toMatchObject({
      allowed: false,
      reason: "quiet_hours",
      outside: [{ timeZone: "America/Los_Angeles", region: "US-CA", localTime: "06:00", window: "08:00–21:00" }],
    });
  });

  test("the release time found is inside every candidate's window", () => {
    const candidates = [NY, FL, OK, WA, AZ, HI, GUAM, { timeZone: "America/Anchorage" }];
    for (const hour of [0, 3, 6, 9, 12, 15, 18, 21]) {
      const now = new Date(Date.UTC(2025, 2, 9, hour));
      const decision = quietHoursDecision({ now, candidates });
      if (!decision.allowed && decision.releaseAt === null) throw new Error(`no release time at ${hour}:00Z`);
      const sendAt = decision.allowed ? now : decision.releaseAt;
      for (const c of candidates) {
        const local = minuteOfDay(c.timeZone, sendAt.getTime());
        expect(sendingRanges(c.region).some((r) => local >= r.start && local < r.end)).toBe(true);
      }
      if (!decision.allowed) {
        // …and a minute earlier at least one candidate was still outside: it is the earliest such time.
        const before = quietHoursDecision({ now: new Date(decision.releaseAt.getTime() - 60_000), candidates });
        expect(before.allowed).toBe(false);
      }
    }
  });
});

describe("quietHoursDecision: the shop's policy narrows, never widens", () => {
  const shop = (quietHoursStart: string, quietHoursEnd: string): QuietHoursPolicy => ({
    mode: "SHOP_WINDOW",
    quietHoursStart,
    quietHoursEnd,
  });
  test.each<[string, QuietHoursCandidate[], QuietHoursPolicy, string, string]>([
    ["09–17 shop window, 08:30", [NY], shop("17:00", "09:00"), "2025-01-15T13:30:00Z", "2025-01-15T14:00:00.000Z"],
    ["09–17 shop window, 12:00", [NY], shop("17:00", "09:00"), "2025-01-15T17:00:00Z", "allowed"],
    ["09–17 shop window, 17:30", [NY], shop("17:00", "09:00"), "2025-01-15T22:30:00Z", "2025-01-16T14:00:00.000Z"],
    [
      "06–23 shop window cannot open 07:00",
      [NY],
      shop("23:00", "06:00"),
      "2025-01-15T12:00:00Z",
      "2025-01-15T13:00:00.000Z",
    ],
    [
      "06–23 shop window cannot open 21:30",
      [NY],
      shop("23:00", "06:00"),
      "2025-01-16T02:30:00Z",
      "2025-01-16T13:00:00.000Z",
    ],
    [
      "quiet 01–06 (wraps) still obeys 08–21",
      [NY],
      shop("01:00", "06:00"),
      "2025-01-15T12:30:00Z",
      "2025-01-15T13:00:00.000Z",
    ],
    ["equal start and end narrow nothing", [NY], shop("08:00", "08:00"), "2025-01-16T01:30:00Z", "allowed"],
    [
      "strict mode ignores the shop's hours",
      [NY],
      { mode: "STRICT_STATE_RULES", quietHoursStart: "17:00", quietHoursEnd: "09:00" },
      "2025-01-15T13:30:00Z",
      "allowed",
    ],
    // New York 10–18 is 15:00–23:00Z, Guam 10–18 is 00:00–08:00Z: they never meet.
    ["no common window at all", [NY, GUAM], shop("18:00", "10:00"), "2025-01-15T16:00:00Z", "no_common_window"],
  ])("%s", (_name, candidates, policy, now, expected) => {
    expect(decide(now, candidates, policy)).toBe(expected);
  });
});

describe("quietHoursDecision: input is checked", () => {
  test.each([
    [{ timeZone: "Mars/Olympus_Mons" }, /unknown IANA time zone/],
    [{ timeZone: "America/New_York", region: "Florida" }, /ISO 3166/],
  ])("%o is refused", (candidate, message) => {
    expect(() => quietHoursDecision({ now: new Date(), candidates: [candidate] })).toThrow(message);
  });

  test("a malformed policy time is refused", () => {
    const policy = { mode: "SHOP_WINDOW", quietHoursStart: "9pm", quietHoursEnd: "08:00" } as const;
    expect(() => quietHoursDecision({ now: new Date(), candidates: [NY], policy })).toThrow(/HH:MM/);
  });
});
