import { describe, expect, test } from "vitest";
import { addDays, localDateOf, wallClock, zonedInstant } from "./zoned-time";

const iso = (ms: number) => new Date(ms).toISOString();

describe("zonedInstant: the first instant a wall clock reads a given time", () => {
  test.each([
    [
      "an ordinary winter morning",
      "America/New_York",
      { year: 2025, month: 1, day: 15 },
      8 * 60,
      "2025-01-15T13:00:00.000Z",
    ],
    [
      "an ordinary summer morning",
      "America/New_York",
      { year: 2025, month: 7, day: 15 },
      8 * 60,
      "2025-07-15T12:00:00.000Z",
    ],
    // 02:30 never happens on 2025-03-09 in New York: the clock jumps 02:00 EST → 03:00 EDT at 07:00Z.
    [
      "inside the spring-forward gap",
      "America/New_York",
      { year: 2025, month: 3, day: 9 },
      2 * 60 + 30,
      "2025-03-09T07:00:00.000Z",
    ],
    // 01:30 happens twice on 2025-11-02 (EDT, then EST): the first one.
    [
      "inside the fall-back overlap",
      "America/New_York",
      { year: 2025, month: 11, day: 2 },
      90,
      "2025-11-02T05:30:00.000Z",
    ],
    ["a half-hour zone", "Asia/Kolkata", { year: 2025, month: 1, day: 15 }, 8 * 60, "2025-01-15T02:30:00.000Z"],
    [
      "a zone ahead of UTC by more than 12 h",
      "Pacific/Kiritimati",
      { year: 2025, month: 1, day: 15 },
      8 * 60,
      "2025-01-14T18:00:00.000Z",
    ],
    ["midnight of the next day", "Europe/London", { year: 2025, month: 3, day: 31 }, 0, "2025-03-30T23:00:00.000Z"],
  ])("%s", (_name, zone, date, minute, expected) => {
    expect(iso(zonedInstant(zone, date, minute))).toBe(expected);
  });
});

describe("calendar helpers", () => {
  test("addDays crosses months and leap days", () => {
    expect(addDays({ year: 2024, month: 2, day: 28 }, 1)).toEqual({ year: 2024, month: 2, day: 29 });
    expect(addDays({ year: 2025, month: 12, day: 31 }, 1)).toEqual({ year: 2026, month: 1, day: 1 });
    expect(addDays({ year: 2025, month: 3, day: 1 }, -1)).toEqual({ year: 2025, month: 2, day: 28 });
  });

  test("the local date differs from the UTC date across the date line", () => {
    const instant = Date.parse("2025-01-15T20:00:00Z");
    expect(localDateOf("Pacific/Guam", instant)).toEqual({ year: 2025, month: 1, day: 16 });
    expect(localDateOf("Pacific/Pago_Pago", instant)).toEqual({ year: 2025, month: 1, day: 15 });
    expect(wallClock("Pacific/Guam", instant)).toMatchObject({ hour: 6, minute: 0 });
  });
});
