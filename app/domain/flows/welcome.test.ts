import { describe, expect, test } from "vitest";
import type { FlowEvent } from "./machine";
import { WelcomeSettingsSchema } from "./settings";
import { testEnvironment } from "./test-environment";
import { WelcomeContextSchema, welcomeMachine } from "./welcome";

const NOW = new Date("2026-12-01T15:00:00Z");
const env = testEnvironment(WelcomeSettingsSchema, {}, NOW);
const step = (state: string, event: FlowEvent, context: object = {}) =>
  welcomeMachine.transition(
    { state, context: WelcomeContextSchema.parse({ consentEventId: "ce_1", ...context }), startedAt: NOW },
    event,
    env,
  );

describe("welcomeMachine", () => {
  test("records the welcome and ends; the text is the opt-in's own, not a machine send", () => {
    expect(step("new", { type: "start" })).toEqual({
      state: "welcomed",
      context: { consentEventId: "ce_1", code: null, percent: null },
      summary: "welcomed",
      effects: [],
      end: { status: "COMPLETED", reason: "welcomed" },
    });
  });

  test("names the welcome code it carried", () => {
    expect(step("new", { type: "start" }, { code: "ACME-7KQ2M9", percent: 10 })?.summary).toBe(
      "welcomed with code ACME-7KQ2M9 (10% off)",
    );
  });

  test.each([
    ["welcomed", { type: "start" }],
    ["new", { type: "reply", messageId: "m", text: "thanks!" }],
    ["new", { type: "timer", name: "x" }],
  ] as [string, FlowEvent][])("in %s, %j means nothing", (state, event) => expect(step(state, event)).toBeNull());
});
