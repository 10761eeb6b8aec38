import { addDays, localDateOf, zonedInstant, type LocalDate } from "~/domain/zoned-time";
import { FLOW_KINDS, type FlowKind } from "./machine";

// The Flows page's numbers: the runs that started in the chosen range (a cohort, so "converted" is of those
// started), per flow and per day in the shop's zone. The service reads grouped rows in one statement; this folds
// them into totals and a daily series with the empty days filled in.

export const STATS_RANGES = [7, 30, 90] as const;
export type StatsRange = (typeof STATS_RANGES)[number];
export const DEFAULT_STATS_RANGE: StatsRange = 30;

export function parseStatsRange(raw: string | null | undefined): StatsRange {
  const n = Number(raw);
  return (STATS_RANGES as readonly number[]).includes(n) ? (n as StatsRange) : DEFAULT_STATS_RANGE;
}

const isoDay = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;

/** The last `range` calendar days in the shop's zone, today included, and the instant the first one began. */
export function statsWindow(range: StatsRange, now: Date, timeZone: string): { since: Date; days: string[] } {
  const today = localDateOf(timeZone, now.getTime());
  const first = addDays(today, -(range - 1));
  const days = Array.from({ length: range }, (_, i) => isoDay(addDays(first, i)));
  return { since: new Date(zonedInstant(timeZone, first, 0)), days };
}

export type Money = { currencyCode: string; cents: number };

export type FlowNumbers = {
  started: number;
  replied: number;
  handedOver: number;
  converted: number;
  codesOffered: number;
  codesUsed: number;
  /** Per currency (a shop's orders are normally all in its own), largest first. */
  revenue: Money[];
};

export type DailyRuns = { day: string; started: number; converted: number };
export type FlowStats = { totals: FlowNumbers; daily: DailyRuns[] };

/** One grouped row of the statement: a flow, a day, a currency (null for runs without an order). */
export type FlowStatsRow = Omit<FlowNumbers, "revenue"> & {
  kind: FlowKind;
  day: string;
  currencyCode: string | null;
  revenueCents: number;
};

const COUNTS = ["started", "replied", "handedOver", "converted", "codesOffered", "codesUsed"] as const;

export function emptyNumbers(): FlowNumbers {
  return { started: 0, replied: 0, handedOver: 0, converted: 0, codesOffered: 0, codesUsed: 0, revenue: [] };
}

export function foldFlowStats(rows: readonly FlowStatsRow[], days: readonly string[]): Record<FlowKind, FlowStats> {
  const result = {} as Record<FlowKind, FlowStats>;
  const byDay = {} as Record<FlowKind, Map<string, DailyRuns>>;
  for (const kind of FLOW_KINDS) {
    byDay[kind] = new Map(days.map((day) => [day, { day, started: 0, converted: 0 }]));
    result[kind] = { totals: emptyNumbers(), daily: [] };
  }
  for (const row of rows) {
    const totals = result[row.kind]?.totals;
    if (!totals) continue;
    for (const key of COUNTS) totals[key] += Number(row[key]);
    const cents = Number(row.revenueCents);
    if (cents > 0 && row.currencyCode) {
      const money = totals.revenue.find((m) => m.currencyCode === row.currencyCode);
      if (money) money.cents += cents;
      else totals.revenue.push({ currencyCode: row.currencyCode, cents });
    }
    const day = byDay[row.kind].get(row.day);
    if (day) {
      day.started += Number(row.started);
      day.converted += Number(row.converted);
    }
  }
  for (const kind of FLOW_KINDS) {
    result[kind].totals.revenue.sort((a, b) => b.cents - a.cents);
    result[kind].daily = [...byDay[kind].values()];
  }
  return result;
}

/** "12%" of `part` in `whole`, or null when there is nothing to divide. */
export function rate(part: number, whole: number): string | null {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : null;
}
