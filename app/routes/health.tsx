import { checkHealth } from "~/services/health.server";

// GET /health — for load balancers and the test harness: 200 when web, database and queue answer; 503 naming
// what is down otherwise.
export async function loader() {
  const report = await checkHealth();
  const down = Object.entries(report.checks)
    .filter(([, c]) => !c.ok)
    .map(([name]) => name);
  return Response.json(
    { status: report.ok ? "ok" : "down", down, checks: report.checks },
    { status: report.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
