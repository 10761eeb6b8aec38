import { queryRaw, transaction, prisma } from "~/db.server";
import { capApplies, type ExitFacts, exitReasonFor, replyBelongsToStaff, startRefusalFor } from "~/domain/flows/exit";
import type { FlowEnd, FlowEvent, FlowKind, FlowStep } from "~/domain/flows/machine";
import { machineFor } from "~/domain/flows/registry";
import { type FlowRun, Prisma } from "~/generated/prisma/client.ts";
import { log } from "~/lib/log.server";
import { lockContact } from "~/services/sms/conversations.server";
import { carryOutEffects } from "./effects.server";
import { environmentOf, frequencyCapped, loadRunFacts, type RunFacts } from "./facts.server";

// The flow engine (docs/decisions/0008-flow-engine.md). Machines (app/domain/flows) are pure; the engine owns the
// runs: one transaction per step, under the shopper's lock and the run's row lock; the transition is written
// with its cause first (a cause seen before is a no-op); the exit conditions are checked before the machine is
// asked; effects are carried out in the same transaction (texts through sendMessage, jobs enqueued with it).
// Flow triggers (webhooks, inbound hooks, opt-in) call only startFlowRun, dispatchFlowEvent and activeRunsOf.

type Tx = Prisma.TransactionClient;

export const FLOW_TX_OPTIONS = { timeout: 20_000 };

export type StartFlowRunInput = {
  shopId: string;
  kind: FlowKind;
  contactId: string;
  /** What the run is about; unique per shop and kind, so a duplicated trigger starts nothing. */
  subjectKey: string;
  /** The machine's initial context (validated by its contextSchema). */
  context: unknown;
  conversationId?: string | null;
  now?: Date;
  /** The shopper's text the run's start answers ("the hoodies!" → the interest promise): its texts are conversation
   *  (CONVERSATIONAL, no quiet hours), and the marketing frequency cap does not stop the start. */
  inReplyToMessageId?: string | null;
};

export type StartFlowRunResult =
  | { outcome: "started"; runId: string }
  | { outcome: "duplicate"; runId: string }
  | { outcome: "not_started"; reason: "disabled" | "no_consent" | "priority" | "frequency_cap" | "opted_out" | string };

/** Creates the run (if the flow is on and nothing forbids it) and applies its `start` event. Inside `tx` when
 *  given (e.g. the webhook's transaction), so the run exists exactly when the trigger is recorded. */
export async function startFlowRun(input: StartFlowRunInput, options: { tx?: Tx } = {}): Promise<StartFlowRunResult> {
  const now = input.now ?? new Date();
  const work = async (tx: Tx): Promise<StartFlowRunResult> => {
    const machine = machineFor(input.kind);
    if (!machine) return { outcome: "not_started", reason: "no_machine" };
    await lockContact(tx, input.contactId);
    const key = { shopId: input.shopId, kind: input.kind, subjectKey: input.subjectKey };
    const existing = await tx.flowRun.findUnique({ where: { shopId_kind_subjectKey: key }, select: { id: true } });
    if (existing) return { outcome: "duplicate", runId: existing.id };

    const facts = await loadRunFacts(tx, { ...input, conversationId: input.conversationId ?? null });
    const refusal = startRefusalFor({
      ...startFactsOf(input.kind, facts, now),
      runStartedAt: now,
      frequencyCapped: false, // checked before the first step that texts (app/domain/flows/exit.ts)
    });
    if (refusal) return { outcome: "not_started", reason: refusal };

    const context = machine.contextSchema.parse(input.context);
    const [created] = await tx.flowRun.createManyAndReturn({
      data: [
        {
          ...key,
          contactId: input.contactId,
          conversationId: input.conversationId ?? null,
          state: machine.initialState,
          context: context as Prisma.InputJsonValue,
          startedAt: now,
        },
      ],
      skipDuplicates: true,
    });
    if (!created) {
      const other = await tx.flowRun.findUniqueOrThrow({
        where: { shopId_kind_subjectKey: key },
        select: { id: true },
      });
      return { outcome: "duplicate", runId: other.id };
    }
    await applyEvent(tx, created, { type: "start" }, "start", now, {
      facts,
      checkExits: false,
      inReplyToMessageId: input.inReplyToMessageId ?? null,
    });
    return { outcome: "started", runId: created.id };
  };
  const result = options.tx ? await work(options.tx) : await transaction(work, FLOW_TX_OPTIONS);
  if (result.outcome !== "duplicate")
    log.info("flow run start", { shopId: input.shopId, kind: input.kind, subjectKey: input.subjectKey, ...result });
  return result;
}

export type DispatchResult =
  | { outcome: "applied"; state: string; ended: boolean }
  | { outcome: "duplicate" } // this cause was already applied
  | { outcome: "ignored" } // the machine has nothing to do with this event in this state
  | { outcome: "exited"; reason: string } // an exit condition ended the run instead
  | { outcome: "not_active" };

