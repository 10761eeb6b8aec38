import { describeValidity } from "~/domain/discount-guardrails";
import { renderOutbound, RenderError } from "~/domain/render";
import { analyzeText, type TextAnalysis } from "~/domain/segments";
import { ENGINE_VARIABLES } from "./descriptions";
import { fillFlowVariables } from "./fill-variables";
import type { FlowKind } from "./machine";
import { FLOW_PURPOSE } from "./registry";
import { FLOW_VARIABLES } from "./settings";

// The Flows page's live preview: a flow text as a shopper would receive it, rendered by the same renderer the
// engine's sends go through (identification on a conversation's first text, opt-out language on marketing), with
// believable sample values — sample links as long as real ones, since a long recovery link can cost a segment.

/** What the sample values are built from; the page's loader reads these from the shop (server-only helpers). */
export type PreviewShop = {
  brandName: string;
  senderName: string;
  storeDomain: string; // acme.myshopify.com
  codePrefix: string; // the prefix the shop's codes get ("ACME")
  codeValidityHours: number;
};

const TOKEN = "4f1c9a7e2b6d48e0a3c5f7b9d1e2a4c6";
const KEY = "9b2e7d41c3a8f6e0";

/** Sample values for every variable a flow's texts may use. `percent` follows the form's first ladder step. */
export function sampleVariables(
  kind: FlowKind,
  shop: PreviewShop,
  options: { percent?: number; now?: Date } = {},
): Record<string, string> {
  const store = `https://${shop.storeDomain}`;
  const now = options.now ?? new Date();
  const samples: Record<FlowKind, Record<string, string>> = {
    ABANDONED_CART: {
      cart_item: "Linen Shirt",
      checkout_url: `${store}/68212719/checkouts/ac/${TOKEN}/recover?key=${KEY}`,
      code: `${shop.codePrefix}-7KQ2M9`,
      percent: String(options.percent ?? 10),
      validity: describeValidity(new Date(now.getTime() + shop.codeValidityHours * 3_600_000), now),
    },
    SHIPPING_UPDATE: {
      order_name: "#1042",
      carrier: "UPS",
      tracking_url: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
      eta_sentence: " It should arrive by Friday, Dec 4.",
    },
    FEEDBACK: {
      product_title: "Linen Shirt",
      review_sentence: ` Would you leave a quick review? ${store}/products/linen-shirt#reviews`,
    },
    INTEREST: { target_title: "the Cozy Hoodie", product_url: `${store}/products/cozy-hoodie` },
    WELCOME: {},
  };
  return { first_name: "Ana", ...samples[kind] };
}

/** Every variable a flow's texts may use, with what it stands for: the engine's, then the flow's own. */
export function flowVariables(kind: FlowKind): Record<string, string> {
  return { ...ENGINE_VARIABLES, ...FLOW_VARIABLES[kind] };
}

export type FlowPreview =
  | {
      ok: true;
      text: string;
      analysis: TextAnalysis;
      addedIdentification: boolean;
      addedOptOut: boolean;
    }
  | { ok: false; error: string };

function unknownVariablesMessage(kind: FlowKind, names: string[]) {
  const list = names.map((name) => `{${name}}`).join(", ");
  const known = Object.keys(flowVariables(kind))
    .map((name) => `{${name}}`)
    .join(", ");
  return `${names.length === 1 ? "Unknown variable" : "Unknown variables"} ${list}. You can use ${known}.`;
}

// The machines fill their own variables (fillFlowVariables, verbatim: a sentence variable keeps its leading space);
// the renderer then fills the engine's and refuses anything it does not know.
function render(kind: FlowKind, text: string, brandName: string, senderName: string, opensConversation: boolean) {
  return (variables: Record<string, string>) =>
    renderOutbound({
      body: fillFlowVariables(kind, text, variables),
      variables,
      isFirstInConversation: opensConversation,
      purpose: FLOW_PURPOSE[kind],
      brandName,
      senderName,
      // A reply inside the conversation: the opt-out line comes at the policy's rhythm, not on every text.
      messagesSinceOptOutNotice: opensConversation ? null : 0,
    });
}

/**
 * The text as the shopper would read it. `opensConversation`: the text may be the first of a conversation, so it
 * is shown with the brand introduction and opt-out line the renderer adds then.
 */
export function previewFlowText(input: {
  kind: FlowKind;
  text: string;
  shop: PreviewShop;
  opensConversation: boolean;
  variables?: Record<string, string>;
}): FlowPreview {
  const { kind, text, shop } = input;
  const brandName = shop.brandName.trim() || "Your brand";
  try {
    const rendered = render(
      kind,
      text,
      brandName,
      shop.senderName,
      input.opensConversation,
    )(input.variables ?? sampleVariables(kind, shop));
    return { ok: true, ...rendered, analysis: analyzeText(rendered.text) };
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    if (error.code === "unknown_variables") return { ok: false, error: unknownVariablesMessage(kind, error.variables) };
    if (error.code === "empty_body") return { ok: false, error: "Write the message." };
    return { ok: false, error: error.message };
  }
}

/** Why a flow text cannot be saved (a variable the flow does not know), or null when it is fine. */
export function flowTextProblem(kind: FlowKind, text: string): string | null {
  const anything = Object.fromEntries(Object.keys(flowVariables(kind)).map((name) => [name, "x"]));
  try {
    render(kind, text, "Brand", "", false)(anything);
    return null;
  } catch (error) {
    if (error instanceof RenderError && error.code === "unknown_variables")
      return unknownVariablesMessage(kind, error.variables);
    return null; // an empty text is the schema's to refuse
  }
}
