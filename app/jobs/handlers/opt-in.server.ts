import { log } from "~/lib/log.server";
import { expirePendingOptIns } from "~/services/opt-in/expire.server";
import { deliverWelcome, type WelcomeDeps } from "~/services/opt-in/welcome.server";
import { unauthenticated } from "~/shopify.server";
import type { QueuePayload } from "../queues";

// Workers for the opt-in queues: the welcome with its code (`opt-in.welcome`) and the expiry sweep
// (`opt-in.expire-pending`, scheduled every few minutes).

export const EXPIRY_SWEEP_CRON = "*/2 * * * *";

export const defaultWelcomeDeps: WelcomeDeps = {
  adminFor: async (shopId) => (await unauthenticated.admin(shopId)).admin,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => new Date(),
};

export async function handleSendWelcome(payload: QueuePayload<"sendWelcome">, deps: WelcomeDeps = defaultWelcomeDeps) {
  const outcome = await deliverWelcome(payload, deps);
  log.info("welcome", { shopId: payload.shopId, contactId: payload.contactId, outcome });
  return outcome;
}

export async function handleExpirePendingOptIns() {
  return expirePendingOptIns();
}