export type DispatchInput = {
  shopId: string;
  runId: string;
  event: FlowEvent;
  causeKey: string;
  now?: Date;
  /** The shopper's message the step answers (a reply, or the offer a reply asked for): its texts are conversation. */
  inReplyToMessageId?: string | null;
};

/** Applies one event to a run, once per `causeKey` ("timer:3", "reply:<messageId>", "order:<id>"…). */
export async function dispatchFlowEvent(input: DispatchInput, options: { tx?: Tx } = {}): Promise<DispatchResult> {
  const now = input.now ?? new Date();
  const work = async (tx: Tx): Promise<DispatchResult> => {
    const run = await lockRun(tx, input.shopId, input.runId);
    if (!run || run.status !== "ACTIVE") return { outcome: "not_active" };
    return applyEvent(tx, run, input.event, input.causeKey, now, {
      inReplyToMessageId: input.inReplyToMessageId ?? (input.event.type === "reply" ? input.event.messageId : null),
    });
  };
  return options.tx ? work(options.tx) : transaction(work, FLOW_TX_OPTIONS);
}

/** Active runs of a contact (optionally of some kinds), e.g. to dispatch an order to every run it concerns. */
export async function activeRunsOf(
  input: { shopId: string; contactId: string; kinds?: FlowKind[] },
  options: { tx?: Tx } = {},
): Promise<{ id: string; kind: FlowKind; state: string; subjectKey: string; context: unknown }[]> {
  return (options.tx ?? prisma).flowRun.findMany({
    where: {
      shopId: input.shopId,
      contactId: input.contactId,
      status: "ACTIVE",
      ...(input.kinds ? { kind: { in: input.kinds } } : {}),
    },
    select: { id: true, kind: true, state: true, subjectKey: true, context: true },
    orderBy: { startedAt: "asc" },
  });
}

/**
 * The run, locked for the rest of the transaction: the shopper's lock first (the order every sender takes it
 * in, so a step never deadlocks with an inbound text or a consent change), then the run's row.
 */
export async function lockRun(tx: Tx, shopId: string, runId: string): Promise<FlowRun | null> {
  const owner = await tx.flowRun.findFirst({ where: { id: runId, shopId }, select: { contactId: true } });
  if (!owner) return null;
  await lockContact(tx, owner.contactId);
  const [row] = await queryRaw<{ id: string }>(
    tx,
    Prisma.sql`
    SELECT id FROM "FlowRun" WHERE id = ${runId} AND "shopId" = ${shopId} FOR UPDATE`,
  );
  return row ? tx.flowRun.findUnique({ where: { id: row.id } }) : null;
}

/**
 * One step of a locked, ACTIVE run: the transition with its cause (a cause seen before changes nothing), the exit
 * checks, the machine, the run's new state and the step's effects.
 */
