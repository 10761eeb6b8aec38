import { z } from "zod";

// One place that reads process.env. The app refuses to start on bad configuration and names every
// variable at fault, so a misconfigured deploy fails at boot rather than on the first webhook.

const optionalUrl = z.string().url().optional();
const nonEmpty = z.string().min(1);

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string"),
    SHOPIFY_API_KEY: nonEmpty,
    SHOPIFY_API_SECRET: nonEmpty,
    SHOPIFY_APP_URL: z.string().url(),
    SCOPES: nonEmpty.default(
      "read_customers,write_customers,read_orders,read_fulfillments,read_products,read_inventory,read_discounts,write_discounts,read_checkouts,write_pixels,read_customer_events",
    ),
    TELNYX_API_KEY: z.string().optional(),
    TELNYX_PUBLIC_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be the base64 of a 32-byte Ed25519 public key")
      .optional(),
    TELNYX_BASE_URL: optionalUrl,
    TELNYX_MESSAGING_PROFILE_ID: z.string().optional(),
    // 32 bytes, base64: encrypts the Telnyx API keys shops enter in Settings.
    PARLEY_ENCRYPTION_KEY: z
      .string()
      .refine(
        (v) => Buffer.from(v, "base64").length === 32,
        "must be the base64 of 32 random bytes (openssl rand -base64 32)",
      ),
    PARLEY_SANDBOX: z
      .enum(["0", "1"])
      .default("0")
      .transform((v) => v === "1"),
    PARLEY_RUN_WORKER: z
      .enum(["0", "1"])
      .default("1")
      .transform((v) => v === "1"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    // Delivery workers: messages in flight per worker process; the provider account's messages per second
    // (Telnyx: 50 SMS/s; 0 = unpaced); how long a send with an unknown outcome waits before it is reconciled
    // (never less than the send timeout plus a margin: a call still in flight must not be re-queued); how long a
    // send to Telnyx may take before its outcome counts as unknown.
    PARLEY_SMS_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(32),
    PARLEY_ACCOUNT_MPS: z.coerce.number().min(0).default(50),
    PARLEY_RECONCILE_GRACE_SECONDS: z.coerce.number().min(0).default(120),
    PARLEY_TELNYX_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(120).default(15),
    // First pause before a transient failure is retried; it doubles per attempt up to 5 minutes (with jitter).
    PARLEY_RETRY_BASE_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    // Named (server-side prepared) statements: PostgreSQL parses and plans each query shape once per connection.
    // Turn off behind a pooler in transaction mode that cannot track prepared statements (PgBouncer < 1.21).
    PARLEY_DB_PREPARED_STATEMENTS: z
      .enum(["on", "off"])
      .default("on")
      .transform((v) => v === "on"),
  })
  .superRefine((env, ctx) => {
    if (env.PARLEY_SANDBOX && env.NODE_ENV === "production") {
      ctx.addIssue({
        code: "custom",
        path: ["PARLEY_SANDBOX"],
        message: "sandbox mode cannot run with NODE_ENV=production",
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      `Parley cannot start: the environment is not valid.\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee README.md → Configuration.`,
    );
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(environment)";
    const missing = issue.code === "invalid_type" && source[name] === undefined;
    return missing ? `${name} is missing` : `${name}: ${issue.message}`;
  });
  throw new EnvError(problems);
}

let cached: Env | undefined;

/** The validated environment. Parsed on first use so that tests and scripts can set variables first. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests change the environment between files; this forgets the parsed copy. */
export function resetEnvForTests() {
  cached = undefined;
}
