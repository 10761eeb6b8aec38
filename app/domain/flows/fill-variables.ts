import type { FlowKind } from "./machine";
import { FLOW_VARIABLES } from "./settings";

/**
 * Fills a flow's own variables ({order_name}, {cart_item}…) verbatim — a sentence variable keeps its leading
 * space, and an empty one simply disappears ("…{tracking_url}{eta_sentence}") — and leaves every other {name}
 * for sendMessage's renderer, which fills the engine's ({first_name}, {brand_name}) and refuses the unknown.
 */
export function fillFlowVariables(kind: FlowKind, text: string, values: Record<string, string>): string {
  const own = FLOW_VARIABLES[kind];
  return text.replace(/\{\s*([A-Za-z_]\w*)\s*\}/g, (match, raw: string) => {
    const name = raw.toLowerCase();
    return name in own && values[name] !== undefined ? values[name] : match;
  });
}
