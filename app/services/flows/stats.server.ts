import { Prisma } from "~/generated/prisma/client.ts";
import { prisma, queryRaw } from "~/db.server";
import type { FlowKind } from "~/domain/flows/machine";
import { foldFlowStats, statsWindow, type FlowStats, type FlowStatsRow, type StatsRange } from "~/domain/flows/stats";

// The Flows page's numbers and a flow's recent runs. One grouped statement per page: the shop's runs started in
// the range (FlowRun(shopId, kind, startedAt) index), each with whether a code the flow issued was used
// (DiscountIssued.flowRunId) — per flow, per day in the shop's zone and per order currency.

export async function loadFlowStats(input: {
  shopId: string;
  range: StatsRange;
  timeZone: string;
  now?: Date;
}): Promise<{ days: string[]; byKind: Record<FlowKind, FlowStats> }> {
  const { since, days } = statsWindow(input.range, input.now ?? new Date(), input.timeZone);
  const rows = await queryRaw<FlowStatsRow>(
    prisma,
    Prisma.sql`
    WITH runs AS (
      SELECT r.id, r.kind, r.status, r."repliedAt", r."handedOverAt", r."revenueCents", r."currencyCode",
             r."offerCode", r."offerCodeUsed",
             to_char((r."startedAt" AT TIME ZONE ${input.timeZone})::date, 'YYYY-MM-DD') AS day
      FROM "FlowRun" r
      WHERE r."shopId" = ${input.shopId} AND r."startedAt" >= ${since}
    ), codes AS (
      SELECT d."flowRunId", count(*)::int AS issued, count(d."usedAt")::int AS used
      FROM "DiscountIssued" d
      WHERE d."shopId" = ${input.shopId} AND d."flowRunId" IN (SELECT id FROM runs)
      GROUP BY d."flowRunId"
    )
    SELECT runs.kind::text AS kind, runs.day,
           CASE WHEN runs.status = 'CONVERTED' THEN runs."currencyCode" END AS "currencyCode",
           count(*)::int AS started,
           count(runs."repliedAt")::int AS replied,
           count(runs."handedOverAt")::int AS "handedOver",
           count(*) FILTER (WHERE runs.status = 'CONVERTED')::int AS converted,
           count(*) FILTER (WHERE runs."offerCode" IS NOT NULL OR codes.issued > 0)::int AS "codesOffered",
           count(*) FILTER (WHERE runs."offerCodeUsed" OR codes.used > 0)::int AS "codesUsed",
           coalesce(sum(runs."revenueCents") FILTER (WHERE runs.status = 'CONVERTED'), 0)::int AS "revenueCents"
    FROM runs LEFT JOIN codes ON codes."flowRunId" = runs.id
    GROUP BY 1, 2, 3`,
  );
  return { days, byKind: foldFlowStats(rows, days) };
}

export type RecentRun = {
  id: string;
  contact: { id: string; firstName: string | null; lastName: string | null; phoneE164: string };
  conversationId: string | null;
  state: string;
  status: "ACTIVE" | "COMPLETED" | "CONVERTED" | "EXITED";
  exitReason: string | null;
  startedAt: Date;
  endedAt: Date | null;
  repliedAt: Date | null;
  handedOverAt: Date | null;
  revenueCents: number | null;
  currencyCode: string | null;
  offerCode: string | null;
  offerCodeUsed: boolean;
  lastStep: string | null; // the newest transition's summary: "waiting 1 h", "offered free shipping"
};

/** A flow's newest runs, with the shopper and the last thing that happened. */
export async function listRecentRuns(input: { shopId: string; kind: FlowKind; limit?: number }): Promise<RecentRun[]> {
  const runs = await prisma.flowRun.findMany({
    where: { shopId: input.shopId, kind: input.kind },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: input.limit ?? 25,
    select: {
      id: true,
      conversationId: true,
      state: true,
      status: true,
      exitReason: true,
      startedAt: true,
      endedAt: true,
      repliedAt: true,
      handedOverAt: true,
      revenueCents: true,
      currencyCode: true,
      offerCode: true,
      offerCodeUsed: true,
      contact: { select: { id: true, firstName: true, lastName: true, phoneE164: true } },
      transitions: { orderBy: { seq: "desc" }, take: 1, select: { summary: true } },
    },
  });
  return runs.map(({ transitions, ...run }) => ({ ...run, lastStep: transitions[0]?.summary ?? null }));
}
