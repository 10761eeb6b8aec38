// Wall-clock arithmetic in IANA zones with nothing but Intl: the offset is read per instant, so every
// DST rule Node's ICU knows is honoured without a date library.

export type LocalDate = { year: number; month: number; day: number };
export type WallClock = LocalDate & { hour: number; minute: number; second: number };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// Building a DateTimeFormat costs far more than using one; a zone's formatter never changes.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function wallClock(timeZone: string, instantMs: number): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** The wall clock read as if it were UTC: comparable numbers for "local time" without any offset. */
function wallMs(timeZone: string, instantMs: number): number {
  const w = wallClock(timeZone, instantMs);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

function offsetMs(timeZone: string, instantMs: number): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return wallMs(timeZone, whole) - whole;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The first instant whose wall clock in `timeZone` reads at least `minuteOfDay` on `date`.
 * On a fall-back day a wall time happens twice: the first occurrence wins. On a spring-forward day a
 * wall time inside the gap never happens: the instant the clocks jump is the answer, because that is
 * when the local clock first shows a later time.
 */
export function zonedInstant(timeZone: string, date: LocalDate, minuteOfDay: number): number {
  const target = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE_MS;
  // A transition happens at most once in any two days, so the offsets a day either side are the only
  // two the answer can have.
  const before = offsetMs(timeZone, target - DAY_MS);
  const after = offsetMs(timeZone, target + DAY_MS);
  const exact = [...new Set([before, after])]
    .map((offset) => target - offset)
    .filter((instant) => wallMs(timeZone, instant) === target)
    .sort((a, b) => a - b);
  if (exact.length > 0) return exact[0];

  // In the gap: search the jump between the two candidate instants (the local clock only moves forward here).
  let lo = Math.min(target - before, target - after);
  let hi = Math.max(target - before, target - after);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wallMs(timeZone, mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

export function localDateOf(timeZone: string, instantMs: number): LocalDate {
  const { year, month, day } = wallClock(timeZone, instantMs);
  return { year, month, day };
}

export function minuteOfDay(timeZone: string, instantMs: number): number {
  const w = wallClock(timeZone, instantMs);
  return w.hour * 60 + w.minute;
}
