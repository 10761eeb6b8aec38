import { addCustomerTags } from "~/adapters/shopify/customer-consent.server";
import { prisma } from "~/db.server";
import { log } from "~/lib/log.server";
import { createFlowOffer, type FlowOfferDeps } from "~/services/flows/offers.server";
import { fireDueFlowTimers, fireFlowTimer } from "~/services/flows/timers.server";
import { unauthenticated } from "~/shopify.server";
import type { QueuePayload } from "../queues";

// Workers for the flow queues: a run's timer (`flows.timer`, plus the minute sweep of due timers), a flow's offer
// (`flows.offer`) and a flow's customer tags in Shopify (`flows.tag-customer`).

export const FLOW_TIMER_SWEEP_CRON = "* * * * *";

export const defaultFlowDeps: FlowOfferDeps = {
  adminFor: async (shopId) => (await unauthenticated.admin(shopId)).admin,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export async function handleFlowTimer(payload: QueuePayload<"flowTimer">, now = new Date()) {
  if (payload.runId && payload.timerSeq !== undefined)
    return fireFlowTimer({ runId: payload.runId, timerSeq: payload.timerSeq, now });
  return fireDueFlowTimers({ now });
}

export async function handleFlowOffer(payload: QueuePayload<"flowOffer">, deps: FlowOfferDeps = defaultFlowDeps) {
  const outcome = await createFlowOffer(payload, deps);
  log.info("flow offer", { shopId: payload.shopId, runId: payload.runId, outcome: outcome.outcome });
  return outcome;
}

export async function handleFlowTagCustomer(
  payload: QueuePayload<"flowTagCustomer">,
  deps: Pick<FlowOfferDeps, "adminFor"> = defaultFlowDeps,
) {
  const contact = await prisma.contact.findFirst({
    where: { id: payload.contactId, shopId: payload.shopId },
    select: { shopifyCustomerId: true },
  });
  if (!contact?.shopifyCustomerId || payload.tags.length === 0) return;
  await addCustomerTags(await deps.adminFor(payload.shopId), contact.shopifyCustomerId, payload.tags);
}
