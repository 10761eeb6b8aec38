import { processShipment, type ShipmentDeps } from "~/services/flows/shipping-updates.server";
import { unauthenticated } from "~/shopify.server";
import type { QueuePayload } from "../queues";

// The `flows.shipment` worker: a fulfilment's news, read through the shop's offline Admin session.

export const defaultShipmentDeps: ShipmentDeps = {
  adminFor: async (shopId) => (await unauthenticated.admin(shopId)).admin,
  now: () => new Date(),
};

export function handleFlowShipment(payload: QueuePayload<"flowShipment">, deps: ShipmentDeps = defaultShipmentDeps) {
  return processShipment(payload, deps);
}
