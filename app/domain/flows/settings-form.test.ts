import { describe, expect, test } from "vitest";
import { FLOW_KINDS } from "./machine";
import { FLOW_SETTINGS_SCHEMAS, parseFlowSettings } from "./settings";
import {
  changedFromDefaults,
  flowFormFields,
  flowFormSections,
  parseFlowForm,
  stepsAboveGuardrail,
  toFormValues,
  type FlowFormValues,
} from "./settings-form";

const GUARDRAIL = { maxPercent: 20 };
const cartDefaults = () => toFormValues("ABANDONED_CART", parseFlowSettings("ABANDONED_CART", {}));

describe("flowFormFields: generated from the schema", () => {
  test("each kind of field is recognised with its bounds", () => {
    const fields = Object.fromEntries(flowFormFields("ABANDONED_CART").map((f) => [f.name, f]));
    expect(fields.delayMinutes).toMatchObject({ kind: "number", unit: "minutes", min: 15, max: 1440 });
    expect(fields.reminderAfterHours).toMatchObject({ kind: "number", unit: "hours", min: 1, max: 336 });
    expect(fields.attributionWindowDays).toMatchObject({ kind: "number", unit: "days", min: 1, max: 30 });
    expect(fields.opener).toMatchObject({ kind: "message", maxLength: 480, opensConversation: true });
    expect(fields.freeShippingText).toMatchObject({ kind: "message", opensConversation: false });
    expect(fields.linkInOpener).toMatchObject({ kind: "boolean" });
    expect(fields.offerLadder).toMatchObject({ kind: "ladder", min: 1, max: 100, maxSteps: 3 });
    const feedback = Object.fromEntries(flowFormFields("FEEDBACK").map((f) => [f.name, f]));
    expect(feedback.reviewUrl).toMatchObject({ kind: "url", maxLength: 300 });
    expect(feedback.delayDaysAfterDelivery).toMatchObject({ kind: "number", unit: "days" });
  });

  test("every field of every flow has words, not a humanized key, and sits in a section", () => {
    for (const kind of FLOW_KINDS) {
      const fields = flowFormFields(kind);
      expect(fields.map((f) => f.name)).toEqual(Object.keys(FLOW_SETTINGS_SCHEMAS[kind].shape));
      for (const field of fields) expect(field.section, `${kind}.${field.name}`).not.toBe("Settings");
    }
    expect(flowFormSections("WELCOME")).toEqual([]);
    expect(flowFormSections("ABANDONED_CART").map((s) => s.title)).toEqual(["Timing", "Opening text", "Answers"]);
  });
});

describe("parseFlowForm", () => {
  test("the defaults round-trip through the form unchanged, for every flow", () => {
    for (const kind of FLOW_KINDS) {
      const settings = parseFlowSettings(kind, {});
      const parsed = parseFlowForm(kind, toFormValues(kind, settings), GUARDRAIL);
      expect(parsed, kind).toEqual({ ok: true, settings });
    }
  });

  test("typed numbers become numbers; an empty review link becomes null; a ladder of typed steps", () => {
    const parsed = parseFlowForm(
      "ABANDONED_CART",
      { ...cartDefaults(), delayMinutes: " 90 ", offerLadder: ["5", "10", "20"], linkInOpener: true },
      GUARDRAIL,
    );
    expect(parsed).toMatchObject({
      ok: true,
      settings: { delayMinutes: 90, offerLadder: [5, 10, 20], linkInOpener: true },
    });
    const feedback = parseFlowForm(
      "FEEDBACK",
      { ...toFormValues("FEEDBACK", parseFlowSettings("FEEDBACK", {})), reviewUrl: "  " },
      GUARDRAIL,
    );
    expect(feedback).toMatchObject({ ok: true, settings: { reviewUrl: null } });
  });

  test.each<[string, FlowFormValues, Record<string, string | RegExp>]>([
    ["below the minimum wait, in its unit", { delayMinutes: "5" }, { delayMinutes: "Must be at least 15 minutes." }],
    [
      "above the maximum window",
      { attributionWindowDays: "45" },
      { attributionWindowDays: "Must be at most 30 days." },
    ],
    [
      "a one-hour minimum reads singular",
      { reminderAfterHours: "0" },
      { reminderAfterHours: "Must be at least 1 hour." },
    ],
    ["not a number", { delayMinutes: "an hour" }, { delayMinutes: "Enter a whole number." }],
    ["empty number", { delayMinutes: "" }, { delayMinutes: "Enter a number." }],
    ["a fraction", { delayMinutes: "60.5" }, { delayMinutes: "Enter a whole number." }],
    ["an empty message", { opener: "  " }, { opener: "Write the message." }],
    ["a message over 480 characters", { closeText: "x".repeat(481) }, { closeText: "At most 480 characters." }],
    ["a misspelt variable", { opener: "Hi {frist_name}" }, { opener: /Unknown variable \{frist_name\}/ }],
    [
      "a ladder step above the shop's guardrail is refused with the limit named",
      { offerLadder: ["10", "25"] },
      { "offerLadder.1": /Above your discount guardrail: codes can be at most 20% off/ },
    ],
    [
      "a step that is not more than the previous",
      { offerLadder: ["15", "10"] },
      { "offerLadder.1": /more than the one before/ },
    ],
    ["a step of 0%", { offerLadder: ["0"] }, { "offerLadder.0": "Must be at least 1%." }],
    ["a step that is not a number", { offerLadder: ["ten"] }, { "offerLadder.0": "Enter a whole number." }],
    ["more than three steps", { offerLadder: ["5", "10", "15", "20"] }, { offerLadder: "At most 3 steps." }],
  ])("refused: %s", (_name, change, expected) => {
    const parsed = parseFlowForm("ABANDONED_CART", { ...cartDefaults(), ...change }, GUARDRAIL);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    for (const [key, message] of Object.entries(expected)) {
      if (typeof message === "string") expect(parsed.fieldErrors[key], key).toBe(message);
      else expect(parsed.fieldErrors[key], key).toMatch(message);
    }
  });

  test("a step exactly at the guardrail is allowed; the guardrail is the shop's", () => {
    expect(parseFlowForm("ABANDONED_CART", { ...cartDefaults(), offerLadder: ["20"] }, GUARDRAIL).ok).toBe(true);
    expect(parseFlowForm("ABANDONED_CART", { ...cartDefaults(), offerLadder: ["20"] }, { maxPercent: 15 }).ok).toBe(
      false,
    );
  });

  test("a review link must be a web address", () => {
    const values = { ...toFormValues("FEEDBACK", parseFlowSettings("FEEDBACK", {})), reviewUrl: "reviews please" };
    expect(parseFlowForm("FEEDBACK", values, GUARDRAIL)).toEqual({
      ok: false,
      fieldErrors: { reviewUrl: "Enter a full web address, starting with https://" },
    });
  });
});

describe("changedFromDefaults and the guardrail", () => {
  test("only what the merchant changed is stored", () => {
    const settings = parseFlowSettings("ABANDONED_CART", { delayMinutes: 90, offerLadder: [10, 15] });
    expect(changedFromDefaults("ABANDONED_CART", settings)).toEqual({ delayMinutes: 90 });
    expect(changedFromDefaults("ABANDONED_CART", parseFlowSettings("ABANDONED_CART", {}))).toEqual({});
  });

  test.each<[number[], number, number[]]>([
    [[10, 15], 20, []],
    [[10, 15], 12, [15]],
    [[], 5, []],
  ])("steps %j over %i%% → %j", (ladder, max, over) => {
    expect(stepsAboveGuardrail(ladder, max)).toEqual(over);
  });
});
