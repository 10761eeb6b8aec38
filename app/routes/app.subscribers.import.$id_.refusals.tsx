import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadImport, refusalsCsv } from "~/services/subscribers/import.server";
import { authenticate } from "~/shopify.server";

// GET /app/subscribers/import/:id/refusals: the import's refused rows and their reasons, as CSV.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const progress = await loadImport(session.shop, params.id ?? "");
  if (!progress) throw new Response("Import not found", { status: 404, statusText: "Not Found" });
  const name = progress.fileName.replace(/\.csv$/i, "").replace(/[^\w.-]+/g, "_") || "import";
  return new Response(refusalsCsv(progress), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-refused-rows.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
