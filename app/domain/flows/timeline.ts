import type { FlowKind } from "./machine";

// How a run's steps read on the conversation timeline: "Abandoned-cart flow: waiting 1 h".

const FLOW_NAMES: Record<FlowKind, string> = {
  ABANDONED_CART: "Abandoned-cart flow",
  SHIPPING_UPDATE: "Shipping-update flow",
  FEEDBACK: "Feedback flow",
  INTEREST: "Back-in-stock flow",
  WELCOME: "Welcome flow",
};

export function describeFlowStep(kind: FlowKind, summary: string): string {
  return `${FLOW_NAMES[kind]}: ${summary}`;
}
