import { z } from "zod";
import type { FlowMachine } from "./machine";
import type { WelcomeSettings } from "./settings";

// WELCOME: the welcome after a confirmed opt-in, recorded as a run (subject "welcome:<consentEventId>") so it has
// its numbers on the Flows page and its line on the timeline. The text itself is not one of the machine's sends:
// it is the confirmation compliance.md §3 requires, sent by app/services/opt-in/welcome.server.ts exactly as before
// (a SYSTEM text, or MARKETING when it carries the welcome code), linked to the run. So the run starts and ends in
// one step, saying what went out.

export const WelcomeContextSchema = z.object({
  consentEventId: z.string(),
  code: z.string().nullable().default(null),
  percent: z.number().int().nullable().default(null),
});
export type WelcomeContext = z.infer<typeof WelcomeContextSchema>;

export const welcomeMachine: FlowMachine<WelcomeContext, WelcomeSettings> = {
  kind: "WELCOME",
  initialState: "new",
  contextSchema: WelcomeContextSchema,
  transition(run, event) {
    if (event.type !== "start" || run.state !== "new") return null;
    const { code, percent } = run.context;
    return {
      state: "welcomed",
      context: run.context,
      summary: code ? `welcomed with code ${code}${percent ? ` (${percent}% off)` : ""}` : "welcomed",
      effects: [],
      end: { status: "COMPLETED", reason: "welcomed" },
    };
  },
};
