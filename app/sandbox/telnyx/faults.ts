import { z } from "zod";

// Fault injection for the simulated Telnyx API, so the send engine's retry, pacing and failure paths can be
// exercised on demand. Rolls come from a seeded PRNG: the same seed and the same request order give the same
// faults, which keeps failure-rate tests reproducible.

const rate = z.number().min(0).max(1);
const phones = z.array(z.string().min(1));

export const FaultConfigSchema = z.strictObject({
  /** Share of POST /v2/messages answered 429 (errors[0].code "10011", Retry-After and x-ratelimit-* headers). */
  rate429: rate.default(0),
  /** Share answered 500 or 503. */
  rate5xx: rate.default(0),
  /** Share held past the client's timeout and then dropped (the socket is destroyed without an answer). */
  rateTimeout: rate.default(0),
  /** How long a "timed out" request is held before the socket is dropped. Must exceed the client's timeout. */
  timeoutMs: z.number().int().min(0).max(600_000).default(15_000),
  /**
   * Whether a timed-out send was nevertheless accepted. false (default): the request is dropped unprocessed —
   * nothing recorded, nothing texted. true: Telnyx took the message and only the answer was lost (realistic, and
   * the case that makes blind retries double-text); it is recorded and its webhooks follow.
   */
  timeoutAccepted: z.boolean().default(false),
  /** Added before every API answer. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Retry-After seconds on an injected 429. */
  retryAfterSeconds: z.number().min(0).max(3600).default(1),
  seed: z.number().int().default(1),
  /** Numbers refused as if they had texted STOP (40300), in addition to real STOPs sent from the phone. */
  blockedNumbers: phones.default([]),
  /**
   * How a blocked number fails. "refuse" (default): POST /v2/messages answers 422 with 40300 — Telnyx's
   * profile-level block. "finalize": accepted, then message.finalized reports sending_failed with 40300.
   * Both are plausible for the real service; the app must handle either.
   */
  blockedMode: z.enum(["refuse", "finalize"]).default("refuse"),
  /** Landlines: accepted, then delivery_failed with 40001 (not routable). */
  landlineNumbers: phones.default([]),
  /** Accepted, then delivery_failed with 40008 (undeliverable). */
  undeliverableNumbers: phones.default([]),
});

export type FaultConfig = z.infer<typeof FaultConfigSchema>;
export type FaultInput = z.input<typeof FaultConfigSchema>;

export type Fault = { kind: "none" } | { kind: "429" } | { kind: "5xx"; status: 500 | 503 } | { kind: "timeout" };

// mulberry32: tiny, fast, good enough for test dice.
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private config: FaultConfig;
  private random: () => number;

  constructor(private readonly baseline: FaultInput = {}) {
    this.config = FaultConfigSchema.parse(baseline);
    this.random = prng(this.config.seed);
  }

  get(): FaultConfig {
    return structuredClone(this.config);
  }

  /** Merges into the current configuration; a seed restarts the dice. Throws a ZodError on bad input. */
  set(partial: FaultInput): FaultConfig {
    const next = FaultConfigSchema.parse({ ...this.config, ...partial });
    this.config = next;
    if (partial.seed !== undefined) this.random = prng(next.seed);
    return this.get();
  }

  /** Back to the baseline the simulator was created with. */
  reset(): FaultConfig {
    this.config = FaultConfigSchema.parse(this.baseline);
    this.random = prng(this.config.seed);
    return this.get();
  }

  /** One roll per API request: at most one fault, each with its configured share. */
  roll(): Fault {
    const { rate429, rate5xx, rateTimeout } = this.config;
    if (rate429 + rate5xx + rateTimeout === 0) return { kind: "none" };
    const r = this.random();
    if (r < rate429) return { kind: "429" };
    if (r < rate429 + rate5xx) return { kind: "5xx", status: this.random() < 0.5 ? 500 : 503 };
    if (r < rate429 + rate5xx + rateTimeout) return { kind: "timeout" };
    return { kind: "none" };
  }
}
