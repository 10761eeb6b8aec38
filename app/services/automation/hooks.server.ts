import { log } from "~/lib/log.server";
import { interestHook } from "~/services/flows/interest.server";
import { flowReplyHook } from "~/services/flows/replies.server";

// Where automation plugs into the engine: rules, AI answers and flows awaiting a reply register here (later
// issues). Only shopper messages that are not keywords reach the hooks, and messages automation sends never
// trigger automation (loop guard: the engine calls hooks for inbound shopper texts only). Each hook runs in
// isolation: one failing does not stop the others.
export type InboundAutomationContext = { shopId: string; conversationId: string; messageId: string };
export type InboundHook = { name: string; run(context: InboundAutomationContext): Promise<void> };

// Flows first: a reply to a flow's question belongs to that flow (app/services/flows/replies.server.ts); later
// hooks ask replyHandledByFlow() before answering — "the hoodies!" (what a shopper waits for) among them.
const hooks: InboundHook[] = [flowReplyHook, interestHook];

export function registerInboundHook(hook: InboundHook) {
  if (!hooks.some((h) => h.name === hook.name)) hooks.push(hook);
}

export async function runInboundAutomation(context: InboundAutomationContext) {
  for (const hook of hooks) {
    try {
      await hook.run(context);
    } catch (error) {
      log.error("automation hook failed", { hook: hook.name, messageId: context.messageId, error });
    }
  }
}
