import { prisma } from "~/db.server";
import { getBoss } from "~/jobs/boss.server";

// Health is a list of named checks, each with a deadline: a hung database must not hang the probe.
export type HealthReport = { ok: boolean; checks: Record<string, { ok: boolean; ms: number; error?: string }> };

async function timed(check: () => Promise<unknown>, timeoutMs: number) {
  const started = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      ms: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export async function checkHealth(timeoutMs = 2000): Promise<HealthReport> {
  const [database, queue] = await Promise.all([
    timed(() => prisma.$queryRawUnsafe("SELECT 1"), timeoutMs),
    timed(async () => {
      const boss = await getBoss();
      await boss.getQueues();
    }, timeoutMs),
  ]);
  const checks = { web: { ok: true, ms: 0 }, database, queue };
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}
