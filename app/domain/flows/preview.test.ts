import { describe, expect, test } from "vitest";
import { FLOW_KINDS, type FlowKind } from "./machine";
import { flowTextProblem, flowVariables, previewFlowText, sampleVariables, type PreviewShop } from "./preview";
import { FLOW_SETTINGS_SCHEMAS } from "./settings";

const shop: PreviewShop = {
  brandName: "Acme Outfitters",
  senderName: "Sam",
  storeDomain: "acme.myshopify.com",
  codePrefix: "ACME",
  codeValidityHours: 48,
};
const NOW = new Date("2026-12-02T15:00:00Z");

describe("previewFlowText", () => {
  test.each<[string, FlowKind, string, boolean, string]>([
    [
      "the abandoned-cart opener names the brand itself, so nothing is prepended; marketing gets the opt-out line",
      "ABANDONED_CART",
      "Hi {first_name}, it's {sender_name} from {brand_name}. Saw you left the {cart_item} in your cart.",
      true,
      "Hi Ana, it's Sam from Acme Outfitters. Saw you left the Linen Shirt in your cart.\nReply STOP to opt out",
    ],
    [
      "an opener without the brand is introduced",
      "ABANDONED_CART",
      "Hey {first_name}! Still want the {cart_item}?",
      true,
      "Hey Ana, this is Sam from Acme Outfitters. Still want the Linen Shirt?\nReply STOP to opt out",
    ],
    [
      "a reply inside the conversation gets neither",
      "ABANDONED_CART",
      "Here's {percent}% off: {code} (valid {validity}).",
      false,
      "Here's 10% off: ACME-7KQ2M9 (valid 48 h).",
    ],
    [
      "a shipping update is transactional: no opt-out line even when it opens the conversation",
      "SHIPPING_UPDATE",
      "Your order {order_name} is on its way with {carrier}, {brand_name}.{eta_sentence}",
      true,
      "Your order #1042 is on its way with UPS, Acme Outfitters. It should arrive by Friday, Dec 4.",
    ],
    [
      "interest texts link to the product on the shop's domain",
      "INTEREST",
      "{target_title} is back: {product_url}",
      false,
      "the Cozy Hoodie is back: https://acme.myshopify.com/products/cozy-hoodie",
    ],
  ])("%s", (_name, kind, text, opensConversation, expected) => {
    const preview = previewFlowText({
      kind,
      text,
      shop,
      opensConversation,
      variables: sampleVariables(kind, shop, { now: NOW }),
    });
    expect(preview).toMatchObject({ ok: true, text: expected });
  });

  test("the segment count is the rendered text's, with the long recovery link and the opt-out line counted", () => {
    const preview = previewFlowText({
      kind: "ABANDONED_CART",
      text: "Still thinking about the {cart_item}? Your cart is saved here: {checkout_url}",
      shop,
      opensConversation: true,
    });
    if (!preview.ok) throw new Error(preview.error);
    expect(preview.text).toContain("/recover?key=");
    expect(preview.analysis).toMatchObject({ encoding: "GSM-7", segments: 2 });
    expect(preview.analysis.characters).toBe(preview.text.length);
  });

  test("a curly quote makes it Unicode and the meter knows", () => {
    const preview = previewFlowText({ kind: "WELCOME", text: "It’s {brand_name}!", shop, opensConversation: false });
    expect(preview).toMatchObject({ ok: true, analysis: { encoding: "UCS-2" } });
  });

  test.each<[string, string, Partial<PreviewShop>, RegExp]>([
    [
      "a typo names the variable and lists the known ones",
      "Hi {frist_name}",
      {},
      /Unknown variable \{frist_name\}.*\{cart_item\}/,
    ],
    ["another flow's variable is unknown here", "Track it: {tracking_url}", {}, /Unknown variable \{tracking_url\}/],
    ["an empty text", "   ", {}, /Write the message/],
  ])("refused: %s", (_name, text, overrides, error) => {
    const preview = previewFlowText({
      kind: "ABANDONED_CART",
      text,
      shop: { ...shop, ...overrides },
      opensConversation: true,
    });
    expect(preview.ok).toBe(false);
    if (!preview.ok) expect(preview.error).toMatch(error);
  });

  test("every default text of every flow previews cleanly", () => {
    for (const kind of FLOW_KINDS) {
      const defaults = FLOW_SETTINGS_SCHEMAS[kind].parse({}) as Record<string, unknown>;
      for (const [name, value] of Object.entries(defaults)) {
        if (typeof value !== "string") continue;
        expect(previewFlowText({ kind, text: value, shop, opensConversation: true }), `${kind}.${name}`).toMatchObject({
          ok: true,
        });
      }
    }
  });
});

describe("sample values and variables", () => {
  test("every variable a flow offers has a sample value, so the preview never shows a hole", () => {
    for (const kind of FLOW_KINDS) {
      const samples = sampleVariables(kind, shop);
      for (const name of Object.keys(flowVariables(kind)).filter((n) => !["brand_name", "sender_name"].includes(n)))
        expect(samples[name], `${kind} {${name}}`).toBeTruthy();
    }
  });

  test("the percent follows the ladder's first step and the validity the shop's code expiry", () => {
    const samples = sampleVariables("ABANDONED_CART", { ...shop, codeValidityHours: 96 }, { percent: 15, now: NOW });
    expect(samples).toMatchObject({ percent: "15", validity: "4 days", code: "ACME-7KQ2M9" });
  });
});

describe("flowTextProblem", () => {
  test.each<[FlowKind, string, string | null]>([
    ["ABANDONED_CART", "Hi {first_name}, {cart_item}: {checkout_url}", null],
    ["ABANDONED_CART", "Hi {frist_name}", "Unknown variable {frist_name}"],
    ["FEEDBACK", "Thanks!{review_sentence}", null],
    ["FEEDBACK", "{cart_item}?", "Unknown variable {cart_item}"],
    ["SHIPPING_UPDATE", "{order_name} {carrier} {tracking_url}{eta_sentence}", null],
    ["WELCOME", "", null],
  ])("%s %j", (kind, text, problem) => {
    const found = flowTextProblem(kind, text);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });
});
