import { canSend, type ConsentStates } from "~/domain/consent";
import type { ExitReason, FlowEvent, FlowKind } from "./machine";
import { FLOW_PRIORITY } from "./settings";

// The exit conditions the engine checks before every step of a run (and, as start checks, before a run begins).
// Pure: the engine gathers the facts, this decides. Decisions beyond the list:
// - An order never exits a run: it is the outcome the run exists for (purchase before the opener, conversion
//   after it), so it is recorded whatever else happened meanwhile.
// - The frequency cap counts only for steps the shopper did not ask for (start, timers, store events). Answering
//   the shopper's own reply is conversation, not another marketing send (compliance.md §7), so a reply, and the
//   offer a reply asked for, are never capped.
// - "Another flow has priority" means a run of a flow with higher FLOW_PRIORITY that is in conversation with the
//   shopper right now (a step within PRIORITY_WINDOW_HOURS). A shipping run idling for days until delivery must
//   not silence every marketing flow for that shopper. It only stops marketing flows: a shipping update is never
//   outranked.
// - "Staff took over" is Conversation.automationPaused set by a staff reply made during this run (or within
//   PRIORITY_WINDOW_HOURS before it started: staff are mid-conversation), or by this run's own hand-over. The flag
//   is never cleared, so a staff reply months ago must not silence every later flow on that thread. It stops
//   marketing runs only: a transactional run (shipping updates) keeps sending the updates the shopper expects,
//   but the shopper's replies are the staff's from then on (replyBelongsToStaff).
// - Priority and the frequency cap are not start refusals: a run's first step is usually a wait, and whoever is
//   talking to the shopper then (a shipping run that just reported a delivery, say) may be long done by the time
//   this run has something to say. The checks before that step decide.

export const PRIORITY_WINDOW_HOURS = 24;

export type FlowPurpose = "MARKETING" | "TRANSACTIONAL";

/** Another ACTIVE run of the same shopper, as the priority rule needs it. */
export type OtherRun = { kind: FlowKind; lastStepAt: Date };

export type ExitFacts = {
  kind: FlowKind;
  purpose: FlowPurpose;
  event: FlowEvent["type"];
  now: Date;
  enabled: boolean;
  consent: ConsentStates;
  /** Conversation.automationPaused, the latest staff reply in it, and whether this run handed it over. */
  staff: StaffFacts;
  runStartedAt: Date;
  others: OtherRun[];
  /** Whether the shop's marketing cap (daily/weekly, smart sending) stops another marketing text now. */
  frequencyCapped: boolean;
};

export type StaffFacts = { automationPaused: boolean; lastStaffReplyAt: Date | null; handedOver: boolean };

/** Whether staff have the conversation now (see above). */
export function staffTookOver(staff: StaffFacts, runStartedAt: Date): boolean {
  if (!staff.automationPaused) return false;
  if (staff.handedOver) return true;
  const since = runStartedAt.getTime() - PRIORITY_WINDOW_HOURS * 3_600_000;
  return staff.lastStaffReplyAt !== null && staff.lastStaffReplyAt.getTime() >= since;
}

const ANSWERS_TO_SHOPPER: ReadonlySet<FlowEvent["type"]> = new Set(["reply", "offer_created", "offer_failed"]);

/** Whether the frequency cap matters for this step (the engine only counts messages when it does). */
export function capApplies(purpose: FlowPurpose, event: FlowEvent["type"]): boolean {
  return purpose === "MARKETING" && event !== "order_placed" && !ANSWERS_TO_SHOPPER.has(event);
}

/** Whether a higher-priority run is talking to this shopper now. */
export function outranked(kind: FlowKind, purpose: FlowPurpose, others: OtherRun[], now: Date): boolean {
  if (purpose !== "MARKETING") return false;
  const since = now.getTime() - PRIORITY_WINDOW_HOURS * 3_600_000;
  return others.some((o) => FLOW_PRIORITY[o.kind] > FLOW_PRIORITY[kind] && o.lastStepAt.getTime() >= since);
}

/** Why the run must stop before this step, or null to go on. Checked in this order (the first reason wins). */
export function exitReasonFor(facts: ExitFacts): ExitReason | null {
  if (facts.event === "order_placed") return null;
  if (!canSend(facts.purpose, facts.consent).allowed) return "opted_out";
  if (facts.purpose === "MARKETING" && staffTookOver(facts.staff, facts.runStartedAt)) return "staff_took_over";
  if (!facts.enabled) return "disabled";
  if (outranked(facts.kind, facts.purpose, facts.others, facts.now)) return "priority";
  if (facts.frequencyCapped && capApplies(facts.purpose, facts.event)) return "frequency_cap";
  return null;
}

/** A shopper's reply to a transactional run after staff took over: staff answer it, the run goes on without it. */
export function replyBelongsToStaff(facts: Pick<ExitFacts, "purpose" | "event" | "staff" | "runStartedAt">): boolean {
  return facts.purpose === "TRANSACTIONAL" && facts.event === "reply" && staffTookOver(facts.staff, facts.runStartedAt);
}

export type StartRefusal = "disabled" | "no_consent" | "opted_out" | "staff_took_over";

/** Why a run may not start at all (no run is created then, so a later trigger may start it). */
export function startRefusalFor(facts: Omit<ExitFacts, "event">): StartRefusal | null {
  if (!facts.enabled) return "disabled";
  const consent = canSend(facts.purpose, facts.consent);
  if (!consent.allowed) return consent.reason === "opted_out" ? "opted_out" : "no_consent";
  if (facts.purpose === "MARKETING" && staffTookOver(facts.staff, facts.runStartedAt)) return "staff_took_over";
  return null;
}
