import { z } from "zod";
import { type AdminGraphql, runAdminQuery } from "./customer-consent.server";

// What a fulfilments/* webhook does not carry and the shipping flow needs: the order's name, the phone the buyer
// gave for order updates, the customer, the main item, and the fulfilment's delivery estimate and delivery time
// (REST fulfilment payloads have neither). One request, cost ≈ 30.

const SHIPMENT_QUERY = /* GraphQL */ `
  query ParleyShipment($orderId: ID!) {
    order(id: $orderId) {
      id
      name
      phone
      processedAt
      statusPageUrl
      customer {
        id
        firstName
        lastName
        phone
      }
      shippingAddress {
        phone
      }
      lineItems(first: 1) {
        nodes {
          title
        }
      }
      fulfillments(first: 20) {
        id
        status
        displayStatus
        estimatedDeliveryAt
        deliveredAt
        trackingInfo(first: 1) {
          company
          number
          url
        }
      }
    }
  }
`;

const nullableString = z
  .string()
  .nullish()
  .transform((s) => s ?? null);
const nullableDate = z
  .string()
  .nullish()
  .transform((s) => (s ? new Date(s) : null));

const ShipmentAnswer = z.object({
  order: z
    .object({
      id: z.string(),
      name: z.string(),
      phone: nullableString,
      processedAt: z.string(),
      statusPageUrl: nullableString,
      customer: z
        .object({ id: z.string(), firstName: nullableString, lastName: nullableString, phone: nullableString })
        .nullish()
        .transform((c) => c ?? null),
      shippingAddress: z
        .object({ phone: nullableString })
        .nullish()
        .transform((a) => a ?? null),
      lineItems: z.object({ nodes: z.array(z.object({ title: z.string() })) }),
      fulfillments: z.array(
        z.object({
          id: z.string(),
          status: z.string(),
          displayStatus: nullableString,
          estimatedDeliveryAt: nullableDate,
          deliveredAt: nullableDate,
          trackingInfo: z.array(z.object({ company: nullableString, number: nullableString, url: nullableString })),
        }),
      ),
    })
    .nullable(),
});

export type ShipmentOrder = {
  id: string;
  name: string;
  /** The phone the buyer gave at checkout, where Shopify sends order and shipping updates. */
  phone: string | null;
  processedAt: Date;
  statusPageUrl: string | null;
  customer: { id: string; firstName: string | null; lastName: string | null; phone: string | null } | null;
  shippingPhone: string | null;
  productTitle: string | null;
};

export type ShipmentFulfillment = {
  id: string;
  /** SUCCESS once shipped; CANCELLED, ERROR, FAILURE, OPEN, PENDING otherwise. */
  status: string;
  /** Shopify's shipment_status as the REST payloads spell it (in_transit, delivered…); null before any carrier news. */
  shipmentStatus: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
};

// displayStatus values that say nothing about where the parcel is.
const NO_CARRIER_NEWS = new Set(["FULFILLED", "MARKED_AS_FULFILLED", "SUBMITTED", "CANCELED", "LABEL_VOIDED"]);

/** The order and one of its fulfilments, or null when Shopify has neither (deleted, another shop's). */
export async function fetchShipment(
  admin: AdminGraphql,
  orderGid: string,
  fulfillmentGid: string,
): Promise<{ order: ShipmentOrder; fulfillment: ShipmentFulfillment } | null> {
  const { order } = await runAdminQuery(admin, SHIPMENT_QUERY, { orderId: orderGid }, ShipmentAnswer);
  const found = order?.fulfillments.find((f) => f.id === fulfillmentGid);
  if (!order || !found) return null;
  const tracking = found.trackingInfo[0];
  const display = found.displayStatus;
  return {
    order: {
      id: order.id,
      name: order.name,
      phone: order.phone,
      processedAt: new Date(order.processedAt),
      statusPageUrl: order.statusPageUrl,
      customer: order.customer,
      shippingPhone: order.shippingAddress?.phone ?? null,
      productTitle: order.lineItems.nodes[0]?.title ?? null,
    },
    fulfillment: {
      id: found.id,
      status: found.status,
      shipmentStatus: display && !NO_CARRIER_NEWS.has(display) ? display.toLowerCase() : null,
      carrier: tracking?.company ?? null,
      trackingNumber: tracking?.number ?? null,
      trackingUrl: tracking?.url ?? null,
      estimatedDeliveryAt: found.estimatedDeliveryAt,
      deliveredAt: found.deliveredAt,
    },
  };
}
