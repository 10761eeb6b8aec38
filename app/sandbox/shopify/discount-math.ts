import { centsToDecimal } from "./format";
import type { DiscountRecord } from "./types";

// Discount status and the one-line summary Shopify shows for a code ("10% off entire order • For 1 customer").

export function discountStatus(d: DiscountRecord, now: Date): "ACTIVE" | "EXPIRED" | "SCHEDULED" {
  if (new Date(d.startsAt) > now) return "SCHEDULED";
  if (d.endsAt && new Date(d.endsAt) <= now) return "EXPIRED";
  return "ACTIVE";
}

export function discountSummary(d: DiscountRecord): string {
  const value =
    d.value.type === "percentage"
      ? `${Math.round(d.value.percentage * 1000) / 10}% off entire order`
      : d.value.type === "fixed_amount"
        ? `$${centsToDecimal(d.value.amountCents)} off entire order`
        : "Free shipping on all products";
  const parts = [value];
  if (d.minimumSubtotalCents !== null) parts.push(`Minimum purchase of $${centsToDecimal(d.minimumSubtotalCents)}`);
  if (d.customerIds)
    parts.push(d.customerIds.length === 1 ? "For 1 customer" : `For ${d.customerIds.length} customers`);
  if (d.appliesOncePerCustomer) parts.push("One use per customer");
  if (d.usageLimit !== null) parts.push(`Limit of ${d.usageLimit} ${d.usageLimit === 1 ? "use" : "uses"}`);
  return parts.join(" • ");
}
