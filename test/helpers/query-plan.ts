import { prisma } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client.ts";

// Plan tests: run a statement under EXPLAIN ANALYZE and count what PostgreSQL really read, so a test fails when a
// query scans rows it does not need (a missing index, or a condition the planner cannot use one for).

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
};

/**
 * Runs the statement (EXPLAIN ANALYZE executes it: a claim really claims) and returns how many rows of `table`
 * its scans looked at: the ones they returned and the ones their filters threw away (a bitmap scan counts both its
 * index entries and its heap rows).
 */
export async function rowsReadFrom(table: string, statement: Prisma.Sql): Promise<number> {
  const [{ "QUERY PLAN": plan }] = await prisma.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
    ...statement.values,
  );
  return scansOf(table, plan[0].Plan).reduce(
    (sum, node) =>
      sum +
      ((node["Actual Rows"] ?? 0) +
        (node["Rows Removed by Filter"] ?? 0) +
        (node["Rows Removed by Index Recheck"] ?? 0)) *
        (node["Actual Loops"] ?? 1),
    0,
  );
}

/** The scans of `table`: its own scan nodes, and the index scans under a bitmap heap scan of it (no relation named). */
function scansOf(table: string, node: PlanNode, underBitmapOfTable = false): PlanNode[] {
  const ofTable = node["Relation Name"] === table && node["Node Type"].includes("Scan");
  const own = ofTable || (underBitmapOfTable && node["Node Type"] === "Bitmap Index Scan") ? [node] : [];
  const under = underBitmapOfTable || (ofTable && node["Node Type"] === "Bitmap Heap Scan");
  return [...own, ...(node.Plans ?? []).flatMap((child) => scansOf(table, child, under))];
}
