import { prisma } from "~/db.server";
import { FLOW_PRIORITY } from "~/domain/flows/settings";
import type { FlowKind } from "~/domain/flows/machine";
import type { FlowRun } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import type { InboundAutomationContext, InboundHook } from "~/services/automation/hooks.server";
import { loadCartProducts } from "./abandoned-cart.server";
import { type DispatchResult, dispatchFlowEvent } from "./engine.server";

// Reply routing: a shopper's text in a conversation where a run waits for a reply goes to that run first (the
// highest-priority one when several wait), as its `reply` event, once per message. The automation hooks call
// this after the inbound transaction, for shopper texts that are not keywords only — texts automation sends
// never come back here (the loop guard). What a flow cannot answer it hands over (hand_over effect); later
// automation (rules, AI) asks replyHandledByFlow() and leaves a handled text alone.

/**
 * Per flow, what to gather before its machine reads a reply (e.g. the cart's product data from the Admin API),
 * outside any transaction. Stored in the run's context; a failure only means the machine knows less.
 */
export type ReplyPreparer = (run: FlowRun, text: string) => Promise<void>;
const preparers: Partial<Record<FlowKind, ReplyPreparer>> = {
  ABANDONED_CART: (run) => loadCartProducts(run),
};

export function registerReplyPreparer(kind: FlowKind, prepare: ReplyPreparer) {
  preparers[kind] = prepare;
}

export type ReplyRouting = { handled: boolean; runId?: string; result?: DispatchResult };

export async function routeReplyToFlow(context: InboundAutomationContext, now = new Date()): Promise<ReplyRouting> {
  const { shopId, conversationId, messageId } = context;
  const message = await prisma.message.findFirst({
    where: { id: messageId, shopId, conversationId, direction: "INBOUND", authorKind: "SHOPPER" },
    select: { body: true },
  });
  if (!message) return { handled: false };
  const waiting = await prisma.flowRun.findMany({
    where: { shopId, conversationId, status: "ACTIVE", awaitingReply: true },
    orderBy: { startedAt: "desc" },
  });
  waiting.sort((a, b) => FLOW_PRIORITY[b.kind] - FLOW_PRIORITY[a.kind]);
  for (const run of waiting) {
    const prepare = preparers[run.kind];
    if (prepare) {
      try {
        await prepare(run, message.body);
      } catch (error) {
        log.warn("flow reply: preparing failed; the flow reads the reply without it", { runId: run.id, error });
      }
    }
    const result = await dispatchFlowEvent({
      shopId,
      runId: run.id,
      event: { type: "reply", messageId, text: message.body },
      causeKey: `reply:${messageId}`,
      now,
    });
    if (result.outcome === "applied" || result.outcome === "duplicate") return { handled: true, runId: run.id, result };
  }
  return { handled: false };
}

/** Whether a flow took this shopper text (rules and AI answer only what no flow did). */
export async function replyHandledByFlow(input: { shopId: string; messageId: string }): Promise<boolean> {
  const transitions = await prisma.flowTransition.findMany({
    where: { shopId: input.shopId, causeKey: `reply:${input.messageId}`, event: "reply" },
    select: { toState: true, data: true },
  });
  return transitions.some((t) => t.toState !== "exited" && !(t.data as { ignored?: boolean } | null)?.ignored);
}

export const flowReplyHook: InboundHook = {
  name: "flows.reply",
  run: async (context) => {
    await routeReplyToFlow(context);
  },
};
