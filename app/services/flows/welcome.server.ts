import type { WelcomeContext } from "~/domain/flows/welcome";
import type { Prisma } from "~/generated/prisma/client.ts";
import { startFlowRun } from "./engine.server";

// The WELCOME flow's run for one confirmed opt-in (subject "welcome:<consentEventId>"), started in the transaction
// that sends the welcome, just before it, so the text can carry the run's id (the Flows page's numbers, the
// thread's timeline). The welcome itself does not depend on the run: it is the confirmation compliance.md §3
// requires, so it goes out as before when the flow is off (no run then) or the engine declines to start one.

type Tx = Prisma.TransactionClient;

export async function startWelcomeRun(
  tx: Tx,
  input: {
    shopId: string;
    contactId: string;
    consentEventId: string;
    code: { code: string; percent: number } | null;
    conversationId?: string | null;
    now: Date;
  },
): Promise<string | null> {
  const context: WelcomeContext = {
    consentEventId: input.consentEventId,
    code: input.code?.code ?? null,
    percent: input.code?.percent ?? null,
  };
  const started = await startFlowRun(
    {
      shopId: input.shopId,
      kind: "WELCOME",
      contactId: input.contactId,
      subjectKey: `welcome:${input.consentEventId}`,
      context,
      conversationId: input.conversationId ?? null,
      now: input.now,
    },
    { tx },
  );
  return started.outcome === "not_started" ? null : started.runId;
}

/** The conversation the welcome went into, when the run started without one (its timeline belongs there). */
export async function attachWelcomeRun(tx: Tx, runId: string, conversationId: string | null): Promise<void> {
  if (conversationId)
    await tx.flowRun.updateMany({ where: { id: runId, conversationId: null }, data: { conversationId } });
}
