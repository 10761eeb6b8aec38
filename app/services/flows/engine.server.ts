import type { FlowEvent, FlowKind } from "~/domain/flows/machine";
import type { Prisma } from "~/generated/prisma/client.ts";

// THE CONTRACT (signatures) of the flow engine; the implementation is being written (issue 6). Flow triggers
// (webhooks, inbound hooks, opt-in) call only these.

type Tx = Prisma.TransactionClient;

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
};

export type StartFlowRunResult =
  | { outcome: "started"; runId: string }
  | { outcome: "duplicate"; runId: string }
  | { outcome: "not_started"; reason: "disabled" | "no_consent" | "priority" | "frequency_cap" | "opted_out" | string };

/** Creates the run (if the flow is on and nothing forbids it) and applies its `start` event. Inside `tx` when
 *  given (e.g. the webhook's transaction), so the run exists exactly when the trigger is recorded. */
export async function startFlowRun(_input: StartFlowRunInput, _options: { tx?: Tx } = {}): Promise<StartFlowRunResult> {
  throw new Error("not implemented yet");
}

export type DispatchResult =
  | { outcome: "applied"; state: string; ended: boolean }
  | { outcome: "duplicate" } // this cause was already applied
  | { outcome: "ignored" } // the machine has nothing to do with this event in this state
  | { outcome: "exited"; reason: string } // an exit condition ended the run instead
  | { outcome: "not_active" };

/** Applies one event to a run, once per `causeKey` ("timer:3", "reply:<messageId>", "order:<id>"…). */
export async function dispatchFlowEvent(
  _input: { shopId: string; runId: string; event: FlowEvent; causeKey: string; now?: Date },
  _options: { tx?: Tx } = {},
): Promise<DispatchResult> {
  throw new Error("not implemented yet");
}

/** Active runs of a contact (optionally of some kinds), e.g. to dispatch an order to every run it concerns. */
export async function activeRunsOf(
  _input: { shopId: string; contactId: string; kinds?: FlowKind[] },
  _options: { tx?: Tx } = {},
): Promise<{ id: string; kind: FlowKind; state: string; subjectKey: string; context: unknown }[]> {
  throw new Error("not implemented yet");
}
