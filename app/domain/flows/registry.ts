import { abandonedCartMachine } from "./abandoned-cart";
import type { FlowKind, FlowMachine } from "./machine";
import { FLOW_SETTINGS_SCHEMAS } from "./settings";
import { shippingUpdateMachine } from "./shipping-update";
import { feedbackMachine } from "./feedback";
import { interestMachine } from "./interest";
import { welcomeMachine } from "./welcome";

// Which state machine runs each flow, and what its texts are for. The engine looks machines up here only; a flow
// joins by adding its machine below (one import, one line). A kind without a machine starts no runs.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each machine has its own context and settings
export type AnyFlowMachine = FlowMachine<any, any>;

export const FLOW_MACHINES: Partial<Record<FlowKind, AnyFlowMachine>> = {
  ABANDONED_CART: abandonedCartMachine,
  SHIPPING_UPDATE: shippingUpdateMachine,
  FEEDBACK: feedbackMachine,
  INTEREST: interestMachine,
  WELCOME: welcomeMachine,
};

/** Marketing flows need marketing consent and obey the frequency cap; transactional ones do not. */
export const FLOW_PURPOSE: Record<FlowKind, "MARKETING" | "TRANSACTIONAL"> = {
  ABANDONED_CART: "MARKETING",
  SHIPPING_UPDATE: "TRANSACTIONAL",
  FEEDBACK: "MARKETING",
  INTEREST: "MARKETING",
  WELCOME: "MARKETING",
};

export function machineFor(kind: FlowKind): AnyFlowMachine | null {
  return FLOW_MACHINES[kind] ?? null;
}

export function settingsSchemaFor(kind: FlowKind) {
  return FLOW_SETTINGS_SCHEMAS[kind];
}
