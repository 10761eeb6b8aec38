import { z } from "zod";
import { addDays, isValidTimeZone, localDateOf, minuteOfDay, zonedInstant } from "./zoned-time";

// compliance.md §7: marketing only between 08:00 and 21:00 in the recipient's local time, 08:00–20:00 in the
// states below. Windows are half-open [start, end): a text handed over at 21:00:00 lands after 21:00.
const FEDERAL_WINDOW: MinuteRange = { start: 8 * 60, end: 21 * 60 };
const STRICT_STATE_WINDOW: MinuteRange = { start: 8 * 60, end: 20 * 60 };
export const STRICT_WINDOW_REGIONS: ReadonlySet<string> = new Set(["US-FL", "US-CT", "US-MD", "US-OK", "US-WA"]);

// With no candidate at all we know nothing about the recipient; allowing would be the loosest reading, so
// the answer is the strictest window over every US zone.
const UNKNOWN_RECIPIENT: QuietHoursCandidate[] = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
].map((timeZone) => ({ timeZone, region: "US" }));

// Windows repeat daily; nine local days cover a week of shop windows plus any DST change.
const HORIZON_DAYS = 9;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24 h)");

/** Mirrors ShopSettings: quietHoursStart is when the shop stops sending, quietHoursEnd when it resumes. */
export const QuietHoursPolicySchema = z.object({
  mode: z.enum(["STRICT_STATE_RULES", "SHOP_WINDOW"]),
  quietHoursStart: hhmm,
  quietHoursEnd: hhmm,
});
export type QuietHoursPolicy = z.infer<typeof QuietHoursPolicySchema>;

export const QuietHoursCandidateSchema = z.object({
  timeZone: z.string().refine(isValidTimeZone, "unknown IANA time zone"),
  // ISO 3166-2 ("US-FL") when the state is known, the country ("US", "GB") when only that is, absent when
  // nothing is. A US recipient whose state is unknown could be in a strict state, so "US" and absent get 08–20.
  region: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, "must be an ISO 3166 code such as US-FL or GB")
    .optional(),
});
export type QuietHoursCandidate = z.infer<typeof QuietHoursCandidateSchema>;

/** Minutes of the local day, half-open: [start, end). */
export type MinuteRange = { start: number; end: number };
type Interval = { start: number; end: number };

export type OutsideWindow = { timeZone: string; region?: string; localTime: string; window: string };

export type QuietHoursDecision =
  | { allowed: true }
  | { allowed: false; reason: "quiet_hours"; releaseAt: Date; outside: OutsideWindow[] }
  // Possible only when the candidates are spread over many zones and the shop narrowed its window (a toll-free
  // number with a 10:00–18:00 shop window spans New York and Guam). Nothing can be sent until a person or a
  // better address narrows the candidates, so there is no release time to give.
  | { allowed: false; reason: "no_common_window"; releaseAt: null; outside: OutsideWindow[] };

export function legalWindow(region: string | undefined): MinuteRange {
  if (region === undefined || region === "US" || STRICT_WINDOW_REGIONS.has(region)) return STRICT_STATE_WINDOW;
  return FEDERAL_WINDOW;
}

function parseMinutes(value: string): number {
  const [h, m] = value.split(":").map(Number);
  return h * 60 + m;
}

/** The ranges of the local day the shop itself allows; a quiet period may wrap midnight. */
function shopRanges(policy: QuietHoursPolicy | undefined): MinuteRange[] {
  if (!policy || policy.mode === "STRICT_STATE_RULES") return [{ start: 0, end: 1440 }];
  const quietStart = parseMinutes(policy.quietHoursStart);
  const quietEnd = parseMinutes(policy.quietHoursEnd);
  if (quietStart === quietEnd) return [{ start: 0, end: 1440 }]; // an empty quiet period narrows nothing
  if (quietEnd < quietStart) return [{ start: quietEnd, end: quietStart }];
  return [
    { start: 0, end: quietStart },
    { start: quietEnd, end: 1440 },
  ];
}

/** The shop's window intersected with the legal one: a shop setting can narrow the law, never widen it. */
export function sendingRanges(region: string | undefined, policy?: QuietHoursPolicy): MinuteRange[] {
  const legal = legalWindow(region);
  return shopRanges(policy)
    .map((r) => ({ start: Math.max(r.start, legal.start), end: Math.min(r.end, legal.end) }))
    .filter((r) => r.end > r.start);
}

function utcIntervals(timeZone: string, ranges: MinuteRange[], nowMs: number): Interval[] {
  const first = addDays(localDateOf(timeZone, nowMs), -1);
  const out: Interval[] = [];
  for (let k = 0; k <= HORIZON_DAYS; k++) {
    const date = addDays(first, k);
    for (const r of ranges) {
      const start = zonedInstant(timeZone, date, r.start);
      const end = r.end === 1440 ? zonedInstant(timeZone, addDays(date, 1), 0) : zonedInstant(timeZone, date, r.end);
      if (end > start) out.push({ start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (end > start) out.push({ start, end });
    if (a[i].end < b[j].end) i++;
    else j++;
  }
  return out;
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function describe(ranges: MinuteRange[]): string {
  return ranges.length === 0 ? "none" : ranges.map((r) => `${clock(r.start)}–${clock(r.end)}`).join(", ");
}

/**
 * May a marketing text go out now? The send must be inside the window of every candidate (the recipient
 * could be in any of them); when it is not, releaseAt is the earliest instant at which all of them are.
 */
export function quietHoursDecision(input: {
  now: Date;
  candidates: QuietHoursCandidate[];
  policy?: QuietHoursPolicy;
}): QuietHoursDecision {
  const nowMs = input.now.getTime();
  const policy = input.policy === undefined ? undefined : QuietHoursPolicySchema.parse(input.policy);
  const given = z.array(QuietHoursCandidateSchema).parse(input.candidates);
  const seen = new Set<string>();
  const candidates = (given.length > 0 ? given : UNKNOWN_RECIPIENT)
    .map((c) => ({ ...c, ranges: sendingRanges(c.region, policy) }))
    .filter((c) => {
      const key = `${c.timeZone}|${describe(c.ranges)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });

  const outside: OutsideWindow[] = [];
  for (const c of candidates) {
    const local = minuteOfDay(c.timeZone, nowMs);
    if (!c.ranges.some((r) => local >= r.start && local < r.end)) {
      outside.push({
        timeZone: c.timeZone,
        ...(c.region ? { region: c.region } : {}),
        localTime: clock(local),
        window: describe(c.ranges),
      });
    }
  }
  if (outside.length === 0) return { allowed: true };

  let common: Interval[] = [{ start: nowMs, end: Number.POSITIVE_INFINITY }];
  for (const c of candidates) {
    common = intersect(common, utcIntervals(c.timeZone, c.ranges, nowMs));
    if (common.length === 0) break;
  }
  if (common.length === 0) return { allowed: false, reason: "no_common_window", releaseAt: null, outside };
  return { allowed: false, reason: "quiet_hours", releaseAt: new Date(common[0].start), outside };
}
