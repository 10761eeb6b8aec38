import { describe, expect, test } from "vitest";
import { foldFlowStats, parseStatsRange, rate, statsWindow, type FlowStatsRow } from "./stats";

describe("parseStatsRange", () => {
  test.each<[string | null, number]>([
    ["7", 7],
    ["90", 90],
    ["30", 30],
    ["14", 30],
    ["abc", 30],
    [null, 30],
  ])("%j → %i", (raw, range) => expect(parseStatsRange(raw)).toBe(range));
});

describe("statsWindow", () => {
  test("the last N days in the shop's zone, today included, from local midnight", () => {
    // 02:00 UTC on Dec 2 is still Dec 1 in New York.
    const window = statsWindow(7, new Date("2026-12-02T02:00:00Z"), "America/New_York");
    expect(window.days).toEqual([
      "2026-11-25",
      "2026-11-26",
      "2026-11-27",
      "2026-11-28",
      "2026-11-29",
      "2026-11-30",
      "2026-12-01",
    ]);
    expect(window.since.toISOString()).toBe("2026-11-25T05:00:00.000Z");
  });

  test("across a DST change the first day still starts at local midnight", () => {
    const window = statsWindow(30, new Date("2026-11-10T12:00:00Z"), "America/New_York");
    expect(window.days).toHaveLength(30);
    expect(window.days[0]).toBe("2026-10-12");
    expect(window.since.toISOString()).toBe("2026-10-12T04:00:00.000Z"); // EDT then
  });
});

describe("foldFlowStats", () => {
  const row = (over: Partial<FlowStatsRow>): FlowStatsRow => ({
    kind: "ABANDONED_CART",
    day: "2026-12-01",
    currencyCode: null,
    started: 0,
    replied: 0,
    handedOver: 0,
    converted: 0,
    codesOffered: 0,
    codesUsed: 0,
    revenueCents: 0,
    ...over,
  });

  test("totals add up across days and currencies; revenue is kept per currency; empty days are zero", () => {
    const stats = foldFlowStats(
      [
        row({ started: 3, replied: 2, handedOver: 1 }),
        row({
          currencyCode: "USD",
          started: 2,
          replied: 2,
          converted: 2,
          codesOffered: 2,
          codesUsed: 1,
          revenueCents: 12_000,
        }),
        row({ day: "2026-11-30", currencyCode: "USD", started: 1, converted: 1, revenueCents: 4_500 }),
        row({ day: "2026-11-30", currencyCode: "CAD", started: 1, converted: 1, revenueCents: 3_000 }),
        row({ kind: "SHIPPING_UPDATE", started: 5 }),
        row({ day: "2026-01-01", started: 9 }), // outside the window's days: counted in totals only
      ],
      ["2026-11-29", "2026-11-30", "2026-12-01"],
    );
    expect(stats.ABANDONED_CART.totals).toEqual({
      started: 16,
      replied: 4,
      handedOver: 1,
      converted: 4,
      codesOffered: 2,
      codesUsed: 1,
      revenue: [
        { currencyCode: "USD", cents: 16_500 },
        { currencyCode: "CAD", cents: 3_000 },
      ],
    });
    expect(stats.ABANDONED_CART.daily).toEqual([
      { day: "2026-11-29", started: 0, converted: 0 },
      { day: "2026-11-30", started: 2, converted: 2 },
      { day: "2026-12-01", started: 5, converted: 2 },
    ]);
    expect(stats.SHIPPING_UPDATE.totals.started).toBe(5);
    expect(stats.FEEDBACK.totals).toMatchObject({ started: 0, revenue: [] });
    expect(stats.FEEDBACK.daily).toHaveLength(3);
  });

  test.each<[number, number, string | null]>([
    [1, 4, "25%"],
    [2, 3, "67%"],
    [0, 0, null],
  ])("rate(%i, %i) = %j", (part, whole, expected) => expect(rate(part, whole)).toBe(expected));
});
