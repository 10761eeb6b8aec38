// Money and time formatting shared by the GraphQL and REST views of the store.

/** Cents → Shopify's decimal string ("48.00"). */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** A decimal string or number ("5", "5.5", 5.25) → cents; NaN when it is not a number. */
export function decimalToCents(value: string | number): number {
  const n = typeof value === "number" ? value : Number(value.trim());
  return Number.isFinite(n) ? Math.round(n * 100) : Number.NaN;
}

/** GraphQL `DateTime`: ISO 8601 in UTC without milliseconds, as Shopify prints it. */
export function graphqlTime(iso: string): string;
export function graphqlTime(iso: string | null): string | null;
export function graphqlTime(iso: string | null): string | null {
  return iso === null ? null : new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** REST payloads print times in the shop's time zone with its offset ("2025-11-20T10:04:05-05:00"). */
export function restTime(iso: string, timeZone: string): string;
export function restTime(iso: string | null, timeZone: string): string | null;
export function restTime(iso: string | null, timeZone: string): string | null {
  if (iso === null) return null;
  const date = new Date(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZoneName: "longOffset",
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  // "GMT-05:00" → "-05:00"; plain "GMT" means UTC.
  const offset = parts.timeZoneName === "GMT" ? "+00:00" : String(parts.timeZoneName).replace("GMT", "");
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}
