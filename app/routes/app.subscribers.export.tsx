import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseSubscriberParams } from "~/domain/subscriber-query";
import { exportSubscribersCsv } from "~/services/subscribers/export.server";
import { authenticate } from "~/shopify.server";

// GET /app/subscribers/export[?tab=&source=&q=]: the shop's subscribers (the list's current filter) as a CSV with
// the evidence of each marketing state, streamed in batches.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { tab, source, q } = parseSubscriberParams(new URL(request.url).searchParams);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(exportSubscribersCsv({ shopId: session.shop, tab, source, q }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="subscribers-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
