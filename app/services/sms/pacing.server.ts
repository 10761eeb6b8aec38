import { Prisma } from "~/generated/prisma/client.ts";
import { prisma, queryRaw } from "~/db.server";

// A leaky bucket kept in PostgreSQL: each send reserves the next free slot of its key with one atomic UPDATE,
// so every worker on every machine shares one rate per sending number and per provider account.
export async function reserveSlot(key: string, messagesPerSecond: number): Promise<Date> {
  if (messagesPerSecond <= 0) return new Date(0);
  const intervalMs = 1000 / messagesPerSecond;
  const [row] = await queryRaw<{ slot: Date }>(
    prisma,
    Prisma.sql`
    INSERT INTO "PaceSlot" (key, "nextAt") VALUES (${key}, clock_timestamp() + make_interval(secs => ${intervalMs / 1000}))
    ON CONFLICT (key) DO UPDATE
      SET "nextAt" = GREATEST("PaceSlot"."nextAt", clock_timestamp()) + make_interval(secs => ${intervalMs / 1000})
    RETURNING "nextAt" - make_interval(secs => ${intervalMs / 1000}) AS slot`,
  );
  return row.slot;
}

export async function waitForSlots(...slots: Date[]) {
  const until = Math.max(...slots.map((s) => s.getTime()));
  const wait = until - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
