import type { Money } from "~/domain/store-context";

// Formatting for the store-context panel and the composer's pickers (browser side: no zod, no server code).

export function formatMoney(money: Money | { amount: string | number; currencyCode: string }): string {
  const amount = Number(money.amount);
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: money.currencyCode }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${money.currencyCode}`;
  }
}

/** "$", "€", "CA$": the symbol a money field shows as its prefix. */
export function currencySymbol(currencyCode: string): string {
  try {
    return (
      new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode })
        .formatToParts(0)
        .find((p) => p.type === "currency")?.value ?? currencyCode
    );
  } catch {
    return currencyCode;
  }
}

export function formatDate(iso: string, options: Intl.DateTimeFormatOptions = {}): string {
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", ...options }).format(
    new Date(iso),
  );
}

/** "Tue, Mar 4" for delivery estimates: the weekday is what shoppers ask about. */
export function formatDay(iso: string): string {
  return new Intl.DateTimeFormat("en-US", { weekday: "short", month: "short", day: "numeric" }).format(new Date(iso));
}

/** SHOUTY_ENUM → "Shouty enum" */
export function humanize(value: string): string {
  const text = value.toLowerCase().replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
