import type { CheckoutRecord, FulfillmentRecord, LineItemRecord, OrderRecord } from "./types";

// Amounts and statuses derived from order, checkout and fulfilment records. One home for them, because the
// GraphQL API, the REST webhook payloads and the control panel must all show the same numbers.

export function lineItemsGross(lineItems: LineItemRecord[]): number {
  return lineItems.reduce((sum, li) => sum + li.priceCents * li.quantity, 0);
}

export function orderAmounts(order: OrderRecord) {
  const gross = lineItemsGross(order.lineItems);
  const discount = order.discountCodes.filter((d) => d.type !== "shipping").reduce((sum, d) => sum + d.amountCents, 0);
  const subtotal = gross - discount;
  const total = subtotal + order.shippingCents + order.taxCents;
  const refunded =
    order.financialStatus === "REFUNDED"
      ? total
      : order.financialStatus === "PARTIALLY_REFUNDED"
        ? Math.round(total / 2)
        : 0;
  const shippingDiscount = order.discountCodes
    .filter((d) => d.type === "shipping")
    .reduce((sum, d) => sum + d.amountCents, 0);
  return {
    gross,
    discount,
    totalDiscounts: discount + shippingDiscount,
    subtotal,
    shipping: order.shippingCents,
    tax: order.taxCents,
    total,
    currentTotal: total - refunded,
  };
}

/** A checkout has no shipping rate chosen yet; its total is items plus estimated tax, as Shopify shows it. */
export function checkoutAmounts(checkout: CheckoutRecord) {
  const subtotal = lineItemsGross(checkout.lineItems);
  const tax = Math.round(subtotal * 0.07);
  return { subtotal, tax, total: subtotal + tax };
}

export function orderFulfillmentStatus(order: OrderRecord): "UNFULFILLED" | "PARTIALLY_FULFILLED" | "FULFILLED" {
  const shipped = new Set(order.fulfillments.filter((f) => f.status === "SUCCESS").flatMap((f) => f.lineItemIds));
  if (shipped.size === 0) return "UNFULFILLED";
  return order.lineItems.every((li) => shipped.has(li.id)) ? "FULFILLED" : "PARTIALLY_FULFILLED";
}

const DISPLAY_STATUS: Record<NonNullable<FulfillmentRecord["shipmentStatus"]>, string> = {
  label_printed: "LABEL_PRINTED",
  label_purchased: "LABEL_PURCHASED",
  confirmed: "CONFIRMED",
  in_transit: "IN_TRANSIT",
  out_for_delivery: "OUT_FOR_DELIVERY",
  attempted_delivery: "ATTEMPTED_DELIVERY",
  delivered: "DELIVERED",
  failure: "FAILURE",
};

export function fulfillmentDisplayStatus(fulfillment: FulfillmentRecord): string {
  if (fulfillment.status === "CANCELLED") return "CANCELED";
  return fulfillment.shipmentStatus ? DISPLAY_STATUS[fulfillment.shipmentStatus] : "FULFILLED";
}

export function customerTotals(orders: OrderRecord[]) {
  const counted = orders.filter((o) => o.financialStatus !== "VOIDED");
  return {
    numberOfOrders: counted.length,
    amountSpentCents: counted.reduce((sum, o) => sum + orderAmounts(o).currentTotal, 0),
  };
}