export async function applyEvent(
  tx: Tx,
  run: FlowRun,
  event: FlowEvent,
  causeKey: string,
  now: Date,
  options: { facts?: RunFacts; checkExits?: boolean; inReplyToMessageId?: string | null } = {},
): Promise<DispatchResult> {
  const machine = machineFor(run.kind);
  if (!machine) return { outcome: "not_active" };
  const seq = run.transitionCount + 1;
  const [transition] = await tx.flowTransition.createManyAndReturn({
    data: [
      {
        runId: run.id,
        shopId: run.shopId,
        seq,
        causeKey,
        event: event.type,
        fromState: run.state,
        toState: run.state,
        summary: "",
        data: eventData(event),
        createdAt: now,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (!transition) return { outcome: "duplicate" };
  const record = (toState: string, summary: string, ignored = false) =>
    tx.flowTransition.update({
      where: { id: transition.id },
      data: { toState, summary, ...(ignored ? { data: { ...eventData(event), ignored: true } } : {}) },
    });

  const facts = options.facts ?? (await loadRunFacts(tx, run));
  if (options.checkExits !== false) {
    const exitFacts: ExitFacts = {
      ...startFactsOf(run.kind, facts, now),
      event: event.type,
      runStartedAt: run.startedAt,
      frequencyCapped: capApplies(facts.purpose, event.type) && (await frequencyCapped(tx, facts, now)),
    };
    const reason = exitReasonFor(exitFacts);
    if (reason) {
      await record("exited", `stopped: ${EXIT_TEXT[reason] ?? reason}`);
      await endRun(tx, run, seq, { status: "EXITED", reason }, now);
      log.info("flow run exited", { shopId: run.shopId, runId: run.id, kind: run.kind, reason, causeKey });
      return { outcome: "exited", reason };
    }
  }

  if (
    options.checkExits !== false &&
    replyBelongsToStaff({ purpose: facts.purpose, event: event.type, staff: facts.staff, runStartedAt: run.startedAt })
  ) {
    await record(run.state, "", true);
    await tx.flowRun.update({ where: { id: run.id }, data: { transitionCount: seq } });
    return { outcome: "ignored" };
  }

  const context = machine.contextSchema.parse(run.context);
  const step: FlowStep<unknown> | null = machine.transition(
    { state: run.state, context, startedAt: run.startedAt },
    event,
    environmentOf(run.kind, facts, context, now),
  );
  if (!step) {
    await record(run.state, "", true); // no summary: not a step, the timeline leaves it out
    await tx.flowRun.update({ where: { id: run.id }, data: { transitionCount: seq } });
    return { outcome: "ignored" };
  }
  const nextContext = machine.contextSchema.parse(step.context);
  await record(step.state, step.summary);

  const effects = await carryOutEffects(tx, {
    run,
    seq,
    effects: step.effects,
    facts,
    now,
    inReplyToMessageId: options.inReplyToMessageId ?? null,
  });
  const expectsReply = step.effects.some((e) => e.type === "send" && e.expectReply);
  const end: FlowEnd | undefined = effects.refused
    ? {
        status: "EXITED",
        reason: effects.refused === "frequency_cap" ? "frequency_cap" : `not_sent:${effects.refused}`,
      }
    : step.end;
  if (effects.refused) await record("exited", `${step.summary}; not sent (${effects.refused}), stopped`);

  await tx.flowRun.update({
    where: { id: run.id },
    data: {
      state: effects.refused ? "exited" : step.state,
      context: nextContext as Prisma.InputJsonValue,
      transitionCount: seq,
      conversationId: effects.conversationId,
      awaitingReply: expectsReply ? true : event.type === "reply" ? false : run.awaitingReply,
      ...(effects.timer
        ? { timerName: effects.timer.name, timerAt: effects.timer.at, timerSeq: effects.timer.seq }
        : {}),
      ...(event.type === "reply" && !run.repliedAt ? { repliedAt: now } : {}),
      ...(effects.handedOver ? { handedOverAt: now } : {}),
      ...(event.type === "offer_created" ? { offerCode: event.code } : {}),
    },
  });
  if (end)
    await endRun(
      tx,
      { ...run, offerCode: event.type === "offer_created" ? event.code : run.offerCode },
      seq,
      end,
      now,
      event,
    );
  return { outcome: "applied", state: step.state, ended: !!end };
}

const EXIT_TEXT: Record<string, string> = {
  purchase: "the shopper bought",
  opted_out: "the shopper opted out",
  staff_took_over: "staff took over the conversation",
  priority: "another flow has priority",
  frequency_cap: "frequency cap reached",
  disabled: "the flow was turned off",
  expired: "nothing more to wait for",
};

/** Ends a run: its status and reason, no timer, no reply routed to it; a conversion with the order's numbers. */
async function endRun(
  tx: Tx,
  run: Pick<FlowRun, "id" | "offerCode">,
  seq: number,
  end: FlowEnd,
  now: Date,
  event?: FlowEvent,
) {
  const order = end.status === "CONVERTED" && event?.type === "order_placed" ? event : null;
  await tx.flowRun.update({
    where: { id: run.id },
    data: {
      status: end.status,
      exitReason: end.reason ?? null,
      endedAt: now,
      awaitingReply: false,
      timerName: null,
      timerAt: null,
      timerSeq: { increment: 1 }, // a pending timer job finds a newer generation and does nothing
      transitionCount: seq,
      ...(order ? conversionOf(order, run.offerCode, now) : {}),
    },
  });
}

/** The run's numbers for an order: revenue, and whether the code the flow offered was used. */
export function conversionOf(order: Extract<FlowEvent, { type: "order_placed" }>, offerCode: string | null, now: Date) {
  const used = !!offerCode && order.discountCodes.some((c) => c.toUpperCase() === offerCode.toUpperCase());
  return {
    convertedAt: now,
    orderId: order.orderId,
    revenueCents: order.totalCents,
    currencyCode: order.currencyCode,
    offerCodeUsed: used,
  };
}

function startFactsOf(kind: FlowKind, facts: RunFacts, now: Date) {
  return {
    kind,
    purpose: facts.purpose,
    now,
    enabled: facts.enabled,
    consent: facts.consent,
    staff: facts.staff,
    others: facts.others,
  };
}

/** What the timeline keeps of an event (no message bodies: the thread shows those already). */
function eventData(event: FlowEvent): Record<string, string | number> {
  switch (event.type) {
    case "reply":
      return { messageId: event.messageId };
    case "timer":
      return { timer: event.name };
    case "order_placed":
      return { orderId: event.orderId, totalCents: event.totalCents, currencyCode: event.currencyCode };
    case "offer_created":
      return { code: event.code, discountId: event.discountId };
    case "offer_failed":
      return { reason: event.reason };
    default:
      return {};
  }
}
