import { Prisma } from "~/generated/prisma/client.ts";
import { executeRaw, prisma, queryRaw } from "~/db.server";

// Fixed-window counters in PostgreSQL (RateLimitWindow), so every web process on every machine shares one count.
// One atomic upsert per hit: no read-then-write race lets a burst through.

export interface RateLimitRule {
  /** e.g. "optin:ip:acme.myshopify.com:203.0.113.9" — the shop belongs in the key. */
  key: string;
  limit: number;
  windowSeconds: number;
}

export type RateLimitResult =
  { allowed: true; count: number } | { allowed: false; count: number; retryAfterSeconds: number };

// Windows older than this are of no use to any rule (the longest is an hour); pruning runs at most this often.
const KEEP_MS = 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
let lastPruneAt = 0;

/** Counts one hit against the rule's current window and says whether it is within the limit. */
export async function hitRateLimit(rule: RateLimitRule, now = new Date()): Promise<RateLimitResult> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await queryRaw<{ count: number }>(
    prisma,
    Prisma.sql`
    INSERT INTO "RateLimitWindow" (key, "windowStart", count) VALUES (${rule.key}, ${windowStart}, 1)
    ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitWindow".count + 1
    RETURNING count`,
  );
  void pruneOccasionally(now);
  const count = Number(row.count);
  if (count <= rule.limit) return { allowed: true, count };
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: false, count, retryAfterSeconds };
}

/** Checks each rule in order and stops at the first one exceeded (later rules are not charged). */
export async function hitRateLimits(rules: RateLimitRule[], now = new Date()): Promise<RateLimitResult> {
  let last: RateLimitResult = { allowed: true, count: 0 };
  for (const rule of rules) {
    last = await hitRateLimit(rule, now);
    if (!last.allowed) return last;
  }
  return last;
}

async function pruneOccasionally(now: Date) {
  if (now.getTime() - lastPruneAt < PRUNE_EVERY_MS) return;
  lastPruneAt = now.getTime();
  try {
    await pruneRateLimitWindows(new Date(now.getTime() - KEEP_MS));
  } catch {
    // Pruning is housekeeping: a failure here must never fail the request that triggered it.
  }
}

/** Deletes windows that started before `before`; returns how many went. */
export async function pruneRateLimitWindows(before: Date): Promise<number> {
  return executeRaw(prisma, Prisma.sql`DELETE FROM "RateLimitWindow" WHERE "windowStart" < ${before}`);
}
