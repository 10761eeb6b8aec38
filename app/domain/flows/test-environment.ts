import type { z } from "zod";
import type { FlowEnvironment } from "./machine";

// The environment a machine sees, for the machines' unit tests: Acme's voice in New York, the flow's settings
// parsed from what the test overrides (defaults filled in).
export function testEnvironment<S extends z.ZodType>(
  schema: S,
  settings: Partial<z.input<S>> = {},
  now: Date,
  firstName: string | null = "Ana",
): FlowEnvironment<z.output<S>> {
  return {
    now,
    settings: schema.parse(settings),
    shop: {
      brand: "Acme",
      senderName: "Sam",
      timeZone: "America/New_York",
      currencyCode: "USD",
      guardrails: { maxPercent: 20, maxAmountCents: 5000 },
    },
    contact: { firstName },
  };
}
